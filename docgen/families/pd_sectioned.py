"""A two-page record in ruled sections: labels above values in two or three columns; page two holds
the medical history and the insurance."""

from __future__ import annotations

import random

from PIL import Image

from docgen.canvas import Page, pick_style
from docgen.families import _pd_common as pd

FAMILY = "pd_sectioned"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "two pages of ruled sections, labels above values in 2-3 columns, history and insurance on page 2"
)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    record = pd.make_record(rng)
    t = record.lines
    style = pick_style(rng)
    first, second = Page(dpi, style), Page(dpi, style)
    left = first.px(rng.uniform(0.6, 1.0))
    right = first.image.width - first.px(rng.uniform(0.6, 1.0))
    label_font = first.font(bold=True, scale=rng.uniform(0.8, 0.95))
    value_font = first.font(bold=False)
    head_font = first.font(bold=True, scale=rng.uniform(1.1, 1.3))
    step = first.line_step(value_font)
    ncols = rng.choice((2, 3))
    upper_labels = rng.random() < 0.35
    upper_heads = rng.random() < 0.5
    colon = rng.random() < 0.3
    rule_pt = rng.uniform(0.6, 1.4)
    head_rule_full = rng.random() < 0.7

    def lbl(text: str) -> str:
        text = pd.with_colon(text, colon)
        return text.upper() if upper_labels else text

    def heading(page: Page, y: int, key: str) -> int:
        title = rng.choice(pd.SECTION_TITLES[key])
        w = page.text(left, y, title.upper() if upper_heads else title, head_font)
        end = right if head_rule_full else left + w
        page.rule(left, end, y + page.underline_gap(head_font), rule_pt)
        return y + round(step * 1.7)

    def grid(page: Page, y: int, items: list[tuple[str, list[str]]]) -> int:
        """Label-above-value blocks, row by row across `ncols` columns; returns the y after them."""
        col_w = (right - left) // ncols
        for start in range(0, len(items), ncols):
            row_end = y
            for i, (text, lines) in enumerate(items[start : start + ncols]):
                x = left + i * col_w
                page.text(x, y, text, page.fit(text, label_font, col_w - page.px(0.15)))
                end = page.lines(x, y + round(step * 1.05), lines, value_font, col_w - page.px(0.15))
                row_end = max(row_end, end if lines else y + round(step * 2.05))
            y = row_end + round(step * 0.55)
        return y

    def items_of(names: list[str], in_section: bool = False) -> list[tuple[str, list[str]]]:
        out = []
        for name in names:
            if record.shown(name):
                text = lbl(pd.label(rng, name, in_section))
                out.append((text, pd.measure_lines(rng, name, text, t[name])))
        return out

    # Page one: header, date, patient and emergency contact.
    y = first.px(rng.uniform(0.6, 0.85))
    clinic = pd.clinic_name(rng)
    first.text(left, y, clinic, first.font(bold=True, scale=rng.uniform(1.3, 1.7)))
    date_top = record.shown("record_date") and rng.random() < 0.6
    if date_top:
        date_label = pd.with_colon(pd.label(rng, "record_date"), True)
        first.label_and_value(right, y, date_label, " ".join(t["record_date"]), value_font)
    y += round(step * 1.0)
    first.text(left, y, pd.clinic_contact(rng), first.font(False, 0.8, style.label))
    y += round(step * 1.8)
    first.text(first.image.width // 2, y, rng.choice(pd.FORM_TITLES), first.font(True, 1.4), "center")
    y += round(step * 1.8)

    y = heading(first, y, "patient")
    names = list(pd.SECTION_FIELDS["patient"])
    if record.shown("record_date") and not date_top:
        names.insert(0, "record_date")
    patient = items_of(names)
    extra = [(lbl(text), [value]) for text, value in pd.extras(rng, record)]
    at = rng.randint(2, len(patient))
    y = grid(first, y, patient[:at] + extra + patient[at:])
    y = heading(first, y + step, "emergency")
    emergency = items_of(["emergency_contact_name", "emergency_contact_phone"], in_section=True)
    if rng.random() < 0.6:
        emergency.append((lbl("Relationship"), [rng.choice(pd.RELATIONSHIPS)]))
    y = grid(first, y, emergency)
    if rng.random() < 0.5:
        first.text(left, y + step, rng.choice(pd.INSTRUCTIONS), first.font(False, 0.85, style.label))
    first.text(
        right,
        first.image.height - first.px(0.5),
        "Page 1 of 2",
        first.font(False, 0.75, style.label),
        "right",
    )

    # Page two: medical history and insurance, in either order.
    y = second.px(rng.uniform(0.6, 0.9))
    second.text(left, y, f"{clinic} - {rng.choice(('continued', 'page 2', 'cont.'))}", first.font(True, 0.9))
    y += round(step * 2.0)

    def history(y: int) -> int:
        y = heading(second, y, "history")
        answers = items_of(["chickenpox", "measles", "hepatitis_b_vaccination"])
        lists = items_of(["medical_problems", "allergies", "regular_medications"])
        y = grid(second, y, answers)
        return grid(second, y, lists) if rng.random() < 0.5 else grid_one(y, lists)

    def grid_one(y: int, items: list[tuple[str, list[str]]]) -> int:
        """Full-width blocks, for long answers."""
        for text, lines in items:
            second.text(left, y, text, label_font)
            y = second.lines(left, y + round(step * 1.05), lines, value_font, right - left)
            y += round(step * (0.55 if lines else 1.55))
        return y

    def insurance(y: int) -> int:
        y = heading(second, y, "insurance")
        return grid(second, y, items_of(list(pd.SECTION_FIELDS["insurance"])))

    parts = [history, insurance]
    rng.shuffle(parts)
    for part in parts:
        y = part(y) + step
    y += step
    w = second.text(left, y + step, rng.choice(("Signature", "Patient signature")), label_font)
    second.rule(left + w + second.px(0.1), left + w + second.px(2.6), y + step + second.px(0.03), 0.6)
    second.text(
        right,
        second.image.height - second.px(0.5),
        "Page 2 of 2",
        first.font(False, 0.75, style.label),
        "right",
    )
    return record.truth, [first.image, second.image]
