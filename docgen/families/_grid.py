"""Fully ruled grids for the grid-form families: cells with rules on every side, text set inside them.

Rules have one thickness ``t`` (pixels) per document. A rule "at x" covers columns [x, x + t), so a
cell given by its rules (x0, y0, x1, y1) has its inside at [x0 + t, x1) x [y0 + t, y1) and two
neighbouring cells share the rule between them. Text is set inside a cell at the document's padding
(sometimes only 1-3 px from the rules) and shrunk to fit its width, never into the rules. Every text
and answer mark is recorded as a ``Placed`` so tests can check what a page shows without OCR.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import ImageFont

from docgen import fonts
from docgen.canvas import Page, Style

Box = tuple[int, int, int, int]

# The tallest and deepest ASCII glyphs, so one row height fits every value a cell may hold.
_TOP_GLYPHS = "Hbdfhklt()[]/|#%&@{}"
_BOTTOM_GLYPHS = "gjpqy()[]/|,;{}_"


@dataclass(frozen=True)
class Placed:
    """A text or mark on a page: its ink box, the inside of its cell, the field it shows (if any).

    ``group`` orders a field's pieces: pieces of one group make one truth line, joined by spaces.
    """

    text: str
    box: Box
    cell: Box
    field: str = ""
    group: int = 0
    kind: str = "text"  # "text", "label" (printed matter) or "mark" (an answer ticked or crossed)


@dataclass(frozen=True)
class Look:
    """The ruling of one document: rule and frame weights, padding inside cells, label shading."""

    rule_pt: float
    frame_pt: float
    double_frame: bool
    pad_x: int
    pad_y: int
    shade: int | None  # grey of shaded label cells, None for unshaded forms


def pick_look(rng: random.Random, dpi: int) -> Look:
    """Random ruling: 0.5-2 pt rules, a heavier or double frame now and then, tight or airy padding."""
    rule_pt = rng.uniform(0.5, 1.3)
    frame_pt = rule_pt if rng.random() < 0.45 else rng.uniform(max(rule_pt, 1.2), 2.0)
    # Tight padding puts text 1-3 px from the rules, as on crowded printed forms.
    pad_x = rng.randint(1, 3) if rng.random() < 0.3 else round(dpi * rng.uniform(0.03, 0.09))
    pad_y = rng.randint(1, 3) if rng.random() < 0.3 else round(dpi * rng.uniform(0.02, 0.08))
    shade = rng.randint(205, 232) if rng.random() < 0.4 else None
    return Look(rule_pt, frame_pt, rng.random() < 0.3, pad_x, pad_y, shade)


@lru_cache(maxsize=512)
def extent(font: ImageFont.FreeTypeFont) -> tuple[int, int]:
    """(ascent, descent): how far the tallest and deepest ASCII glyphs of `font` reach from a baseline."""
    return -font.getbbox(_TOP_GLYPHS, anchor="ls")[1], font.getbbox(_BOTTOM_GLYPHS, anchor="ls")[3]


def shrink(text: str, font: ImageFont.FreeTypeFont, width: int) -> ImageFont.FreeTypeFont:
    """`font`, made smaller until the ink of `text` is at most `width` pixels wide."""
    while font.size > 6 and ink_width(text, font) > width:
        font = fonts.load(font.path, int(font.size * 0.92))
    return font


def ink_width(text: str, font: ImageFont.FreeTypeFont) -> int:
    left, _top, right, _bottom = font.getbbox(text, anchor="ls")
    return right - left


class RuledPage(Page):
    """A page of ruled cells that remembers every text and mark it sets."""

    def __init__(self, dpi: int, style: Style, look: Look) -> None:
        super().__init__(dpi, style)
        self.look = look
        self.t = self.thick(look.rule_pt)
        self.placed: list[Placed] = []
        self.notes: dict[str, str] = {}  # layout choices, for tests

    def thick(self, pt: float) -> int:
        return max(1, round(pt * self.dpi / 72))

    # ---- rules ----

    def hline(self, x0: int, x1: int, y: int) -> None:
        """The rule at y from the rule at x0 to the rule at x1 (both included)."""
        self.draw.rectangle((x0, y, x1 + self.t - 1, y + self.t - 1), fill=self.style.ink)

    def vline(self, x: int, y0: int, y1: int) -> None:
        self.draw.rectangle((x, y0, x + self.t - 1, y1 + self.t - 1), fill=self.style.ink)

    def row(self, y0: int, y1: int, xs: list[int]) -> None:
        """One ruled row: rules above and below from xs[0] to xs[-1], a vertical rule at every x."""
        self.hline(xs[0], xs[-1], y0)
        self.hline(xs[0], xs[-1], y1)
        for x in xs:
            self.vline(x, y0, y1)

    def frame(self, x0: int, y0: int, x1: int, y1: int) -> None:
        """The outer border round rules x0..x1, y0..y1: heavier than the rules (it grows outwards,
        leaving the cells alone), and sometimes doubled by a thin line just outside it."""
        heavy = max(self.t, self.thick(self.look.frame_pt))
        grow = heavy - self.t
        box = (x0 - grow, y0 - grow, x1 + self.t - 1 + grow, y1 + self.t - 1 + grow)
        self.draw.rectangle(box, outline=self.style.ink, width=heavy)
        if self.look.double_frame:
            gap = max(2, self.px(0.03)) + self.t
            x_0, y_0, x_1, y_1 = box
            self.draw.rectangle(
                (x_0 - gap, y_0 - gap, x_1 + gap, y_1 + gap), outline=self.style.ink, width=self.t
            )

    def inside(self, cell: Box) -> Box:
        x0, y0, x1, y1 = cell
        return x0 + self.t, y0 + self.t, x1, y1

    def fill(self, cell: Box, grey: int | None = None) -> None:
        """Shade the inside of a cell (label cells, header rows), before its text is set."""
        grey = self.look.shade if grey is None else grey
        if grey is not None:
            ix0, iy0, ix1, iy1 = self.inside(cell)
            self.draw.rectangle((ix0, iy0, ix1 - 1, iy1 - 1), fill=max(self.style.ink + 120, grey))

    # ---- sizes ----

    def text_height(self, font: ImageFont.FreeTypeFont) -> int:
        ascent, descent = extent(font)
        return ascent + descent

    def line_gap(self, font: ImageFont.FreeTypeFont) -> int:
        """Baseline to baseline of lines stacked in one cell."""
        return max(self.line_step(font), self.text_height(font) + 1)

    def row_height(self, font: ImageFont.FreeTypeFont, lines: int = 1, slack: int = 0) -> int:
        """Rule to rule height of a row holding `lines` lines of `font` at the document's padding."""
        return (
            self.t + 2 * self.look.pad_y + self.text_height(font) + (lines - 1) * self.line_gap(font) + slack
        )

    # ---- text ----

    def put(
        self,
        text: str,
        font: ImageFont.FreeTypeFont,
        cell: Box,
        align: str = "left",
        valign: str = "center",
        baseline: int | None = None,
        field_name: str = "",
        group: int = 0,
        kind: str = "text",
        ink: int | None = None,
        indent: int = 0,
    ) -> Placed | None:
        """Set `text` in `cell` at the padding (plus `indent`), aligned "left"/"center"/"right" and
        "top"/"center"/"bottom" (or on `baseline`); shrunk to the cell's width. Returns what was set."""
        if not text:
            return None
        ix0, iy0, ix1, iy1 = self.inside(cell)
        pad_x, pad_y = self.look.pad_x, self.look.pad_y
        font = shrink(text, font, ix1 - ix0 - 2 * pad_x - indent)
        left, top, right, bottom = font.getbbox(text, anchor="ls")
        ascent, descent = extent(font)
        if align == "left":
            x = ix0 + pad_x + indent - left
        elif align == "right":
            x = ix1 - pad_x - right
        else:
            x = (ix0 + ix1 - (right - left)) // 2 - left
        if baseline is None:
            if valign == "top":
                baseline = iy0 + pad_y + ascent
            elif valign == "bottom":
                baseline = iy1 - pad_y - descent
            else:
                baseline = (iy0 + iy1 + ascent - descent) // 2
        fill = self.style.ink if ink is None else max(self.style.ink, ink)
        self.ink_text((x, baseline), text, font, "ls", fill)
        box = (x + left, baseline + top, x + right, baseline + bottom)
        placed = Placed(text, box, (ix0, iy0, ix1, iy1), field_name, group, kind)
        self.placed.append(placed)
        return placed

    def put_lines(
        self,
        lines: list[str],
        font: ImageFont.FreeTypeFont,
        cell: Box,
        field_name: str = "",
        first_group: int = 0,
        indent: int = 0,
    ) -> None:
        """Lines stacked from the top of `cell`, one truth line each."""
        ascent, _descent = extent(font)
        baseline = self.inside(cell)[1] + self.look.pad_y + ascent
        for i, line in enumerate(lines):
            self.put(
                line,
                font,
                cell,
                baseline=baseline,
                field_name=field_name,
                group=first_group + i,
                indent=indent,
            )
            baseline += self.line_gap(font)

    # ---- answers ----

    def mark(self, cell: Box, how: str, word: str, field_name: str, font: ImageFont.FreeTypeFont) -> None:
        """Mark a cell as the chosen answer: an "X" written in it, a drawn "tick" or "cross", or a
        "box" (a checkbox square, ticked). `word` is the option the cell stands for."""
        ix0, iy0, ix1, iy1 = self.inside(cell)
        size = max(6, min(ix1 - ix0, iy1 - iy0) * 3 // 5)
        cx, cy = (ix0 + ix1) // 2, (iy0 + iy1) // 2
        x0, y0, x1, y1 = cx - size // 2, cy - size // 2, cx + size // 2, cy + size // 2
        width = max(1, min(self.thick(1.5), size // 5))
        ink = self.style.ink
        if how == "X":
            font = shrink("X", font, ix1 - ix0 - 2)
            left, top, right, bottom = font.getbbox("X", anchor="mm")
            self.ink_text((cx, cy), "X", font, "mm", ink)
            x0, y0, x1, y1 = cx + left, cy + top, cx + right, cy + bottom
        elif how == "tick":
            knee = (x0 + size // 3, y1)
            self.draw.line((x0, cy, *knee), fill=ink, width=width)
            self.draw.line((*knee, x1, y0), fill=ink, width=width)
        else:
            if how == "box":
                self.checkbox(cell, size)
                pad = max(2, size // 5)
                x0, y0, x1, y1 = x0 + pad, y0 + pad, x1 - pad, y1 - pad
            self.draw.line((x0, y0, x1, y1), fill=ink, width=width)
            self.draw.line((x0, y1, x1, y0), fill=ink, width=width)
        box = (x0 - width, y0 - width, x1 + width, y1 + width)
        self.placed.append(Placed(word, box, (ix0, iy0, ix1, iy1), field_name, 0, "mark"))

    def checkbox(self, cell: Box, size: int) -> None:
        """An empty checkbox square in the middle of a cell."""
        ix0, iy0, ix1, iy1 = self.inside(cell)
        cx, cy = (ix0 + ix1) // 2, (iy0 + iy1) // 2
        h = size // 2
        self.draw.rectangle((cx - h, cy - h, cx + h, cy + h), outline=self.style.ink, width=self.thick(0.7))


@dataclass
class Sheet:
    """Ruled pages drawn top to bottom between margins; a block of rows that does not fit goes on a
    new page, its frame closed on the old one."""

    dpi: int
    style: Style
    look: Look
    top_in: float
    bottom_in: float
    pages: list[RuledPage] = field(default_factory=list)
    y: int = 0

    def __post_init__(self) -> None:
        self.new_page()

    @property
    def page(self) -> RuledPage:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(RuledPage(self.dpi, self.style, self.look))
        self.y = self.page.px(self.top_in)

    def room(self) -> int:
        return self.page.px(11.0 - self.bottom_in) - self.y


class Block:
    """Rows of cells between `left` and `right` rules, framed together; call `close()` at its end."""

    def __init__(self, sheet: Sheet, left: int, right: int, framed: bool = True) -> None:
        self.sheet, self.left, self.right, self.framed = sheet, left, right, framed
        self.top = sheet.y

    def row(self, height: int) -> tuple[RuledPage, int, int]:
        """Room for a row `height` pixels high (on a new page if needed): (page, top rule, bottom rule)."""
        sheet = self.sheet
        if height > sheet.room() and sheet.y > self.top:
            self.close()
            sheet.new_page()
            self.top = sheet.y
        y0 = sheet.y
        sheet.y += height
        return sheet.page, y0, sheet.y

    def close(self) -> None:
        if self.framed and self.sheet.y > self.top:
            self.sheet.page.frame(self.left, self.top, self.right, self.sheet.y)
