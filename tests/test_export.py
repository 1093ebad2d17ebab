"""CSV export: columns, provenance, Excel's BOM, and no formula ever reaching a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from medextract.export import neutralize, records_frame, records_to_csv
from medextract.normalise import Settings
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


# ---- normalised values beside the verified ones ------------------------------------------------

PATIENT = ["patient_name", "birth_date", "phone_number"]
KINDS = {"patient_name": "person", "birth_date": "date", "phone_number": "phone"}


def patient(doc_id: int, birth_date: str, phone: str = "(737) 988-0851") -> VerifiedRecord:
    values = {"patient_name": "Ann Lee", "birth_date": birth_date, "phone_number": phone}
    return VerifiedRecord(
        document_id=doc_id,
        filename=f"p{doc_id}.png",
        doc_type="patient_details",
        verified_by="uma",
        verified_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        values=values,
        engine_values=values,
        confidences=dict.fromkeys(values, 0.9),
    )


def test_dates_and_phones_get_a_normalised_column_beside_the_value_as_verified() -> None:
    records = [patient(1, "17/12/2020"), patient(2, "May 6 1972"), patient(3, "5/11/2022")]
    frame = records_frame(records, "patient_details", fields=PATIENT, kinds=KINDS, rules=Settings(None, "US"))
    assert list(frame.columns) == [
        "document_id",
        "file_name",
        "patient_name",
        "birth_date",
        "birth_date__normalised",
        "phone_number",
        "phone_number__normalised",
        "verified_by",
        "verified_at",
    ]
    assert list(frame["birth_date"]) == ["17/12/2020", "May 6 1972", "5/11/2022"]  # as verified
    # 5/11/2022 is 5 November or 11 May: without a deployment order, no guess.
    assert list(frame["birth_date__normalised"]) == ["2020-12-17", "1972-05-06", ""]
    assert set(frame["phone_number__normalised"]) == {"+17379880851"}


@pytest.mark.parametrize(("order", "iso"), [("DMY", "2022-11-05"), ("MDY", "2022-05-11"), (None, "")])
def test_the_deployments_date_order_decides_an_either_way_date(order: str | None, iso: str) -> None:
    frame = records_frame(
        [patient(1, "5/11/2022")], "patient_details", fields=PATIENT, kinds=KINDS, rules=Settings(order)
    )
    assert frame.iloc[0]["birth_date__normalised"] == iso


def test_provenance_notes_why_a_value_has_no_normalised_form() -> None:
    records = [patient(1, "5/11/22", phone="988-0851"), patient(2, "17/12/2020")]
    frame = records_frame(
        records, "patient_details", provenance=True, fields=PATIENT, kinds=KINDS, rules=Settings("DMY")
    )
    assert list(frame.columns)[6:10] == [
        "birth_date",
        "birth_date__normalised",
        "birth_date__normalised_note",
        "birth_date__engine_value",
    ]
    first, second = frame.iloc[0], frame.iloc[1]
    assert first["birth_date__normalised"] == "" and "two-digit year" in first["birth_date__normalised_note"]
    assert first["phone_number__normalised"] == "" and "area code" in first["phone_number__normalised_note"]
    assert (second["birth_date__normalised"], second["birth_date__normalised_note"]) == ("2020-12-17", "")
    assert "patient_name__normalised" not in frame.columns


def test_the_csv_header_has_the_normalised_columns_without_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDEXTRACT_DATE_ORDER", "MDY")  # the deployment's setting, read at export
    header = records_to_csv([], "patient_details", fields=PATIENT, kinds=KINDS).decode("utf-8-sig")
    assert header.splitlines()[0] == (
        "document_id,file_name,patient_name,birth_date,birth_date__normalised,"
        "phone_number,phone_number__normalised,verified_by,verified_at"
    )
    rows = read_csv(records_to_csv([patient(1, "5/11/2022")], "patient_details", fields=PATIENT, kinds=KINDS))
    assert (rows[0]["birth_date"], rows[0]["birth_date__normalised"]) == ("5/11/2022", "2022-05-11")
    assert rows[0]["phone_number__normalised"] == "'+17379880851"  # a leading + is defused like any


def test_without_kinds_the_engines_document_type_says_which_fields_are_dates() -> None:
    pytest.importorskip("extraction")
    frame = records_frame([patient(1, "17/12/2020")], "patient_details", fields=PATIENT, rules=Settings())
    assert frame.iloc[0]["birth_date__normalised"] == "2020-12-17"
    assert frame.iloc[0]["phone_number__normalised"] == "+17379880851"
