"""Layout 1: a one-page prescription (header, Name/Date/Address rows, Rx, medicines, directions, refills)."""

from __future__ import annotations

import random

from PIL import Image

from docgen import fonts, values
from docgen.canvas import Page, pick_style
from docgen.content import content

FIELDS = (
    "prescriber",
    "patient_name",
    "prescription_date",
    "patient_address",
    "medicines",
    "directions",
    "refills",
)


def make_truth(rng: random.Random) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Random field values (truth, multi-line fields joined by newline) and the printed lines of each."""
    rng = content(rng)
    meds = values.medicines(rng, rng.randint(1, 3))
    lines = {
        "prescriber": [values.prescriber(rng)],
        "patient_name": [values.person_name(rng)],
        "prescription_date": [values.date_text(rng, 2015, 2025)],
        "patient_address": [values.one_line_address(rng)],
        "medicines": [text for _name, text in meds],
        "directions": values.directions(rng, meds, rng.randint(max(1, len(meds)), 4)),
        "refills": [str(rng.choice((0, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12)))],
    }
    return {k: "\n".join(v) for k, v in lines.items()}, lines


def _header(page: Page, rng: random.Random, prescriber: str) -> int:
    """Three centred lines (prescriber, street, city and phone); returns the baseline below them."""
    font = page.font(bold=rng.random() < 0.3, family=page.style.label)
    street = values.street(rng) + rng.choice((",", ""))
    city = rng.choice(values.CITIES)[0]
    contact = f"{city}{rng.choice(('.', ','))} Phone {values.phone(rng)}"
    y = page.px(rng.uniform(0.7, 1.0))
    cx = page.image.width // 2
    for line in (prescriber, street, contact):
        page.text(cx, y, line, page.fit(line, font, page.px(6.5)), align="center")
        y += page.line_step(font)
    return y


def _one(lines: dict[str, list[str]], name: str) -> str:
    """The single printed line of a one-line field ("" when the field is left blank)."""
    return lines[name][0] if lines[name] else ""


def _underlined(page: Page, x: int, y: int, x_end: int, text: str) -> None:
    """A value written on an underline that runs from x to x_end."""
    font = page.fit(text, page.font(bold=False), x_end - x - page.px(0.1))
    page.text(x + page.px(0.08), y, text, font)
    page.rule(x, x_end, y + page.underline_gap(font), 0.6)


def _patient_rows(page: Page, y: int, lines: dict[str, list[str]]) -> int:
    """'Name: ____ Date: ____' and 'Address: ____'; returns the baseline below them."""
    label = page.font(bold=True)
    left, right = page.px(1.0), page.image.width - page.px(1.0)
    date_text = _one(lines, "prescription_date")
    date_w = max(page.px(1.3), page.width(date_text, page.font(bold=False)) + page.px(0.25))
    date_x = right - date_w
    date_label_x = date_x - page.width("Date: ", label)
    name_x = left + page.text(left, y, "Name: ", label)
    _underlined(page, name_x, y, date_label_x - page.px(0.3), _one(lines, "patient_name"))
    page.text(date_label_x, y, "Date: ", label)
    _underlined(page, date_x, y, right, date_text)
    y += page.px(0.55)
    addr_x = left + page.text(left, y, "Address: ", label)
    _underlined(page, addr_x, y, right, _one(lines, "patient_address"))
    return y + page.px(0.5)


def _rx(page: Page, x: int, y: int, rng: random.Random) -> int:
    """The Rx mark: a big serif R with a smaller x over its leg; returns the baseline below it."""
    big = fonts.load(fonts.rx_font_path(), round(page.dpi * rng.uniform(0.45, 0.6)))
    y += big.size
    page.text(x, y, "R", big)
    small = fonts.load(big.path, round(big.size * 0.7))
    page.text(x + round(big.getlength("R") * 0.55), y + round(big.size * 0.2), "x", small)
    return y + round(big.size * 0.5)


def _refill(page: Page, y: int, refills: str) -> None:
    """'Refill: _2_ times' at the bottom right, the count written on a short underline."""
    label = page.font(bold=True)
    value = page.font(bold=False)
    slot = page.width(refills, value) + page.px(0.35)
    right = page.image.width - page.px(0.9)
    times_x = right - page.width("times", label)
    slot_x = times_x - page.px(0.08) - slot
    label_x = slot_x - page.px(0.05) - page.width("Refill:", label)
    page.text(label_x, y, "Refill:", label)
    page.text(slot_x + slot // 2, y, refills, value, align="center")
    page.rule(slot_x, slot_x + slot, y + page.underline_gap(value) // 2, 0.6)
    page.text(times_x, y, "times", label)


def render(rng: random.Random, dpi: int, truth_lines: dict[str, list[str]]) -> list[Image.Image]:
    """Draw the prescription whose printed lines are `truth_lines`; returns its one page."""
    page = Page(dpi, pick_style(rng, prefer="Comic Neue", prefer_weight=0.4))
    y = _header(page, rng, _one(truth_lines, "prescriber")) + page.px(rng.uniform(0.5, 0.9))
    y = _patient_rows(page, y, truth_lines)
    y = _rx(page, page.px(rng.uniform(0.9, 1.2)), y, rng)
    indent = page.px(rng.uniform(1.5, 1.9))
    width = page.image.width - indent - page.px(0.8)
    body = page.font(bold=False)
    y = page.lines(indent, y + page.px(0.2), truth_lines["medicines"], body, width) + page.px(0.35)
    page.text(indent, y, "Directions:", page.font(bold=rng.random() < 0.5, family=page.style.label))
    y = page.lines(indent, y + page.px(0.45), truth_lines["directions"], body, width)
    bottom = page.image.height - page.px(rng.uniform(1.0, 1.6))
    _refill(page, max(bottom, y + page.px(0.6)), _one(truth_lines, "refills"))
    return [page.image]
