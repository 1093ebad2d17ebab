"""A registration sheet printed in landscape: three ruled panels side by side (the patient, the
emergency contact with the insurance, the medical history), each a stack of cells with a small
label in the cell's top-left corner and the value written inside the cell; the yes/no and
immunity answers are option boxes inside their cell; the history lists take taller cells.
"""

from __future__ import annotations

import random

from PIL import Image, ImageFont

from docgen.canvas import Page, pick_style
from docgen.families import _pd_common as pd

FAMILY = "pd_landscape_cells"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "landscape sheet: three ruled panels of cells, small label in each cell's corner, value inside, "
    "answers as option boxes in their cell"
)

LANDSCAPE_INCHES = (11.0, 8.5)
# The panels left to right: the patient (the form's date first), the emergency contact with
# the insurance, the medical history.
PANELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("patient", ("record_date", *pd.SECTION_FIELDS["patient"])),
    ("insurance", pd.SECTION_FIELDS["emergency"] + pd.SECTION_FIELDS["insurance"]),
    ("history", pd.SECTION_FIELDS["history"]),
)
# The middle panel holds the emergency contact ("Name", "Phone" inside it) and the insurance.
INSURANCE_PANEL_TITLES = (
    "Emergency Contact & Insurance",
    "Next of Kin / Insurance",
    "Emergency Contact and Insurance",
)
TALL = ("address", "medical_problems", "allergies", "regular_medications")
PAIRED = (("weight", "height"), ("policy_number", "insurance_expiry"))
CONSENT = (
    "I confirm that the information given above is correct to the best of my knowledge.",
    "Please tell the front desk if any of these details change.",
    "Signature of patient or guardian: ______________________",
)


class Sheet:
    def __init__(self, rng: random.Random, dpi: int) -> None:
        self.rng = rng
        self.page = Page(dpi, pick_style(rng), inches=LANDSCAPE_INCHES)
        p = self.page
        self.margin = p.px(rng.uniform(0.4, 0.6))
        self.small = p.font(bold=rng.random() < 0.5, scale=rng.uniform(0.62, 0.75), family=p.style.label)
        self.value_font = p.font(bold=False, scale=rng.uniform(0.9, 1.0))
        self.option_font = p.font(bold=False, scale=0.8, family=p.style.label)
        self.cell_h = round(self.small.size * 1.3 + self.value_font.size * rng.uniform(1.7, 2.6))
        self.line_h = round(p.line_step(self.value_font) * 1.05)
        self.upper = rng.random() < 0.4
        self.thick = rng.choice((0.6, 0.8, 1.0))
        self.mark = rng.choice(("tick", "cross", "fill"))

    def caption(self, name: str) -> str:
        text = pd.label(self.rng, name, in_section=name.startswith("emergency"))
        return text.upper() if self.upper else text


def _cell(sheet: Sheet, x0: int, x1: int, y0: int, name: str, record: pd.Record) -> int:
    """One cell of `name` from y0; returns its bottom."""
    p, rng = sheet.page, sheet.rng
    caption = sheet.caption(name)
    lines = pd.measure_lines(rng, name, caption, record.lines[name]) if name not in pd.ANSWER_FIELDS else []
    rows = max(1, len(lines)) if name not in TALL else max(2, len(lines))
    y1 = y0 + sheet.cell_h + (rows - 1) * sheet.line_h
    pd.rect(p, x0, y0, x1, y1, sheet.thick)
    pad = p.px(0.06)
    p.text(x0 + pad, y0 + pad + sheet.small.size, caption, p.fit(caption, sheet.small, x1 - x0 - 2 * pad))
    base = y0 + sheet.small.size + pad + round(sheet.value_font.size * 1.35)
    if name in pd.ANSWER_FIELDS:
        words = pd.answer_options(rng, name)
        chosen = pd.chosen_index(name, record.truth[name])
        pd.options(p, x0 + pad * 2, base, words, chosen, sheet.option_font, "box", sheet.mark)
        return y1
    for line in lines:
        font = p.fit(line, sheet.value_font, x1 - x0 - 4 * pad)
        p.text(x0 + pad * 3, base, line, font)
        base += sheet.line_h
    return y1


def _panel(
    sheet: Sheet, key: str, names: tuple[str, ...], x0: int, x1: int, y: int, record: pd.Record
) -> int:
    """One titled panel of cells from y; returns its bottom."""
    p, rng = sheet.page, sheet.rng
    title = rng.choice(pd.SECTION_TITLES[key] if key != "insurance" else INSURANCE_PANEL_TITLES)
    font = p.font(bold=True, scale=0.95, family=p.style.label)
    band = round(font.size * 1.6)
    pd.shade(p, x0, y, x1, y + band, rng.choice((200, 215, 230)))
    p.text(
        x0 + p.px(0.08),
        y + band - round(font.size * 0.45),
        title.upper(),
        p.fit(title.upper(), font, x1 - x0),
    )
    y += band
    shown = [name for name in names if record.shown(name)]
    index = 0
    while index < len(shown):
        name = shown[index]
        pair = next((b for a, b in PAIRED if a == name and b in shown), None)
        if pair and rng.random() < 0.8:
            mid = (x0 + x1) // 2
            bottom = max(_cell(sheet, x0, mid, y, name, record), _cell(sheet, mid, x1, y, pair, record))
            shown.remove(pair)
        else:
            bottom = _cell(sheet, x0, x1, y, name, record)
        y = bottom
        index += 1
    return y


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    record = pd.make_record(rng, omit_rate=0.4, max_omitted=1)
    sheet = Sheet(rng, dpi)
    p = sheet.page
    left, right = sheet.margin, p.image.width - sheet.margin
    y = sheet.margin + p.px(0.3)
    name_font: ImageFont.FreeTypeFont = p.font(bold=True, scale=rng.uniform(1.2, 1.5))
    p.text(left, y, pd.clinic_name(rng), name_font)
    title = rng.choice(pd.FORM_TITLES).upper()
    p.text(right, y, title, p.font(bold=True, scale=1.05, family=p.style.label), "right")
    y += round(name_font.size * 0.9)
    p.text(left, y, pd.clinic_contact(rng), p.font(bold=False, scale=0.72, family=p.style.label))
    y += p.px(0.25)
    gutter = p.px(rng.uniform(0.12, 0.25))
    width = (right - left - 2 * gutter) // 3
    panels = list(PANELS)
    if rng.random() < 0.3:
        panels[0], panels[1] = panels[1], panels[0]
    bottom = y
    for index, (key, names) in enumerate(panels):
        x0 = left + index * (width + gutter)
        bottom = max(bottom, _panel(sheet, key, names, x0, x0 + width, y, record))
    if rng.random() < 0.6:
        p.text(
            left,
            bottom + p.px(0.45),
            rng.choice(CONSENT),
            p.font(bold=False, scale=0.8, family=p.style.label),
        )
    for name in ("address", "allergies", "medical_problems", "regular_medications"):
        record.truth[name] = "\n".join(record.lines[name])
    return record.truth, [p.image]
