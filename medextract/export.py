"""Verified records as a table and as CSV for Excel. Pure: no database, no Streamlit.

Each value is exported exactly as verified; a date or phone field also gets its normalised form
beside it (``<field>__normalised``: YYYY-MM-DD, E.164), empty when there is no sure reading (an
either-way day and month without a deployment order, a two-digit year, a local number), never
a guess; the provenance columns say why (``<field>__normalised_note``).

Cells a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return)
get a leading single quote, per OWASP's CSV injection advice: a record typed by a clerk or read
off a scan must never execute on a supervisor's machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from medextract import normalise
from medextract.views import VerifiedRecord

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would treat as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _field_order(records: Sequence[VerifiedRecord], doc_type: str, fields: Sequence[str] | None) -> list[str]:
    if fields is not None:
        return list(fields)
    if records:
        return list(records[0].values)  # verified_records builds values in the type's field order
    from medextract.catalog import default_catalog

    return default_catalog().field_names(doc_type)


def _normalised_fields(
    doc_type: str, names: Sequence[str], kinds: Mapping[str, str] | None
) -> dict[str, str]:
    """The fields among ``names`` whose kind has a normalised form, with that kind."""
    if kinds is None:
        from medextract.catalog import default_catalog, field_kinds

        kinds = field_kinds(default_catalog(), doc_type, names)
    return {name: kinds[name] for name in names if kinds.get(name) in normalise.NORMALISED_KINDS}


def records_table(
    records: Iterable[VerifiedRecord],
    doc_type: str,
    *,
    provenance: bool = False,
    fields: Sequence[str] | None = None,
    kinds: Mapping[str, str] | None = None,
    rules: normalise.Settings | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and one row (column: value) per record of ``doc_type``: document_id, file_name,
    each field, verified_by, verified_at.

    A date or phone field (by its kind in ``kinds``, default the engine catalog's) is followed by
    ``<field>__normalised``: the value as YYYY-MM-DD or E.164 (medextract.normalise, under
    ``rules``, default the deployment's settings), "" when it is empty or has no sure reading.
    ``provenance`` adds after each field: ``<field>__normalised_note`` (why a value has no
    normalised form, for those fields), ``<field>__engine_value``, ``<field>__corrected``
    (yes/no) and ``<field>__confidence``. verified_at is ISO 8601 UTC. Values are as stored;
    formula neutralising happens in :func:`records_to_csv`. The API's JSON records are these rows.
    """
    chosen = [r for r in records if r.doc_type == doc_type]
    names = _field_order(chosen, doc_type, fields)
    normalised = _normalised_fields(doc_type, names, kinds)
    rules = rules or (normalise.settings() if normalised else normalise.Settings())
    columns = ["document_id", "file_name"]
    for name in names:
        columns.append(name)
        if name in normalised:
            columns += (
                [f"{name}__normalised", f"{name}__normalised_note"] if provenance else [f"{name}__normalised"]
            )
        if provenance:
            columns += [f"{name}__engine_value", f"{name}__corrected", f"{name}__confidence"]
    columns += ["verified_by", "verified_at"]
    rows = []
    for record in chosen:
        row: dict[str, Any] = {"document_id": record.document_id, "file_name": record.filename}
        for name in names:
            value = record.values.get(name, "")
            row[name] = value
            if name in normalised:
                reading = normalise.normalise(normalised[name], value, rules) or normalise.EMPTY
                row[f"{name}__normalised"] = reading.value
                if provenance:
                    row[f"{name}__normalised_note"] = reading.note
            if provenance:
                engine_value = record.engine_values.get(name, "")
                row[f"{name}__engine_value"] = engine_value
                row[f"{name}__corrected"] = "yes" if value != engine_value else "no"
                row[f"{name}__confidence"] = round(float(record.confidences.get(name, 0.0)), 3)
        row["verified_by"] = record.verified_by
        row["verified_at"] = record.verified_at.isoformat()
        rows.append(row)
    return columns, rows


def records_frame(
    records: Iterable[VerifiedRecord],
    doc_type: str,
    *,
    provenance: bool = False,
    fields: Sequence[str] | None = None,
    kinds: Mapping[str, str] | None = None,
    rules: normalise.Settings | None = None,
) -> pd.DataFrame:
    """:func:`records_table` as a DataFrame (the records page's table, the CSV)."""
    columns, rows = records_table(
        records, doc_type, provenance=provenance, fields=fields, kinds=kinds, rules=rules
    )
    return pd.DataFrame(rows, columns=columns)


def records_to_csv(
    records: Iterable[VerifiedRecord],
    doc_type: str,
    *,
    provenance: bool = False,
    fields: Sequence[str] | None = None,
    kinds: Mapping[str, str] | None = None,
    rules: normalise.Settings | None = None,
) -> bytes:
    """:func:`records_frame` as CSV bytes: UTF-8 with BOM (Excel), CRLF rows, formula cells neutralised."""
    frame = records_frame(records, doc_type, provenance=provenance, fields=fields, kinds=kinds, rules=rules)
    safe = frame.apply(lambda column: column.map(neutralize)) if len(frame) else frame
    # CRLF rows (RFC 4180): the csv writer then also quotes cells holding a bare "\r", which with
    # "\n" rows would be left unquoted and split the row in a reader.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
