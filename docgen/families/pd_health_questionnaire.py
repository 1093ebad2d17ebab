"""A health questionnaire: the patient's details written on underlines that follow their labels
on the same line, several to a line ("Name ________  DOB ______  Phone ________"); then a ruled
table of conditions, two groups side by side (Condition | Yes | No), answered with a mark in a
box or straight in the cell; chickenpox and measles are rows of that table; the other answers
are Yes / No boxes after a question; current medications on numbered underlines.

Truth conventions: chickenpox and measles answered Yes in the table are IMMUNE, No NOT IMMUNE;
the medical problems are the other conditions answered Yes, one per line, row by row and left to
right within a row ("" when none is).
"""

from __future__ import annotations

import itertools
import random

from PIL import Image

from docgen.canvas import Page, pick_style
from docgen.families import _pd_common as pd

FAMILY = "pd_health_questionnaire"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "questionnaire: labels followed by underlined values several to a line, a two-group "
    "Condition | Yes | No table, numbered medication lines"
)

TABLE_PROMPTS = (
    "Have you ever had any of the following?",
    "Do you have, or have you ever had:",
    "PAST MEDICAL HISTORY - please answer every line",
    "Medical history (mark Yes or No)",
)
CONDITION_HEADERS = ("Condition", "Illness", "Have you had", "CONDITION")
MEDICATION_PROMPTS = (
    "Current medications (name, strength, how often)",
    "List all medicines you take regularly",
    "Medications you are taking now",
    "Regular medications",
)
# Rows every table prints besides the patient's own conditions: answered No unless ticked.
FILLER_CONDITIONS = ("Tuberculosis", "Stroke", "Kidney disease", "Cancer", "Epilepsy", "Glaucoma")


class Sheet:
    """One page drawn top to bottom, with the fonts and spacing of this form."""

    def __init__(self, rng: random.Random, dpi: int) -> None:
        self.rng = rng
        self.page = Page(dpi, pick_style(rng))
        p = self.page
        self.left = p.px(rng.uniform(0.5, 0.8))
        self.right = p.image.width - p.px(rng.uniform(0.5, 0.8))
        self.label_font = p.font(
            bold=rng.random() < 0.35, scale=rng.uniform(0.82, 0.95), family=p.style.label
        )
        self.value_font = p.font(bold=False, scale=rng.uniform(0.95, 1.05))
        self.step = round(p.line_step(self.value_font) * rng.uniform(1.3, 1.6))
        self.colon = rng.random() < 0.6
        self.upper = rng.random() < 0.25
        self.mark = rng.choice(("tick", "cross", "fill"))
        self.y = p.px(rng.uniform(0.5, 0.8))

    def caption(self, text: str) -> str:
        text = pd.with_colon(text, self.colon)
        return text.upper() if self.upper else text

    def inline_row(self, items: list[tuple[str, str, float]]) -> None:
        """Labels each followed by an underline holding the value, side by side on one line; the
        float is the share of the row's width an item's underline asks for. Items that do not
        fit with room to write go on the next line."""
        p, gap = self.page, self.page.px(0.25)
        room = self.right - self.left
        needs = [
            p.width(text, self.label_font) + max(p.width(value, self.value_font), p.px(0.8)) + p.px(0.4)
            for text, value, _share in items
        ]
        cut = next((k for k in range(1, len(items)) if sum(needs[: k + 1]) + gap * k > room), len(items))
        row, rest = items[:cut], items[cut:]
        spare = room - sum(needs[:cut]) - gap * (cut - 1)
        total = sum(share for _, _, share in row)
        x = float(self.left)
        for (text, value, share), need in zip(row, needs, strict=False):
            end = x + need + spare * share / total
            w = p.text(round(x), self.y, text, self.label_font)
            start = round(x) + w + p.px(0.08)
            p.rule(start, round(end), self.y + p.underline_gap(self.label_font), 0.6)
            if value:
                font = p.fit(value, self.value_font, round(end) - start - p.px(0.1))
                p.text(start + p.px(0.08), self.y - p.px(0.02), value, font)
            x = end + gap
        self.y += self.step
        if rest:
            self.inline_row(rest)

    def heading(self, text: str) -> None:
        p = self.page
        self.y += self.step // 4
        font = p.font(bold=True, scale=1.05, family=p.style.label)
        if self.rng.random() < 0.4:
            pd.shade(p, self.left, self.y - font.size, self.right, self.y + p.px(0.06), 215)
        p.text(self.left, self.y, text.upper() if self.rng.random() < 0.6 else text, font)
        self.y += round(self.step * 1.05)


def _header(sheet: Sheet, record: pd.Record) -> None:
    p, rng = sheet.page, sheet.rng
    p.text(sheet.left, sheet.y, pd.clinic_name(rng), p.font(bold=True, scale=rng.uniform(1.3, 1.7)))
    sheet.y += round(sheet.step * 0.8)
    p.text(sheet.left, sheet.y, pd.clinic_contact(rng), p.font(bold=False, scale=0.78, family=p.style.label))
    sheet.y += round(sheet.step * 1.1)
    title = rng.choice(("Patient Health Questionnaire", "Medical History Form", "Health History"))
    p.text(sheet.left, sheet.y, title.upper(), p.font(bold=True, scale=1.2, family=p.style.label))
    if record.shown("record_date"):
        text = sheet.caption(pd.label(rng, "record_date"))
        font, value = sheet.label_font, record.truth["record_date"]
        x = sheet.right - p.px(2.4)
        w = p.text(x, sheet.y, text, font)
        p.rule(x + w + p.px(0.08), sheet.right, sheet.y + p.underline_gap(font), 0.6)
        if value:
            p.text(x + w + p.px(0.15), sheet.y - p.px(0.02), value, p.fit(value, sheet.value_font, p.px(1.3)))
    sheet.y += round(sheet.step * 1.2)


def _details(sheet: Sheet, record: pd.Record) -> None:
    """Name, birth date, phone, address, weight, height, emergency contact and insurer, inline."""
    rng, t = sheet.rng, record.truth
    sheet.heading(rng.choice(pd.SECTION_TITLES["patient"]))

    def item(name: str, share: float) -> list[tuple[str, str, float]]:
        if not record.shown(name):
            return []
        text = sheet.caption(pd.label(rng, name))
        return [(text, " ".join(pd.measure_lines(rng, name, text, record.lines[name])), share)]

    sheet.inline_row(item("patient_name", 0.55) + item("birth_date", 0.45))
    address = ", ".join(record.lines["address"])
    sheet.inline_row([(sheet.caption(pd.label(rng, "address")), address, 1.0)])
    extra = pd.extras(rng, record)[0]
    row = [*item("phone_number", 0.45), (sheet.caption(extra[0]), extra[1], 0.55)]
    sheet.inline_row(row)
    body = item("weight", 0.5) + item("height", 0.5)
    if body:
        sheet.inline_row([(text, value, 1 / len(body)) for text, value, _ in body])
    contact = item("emergency_contact_name", 0.45)
    if contact:
        relation = (
            sheet.caption("Relationship"),
            rng.choice(pd.RELATIONSHIPS) if t["emergency_contact_name"] else "",
            0.2,
        )
        sheet.inline_row([*contact, relation, *item("emergency_contact_phone", 0.35)])
    elif record.shown("emergency_contact_phone"):
        sheet.inline_row(item("emergency_contact_phone", 1.0))


def _question(sheet: Sheet, name: str, answer: str) -> None:
    """A yes/no question on its own line, `answer` marked in the boxes after it."""
    p = sheet.page
    text = pd.label(sheet.rng, name)
    w = p.text(sheet.left, sheet.y, text, sheet.label_font)
    words = pd.answer_options(sheet.rng, name)
    chosen = pd.chosen_index(name, answer)
    pd.options(p, sheet.left + w + p.px(0.3), sheet.y, words, chosen, sheet.label_font, "box", sheet.mark)
    sheet.y += sheet.step


def _insurance(sheet: Sheet, record: pd.Record) -> None:
    rng = sheet.rng
    sheet.heading(rng.choice(pd.SECTION_TITLES["insurance"]))
    _question(sheet, "has_medical_insurance", record.truth["has_medical_insurance"])
    items = []
    for name, share in (("insurance_company", 0.45), ("policy_number", 0.3), ("insurance_expiry", 0.25)):
        if record.shown(name):
            items.append((sheet.caption(pd.label(rng, name)), record.truth[name], share))
    total = sum(share for _, _, share in items)
    sheet.inline_row([(text, value, share / total) for text, value, share in items])


def _mark_cell(sheet: Sheet, x0: int, x1: int, baseline: int, boxed: bool) -> None:
    p, size = sheet.page, round(sheet.label_font.size * 0.8)
    x = (x0 + x1 - size) // 2
    if boxed:
        pd.checkbox(p, x, baseline, size, sheet.mark)
        return
    # A mark written straight in the cell, as patients do on forms without boxes.
    ink, width = p.style.ink, pd.thickness(p, 1.5)
    if sheet.mark == "cross":
        p.draw.line((x, baseline - size, x + size, baseline), fill=ink, width=width)
        p.draw.line((x, baseline, x + size, baseline - size), fill=ink, width=width)
    else:
        p.draw.line((x, baseline - size // 2, x + size // 3, baseline), fill=ink, width=width)
        p.draw.line((x + size // 3, baseline, x + size, baseline - size - size // 3), fill=ink, width=width)


def _conditions(sheet: Sheet, record: pd.Record) -> None:
    """The Condition | Yes | No table, two groups side by side; sets the medical problems' truth."""
    rng, p, t = sheet.rng, sheet.page, record.truth
    sheet.heading(rng.choice(pd.SECTION_TITLES["history"]))
    p.text(sheet.left, sheet.y, rng.choice(TABLE_PROMPTS), sheet.label_font)
    sheet.y += round(sheet.step * 0.6)
    rows: list[tuple[str, str | None]] = []  # (printed condition, field it answers or None)
    for name in ("chickenpox", "measles"):
        if record.shown(name):
            rows.append((pd.label(rng, name), name))
    wanted = rng.randint(6, 12) - len(rows)
    pool = [c for c in pd.CHECKLIST_CONDITIONS + FILLER_CONDITIONS if "pox" not in c.lower()]
    rows += [(c, None) for c in rng.sample(sorted(set(pool)), wanted)]
    rng.shuffle(rows)
    count = rng.choice((1, 1, 2, 3)) if t["medical_problems"] and record.shown("medical_problems") else 0
    ticked = set(rng.sample([i for i, (_, f) in enumerate(rows) if f is None], count))
    answer_all = rng.random() < 0.7
    boxed = rng.random() < 0.6
    groups = 2
    height = round(sheet.label_font.size * rng.uniform(1.8, 2.2))
    top = sheet.y
    group_w = (sheet.right - sheet.left) // groups
    head = p.font(bold=True, scale=0.85, family=p.style.label)
    header = rng.choice(CONDITION_HEADERS)
    cell_font = p.fit("Chicken Pox (Varicella)", sheet.label_font, round(group_w * 0.62))
    nrows = -(-len(rows) // groups)
    for g in range(groups):
        x0 = sheet.left + g * group_w
        cols = (x0, x0 + round(group_w * 0.66), x0 + round(group_w * 0.83), x0 + group_w)
        base = top + height - height // 3
        for text, (a, b) in zip((header, "Yes", "No"), itertools.pairwise(cols), strict=True):
            p.text(a + p.px(0.06), base, text, p.fit(text, head, b - a - p.px(0.1)))
        for x in cols:
            pd.vrule(p, min(x, sheet.right - 2), top, top + height * (nrows + 1), 0.6)
    for r in range(nrows + 2):
        p.rule(sheet.left, sheet.right, top + r * height, 0.6 if r else 1.0)
    answers: list[str] = []
    for index, (text, name) in enumerate(rows):
        r, g = divmod(index, groups)
        x0 = sheet.left + g * group_w
        base = top + (r + 2) * height - height // 3
        p.text(x0 + p.px(0.08), base, text, cell_font)
        if name is not None:
            chosen = pd.chosen_index(name, t[name])
            if chosen is None:
                continue
        elif index in ticked:
            chosen = 0
            answers.append(text)
        else:
            chosen = 1 if answer_all else None
            if chosen is None:
                continue
        a = x0 + round(group_w * (0.66 if chosen == 0 else 0.83))
        b = x0 + round(group_w * (0.83 if chosen == 0 else 1.0))
        _mark_cell(sheet, a, b, base, boxed)
    t["medical_problems"] = "\n".join(answers)
    sheet.y = top + (nrows + 1) * height + round(sheet.step * 0.9)


def _lists(sheet: Sheet, record: pd.Record) -> None:
    """Hepatitis B and allergies as questions or underlines; medications on numbered underlines."""
    rng, p, t = sheet.rng, sheet.page, record.truth
    _question(sheet, "hepatitis_b_vaccination", t["hepatitis_b_vaccination"])
    allergies = ", ".join(record.lines["allergies"])
    t["allergies"] = allergies
    sheet.inline_row([(sheet.caption(pd.label(rng, "allergies")), allergies, 1.0)])
    p.text(sheet.left, sheet.y, sheet.caption(rng.choice(MEDICATION_PROMPTS)), sheet.label_font)
    sheet.y += round(sheet.step * 0.9)
    medicines = record.lines["regular_medications"]
    for number in range(1, max(3, len(medicines) + 1) + 1):
        value = medicines[number - 1] if number <= len(medicines) else ""
        w = p.text(sheet.left + p.px(0.1), sheet.y, f"{number}.", sheet.label_font)
        x = sheet.left + p.px(0.2) + w
        p.rule(
            x,
            sheet.left + round((sheet.right - sheet.left) * 0.7),
            sheet.y + p.underline_gap(sheet.label_font),
            0.6,
        )
        if value:
            p.text(x + p.px(0.1), sheet.y - p.px(0.02), value, sheet.value_font)
        sheet.y += round(sheet.step * 0.95)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    record = pd.make_record(rng)
    sheet = Sheet(rng, dpi)
    _header(sheet, record)
    _details(sheet, record)
    if rng.random() < 0.5:
        _insurance(sheet, record)
        _conditions(sheet, record)
    else:
        _conditions(sheet, record)
        _insurance(sheet, record)
    _lists(sheet, record)
    record.truth["address"] = ", ".join(record.lines["address"])
    return record.truth, [sheet.page.image]
