"""The review app's page logic, without Streamlit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest

from app import ui_state
from medextract import lifecycle


@dataclass
class Field:
    name: str
    label: str
    value: str = ""
    needs_review: bool = False
    reason: str | None = None
    page: int = 0
    box: tuple[int, int, int, int] | None = None
    engine_value: str = ""
    confidence: float = 0.9
    required: bool = False


@dataclass
class Doc:
    id: int
    filename: str
    status: str
    doc_type: str | None = "prescription"
    error: str | None = None
    pages: int = 1
    flagged_fields: int = 0
    uploaded_at: str = "2026-01-01"
    uploader: str = "clerk"
    claimed_by: str | None = None


HOSTILE = "**bold** [link](http://evil) <b>x</b> :red[big] $x$ # head\n- item `code` \\ _em_"


def test_escape_markdown_leaves_no_markup() -> None:
    escaped = ui_state.escape_markdown(HOSTILE)
    for raw in ("**", "](", "<b>", ":red[", "$x$", "`code`"):
        assert raw not in escaped
    assert "\n" not in escaped
    # Every special character is escaped, so removing the escapes gives the flattened text back.
    assert re.sub(r"\\(.)", r"\1", escaped) == " ".join(HOSTILE.split())


def test_escape_markdown_keeps_plain_text() -> None:
    assert ui_state.escape_markdown("John Smith 42") == "John Smith 42"
    assert ui_state.escape_markdown(None) == "None"


def test_doc_type_labels_and_choices() -> None:
    assert ui_state.doc_type_label("prescription") == "Prescription"
    assert ui_state.doc_type_label(None) == "Unknown"
    assert ui_state.doc_type_label("unknown") == "Unknown"
    choices = ui_state.type_choices()
    assert choices[0] == "auto"
    assert {"prescription", "patient_details"} <= set(choices)
    assert ui_state.type_choice_label("auto") == "Detect automatically"
    assert ui_state.forced_type("auto") is None
    assert ui_state.forced_type("prescription") == "prescription"


def test_current_user_defaults_to_clerk() -> None:
    assert ui_state.current_user_from({}) == "clerk"
    assert ui_state.current_user_from({"user": "  "}) == "clerk"
    assert ui_state.current_user_from({"user": "ana"}) == "ana"


def test_upload_key_prefers_the_uploader_file_id() -> None:
    assert ui_state.upload_key("a.pdf", 10, "abc") == "abc"
    assert ui_state.upload_key("a.pdf", 10, None) == "a.pdf:10"


@pytest.mark.parametrize(
    ("status", "kind", "finished"),
    [
        ("queued", "info", False),
        ("extracting", "info", False),
        ("extracted", "success", True),
        ("in_review", "success", True),
        ("verified", "success", True),
        ("failed", "error", True),
    ],
)
def test_upload_status_line(status: str, kind: str, finished: bool) -> None:
    doc = Doc(1, "scan_*1*.pdf", status, error="tesseract timed out")
    got_kind, text = ui_state.upload_status_line(doc)
    assert got_kind == kind
    assert text.startswith(r"scan\_\*1\*\.pdf")
    assert lifecycle.extraction_finished(status) is finished
    if status == "failed":
        assert "tesseract timed out" in text


def test_all_finished() -> None:
    assert ui_state.all_finished([])
    assert ui_state.all_finished([Doc(1, "a", "extracted"), Doc(2, "b", "failed")])
    assert not ui_state.all_finished([Doc(1, "a", "extracted"), Doc(2, "b", "queued")])


def test_form_values_and_changed_fields() -> None:
    fields = {"a": Field("a", "A", "old"), "b": Field("b", "B", "same")}
    state = {ui_state.field_key(3, "a"): "new", ui_state.field_key(3, "b"): "same"}
    values = ui_state.form_values(3, fields, state)
    assert values == {"a": "new", "b": "same"}
    assert ui_state.changed_fields(fields, values) == ["a"]
    assert ui_state.form_values(3, ["c"], {ui_state.field_key(3, "c"): None}) == {"c": ""}


def test_field_keys_do_not_depend_on_version_and_differ_per_document() -> None:
    assert ui_state.field_key(1, "a") != ui_state.field_key(2, "a")


def test_multiline_from_type_or_value() -> None:
    assert ui_state.is_multiline("prescription", "medicines", "")
    assert not ui_state.is_multiline("prescription", "patient_name", "")
    assert ui_state.is_multiline("unknown", "x", "two\nlines")
    assert not ui_state.is_multiline(None, "x", "one line")


def test_flagged_field_label_caption_and_style() -> None:
    flagged = Field("a", "Refills", needs_review=True, reason="low confidence <script>", box=(1, 2, 3, 4))
    fine = Field("b", "Name", box=(5, 6, 7, 8))
    assert ui_state.field_label(flagged).startswith("⚠️")
    assert ui_state.field_label(fine) == "Name"
    caption = ui_state.review_caption(flagged)
    assert caption is not None
    assert "<script>" not in caption
    assert r"\<script\>" in caption
    assert ui_state.review_caption(fine) is None


def test_a_required_field_is_marked_in_its_label_and_caption() -> None:
    required = Field("p", "Patient name", required=True)
    flagged = Field("m", "Medicines", needs_review=True, reason="blur", required=True, confidence=0.4)
    assert ui_state.field_label(required) == "Patient name *"
    assert ui_state.field_label(flagged) == "⚠️ Medicines *"
    assert ui_state.state_caption(required, "ok") == "Required · Read by the engine · 90% sure"
    assert ui_state.state_caption(flagged, "flagged") == "Required · Check this field: blur · 40% sure"


def test_field_states_captions_and_colours() -> None:
    flagged = Field("a", "Refills", "2", True, "blur", engine_value="2", confidence=0.4)
    fine = Field("b", "Name", value="Ann", engine_value="Ann", box=(5, 6, 7, 8))
    assert ui_state.field_state(flagged, "2", False) == "flagged"
    assert ui_state.field_state(flagged, " 2 ", True) == "confirmed"
    assert ui_state.field_state(flagged, "3", True) == "edited"  # a correction beats a tick
    assert ui_state.field_state(fine, "Ann", False) == "ok"
    assert ui_state.field_state(fine, "Anne", False) == "edited"
    assert ui_state.state_caption(flagged, "flagged") == "Check this field: blur · 40% sure"
    assert ui_state.state_caption(fine, "ok") == "Read by the engine · 90% sure"
    hostile = Field("c", "C", engine_value=HOSTILE)
    assert "](" not in ui_state.state_caption(hostile, "edited")
    css = ui_state.state_css([("field_1_a", "flagged"), ("field_1_b", "ok"), ("bad key}", "edited")])
    assert ".st-key-field_1_a" in css and "field_1_b" not in css and "bad key" not in css


def test_viewer_fields_in_form_order_with_boxes_pages_and_states() -> None:
    fields = {"a": Field("a", "A", page=1, box=(1, 2, 3, 4)), "b": Field("b", "B")}
    shown = ui_state.viewer_fields(7, fields, {"a": "flagged"})
    assert shown == [
        {"name": "a", "label": "A", "key": "field_7_a", "page": 1, "box": [1, 2, 3, 4], "state": "flagged"},
        {"name": "b", "label": "B", "key": "field_7_b", "page": 0, "box": None, "state": "ok"},
    ]


def test_flagged_count() -> None:
    assert ui_state.flagged_count([Field("a", "A", needs_review=True), Field("b", "B")]) == 1


def test_date_bounds_from_date_input() -> None:
    d1, d2 = date(2026, 1, 1), date(2026, 2, 1)
    assert ui_state.date_bounds(()) == (None, None)
    assert ui_state.date_bounds(None) == (None, None)
    assert ui_state.date_bounds((d1,)) == (d1, d1)
    assert ui_state.date_bounds((d1, d2)) == (d1, d2)
    assert ui_state.date_bounds(d1) == (d1, d1)


def test_export_file_name() -> None:
    assert (
        ui_state.export_file_name("prescription", date(2026, 3, 4))
        == "medextract-prescription-2026-03-04.csv"
    )


@pytest.mark.parametrize(
    ("seconds", "text"), [(None, "—"), (4.4, "4 s"), (200, "3 min 20 s"), (3900, "1 h 5 min")]
)
def test_format_seconds(seconds: float | None, text: str) -> None:
    assert ui_state.format_seconds(seconds) == text


def test_dashboard_rows() -> None:
    rows = ui_state.correction_rows([("prescription", "refills", 1, 4, 0.25)])
    assert rows == [
        {"type": "Prescription", "field": "refills", "corrected": 1, "verified": 4, "correction rate": 0.25}
    ]
    assert ui_state.per_day_rows([(date(2026, 1, 1), 3)]) == [{"day": date(2026, 1, 1), "verified": 3}]


def test_text_area_height_grows_with_lines_within_bounds() -> None:
    assert ui_state.text_area_height("") == 68
    assert ui_state.text_area_height("a\nb\nc") > ui_state.text_area_height("a\nb")
    assert ui_state.text_area_height("x\n" * 100) == 320


def test_a_document_id_in_a_url_is_digits_only() -> None:
    assert ui_state.parse_doc_id("17") == 17
    for bad in (None, "", "0", "-3", "1e3", "²", "12 ", "1" * 13, 17):
        assert ui_state.parse_doc_id(bad) is None


def test_the_queue_filters_round_trip_through_the_url() -> None:
    query = ui_state.queue_query("extracted,in_review", "prescription")
    assert query == ("extracted,in_review", "prescription")
    assert ui_state.queue_filters(query) == (["extracted", "in_review"], "prescription")
    assert ui_state.queue_filters(ui_state.queue_query(None, None)) == (None, None)  # page defaults
    assert ui_state.queue_filters(("all", "all")) == ([], None)  # every status, every type
    assert ui_state.queue_filters(("bogus,verified", "<script>")) == (["verified"], None)
