"""A page being drawn: inch/point units, baseline-anchored text, rules and underlines."""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from docgen import fonts

LETTER_INCHES = (8.5, 11.0)


@dataclass(frozen=True)
class Style:
    """The look of one document: fonts, sizes and ink, picked once so all pages agree."""

    label: fonts.FontFamily
    value: fonts.FontFamily
    body_pt: float
    ink: int
    paper: int


def pick_style(rng: random.Random, prefer: str | None = None, prefer_weight: float = 0.0) -> Style:
    """A random style; `prefer` names a value family chosen with probability `prefer_weight` if installed."""
    families = fonts.font_families()
    names = [f.name for f in families]
    value = rng.choice(families)
    if prefer in names and rng.random() < prefer_weight:
        value = fonts.family(prefer)
    # Labels in the real forms are a bold sans/serif, never the comic face of the handwritten-like values.
    label_choices = [f for f in families if f.name != "Comic Neue"] or list(families)
    return Style(
        label=rng.choice(label_choices),
        value=value,
        body_pt=rng.uniform(10.0, 12.0),
        ink=rng.randint(0, 45),
        paper=rng.randint(246, 255),
    )


class Page:
    """A white page at `dpi` (US letter unless `inches` gives another (width, height), e.g. a
    half-letter pad), drawn in grayscale ("L") with y coordinates at text baselines."""

    def __init__(self, dpi: int, style: Style, inches: tuple[float, float] = LETTER_INCHES) -> None:
        self.dpi = dpi
        self.style = style
        size = (round(inches[0] * dpi), round(inches[1] * dpi))
        self.image = Image.new("L", size, style.paper)
        self.draw = ImageDraw.Draw(self.image)

    def px(self, inches: float) -> int:
        """Inches -> pixels."""
        return round(inches * self.dpi)

    def font(
        self, bold: bool, scale: float = 1.0, family: fonts.FontFamily | None = None
    ) -> ImageFont.FreeTypeFont:
        """A font `scale` times the body size; labels default to the label family, values to the value one."""
        fam = family or (self.style.label if bold else self.style.value)
        size_px = round(self.style.body_pt * scale * self.dpi / 72)
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
            self.draw.text((x, y), text, font=font, fill=self.style.ink, anchor=anchor)
        return self.width(text, font)

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
        """How far below a baseline an underline goes, clear of descenders so OCR keeps 'g', 'p', 'y'."""
        return font.getmetrics()[1] + max(2, self.px(0.02))
