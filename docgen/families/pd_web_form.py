"""An online intake form as a browser prints it once the patient has submitted it.

Many practices now send new patients a web form (form builders such as JotForm, IntakeQ or
Google Forms) and the office prints or saves the submission as a PDF. Its structure is unlike a
paper form's: each question is a bold label (a ``*`` when required) over an input box holding the
answer, with captions under the boxes of a split answer ("First Name", "Last Name"; "Street
Address", "City", "State / Province", "Postal / Zip Code") and hints in small grey print ("Please
enter a valid phone number.", "MM-DD-YYYY"); choices are radio circles, one filled; an empty box
may still show its placeholder in light grey. The browser adds a header (the time it printed the
page, a title) and a footer (the form's address, "1/3") to every page, and the time printed is a
date that is no field.

Truth convention: as the other patient-record families; a name asked in First / Last boxes is
"First Last"; an address asked in parts is the street line, then "City, ST 12345" (as
``pd_split_fields`` writes it); an empty box's placeholder is no value ("").
"""

from __future__ import annotations

import datetime as dt
import random

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.families import _pd_common as pd
from docgen.families.pd_split_fields import city_truth

FAMILY = "pd_web_form"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "online intake form printed by a browser: bold questions over answer boxes, captions under split "
    "boxes, grey hints and placeholders, radio circles, a print time and the form's address on each page"
)

FORM_HOSTS = ("jotform.com", "intakeq.com", "formsite.com", "docs.google.com", "patientforms.net")
PLACEHOLDERS = ("Type here...", "e.g. Penicillin", "Enter your answer", "Optional", "Please list")
HINTS: dict[str, tuple[str, ...]] = {
    "phone": ("Please enter a valid phone number.", "(000) 000-0000", "Include area code"),
    "date": ("MM-DD-YYYY", "Date", "mm/dd/yyyy", "Month Day, Year"),
    "list": ("Separate each item with a new line.", "Write 'None' if none apply.", ""),
}
STATE_CAPTIONS = ("State / Province", "State", "State / Region")
ZIP_CAPTIONS = ("Postal / Zip Code", "Zip Code", "ZIP / Postal Code")
HEAR_ABOUT = ("Google", "Friend or family", "Insurance directory", "Another doctor", "Social media")


class WebForm:
    """Questions drawn top to bottom in one column (two answers a row when both are short), new
    pages as needed; the browser's header and footer are added when the pages are done."""

    def __init__(self, rng: random.Random, dpi: int) -> None:
        self.rng = rng
        self.flow = pd.Flow(dpi, pick_style(rng), top=rng.uniform(0.75, 0.95), bottom=0.75)
        page = self.flow.page
        self.left = page.px(rng.uniform(0.6, 0.95))
        self.right = page.image.width - page.px(rng.uniform(0.6, 0.95))
        self.label_font = page.font(bold=True, scale=rng.uniform(0.9, 1.05), family=page.style.label)
        scale = rng.uniform(0.9, 1.0)
        self.value_font = page.font(bold=False, scale=scale)
        # Boxes and spacing follow the printed face, so a form filled in by hand (a printout of
        # the blank form) has the same boxes and pages as a typed one.
        self.body = page.font(False, scale, page.style.label)
        self.small = page.font(False, rng.uniform(0.68, 0.78), page.style.label)
        self.box_grey = rng.randint(120, 185)
        self.hint_grey = rng.randint(70, 120)
        self.required = rng.random() < 0.7
        self.numbered = rng.random() < 0.25
        self.asked = 0
        self.step = page.line_step(self.body)
        self.band = rng.choice(("shade", "rule", "plain"))

    @property
    def page(self) -> Page:
        return self.flow.page

    def label(self, x: int, text: str, required: bool | None = None) -> None:
        """A question's label at the current height, '*' after it when the form requires it."""
        starred = self.required if required is None else required
        self.asked += 1
        shown = f"{self.asked}. {text}" if self.numbered else text
        self.page.text(x, self.flow.y, shown + (" *" if starred else ""), self.label_font)

    def box(self, x0: int, x1: int, top: int, lines: list[str], placeholder: str = "") -> int:
        """An input box from `top` holding `lines` (or a grey placeholder when empty); returns
        its bottom."""
        page, pad = self.page, max(3, self.page.px(0.07))
        rows = max(1, len(lines))
        bottom = top + 2 * pad + rows * self.step - (self.step - self.body.size)
        page.draw.rectangle((x0, top, x1, bottom), outline=self.box_grey, width=pd.thickness(page, 0.6))
        baseline = top + pad + round(self.body.size * 0.85)
        for line in lines:
            page.text(x0 + pad * 2, baseline, line, page.fit(line, self.value_font, x1 - x0 - pad * 4))
            baseline += self.step
        if not lines and placeholder:
            page.ink_text((x0 + pad * 2, baseline), placeholder, self.small, "ls", fill=175)
        return bottom

    def caption(self, x: int, y: int, text: str) -> None:
        if text:
            self.page.ink_text((x, y), text, self.small, "ls", fill=self.hint_grey)

    def question(
        self, text: str, answers: list[tuple[list[str], str]], width: float = 1.0, placeholder: str = ""
    ) -> None:
        """A label over one box per answer (lines, caption under it) side by side in `width` of
        the column."""
        caption_room = self.small.size * 1.6 if any(c for _, c in answers) else 0
        rows = max(max(1, len(lines)) for lines, _ in answers)
        height = round(self.step * (1.2 + rows) + caption_room + self.step * 0.9)
        self.flow.need(height)
        if text:
            self.label(self.left, text)
            top = self.flow.y + round(self.step * 0.45)
        else:  # a further row of a split answer, under the boxes above
            top = self.flow.y - round(self.step * 0.8)
        span = round((self.right - self.left) * width)
        gap = self.page.px(0.18)
        each = (span - gap * (len(answers) - 1)) // len(answers)
        bottom = top
        for i, (lines, caption) in enumerate(answers):
            x0 = self.left + i * (each + gap)
            bottom = self.box(x0, x0 + each, top, lines, placeholder if len(answers) == 1 else "")
            self.caption(x0, bottom + round(self.small.size * 1.2), caption)
        self.flow.y = bottom + round(caption_room + self.step * 1.5)

    def pair(self, left: tuple[str, list[str], str], right: tuple[str, list[str], str]) -> None:
        """Two short questions side by side, each a label over its box and caption."""
        self.flow.need(round(self.step * 4.5))
        half = (self.right - self.left - self.page.px(0.3)) // 2
        top = self.flow.y + round(self.step * 0.45)
        bottom = top
        for x0, (text, lines, caption) in ((self.left, left), (self.right - half, right)):
            self.label(x0, text)
            bottom = self.box(x0, x0 + half, top, lines[:1])
            self.caption(x0, bottom + round(self.small.size * 1.2), caption)
        self.flow.y = bottom + round(self.small.size * 1.6 + self.step * 1.5)

    def radios(self, text: str, options: tuple[str, ...], chosen: int | None) -> None:
        """A label and its options as radio circles in a row (or one under another); the chosen
        circle is filled."""
        vertical = self.rng.random() < 0.3
        self.flow.need(round(self.step * (2.5 + (len(options) if vertical else 1))))
        self.label(self.left, text)
        page, size = self.page, round(self.body.size * 0.8)
        x, y = self.left + page.px(0.1), self.flow.y + round(self.step * 1.3)
        font = page.font(False, 0.95, page.style.label)
        for i, option in enumerate(options):
            page.draw.ellipse(
                (x, y - size, x + size, y), outline=page.style.ink, width=pd.thickness(page, 0.7)
            )
            if i == chosen:
                inset = max(2, size // 4)
                page.draw.ellipse(
                    (x + inset, y - size + inset, x + size - inset, y - inset), fill=page.style.ink
                )
            advance = size + page.px(0.08) + page.text(x + size + page.px(0.08), y, option, font)
            if vertical:
                y += self.step
            else:
                x += advance + page.px(0.35)
        self.flow.y = y + round(self.step * (1.4 if not vertical else 0.9))

    def ticks(self, text: str, options: tuple[str, ...], ticked: set[int]) -> None:
        """A question of no field answered with ticked boxes in a row."""
        self.flow.need(round(self.step * 3.5))
        self.label(self.left, text, required=False)
        page, size = self.page, round(self.body.size * 0.75)
        x, y = self.left + page.px(0.1), self.flow.y + round(self.step * 1.3)
        font = page.font(False, 0.9, page.style.label)
        for i, option in enumerate(options):
            if x + page.width(option, font) + size * 3 > self.right:
                x, y = self.left + page.px(0.1), y + self.step
            pd.checkbox(page, x, y, size, "tick" if i in ticked else None)
            x += size + page.px(0.08)
            x += page.text(x, y, option, font) + page.px(0.3)
        self.flow.y = y + round(self.step * 1.4)

    def section(self, title: str) -> None:
        self.flow.need(round(self.step * 6))
        page = self.page
        font = page.font(bold=True, scale=self.rng.uniform(1.15, 1.35), family=page.style.label)
        y = self.flow.y + round(self.step * 0.4)
        if self.band == "shade":
            ascent = font.getmetrics()[0]
            pd.shade(page, self.left, y - ascent - page.px(0.08), self.right, y + page.px(0.1), 228)
            page.text(self.left + page.px(0.1), y, title, font)
        else:
            page.text(self.left, y, title, font)
            if self.band == "rule":
                page.rule(self.left, self.right, y + page.underline_gap(font), 0.6)
        self.flow.y = y + round(self.step * 1.9)

    def text_block(self, text: str, scale: float = 0.85) -> None:
        """A paragraph of print (instructions, consent) wrapped to the column."""
        font = self.page.font(False, scale, self.page.style.label)
        lines = self.page.wrapped(text, font, self.right - self.left)
        for number, line in enumerate(lines, 1):
            self.flow.need(self.step)
            self.page.text(self.left, self.flow.y, line, font)
            self.flow.y += round(self.step * (1.5 if number == len(lines) else 0.95))

    def finish(self, clinic: str, title: str, printed: dt.datetime) -> list[Image.Image]:
        """The browser's header and footer on every page; the pages."""
        pages = self.flow.pages
        slug = "".join(ch for ch in clinic.lower() if ch.isalnum())[:14]
        url = f"https://{self.rng.choice(FORM_HOSTS)}/{slug}/{self.rng.randint(10**9, 10**10 - 1)}"
        hour = printed.hour % 12 or 12
        stamp = f"{printed.month}/{printed.day}/{printed.year % 100:02d}, {hour}:{printed.minute:02d} "
        stamp += "AM" if printed.hour < 12 else "PM"
        for number, page in enumerate(pages, 1):
            font = page.font(False, 0.7, page.style.label)
            top, foot = page.px(0.35), page.image.height - page.px(0.3)
            margin = page.px(0.4)
            page.text(margin, top, stamp, font)
            page.text(page.image.width // 2, top, f"{title} - {clinic}", font, "center")
            page.text(margin, foot, url, font)
            page.text(page.image.width - margin, foot, f"{number}/{len(pages)}", font, "right")
        return self.flow.images()


def _name_answers(rng: random.Random, name: str) -> list[tuple[list[str], str]]:
    """A name in First / Last boxes (Last first on some forms); an empty name leaves both empty."""
    first, _, last = name.partition(" ")
    answers = [([first] if first else [], "First Name"), ([last] if last else [], "Last Name")]
    return answers[::-1] if rng.random() < 0.25 else answers


def _address(form: WebForm, rng: random.Random, truth: dict[str, str], lines: list[str]) -> None:
    """The address in JotForm's parts (street, line 2, city, state, ZIP) or one text box; sets
    its truth for the parts."""
    label = rng.choice(pd.LABELS["address"])
    if not lines or rng.random() < 0.35:
        form.question(label, [(lines, "")])
        return
    city, state, code, prefix = rng.choice(values.CITIES)
    state = code if rng.random() < 0.8 else state
    zipcode = prefix + f"{rng.randint(1, 99):02d}"
    street = values.street(rng)
    form.question(label, [([street], "Street Address")])
    if rng.random() < 0.5:
        form.question("", [([], "Street Address Line 2")])
    form.question("", [([city], "City"), ([state], rng.choice(STATE_CAPTIONS))])
    form.question("", [([zipcode], rng.choice(ZIP_CAPTIONS))], width=0.5)
    truth["address"] = f"{street}\n{city_truth(city, state, zipcode)}"


def _answer(form: WebForm, rng: random.Random, record: pd.Record, name: str) -> None:
    if record.shown(name):
        form.radios(
            pd.label(rng, name), pd.answer_options(rng, name), pd.chosen_index(name, record.truth[name])
        )


def _box_or_empty(form: WebForm, rng: random.Random, record: pd.Record, name: str, hint: str = "") -> None:
    if record.shown(name):
        lines = record.lines[name]
        form.question(
            pd.label(rng, name, in_section=True), [(lines, hint)], placeholder=rng.choice(PLACEHOLDERS)
        )


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    record = pd.make_record(rng, omit_rate=0.4, max_omitted=1)
    truth, t = record.truth, record.lines
    form = WebForm(rng, dpi)
    clinic, title = pd.clinic_name(rng), rng.choice(pd.FORM_TITLES)
    page = form.page
    page.text(form.left, form.flow.y, title, page.font(True, rng.uniform(1.5, 1.9), page.style.label))
    form.flow.y += round(form.step * 1.5)
    page.text(form.left, form.flow.y, clinic, page.font(False, 1.05, page.style.label))
    form.flow.y += round(form.step * 1.5)
    if rng.random() < 0.7:
        form.text_block(rng.choice(pd.INSTRUCTIONS) + " Fields marked with * are required.")

    if record.shown("record_date"):
        form.question(
            rng.choice(("Today's Date", "Date", "Date of visit")), [(t["record_date"], "Date")], 0.5
        )
    form.section(rng.choice(pd.SECTION_TITLES["patient"]))
    form.question(pd.label(rng, "patient_name"), _name_answers(rng, truth["patient_name"]), 0.8)
    date_hint = rng.choice(HINTS["date"])
    phone_hint = rng.choice(HINTS["phone"])
    if rng.random() < 0.5:
        form.pair(
            (pd.label(rng, "birth_date"), t["birth_date"], date_hint),
            (pd.label(rng, "phone_number"), t["phone_number"], phone_hint),
        )
    else:
        form.question(pd.label(rng, "birth_date"), [(t["birth_date"], date_hint)], 0.5)
        form.question(pd.label(rng, "phone_number"), [(t["phone_number"], phone_hint)], 0.5)
    extras = pd.extras(rng, record)
    for label, text in extras[:1]:
        form.question(label, [([text], "example@example.com" if "mail" in label.lower() else "")], 0.6)
    _address(form, rng, truth, t["address"])
    measures = [n for n in ("weight", "height") if record.shown(n)]
    labels = {n: pd.label(rng, n) for n in measures}
    shown = {n: pd.measure_lines(rng, n, labels[n], t[n]) for n in measures}
    if len(measures) == 2:
        form.pair(*((labels[n], shown[n], "") for n in measures))
    elif measures:
        form.question(labels[measures[0]], [(shown[measures[0]], "")], 0.4)

    def emergency() -> None:
        form.section(rng.choice(pd.SECTION_TITLES["emergency"]))
        name = pd.label(rng, "emergency_contact_name", in_section=True)
        contact = truth["emergency_contact_name"]
        if contact and rng.random() < 0.5:
            form.question(name, _name_answers(rng, contact), 0.8)
        else:
            form.question(name, [(t["emergency_contact_name"], "")], 0.7)
        if record.shown("emergency_contact_phone"):
            form.question(
                pd.label(rng, "emergency_contact_phone", in_section=True),
                [(t["emergency_contact_phone"], rng.choice(HINTS["phone"]))],
                0.5,
            )
        if rng.random() < 0.6:
            form.question("Relationship to patient", [([rng.choice(pd.RELATIONSHIPS)], "")], 0.5)

    def insurance() -> None:
        form.section(rng.choice(pd.SECTION_TITLES["insurance"]))
        _answer(form, rng, record, "has_medical_insurance")
        for name in ("insurance_company", "policy_number", "insurance_expiry"):
            if record.shown(name):
                hint = rng.choice(HINTS["date"]) if name == "insurance_expiry" else ""
                form.question(
                    pd.label(rng, name), [(t[name], hint)], 0.6 if name != "insurance_company" else 0.8
                )

    def history() -> None:
        form.section(rng.choice(pd.SECTION_TITLES["history"]))
        for name in ("chickenpox", "measles", "hepatitis_b_vaccination"):
            _answer(form, rng, record, name)
        for name in ("medical_problems", "allergies", "regular_medications"):
            _box_or_empty(form, rng, record, name, rng.choice(HINTS["list"]))

    def pharmacy() -> None:
        # A look-alike: the pharmacy's name and phone are no field of the record.
        form.section(rng.choice(("Preferred Pharmacy", "Pharmacy")))
        form.question("Pharmacy name", [([f"{rng.choice(pd.CLINIC_FIRST)} Pharmacy"], "")], 0.7)
        form.question("Pharmacy phone", [([values.phone(rng)], rng.choice(HINTS["phone"]))], 0.5)

    sections = [emergency, insurance, history] + ([pharmacy] if rng.random() < 0.5 else [])
    rng.shuffle(sections)
    for section in sections:
        section()
    if rng.random() < 0.6:
        form.ticks("How did you hear about us?", HEAR_ABOUT, {rng.randrange(len(HEAR_ABOUT))})
    form.text_block(
        "By submitting this form I confirm that the information above is true and complete to the best "
        "of my knowledge."
    )
    submitted = values.random_date(rng, 2023, 2026)
    printed = dt.datetime(
        submitted.year, submitted.month, submitted.day, rng.randint(7, 19), rng.randint(0, 59)
    )
    return truth, form.finish(clinic, title, printed)
