"""A US practice's new-patient packet: registration and health history on one or two pages.

What it brings: every field among the look-alikes such a packet asks for beside it. A
preferred pharmacy and a primary care physician with their own phone numbers, a work phone, an
age; a primary insurance with a group number and a subscriber (name and date of birth) and a
secondary insurance under it, filled in or left blank; a family history grid of conditions
ticked for mother, father or siblings; a surgical history table with years; current
medications and allergies in ruled tables with a second column (how often, the reaction) that
is no part of the value; tobacco and alcohol answered in yes/no boxes. Fields are written on
underlines after their labels, two or three to a row. Truth follows ``_pd_common.Record``.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from PIL import Image, ImageFont

from docgen import values
from docgen.content import content
from docgen.families import _pd_common as pd
from docgen.families import _rx_common as rx

FAMILY = "pd_new_patient_packet"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "US new-patient packet: fields on underlines two or three to a row among look-alikes (pharmacy "
    "and physician phones, work phone, age, group number, subscriber, a secondary insurance), a "
    "family history grid, surgical history, medications and allergies tables with a second column"
)

Font = ImageFont.FreeTypeFont

TITLES = (
    "New Patient Intake",
    "New Patient Registration and Health History",
    "NEW PATIENT PACKET",
    "Patient Registration Form",
    "Adult Patient Intake Form",
)
PHARMACY_NAMES = ("CVS Pharmacy", "Walgreens", "Rite Aid", "Kroger Pharmacy", "Costco Pharmacy", "Publix")
FAMILY_CONDITIONS = (
    "Diabetes",
    "Heart disease",
    "High blood pressure",
    "Cancer",
    "Stroke",
    "Asthma",
    "Depression",
    "High cholesterol",
)
RELATIVES = (("Mother", "Father", "Sibling"), ("Mother", "Father", "Brother/Sister", "Grandparent"))
SURGERIES = (
    "Appendectomy",
    "Tonsillectomy",
    "Knee arthroscopy",
    "Gallbladder removal",
    "C-section",
    "Hernia repair",
    "Cataract surgery",
)
HOW_OFTEN = ("daily", "twice daily", "as needed", "at bedtime", "weekly")
REACTIONS = ("Rash", "Hives", "Swelling", "Nausea", "Anaphylaxis", "Itching")
OPTION_FIELDS = ("chickenpox", "measles", "hepatitis_b_vaccination", "has_medical_insurance")


class Packet:
    """One packet: the record, the flowing pages and the fonts, drawn section by section."""

    def __init__(self, rng: random.Random, dpi: int) -> None:
        self.rng = rng
        self.record, self.flow = pd.flowing_form(rng, dpi)
        page = self.flow.page
        self.left = page.px(rng.uniform(0.6, 0.85))
        self.right = page.image.width - page.px(rng.uniform(0.6, 0.85))
        self.label = page.font(
            bold=rng.random() < 0.4, scale=rng.uniform(0.85, 0.95), family=page.style.label
        )
        self.value = page.font(bold=False)
        self.step = round(page.line_step(self.value) * rng.uniform(1.15, 1.35))
        self.colon = rng.random() < 0.6
        self.vals = content(rng)

    @property
    def page(self) -> pd.Page:
        return self.flow.page

    def text_label(self, text: str) -> str:
        return pd.with_colon(text, self.colon)

    def row(self, pairs: list[tuple[str, list[str]]]) -> None:
        """Labels with their values on underlines, side by side in shares of the row; a
        value of several lines goes on under its first, the row as deep as its deepest value."""
        pairs = [pair for pair in pairs if pair[0]]
        if not pairs:
            return
        if len(pairs) > 1 and sum(self.needs(pairs)) > self.right - self.left:
            # What does not fit on one row goes on two.
            half = (len(pairs) + 1) // 2
            self.row(pairs[:half])
            self.row(pairs[half:])
            return
        depth = max(len(lines) or 1 for _, lines in pairs)
        self.flow.need(self.step * (depth + 1))
        page, y = self.page, self.flow.y
        x = self.left
        for (label, lines), share in zip(pairs, self.shares(pairs), strict=True):
            end = x + share - page.px(0.2)
            start = x + page.text(x, y, self.text_label(label), self.label) + page.px(0.1)
            page.rule(start, end, y + page.underline_gap(self.value), 0.5)
            for k, line in enumerate(lines):
                page.text(
                    start + page.px(0.05), y + k * self.step, line, page.fit(line, self.value, end - start)
                )
            x += share
        self.flow.y = y + depth * self.step

    def needs(self, pairs: list[tuple[str, list[str]]]) -> list[int]:
        """The width each pair needs: its label, its longest line and a margin."""
        page = self.page
        return [
            page.width(self.text_label(label), self.label)
            + max((page.width(line, self.value) for line in lines), default=page.px(1.0))
            + page.px(0.6)
            for label, lines in pairs
        ]

    def shares(self, pairs: list[tuple[str, list[str]]]) -> list[int]:
        """The row's width shared among its pairs as each needs, what is left over shared alike
        (equal shares when a lone pair needs more than the row)."""
        room, needs = self.right - self.left, self.needs(pairs)
        if sum(needs) > room:
            return [room // len(pairs)] * len(pairs)
        spare = (room - sum(needs)) // len(pairs)
        return [need + spare for need in needs]

    def field(self, name: str, in_section: bool = False) -> list[tuple[str, list[str]]]:
        """The field's label and lines, or nothing when the form does not ask for it."""
        if not self.record.shown(name):
            return []
        text = pd.label(self.rng, name, in_section)
        return [(text, pd.measure_lines(self.rng, name, text, self.record.lines[name]))]

    def heading(self, text: str) -> None:
        self.flow.need(self.step * 4)
        font = self.page.font(bold=True, scale=1.05, family=self.page.style.label)
        self.flow.y += self.step // 2
        self.page.text(self.left, self.flow.y, text, font)
        self.page.rule(self.left, self.right, self.flow.y + self.page.px(0.07), 0.8)
        self.flow.y += round(self.step * 1.3)

    def answer(self, name: str, question: str | None = None, truth: str | None = None) -> None:
        """A question answered in boxes: a field's (its truth marked) or one of no field's."""
        if name and not self.record.shown(name):
            return
        self.flow.need(self.step * 2)
        page, y = self.page, self.flow.y
        label = question or pd.label(self.rng, name, True)
        x = self.left + page.text(self.left, y, self.text_label(label), self.label) + page.px(0.3)
        if name:
            words, chosen = pd.answer_options(self.rng, name), pd.chosen_index(name, self.record.truth[name])
        else:
            words = ("Yes", "No")
            chosen = None if truth is None else words.index(truth)
        if chosen is not None and chosen >= len(words):
            chosen = None
        pd.options(page, x, y, words, chosen, self.value, "box", self.rng.choice(("tick", "cross")))
        self.flow.y += self.step

    def table(
        self, title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]], blank_rows: int
    ) -> None:
        """A ruled table under its title: a header row, the rows written in, then empty rows."""
        page, rng = self.page, self.rng
        row_h = round(self.step * 1.1)
        count = len(rows) + blank_rows
        self.flow.need(row_h * (count + 3))
        page = self.page
        page.text(self.left, self.flow.y, self.text_label(title), self.label)
        self.flow.y += round(self.step * 0.6)
        first = 0.55 if len(columns) == 2 else 0.34
        widths = [first] + [(1 - first) / (len(columns) - 1)] * (len(columns) - 1)
        xs = [self.left]
        for share in widths:
            xs.append(xs[-1] + round(share * (self.right - self.left)))
        top = self.flow.y
        pad = page.px(0.08)
        header_base = top + row_h - pad
        for x, x_end, name in zip(xs, xs[1:], columns, strict=False):
            page.text(x + pad, header_base, name, page.fit(name, self.label, x_end - x - 2 * pad))
        for index in range(count):
            base = top + (index + 2) * row_h - pad
            cells = rows[index] if index < len(rows) else ()
            for x, x_end, cell in zip(xs, xs[1:], cells, strict=False):
                page.text(x + pad, base, cell, page.fit(cell, self.value, x_end - x - 2 * pad))
        bottom = top + (count + 1) * row_h
        for k in range(count + 2):
            page.rule(self.left, self.right, top + k * row_h, 0.6)
        for x in xs:
            rx.vline(page, min(x, self.right), top, bottom, 0.6)
        self.flow.y = bottom + round(self.step * (1.0 + 0.3 * rng.random()))

    def family_grid(self) -> None:
        """Conditions in rows, relatives in columns, a tick where a relative had it."""
        rng, vals = self.rng, self.vals
        relatives = rng.choice(RELATIVES)
        conditions = rng.sample(FAMILY_CONDITIONS, rng.randint(4, 6))
        rows = [
            (condition, *("X" if vals.random() < 0.25 else "" for _ in relatives)) for condition in conditions
        ]
        self.table(
            rng.choice(("Family history", "Family medical history")), ("Condition", *relatives), rows, 0
        )

    def header(
        self, titles: tuple[str, ...] = TITLES, clinic_name: Callable[[random.Random], str] = pd.clinic_name
    ) -> None:
        """The practice's name and contact, one of ``titles`` centred, and the form's date."""
        rng, page = self.rng, self.page
        big = page.font(bold=True, scale=rng.uniform(1.2, 1.5), family=page.style.label)
        small = page.font(bold=False, scale=0.8, family=page.style.label)
        page.text(self.left, self.flow.y, clinic_name(rng), big)
        self.flow.y += page.line_step(small) + big.size // 3
        page.text(self.left, self.flow.y, pd.clinic_contact(rng), small)
        self.flow.y += round(self.step * 1.4)
        title = page.font(bold=True, scale=1.2, family=page.style.label)
        page.text((self.left + self.right) // 2, self.flow.y, rng.choice(titles), title, "center")
        self.flow.y += round(self.step * 1.2)
        self.row(self.field("record_date"))

    def patient(self) -> None:
        rng, vals = self.rng, self.vals
        self.heading(rng.choice(pd.SECTION_TITLES["patient"]))
        age = [("Age", [str(vals.randint(18, 90))])] if rng.random() < 0.6 else []
        self.row([*self.field("patient_name"), *self.field("birth_date"), *age])
        self.row(self.field("address"))
        work = (
            [(rng.choice(("Work phone", "Employer phone")), [values.phone(vals)])]
            if rng.random() < 0.6
            else []
        )
        self.row([*self.field("phone_number"), *work])
        email = ("Email", [pd.email_for(vals, self.record.truth["patient_name"] or "jo doe")])
        self.row([*self.field("height"), *self.field("weight"), email])
        pharmacy = (rng.choice(("Preferred pharmacy", "Pharmacy")), [vals.choice(PHARMACY_NAMES)])
        pharmacy_phone = (rng.choice(("Pharmacy phone", "Pharmacy tel")), [values.phone(vals)])
        self.row([pharmacy, pharmacy_phone])
        if rng.random() < 0.7:
            doctor = (
                rng.choice(("Primary care physician", "Referring physician")),
                [values.prescriber(vals)],
            )
            self.row([doctor, ("Office phone", [values.phone(vals)])])

    def emergency(self) -> None:
        rng, vals = self.rng, self.vals
        self.heading(rng.choice(pd.SECTION_TITLES["emergency"]))
        relationship = ("Relationship", [vals.choice(pd.RELATIONSHIPS)])
        name, phone = self.field("emergency_contact_name", True), self.field("emergency_contact_phone", True)
        if rng.random() < 0.5:
            self.row([*name, relationship, *phone])
        else:
            self.row([*name, relationship])
            self.row(phone)

    def insurance(self) -> None:
        rng, vals = self.rng, self.vals
        self.heading(rng.choice(pd.SECTION_TITLES["insurance"]))
        if "has_medical_insurance" in self.record.truth:
            self.answer("has_medical_insurance")
        sub = self.page.font(bold=True, scale=0.95, family=self.page.style.label)
        self.flow.need(self.step * 5)
        self.page.text(self.left, self.flow.y, rng.choice(("Primary insurance", "PRIMARY INSURANCE")), sub)
        self.flow.y += self.step
        group = (rng.choice(("Group #", "Group number")), [str(vals.randint(10000, 999999))])
        self.row([*self.field("insurance_company"), *self.field("policy_number"), group])
        subscriber = self.record.truth["patient_name"] if rng.random() < 0.5 else values.person_name(vals)
        self.row(
            [("Subscriber name", [subscriber]), ("Subscriber DOB", [values.date_text(vals, 1940, 2000)])]
        )
        self.row(self.field("insurance_expiry"))
        self.flow.need(self.step * 4)
        self.page.text(
            self.left, self.flow.y, rng.choice(("Secondary insurance", "SECONDARY INSURANCE")), sub
        )
        self.flow.y += self.step
        filled = rng.random() < 0.5
        second = [values.insurance_company(vals)] if filled else []
        member = [values.policy_number(vals)] if filled else []
        self.row([(rng.choice(("Insurance company", "Carrier")), second), ("Member ID", member)])

    def history(self) -> None:
        rng, vals = self.rng, self.vals
        self.heading(rng.choice(pd.SECTION_TITLES["history"]))
        for name in ("chickenpox", "measles", "hepatitis_b_vaccination"):
            self.answer(name)
        self.row(self.field("medical_problems"))
        if rng.random() < 0.8:
            self.family_grid()
        surgeries = [(s, str(vals.randint(1985, 2022))) for s in vals.sample(SURGERIES, vals.randint(0, 2))]
        self.table(rng.choice(("Surgical history", "Past surgeries")), ("Surgery", "Year"), surgeries, 1)
        if self.record.shown("regular_medications"):
            rows = [(line, vals.choice(HOW_OFTEN)) for line in self.record.lines["regular_medications"]]
            title = pd.label(rng, "regular_medications")
            self.table(title, (rng.choice(("Medication and dose", "Medication")), "How often"), rows, 2)
        if self.record.shown("allergies"):
            lines = self.record.lines["allergies"]
            rows = [
                (line, "" if line in ("None", "No known allergies") else vals.choice(REACTIONS))
                for line in lines
            ]
            self.table(
                pd.label(rng, "allergies"), (rng.choice(("Allergy", "Allergic to")), "Reaction"), rows, 1
            )
        self.answer("", rng.choice(("Do you use tobacco?", "Tobacco use")), vals.choice(("Yes", "No")))
        self.answer("", rng.choice(("Do you drink alcohol?", "Alcohol use")), vals.choice(("Yes", "No")))

    def signature(self, caption: str = "Patient signature") -> None:
        self.flow.need(self.step * 3)
        self.flow.y += self.step
        page = self.page
        width = page.text(self.left, self.flow.y, caption, self.label)
        page.rule(
            self.left + width + page.px(0.1),
            self.left + width + page.px(2.6),
            self.flow.y + page.px(0.03),
            0.6,
        )


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    packet = Packet(rng, dpi)
    packet.header()
    packet.patient()
    sections = [packet.emergency, packet.insurance]
    rng.shuffle(sections)
    for section in sections:
        section()
    packet.history()
    packet.signature()
    return packet.record.truth, packet.flow.images()
