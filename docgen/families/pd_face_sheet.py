"""A patient face sheet printed from a health record: the summary page insurers receive most.

What it brings: every field among look-alikes the record also prints. An age and a printed-on
timestamp beside the dates, a work phone beside the patient's, the contact's relationship, a
group number and an effective date beside the policy's, a BMI beside weight and height. Sections
under ruled headings; immunizations as 'Vaccine: status' lines or a ruled Vaccine | Status table;
problems, allergies and medications as bulleted lists. Truth follows ``_pd_common.Record``.
"""

from __future__ import annotations

import random

from PIL import Image, ImageFont

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.content import content
from docgen.families import _pd_common as pd
from docgen.families import _rx_common as rx

FAMILY = "pd_face_sheet"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "patient face sheet printed from a health record: ruled section headings, 'Label: value' pairs "
    "in two columns among look-alikes (age, work phone, relationship, group number, effective "
    "date, BMI, printed-on stamp), immunizations as lines or a ruled Vaccine | Status table, "
    "problems, allergies and medications as bulleted lists"
)

Font = ImageFont.FreeTypeFont
Pair = tuple[str, list[str]]

TITLES = (
    "PATIENT FACE SHEET",
    "Patient Face Sheet",
    "Patient Demographics",
    "Patient Summary",
    "Registration Summary",
)
SECTIONS = {
    "patient": ("Demographics", "Patient Information", "PATIENT"),
    "emergency": ("Emergency Contact", "Next of Kin", "EMERGENCY CONTACT"),
    "insurance": ("Insurance", "Primary Insurance", "Coverage"),
    "history": ("Immunizations", "Immunization Status", "Vaccines"),
    "lists": ("Clinical Summary", "Problems, Allergies and Medications", "Health Summary"),
}
VACCINES = {
    "chickenpox": ("Varicella", "Chickenpox (varicella)", "Chicken pox"),
    "measles": ("Measles (MMR)", "Measles", "MMR / measles"),
    "hepatitis_b_vaccination": ("Hepatitis B", "Hep B vaccine", "Hepatitis B vaccination"),
}
LIST_TITLES = {
    "medical_problems": ("Problem List", "Active Problems", "Medical conditions"),
    "allergies": ("Allergies", "Allergy List", "Known allergies"),
    "regular_medications": ("Active Medications", "Current medications", "Medication List"),
}
BULLETS = ("•", "-", "*", "")


class Sheet:
    """One face sheet: the record, the page and the fonts, drawn section by section."""

    def __init__(self, rng: random.Random, dpi: int) -> None:
        self.rng = rng
        self.record = pd.make_record(rng)
        self.page = Page(dpi, pick_style(rng))
        self.pages = [self.page]
        self.left = self.page.px(rng.uniform(0.55, 0.9))
        self.right = self.page.image.width - self.page.px(rng.uniform(0.55, 0.9))
        self.label = self.page.font(
            bold=rng.random() < 0.6, scale=rng.uniform(0.85, 0.95), family=self.page.style.label
        )
        self.value = self.page.font(bold=False, scale=rng.uniform(0.9, 1.0))
        # Lines are spaced by the print, so a copy filled in by hand is laid out as a typed one.
        self.line = round(self.page.line_step(self.label) * 1.12)
        self.step = round(self.line * rng.uniform(1.1, 1.35))
        self.colon = rng.random() < 0.85
        self.y = 0

    def lines(self, name: str) -> list[str]:
        return self.record.lines[name]

    def field_label(self, name: str, in_section: bool = False) -> str:
        text = pd.label(self.rng, name, in_section)
        return f"{text}:" if self.colon and not text.endswith("?") else text

    def plain(self, text: str) -> str:
        return f"{text}:" if self.colon else text

    def header(self) -> None:
        rng, page = self.rng, self.page
        big = page.font(bold=True, scale=rng.uniform(1.1, 1.4), family=page.style.label)
        small = page.font(bold=False, scale=0.8, family=page.style.label)
        self.y = page.px(rng.uniform(0.55, 0.75)) + big.size
        page.text(self.left, self.y, pd.clinic_name(rng), big)
        vals = content(rng)
        if rng.random() < 0.7:
            stamp = (
                f"Printed {values.date_text(vals, 2015, 2025)} {vals.randint(1, 12)}:{vals.randint(10, 59)}"
            )
            page.text(self.right, self.y, stamp, small, "right")
        self.y += page.line_step(small)
        page.text(
            self.left, self.y, f"{values.street(rng)}, {values.city_line(rng)}   {rx.extras_line(rng)}", small
        )
        self.y += page.line_step(small) + page.px(0.25)
        title = page.font(bold=True, scale=rng.uniform(1.05, 1.25), family=page.style.label)
        page.text((self.left + self.right) // 2, self.y, rng.choice(TITLES), title, "center")
        self.y += page.line_step(title)
        if self.record.shown("record_date"):
            self.pairs([[(self.field_label("record_date"), self.lines("record_date"))]])

    def heading(self, key: str) -> None:
        font = self.page.font(bold=True, scale=1.0, family=self.page.style.label)
        self.y += self.page.px(0.15)
        self.page.text(self.left, self.y, self.rng.choice(SECTIONS[key]), font)
        self.page.rule(self.left, self.right, self.y + self.page.px(0.07), 0.8)
        self.y += round(self.page.line_step(font) * 1.15)

    def pairs(self, columns: list[list[Pair]]) -> None:
        """Columns of 'Label: value' rows side by side, each value of several lines indented."""
        fonts_ = (self.label, self.value)
        steps = (self.step, self.line)
        self.y = rx.labelled_columns(
            self.page, self.y, columns, self.left, self.right, fonts_, steps, self.page.px(0.1)
        )

    def shown(self, name: str, in_section: bool = False) -> list[Pair]:
        return [(self.field_label(name, in_section), self.lines(name))] if self.record.shown(name) else []

    def demographics(self) -> None:
        rng, vals = self.rng, content(self.rng)
        self.heading("patient")
        age = (self.plain("Age"), [f"{vals.randint(18, 90)} yrs"])
        sex = (self.plain("Sex"), [vals.choice(("Male", "Female"))])
        mrn = (
            self.plain(rng.choice(("MRN", "Chart no.", "Account #"))),
            [str(vals.randint(100000, 9999999))],
        )
        phone = self.shown("phone_number")
        work = (self.plain("Work phone"), [values.phone(vals)])
        left = [*self.shown("patient_name"), *self.shown("birth_date"), age, sex]
        right = [mrn, *phone] + ([work] if rng.random() < 0.5 else [])
        self.pairs([left, right])
        self.pairs([self.shown("address")])
        vitals = [*self.shown("height"), *self.shown("weight")]
        if vitals:
            bmi = (self.plain("BMI"), [f"{vals.uniform(17, 38):.1f}"])
            self.pairs([vitals, [bmi]] if rng.random() < 0.6 else [vitals])

    def emergency(self) -> None:
        self.heading("emergency")
        relationship = (self.plain("Relationship"), [content(self.rng).choice(pd.RELATIONSHIPS)])
        self.pairs(
            [
                [*self.shown("emergency_contact_name", True), relationship],
                self.shown("emergency_contact_phone", True),
            ]
        )

    def insurance(self) -> None:
        vals = content(self.rng)
        self.heading("insurance")
        group = (self.plain(self.rng.choice(("Group #", "Group no."))), [str(vals.randint(10000, 999999))])
        effective = (self.plain("Effective date"), [values.date_text(vals, 2012, 2020)])
        left = [
            *self.shown("has_medical_insurance"),
            *self.shown("insurance_company"),
            *self.shown("policy_number"),
        ]
        right = [group, effective, *self.shown("insurance_expiry")]
        self.pairs([left, right])

    def immunizations(self) -> None:
        rng, page = self.rng, self.page
        self.heading("history")
        rows = [
            (rng.choice(VACCINES[name]), self.lines(name)) for name in VACCINES if self.record.shown(name)
        ]
        if rng.random() < 0.5:
            self.pairs([[(self.plain(vaccine), lines) for vaccine, lines in rows]])
            return
        # A ruled two-column table: Vaccine | Status.
        x_mid = self.left + (self.right - self.left) // 3
        x_end = self.left + 2 * (self.right - self.left) // 3
        row_h = round(self.line * 1.4)
        top = self.y - self.label.size - page.px(0.08)
        page.text(self.left + page.px(0.08), self.y, "Vaccine", self.label)
        page.text(x_mid + page.px(0.08), self.y, "Status", self.label)
        for index, (vaccine, lines) in enumerate(rows, 1):
            y = self.y + index * row_h
            page.text(self.left + page.px(0.08), y, vaccine, self.label)
            page.text(x_mid + page.px(0.08), y, lines[0] if lines else "", self.value)
        bottom = top + (len(rows) + 1) * row_h
        for k in range(len(rows) + 2):
            page.rule(self.left, x_end, top + k * row_h, 0.6)
        for x in (self.left, x_mid, x_end):
            rx.vline(page, x, top, bottom, 0.6)
        self.y = bottom + self.label.size + page.px(0.25)

    def lists(self) -> None:
        """The three lists under their titles, on a page of their own when they would not fit."""
        rng = self.rng
        names = ("medical_problems", "allergies", "regular_medications")
        needed = sum(len(self.lines(name)) + 2 for name in names) * self.line
        if self.y + needed > self.page.image.height - self.page.px(1.0):
            self.pages.append(Page(self.page.dpi, self.page.style))
            self.page = self.pages[-1]
            self.y = self.page.px(0.9)
        page = self.page
        self.heading("lists")
        bullet = rng.choice(BULLETS)
        title_font = page.font(bold=True, scale=0.95, family=page.style.label)
        for name in names:
            page.text(self.left, self.y, self.plain(rng.choice(LIST_TITLES[name])), title_font)
            self.y += self.line
            for line in self.lines(name):
                x = self.left + page.px(0.25)
                if bullet:
                    page.text(x, self.y, bullet, self.label)
                    x += page.px(0.2)
                page.text(x, self.y, line, page.fit(line, self.value, self.right - x))
                self.y += self.line
            self.y += page.px(0.12)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    sheet = Sheet(rng, dpi)
    sheet.header()
    sheet.demographics()
    order = [sheet.emergency, sheet.insurance]
    if rng.random() < 0.5:
        order.reverse()
    for section in order:
        section()
    sheet.immunizations()
    sheet.lists()
    for number, page in enumerate(sheet.pages, 1):
        small = page.font(bold=False, scale=0.7, family=page.style.label)
        footer = f"Page {number} of {len(sheet.pages)}"
        page.text(sheet.right, page.image.height - page.px(0.45), footer, small, "right")
    return sheet.record.truth, [page.image for page in sheet.pages]
