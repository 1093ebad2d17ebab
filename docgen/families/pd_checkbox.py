"""An intake form whose yes/no and immunity questions are answered in checkboxes; other fields are
written on underlines with their label above (or, on some forms, as a caption below). On some
forms the medical problems are a checklist: conditions in columns with a box each ("Check all
that apply"), or one condition a row answered in Yes / No boxes.

Truth convention for a checklist: the ticked conditions (answered Yes) as printed, one per line,
in reading order (row by row, left to right); "" when none is.
"""

from __future__ import annotations

import math
import random

from PIL import Image

from docgen.canvas import pick_style
from docgen.families import _pd_common as pd

FAMILY = "pd_checkbox"
DOC_TYPE = "patient_details"
DESCRIPTION = "checkbox answers for yes/no and immunity, other values written on labelled underlines"

LONG = (
    "patient_name",
    "address",
    "insurance_company",
    "medical_problems",
    "allergies",
    "regular_medications",
)
CHECKLIST_PROMPTS = ("Check all that apply", "Tick any that apply", "(check all that apply)")
EXTRA_QUESTIONS = (
    "Do you smoke?",
    "Do you drink alcohol?",
    "Do you exercise regularly?",
    "Have you been hospitalised in the last year?",
    "Any recent surgery?",
)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    record = pd.make_record(rng)
    t = record.lines
    style = pick_style(rng)
    flow = pd.Flow(dpi, style, top=rng.uniform(0.55, 0.85), bottom=0.6)
    page = flow.page
    left = page.px(rng.uniform(0.6, 1.0))
    right = page.image.width - page.px(rng.uniform(0.6, 0.9))
    label_font = page.font(bold=rng.random() < 0.4, scale=rng.uniform(0.78, 0.92), family=style.label)
    value_font = page.font(bold=False, scale=rng.uniform(1.0, 1.1))
    question_font = page.font(bold=rng.random() < 0.3, family=style.label)
    step = page.line_step(value_font)
    caption_below = rng.random() < 0.25
    ncols = rng.choice((2, 3, 3))
    gutter = page.px(rng.uniform(0.25, 0.4))
    colon = rng.random() < 0.4
    upper = rng.random() < 0.3
    mark = rng.choice(("tick", "cross", "fill"))
    question_tab = page.px(rng.uniform(3.6, 4.4)) if rng.random() < 0.6 else None
    checklist_form = rng.random() < 0.5

    # Header: clinic name and the form title, with a heavy rule under them.
    y = flow.y
    page.text(left, y, pd.clinic_name(rng), page.font(bold=True, scale=rng.uniform(1.4, 1.8)))
    y += round(step * 1.1)
    page.text(left, y, pd.clinic_contact(rng), page.font(bold=False, scale=0.8, family=style.label))
    y += round(step * 1.4)
    title_font = page.font(bold=True, scale=1.2)
    page.text(right, y, rng.choice(pd.FORM_TITLES).upper(), title_font, "right")
    page.rule(left, right, y + page.underline_gap(title_font), 1.6)
    y += round(step * 1.3)
    if rng.random() < 0.6:
        page.text(left, y, rng.choice(pd.INSTRUCTIONS) + " Tick one box per question.", label_font)
        y += step
    flow.y = y + step // 2

    def lbl_text(name: str, in_section: bool) -> str:
        text = pd.with_colon(pd.label(rng, name, in_section), colon)
        return text.upper() if upper else text

    def underline_row(items: list[tuple[str, list[str], int]]) -> None:
        """Fields side by side: (label, value lines, span in columns) each on its own underlines."""
        col_w = (right - left - gutter * (ncols - 1)) / ncols
        height = max(len(lines) or 1 for _, lines, _ in items) * step + step * 2
        flow.need(height)
        p = flow.page
        x = float(left)
        bottom = flow.y
        for text, lines, span in items:
            w = round(col_w * span + gutter * (span - 1))
            x0 = round(x)
            y = flow.y
            if not caption_below:
                p.text(x0, y, text, p.fit(text, label_font, w))
                y += round(step * 1.05)
            rule_y = y
            for value in lines or [""]:
                p.text(x0 + p.px(0.06), y, value, p.fit(value, value_font, w - p.px(0.1)))
                rule_y = y + p.underline_gap(value_font)
                p.rule(x0, x0 + w, rule_y, 0.6)
                y += step
            if caption_below:
                caption_font = p.fit(text, label_font, w)
                # Under the rule, never through it.
                clear = rule_y + p.px(0.05) - caption_font.getbbox("H", anchor="ls")[1]
                y = max(y + round(step * -0.1), clear)
                p.text(x0, y, text, caption_font)
                y += round(step * 0.6)
            bottom = max(bottom, y)
            x += w + gutter
        flow.y = bottom + round(step * 0.45)

    def fields_block(names: list[str], in_section: bool) -> None:
        row: list[tuple[str, list[str], int]] = []
        used = 0
        for name in names:
            if not record.shown(name):
                continue
            span = ncols if name == "address" else (math.ceil(ncols * 2 / 3) if name in LONG else 1)
            text = lbl_text(name, in_section)
            item = (text, pd.measure_lines(rng, name, text, t[name]), span)
            if used + span > ncols:
                underline_row(row)
                row, used = [], 0
            row.append(item)
            used += span
        if row:
            underline_row(row)

    def question(text: str, words: tuple[str, ...], chosen: int | None) -> None:
        flow.need(step * 2)
        p = flow.page
        w = p.text(left, flow.y, text, question_font)
        x = question_tab if question_tab and question_tab > left + w + p.px(0.2) else left + w + p.px(0.3)
        pd.options(p, x, flow.y, words, chosen, question_font, "box", mark)
        flow.y += round(step * 1.35)

    def answer(name: str) -> None:
        if not record.shown(name):
            return
        text = pd.label(rng, name)
        if name in ("chickenpox", "measles") and not text.endswith("?"):
            text = pd.with_colon(text, True)
        question(text, pd.answer_options(rng, name), pd.chosen_index(name, record.truth[name]))

    def heading(key: str) -> None:
        flow.need(round(step * 5.5))
        p = flow.page
        flow.y += step // 3
        font = p.font(bold=True, scale=1.1)
        p.text(left, flow.y, rng.choice(pd.SECTION_TITLES[key]).upper(), font)
        flow.y += round(step * 1.3)

    if record.shown("record_date"):
        fields_block(["record_date"], False)
    heading("patient")
    fields_block(["patient_name", "birth_date", "phone_number", "address", "weight", "height"], False)
    extra = pd.extras(rng, record)
    if extra:
        row = [(pd.with_colon(lbl, colon), [value], 1) for lbl, value in extra[:ncols]]
        underline_row(row)

    def emergency() -> None:
        heading("emergency")
        fields_block(["emergency_contact_name", "emergency_contact_phone"], True)

    def insurance() -> None:
        heading("insurance")
        answer("has_medical_insurance")
        fields_block(["insurance_company", "policy_number", "insurance_expiry"], False)

    def checklist() -> None:
        """Medical problems as conditions to tick under the field's label: a box before each,
        in columns, or one condition a row answered Yes or No."""
        yes_no = rng.random() < 0.5
        conditions = rng.sample(pd.CHECKLIST_CONDITIONS, rng.randint(4, 7) if yes_no else rng.randint(6, 12))
        ticked = set(rng.sample(range(len(conditions)), rng.choice((0, 1, 1, 2, 2, 3))))
        columns = 1 if yes_no else rng.choice((2, 3, 4))
        rows = math.ceil(len(conditions) / columns)
        flow.need(step * (rows + 2))
        p = flow.page
        text = lbl_text("medical_problems", False)
        if not yes_no and rng.random() < 0.6:
            text = f"{text.rstrip(':')} ({rng.choice(CHECKLIST_PROMPTS).strip('()').lower()}):"
        p.text(left, flow.y, text, label_font)
        flow.y += round(step * 1.2)
        col_w = (right - left) // columns
        answer_x = left + p.px(rng.uniform(2.6, 3.4))
        for index, condition in enumerate(conditions):
            row, col = divmod(index, columns)
            x = left + col * col_w
            baseline = flow.y + row * round(step * 1.25)
            if yes_no:
                p.text(x + p.px(0.2), baseline, condition, question_font)
                chosen = 0 if index in ticked else 1
                pd.options(p, answer_x, baseline, ("Yes", "No"), chosen, question_font, "box", mark)
            else:
                chosen_box = 0 if index in ticked else None
                pd.options(p, x, baseline, (condition,), chosen_box, question_font, "box", mark)
        flow.y += rows * round(step * 1.25) + step // 2
        record.truth["medical_problems"] = "\n".join(c for i, c in enumerate(conditions) if i in ticked)

    def history() -> None:
        heading("history")
        answers = ["chickenpox", "measles", "hepatitis_b_vaccination"]
        rng.shuffle(answers)
        for name in answers:
            answer(name)
        for text in rng.sample(EXTRA_QUESTIONS, rng.randint(0, 2)):
            question(text, ("Yes", "No"), rng.randrange(2))
        if record.shown("medical_problems") and checklist_form:
            checklist()
            fields_block(["allergies", "regular_medications"], False)
        else:
            fields_block(["medical_problems", "allergies", "regular_medications"], False)

    sections = [emergency, insurance, history]
    rng.shuffle(sections)
    for section in sections:
        section()
    return record.truth, flow.images()
