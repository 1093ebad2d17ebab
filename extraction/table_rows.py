"""Table rows: a table whose header row names the document's table columns (Medicine, Dose,
Directions) gives, per field, the text of its columns row by row."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from extraction.doctypes import DocumentType, FieldSpec
from extraction.keys import Key
from extraction.page_view import LABEL_MIN_SCORE, Candidate, PageView, cell_of, has_text
from extraction.phrases import best_phrase
from extraction.types import Box, Line, Word, mostly_inside, on_one_row, union_box

# A table's rows follow each other within this many line heights.
TABLE_ROW_GAP = 2.6
# Words of one cell on one row stand at most this many line heights apart (a space is a third
# of one); a wider gap held words OCR lost.
CELL_GAP_HEIGHTS = 1.5
# The words ending a header line name its column alone when they read this much better as its
# name than the whole line does.
OWN_NAME_MARGIN = 0.1
# A header line's print is at most this many text heights tall (a descender included).
HEADER_LINE = 1.25
# A row's line has its middle at least this many text heights under the header line's middle.
ROW_BELOW = 0.8
# What joins two columns' names in one head ("Drug / strength", "Medicine & dose").
HEAD_JOINERS = "/&+,-"


def table_candidates(doc_type: DocumentType, view: PageView) -> list[Candidate]:
    """Candidates from a table whose header row names the document's table columns: each field
    with ``table_columns`` gets, per row, the text of its columns joined (Medicine + Dose)."""
    if not doc_type.table_columns:
        return []
    found: list[Candidate] = []
    for header in _table_headers(doc_type, view):
        rows = _table_rows(header, view, doc_type.table_columns)
        read = {candidate.field for candidate in found}
        found += [
            _column_candidate(spec, header, rows, view)
            for spec in doc_type.fields
            if spec.name not in read and any(name in header for name in spec.table_columns)
        ]
    return found


def _column_candidate(
    spec: FieldSpec, header: dict[str, tuple[Key, float]], rows: list[dict[str, list[Word]]], view: PageView
) -> Candidate:
    """The field's value from its columns of one table, row by row (Medicine + Dose)."""
    lines = []
    for row in rows:
        words = [w for name in spec.table_columns for w in row.get(name, ())]
        if has_text(words):
            lines.append(tuple(words))
    keys = tuple(header[name][0] for name in spec.table_columns if name in header)
    score = min(header[name][1] for name in spec.table_columns if name in header)
    ragged = any(_ragged(rows, name, view.height) for name in spec.table_columns)
    gapped = any(_gapped(row.get(name, ()), view.height) for row in rows for name in spec.table_columns)
    note = (
        "a line starts right of its column's edge: its first word may be unread"
        if ragged
        else "a wide gap inside a cell: words between may be unread"
        if gapped
        else None
    )
    return Candidate(spec.name, view.page.index, tuple(lines), "table", score, keys, note=note)


def _table_headers(doc_type: DocumentType, view: PageView) -> list[dict[str, tuple[Key, float]]]:
    """Each row of keys naming two or more table columns, top to bottom: column name -> (key,
    score). A page may hold several tables (medications, then allergies)."""
    heads = [key for key in view.keys if _a_column_head(key, doc_type)]
    headers: list[dict[str, tuple[Key, float]]] = []
    seen: set[int] = set()
    for key in heads:
        if id(key) in seen:
            continue
        row = [k for k in heads if on_one_row(k.box, key.box)]
        seen.update(id(k) for k in row)
        named: dict[str, tuple[Key, float]] = {}
        for k in row:
            column, score = max(
                ((name, best_phrase(k.text, words)[1]) for name, words in doc_type.table_columns.items()),
                key=lambda pair: pair[1],
            )
            if score >= LABEL_MIN_SCORE and score > named.get(column, (k, 0.0))[1]:
                named[column] = (k, score)
        if len(named) >= 2:
            headers.append(named)
    return headers


def _a_column_head(key: Key, doc_type: DocumentType) -> bool:
    """True for a key alone on its line, or followed only by another column's name: one head
    over a column that holds both ("Drug / strength", its slash maybe unread), named by its
    first."""
    if key.whole_line:
        return True
    rest = " ".join(w.text.strip(HEAD_JOINERS) for w in key.rest if w.text.lower() != "and").strip()
    columns = doc_type.table_columns.values()
    return bool(rest) and any(best_phrase(rest, words)[1] >= LABEL_MIN_SCORE for words in columns)


def _table_rows(
    header: dict[str, tuple[Key, float]], view: PageView, names: dict[str, tuple[str, ...]]
) -> list[dict[str, list[Word]]]:
    """The table's rows under its header: each word goes to the column whose header it sits
    under; a row with nothing in the first column continues the row above (a wrapped cell)."""
    named = sorted(
        (_column_start(_named_part(k, score, names[name]), view), name) for name, (k, score) in header.items()
    )
    ruled = _ruled_table(header, view)
    # Header cells of no known column ("Days", "Qty", read or not) still end the column before
    # them; their own cells are left out.
    others = [
        (start, "")
        for line in view.page.lines
        if any(on_one_row(line.box, k.box) for k, _ in header.values())
        and all(abs((start := _column_start(line.box, view)) - x) > view.height for x, _ in named)
    ]
    others += [
        (x, "")
        for x in (_unread_header_cells(header, view) if ruled is not None else [])
        if all(abs(x - s) > view.height for s, _ in named + others)
    ]
    columns = sorted(named + others)
    starts = [x for x, _ in columns]
    print_rows = [(k.box[1], _foot(k, view.height)) for k, _ in header.values()]
    top = max(foot for _, foot in print_rows)
    # A row's line stands under the header's: its middle ROW_BELOW text heights under the header
    # print's middle. (Tight rows share their rules with the header, and OCR may box a rule with
    # either, so neither box's edge tells where the other ends.)
    below = max((head + foot) / 2 for head, foot in print_rows) + ROW_BELOW * view.height
    lines = sorted(
        (ln for ln in view.page.lines if (ln.box[1] + ln.box[3]) / 2 >= below and ln.box[2] > starts[0]),
        key=lambda ln: ln.box[1],
    )
    rows: list[dict[str, list[Word]]] = []
    row_box: Box | None = None
    bottom = top
    for line in lines:
        if ruled is not None and (line.box[1] + line.box[3]) / 2 > ruled[3]:
            break  # under the ruled table: however tall its rows, the table ends at its border
        if ruled is None and line.box[1] - bottom > TABLE_ROW_GAP * view.height:
            break
        if row_box is None or not on_one_row(line.box, row_box):
            # A row holding a label under the table is no row of it, whatever stands beside.
            row = [other for other in lines if on_one_row(other.box, line.box)]
            if any(_ends_table(other, row, starts, view, ruled) for other in row):
                break
            if rows and not any(rows[-1].values()):
                rows.pop()
            rows.append({})
            row_box = line.box
        for word in line.words:
            name = _column_of(word, columns, starts, view)
            if name:
                rows[-1].setdefault(name, []).append(word)
        bottom = max(bottom, line.box[3])
    for row in rows:
        for words in row.values():
            words.sort(key=lambda w: w.box[0])  # one row's cell, read left to right whatever line it came on
    first = named[0][1]
    merged: list[dict[str, list[Word]]] = []
    for row in rows:
        if merged and first not in row:
            for name, words in row.items():
                merged[-1].setdefault(name, []).extend(words)
        else:
            merged.append(row)
    return merged


def _unread_header_cells(header: dict[str, tuple[Key, float]], view: PageView) -> list[float]:
    """The left borders of the cells of a ruled table's header row in which OCR read nothing
    (a shaded "Qty" lost): each still heads a column of its own, ending the one before it. For
    a header found ruled (``_ruled_table``)."""
    structure = view.structure
    if structure is None:
        return []
    cells = [cell for k, _ in header.values() if (cell := structure.cell_at(k.box)) is not None]
    if not cells:
        return []
    table, row = cells[0].table, cells[0].row
    return [
        float(cell.box[0])
        for cell in structure.cells
        if cell.table == table
        and cell.row == row
        and not any(mostly_inside(line.box, cell.box) for line in view.page.lines)
    ]


def _foot(key: Key, height: float) -> float:
    """Where a header's print ends: at most ``HEADER_LINE`` text heights under its top (OCR may
    box the rule under a header with its words)."""
    return min(key.box[3], key.box[1] + HEADER_LINE * height)


def _ruled_table(header: dict[str, tuple[Key, float]], view: PageView) -> Box | None:
    """The box of the ruled table the header row stands in, when most of its header names stand
    in cells (a rule may be lost under damage), all of one table with rows under the header;
    None for a table drawn without rules."""
    if view.structure is None:
        return None
    cells = [view.structure.cell_at(k.box) for k, _ in header.values()]
    tables = {cell.table for cell in cells if cell is not None}
    if 2 * cells.count(None) >= len(cells) or len(tables) != 1:
        return None
    table = view.structure.tables[tables.pop()]
    return table.box if table.rows >= 2 else None


def _ends_table(
    line: Line, row: list[Line], starts: list[float], view: PageView, ruled: Box | None = None
) -> bool:
    """True when ``line`` is a label under the table (a key), not a cell of one of its rows. A
    cell that opens with a label's word, no colon, and more words ("Use   ml twice daily", the
    count lost from the gap) at the start of a column right of the first, beside cells of its
    row that are no keys, is a cell; a label alone on its line ("Dispense as written") is not;
    nor is a line of no known wording inside the ruled table (a medicine in its first column,
    taken for a label by the form's column of labels around the table)."""
    key = view.key_on(line)
    if key is None:
        return False
    if ruled is not None and not key.known and mostly_inside(line.box, ruled):
        return False
    if key.colon or key.whole_line or line.box[0] - starts[0] <= view.height:
        return True
    if min(abs(line.box[0] - start) for start in starts) > 1.5 * view.height:
        return True  # not where any column starts: a label set below the table
    return not any(other is not line and not view.is_key_line(other) for other in row)


def _gapped(words: Sequence[Word], height: float) -> bool:
    """True when two words of a cell stand on one row far wider apart than a space: OCR lost
    what was written between them ("1 ............ needed for pain")."""
    return any(
        on_one_row(a.box, b.box) and b.box[0] - a.box[2] > CELL_GAP_HEIGHTS * height
        for a, b in itertools.pairwise(words)
    )


def _ragged(rows: list[dict[str, list[Word]]], column: str, height: float) -> bool:
    """True when most of the column's cells start at one edge and one starts well right of it:
    OCR lost its first word (a lone "1" beside a cell's border)."""
    starts = [row[column][0].box[0] for row in rows if row.get(column)]
    if len(starts) < 2:
        return False
    edge = min(starts)
    aligned = sum(start - edge <= 0.3 * height for start in starts)
    return 2 * aligned >= len(starts) and aligned >= 2 and max(starts) - edge > 0.8 * height


def _named_part(key: Key, whole: float, names: tuple[str, ...]) -> Box:
    """The box of the words of ``key`` that read as one of the column's ``names``: a header
    line of an unruled table may hold another column's name before them ("ROUTE DIRECTIONS",
    a column gap read as a space), and the column starts where its own name does. Words that
    read as well as the ``whole`` line does (its score as the column's name: "Dose and
    frequency") are one name."""
    words = key.words
    for start in range(len(words) - 1, 0, -1):
        named = best_phrase(" ".join(w.text for w in words[start:]), names)[1]
        if named >= LABEL_MIN_SCORE and named > whole + OWN_NAME_MARGIN:
            box = union_box([w.box for w in words[start:]])
            assert box is not None
            return box
    return key.box


def _column_of(word: Word, columns: list[tuple[float, str]], starts: list[float], view: PageView) -> str:
    """The name of the column ``word`` stands in ("" for a column of no field): the last column
    starting left of its middle, or, for a word in a ruled cell of one column (no column starts
    inside it), of the cell's middle: on a photo's skewed or keystoned table a column's border
    drifts across its rows, and a word at the start of a cell may stand left of where the
    header's cell starts. Left of the first column named: a column of row numbers or of no field."""
    middle = (word.box[0] + word.box[2]) / 2
    cell = view.structure.cell_at(word.box) if view.structure is not None else None
    if cell is not None:
        x0, _y0, x1, _y1 = cell.box
        if not any(x0 + view.height < start < x1 - view.height for start in starts):
            middle = (x0 + x1) / 2
    index = max((i for i, start in enumerate(starts) if middle >= start), default=None)
    return "" if index is None else columns[index][1]


def _column_start(header: Box, view: PageView) -> float:
    """Where the column under a header starts: its cell's left border in a ruled table (a header
    may be centred over its column), else a line height left of the header. A cell that starts
    right of the header's own first letter is not its column's (the header overflows it, or the
    rules were found wrong): the column starts at the header then."""
    cell = cell_of(header, view)
    if cell is not None and cell[0] <= header[0]:
        return cell[0]
    return header[0] - view.height
