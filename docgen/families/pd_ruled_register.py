"""A patient registration sheet ruled as a grid: label | value cells (up to three pairs a row), yes/no
questions answered in ruled Yes/No columns or checkbox cells, and ruled multi-row list areas."""

from __future__ import annotations

import random

from PIL import Image

from docgen.canvas import pick_style
from docgen.families import _grid as grid
from docgen.families import _grid_labels as labelled
from docgen.families import _pd_common as pd

FAMILY = "pd_ruled_register"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "registration sheet ruled as a grid: label cells beside value cells, two or three pairs a row, "
    "section rows, yes/no and immunity questions as ruled answer columns marked X or ticked (or checkbox "
    "cells), medical problems, allergies and medications on ruled multi-row areas"
)

EXTRA_QUESTIONS = (
    "Do you smoke?",
    "Do you drink alcohol?",
    "Any recent surgery?",
    "Have you been hospitalised in the last year?",
    "Are you pregnant?",
)
WIDE = ("patient_name", "address", "insurance_company", "emergency_contact_name")


class Register:
    """One document's choices and its sheet; sections draw themselves through its methods."""

    def __init__(self, rng: random.Random, dpi: int) -> None:
        self.rng = rng
        self.record = pd.make_record(rng)
        style = pick_style(rng, prefer="Comic Neue", prefer_weight=0.3)
        self.sheet = grid.Sheet(
            dpi, style, grid.pick_look(rng, dpi), rng.uniform(0.45, 0.8), rng.uniform(0.5, 0.75)
        )
        page = self.sheet.page
        self.left = page.px(rng.uniform(0.4, 0.9))
        self.right = page.image.width - page.px(rng.uniform(0.4, 0.9))
        self.per_row = rng.choice((2, 3, 3))
        self.upper, self.colon = rng.random() < 0.35, rng.random() < 0.35
        self.type = labelled.Type(
            label=page.font(bold=rng.random() < 0.5, scale=rng.uniform(0.75, 0.92), family=style.label),
            value=page.font(bold=False, scale=rng.uniform(0.92, 1.08)),
            corner=page.font(bold=True, scale=0.6, family=style.label),
            label_grey=rng.choice((0, 0, rng.randint(50, 100))),
            value_valign=rng.choice(("center", "center", "bottom")),
            slack=page.px(rng.choice((0.0, 0.0, rng.uniform(0.03, 0.14)))),
        )
        self.label_share = rng.uniform(0.36, 0.48)  # of a pair's width
        self.area_share = rng.uniform(0.2, 0.3)  # of the width, for a label beside ruled lines
        self.titles = rng.choice(("row", "row", "above"))
        self.mark_how = rng.choice(("X", "X", "tick", "cross", "box"))
        self.gap = page.px(rng.uniform(0.08, 0.25))
        self.first_extra: list[labelled.Item] = []  # the record date, when it opens the first section
        page.notes.update(per_row=str(self.per_row), titles=self.titles, mark=self.mark_how)

    def label(self, name: str, in_section: bool = False) -> str:
        return labelled.cased(pd.label(self.rng, name, in_section), self.upper, self.colon)

    def block(self) -> grid.Block:
        return grid.Block(self.sheet, self.left, self.right)

    def pair_edges(self) -> list[int]:
        return labelled.edges(self.left, self.right, [1.0] * self.per_row)

    # ---- header and section titles ----

    def header(self) -> None:
        rng, page, sheet = self.rng, self.sheet.page, self.sheet
        big = page.font(bold=True, scale=rng.uniform(1.3, 1.7), family=page.style.label)
        small = page.font(bold=False, scale=0.85, family=page.style.label)
        title = rng.choice(pd.FORM_TITLES)
        title = title.upper() if rng.random() < 0.5 else title
        centred = rng.random() < 0.5
        x, align = ((self.left + self.right) // 2, "center") if centred else (self.left, "left")
        y = sheet.y + big.size
        page.text(x, y, pd.clinic_name(rng), big, align)
        y += page.line_step(small)
        contact = pd.clinic_contact(rng)
        page.text(x, y, contact, page.fit(contact, small, self.right - self.left), align)
        sheet.y = y + page.px(0.2)
        # The title in a ruled row, the record date in ruled cells beside it (or in the first section).
        title_font = page.font(bold=True, scale=rng.uniform(1.05, 1.3), family=page.style.label)
        date_here = self.record.shown("record_date") and rng.random() < 0.6
        block = self.block()
        page, y0, y1 = block.row(page.row_height(title_font, slack=self.type.slack))
        date_label = self.label("record_date")
        width = self.right - self.left
        label_w = min(width * 3 // 10, page.width(date_label, self.type.label) + page.px(0.15))
        value_w = round(width * rng.uniform(0.2, 0.26))
        xs = [self.left, self.right - value_w - label_w, self.right - value_w, self.right]
        xs = xs if date_here else [self.left, self.right]
        page.row(y0, y1, xs)
        page.fill((self.left, y0, xs[1], y1))
        page.put(
            title, title_font, (self.left, y0, xs[1], y1), align=rng.choice(("left", "center")), kind="label"
        )
        if date_here:
            cell = (xs[1], y0, xs[2], y1)
            page.fill(cell)
            page.put(date_label, self.type.label, cell, kind="label", ink=self.type.label_grey)
            page.put(
                self.record.lines["record_date"][0] if self.record.lines["record_date"] else "",
                self.type.value,
                (xs[2], y0, xs[3], y1),
                valign=self.type.value_valign,
                field_name="record_date",
            )
        block.close()
        self.sheet.y += self.gap
        if rng.random() < 0.4:
            page = self.sheet.page
            font = page.font(bold=False, scale=0.8, family=page.style.label)
            page.text(self.left, self.sheet.y + font.size, rng.choice(pd.INSTRUCTIONS), font)
            self.sheet.y += round(font.size * 1.8)
        if self.record.shown("record_date") and not date_here:
            self.first_extra = [
                labelled.Item(self.label("record_date"), self.record.lines["record_date"], "record_date")
            ]

    def title(self, block: grid.Block, key: str) -> None:
        """A section title: a shaded full-width row of the block, or bold text above it."""
        rng = self.rng
        text = rng.choice(pd.SECTION_TITLES[key])
        text = text.upper() if self.upper or rng.random() < 0.4 else text
        page = self.sheet.page
        font = page.font(bold=True, scale=rng.uniform(0.95, 1.1), family=page.style.label)
        if self.titles == "row":
            page, y0, _y1 = block.row(
                page.row_height(font, slack=self.type.slack // 2) + page.row_height(self.type.value)
            )
            block.sheet.y = y0 + page.row_height(font, slack=self.type.slack // 2)
            page.row(y0, block.sheet.y, [self.left, self.right])
            cell = (self.left, y0, self.right, block.sheet.y)
            page.fill(cell, page.look.shade or 225)
            page.put(text, font, cell, kind="label")
        else:
            self.sheet.y += font.size
            page.text(self.left, self.sheet.y, text, font)
            self.sheet.y += round(font.size * 0.5)
            block.top = self.sheet.y

    # ---- rows of label | value pairs ----

    def pairs(self, block: grid.Block, items: list[labelled.Item]) -> None:
        """Items packed into rows of up to `per_row` pairs, wide fields taking two pairs or the row."""
        bounds = self.pair_edges()
        row: list[labelled.Item] = []
        for item in [*items, None]:
            if item is None or sum(i.span for i in row) + item.span > self.per_row:
                if row:
                    xs, k = [], 0
                    for i in row:
                        x0 = bounds[k]
                        xs += [x0, x0 + round((bounds[1] - bounds[0]) * self.label_share)]
                        k += i.span
                    labelled.pair_row(block, row, [*xs, self.right], self.type)  # the last value to the edge
                row = []
            if item is not None:
                row.append(item)

    def field(self, name: str, in_section: bool = False) -> labelled.Item | None:
        if not self.record.shown(name):
            return None
        label = self.label(name, in_section)
        lines = pd.measure_lines(self.rng, name, label.lower(), self.record.lines[name])
        span = min(self.per_row, 2 if name in WIDE else 1)
        if name == "address" and (len(lines) > 1 or self.rng.random() < 0.5):
            span = self.per_row
        return labelled.Item(label, lines, name, span)

    def fields(self, block: grid.Block, names: list[str], in_section: bool = False) -> None:
        self.pairs(block, [item for name in names if (item := self.field(name, in_section))])

    # ---- yes/no questions ----

    def questions(
        self, block: grid.Block, rows: list[tuple[str, str, int | None]], words: tuple[str, ...]
    ) -> None:
        """A row per question (text, field, chosen option): "columns" under a Yes | No header, the
        chosen cell marked; or "inline" cells each holding a checkbox and its word."""
        rng, page = self.rng, self.sheet.page
        inline = self.mark_how == "box" and rng.random() < 0.5
        option_w = max(page.px(0.55), *(page.width(w, self.type.label) + page.px(0.2) for w in words))
        if inline:
            option_w += page.px(0.3)
        xs = [self.left, self.right - option_w * len(words)]
        xs += [xs[1] + option_w * (i + 1) for i in range(len(words))]
        xs[-1] = self.right
        head_h = 0 if inline else page.row_height(self.type.label, slack=self.type.slack // 2)
        row_h = page.row_height(self.type.value, slack=self.type.slack)
        page, y, _bottom = block.row(head_h + row_h * len(rows))  # the grid is never split
        if not inline:
            y0, y1 = y, y + head_h
            page.row(y0, y1, xs)
            page.fill((xs[0], y0, xs[-1], y1))
            header = rng.choice(("Question", "", "Please answer"))
            page.put(header, self.type.label, (xs[0], y0, xs[1], y1), kind="label")
            for i, word in enumerate(words):
                page.put(word, self.type.label, (xs[i + 1], y0, xs[i + 2], y1), align="center", kind="label")
        for k, (text, name, chosen) in enumerate(rows):
            y0 = y + head_h + k * row_h
            y1 = y0 + row_h
            page.row(y0, y1, xs)
            page.put(text, self.type.label, (xs[0], y0, xs[1], y1), kind="label", ink=self.type.label_grey)
            for i, word in enumerate(words):
                cell = (xs[i + 1], y0, xs[i + 2], y1)
                size = max(6, (y1 - y0) // 2)
                if inline:
                    box_cell = (cell[0], y0, cell[0] + size + 2 * page.look.pad_x + page.t, y1)
                    page.put(word, self.type.label, cell, indent=size + page.look.pad_x, kind="label")
                    cell = box_cell
                if i == chosen:
                    page.mark(cell, "box" if inline else self.mark_how, word, name, self.type.value)
                elif inline or self.mark_how == "box":
                    page.checkbox(cell, max(6, min(cell[2] - cell[0], cell[3] - cell[1]) * 3 // 5))

    def answer_rows(self, names: list[str]) -> list[tuple[str, str, int | None]]:
        rows = []
        for name in names:
            if self.record.shown(name):
                text = pd.label(self.rng, name)
                rows.append((text, name, pd.chosen_index(name, self.record.truth[name])))
        return rows

    # ---- ruled multi-row areas ----

    def areas(self, block: grid.Block, names: list[str]) -> None:
        """List fields on ruled lines: label cell beside the lines, label row above them, or two
        fields side by side over their own ruled lines."""
        rng = self.rng
        side_by_side = len(names) >= 2 and rng.random() < 0.35
        while names:
            group = names[:2] if side_by_side else names[:1]
            names = names[len(group) :]
            lines = {name: self.record.lines[name] for name in group}
            count = max(rng.randint(2, 4), *(len(v) for v in lines.values()))
            page = self.sheet.page
            step = page.row_height(self.type.value, slack=self.type.slack // 2)
            labels = [self.label(name) for name in group]
            if len(group) == 1 and rng.random() < 0.5:
                # Label cell on the left, spanning the ruled lines on the right.
                page, y0, y1 = block.row(step * count)
                xs = [
                    self.left,
                    self.left + round((self.right - self.left) * self.area_share),
                    self.right,
                ]
                page.row(y0, y1, xs)
                page.fill((xs[0], y0, xs[1], y1))
                page.put(labels[0], self.type.label, (xs[0], y0, xs[1], y1), valign="top", kind="label")
                for k in range(count):
                    cell = (xs[1], y0 + k * step, xs[2], y0 + (k + 1) * step)
                    page.hline(xs[1], xs[2], cell[1])
                    if k < len(lines[group[0]]):
                        page.put(
                            lines[group[0]][k],
                            self.type.value,
                            cell,
                            valign=self.type.value_valign,
                            field_name=group[0],
                            group=k,
                        )
                continue
            xs = labelled.edges(self.left, self.right, [1.0] * len(group))
            page, y0, y1 = block.row(page.row_height(self.type.label, slack=self.type.slack // 2))
            page.row(y0, y1, xs)
            for i, text in enumerate(labels):
                page.fill((xs[i], y0, xs[i + 1], y1))
                page.put(text, self.type.label, (xs[i], y0, xs[i + 1], y1), kind="label")
            page, y0, y1 = block.row(step * count)
            for k in range(count):
                page.row(y0 + k * step, y0 + (k + 1) * step, xs)
                for i, name in enumerate(group):
                    if k < len(lines[name]):
                        cell = (xs[i], y0 + k * step, xs[i + 1], y0 + (k + 1) * step)
                        page.put(
                            lines[name][k],
                            self.type.value,
                            cell,
                            valign=self.type.value_valign,
                            field_name=name,
                            group=k,
                        )

    # ---- sections ----

    def section(self, key: str) -> None:
        rng = self.rng
        if self.sheet.room() < self.sheet.page.px(1.5):
            self.sheet.new_page()  # no section title alone at the foot of a page
        block = self.block()
        self.title(block, key)
        if key == "patient":
            names = list(pd.SECTION_FIELDS["patient"])
            if rng.random() < 0.4:
                names[2:] = rng.sample(names[2:], len(names) - 2)
            items = self.first_extra + [item for name in names if (item := self.field(name))]
            items += [
                labelled.Item(labelled.cased(lbl, self.upper, self.colon), [v])
                for lbl, v in pd.extras(rng, self.record)
            ]
            self.pairs(block, items)
        elif key == "emergency":
            self.fields(block, ["emergency_contact_name", "emergency_contact_phone"], in_section=True)
            if rng.random() < 0.6:
                self.pairs(
                    block,
                    [
                        labelled.Item(
                            labelled.cased("Relationship", self.upper, self.colon),
                            [rng.choice(pd.RELATIONSHIPS)],
                        )
                    ],
                )
        elif key == "insurance":
            if rng.random() < 0.5:
                self.questions(
                    block, self.answer_rows(["has_medical_insurance"]), rng.choice(pd.YES_NO_OPTIONS)[:2]
                )
            else:
                self.pairs(block, [self.yes_no_item("has_medical_insurance")])
            self.fields(block, ["insurance_company", "policy_number", "insurance_expiry"])
        else:
            self.history(block)
        block.close()
        self.sheet.y += self.gap

    def yes_no_item(self, name: str) -> labelled.Item:
        """The insurance question as a pair whose value cell says Yes or No."""
        return labelled.Item(self.label(name), [self.record.truth[name]], name, span=min(2, self.per_row))

    def history(self, block: grid.Block) -> None:
        rng = self.rng
        names = ["chickenpox", "measles", "hepatitis_b_vaccination"]
        rng.shuffle(names)
        extra = [(q, "", rng.randrange(2)) for q in rng.sample(EXTRA_QUESTIONS, rng.randint(0, 2))]
        if rng.random() < 0.5:
            # One Yes | No grid for every question (Yes meaning immune).
            words = rng.choice(pd.YES_NO_OPTIONS)
            self.questions(block, self.answer_rows(names) + extra, words)
        else:
            immunity = [n for n in names if n != "hepatitis_b_vaccination"]
            self.questions(block, self.answer_rows(immunity), pd.answer_options(rng, "chickenpox"))
            self.questions(
                block, self.answer_rows(["hepatitis_b_vaccination"]) + extra, rng.choice(pd.YES_NO_OPTIONS)
            )
        lists = ["medical_problems", "allergies", "regular_medications"]
        if rng.random() < 0.5:
            rng.shuffle(lists)
        self.areas(block, lists)

    def signature(self) -> None:
        block = self.block()
        page = self.sheet.page
        text = labelled.cased(
            self.rng.choice(("Signature", "Patient signature", "Signature of patient")),
            self.upper,
            self.colon,
        )
        self.pairs(block, [labelled.Item(text, [], rows=2, span=self.per_row)])
        block.close()
        page.notes["pages"] = str(len(self.sheet.pages))


def layout(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[grid.RuledPage]]:
    """The truth and the ruled pages (which remember what they show, for tests)."""
    register = Register(rng, dpi)
    register.header()
    for key in ["patient", *rng.sample(("emergency", "insurance", "history"), 3)]:
        register.section(key)
    if rng.random() < 0.7:
        register.signature()
    return register.record.truth, register.sheet.pages


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    truth, pages = layout(rng, dpi)
    return truth, [page.image for page in pages]
