"""Shared pieces of the prescription families: values, label wordings, clinic names, boxes and ticks.

Every value comes from ``docgen.values``; the lists here are the printed matter around the values
(clinic names, headings, label variants) that each family picks from per document.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from PIL import ImageFont

from docgen import values
from docgen.canvas import Page
from docgen.content import content
from docgen.document import BLANK_RATE
from docgen.prescription import FIELDS

CLINIC_PLACES = (
    "Riverside",
    "Oakwood",
    "Lakeview",
    "Northgate",
    "Cedar Grove",
    "Maplewood",
    "Summit",
    "Harbor View",
    "Greenfield",
    "Westbrook",
    "Pinecrest",
    "Hillcrest",
    "Bayside",
    "Brookside",
    "Fairview",
    "Elmwood",
    "Silver Lake",
    "Meadowbrook",
)
CLINIC_KINDS = (
    "Family Clinic",
    "Medical Center",
    "Health Centre",
    "Family Practice",
    "Medical Group",
    "Community Health Center",
    "Primary Care",
    "Internal Medicine Associates",
    "Pediatrics",
    "Urgent Care",
    "Walk-in Clinic",
)
HOSPITAL_KINDS = (
    "General Hospital",
    "Memorial Hospital",
    "Regional Medical Center",
    "University Hospital",
    "Community Hospital",
    "County Hospital",
)
REFILL_COUNTS = (0, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12)

# Label wordings per field, obvious ones first; each document picks one.
PATIENT_LABELS = (
    "Patient:",
    "Name of patient:",
    "Pt name:",
    "Patient name:",
    "Pt.",
    "Name:",
    "For:",
    "Patient's name:",
)
DATE_LABELS = ("Date:", "Prescribed on:", "Date issued:", "Rx date:", "Issued:", "Date of issue:")
ADDRESS_LABELS = ("Address:", "Patient address:", "Home address:", "Addr:", "Residence:")
REFILL_LABELS = ("Refills:", "Rf:", "No. of refills:", "Repeats:", "Refill:", "Refills authorized:")
PRESCRIBER_LABELS = (
    "Prescriber:",
    "Physician:",
    "Doctor:",
    "Prescribing clinician:",
    "Prescribed by:",
    "Practitioner:",
)
SIG_LABELS = ("Sig:", "Sig.", "Directions:", "Instructions:", "SIG:")
DISP_LABELS = ("Disp:", "Dispense:", "Qty:", "Quantity:")
DOB_LABELS = ("DOB:", "Date of birth:", "D.O.B.")
FOOTERS = (
    "This prescription is valid for 6 months from the date of issue.",
    "Please bring this form to any pharmacy.",
    "Not valid for controlled substances unless signed in ink.",
    "Keep all medicines out of the reach of children.",
    "Void if altered. Original prescription only.",
    "Call the clinic if you have any questions about your medicines.",
)


def clinic_name(rng: random.Random) -> str:
    """'Riverside Family Clinic'."""
    return f"{rng.choice(CLINIC_PLACES)} {rng.choice(CLINIC_KINDS)}"


def hospital_name(rng: random.Random) -> str:
    """'Lakeview Memorial Hospital'."""
    return f"{rng.choice(CLINIC_PLACES)} {rng.choice(HOSPITAL_KINDS)}"


def dea_number(rng: random.Random) -> str:
    """'DEA: AB1234563'-like registration line."""
    letters = rng.choice("ABFGM") + rng.choice("ABCDEFGHJKLMNPRSTW")
    return f"DEA {rng.choice(('No.', '#', ''))} {letters}{rng.randint(1000000, 9999999)}".replace("  ", " ")


def npi_number(rng: random.Random) -> str:
    return f"NPI{rng.choice((':', ' #', ''))} {rng.randint(1000000000, 1999999999)}"


def sig(rng: random.Random, unit: str) -> str:
    """A direction under its medicine, without the drug name: 'Take 1 capsule twice daily for 7 days'."""
    amount = rng.choice(("1", "2", "1/2"))
    form = "ml" if unit == "ml" else rng.choice(("pill", "tablet", "capsule", "tab"))
    verb = rng.choice(("Take", "take", "Use"))
    return f"{verb} {amount} {form} {rng.choice(values.FREQUENCIES)} {rng.choice(values.DURATIONS)}"


def short_sig(rng: random.Random, unit: str) -> str:
    """A table cell direction: '1 tab twice daily'."""
    amount = rng.choice(("1", "2", "1/2"))
    form = "ml" if unit == "ml" else rng.choice(("tab", "cap", "tablet"))
    return f"{amount} {form} {rng.choice(values.FREQUENCIES)}"


@dataclass
class Rx:
    """The values of one prescription: each is printed exactly once."""

    prescriber: str
    patient_name: str
    date: str
    address: list[str]  # [] when the form leaves it blank
    meds: list[tuple[str, str]]  # (drug name, 'Drug 500 mg')
    directions: list[str]
    refills: str

    def truth(self) -> dict[str, str]:
        lines = {
            "prescriber": [self.prescriber],
            "patient_name": [self.patient_name],
            "prescription_date": [self.date],
            "patient_address": self.address,
            "medicines": [text for _name, text in self.meds],
            "directions": self.directions,
            "refills": [self.refills],
        }
        assert set(lines) == set(FIELDS)
        return {name: "\n".join(lines[name]).strip() for name in FIELDS}


def draw_rx(
    rng: random.Random, max_meds: int = 3, multiline_address: float = 0.0, sig_style: str = "sig"
) -> Rx:
    """Random values; one direction per medicine in `sig_style` ("sig", "short" or "full")."""
    rng = content(rng)
    meds = values.medicines(rng, rng.randint(1, max_meds))
    if sig_style == "full":
        directions = values.directions(rng, meds, len(meds))
    else:
        make = sig if sig_style == "sig" else short_sig
        directions = [make(rng, text.rsplit(" ", 1)[1]) for _name, text in meds]
    if rng.random() < BLANK_RATE:
        address: list[str] = []
    elif rng.random() < multiline_address:
        address = values.postal_address(rng)[:2]
    else:
        address = [values.one_line_address(rng)]
    return Rx(
        prescriber=values.prescriber(rng),
        patient_name=values.person_name(rng),
        date=values.date_text(rng, 2015, 2025),
        address=address,
        meds=meds,
        directions=directions,
        refills=str(rng.choice(REFILL_COUNTS)),
    )


def dose_of(med: tuple[str, str]) -> str:
    """'500 mg' of ('Amoxicillin', 'Amoxicillin 500 mg')."""
    name, text = med
    return text[len(name) + 1 :]


def birth_date(rng: random.Random) -> str:
    return values.date_text(rng, 1935, 2012)


# ---- drawing ----


def vline(page: Page, x: int, y0: int, y1: int, thickness_pt: float = 0.8) -> None:
    """A vertical line (the canvas only draws horizontal rules)."""
    thick = max(1, round(thickness_pt * page.dpi / 72))
    page.draw.rectangle((x, y0, x + thick - 1, y1), fill=page.style.ink)


def box(page: Page, x0: int, y0: int, x1: int, y1: int, thickness_pt: float = 0.8) -> None:
    """A rectangle outline drawn with rules."""
    thick = max(1, round(thickness_pt * page.dpi / 72))
    page.rule(x0, x1, y0, thickness_pt)
    page.rule(x0, x1, y1 - thick + 1, thickness_pt)
    vline(page, x0, y0, y1, thickness_pt)
    vline(page, x1 - thick + 1, y0, y1, thickness_pt)


def tick_box(page: Page, x: int, y: int, size: int, ticked: bool) -> None:
    """A square checkbox whose bottom sits on baseline y, crossed when `ticked`."""
    box(page, x, y - size, x + size, y, 0.7)
    if ticked:
        width = max(2, round(page.dpi / 60))
        pad = max(2, size // 5)
        ink = page.style.ink
        page.draw.line((x + pad, y - size + pad, x + size - pad, y - pad), fill=ink, width=width)
        page.draw.line((x + pad, y - pad, x + size - pad, y - size + pad), fill=ink, width=width)


def labelled(
    page: Page,
    x: int,
    y: int,
    label: str,
    value: str,
    label_font: ImageFont.FreeTypeFont,
    value_font: ImageFont.FreeTypeFont,
    right: int,
    underline: bool = False,
) -> int:
    """'Label: value' on one baseline, the value shrunk to fit before `right`; returns the value's end."""
    x += page.text(x, y, label, label_font) + page.px(0.12)
    font = page.fit(value, value_font, max(page.px(0.5), right - x))
    end = x + page.text(x, y, value, font)
    if underline:
        page.rule(x - page.px(0.04), max(end, right), y + page.underline_gap(font), 0.6)
    return end


def labelled_columns(
    page: Page,
    y: int,
    columns: list[list[tuple[str, list[str]]]],
    left: int,
    right: int,
    fonts_: tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont],
    steps: tuple[int, int],
    margin: int,
) -> int:
    """Columns of 'Label: value' rows side by side, each value kept ``margin`` clear of its
    column's right edge; a value of several lines goes on under its first line, indented to it.
    ``steps`` are (row to row, a value's line to its next). Returns the y under the longest
    column."""
    label, value = fonts_
    row_step, line_step = steps
    width = (right - left) // len(columns)
    bottom = y
    for index, column in enumerate(columns):
        x, row_y = left + index * width, y
        for text_label, lines in column:
            first = lines[0] if lines else ""
            end = labelled(page, x, row_y, text_label, first, label, value, x + width - margin)
            indent = end - page.width(first, value)
            for more in lines[1:]:
                row_y += line_step
                page.text(indent, row_y, more, page.fit(more, value, x + width - indent))
            row_y += row_step
        bottom = max(bottom, row_y)
    return bottom


def signature_block(page: Page, rng: random.Random, x: int, y: int, width: int, prescriber: str) -> int:
    """A signature rule with the prescriber printed under it (or beside its label); returns y below."""
    label_font = page.font(bold=rng.random() < 0.5, scale=rng.uniform(0.85, 1.0), family=page.style.label)
    value_font = page.font(bold=False)
    style = rng.choice(("under", "label_under", "label_beside"))
    page.rule(x, x + width, y, 0.7)
    if rng.random() < 0.5:
        page.text(
            x, y - page.px(0.08), rng.choice(("X", "Signature", "")), page.font(False, 0.7, page.style.label)
        )
    y += page.px(0.3)
    if style == "under":
        page.text(x, y, prescriber, page.fit(prescriber, value_font, width))
    elif style == "label_under":
        labelled(page, x, y, rng.choice(PRESCRIBER_LABELS), prescriber, label_font, value_font, x + width)
    else:
        page.text(
            x, y, rng.choice(("Signature of prescriber", "Prescriber's signature", "Signature")), label_font
        )
        y += page.line_step(value_font)
        labelled(page, x, y, rng.choice(PRESCRIBER_LABELS), prescriber, label_font, value_font, x + width)
    return y + page.line_step(value_font)


def extras_line(rng: random.Random, phone: bool = True) -> str:
    """Optional printed matter beside a header: phone, fax, DEA or NPI numbers."""
    parts = []
    if phone:
        parts.append(f"{rng.choice(('Tel', 'Phone', 'Ph.', 'T:'))} {values.phone(rng)}")
    if rng.random() < 0.4:
        parts.append(f"Fax {values.phone(rng)}")
    return rng.choice(("   ", "  |  ", " - ")).join(parts)


def substitution(page: Page, rng: random.Random, x: int, y: int) -> None:
    """'[x] Substitution permitted   [ ] Dispense as written' tick boxes."""
    font = page.font(bold=False, scale=rng.uniform(0.8, 0.95), family=page.style.label)
    size = round(font.size * 0.8)
    first = rng.random() < 0.6
    for text, ticked in (("Substitution permitted", first), ("Dispense as written", not first)):
        tick_box(page, x, y, size, ticked)
        x += size + page.px(0.1)
        x += page.text(x, y, text, font) + page.px(0.4)


def footer(page: Page, rng: random.Random) -> None:
    """A small centred line at the foot of the page."""
    text = rng.choice(FOOTERS)
    font = page.font(bold=False, scale=0.75, family=page.style.label)
    y = page.image.height - page.px(rng.uniform(0.45, 0.7))
    page.text(
        page.image.width // 2, y, text, page.fit(text, font, page.image.width - page.px(1.5)), align="center"
    )


def grey_text(page: Page, x: int, y: int, text: str, font: ImageFont.FreeTypeFont, grey: int) -> int:
    """Text in a lighter ink than the page's (printed form matter: small labels); returns its width."""
    if text:
        page.draw.text((x, y), text, font=font, fill=max(page.style.ink, grey), anchor="ls")
    return page.width(text, font)


def labelled_box(
    page: Page,
    x0: int,
    y0: int,
    x1: int,
    y1: int,
    label: str,
    lines: list[str],
    label_font: ImageFont.FreeTypeFont,
    value_font: ImageFont.FreeTypeFont,
    grey: int = 0,
    thickness_pt: float = 0.8,
) -> None:
    """A ruled box with a small label in its top-left corner and the value lines below the label."""
    box(page, x0, y0, x1, y1, thickness_pt)
    pad = page.px(0.07)
    y = y0 + pad + label_font.size
    grey_text(page, x0 + pad, y, label, label_font, grey)
    y += round(value_font.size * 1.35)
    for line in lines:
        page.text(x0 + 2 * pad, y, line, page.fit(line, value_font, x1 - x0 - 4 * pad))
        y += page.line_step(value_font)


def scribble(page: Page, rng: random.Random, x0: int, x1: int, y: int) -> None:
    """A hand-written signature: a wavering stroke from x0 to x1 just above baseline y."""
    height = page.px(0.12)
    waves = [(rng.uniform(3, 9), rng.uniform(0, math.tau), rng.uniform(0.3, 1.0)) for _ in range(3)]
    slope = rng.uniform(-0.3, 0.3)  # the hand rises or falls along the line
    points = []
    for k in range(60):
        t = k / 59
        wobble = sum(a * math.sin(phase + t * f * math.pi) for f, phase, a in waves) / 2.3
        points.append((x0 + round((x1 - x0) * t), y - height + round(height * (wobble + slope * t))))
    page.draw.line(points, fill=page.style.ink, width=max(1, page.dpi // 70), joint="curve")
