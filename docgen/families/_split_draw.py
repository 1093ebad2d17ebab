"""Drawing for the split-field patient record: ruled cells, captioned underlines, comb boxes.

Every value piece goes through ``Form.put``, which records it as a ``Shown`` (field, part, text,
page, ink box), so tests can rebuild each field's truth from what the pages show, without OCR.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image, ImageFont

from docgen.canvas import Page, Style
from docgen.families import _pd_common as pd

DATE_CAPTIONS = ({"d": "DD", "m": "MM", "y": "YYYY"}, {"d": "Day", "m": "Month", "y": "Year"})
# Printed before each phone group: "( 737 ) 988 - 0851".
PHONE_SEPARATORS = ("(", ")", "-")
INSTRUCTIONS = (
    "Please print in block capitals, one letter or digit per box.",
    "Use black ink. Write one digit in each box.",
    "Please print clearly. All information is kept confidential.",
    "Complete every section; write N/A if a question does not apply.",
)


@dataclass(frozen=True)
class Part:
    """One labelled piece of a field as the form asks for it; `weight` is its share of a row."""

    label: str
    field: str  # "" for printed extras that are no field
    part: str
    text: str
    weight: float


@dataclass(frozen=True)
class Shown:
    """A value piece as drawn: its field and part, its text, its page and the box its ink fills."""

    field: str
    part: str
    text: str
    page: int
    box: tuple[int, int, int, int]


class Form:
    """A patient record drawn top to bottom over one or two pages, in one look picked from `rng`."""

    def __init__(self, dpi: int, style: Style, rng: random.Random) -> None:
        self.flow = pd.Flow(dpi, style, top=rng.uniform(0.55, 0.85), bottom=0.6)
        page = self.flow.page
        self.left = page.px(rng.uniform(0.6, 1.0))
        self.right = page.image.width - page.px(rng.uniform(0.6, 0.9))
        self.label_font = page.font(bold=rng.random() < 0.5, scale=rng.uniform(0.85, 1.0), family=style.label)
        self.small = page.font(bold=False, scale=rng.uniform(0.62, 0.75), family=style.label)
        self.value_font = page.font(bold=False, scale=rng.uniform(1.0, 1.12))
        self.step = round(page.line_step(self.value_font) * rng.uniform(1.05, 1.25))
        self.colon = rng.random() < 0.6
        self.upper = rng.random() < 0.2
        self.rule_pt = rng.uniform(0.5, 1.1)
        self.comb = rng.choice(("squares", "teeth", "spaced"))
        self.date_captions = rng.choice((*DATE_CAPTIONS, None))
        self.captions_above = rng.random() < 0.6
        self.separator = rng.choice(("/", "/", "-", "|", ""))
        self.paren_captions = rng.random() < 0.4
        self.answer_kind = rng.choice(("box", "box", "circle"))
        self.mark = rng.choice(("tick", "cross", "fill"))
        self.heading_kind = rng.choice(("shade", "rule", "caps"))
        self.shown: list[Shown] = []
        self.notes: dict[str, str] = {"comb": self.comb}

    @property
    def page(self) -> Page:
        return self.flow.page

    def images(self) -> list[Image.Image]:
        return self.flow.images()

    def label_text(self, text: str, colon: bool | None = None) -> str:
        text = text.upper() if self.upper else text
        return pd.with_colon(text, self.colon if colon is None else colon)

    def put(
        self,
        field: str,
        part: str,
        x: int,
        y: int,
        text: str,
        font: ImageFont.FreeTypeFont,
        align: str = "left",
    ) -> int:
        """Draw a value piece with its baseline at y and record where its ink lies; returns its width."""
        if not text:
            return 0
        width = self.page.text(x, y, text, font, align)
        x0, y0, x1, y1 = font.getbbox(text, anchor={"left": "ls", "center": "ms"}[align])
        self.shown.append(
            Shown(field, part, text, len(self.flow.pages) - 1, (x + x0, y + y0, x + x1, y + y1))
        )
        return width

    # ---- printed matter ----

    def header(self, clinic: str, contact: str, title: str, rng: random.Random) -> None:
        page, y = self.page, self.flow.y
        centred = rng.random() < 0.5
        x, align = ((self.left + self.right) // 2, "center") if centred else (self.left, "left")
        page.text(x, y, clinic, page.font(bold=True, scale=rng.uniform(1.3, 1.7)), align)
        y += round(self.step * 1.1)
        small = page.font(bold=False, scale=0.8, family=page.style.label)
        page.text(x, y, contact, page.fit(contact, small, self.right - self.left), align)
        y += round(self.step * 1.5)
        title_font = page.font(bold=True, scale=rng.uniform(1.1, 1.3))
        page.text(x, y, title.upper() if rng.random() < 0.4 else title, title_font, align)
        if rng.random() < 0.6:
            page.rule(self.left, self.right, y + page.underline_gap(title_font), 1.4)
        y += self.step
        if rng.random() < 0.5:
            page.text(self.left, y, rng.choice(INSTRUCTIONS), page.font(False, 0.85, page.style.label))
            y += self.step
        self.flow.y = y + self.step // 2

    def heading(self, title: str) -> None:
        self.flow.need(self.step * 5)
        page, y = self.page, self.flow.y + self.step // 3
        font = page.font(bold=True, scale=1.1)
        pad = page.px(0.05)
        if self.heading_kind == "shade":
            pd.shade(page, self.left, y - font.size - pad, self.right, y + 2 * pad, 215)
        elif self.heading_kind == "rule":
            page.rule(self.left, self.right, y + page.underline_gap(font), 1.0)
        page.text(self.left + pad, y, title.upper() if self.heading_kind == "caps" else title, font)
        self.flow.y = y + round(self.step * 1.3)

    # ---- split values ----

    def cells(self, parts: list[Part], width: float = 1.0) -> None:
        """A row of ruled cells, a small label in each cell's top-left corner and the value under it."""
        pad = self.page.px(0.05)
        height = pad + round(self.small.size * 1.25) + round(self.value_font.size * 1.5) + pad
        self.flow.need(height + self.step)
        page = self.page
        y0 = self.flow.y - self.value_font.size
        total = sum(p.weight for p in parts)
        span = round((self.right - self.left) * width)
        descent = self.value_font.getmetrics()[1]
        x = self.left
        for p in parts:
            w = round(span * p.weight / total)
            pd.rect(page, x, y0, x + w, y0 + height, self.rule_pt)
            label = self.label_text(p.label, False)
            page.text(x + pad, y0 + pad + self.small.size, label, page.fit(label, self.small, w - 2 * pad))
            font = page.fit(p.text, self.value_font, w - 4 * pad)
            self.put(p.field, p.part, x + 2 * pad, y0 + height - pad - descent, p.text, font)
            x += w
        self.flow.y = y0 + height + self.step

    def captions(self, row_label: str, parts: list[Part]) -> None:
        """Values on underlines side by side, each captioned under its line: '(Last)  (First)'."""
        self.flow.need(self.step * 2)
        page, y = self.page, self.flow.y
        x = self.left
        if row_label:
            x += page.text(x, y, self.label_text(row_label), self.label_font) + page.px(0.15)
        gap = page.px(0.15)
        span = self.right - x - gap * (len(parts) - 1)
        total = sum(p.weight for p in parts)
        under = y + page.underline_gap(self.value_font)
        for p in parts:
            w = round(span * p.weight / total)
            font = page.fit(p.text, self.value_font, w - page.px(0.12))
            self.put(p.field, p.part, x + page.px(0.06), y, p.text, font)
            page.rule(x, x + w, under, 0.6)
            caption = f"({p.label})" if self.paren_captions else p.label
            page.text(x, under + self.small.size + page.px(0.04), caption, page.fit(caption, self.small, w))
            x += w + gap
        self.flow.y = y + round(self.step * 1.8)

    def lines_row(self, parts: list[Part], width: float = 1.0) -> None:
        """'Label: value' items side by side, each value on an underline reaching its share's end."""
        if not parts:
            return
        self.flow.need(self.step * 2)
        page, y = self.page, self.flow.y
        gap = page.px(0.3)
        span = round((self.right - self.left) * width) - gap * (len(parts) - 1)
        total = sum(p.weight for p in parts)
        x = self.left
        for p in parts:
            w = round(span * p.weight / total)
            label = self.label_text(p.label)
            vx = x + page.text(x, y, label, page.fit(label, self.label_font, w // 2)) + page.px(0.1)
            end = max(x + w, vx + page.px(0.4))  # a long label at low dpi may not shrink to its half
            font = page.fit(p.text, self.value_font, end - vx - page.px(0.15))
            self.put(p.field, p.part, vx + page.px(0.05), y, p.text, font)
            page.rule(vx, end, y + page.underline_gap(self.value_font), 0.6)
            x = end + gap
        self.flow.y = y + round(self.step * 1.5)

    def comma_line(self, row_label: str, family: Part, rest: list[Part]) -> None:
        """'Name (Last name, First name M.I.): Smith, James R.' on one underline."""
        self.flow.need(self.step * 2)
        page, y = self.page, self.flow.y
        hint = f"{family.label}, {' '.join(p.label for p in rest)}"
        label = self.label_text(f"{row_label} ({hint})")
        label_font = page.fit(label, self.label_font, (self.right - self.left) // 2)
        x = start = self.left + page.text(self.left, y, label, label_font) + page.px(0.12)
        x += self.put(family.field, family.part, x, y, family.text, self.value_font)
        x += page.text(x, y, ", ", self.value_font)
        for p in rest:
            x += self.put(p.field, p.part, x, y, p.text, self.value_font) + page.width(" ", self.value_font)
        page.rule(start, self.right, y + page.underline_gap(self.value_font), 0.6)
        self.flow.y = y + round(self.step * 1.5)

    def comb_field(
        self, label: str, field: str, groups: list[tuple[str, str]], rng: random.Random, phone: bool = False
    ) -> None:
        """A label and comb boxes, one digit per box: date groups with captions and separators, or a
        phone's groups between a printed '(', ')' and '-'."""
        cell = round(self.value_font.size * 1.3)
        captions = None if phone else self.date_captions
        caption_h = self.small.size + self.page.px(0.06) if captions else 0
        self.flow.need(cell + caption_h + self.step * 2)
        page, y = self.page, self.flow.y + (caption_h if captions and self.captions_above else 0)
        if captions is None and not phone and rng.random() < 0.7:
            label = f"{label} ({'/'.join(DATE_CAPTIONS[0][key] for key, _digits in groups)})"
        x = self.left + page.text(self.left, y, self.label_text(label), self.label_font) + page.px(0.2)
        bottom = y + round(cell * 0.25)
        top = bottom - cell
        baseline = bottom - max(2, round(cell * 0.22))
        gap = round(cell * 0.6)
        for i, (part, digits) in enumerate(groups):
            sep = PHONE_SEPARATORS[i] if phone else (self.separator if i else "")
            if sep:
                x += gap // 3
                x += page.text(x, baseline, sep, self.value_font) + gap // 3
            elif i:
                x += gap
            start = x
            x = self._comb(x, top, bottom, cell, field, part, digits, baseline)
            if captions:
                cy = top - page.px(0.05) if self.captions_above else bottom + self.small.size + page.px(0.05)
                page.text((start + x) // 2, cy, captions[part], self.small, align="center")
        self.flow.y = bottom + (0 if self.captions_above else caption_h) + self.step

    def _comb(
        self, x: int, top: int, bottom: int, cell: int, field: str, part: str, digits: str, baseline: int
    ) -> int:
        """Boxes for `digits` from x (squares sharing walls, spaced squares, or teeth on a base
        line), one digit centred in each; returns the x after the last box."""
        page = self.page
        space = round(cell * 0.18) if self.comb == "spaced" else 0
        for k, digit in enumerate(digits):
            x0 = x + k * (cell + space)
            if self.comb == "teeth":
                pd.vrule(page, x0, bottom - cell // 2, bottom, self.rule_pt)
            else:
                pd.rect(page, x0, top, x0 + cell, bottom, self.rule_pt)
            self.put(field, part, x0 + cell // 2, baseline, digit, self.value_font, align="center")
        end = x + len(digits) * cell + (len(digits) - 1) * space
        if self.comb == "teeth":
            page.rule(x, end, bottom, self.rule_pt)
            pd.vrule(page, end, bottom - cell // 2, bottom, self.rule_pt)
        return end

    def phone_blanks(self, label: str, field: str, digits: tuple[str, str, str]) -> None:
        """'Phone: ( 737 ) 988 - 0851' with the brackets and hyphen printed and the digits on blanks."""
        self.flow.need(self.step * 2)
        page, y = self.page, self.flow.y
        x = self.left + page.text(self.left, y, self.label_text(label), self.label_font) + page.px(0.2)
        font = self.value_font
        for sep, part, text in zip(PHONE_SEPARATORS, ("area", "exchange", "line"), digits, strict=True):
            x += page.text(x, y, sep, self.label_font) + page.px(0.06)
            w = page.width("0" * len(text), font) + page.px(0.3)
            self.put(field, part, x + w // 2, y, text, font, align="center")
            page.rule(x, x + w, y + page.underline_gap(font), 0.6)
            x += w + page.px(0.06)
        self.flow.y = y + round(self.step * 1.5)

    # ---- other fields ----

    def answer(self, record: pd.Record, name: str, rng: random.Random) -> None:
        """A question and its printed options, the patient's one marked (none when unanswered)."""
        if not record.shown(name):
            return
        self.flow.need(self.step * 2)
        page, y = self.page, self.flow.y
        text = pd.label(rng, name)
        if not text.endswith("?"):
            text = pd.with_colon(text, True)
        x = self.left + page.text(self.left, y, text, self.label_font) + page.px(0.3)
        x = max(x, self.left + page.px(3.6))
        words = pd.answer_options(rng, name)
        chosen = pd.chosen_index(name, record.truth[name])
        end = pd.options(page, x, y, words, chosen, self.label_font, self.answer_kind, self.mark)
        if chosen is not None:
            box = (x, y - self.label_font.size, end, y)
            self.shown.append(Shown(name, "mark", words[chosen], len(self.flow.pages) - 1, box))
        self.flow.y = y + round(self.step * 1.4)

    def list_field(self, label: str, field: str, lines: list[str]) -> None:
        """'Label: first line' and any further lines on underlines under the first."""
        shown = lines or [""]
        self.flow.need(self.step * (len(shown) + 1))
        page, y = self.page, self.flow.y
        x = self.left + page.text(self.left, y, self.label_text(label), self.label_font) + page.px(0.12)
        for line in shown:
            font = page.fit(line, self.value_font, self.right - x - page.px(0.15))
            self.put(field, "value", x + page.px(0.05), y, line, font)
            page.rule(x, self.right, y + page.underline_gap(self.value_font), 0.6)
            y += self.step
        self.flow.y = y + round(self.step * 0.4)
