"""How a value put together from its parts is written: its parts in a way of writing
(``{street}\n{city}, {state} {zip}``), and the note that flags it. A module of its own so that
learned layouts (``extraction.layouts.formats``) write values as ``extraction.parts`` does
without depending on how fields are assigned."""

from __future__ import annotations

import re

from extraction.types import FieldResult

PARTS_NOTE = "put together from its parts ({}): check the order and spelling"


def composed_from_parts(result: FieldResult) -> bool:
    """True for a value put together from its parts (``from_parts``): its box spans the parts'
    places on the page, which read as one crop give the page's order, not the field's."""
    return PARTS_NOTE.split("(", 1)[0] in (result.reason or "")


def fill_parts(template: str, parts: dict[str, str]) -> str:
    """``template`` with each ``{part}`` replaced by its value; a missing part goes with the
    brackets, commas and spaces it leaves, and a line left empty goes."""
    lines = []
    for line in template.split("\n"):
        filled = re.sub(r"{(\w+)}", lambda m: parts.get(m.group(1), ""), line)
        filled = re.sub(r"\(\s*\)", "", filled)  # the brackets of a missing area code
        filled = re.sub(r"\s*,(\s*,)+", ",", filled)  # a comma left alone by a missing part
        filled = re.sub(r"\s+,", ",", filled)
        filled = re.sub(r"\s{2,}", " ", filled).strip(" ,")
        if filled:
            lines.append(filled)
    return "\n".join(lines)
