"""A general practice's new-patient health questionnaire (UK, Australia, New Zealand, Ireland).

Personal details in two columns of labels with values on rules, dotted leaders or nothing; next of
kin; a table of conditions answered by ticking Yes / No (or Y / N / Unsure) columns, with the
details written under it; immunity asked as questions ("Have you had chickenpox?"); allergies and
regular medicines as a tick and a list; insurance on the second half or on page two; and the
patient's signature with the date at the end.
"""

from __future__ import annotations

import random

from PIL import Image, ImageFont

from docgen.canvas import Page, pick_style
from docgen.content import content
from docgen.families import _intl as intl
from docgen.families import _pd_common as pd

FAMILY = "pd_history_yes_no"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "GP new-patient health questionnaire (UK/AU/NZ/IE): two-column personal details, next of kin, "
    "conditions table ticked Yes/No(/Unsure), immunity as questions, insurance late or on page two, "
    "signed and dated at the end"
)

TITLES = (
    "NEW PATIENT HEALTH QUESTIONNAIRE",
    "Medical History Questionnaire",
    "Patient Health Questionnaire",
    "NEW PATIENT REGISTRATION - HEALTH CHECK",
    "Confidential Health Questionnaire",
)
# Conditions asked about, with the words of a listed medical problem that mean "Yes" on its row.
CONDITIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Asthma", ("asthma",)),
    ("High blood pressure", ("hypertension",)),
    ("Diabetes", ("diabetes",)),
    ("Epilepsy / seizures", ("seizures",)),
    ("Migraine or headaches", ("migraine", "headaches")),
    ("Arthritis or gout", ("arthritis", "gout")),
    ("Depression / anxiety", ("depression", "anxiety")),
    ("Thyroid problems", ("hypothyroidism",)),
    ("Heart disease", ()),
    ("Stroke or TIA", ()),
    ("Kidney disease", ()),
    ("Cancer", ()),
    ("Anaemia", ("anemia",)),
    ("Eczema / psoriasis", ("eczema",)),
    ("Reflux / indigestion", ("acid reflux",)),
    ("High cholesterol", ("high cholesterol",)),
)
IMMUNITY_QUESTIONS = {
    "chickenpox": (
        "Have you had chickenpox?",
        "Have you ever had chickenpox (varicella)?",
        "Had chickenpox?",
    ),
    "measles": (
        "Have you had measles or two doses of MMR?",
        "Have you had measles?",
        "Measles - had it or immunised?",
    ),
    "hepatitis_b_vaccination": (
        "Have you had the Hepatitis B vaccination?",
        "Have you completed a course of Hepatitis B vaccine?",
        "Hepatitis B vaccinated?",
    ),
}
DETAIL_LABELS = (
    "If yes to any of the above, or any other illness, please give details:",
    "Other conditions / details:",
    "Please list any other medical problems:",
    "Details of any condition ticked Yes:",
)
ANSWER_HEADS = (("Yes", "No"), ("Y", "N"), ("Yes", "No", "Unsure"), ("YES", "NO"), ("Y", "N", "Unsure"))


def _yes(truth: str) -> bool | None:
    """The row's answer for a canonical truth: True for Yes/IMMUNE, None when left unanswered."""
    return None if not truth else truth in ("Yes", pd.IMMUNE)


def _listed(truth: str) -> bool:
    """Whether a list answer names something (a "None" or blank list is ticked No)."""
    return bool(truth) and truth not in ("None", "No known allergies")


def condition_answers(rows: list[tuple[str, tuple[str, ...]]], problems: str) -> list[bool]:
    """Yes on each condition row that a listed medical problem names, No on the others."""
    text = problems.lower()
    return [any(word in text for word in words) for _row, words in rows]


class _Sheet:
    """The questionnaire being drawn: the flow of pages, its fonts and the form's own choices."""

    def __init__(self, rng: random.Random, dpi: int) -> None:
        self.rng = rng
        self.flow = pd.Flow(dpi, pick_style(rng), top=rng.uniform(0.5, 0.75), bottom=0.6)
        page = self.flow.page
        self.left = page.px(rng.uniform(0.55, 0.85))
        self.right = page.image.width - page.px(rng.uniform(0.55, 0.85))
        self.label = page.font(
            bold=rng.random() < 0.35, scale=rng.uniform(0.82, 0.95), family=page.style.label
        )
        self.value = page.font(bold=False, scale=rng.uniform(0.95, 1.08))
        # The questions are printed on the form: the label face, in a regular weight.
        self.question = page.font(
            bold=False, scale=self.value.size / page.font(bold=False).size, family=page.style.label
        )
        self.heading_font = page.font(bold=True, scale=rng.uniform(1.05, 1.2), family=page.style.label)
        self.step = round(page.line_step(self.value) * rng.uniform(1.15, 1.45))
        self.leader = rng.choice(("rule", "dots", "none"))
        self.colon = rng.random() < 0.5
        self.heads = rng.choice(ANSWER_HEADS)
        self.mark = rng.choice(("tick", "cross", "box_tick", "box_cross"))
        self.band = rng.choice((None, 225, 210))
        self.col_w = page.px(rng.uniform(0.55, 0.8))  # one width for every answer column of the form

    @property
    def page(self) -> Page:
        return self.flow.page

    def heading(self, text: str) -> None:
        """A numbered or plain section heading, on a grey band on some forms."""
        self.flow.need(self.step * 4)
        page, y = self.page, self.flow.y + self.step // 3
        if self.band is not None:
            page.draw.rectangle(
                (self.left, y - self.heading_font.size - page.px(0.05), self.right, y + page.px(0.06)),
                fill=self.band,
            )
        page.text(self.left + page.px(0.05), y, text, self.heading_font)
        self.flow.y = y + round(self.step * 1.2)

    def pair(self, x: int, x_end: int, label: str, lines: list[str]) -> int:
        """A label with its value after it on a rule, dotted leader or bare; returns the rows used."""
        page, y = self.page, self.flow.y
        label = pd.with_colon(label, self.colon)
        start = x + page.text(x, y, label, page.fit(label, self.label, x_end - x)) + page.px(0.1)
        for line in lines or [""]:
            font = page.fit(line, self.value, max(page.px(0.4), x_end - start - page.px(0.05)))
            page.text(start + page.px(0.05), y, line, font)
            if self.leader == "rule":
                page.rule(start, x_end, y + page.underline_gap(font), 0.5)
            elif self.leader == "dots":
                _dots(page, start, x_end, y + page.underline_gap(font))
            y += self.step
        return max(1, len(lines))

    def two_columns(self, *columns: list[tuple[str, list[str]]]) -> None:
        """Columns of label/value pairs side by side from the current line (two, or one spanning)."""
        rows = max(sum(len(lines) or 1 for _label, lines in items) for items in columns)
        self.flow.need(self.step * (rows + 1))
        top, bottoms = self.flow.y, []
        width = (self.right - self.left) // len(columns)
        for i, items in enumerate(columns):
            x = self.left + i * width
            self.flow.y = top
            for label, lines in items:
                self.flow.y += self.pair(x, x + width - self.page.px(0.25), label, lines) * self.step
            bottoms.append(self.flow.y)
        self.flow.y = max(bottoms) + self.step // 3

    def table(self, title: str, rows: list[tuple[str, bool | None]]) -> None:
        """Questions down the left, answer columns on the right; each answer marked in its column."""
        page = self.page
        col_w = self.col_w
        xs = [self.right - col_w * (len(self.heads) - i) + col_w // 2 for i in range(len(self.heads))]
        ruled = self.rng.random() < 0.6
        self.flow.need(self.step * 3)
        page, y = self.page, self.flow.y
        page.text(self.left, y, title, self.label)
        self.heads_row(xs, y)
        for text, answer in rows:
            if ruled:
                page.rule(self.left, self.right, y + self.step // 3, 0.5)
            self.flow.y = y + self.step
            before = self.page
            self.flow.need(self.step * 2)
            page, y = self.page, self.flow.y
            if page is not before:  # the table goes on overleaf under its column heads again
                self.heads_row(xs, y)
                y = self.flow.y = y + self.step
            page.text(
                self.left + page.px(0.1), y, text, page.fit(text, self.question, xs[0] - self.left - col_w)
            )
            for i, x in enumerate(xs):
                chosen = answer is not None and i == (0 if answer else 1)
                if chosen or self.mark.startswith("box"):
                    self.mark_cell(x, y, chosen)
        if ruled:
            page.rule(self.left, self.right, y + self.step // 3, 0.5)
        self.flow.y = y + round(self.step * 1.3)

    def heads_row(self, xs: list[int], y: int) -> None:
        """The answer columns' heads ("Yes", "No", ...) centred over their columns."""
        for x, head in zip(xs, self.heads, strict=True):
            self.page.text(x, y, head, _bold(self.page, self.label), align="center")

    def mark_cell(self, x: int, y: int, on: bool) -> None:
        """One answer cell: a box (ticked or crossed when `on`), or a bare tick or cross."""
        page, size = self.page, round(self.value.size * 0.75)
        kind = self.mark.removeprefix("box_")
        if self.mark.startswith("box"):
            pd.checkbox(page, x - size // 2, y, size, kind if on else None)
        elif on:
            _hand_mark(page, x - size // 2, y, size, kind)


def _dots(page: Page, x0: int, x1: int, y: int) -> None:
    """A dotted leader from x0 to x1 in the lighter grey forms print their leaders in."""
    gap = max(3, page.px(0.055))
    radius = max(1, page.px(0.005))
    grey = max(page.style.ink, 175)
    for x in range(x0, x1, gap):
        page.draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=grey)


def _hand_mark(page: Page, x: int, y: int, size: int, kind: str) -> None:
    """A tick or a cross drawn by hand, without a box."""
    ink, width = page.style.ink, pd.thickness(page, 1.5)
    if kind == "tick":
        page.draw.line(
            (x, y - size // 2, x + size // 3, y, x + size + size // 4, y - size - size // 4),
            fill=ink,
            width=width,
        )
    else:
        page.draw.line((x, y - size, x + size, y), fill=ink, width=width)
        page.draw.line((x, y, x + size, y - size), fill=ink, width=width)


def _bold(page: Page, font: ImageFont.FreeTypeFont) -> ImageFont.FreeTypeFont:
    """The bold face of the label family at `font`'s size."""
    return page.font(bold=True, scale=font.size / page.font(bold=False).size, family=page.style.label)


INSURER_LABELS = {
    "uk": ("Insurer", "Insurance company", "Name of insurer"),
    "au": ("Health fund", "Private health fund", "Name of fund"),
    "nz": ("Insurance provider", "Insurer", "Health insurer"),
    "ie": ("Insurer", "Health insurer", "Insurance company"),
}
LABELS = {
    "patient_name": ("Full name", "Name", "Patient's full name", "Name (in full)", "Patient name"),
    "birth_date": ("Date of birth", "DOB", "D.O.B."),
    "address": ("Home address", "Address", "Permanent address", "Address in full"),
    "phone_number": ("Telephone", "Mobile", "Home tel.", "Contact number", "Best contact number"),
    "weight": ("Weight (kg)", "Weight"),
    "height": ("Height (cm)", "Height"),
    "emergency_contact_name": ("Name", "Next of kin", "Name of next of kin", "Contact name"),
    "emergency_contact_phone": ("Telephone", "Contact number", "Phone", "Mobile"),
    "policy_number": ("Membership no.", "Policy number", "Member number", "Policy / membership no."),
    "insurance_expiry": ("Expiry date", "Valid until", "Cover ends", "Expiry"),
}


def _header(sheet: _Sheet, country: intl.Country) -> None:
    """Practice name and address, the title and the instruction to tick."""
    rng, page = sheet.rng, sheet.page
    town = rng.choice(country.towns)[0]
    practice = intl.practice(rng, country)
    centred = rng.random() < 0.5
    x, align = ((sheet.left + sheet.right) // 2, "center") if centred else (sheet.left, "left")
    big = page.font(bold=True, scale=rng.uniform(1.3, 1.7), family=page.style.label)
    small = page.font(bold=False, scale=0.8, family=page.style.label)
    y = sheet.flow.y + big.size
    page.text(x, y, practice, page.fit(practice, big, sheet.right - sheet.left), align=align)
    y += page.line_step(small)
    contact = (
        f"{rng.randint(1, 120)} {rng.choice(intl.STREETS)}, {town}   Tel {intl.phone(rng, country, False)}"
    )
    page.text(x, y, contact, page.fit(contact, small, sheet.right - sheet.left), align=align)
    y += round(sheet.step * 1.6)
    title = page.font(bold=True, scale=rng.uniform(1.15, 1.4), family=page.style.label)
    page.text(x, y, rng.choice(TITLES), title, align=align)
    y += sheet.step
    note = rng.choice(
        ("Please answer every question by ticking Yes or No.", "Tick the box that applies.", "")
    )
    if note:
        page.text(sheet.left, y, note, page.font(bold=False, scale=0.85, family=page.style.label))
        y += sheet.step
    sheet.flow.y = y


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    country = intl.pick_country(rng)
    record, _parts = intl.localised_record(rng, country, rng.choice(intl.DATE_STYLES))
    t, c = record.lines, content(rng)
    sheet = _Sheet(rng, dpi)
    _header(sheet, country)
    numbered = rng.random() < 0.5

    def heading(n: int, text: str) -> None:
        sheet.heading(f"{n}. {text}" if numbered else text)

    def label(name: str) -> str:
        return rng.choice(LABELS[name])

    def shown(*names: str) -> list[tuple[str, list[str]]]:
        items = []
        for name in names:
            if record.shown(name):
                text = label(name)
                items.append((text, pd.measure_lines(rng, name, text, t[name])))
        return items

    extras = [(lbl, [value]) for lbl, value in pd.extras(rng, record)]
    heading(1, rng.choice(("Your details", "Personal details", "About you")))
    sheet.two_columns(
        shown("patient_name", "birth_date", "address"), shown("phone_number", "weight", "height") + extras
    )
    heading(2, rng.choice(("Next of kin", "Emergency contact", "Next of kin / emergency contact")))
    relationship = ("Relationship", [c.choice(pd.RELATIONSHIPS)])
    sheet.two_columns([*shown("emergency_contact_name"), relationship], shown("emergency_contact_phone"))

    heading(3, rng.choice(("Medical history", "Your health", "Past medical history")))
    rows = rng.sample(CONDITIONS, rng.randint(7, 12))
    answers = condition_answers(rows, record.truth["medical_problems"])
    sheet.table(
        rng.choice(("Have you ever had:", "Condition", "Do you have, or have you had:")),
        [(row, yes) for (row, _words), yes in zip(rows, answers, strict=True)],
    )
    sheet.two_columns([(rng.choice(DETAIL_LABELS), t["medical_problems"])])
    immunity = [
        (rng.choice(IMMUNITY_QUESTIONS[name]), _yes(record.truth[name]))
        for name in ("chickenpox", "measles", "hepatitis_b_vaccination")
        if record.shown(name)
    ]
    lists = [
        (
            "allergies",
            "Do you have any allergies (medicines, food, latex)?",
            "If yes, please list your allergies",
        ),
        (
            "regular_medications",
            "Do you take any regular medicines?",
            "If yes, please list your regular medicines",
        ),
    ]
    heading(4, rng.choice(("Immunisations and medicines", "Immunisations, allergies and medicines")))
    sheet.table(
        rng.choice(("Question", "", "Please tick")),
        immunity + [(question, _listed(record.truth[name])) for name, question, _list in lists],
    )
    for name, _question, list_label in lists:
        sheet.two_columns([(list_label, t[name])])

    if rng.random() < 0.5 and len(sheet.flow.pages) == 1:
        sheet.flow.new_page()  # insurance overleaf
    heading(5, rng.choice(("Private health insurance", "Health insurance", "Insurance")))
    sheet.table(
        "",
        [
            (
                rng.choice(("Do you have private health insurance?", "Are you privately insured?")),
                _yes(record.truth["has_medical_insurance"]),
            )
        ],
    )
    insurer = (rng.choice(INSURER_LABELS[country.code]), t["insurance_company"])
    sheet.two_columns([insurer, *shown("policy_number")], shown("insurance_expiry"))

    # The declaration, signed and dated by the patient: the form's date is this one.
    sheet.flow.need(sheet.step * 4)
    sheet.flow.y += sheet.step
    page = sheet.page
    declaration = "I confirm the information above is correct to the best of my knowledge."
    page.text(
        sheet.left, sheet.flow.y, declaration, page.fit(declaration, sheet.label, sheet.right - sheet.left)
    )
    sheet.flow.y += round(sheet.step * 1.6)
    signature = ("Signature", [""])
    date = (rng.choice(("Date", "Date completed", "Today's date")), t["record_date"])
    sheet.two_columns([signature], [date])
    return record.truth, sheet.flow.images()
