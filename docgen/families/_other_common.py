"""Shared pieces of the families that are neither prescriptions nor intake forms ("unknown" documents).

They are confusers on purpose: they print patient names, dates, medicines and doctors like the real
types do, under headings and in layouts that make them something else.
"""

from __future__ import annotations

import random

from PIL import ImageFont

from docgen import values
from docgen.canvas import Page
from docgen.families import _rx_common as rx

PHARMACY_NAMES = (
    "Main Street Pharmacy",
    "Riverside Drug Store",
    "Community Pharmacy",
    "HealthWay Pharmacy",
    "Corner Drug Co.",
    "Family Care Pharmacy",
    "Parkside Apothecary",
    "Wellness Pharmacy",
)
VACCINES = (
    ("Influenza", "Flu"),
    ("Tdap", "Tetanus/Diphtheria/Pertussis"),
    ("Hepatitis B", "Hep B"),
    ("MMR", "Measles, Mumps, Rubella"),
    ("Varicella", "Chickenpox"),
    ("Pneumococcal (PCV20)", "Pneumonia"),
    ("HPV", "Gardasil 9"),
    ("Zoster (Shingrix)", "Shingles"),
    ("COVID-19 (Pfizer)", "COVID-19"),
    ("COVID-19 (Moderna)", "COVID-19"),
    ("Hepatitis A", "Hep A"),
    ("Meningococcal", "MenACWY"),
    ("Polio (IPV)", "Polio"),
)
COMPLAINTS = (
    "Cough and fever for 3 days",
    "Follow-up of blood pressure",
    "Lower back pain after lifting",
    "Sore throat and ear pain",
    "Headaches getting worse over two weeks",
    "Routine diabetes check",
    "Rash on both arms",
    "Fatigue and poor sleep",
    "Medication review",
    "Knee pain when climbing stairs",
)
FINDINGS = (
    "Afebrile, lungs clear, no distress.",
    "BP {bp} mmHg, pulse {pulse}, weight stable.",
    "Tender lumbar muscles, full range of motion, no numbness.",
    "Red throat, right ear drum bulging.",
    "Neuro exam normal. No visual changes.",
    "Feet checked, no ulcers. HbA1c 7.{d} percent.",
)
PLANS = (
    "Start {med} {freq}. Review in {w} weeks.",
    "Continue {med}. Repeat labs before next visit.",
    "Increase {med} and recheck blood pressure in {w} weeks.",
    "Stop {med}. Return if symptoms persist.",
    "Rest, fluids, and {med} as needed. Call if fever over 3 days.",
    "Refer to physiotherapy. {med} for pain, short course.",
)


def wrap(
    page: Page, x: int, y: int, text: str, font: ImageFont.FreeTypeFont, width: int, step: int | None = None
) -> int:
    """Draw `text` word-wrapped to `width` from baseline y; returns the baseline after the last line."""
    step = step or page.line_step(font)
    for line in page.wrapped(text, font, width):
        page.text(x, y, line, font)
        y += step
    return y


def paragraph_values(rng: random.Random) -> dict[str, str]:
    """Things a note may mention: a medicine, a frequency, weeks, vitals."""
    return {
        "med": values.medicines(rng, 1)[0][1],
        "freq": rng.choice(values.FREQUENCIES),
        "w": rng.choice(("1", "2", "4", "6")),
        "bp": f"{rng.randint(105, 165)}/{rng.randint(65, 100)}",
        "pulse": str(rng.randint(55, 105)),
        "d": str(rng.randint(0, 9)),
    }


def letterhead(page: Page, rng: random.Random, left: int, right: int, name: str) -> int:
    """A name, one address line and one phone line, centred or left; returns the baseline below a rule."""
    y = page.px(rng.uniform(0.6, 0.9))
    head = page.font(bold=True, scale=rng.uniform(1.2, 1.6), family=page.style.label)
    small = page.font(bold=False, scale=0.8, family=page.style.label)
    centred = rng.random() < 0.5
    x, align = ((left + right) // 2, "center") if centred else (left, "left")
    y += head.size
    page.text(x, y, name, page.fit(name, head, right - left), align=align)
    y += page.line_step(small) + page.px(0.04)
    for line in (f"{values.street(rng)}, {values.city_line(rng)}", rx.extras_line(rng)):
        page.text(x, y, line, page.fit(line, small, right - left), align=align)
        y += page.line_step(small)
    if rng.random() < 0.7:
        page.rule(left, right, y, rng.choice((0.6, 1.2)))
    return y + page.px(rng.uniform(0.35, 0.55))
