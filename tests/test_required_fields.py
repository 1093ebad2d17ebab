"""Required fields are data in the document types: Verify refuses a document with one left empty."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from medextract.catalog import StaticCatalog
from medextract.processing import process_pending
from medextract.services import documents, review, upload
from medextract.services.context import Context
from tests.test_store_support import (
    CAST,
    CATALOG,
    FAST_HASHER,
    GOOD_PRESCRIPTION,
    FakeClock,
    FakeEngine,
    add_people,
    make_result,
)

REQUIRED = {"prescription": ("medicines", "patient_name")}


@pytest.fixture
def required_ctx(database_url: str, clock: FakeClock) -> Iterator[Context]:
    catalog = dataclasses.replace(CATALOG, required_fields=REQUIRED)
    opened = Context.open(database_url, catalog=catalog, clock=clock, hasher=FAST_HASHER)
    add_people(opened, CAST)
    yield opened
    opened.close()


def extracted(ctx: Context, values: dict[str, str], flagged: tuple[str, ...] = ()) -> int:
    outcome = upload.add_upload(ctx, "rx.pdf", b"%PDF rx", uploader="uma")
    assert outcome.document_id is not None
    result = make_result(values=values, flagged=flagged)
    assert process_pending(ctx, extract_fn=FakeEngine(result)) == 1  # type: ignore[arg-type]
    return outcome.document_id


def test_verify_refuses_an_empty_required_field_until_it_is_filled(required_ctx: Context) -> None:
    doc_id = extracted(required_ctx, {**GOOD_PRESCRIPTION, "medicines": "", "refills": ""})
    version = review.start_review(required_ctx, doc_id, user="uma").version

    refused = review.verify(
        required_ctx, doc_id, {"patient_name": "  "}, user="uma", expected_version=version
    )

    assert not refused.ok and refused.version == version
    assert set(refused.errors) == {"medicines", "patient_name"}  # refills may stay empty: not required
    assert "Required" in refused.errors["medicines"] and "required fields" in refused.message
    assert documents.get(required_ctx, doc_id, user="uma").status == "in_review"

    done = review.verify(
        required_ctx, doc_id, {"medicines": "Amoxicillin 500mg"}, user="uma", expected_version=version
    )
    assert done.ok, done


def test_a_flagged_empty_required_field_is_not_verified_by_confirming_it(required_ctx: Context) -> None:
    doc_id = extracted(required_ctx, {**GOOD_PRESCRIPTION, "medicines": ""}, flagged=("medicines", "refills"))
    version = review.start_review(required_ctx, doc_id, user="uma").version
    refused = review.verify(
        required_ctx, doc_id, {}, user="uma", expected_version=version, confirmed=["medicines", "refills"]
    )
    assert set(refused.errors) == {"medicines"} and "required fields" in refused.message
    both = review.verify(required_ctx, doc_id, {}, user="uma", expected_version=version)
    assert set(both.errors) == {"medicines", "refills"} and "Correct the marked fields" in both.message


def test_the_static_catalog_lists_required_fields_in_field_order() -> None:
    catalog = StaticCatalog(
        fields={"prescription": ["a", "b", "c"]}, required_fields={"prescription": ["c", "a"]}
    )
    assert catalog.required("prescription") == ["a", "c"] and catalog.required("other") == []
    assert CATALOG.required("prescription") == []  # the shared test catalog requires nothing


def test_the_document_types_say_which_fields_are_required() -> None:
    pytest.importorskip("extraction")
    from medextract.catalog import EngineCatalog

    catalog = EngineCatalog()
    assert catalog.required("prescription") == [
        "prescriber",
        "patient_name",
        "prescription_date",
        "medicines",
    ]
    assert catalog.required("patient_details") == ["patient_name", "birth_date"]
    assert catalog.required("unknown") == []
