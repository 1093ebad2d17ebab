"""Labelled rows of the grid-form families: label | value cell pairs, or cells with corner labels."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import ImageFont

from docgen.families._grid import Block, extent, ink_width, shrink


def cased(text: str, upper: bool, colon: bool) -> str:
    """A printed label in the document's case, with or without a colon."""
    text = text.upper() if upper else text
    return f"{text}:" if colon and not text.endswith(("?", ":", ".")) else text


def edges(left: int, right: int, weights: list[float]) -> list[int]:
    """Column rules from left to right in proportion to `weights`."""
    total, xs, acc = sum(weights), [left], 0.0
    for w in weights[:-1]:
        acc += w
        xs.append(left + round((right - left) * acc / total))
    xs.append(right)
    return xs


@dataclass
class Item:
    """A label and its value lines in a grid row; `span` counts the row's columns it takes and
    `rows` the lines of ruled height it gets (a signature box, a list left blank)."""

    label: str
    lines: list[str]
    field: str = ""
    span: int = 1
    rows: int = 1


@dataclass(frozen=True)
class Type:
    """The fonts and placement of labels and values of one document."""

    label: ImageFont.FreeTypeFont
    value: ImageFont.FreeTypeFont
    corner: ImageFont.FreeTypeFont  # small label in a cell's top-left corner
    label_grey: int  # ink of labels (printed matter may be lighter than the values)
    value_valign: str  # "center" or "bottom" (written low in the cell, as by hand)
    slack: int  # extra row height beyond the padding


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """`text` on one line, or on two balanced lines when it is much too wide for `width`."""
    words = text.split()
    if ink_width(text, font) <= width or len(words) < 2 or ink_width(text, font) < width * 1.25:
        return [text]
    best = min(range(1, len(words)), key=lambda k: abs(len(" ".join(words[:k])) - len(" ".join(words[k:]))))
    return [" ".join(words[:best]), " ".join(words[best:])]


def pair_row(block: Block, items: list[Item], xs: list[int], look: Type) -> None:
    """One row of label cell | value cell pairs: item i between rules xs[2i], xs[2i+1], xs[2i+2]."""
    page = block.sheet.page
    labels = [
        wrap(item.label, look.label, xs[2 * i + 1] - xs[2 * i] - 2 * page.look.pad_x - page.t)
        for i, item in enumerate(items)
    ]
    lines = max(
        max(len(item.lines), item.rows, len(label)) for item, label in zip(items, labels, strict=True)
    )
    height = max(page.row_height(look.label, lines), page.row_height(look.value, lines)) + look.slack
    page, y0, y1 = block.row(height)
    page.row(y0, y1, xs)
    for i, (item, label) in enumerate(zip(items, labels, strict=True)):
        label_cell = (xs[2 * i], y0, xs[2 * i + 1], y1)
        value_cell = (xs[2 * i + 1], y0, xs[2 * i + 2], y1)
        page.fill(label_cell)
        if len(label) == 1 and lines == 1:
            page.put(label[0], look.label, label_cell, kind="label", ink=look.label_grey)
        else:
            inner = label_cell[2] - label_cell[0] - page.t - 2 * page.look.pad_x
            font = shrink(max(label, key=len), look.label, inner)
            base = page.inside(label_cell)[1] + page.look.pad_y + extent(font)[0]
            for k, text in enumerate(label):
                step = k * page.line_gap(look.label)
                page.put(text, font, label_cell, baseline=base + step, kind="label", ink=look.label_grey)
        if len(item.lines) == 1 and lines == 1:
            page.put(item.lines[0], look.value, value_cell, valign=look.value_valign, field_name=item.field)
        else:
            page.put_lines(item.lines, look.value, value_cell, field_name=item.field)


def corner_row(block: Block, items: list[Item], xs: list[int], look: Type) -> None:
    """One row of cells, each with a small label in its top-left corner and the value lower down."""
    page = block.sheet.page
    lines = max(max(len(item.lines), item.rows) for item in items)
    gap = max(1, page.look.pad_y // 2)
    head = page.text_height(look.corner) + gap
    height = page.row_height(look.value, lines) + head + look.slack
    page, y0, y1 = block.row(height)
    page.row(y0, y1, xs)
    for i, item in enumerate(items):
        cell = (xs[i], y0, xs[i + 1], y1)
        page.put(item.label, look.corner, cell, valign="top", kind="label", ink=look.label_grey)
        if len(item.lines) == 1 and lines == 1:
            page.put(
                item.lines[0],
                look.value,
                cell,
                valign="bottom",
                field_name=item.field,
                indent=page.look.pad_x,
            )
        else:
            base = page.inside(cell)[1] + page.look.pad_y + head + extent(look.value)[0]
            for k, text in enumerate(item.lines):
                page.put(
                    text,
                    look.value,
                    cell,
                    baseline=base + k * page.line_gap(look.value),
                    field_name=item.field,
                    group=k,
                    indent=page.look.pad_x,
                )
