"""A clinic visit (progress) note: patient, date, provider, then Chief complaint / Assessment / Plan."""

from __future__ import annotations

import random

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.families import _other_common as other
from docgen.families import _rx_common as rx

FAMILY = "other_visit_note"
DOC_TYPE = "unknown"
DESCRIPTION = (
    "clinic visit / progress note: patient name, visit date, provider, then Chief complaint, Exam, "
    "Assessment and Plan paragraphs that may name a medicine; neither a prescription nor an intake form"
)

TITLES = (
    "PROGRESS NOTE",
    "Clinic Visit Note",
    "Office Visit",
    "OUTPATIENT CONSULTATION",
    "Follow-up Visit Note",
)
SECTIONS = (
    ("Chief complaint:", "CC:", "Reason for visit:"),
    ("Examination:", "Exam:", "Findings:", "Objective:"),
    ("Assessment:", "Impression:", "Diagnosis:"),
    ("Plan:", "Management:", "Plan and follow-up:"),
)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    page = Page(dpi, pick_style(rng))
    left = page.px(rng.uniform(0.7, 1.1))
    right = page.image.width - page.px(rng.uniform(0.7, 1.1))
    y = other.letterhead(page, rng, left, right, rx.clinic_name(rng))
    title = page.font(bold=True, scale=rng.uniform(1.2, 1.5), family=page.style.label)
    if rng.random() < 0.5:
        page.text(left, y, rng.choice(TITLES), title)
    else:
        page.text((left + right) // 2, y, rng.choice(TITLES), title, align="center")
    y += page.px(0.5)
    label = page.font(bold=True, family=page.style.label)
    value = page.font(bold=False)
    rows = [
        (rng.choice(("Patient:", "Patient name:", "Name:")), values.person_name(rng)),
        (
            rng.choice(("Visit date:", "Date of visit:", "Date:", "Seen on:")),
            values.date_text(rng, 2015, 2025),
        ),
        (rng.choice(("DOB:", "Date of birth:")), rx.birth_date(rng)),
        (rng.choice(("Provider:", "Seen by:", "Clinician:")), values.prescriber(rng)),
    ]
    if rng.random() < 0.5:
        rows.append(("MRN:", str(rng.randint(100000, 9999999))))
    two_columns = rng.random() < 0.5
    step = page.line_step(value)
    for i, (name, text) in enumerate(rows):
        x = left if not two_columns or i % 2 == 0 else (left + right) // 2
        rx.labelled(page, x, y, name, text, label, value, right)
        if not two_columns or i % 2 == 1 or i == len(rows) - 1:
            y += step
    y += page.px(0.3)
    filler = other.paragraph_values(rng)
    problem = rng.choice([p for p in values.MEDICAL_PROBLEMS if p != "None"])
    texts = [
        rng.choice(other.COMPLAINTS) + ".",
        " ".join(rng.sample(other.FINDINGS, 2)).format(**filler),
        f"{problem}. " + rng.choice(("Stable.", "Improving.", "Not well controlled.", "New diagnosis.")),
        " ".join(rng.sample(other.PLANS, rng.randint(1, 2))).format(**filler),
    ]
    inline = rng.random() < 0.5
    for options, text in zip(SECTIONS, texts, strict=True):
        heading = rng.choice(options)
        if inline:
            x = left + page.text(left, y, heading, label) + page.px(0.12)
            y = other.wrap(page, x, y, text, value, right - x)
        else:
            page.text(left, y, heading, label)
            y = other.wrap(page, left + page.px(0.2), y + step, text, value, right - left - page.px(0.2))
        y += page.px(rng.uniform(0.15, 0.3))
    y += page.px(0.6)
    signed = (
        f"{rng.choice(('Electronically signed', 'Signed', 'Dictated'))} {values.date_text(rng, 2015, 2025)}"
    )
    page.text(left, y, signed, page.font(bold=False, scale=0.85, family=page.style.label))
    return {}, [page.image]
