"""A patient questionnaire that asks for each value in a sentence.

Many clinics' pre-visit forms are numbered questions ("3. What is the best number to reach
you?") answered on an underline after the question or on lines under it; yes/no questions are
answered in boxes or by circling the answer. Questions that are no field stand among them (the
family doctor, the pharmacy, the reason for the visit, smoking): a person's name, a company and
a yes/no answer that belong to none of the record's fields. The emergency contact's phone is
now and then asked as "their phone number", known only by the question before it.
"""

from __future__ import annotations

import random

from PIL import Image

from docgen.canvas import pick_style
from docgen.families import _pd_common as pd

FAMILY = "pd_question_form"
DOC_TYPE = "patient_details"
DESCRIPTION = "questions in sentences answered after or under each; questions of no field among them"

QUESTIONS: dict[str, tuple[str, ...]] = {
    "patient_name": ("What is your full name?", "Please print your full name", "Your name (first and last)"),
    "birth_date": ("What is your date of birth?", "When were you born?", "Your date of birth"),
    "phone_number": (
        "What is the best phone number to reach you?",
        "Your phone number",
        "What is your telephone number?",
    ),
    "address": (
        "What is your home address?",
        "Where do you live? (street, city, state, ZIP)",
        "Your address",
    ),
    "weight": ("What is your weight (kg)?", "How much do you weigh (kg)?", "Your weight in kg"),
    "height": ("How tall are you (cm)?", "What is your height (cm)?", "Your height in cm"),
    "emergency_contact_name": (
        "Who should we contact in an emergency?",
        "Name of a person we may call in an emergency",
        "Who is your emergency contact?",
    ),
    "emergency_contact_phone": (
        "What is your emergency contact's phone number?",
        "Emergency contact's phone number",
        "What is their phone number?",
    ),
    "has_medical_insurance": (
        "Do you have medical insurance?",
        "Are you covered by a health insurance plan?",
        "Do you have health insurance?",
    ),
    "insurance_company": (
        "What is the name of your insurance company?",
        "Who is your insurance provider?",
        "Name of your health plan",
    ),
    "policy_number": (
        "What is your policy number?",
        "Member ID on your insurance card",
        "What is your member or policy number?",
    ),
    "insurance_expiry": (
        "When does your insurance expire?",
        "Expiration date on your insurance card",
        "Until when is your coverage valid?",
    ),
    "chickenpox": ("Have you had chickenpox?", "Are you immune to chickenpox (varicella)?"),
    "measles": ("Have you had measles?", "Are you immune to measles?"),
    "hepatitis_b_vaccination": (
        "Have you had the hepatitis B vaccine?",
        "Have you been vaccinated against hepatitis B?",
    ),
    "medical_problems": (
        "Please list any medical conditions you have",
        "What medical problems are you being treated for?",
        "Do you have any ongoing health conditions? Please list them",
    ),
    "allergies": (
        "Are you allergic to any medicines or foods? Please list",
        "Please list anything you are allergic to",
        "What are you allergic to?",
    ),
    "regular_medications": (
        "What medications do you take regularly?",
        "Please list all medicines you currently take",
        "Which medications are you taking now?",
    ),
}
# Sentences whose value is no field of the record, with values that look like fields'.
OTHER_QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Who is your family doctor?", ("Dr. Alan Reyes", "Dr Maria Chen", "Dr. Kofi Mensah")),
    ("Which pharmacy do you use?", ("Walgreens", "CVS Pharmacy", "Rite Aid, Main St")),
    ("What is the reason for your visit today?", ("Annual check-up", "Back pain", "Follow-up visit")),
    ("How did you hear about us?", ("A friend", "Internet search", "My employer")),
    ("What is your occupation?", pd.OCCUPATIONS),
)
YES_NO_QUESTIONS = ("Do you smoke?", "Do you drink alcohol?", "Have you been in hospital in the last year?")
TITLES = ("New Patient Questionnaire", "Pre-Visit Questionnaire", "Patient Health Questionnaire")
SECTION_FIELDS = (
    ("patient", ("patient_name", "birth_date", "phone_number", "address", "weight", "height")),
    ("emergency", ("emergency_contact_name", "emergency_contact_phone")),
    ("insurance", ("has_medical_insurance", "insurance_company", "policy_number", "insurance_expiry")),
    ("history", ("chickenpox", "measles", "hepatitis_b_vaccination", "medical_problems", "allergies",
                 "regular_medications")),
)  # fmt: skip


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    record = pd.make_record(rng)
    t = record.lines
    style = pick_style(rng)
    flow = pd.Flow(dpi, style, top=rng.uniform(0.55, 0.85), bottom=0.6)
    page = flow.page
    left = page.px(rng.uniform(0.6, 1.0))
    right = page.image.width - page.px(rng.uniform(0.6, 0.9))
    question_font = page.font(bold=rng.random() < 0.3, scale=rng.uniform(0.9, 1.0), family=style.label)
    value_font = page.font(bold=False, scale=rng.uniform(1.0, 1.1))
    step = round(page.line_step(value_font) * rng.uniform(1.0, 1.15))
    numbering = rng.choice(("{n}.", "{n})", "Q{n}.", ""))
    # Short answers go on an underline after their question, or every answer on lines under it.
    answers_after = rng.random() < 0.6
    choice_kind = rng.choice(("box", "circle"))
    mark = rng.choice(("tick", "cross", "fill"))
    headings = rng.random() < 0.6
    indent = page.px(rng.uniform(0.25, 0.4))
    counter = iter(range(1, 100))

    y = flow.y
    page.text(left, y, pd.clinic_name(rng), page.font(bold=True, scale=rng.uniform(1.3, 1.7)))
    y += round(step * 1.1)
    page.text(left, y, pd.clinic_contact(rng), page.font(False, 0.8, style.label))
    y += round(step * 1.5)
    title = rng.choice(TITLES)
    page.text(left, y, title, page.font(True, 1.25))
    y += round(step * 1.2)
    if rng.random() < 0.6:
        page.text(left, y, rng.choice(pd.INSTRUCTIONS), question_font)
        y += step
    flow.y = y + step // 2
    date_at_top = rng.random() < 0.5

    def numbered(text: str) -> str:
        return f"{numbering.format(n=next(counter))} {text}".strip()

    def written(text: str, lines: list[str]) -> None:
        """A question and its answer: after it on an underline, or on underlines under it."""
        shown = lines or [""]
        flow.need(step * (len(shown) + 2))
        p = flow.page
        text = numbered(text)
        width = p.text(left, flow.y, text, question_font)
        x = left + width + p.px(0.15)
        if answers_after and len(shown) == 1 and right - x > p.px(2.0):
            p.text(x + p.px(0.05), flow.y, shown[0], p.fit(shown[0], value_font, right - x - p.px(0.1)))
            p.rule(x, right, flow.y + p.underline_gap(value_font), 0.6)
            flow.y += round(step * 1.3)
            return
        flow.y += round(step * 1.15)
        for value in shown:
            p.text(left + indent + p.px(0.05), flow.y, value, p.fit(value, value_font, right - left - indent))
            p.rule(left + indent, right, flow.y + p.underline_gap(value_font), 0.6)
            flow.y += step
        flow.y += round(step * 0.3)

    def chosen(text: str, words: tuple[str, ...], index: int | None) -> None:
        flow.need(step * 2)
        p = flow.page
        text = numbered(text)
        width = p.text(left, flow.y, text, question_font)
        kind = choice_kind
        x = left + width + p.px(0.3)
        if kind == "circle" and rng.random() < 0.5:
            x += p.text(x, flow.y, "(circle one)", p.font(False, 0.8, style.label)) + p.px(0.2)
        pd.options(p, x, flow.y, words, index, question_font, kind, mark)
        flow.y += round(step * 1.35)

    def ask(name: str) -> None:
        if not record.shown(name):
            return
        text = rng.choice(QUESTIONS[name])
        if name == "insurance_company" and rng.random() < 0.5:
            text = "If yes, " + text[0].lower() + text[1:]
        if name in pd.ANSWER_FIELDS:
            yes_no = text.startswith(("Have", "Do", "Are"))
            words = ("Yes", "No") if yes_no else pd.answer_options(rng, name)
            chosen(text, words, pd.chosen_index(name, record.truth[name]))
        else:
            written(text, pd.measure_lines(rng, name, text, t[name]))

    def other_question() -> None:
        if rng.random() < 0.35:
            chosen(rng.choice(YES_NO_QUESTIONS), ("Yes", "No"), rng.choice((0, 1)))
        else:
            text, answers = rng.choice(OTHER_QUESTIONS)
            written(text, [rng.choice(answers)])

    if record.shown("record_date") and date_at_top:
        date = t["record_date"][0] if t["record_date"] else ""
        flow.page.label_and_value(right, flow.y, "Date:", date, value_font)
        flow.y += round(step * 1.3)
    for key, names in SECTION_FIELDS:
        if headings:
            flow.need(step * 4)
            flow.y += step // 3
            flow.page.text(left, flow.y, rng.choice(pd.SECTION_TITLES[key]), flow.page.font(True, 1.1))
            flow.y += round(step * 1.4)
        for name in names:
            ask(name)
            # Never between the emergency contact and "their phone number".
            if name != "emergency_contact_name" and rng.random() < 0.12:
                other_question()
    if record.shown("record_date") and not date_at_top:
        flow.need(step * 3)
        flow.y += step
        p = flow.page
        x = left + p.text(left, flow.y, "Signature:", question_font) + p.px(0.1)
        p.rule(x, x + p.px(2.4), flow.y + p.px(0.03), 0.6)
        date = t["record_date"][0] if t["record_date"] else ""
        x = x + p.px(2.8)
        x += p.text(x, flow.y, "Date:", question_font) + p.px(0.1)
        p.text(x + p.px(0.05), flow.y, date, value_font)
        p.rule(x, right, flow.y + p.underline_gap(value_font), 0.6)
    return record.truth, flow.images()
