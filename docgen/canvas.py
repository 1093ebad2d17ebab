"""A page being drawn: inch/point units, baseline-anchored text, rules and underlines.

A document's style has two font roles: ``label`` for everything printed on the form (labels,
headings, options) and ``value`` for what is filled in. Families ask for ``page.font(bold=False)``
(or ``family=page.style.value``) for values and pass ``family=page.style.label`` for other text
set in a regular weight. That one role lets a share of documents be filled in by hand
(``filled_in``): their value face becomes a handwriting face, written in a pen's colour.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from docgen import fonts

LETTER_INCHES = (8.5, 11.0)
Colour = tuple[int, int, int]

# About one clinic form in six reaches the office filled in by hand; half of those in a blue pen.
HANDWRITTEN_RATE = 1 / 6
BLUE_PEN_RATE = 0.5
_BLUE_PENS: tuple[Colour, ...] = ((22, 45, 140), (30, 62, 170), (18, 32, 105), (40, 70, 150))


@dataclass(frozen=True)
class Handwriting:
    """How one document's values are filled in by hand: the face, and the pen's colour
    (None: a black pen, drawn in the page's own ink)."""

    face: fonts.FontFamily
    pen: Colour | None


def pick_handwriting(rng: random.Random, rate: float = HANDWRITTEN_RATE) -> Handwriting | None:
    """With probability `rate`, a handwriting face of the active font set and a pen; else None.

    Always draws the same number of values from `rng` for a given outcome, so it can have a stream
    of its own (docgen.generate seeds one per document)."""
    if rng.random() >= rate:
        return None
    face = rng.choice(fonts.hand_families())
    pen = rng.choice(_BLUE_PENS) if rng.random() < BLUE_PEN_RATE else None
    return Handwriting(face, pen)


_HAND: ContextVar[Handwriting | None] = ContextVar("docgen_hand", default=None)
_DRAWN: ContextVar[list[Page] | None] = ContextVar("docgen_drawn", default=None)


@contextmanager
def filled_in(hand: Handwriting | None) -> Iterator[list[Page]]:
    """Inside this block every style writes its values with `hand` (None: typed as usual).

    Yields the list of pages created inside, for ``inked``: a page's image stays grey while it is
    drawn (families fill with grey levels), and the pen's colour is laid on at the end."""
    drawn: list[Page] = []
    hand_token, drawn_token = _HAND.set(hand), _DRAWN.set(drawn)
    try:
        yield drawn
    finally:
        _HAND.reset(hand_token)
        _DRAWN.reset(drawn_token)


def inked(image: Image.Image, drawn: list[Page]) -> Image.Image:
    """`image` (a page's image from `drawn`) with its handwritten values in the pen's colour, as RGB;
    `image` itself when nothing on it was written in a coloured pen."""
    for page in drawn:
        if page.image is image and page.pen_mask is not None and page.style.pen is not None:
            if page.pen_mask.getbbox() is None:
                return image
            rgb = image.convert("RGB")
            rgb.paste(page.style.pen, mask=page.pen_mask)
            return rgb
    return image


@dataclass(frozen=True)
class Style:
    """The look of one document: fonts, sizes and ink, picked once so all pages agree."""

    label: fonts.FontFamily
    value: fonts.FontFamily
    body_pt: float
    ink: int
    paper: int
    pen: Colour | None = None  # colour of handwritten values; None: the ink above

    @property
    def handwritten(self) -> bool:
        return self.value.hand


def pick_style(rng: random.Random, prefer: str | None = None, prefer_weight: float = 0.0) -> Style:
    """A random style from the active font set (fonts.drawing_from); `prefer` names a value family
    chosen with probability `prefer_weight` if it is in the set. Inside ``filled_in(hand)`` the
    value face is the handwriting's; the draws from `rng` are the same either way."""
    families = fonts.font_families()
    names = [f.name for f in families]
    value = rng.choice(families)
    if prefer in names and rng.random() < prefer_weight:
        value = fonts.family(prefer)
    # Labels in the real forms are a bold sans/serif, never the comic face of the handwritten-like values.
    label_choices = [f for f in families if f.name != "Comic Neue"] or list(families)
    style = Style(
        label=rng.choice(label_choices),
        value=value,
        body_pt=rng.uniform(10.0, 12.0),
        ink=rng.randint(0, 45),
        paper=rng.randint(246, 255),
    )
    hand = _HAND.get()
    if hand is None:
        return style
    return Style(style.label, hand.face, style.body_pt, style.ink, style.paper, hand.pen)


class Page:
    """A white page at `dpi` (US letter unless `inches` gives another (width, height), e.g. a
    half-letter pad), drawn in grayscale ("L") with y coordinates at text baselines."""

    def __init__(self, dpi: int, style: Style, inches: tuple[float, float] = LETTER_INCHES) -> None:
        self.dpi = dpi
        self.style = style
        size = (round(inches[0] * dpi), round(inches[1] * dpi))
        self.image = Image.new("L", size, style.paper)
        self.draw = ImageDraw.Draw(self.image)
        # Where handwritten values lie (255 = pen), to colour them once the page is done (`inked`).
        self.pen_mask = Image.new("L", size, 0) if style.pen is not None else None
        self.texts: list[tuple[str, bool]] = []  # (text, written by hand) in drawing order, for tests
        drawn = _DRAWN.get()
        if drawn is not None:
            drawn.append(self)

    def px(self, inches: float) -> int:
        """Inches -> pixels."""
        return round(inches * self.dpi)

    def font(
        self, bold: bool, scale: float = 1.0, family: fonts.FontFamily | None = None
    ) -> ImageFont.FreeTypeFont:
        """A font `scale` times the body size; labels default to the label family, values to the value one."""
        fam = family or (self.style.label if bold else self.style.value)
        size_px = round(self.style.body_pt * scale * fam.scale * self.dpi / 72)
        return fonts.load(fam.bold if bold else fam.regular, size_px)

    def line_step(self, font: ImageFont.FreeTypeFont) -> int:
        """Baseline-to-baseline distance for lines set in `font`."""
        return round(font.size * 1.45)

    def width(self, text: str, font: ImageFont.FreeTypeFont) -> int:
        """Advance width of `text` in pixels."""
        return round(font.getlength(text))

    def fit(self, text: str, font: ImageFont.FreeTypeFont, max_width: int) -> ImageFont.FreeTypeFont:
        """`font`, shrunk if needed so `text` fits in `max_width` pixels (the text itself never changes)."""
        while font.size > 8 and font.getlength(text) > max_width:
            font = fonts.load(font.path, int(font.size * 0.92))
        return font

    def text(self, x: int, y: int, text: str, font: ImageFont.FreeTypeFont, align: str = "left") -> int:
        """Draw `text` with its baseline at y; x is its left, right or center per `align`. Returns width."""
        anchor = {"left": "ls", "right": "rs", "center": "ms"}[align]
        if text:
            self.ink_text((x, y), text, font, anchor)
        return self.width(text, font)

    def label_and_value(
        self, right: int, y: int, label: str, value: str, font: ImageFont.FreeTypeFont
    ) -> None:
        """ "`label` `value`" set as one right-aligned run ending at x = `right`; when the value is
        handwritten the label stays printed (the label face at the same size) and only the value is
        written."""
        if not value or not self.is_written(font):
            self.text(right, y, f"{label} {value}".rstrip(), font, "right")
            return
        printed = fonts.load(self.style.label.regular, font.size)
        self.text(right, y, value, font, "right")
        self.text(right - self.width(value, font) - self.width(" ", printed), y, label, printed, "right")

    def is_written(self, font: ImageFont.FreeTypeFont) -> bool:
        """Whether text set in `font` is handwriting (a handwritten document's value face)."""
        value = self.style.value
        return value.hand and font.path in (value.regular, value.bold)

    def ink_text(
        self,
        xy: tuple[int, int],
        text: str,
        font: ImageFont.FreeTypeFont,
        anchor: str,
        fill: int | None = None,
    ) -> None:
        """Draw `text` at `xy` in `fill` (default: the ink), noting handwriting for the pen's colour."""
        written = self.is_written(font)
        ink = self.style.ink if fill is None else fill
        pen = round(font.size * self.style.value.pen) if written else 0
        self.draw.text(xy, text, font=font, fill=ink, anchor=anchor, stroke_width=pen, stroke_fill=ink)
        self.texts.append((text, written))
        if self.pen_mask is not None and written:
            mask = ImageDraw.Draw(self.pen_mask)
            mask.text(xy, text, font=font, fill=255, anchor=anchor, stroke_width=pen, stroke_fill=255)

    def wrapped(self, text: str, font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
        """`text` broken into lines at spaces, as many words to a line as fit in `max_width` (a
        word wider than that alone on its line)."""
        lines, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if line and self.width(trial, font) > max_width:
                lines.append(line)
                line = word
            else:
                line = trial
        return [*lines, line] if line else lines

    def lines(self, x: int, y: int, lines: list[str], font: ImageFont.FreeTypeFont, max_width: int) -> int:
        """Draw lines downwards from baseline y, each shrunk to fit; returns the baseline after the last."""
        step = self.line_step(font)
        for line in lines:
            self.text(x, y, line, self.fit(line, font, max_width))
            y += step
        return y

    def rule(self, x0: int, x1: int, y: int, thickness_pt: float = 0.8) -> None:
        """A horizontal line (underlines and section rules)."""
        thick = max(1, round(thickness_pt * self.dpi / 72))
        self.draw.rectangle((x0, y, x1, y + thick - 1), fill=self.style.ink)

    def underline_gap(self, font: ImageFont.FreeTypeFont) -> int:
        """How far below a baseline an underline goes. Under print: clear of descenders, so OCR keeps
        'g', 'p', 'y'. Under handwriting: just under the baseline, as a hand writes on its line and
        lets descenders cross it (a handwriting face's deep descent would put the rule through the
        next line or the caption under it)."""
        ascent, descent = font.getmetrics()
        if self.is_written(font):
            return min(descent, round(ascent * 0.15)) + max(2, self.px(0.02))
        return descent + max(2, self.px(0.02))
