"""A registration form of a clinic outside the United States (Canada, India, South Africa,
Singapore, the Philippines, Kenya): local names, phone numbers (now and then with the country
code), addresses and date styles, on one of three layouts:

- "table": a ruled table of label and value cells, one or two pairs a row, sections as shaded
  full-width rows;
- "dotted": each label followed by a dotted leader the value is written on;
- "inline": "Label: value" pairs, one or two a row, with no rules.

Yes/no and immunity questions are answered by ringing an option, by striking out the options
that do not apply ("delete as applicable"), by writing the answer on the line, or (tables) by a
tick in the option's cell. The form's date may stand at its foot beside the signature. Now and
then a second phone (work, office) is printed that is no field.
"""

from __future__ import annotations

import random

from PIL import Image, ImageFont

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.content import content
from docgen.families import _pd_common as pd
from docgen.families import _world as world

FAMILY = "pd_world_registration"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "registration form of a clinic abroad: local values; ruled table, dotted leaders or inline pairs"
)

WRITTEN_ANSWERS = {"Yes": "Yes", "No": "No", pd.IMMUNE: "Immune", pd.NOT_IMMUNE: "Not immune"}
LONG = ("address", "medical_problems", "allergies", "regular_medications", "insurance_company")


def _localise(rng: random.Random, form_rng: random.Random, region: world.Region, record: pd.Record) -> None:
    """Replace the record's US values by the region's, keeping every blank and omission."""
    styles = [form_rng.choice(region.date_styles) for _ in range(2)]
    new = {
        "patient_name": [world.person(rng, region)],
        "emergency_contact_name": [world.person(rng, region)],
        "phone_number": [world.phone(rng, region, mobile=rng.random() < 0.7)],
        "emergency_contact_phone": [world.phone(rng, region, mobile=rng.random() < 0.7)],
        "address": world.address_lines(rng, region),
        "insurance_company": [rng.choice(region.insurers)],
        "policy_number": [world.policy_number(rng, region)],
        "birth_date": [world.format_date(values.random_date(rng, 1935, 2010), styles[0])],
        "record_date": [world.format_date(values.random_date(rng, 2018, 2026), styles[1])],
        "insurance_expiry": [world.format_date(values.random_date(rng, 2026, 2029), styles[1])],
    }
    if new["phone_number"] == new["emergency_contact_phone"]:
        new["emergency_contact_phone"] = []
    for name, lines in new.items():
        if record.lines[name]:
            record.lines[name] = lines
            record.truth[name] = "\n".join(lines)


def tick(page: Page, x: int, baseline: int, size: int) -> None:
    """A hand tick with no box around it, its foot on `baseline`."""
    width = pd.thickness(page, 1.4)
    foot = (x + size // 3, baseline)
    page.draw.line((x, baseline - size // 2, *foot), fill=page.style.ink, width=width)
    page.draw.line((*foot, x + size, baseline - size), fill=page.style.ink, width=width)


def dotted_leader(page: Page, x0: int, x1: int, y: int) -> None:
    """A row of dots from x0 to x1 with their bottoms on y."""
    dot = max(2, page.px(0.012))
    for x in range(x0, x1 - dot, max(dot * 3, page.px(0.05))):
        page.draw.rectangle((x, y - dot + 1, x + dot - 1, y), fill=page.style.ink)


class Form:
    """One form being drawn: its layout choices and where the next row goes."""

    def __init__(self, rng: random.Random, dpi: int) -> None:
        self.rng = rng
        self.style = pick_style(rng)
        self.flow = pd.Flow(dpi, self.style, top=rng.uniform(0.5, 0.8), bottom=0.6)
        page = self.flow.page
        self.left = page.px(rng.uniform(0.6, 0.9))
        self.right = page.image.width - page.px(rng.uniform(0.6, 0.9))
        self.mode = rng.choice(("table", "dotted", "inline"))
        self.per_row = rng.choice((1, 2, 2))
        self.label_font = page.font(
            bold=rng.random() < 0.5, scale=rng.uniform(0.85, 1.0), family=self.style.label
        )
        self.value_font = page.font(bold=False, scale=rng.uniform(1.0, 1.1))
        self.step = round(page.line_step(self.value_font) * rng.uniform(1.0, 1.15))
        self.colon = rng.random() < 0.6
        self.upper = rng.random() < 0.2
        self.shaded = rng.random() < 0.5
        self.label_share = rng.uniform(0.34, 0.45)
        answers = ("circle", "strike", "written") + (("cells",) if self.mode == "table" else ())
        self.answer_style = rng.choice(answers)

    def label(self, name: str, in_section: bool = False) -> str:
        text = pd.label(self.rng, name, in_section)
        text = text.upper() if self.upper else text
        return pd.with_colon(text, self.colon and self.mode != "table")

    def pairs(self, items: list[tuple[str, list[str]]]) -> None:
        """Label/value pairs, `per_row` a row; a long value takes a row of its own."""
        row: list[tuple[str, list[str]]] = []
        for text, lines in items:
            if len(lines) > 1 or self.per_row == 1:
                if row:
                    self._row(row)
                    row = []
                self._row([(text, lines)])
                continue
            row.append((text, lines))
            if len(row) == self.per_row:
                self._row(row)
                row = []
        if row:
            self._row(row)

    def _row(self, row: list[tuple[str, list[str]]]) -> None:
        count = max(len(lines) or 1 for _, lines in row)
        pad = round(self.step * 0.35) if self.mode == "table" else 0
        height = count * self.step + 2 * pad
        self.flow.need(height + self.step)
        page = self.flow.page
        width = (self.right - self.left) / (len(row) if len(row) > 1 else 1)
        top = self.flow.y - round(self.step * 0.8)
        for index, (text, lines) in enumerate(row):
            x0 = round(self.left + index * width)
            x1 = round(self.left + (index + 1) * width)
            self._pair(page, x0, x1, top, top + height, text, lines, pad)
        self.flow.y = top + height + round(self.step * (0.8 if self.mode == "table" else 1.25))

    def _pair(
        self, page: Page, x0: int, x1: int, top: int, bottom: int, text: str, lines: list[str], pad: int
    ) -> None:
        share = self.label_share if self.mode == "table" else 0.6
        label_font = page.fit(text, self.label_font, round((x1 - x0) * share) - page.px(0.1))
        first = top + pad + round(self.step * 0.8)
        if self.mode == "table":
            split = x0 + round((x1 - x0) * self.label_share)
            if self.shaded:
                pd.shade(page, x0, top, split, bottom, 228)
            pd.rect(page, x0, top, x1, bottom, 0.7)
            pd.vrule(page, split, top, bottom, 0.7)
            page.text(x0 + page.px(0.06), first, text, label_font)
            self._values(page, split + page.px(0.08), x1 - page.px(0.06), first, lines)
            return
        label_width = page.text(x0, first, text, label_font)
        if self.mode == "dotted":
            start = x0 + label_width + page.px(0.06)
            tab = max(start, x0 + round((x1 - x0) * self.label_share))
            for row, _ in enumerate(lines or [""]):
                y = first + row * self.step
                dotted_leader(page, start if row == 0 else tab, x1 - page.px(0.15), y + page.px(0.03))
            self._values(page, tab + page.px(0.05), x1 - page.px(0.15), first, lines)
            return
        start = x0 + label_width + page.width(" ", label_font) * 2
        self._values(page, start, x1 - page.px(0.1), first, lines)

    def _values(self, page: Page, x: int, x1: int, baseline: int, lines: list[str]) -> None:
        for row, line in enumerate(lines):
            page.text(x, baseline + row * self.step, line, page.fit(line, self.value_font, x1 - x))

    def heading(self, key: str) -> None:
        self.flow.need(self.step * 5)
        page = self.flow.page
        font = page.font(bold=True, scale=1.1)
        title = self.rng.choice(pd.SECTION_TITLES[key])
        self.flow.y += self.step // 3
        if self.mode == "table":
            top = self.flow.y - round(self.step * 0.9)
            pd.shade(page, self.left, top, self.right, top + round(self.step * 1.25), 205)
            page.text(self.left + page.px(0.08), self.flow.y, title.upper(), font)
            self.flow.y += round(self.step * 1.5)
            return
        page.text(self.left, self.flow.y, title.upper() if self.rng.random() < 0.5 else title, font)
        page.rule(self.left, self.right, self.flow.y + page.underline_gap(font), 1.0)
        self.flow.y += round(self.step * 1.5)

    def question(self, text: str, words: tuple[str, ...], chosen: int | None, truth: str) -> None:
        """One question answered in this form's answer style."""
        if self.answer_style == "written":
            self.pairs(
                [(pd.with_colon(text, self.mode != "table"), [WRITTEN_ANSWERS[truth]] if truth else [])]
            )
            return
        self.flow.need(self.step * 2)
        page = self.flow.page
        font = page.fit(text, self.label_font, round((self.right - self.left) * 0.55))
        y = self.flow.y
        width = page.text(self.left + page.px(0.06), y, text, font)
        x = max(self.left + width + page.px(0.4), self.left + round((self.right - self.left) * 0.58))
        option_font = page.font(bold=False, scale=0.95, family=self.style.label)
        if self.answer_style == "circle":
            pd.options(page, x, y, words, chosen, option_font, "circle", "")
        elif self.answer_style == "strike":
            self._struck(page, x, y, words, chosen, option_font)
        else:
            self._cells(page, x, y, words, chosen, option_font)
        self.flow.y += round(self.step * 1.45)

    def _struck(
        self,
        page: Page,
        x: int,
        y: int,
        words: tuple[str, ...],
        chosen: int | None,
        font: ImageFont.FreeTypeFont,
    ) -> None:
        """'Yes / No' with every option but the chosen one struck through (none when unanswered)."""
        middle = y - round(font.getmetrics()[0] * 0.35)
        for index, word in enumerate(words):
            width = page.text(x, y, word, font)
            if chosen is not None and index != chosen:
                page.draw.line(
                    (x - 2, middle, x + width + 2, middle), fill=page.style.ink, width=pd.thickness(page, 1.3)
                )
            x += width
            if index < len(words) - 1:
                x += page.text(x, y, " / ", font)

    def _cells(
        self,
        page: Page,
        x: int,
        y: int,
        words: tuple[str, ...],
        chosen: int | None,
        font: ImageFont.FreeTypeFont,
    ) -> None:
        """The options in ruled cells, the chosen one ticked after its word."""
        size = round(font.size * 0.8)
        cell = max(page.width(word, font) for word in words) + size + page.px(0.35)
        x = self.right - cell * len(words)
        top, bottom = y - round(self.step * 0.85), y + round(self.step * 0.4)
        for index, word in enumerate(words):
            x0 = x + index * cell
            pd.rect(page, x0, top, x0 + cell, bottom, 0.7)
            width = page.text(x0 + page.px(0.08), y, word, font)
            if index == chosen:
                tick(page, x0 + page.px(0.08) + width + page.px(0.12), y, size)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    region = world.pick_region(rng)
    record = pd.make_record(rng)
    values_rng = content(rng)
    _localise(values_rng, rng, region, record)
    lines = record.lines
    form = Form(rng, dpi)
    page = form.flow.page

    # Header: the clinic, its address and number (printed by the clinic: the form's stream), title.
    y = form.flow.y
    page.text(form.left, y, pd.clinic_name(rng), page.font(bold=True, scale=rng.uniform(1.3, 1.6)))
    y += round(form.step * 1.1)
    contact = (
        f"{', '.join(world.address_lines(rng, region))}  |  Tel {world.phone(rng, region, mobile=False)}"
    )
    page.text(
        form.left,
        y,
        contact,
        page.fit(contact, page.font(False, 0.8, form.style.label), form.right - form.left),
    )
    y += round(form.step * 1.5)
    page.text(form.right, y, rng.choice(pd.FORM_TITLES).upper(), page.font(bold=True, scale=1.2), "right")
    form.flow.y = y + round(form.step * 1.6)
    date_at_foot = rng.random() < 0.4
    if record.shown("record_date") and not date_at_foot:
        form.pairs([(form.label("record_date"), lines["record_date"])])

    def fields(names: list[str], in_section: bool = False) -> list[tuple[str, list[str]]]:
        shown = [n for n in names if record.shown(n)]
        return [(form.label(n, in_section), pd.measure_lines(rng, n, "", lines[n])) for n in shown]

    def answer(name: str) -> None:
        if not record.shown(name):
            return
        text = pd.label(rng, name)
        text = text.upper() if form.upper else text
        form.question(
            text, pd.answer_options(rng, name), pd.chosen_index(name, record.truth[name]), record.truth[name]
        )

    form.heading("patient")
    extra = [
        (pd.with_colon(lbl, form.colon and form.mode != "table"), [value])
        for lbl, value in pd.extras(rng, record)
    ]
    if rng.random() < 0.4:
        second = world.phone(values_rng, region, mobile=False)
        extra.append((rng.choice(("Work phone", "Office tel.", "Alternate no.")), [second]))
    form.pairs(fields(["patient_name", "birth_date", "phone_number", "weight", "height"]) + extra[:2])
    form.pairs(fields(["address"]))

    def emergency() -> None:
        form.heading("emergency")
        form.pairs(fields(["emergency_contact_name", "emergency_contact_phone"], in_section=True))

    def insurance() -> None:
        form.heading("insurance")
        answer("has_medical_insurance")
        form.pairs(fields(["insurance_company", "policy_number", "insurance_expiry"]))

    def history() -> None:
        form.heading("history")
        if form.answer_style == "strike" and rng.random() < 0.6:
            form.flow.page.text(
                form.left, form.flow.y, "(Delete as applicable)", page.font(False, 0.8, form.style.label)
            )
            form.flow.y += form.step
        for name in ("chickenpox", "measles", "hepatitis_b_vaccination"):
            answer(name)
        form.pairs(fields(["medical_problems", "allergies", "regular_medications"]))

    sections = [emergency, insurance, history]
    rng.shuffle(sections)
    for section in sections:
        section()
    if record.shown("record_date") and date_at_foot:
        form.flow.y += form.step
        form.flow.need(form.step * 2)
        foot = form.flow.page
        signature = rng.choice(("Signature of patient", "Patient's signature", "Signed"))
        width = foot.text(form.left, form.flow.y, signature + ":", form.label_font)
        foot.rule(
            form.left + width + foot.px(0.1),
            form.left + width + foot.px(2.4),
            form.flow.y + foot.px(0.04),
            0.6,
        )
        x = form.left + width + foot.px(2.8)
        width = foot.text(x, form.flow.y, form.label("record_date").rstrip(":") + ":", form.label_font)
        foot.text(x + width + foot.px(0.12), form.flow.y, lines["record_date"][0], form.value_font)
    return record.truth, form.flow.images()
