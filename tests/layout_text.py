"""A plain-text page layout for golden tests: OCR output written by hand, no tesseract.

Format, one text line per row:  ``x y text``  (pixels of a 2550x3300 page, 300 dpi letter);
``x y h=200 text`` gives the line another height (a tall glyph such as the Rx mark);
``--- page`` starts a new page; ``#`` starts a comment. A word's confidence defaults to 0.96;
write ``word@0.40`` to give one word another confidence. Every character is 22 px wide and
every line 40 px high, so columns and gaps behave as on a real page.
"""

from __future__ import annotations

from pathlib import Path

from extraction.layout import group_lines
from extraction.layouts import locate_value
from extraction.structure import PageStructure
from extraction.types import ExtractionResult, FieldResult, PageText, Word

CHAR_WIDTH = 22
LINE_HEIGHT = 40
PAGE_SIZE = (2550, 3300)


def parse_layout(text: str) -> list[PageText]:
    """Pages of lines, built through the engine's own line grouping."""
    pages: list[list[Word]] = [[]]
    line_number = 0
    for raw in text.splitlines():
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        if raw == "--- page":
            pages.append([])
            continue
        x_text, y_text, content = raw.split(" ", 2)
        height = LINE_HEIGHT
        if content.startswith("h="):
            height_text, content = content.split(" ", 1)
            height = int(height_text[2:])
        pages[-1].extend(_words(int(x_text), int(y_text), content, line_number, height))
        line_number += 1
    width, height = PAGE_SIZE
    return [
        PageText(index=i, lines=tuple(group_lines(words)), width=width, height=height)
        for i, words in enumerate(pages)
    ]


def _words(x: int, y: int, content: str, line: int, height: int) -> list[Word]:
    words = []
    for token in content.split(" "):
        if not token:  # two spaces = one more character of gap
            x += CHAR_WIDTH
            continue
        text, _, conf = token.partition("@")
        width = CHAR_WIDTH * len(text)
        words.append(Word(text, float(conf) if conf else 0.96, (x, y, x + width, y + height), line))
        x += width + CHAR_WIDTH
    return words


def load_layout(path: Path) -> list[PageText]:
    return parse_layout(path.read_text(encoding="utf-8"))


def engine_reading(
    pages: list[PageText],
    values: dict[str, str],
    wrong: tuple[str, ...] = (),
    *,
    doc_type: str = "prescription",
    structures: list[PageStructure] | None = None,
) -> ExtractionResult:
    """An ExtractionResult as the engine gives it, its boxes found from the values; the fields
    named in ``wrong`` read wrong with no box, as a generic reading may."""
    fields = {}
    for name, value in values.items():
        found = locate_value(value, pages)
        assert found is not None, name
        if name in wrong:
            fields[name] = FieldResult("misread", 0.5, True)
        else:
            fields[name] = FieldResult(value, 0.9, False, page=found[0], box=found[1])
    return ExtractionResult(
        doc_type, 1.0, len(pages), 300, fields, page_texts=pages, page_structures=structures or []
    )
