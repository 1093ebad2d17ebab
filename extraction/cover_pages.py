"""Pages sent in front of a document that are no part of it: fax cover sheets.

Forms reach an insurer by fax behind a cover sheet that prints a date, phone and fax numbers,
a sender and often the patient's name on its "Re:" line. None of them is a field of the form,
and a date or phone read from the cover is wrong without a doubt to flag. A page that reads as
a cover sheet (its labels and titles are data: ``doctypes/shared/cover_sheet.toml``), in a
document with other pages, is set aside: not read to tell the type nor for fields.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache

from extraction.doctypes import FOLDER
from extraction.phrases import key_token
from extraction.structure import PageStructure
from extraction.types import Line, PageText


@dataclass(frozen=True)
class CoverSheet:
    """What a cover sheet prints: labels that open lines, titles alone on a line."""

    labels: frozenset[str]
    titles: frozenset[str]
    min_labels: int


@lru_cache(maxsize=1)
def cover_sheet() -> CoverSheet:
    """The cover sheet's words from the package's data, compared as ``key_token`` reads them."""
    data = tomllib.loads((FOLDER / "shared" / "cover_sheet.toml").read_text(encoding="utf-8"))
    return CoverSheet(
        labels=frozenset(key_token(label) for label in data["labels"]),
        titles=frozenset(key_token(title) for title in data["titles"]),
        min_labels=int(data["min_labels"]),
    )


def is_cover_sheet(page: PageText, sheet: CoverSheet | None = None) -> bool:
    """True when ``page`` prints ``min_labels`` of a cover sheet's labels, each opening a line
    (closed by a colon, or alone on its line), or a title alone on a line and one label fewer."""
    sheet = sheet or cover_sheet()
    labels = {label for line in page.lines if (label := _opening_label(line, sheet))}
    titled = any(key_token(line.text) in sheet.titles for line in page.lines)
    return len(labels) + titled >= sheet.min_labels


def cover_sheet_pages(pages: list[PageText]) -> frozenset[int]:
    """The indexes of the pages that are cover sheets, when some page is not one: a document
    of cover sheets only is read whole."""
    covers = frozenset(index for index, page in enumerate(pages) if is_cover_sheet(page))
    return covers if len(covers) < len(pages) else frozenset()


def set_aside(
    covers: frozenset[int], pages: list[PageText], structures: list[PageStructure]
) -> tuple[list[PageText], list[PageStructure]]:
    """The pages and their structures with the ``covers`` left empty: read for no field."""
    return (
        [replace(page, lines=()) if index in covers else page for index, page in enumerate(pages)],
        [PageStructure() if index in covers else s for index, s in enumerate(structures)],
    )


def _opening_label(line: Line, sheet: CoverSheet) -> str | None:
    """The cover sheet's label ``line`` opens with: its words up to one ending in a colon, or
    the whole line."""
    words = [word.text for word in line.words]
    for end, word in enumerate(words[:5], start=1):
        if word.endswith(":"):
            label = key_token(" ".join(words[:end]))
            return label if label in sheet.labels else None
    whole = key_token(" ".join(words))
    return whole if whole in sheet.labels else None
