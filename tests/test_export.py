"""CSV export: columns, provenance, Excel's BOM, and no formula ever reaching a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from medextract.export import neutralize, records_frame, records_to_csv
from medextract.views import VerifiedRecord

FIELDS = ["patient_name", "refills", "medicines"]


def record(
    doc_id: int, values: dict[str, str], engine: dict[str, str] | None = None, **kw: object
) -> VerifiedRecord:
    engine = engine if engine is not None else values
    return VerifiedRecord(
        document_id=doc_id,
        filename=str(kw.get("filename", f"doc{doc_id}.pdf")),
        doc_type=str(kw.get("doc_type", "prescription")),
        verified_by=str(kw.get("verified_by", "uma")),
        verified_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        values={name: values.get(name, "") for name in FIELDS},
        engine_values={name: engine.get(name, "") for name in FIELDS},
        confidences={name: 0.91234 for name in FIELDS},
    )


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM to read accents right"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_columns_in_field_order() -> None:
    frame = records_frame([record(1, {"patient_name": "Zoë", "refills": "2"})], "prescription", fields=FIELDS)
    assert list(frame.columns) == ["document_id", "file_name", *FIELDS, "verified_by", "verified_at"]
    row = frame.iloc[0]
    assert (row["document_id"], row["file_name"], row["patient_name"]) == (1, "doc1.pdf", "Zoë")
    assert row["verified_at"] == "2026-03-02T09:30:00+00:00"


def test_field_order_comes_from_the_records_without_an_explicit_list() -> None:
    frame = records_frame([record(1, {})], "prescription")
    assert list(frame.columns)[2:5] == FIELDS


def test_provenance_columns() -> None:
    rec = record(
        7, {"patient_name": "Jon Smith", "refills": "2"}, {"patient_name": "John Smith", "refills": "2"}
    )
    frame = records_frame([rec], "prescription", provenance=True, fields=FIELDS)
    assert list(frame.columns)[2:6] == [
        "patient_name",
        "patient_name__engine_value",
        "patient_name__corrected",
        "patient_name__confidence",
    ]
    row = frame.iloc[0]
    assert row["patient_name__engine_value"] == "John Smith" and row["patient_name__corrected"] == "yes"
    assert row["refills__corrected"] == "no" and row["refills__confidence"] == pytest.approx(0.912)


def test_other_types_are_left_out_and_no_records_still_give_a_header() -> None:
    other = record(2, {"patient_name": "X"}, doc_type="patient_details")
    assert records_frame([other], "prescription", fields=FIELDS).empty
    rows = records_to_csv([], "prescription", fields=FIELDS).decode("utf-8-sig").splitlines()
    assert rows == ["document_id,file_name,patient_name,refills,medicines,verified_by,verified_at"]


def test_csv_round_trip_keeps_multiline_values_and_accents() -> None:
    rec = record(3, {"patient_name": "José Müller", "medicines": "Amoxicillin 500mg\nIbuprofen, 200mg"})
    rows = read_csv(records_to_csv([rec], "prescription", fields=FIELDS))
    assert rows[0]["patient_name"] == "José Müller"
    assert rows[0]["medicines"] == "Amoxicillin 500mg\nIbuprofen, 200mg"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=b", "a=b"),
        ("", ""),
        ("John", "John"),
    ],
)
def test_neutralize(value: str, expected: str) -> None:
    assert neutralize(value) == expected


def test_formula_injection_is_neutralised_in_every_text_cell() -> None:
    rec = record(
        4,
        {"patient_name": "=cmd|' /C calc'!A0", "refills": "-1"},
        {"patient_name": "@evil", "refills": "1"},
        filename="+danger.pdf",
        verified_by="=admin",
    )
    rows = read_csv(records_to_csv([rec], "prescription", provenance=True, fields=FIELDS))
    row = rows[0]
    assert row["patient_name"] == "'=cmd|' /C calc'!A0"
    assert row["refills"] == "'-1"
    assert row["patient_name__engine_value"] == "'@evil"
    assert row["file_name"] == "'+danger.pdf" and row["verified_by"] == "'=admin"
    assert row["document_id"] == "4" and row["refills__confidence"] == "0.912"  # numbers stay numbers
    # records_frame itself keeps the stored values: only the file is defused.
    assert records_frame([rec], "prescription", fields=FIELDS).iloc[0]["refills"] == "-1"
