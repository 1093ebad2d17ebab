"""A referral letter or a discharge summary in prose on letterhead: neither a prescription nor a
patient record, though it names a patient, a date of birth, an address, medicines and doctors.

A letter runs: letterhead, date, the consultant's address, a "Re:" line, "Dear Dr ...", paragraphs
that mention the patient's age, birth date and home, the history and the current medicines (in
prose or as a short list), then "Yours sincerely", a signature and the referring doctor. A
discharge summary runs: title, patient / admission lines, diagnosis, hospital course, a numbered
list of discharge medicines with directions (the nearest an "unknown" page comes to an Rx), the
follow-up and the discharging doctor. Truth is {}: the document has no fields to extract.
"""

from __future__ import annotations

import random

from PIL import Image, ImageFont

from docgen import values
from docgen.canvas import pick_style
from docgen.content import content
from docgen.families import _other_common as other
from docgen.families import _pd_common as pd
from docgen.families import _rx_common as rx

FAMILY = "other_referral_letter"
DOC_TYPE = "unknown"
DESCRIPTION = (
    "referral letter or discharge summary in prose on letterhead: names the patient, birth date, "
    "address, medicines and doctors without being a prescription or an intake form"
)

SPECIALTIES = (
    ("Cardiology", "palpitations and an irregular pulse"),
    ("Endocrinology", "poorly controlled blood sugars"),
    ("Gastroenterology", "weight loss and change in bowel habit"),
    ("Neurology", "recurrent headaches with visual aura"),
    ("Rheumatology", "painful swollen joints in both hands"),
    ("Dermatology", "a changing pigmented lesion on the back"),
    ("Respiratory Medicine", "a persistent cough and breathlessness on exertion"),
    ("Orthopaedics", "knee pain that has not settled with physiotherapy"),
)
CLOSINGS = ("Yours sincerely,", "Kind regards,", "With best wishes,", "Yours faithfully,", "Sincerely,")
FOLLOW_UPS = ("one week", "two weeks", "4 weeks", "6 weeks")
ROLES = ("General Practitioner", "Family Physician", "Primary Care Physician", "Attending Physician")
SUMMARY_TITLES = ("DISCHARGE SUMMARY", "Discharge Summary", "Hospital Discharge Letter", "DISCHARGE NOTE")
COURSES = (
    "was admitted with {problem}. Treated with intravenous fluids and observed for {n} days. Improved "
    "steadily and was mobile and eating well at discharge.",
    "presented to the emergency department with {problem}. Investigations were reassuring and "
    "symptoms settled with treatment. Seen by the {specialty} team before discharge.",
)


def _person(rng: random.Random) -> dict[str, str]:
    """The patient the document is about, as its prose mentions them."""
    vals = content(rng)
    born = values.random_date(vals, 1935, 2005)
    seen = values.random_date(vals, 2015, 2025)
    return {
        "seen": values.format_date(seen, vals.choice(values.DATE_FORMATS)),
        "name": values.person_name(vals),
        "dob": values.format_date(born, vals.choice(values.DATE_FORMATS)),
        "age": str(seen.year - born.year - ((seen.month, seen.day) < (born.month, born.day))),
        "address": f"{values.street(vals)}, {values.city_line(vals)}",
    }


def _medicine_lines(rng: random.Random, count: int) -> list[str]:
    """'Metformin 500 mg twice daily' lines, each a medicine with a dose and how often."""
    vals = content(rng)
    return [f"{text} {vals.choice(values.FREQUENCIES)}" for _name, text in values.medicines(vals, count)]


class Letter:
    """Prose and lines flowing down one or two letter pages."""

    def __init__(self, rng: random.Random, dpi: int) -> None:
        self.flow = pd.Flow(dpi, pick_style(rng), top=0.8, bottom=0.8)
        page = self.flow.page
        self.left = page.px(rng.uniform(0.8, 1.2))
        self.right = page.image.width - page.px(rng.uniform(0.8, 1.1))
        self.body = page.font(bold=False, family=page.style.label)
        self.bold = page.font(bold=True, family=page.style.label)
        self.step = page.line_step(self.body)

    def line(self, text: str, font: ImageFont.FreeTypeFont | None = None, x: int | None = None) -> None:
        self.flow.need(self.step)
        self.flow.page.text(self.left if x is None else x, self.flow.y, text, font or self.body)
        self.flow.y += self.step

    def paragraph(self, text: str, indent: int = 0) -> None:
        """Word-wrapped text, breaking to a new page between lines when the page is full."""
        page, words, line = self.flow.page, text.split(), ""
        width = self.right - self.left - indent
        for word in words:
            trial = f"{line} {word}".strip()
            if line and page.width(trial, self.body) > width:
                self.line(line, x=self.left + indent)
                line = word
            else:
                line = trial
        if line:
            self.line(line, x=self.left + indent)
        self.flow.y += self.step // 2

    def gap(self, lines: float) -> None:
        self.flow.y += round(self.step * lines)

    def images(self) -> list[Image.Image]:
        return self.flow.images()


def _signature(letter: Letter, rng: random.Random, doctor: str, role: str) -> None:
    """A hand-written signature over the doctor's typed name and role."""
    letter.flow.need(letter.step * 4)
    page, y = letter.flow.page, letter.flow.y + letter.step
    rx.scribble(page, rng, letter.left, letter.left + page.px(rng.uniform(1.3, 2.0)), y)
    letter.flow.y = y + letter.step
    letter.line(doctor, letter.bold)
    letter.line(role)


def _referral(letter: Letter, rng: random.Random, who: dict[str, str]) -> None:
    specialty, problem = rng.choice(SPECIALTIES)
    consultant, referrer = values.prescriber(content(rng)), values.prescriber(content(rng))
    letter.line(who["seen"])
    letter.gap(0.8)
    for text in (
        consultant,
        f"Department of {specialty}",
        rx.hospital_name(rng),
        values.one_line_address(rng),
    ):
        letter.line(text)
    letter.gap(0.8)
    re_line = f"Re: {who['name']}, DOB {who['dob']}"
    letter.line(re_line, letter.bold)
    address_on_re = rng.random() < 0.6  # else the first paragraph says where the patient lives
    if address_on_re:
        letter.line(who["address"], letter.bold, x=letter.left + letter.flow.page.width("Re: ", letter.bold))
    letter.gap(0.6)
    title, *_given, surname = consultant.split(",")[0].split()
    letter.line(f"Dear {title} {surname},")
    letter.gap(0.3)
    home = "" if address_on_re else f" who lives at {who['address']},"
    letter.paragraph(
        f"Thank you for seeing this {who['age']}-year-old patient,{home} born {who['dob']}, whom I "
        f"saw today with {problem}. I would be grateful for your assessment and advice on management."
    )
    history = rng.sample([p for p in values.MEDICAL_PROBLEMS if p != "None" and "," not in p], 2)
    letter.paragraph(
        f"The patient has a background of {history[0].lower()} and {history[1].lower()}. "
        + rng.choice(other.FINDINGS).format(**other.paragraph_values(content(rng)))
    )
    meds = _medicine_lines(rng, rng.randint(2, 3))
    who.update(medicine=meds[0], doctor=referrer.split(",")[0])
    if rng.random() < 0.5:
        letter.paragraph(f"Current medications are {', '.join(meds[:-1])} and {meds[-1]}.")
    else:
        letter.line("Current medications:")
        for med in meds:
            letter.line(f"-  {med}", x=letter.left + letter.flow.page.px(0.3))
        letter.gap(0.5)
    allergy = rng.choice([a for a in values.ALLERGIES if "," not in a])
    letter.paragraph(
        f"Allergies: {allergy}. Please do not hesitate to contact me if you need anything further."
    )
    letter.line(rng.choice(CLOSINGS))
    _signature(letter, rng, referrer, rng.choice(ROLES))
    letter.line(f"cc: {who['name']}", letter.body)


def _discharge(letter: Letter, rng: random.Random, who: dict[str, str]) -> None:
    specialty, problem = rng.choice(SPECIALTIES)
    title = letter.flow.page.font(bold=True, scale=1.3, family=letter.flow.page.style.label)
    letter.line(rng.choice(SUMMARY_TITLES), title)
    letter.gap(0.4)
    attending = values.prescriber(content(rng))
    rows = [
        f"Patient: {who['name']}     DOB: {who['dob']}",
        f"Address: {who['address']}",
        f"Admitted: {who['seen']}     Ward: {rng.choice(('4B', '2 North', 'AMU', '7'))}",
        f"Attending: {attending}     Specialty: {specialty}",
    ]
    for row in rows:
        letter.line(row)
    letter.gap(0.5)
    letter.line("Diagnosis:", letter.bold)
    letter.paragraph(problem[0].upper() + problem[1:] + ".", indent=letter.flow.page.px(0.25))
    letter.line("Hospital course:", letter.bold)
    course = rng.choice(COURSES).format(problem=problem, n=rng.randint(2, 6), specialty=specialty)
    letter.paragraph(f"This {who['age']}-year-old patient {course}", indent=letter.flow.page.px(0.25))
    letter.line(rng.choice(("Discharge medications:", "Medications on discharge:", "TTO:")), letter.bold)
    meds = _medicine_lines(rng, rng.randint(2, 4))
    who.update(medicine=meds[0], doctor=attending.split(",")[0])
    for i, med in enumerate(meds, start=1):
        letter.line(f"{i}. {med}", x=letter.left + letter.flow.page.px(0.25))
    letter.gap(0.5)
    letter.line("Follow-up:", letter.bold)
    letter.paragraph(
        f"Review by {values.prescriber(content(rng))} in {rng.choice(FOLLOW_UPS)}. "
        "Return to the emergency department if symptoms recur.",
        indent=letter.flow.page.px(0.25),
    )
    _signature(letter, rng, attending, rng.choice(("Attending Physician", "Consultant", "Hospitalist")))


def layout(rng: random.Random, dpi: int) -> tuple[str, Letter, dict[str, str]]:
    """The kind drawn ("referral" or "discharge"), the pages, and what the prose mentions: the
    patient's name, dob and address, a medicine line and the signing doctor."""
    letter = Letter(rng, dpi)
    page = letter.flow.page
    name = rx.hospital_name(rng) if rng.random() < 0.4 else rx.clinic_name(rng)
    letter.flow.y = other.letterhead(page, rng, letter.left, letter.right, name)
    who = _person(rng)
    kind = "referral" if rng.random() < 0.6 else "discharge"
    (_referral if kind == "referral" else _discharge)(letter, rng, who)
    return kind, letter, who


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    _kind, letter, _who = layout(rng, dpi)
    return {}, letter.images()
