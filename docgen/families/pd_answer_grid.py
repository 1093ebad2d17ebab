"""A health questionnaire answered in a ruled grid: one question a row, one column per answer.

Clinics' history forms ask their questions in a table ("Condition | Yes | No", "Disease | Immune
| Not immune | Unsure") and the patient marks a cell of each row: an X or a tick written in the
cell, or a printed box in it ticked. Landscape sheets set the grid in two halves side by side.
The other fields are written on rules after their label ("Name: ________"), two to four to a
row, and the lists under their label on rules of their own.

Truth conventions:

- medical_problems: the conditions whose "Yes" cell is marked, as printed, one per line, in
  reading order (each half of a split grid top to bottom, the left half first); "" when none is.
- hepatitis_b_vaccination and has_medical_insurance, when the grid asks them: the answer of the
  column marked; chickenpox and measles: "IMMUNE" / "NOT IMMUNE" from their grid's marked column.
- the rest as ``_pd_common.Record`` prints them.
"""

from __future__ import annotations

import random

from PIL import Image, ImageFont

from docgen.canvas import Page, pick_style
from docgen.families import _pd_common as pd

FAMILY = "pd_answer_grid"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "health questionnaire answered in ruled grids (Condition | Yes | No, Disease | Immune | Not "
    "immune) with marks written in the cells or ticked boxes, split in two halves on landscape "
    "sheets; other fields written on rules after their label, several to a row"
)

Font = ImageFont.FreeTypeFont

TITLES = (
    "Health History Questionnaire",
    "New Patient Health Questionnaire",
    "Medical History",
    "Patient Questionnaire",
    "Health Screening Form",
)
HISTORY_HEADERS = ("Condition", "Have you ever had:", "Medical condition", "Do you have or have you had")
YES_NO_HEADERS = (("Yes", "No"), ("Y", "N"), ("YES", "NO"))
IMMUNITY_HEADERS = (
    ("Immune", "Not immune"),
    ("Had it / immune", "Not immune"),
    ("Immune", "Not immune", "Unsure"),
)
DISEASE_HEADERS = ("Disease", "Immunity", "Illness", "Have you had")
# Questions a grid asks that are no field of ours: answered, never read.
OTHER_QUESTIONS = (
    "Do you smoke?",
    "Do you drink alcohol?",
    "Any recent surgery?",
    "Pregnant or nursing?",
    "Hospitalised in the last year?",
)
# How a cell is marked: an X or a tick written in it, or a printed box in every answer cell.
MARKS = ("x", "tick", "box")


class Questionnaire:
    """One questionnaire: the record, the page and its fonts, drawn block by block."""

    def __init__(self, rng: random.Random, dpi: int) -> None:
        self.rng = rng
        self.record = pd.make_record(rng)
        self.landscape = rng.random() < 0.5
        inches = (11.0, 8.5) if self.landscape else (8.5, 11.0)
        self.page = Page(dpi, pick_style(rng), inches)
        self.pages = [self.page]
        page = self.page
        self.left = page.px(rng.uniform(0.5, 0.8))
        self.right = page.image.width - page.px(rng.uniform(0.5, 0.8))
        self.label = page.font(bold=rng.random() < 0.4, scale=rng.uniform(0.8, 0.92), family=page.style.label)
        self.value = page.font(bold=False, scale=rng.uniform(0.95, 1.05))
        self.step = round(page.line_step(self.label) * rng.uniform(1.5, 1.8))
        self.colon = rng.random() < 0.8
        self.mark = rng.choice(MARKS)
        self.y = page.px(rng.uniform(0.5, 0.7))

    def field_label(self, name: str) -> str:
        return pd.with_colon(pd.label(self.rng, name), self.colon)

    def new_page_if(self, height: int) -> None:
        """A new sheet of the same size when ``height`` more pixels do not fit on this one."""
        if self.y + height > self.page.image.height - self.page.px(0.6):
            inches = (self.page.image.width / self.page.dpi, self.page.image.height / self.page.dpi)
            self.page = Page(self.page.dpi, self.page.style, inches)
            self.pages.append(self.page)
            self.y = self.page.px(0.7)

    def header(self) -> None:
        rng, page = self.rng, self.page
        big = page.font(bold=True, scale=rng.uniform(1.3, 1.6), family=page.style.label)
        self.y += big.size
        page.text(self.left, self.y, pd.clinic_name(rng), big)
        title = page.font(bold=True, scale=rng.uniform(1.05, 1.25), family=page.style.label)
        page.text(self.right, self.y, rng.choice(TITLES), title, "right")
        self.y += page.line_step(big) // 2
        page.rule(self.left, self.right, self.y, 1.4)
        self.y += self.step

    def rule_row(self, names: list[str]) -> None:
        """Fields side by side, each written on a rule after its label."""
        shown = [name for name in names if self.record.shown(name)]
        if not shown:
            return
        self.new_page_if(self.step * 2)
        page, gutter = self.page, page_gap(self.page)
        width = (self.right - self.left - gutter * (len(shown) - 1)) // len(shown)
        for index, name in enumerate(shown):
            x0 = self.left + index * (width + gutter)
            text = self.field_label(name)
            label_width = page.text(x0, self.y, text, page.fit(text, self.label, width // 2))
            start = x0 + label_width + page.px(0.1)
            lines = pd.measure_lines(self.rng, name, text, self.record.lines[name])
            value = ", ".join(lines)  # one rule holds the value on one line
            page.text(start + page.px(0.05), self.y, value, page.fit(value, self.value, x0 + width - start))
            page.rule(start, x0 + width, self.y + page.underline_gap(self.value), 0.6)
            if name == "address":
                self.record.truth[name] = value
        self.y += self.step

    def list_block(self, name: str) -> None:
        """A list under its label, one item a rule, with a spare rule or two."""
        lines = self.record.lines[name]
        rules = max(len(lines), 1) + self.rng.randint(0, 1)
        self.new_page_if(self.step * (rules + 1))
        page = self.page
        page.text(self.left, self.y, self.field_label(name), self.label)
        self.y += round(self.step * 0.85)
        for index in range(rules):
            line = lines[index] if index < len(lines) else ""
            page.text(
                self.left + page.px(0.15), self.y, line, page.fit(line, self.value, self.right - self.left)
            )
            page.rule(self.left, self.right, self.y + page.underline_gap(self.value), 0.5)
            self.y += round(self.step * 0.8)
        self.y += round(self.step * 0.3)

    def history_grid(self) -> None:
        """Conditions and yes/no questions in a ruled grid (two halves side by side on a landscape
        sheet); the truth of medical_problems is the conditions answered Yes, in reading order."""
        rng, record = self.rng, self.record
        conditions = rng.sample(pd.CHECKLIST_CONDITIONS, rng.randint(4, 9))
        yes = set(rng.sample(conditions, rng.choice((0, 1, 1, 2, 2, 3))))
        rows: list[tuple[str, int | None]] = [(c, 0 if c in yes else 1) for c in conditions]
        for name in ("hepatitis_b_vaccination", "has_medical_insurance"):
            question = pd.label(rng, name)
            rows.insert(rng.randint(0, len(rows)), (question, pd.chosen_index(name, record.truth[name])))
        for question in rng.sample(OTHER_QUESTIONS, rng.randint(0, 2)):
            rows.insert(rng.randint(0, len(rows)), (question, rng.randint(0, 1)))
        halves = 2 if self.landscape and len(rows) >= 6 else 1
        split = (len(rows) + 1) // 2 if halves == 2 else len(rows)
        parts = [rows[:split], rows[split:]] if halves == 2 else [rows]
        ordered = [text for part in parts for text, answer in part if text in conditions and answer == 0]
        record.truth["medical_problems"] = "\n".join(ordered)
        header = rng.choice(HISTORY_HEADERS)
        answers = rng.choice(YES_NO_HEADERS)
        self.grids(parts, header, answers)

    def immunity_grid(self) -> None:
        """Chickenpox and measles in a grid with an answer column each."""
        rng, record = self.rng, self.record
        names = [name for name in ("chickenpox", "measles") if record.shown(name)]
        rows = [(rng.choice(pd.LABELS[name]), pd.chosen_index(name, record.truth[name])) for name in names]
        if rng.random() < 0.5:
            rows.insert(
                rng.randint(0, len(rows)), (rng.choice(("Mumps", "Rubella", "Tetanus")), rng.randint(0, 1))
            )
        self.grids([rows], rng.choice(DISEASE_HEADERS), rng.choice(IMMUNITY_HEADERS))

    def grids(self, parts: list[list[tuple[str, int | None]]], header: str, answers: tuple[str, ...]) -> None:
        """Ruled grids side by side: a question column, then one narrow column per answer."""
        page, gutter = self.page, page_gap(self.page)
        row_h = round(self.label.size * self.rng.uniform(1.7, 2.1))
        rows = max(len(part) for part in parts) + 1
        self.new_page_if(row_h * rows + self.step)
        page = self.page
        width = (self.right - self.left - gutter * (len(parts) - 1)) // len(parts)
        answer_w = max(page.width(a, self.label) for a in answers) + page.px(0.3)
        top = self.y
        for index, part in enumerate(parts):
            x0 = self.left + index * (width + gutter)
            x_answers = x0 + width - answer_w * len(answers)
            columns = [x0, x_answers, *(x_answers + k * answer_w for k in range(1, len(answers))), x0 + width]
            self._grid_lines(columns, top, row_h, len(part) + 1)
            baseline = top + row_h - round(row_h * 0.3)
            pad = page.px(0.08)
            page.text(x0 + pad, baseline, header, page.fit(header, self.label, x_answers - x0 - 2 * pad))
            for k, answer in enumerate(answers):
                page.text(columns[1 + k] + answer_w // 2, baseline, answer, self.label, "center")
            for number, (question, chosen) in enumerate(part, 1):
                y = baseline + number * row_h
                page.text(x0 + pad, y, question, page.fit(question, self.label, x_answers - x0 - 2 * pad))
                for k in range(len(answers)):
                    self._answer_cell(columns[1 + k], columns[2 + k], y, row_h, k == chosen)
        self.y = top + rows * row_h + self.step

    def _grid_lines(self, columns: list[int], top: int, row_h: int, rows: int) -> None:
        page = self.page
        bottom = top + rows * row_h
        for k in range(rows + 1):
            page.rule(columns[0], columns[-1], top + k * row_h, 0.6)
        for x in columns:
            pd.vrule(page, x, top, bottom, 0.6)

    def _answer_cell(self, x0: int, x1: int, baseline: int, row_h: int, marked: bool) -> None:
        """One answer cell: a printed box (ticked when marked), or an X or tick written in it."""
        page = self.page
        centre = (x0 + x1) // 2
        size = round(self.label.size * 0.7)
        if self.mark == "box":
            pd.checkbox(page, centre - size // 2, baseline, size, "tick" if marked else None)
        elif marked and self.mark == "x":
            page.text(centre, baseline, "X", self.value, "center")
        elif marked:
            ink, width = page.style.ink, pd.thickness(page, 1.4)
            knee = (centre - size // 6, baseline)
            page.draw.line((centre - size // 2, baseline - size // 2, *knee), fill=ink, width=width)
            page.draw.line((*knee, centre + size // 2, baseline - size), fill=ink, width=width)


def page_gap(page: Page) -> int:
    return page.px(0.3)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    form = Questionnaire(rng, dpi)
    form.header()
    per_row = 3 if form.landscape else 2
    form.rule_row(["record_date"])
    form.rule_row(["patient_name", "birth_date"][:per_row])
    form.rule_row(["phone_number", "weight", "height"][: per_row + 1])
    form.rule_row(["address"])
    form.rule_row(["emergency_contact_name", "emergency_contact_phone"])
    form.rule_row(["insurance_company", "policy_number", "insurance_expiry"][:per_row])
    if per_row == 2:
        form.rule_row(["insurance_expiry"])
    form.history_grid()
    form.immunity_grid()
    for name in ("allergies", "regular_medications"):
        form.list_block(name)
    return form.record.truth, [page.image for page in form.pages]
