"""Layout 2: a two-page patient medical record (bold labels with regular values below them)."""

from __future__ import annotations

import random

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.content import content

FIELDS = (
    "record_date",
    "patient_name",
    "birth_date",
    "phone_number",
    "address",
    "weight",
    "height",
    "emergency_contact_name",
    "emergency_contact_phone",
    "chickenpox",
    "measles",
    "hepatitis_b_vaccination",
    "medical_problems",
    "insurance_company",
    "policy_number",
    "insurance_expiry",
    "has_medical_insurance",
    "allergies",
    "regular_medications",
)


def make_truth(rng: random.Random) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Random field values (truth, multi-line fields joined by newline) and the printed lines of each."""
    rng = content(rng)
    record = values.random_date(rng, 2015, 2025)
    expiry = values.random_date(rng, record.year, record.year + 3)
    last = values.LAST_NAMES[rng.randrange(len(values.LAST_NAMES))]
    immune = ("IMMUNE", "IMMUNE", "NOT IMMUNE")
    lines = {
        "record_date": [values.format_date(record, rng.choice(("dmy_pad", "dmy", "iso")))],
        "patient_name": [f"{rng.choice(values.FIRST_NAMES)} {last}"],
        "birth_date": [values.date_text(rng, 1930, 2010)],
        "phone_number": [values.phone(rng)],
        "address": values.postal_address(rng),
        "weight": [str(rng.randint(40, 150))],
        "height": [str(rng.randint(140, 205))],
        # Emergency contacts are often family: share the surname half of the time.
        "emergency_contact_name": [
            f"{rng.choice(values.FIRST_NAMES)} "
            f"{last if rng.random() < 0.5 else rng.choice(values.LAST_NAMES)}"
        ],
        "emergency_contact_phone": [values.phone(rng)],
        "chickenpox": [rng.choice(immune)],
        "measles": [rng.choice(immune)],
        "hepatitis_b_vaccination": [rng.choice(("Yes", "No"))],
        "medical_problems": [rng.choice(values.MEDICAL_PROBLEMS)],
        "insurance_company": [values.insurance_company(rng)],
        "policy_number": [values.policy_number(rng)],
        "insurance_expiry": [values.format_date(expiry, rng.choice(values.DATE_FORMATS))],
        "has_medical_insurance": [rng.choice(("Yes", "Yes", "Yes", "No"))],
        "allergies": [rng.choice(values.ALLERGIES)],
        "regular_medications": [rng.choice(values.REGULAR_MEDICATIONS)],
    }
    return {k: "\n".join(v) for k, v in lines.items()}, lines


class _Form:
    """Cursor helpers shared by both pages: labelled values and section headings."""

    def __init__(self, page: Page, rng: random.Random) -> None:
        self.page = page
        self.label = page.font(bold=True)
        self.value = page.font(bold=False)
        self.step = page.line_step(self.value)
        self.col_w = page.px(3.3)
        self.left, self.right = page.px(rng.uniform(0.8, 1.0)), page.px(rng.uniform(4.5, 4.8))

    def field(self, x: int, y: int, label: str, lines: list[str], indent: float = 0.0) -> int:
        """Bold `label` at baseline y with the value lines below; returns the baseline after the block."""
        if label:
            self.page.text(x, y, label, self.page.fit(label, self.label, self.page.px(7.0) - x))
            y += self.step
        y = self.page.lines(x + self.page.px(indent), y, lines, self.value, self.col_w)
        return y + round(self.step * 0.5)

    def heading(self, y: int, text: str, scale: float) -> int:
        """A bold section heading with a rule under it; returns the baseline of the next line."""
        font = self.page.font(bold=True, scale=scale)
        self.page.text(self.left, y, text, font)
        rule_y = y + self.page.underline_gap(font) + self.page.px(0.05)
        self.page.rule(self.left, self.page.image.width - self.page.px(0.8), rule_y, 0.7)
        return rule_y + round(self.step * 1.3)


def _page_one(page: Page, rng: random.Random, t: dict[str, list[str]]) -> None:
    """Record date, identity, emergency contact and medical history."""
    f = _Form(page, rng)
    w = page.image.width
    date_font = page.font(bold=True, scale=0.85)
    page.text(w - page.px(0.9), page.px(0.7), " ".join(t["record_date"]), date_font, "right")
    title = page.font(bold=True, scale=rng.uniform(1.6, 2.0))
    page.text(f.left, page.px(1.2), "Patient Medical Record", title)
    top = page.px(1.2) + round(f.step * 1.6)
    y = f.field(f.left, top, "Patient Information", t["patient_name"])
    y = f.field(f.left, y, "", t["phone_number"])
    y_left = f.field(f.left, y, "", t["address"])
    y = f.field(f.right, top, "Birth Date", t["birth_date"])
    y = f.field(f.right, y, rng.choice(("Weight:", "Weight", "Weight (kg):")), t["weight"])
    y_right = f.field(f.right, y, rng.choice(("Height:", "Height", "Height (cm):")), t["height"])
    y = f.heading(max(y_left, y_right) + f.step, "In Case of Emergency", 1.2)
    y_left = f.field(f.left, y, "", t["emergency_contact_name"])
    y_left = f.field(f.left, y_left, "Home phone", t["emergency_contact_phone"])
    y_right = f.field(f.right, y, "", values.postal_address(rng))
    y_right = f.field(f.right, y_right, "Work phone", [])
    y = f.heading(max(y_left, y_right) + f.step, "General Medical History", 1.2)
    y_left = f.field(f.left, y, "Chicken Pox (Varicella):", t["chickenpox"], indent=0.1)
    y_right = f.field(f.right, y, "Measles:", t["measles"], indent=0.1)
    y = f.field(
        f.left,
        max(y_left, y_right),
        "Have you had the Hepatitis B vaccination?",
        t["hepatitis_b_vaccination"],
        indent=0.1,
    )
    f.field(f.left, y, "List any Medical Problems (asthma, seizures, headaches):", t["medical_problems"])


def _page_two(page: Page, rng: random.Random, t: dict[str, list[str]]) -> None:
    """Insurance details, allergies and regular medication."""
    f = _Form(page, rng)
    page.rule(f.left - page.px(0.1), page.image.width - page.px(0.6), page.px(0.7), 0.8)
    top = page.px(1.1)
    y = f.field(f.left, top, "Name of Insurance Company:", t["insurance_company"])
    y_left = f.field(f.left, y, "Policy Number:", t["policy_number"])
    y = f.field(f.right, top + f.step, "", values.postal_address(rng)[:2])
    y_right = f.field(f.right, y, "Expiry Date:", t["insurance_expiry"])
    y = f.field(
        f.left, max(y_left, y_right), "Do you have medical insurance?", t["has_medical_insurance"], indent=0.1
    )
    page.text(f.left, y + f.step // 2, "Medical Insurance Details", page.font(bold=True, scale=1.3))
    y += round(f.step * 2.2)
    y = f.field(f.left, y, "List any allergies:", t["allergies"])
    f.field(f.left, y, "List any medication taken regularly:", t["regular_medications"])


def render(rng: random.Random, dpi: int, truth_lines: dict[str, list[str]]) -> list[Image.Image]:
    """Draw the record whose printed lines are `truth_lines`; returns its two pages."""
    style = pick_style(rng, prefer="Liberation Sans", prefer_weight=0.2)
    first, second = Page(dpi, style), Page(dpi, style)
    _page_one(first, rng, truth_lines)
    _page_two(second, rng, truth_lines)
    return [first.image, second.image]
