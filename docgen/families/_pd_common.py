"""Shared pieces of the patient-record families: values, label wordings, extra print, drawing helpers.

Families draw with these so one seed gives one document: every choice comes from the family's rng.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from PIL import Image, ImageFont

from docgen import values
from docgen.canvas import Page, Style, pick_style
from docgen.content import content
from docgen.document import FIELDS, with_blanks

DOC_TYPE = "patient_details"

# Per-field label wordings a clinic may print. Families add or drop a colon, change case, etc.
LABELS: dict[str, tuple[str, ...]] = {
    "record_date": (
        "Date",
        "Date of visit",
        "Form date",
        "Visit date",
        "Today's date",
        "Date completed",
        "Registration date",
        "Date of registration",
    ),
    "patient_name": (
        "Name",
        "Patient name",
        "Full name",
        "Pt. name",
        "Patient's name",
        "Name of patient",
        "Patient full name",
    ),
    "birth_date": ("DOB", "Date of birth", "Birth date", "D.O.B.", "Birthdate", "Date of birth (DOB)"),
    "phone_number": (
        "Phone",
        "Tel",
        "Mobile",
        "Cell",
        "Telephone",
        "Contact no.",
        "Phone number",
        "Home phone",
        "Tel. no.",
        "Cell phone",
    ),
    "address": ("Address", "Home address", "Street address", "Residential address", "Mailing address"),
    "weight": ("Weight (kg)", "Weight", "Wt", "Wt (kg)", "Body weight", "Weight in kg"),
    "height": ("Height (cm)", "Height", "Ht", "Ht (cm)", "Height in cm"),
    "emergency_contact_name": (
        "Emergency contact",
        "Contact person",
        "Emergency contact name",
        "Next of kin",
        "In case of emergency notify",
        "Person to notify",
    ),
    "emergency_contact_phone": (
        "Emergency contact phone",
        "Emergency phone",
        "Contact phone",
        "Contact's phone",
        "Emergency tel.",
        "Next of kin phone",
    ),
    "chickenpox": (
        "Chickenpox (varicella)",
        "Chicken pox",
        "Varicella",
        "Chickenpox",
        "Chicken Pox (Varicella)",
    ),
    "measles": ("Measles", "Measles (rubeola)", "Measles / MMR", "Rubeola (measles)"),
    "hepatitis_b_vaccination": (
        "Hepatitis B vaccinated?",
        "Hepatitis B vaccine",
        "Hep B vaccination",
        "Have you had the Hepatitis B vaccination?",
        "Hepatitis B vaccination",
        "Vaccinated against Hepatitis B?",
    ),
    "medical_problems": (
        "Medical problems",
        "Medical conditions",
        "Past medical history",
        "Known conditions",
        "Health problems",
        "Chronic conditions",
        "List any medical problems",
    ),
    "insurance_company": (
        "Insurance company",
        "Insurance provider",
        "Carrier",
        "Health plan",
        "Plan name",
        "Insurer",
        "Name of insurance company",
    ),
    "policy_number": ("Policy no.", "Member ID", "Subscriber ID", "Policy number", "Policy #", "ID number"),
    "insurance_expiry": (
        "Expiry",
        "Expiration date",
        "Valid until",
        "Expiry date",
        "Coverage end date",
        "Exp. date",
    ),
    "has_medical_insurance": (
        "Do you have medical insurance?",
        "Insured?",
        "Medical insurance",
        "Do you have health insurance?",
        "Are you insured?",
        "Health insurance coverage",
    ),
    "allergies": (
        "Allergies",
        "Known allergies",
        "Drug allergies",
        "Allergies (drug/food)",
        "List any allergies",
    ),
    "regular_medications": (
        "Current medications",
        "Regular medications",
        "Medications",
        "Medications taken regularly",
        "Current meds",
        "List any medication taken regularly",
    ),
}

# Inside an "Emergency contact" section the contact's fields are often just "Name" and "Phone".
SECTION_LABELS: dict[str, tuple[str, ...]] = {
    "emergency_contact_name": ("Name", "Contact name", "Full name"),
    "emergency_contact_phone": ("Phone", "Telephone", "Contact no.", "Phone number", "Tel"),
}

SECTION_TITLES: dict[str, tuple[str, ...]] = {
    "patient": (
        "Patient Information",
        "Personal Information",
        "Patient Details",
        "About You",
        "Demographics",
    ),
    "emergency": (
        "Emergency Contact",
        "In Case of Emergency",
        "Next of Kin",
        "Emergency Contact Information",
    ),
    "insurance": ("Insurance", "Insurance Information", "Medical Insurance Details", "Insurance / Billing"),
    "history": ("Medical History", "General Medical History", "Health History", "Immunizations and History"),
}
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "patient": ("patient_name", "birth_date", "phone_number", "address", "weight", "height"),
    "emergency": ("emergency_contact_name", "emergency_contact_phone"),
    "insurance": ("has_medical_insurance", "insurance_company", "policy_number", "insurance_expiry"),
    "history": (
        "chickenpox",
        "measles",
        "hepatitis_b_vaccination",
        "medical_problems",
        "allergies",
        "regular_medications",
    ),
}

FORM_TITLES = (
    "Patient Intake Form",
    "New Patient Registration",
    "Patient Information Form",
    "Patient Medical Record",
    "Patient Registration Form",
    "Health Questionnaire",
    "Medical History Form",
)
CLINIC_FIRST = (
    "Lakeside",
    "Riverside",
    "Northgate",
    "Maple Grove",
    "Cedar Hill",
    "Harbor View",
    "Sunrise",
    "Westfield",
    "Oak Park",
    "Summit",
    "Greenway",
    "St. Anne's",
)
CLINIC_SECOND = (
    "Family Medicine",
    "Medical Center",
    "Health Clinic",
    "Primary Care",
    "Community Health Center",
    "Medical Group",
    "Family Practice",
    "Internal Medicine",
)
INSTRUCTIONS = (
    "Please print clearly and complete all sections.",
    "Please complete this form before your appointment.",
    "All information is kept strictly confidential.",
    "Please answer every question. Ask the front desk if you need help.",
    "Fill in all fields in block letters.",
)
OCCUPATIONS = ("Teacher", "Nurse", "Engineer", "Retired", "Student", "Accountant", "Driver", "Chef", "Clerk")
RELATIONSHIPS = ("Spouse", "Mother", "Father", "Sister", "Brother", "Daughter", "Son", "Friend", "Partner")

IMMUNE, NOT_IMMUNE = "IMMUNE", "NOT IMMUNE"
ANSWER_FIELDS = ("chickenpox", "measles", "hepatitis_b_vaccination", "has_medical_insurance")
CANONICAL: dict[str, tuple[str, ...]] = {
    "chickenpox": (IMMUNE, NOT_IMMUNE),
    "measles": (IMMUNE, NOT_IMMUNE),
    "hepatitis_b_vaccination": ("Yes", "No"),
    "has_medical_insurance": ("Yes", "No"),
}
# Printed option wordings; the first option means the first canonical answer, the second the second;
# any further option ("Unknown") is never the one marked.
IMMUNITY_OPTIONS = (
    ("Immune", "Not immune"),
    ("Had it / immune", "Not immune"),
    ("Immune", "Not immune", "Unknown"),
    ("Yes", "No"),
    ("Immune", "Not immune", "Not sure"),
)
YES_NO_OPTIONS = (("Yes", "No"), ("Yes", "No"), ("Y", "N"), ("Yes", "No", "Not sure"), ("YES", "NO"))

# Conditions a form prints to tick or answer one by one: the single conditions of the list.
CHECKLIST_CONDITIONS = tuple(c for c in values.MEDICAL_PROBLEMS if "," not in c and c != "None")

# Fields some clinics' forms simply do not ask for.
OMITTABLE = ("weight", "height", "insurance_expiry", "measles", "emergency_contact_phone", "record_date")


@dataclass
class Record:
    """The values of one record: truth (lines joined), the printed lines, and the fields not printed."""

    truth: dict[str, str]
    lines: dict[str, list[str]]
    omitted: set[str] = field(default_factory=set)

    def shown(self, name: str) -> bool:
        return name not in self.omitted


def _list_value(rng: random.Random, choices: tuple[str, ...]) -> list[str]:
    """One entry, or now and then two entries on two lines or joined by a comma."""
    first = rng.choice(choices)
    if rng.random() < 0.3 and first not in ("None", "No known allergies"):
        rest = [c for c in choices if c != first and "," not in c and c not in ("None", "No known allergies")]
        second = rng.choice(rest)
        return [first, second] if rng.random() < 0.5 else [f"{first}, {second.lower()}"]
    return [first]


def _draw_lines(rng: random.Random) -> dict[str, list[str]]:
    record = values.random_date(rng, 2015, 2025)
    expiry = values.random_date(rng, record.year, record.year + 3)
    last = rng.choice(values.LAST_NAMES)
    contact_last = last if rng.random() < 0.5 else rng.choice(values.LAST_NAMES)
    address = values.postal_address(rng) if rng.random() < 0.6 else [values.one_line_address(rng)]
    weight = str(rng.randint(40, 150))
    height = str(rng.randint(140, 205))
    if weight == height:
        height = str(int(height) + 1)
    record_style = rng.choice(("dmy_pad", "dmy", "iso", "mon_d_comma_y", "d_month_y"))
    return {
        "record_date": [values.format_date(record, record_style)],
        "patient_name": [f"{rng.choice(values.FIRST_NAMES)} {last}"],
        "birth_date": [values.date_text(rng, 1930, 2010)],
        "phone_number": [values.phone(rng)],
        "address": address,
        "weight": [weight],
        "height": [height],
        "emergency_contact_name": [f"{rng.choice(values.FIRST_NAMES)} {contact_last}"],
        "emergency_contact_phone": [values.phone(rng)],
        "chickenpox": [rng.choice((IMMUNE, IMMUNE, NOT_IMMUNE))],
        "measles": [rng.choice((IMMUNE, IMMUNE, NOT_IMMUNE))],
        "hepatitis_b_vaccination": [rng.choice(("Yes", "No"))],
        "medical_problems": _list_value(rng, values.MEDICAL_PROBLEMS),
        "insurance_company": [values.insurance_company(rng)],
        "policy_number": [values.policy_number(rng)],
        "insurance_expiry": [values.format_date(expiry, rng.choice(values.DATE_FORMATS))],
        "has_medical_insurance": [rng.choice(("Yes", "Yes", "Yes", "No"))],
        "allergies": _list_value(rng, values.ALLERGIES),
        "regular_medications": _list_value(rng, values.REGULAR_MEDICATIONS),
    }


def _distinct(lines: dict[str, list[str]]) -> bool:
    """No two free-text fields print the same value (answers are canonical words, exempt)."""
    seen = ["\n".join(v) for k, v in lines.items() if k not in ANSWER_FIELDS and v]
    return len(seen) == len(set(seen))


def make_record(rng: random.Random, omit_rate: float = 0.5, max_omitted: int = 2) -> Record:
    """Random values for every field; one list field left blank now and then, and with probability
    `omit_rate` one to `max_omitted` fields the form does not print at all (truth "")."""
    values_rng = content(rng)
    lines = _draw_lines(values_rng)
    while not _distinct(lines):
        lines = _draw_lines(values_rng)
    truth = {name: "\n".join(lines[name]) for name in FIELDS[DOC_TYPE]}
    truth, lines = with_blanks(rng, DOC_TYPE, truth, lines)
    omitted: set[str] = set()
    if rng.random() < omit_rate:
        omitted = set(rng.sample(OMITTABLE, rng.randint(1, max_omitted)))
    # No insurance: the insurer's details are often left empty.
    if truth["has_medical_insurance"] == "No" and values_rng.random() < 0.5:
        for name in ("insurance_company", "policy_number", "insurance_expiry"):
            truth[name], lines[name] = "", []
    for name in omitted:
        truth[name], lines[name] = "", []
    return Record(truth, lines, omitted)


def flowing_form(rng: random.Random, dpi: int) -> tuple[Record, Flow]:
    """A record's values and the pages a form of one flowing column draws them on (its first
    line 0.6-0.9 in from the top)."""
    record = make_record(rng)
    style = pick_style(rng)
    return record, Flow(dpi, style, top=rng.uniform(0.6, 0.9), bottom=0.7)


def label(rng: random.Random, name: str, in_section: bool = False) -> str:
    """A label wording for field `name`; inside its own section, the short contact labels too."""
    choices = LABELS[name] + (SECTION_LABELS.get(name, ()) if in_section else ())
    return rng.choice(choices)


def measure_lines(rng: random.Random, name: str, lbl: str, lines: list[str]) -> list[str]:
    """Weight and height as printed: digits, or digits and unit when the label gives none."""
    if name not in ("weight", "height") or not lines or "kg" in lbl or "cm" in lbl:
        return lines
    unit = "kg" if name == "weight" else "cm"
    return [f"{lines[0]} {unit}"] if rng.random() < 0.6 else lines


def clinic_name(rng: random.Random) -> str:
    return f"{rng.choice(CLINIC_FIRST)} {rng.choice(CLINIC_SECOND)}"


def clinic_contact(rng: random.Random) -> str:
    """One line of clinic address and phone, e.g. '12 Oak St, Austin, TX  |  Tel (512) 555-0100'."""
    return f"{values.one_line_address(rng)}  |  Tel {values.phone(rng)}"


def email_for(rng: random.Random, name: str) -> str:
    first, last = name.lower().split(" ", 1)
    host = rng.choice(("gmail.com", "yahoo.com", "outlook.com", "mail.com"))
    return f"{first}.{last.replace(' ', '')}@{host}" if rng.random() < 0.5 else f"{first[0]}{last}@{host}"


def extras(rng: random.Random, record: Record) -> list[tuple[str, str]]:
    """Printed label/value pairs that are no field: sex, email, occupation, marital status."""
    name = record.truth["patient_name"] or "jo doe"
    pool = [
        (rng.choice(("Sex", "Gender", "Sex (M/F)")), rng.choice(("F", "M", "Female", "Male"))),
        (rng.choice(("Email", "E-mail", "Email address")), email_for(rng, name)),
        ("Occupation", rng.choice(OCCUPATIONS)),
        ("Marital status", rng.choice(("Single", "Married", "Divorced", "Widowed"))),
        (rng.choice(("Preferred language", "Language")), rng.choice(("English", "Spanish", "French"))),
    ]
    return rng.sample(pool, rng.randint(1, 3))


def answer_options(rng: random.Random, name: str) -> tuple[str, ...]:
    """The printed option wordings for an answer field."""
    return rng.choice(IMMUNITY_OPTIONS if name in ("chickenpox", "measles") else YES_NO_OPTIONS)


def chosen_index(name: str, truth: str) -> int | None:
    """Which option is marked for `truth` (None: left unanswered)."""
    return CANONICAL[name].index(truth) if truth else None


def with_colon(text: str, colon: bool) -> str:
    return f"{text}:" if colon and not text.endswith(("?", ":")) else text


# ---- drawing helpers ----


def thickness(page: Page, pt: float) -> int:
    return max(1, round(pt * page.dpi / 72))


def vrule(page: Page, x: int, y0: int, y1: int, thickness_pt: float = 0.8) -> None:
    """A vertical line."""
    t = thickness(page, thickness_pt)
    page.draw.rectangle((x, y0, x + t - 1, y1), fill=page.style.ink)


def rect(page: Page, x0: int, y0: int, x1: int, y1: int, thickness_pt: float = 0.8) -> None:
    """A rectangle drawn as four rules."""
    page.rule(x0, x1, y0, thickness_pt)
    page.rule(x0, x1, y1 - thickness(page, thickness_pt) + 1, thickness_pt)
    vrule(page, x0, y0, y1, thickness_pt)
    vrule(page, x1 - thickness(page, thickness_pt) + 1, y0, y1, thickness_pt)


def shade(page: Page, x0: int, y0: int, x1: int, y1: int, grey: int) -> None:
    """A filled band behind a heading (light grey, so its text stays readable)."""
    page.draw.rectangle((x0, y0, x1, y1), fill=grey)


def checkbox(page: Page, x: int, baseline: int, size: int, mark: str | None) -> None:
    """A square box sitting on `baseline`, marked with a "tick", a "cross" or "fill", or left empty."""
    y0, x1 = baseline - size, x + size
    rect(page, x, y0, x1, baseline, 0.8)
    ink, width = page.style.ink, thickness(page, 1.4)
    pad = max(2, size // 5)
    if mark == "cross":
        page.draw.line((x + pad, y0 + pad, x1 - pad, baseline - pad), fill=ink, width=width)
        page.draw.line((x + pad, baseline - pad, x1 - pad, y0 + pad), fill=ink, width=width)
    elif mark == "tick":
        mid = (x + pad + size // 3, baseline - pad)
        page.draw.line((x + pad, y0 + size // 2, *mid), fill=ink, width=width)
        page.draw.line((*mid, x1 + pad, y0 - pad), fill=ink, width=width)
    elif mark == "fill":
        page.draw.rectangle((x + pad, y0 + pad, x1 - pad, baseline - pad), fill=ink)


def ring(page: Page, x0: int, y0: int, x1: int, y1: int) -> None:
    """An ellipse drawn round a chosen option, as by hand."""
    page.draw.ellipse((x0, y0, x1, y1), outline=page.style.ink, width=thickness(page, 1.1))


def options(
    page: Page,
    x: int,
    baseline: int,
    words: tuple[str, ...],
    chosen: int | None,
    font: ImageFont.FreeTypeFont,
    kind: str,
    mark: str,
) -> int:
    """Draw answer options from x on `baseline`: "box" (a box before each word, the chosen one marked
    with `mark`) or "circle" (the chosen word ringed). Returns the x after the last option."""
    size = round(font.size * 0.75)
    gap = round(font.size * 1.3)
    ascent = font.getmetrics()[0]
    for i, word in enumerate(words):
        if kind == "box":
            checkbox(page, x, baseline, size, mark if i == chosen else None)
            x += size + round(font.size * 0.35)
            x += page.text(x, baseline, word, font)
        else:
            w = page.text(x, baseline, word, font)
            if i == chosen:
                pad = round(font.size * 0.3)
                ring(page, x - pad, baseline - ascent - pad // 2, x + w + pad, baseline + pad)
            x += w
        x += gap
    return x


class Flow:
    """Pages drawn top to bottom; `need(h)` starts a new page when h more pixels do not fit."""

    def __init__(self, dpi: int, style: Style, top: float, bottom: float) -> None:
        self.dpi, self.style = dpi, style
        self.pages: list[Page] = []
        self.top_in, self.bottom_in = top, bottom
        self.new_page()

    def new_page(self) -> None:
        self.page = Page(self.dpi, self.style)
        self.pages.append(self.page)
        self.y = self.page.px(self.top_in)
        self.bottom = self.page.px(11.0 - self.bottom_in)

    def need(self, height: int) -> int:
        if self.y + height > self.bottom and self.y > self.page.px(self.top_in):
            self.new_page()
        return self.y

    def images(self) -> list[Image.Image]:
        return [p.image for p in self.pages]
