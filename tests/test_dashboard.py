"""The dashboard's figures for a period, overall and per reviewer, on SQLite and PostgreSQL.

Every time comes from the fake clock, so each figure is exact; days are UTC days.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event

from medextract.errors import PermissionDenied
from medextract.processing import process_pending
from medextract.services import dashboard, documents, review, upload
from medextract.services.context import Context
from medextract.views import DateRange
from tests.test_store_support import FakeClock, FakeEngine, make_result

MAR = {day: date(2026, 3, day) for day in range(1, 32)}


def verify_doc(
    ctx: Context,
    clock: FakeClock,
    name: str,
    user: str,
    *,
    changes: dict[str, str] | None = None,
    flagged: Collection[str] = (),
    minutes: float = 1,
) -> int:
    """A prescription extracted with ``flagged`` fields, claimed by ``user``, verified ``minutes``
    later with ``changes``; the flagged fields not changed are confirmed."""
    outcome = upload.add_upload(ctx, f"{name}.pdf", name.encode(), uploader="uma")
    assert outcome.document_id is not None
    assert process_pending(ctx, extract_fn=FakeEngine(make_result(flagged=tuple(flagged)))) == 1  # type: ignore[arg-type]
    doc_id = outcome.document_id
    view = review.start_review(ctx, doc_id, user=user)
    clock.advance(minutes=minutes)
    changes = changes or {}
    confirmed = [f for f in flagged if f not in changes]
    result = review.verify(
        ctx, doc_id, changes, user=user, expected_version=view.version, confirmed=confirmed
    )
    assert result.ok, result
    return doc_id


def reject_doc(ctx: Context, name: str, user: str) -> int:
    outcome = upload.add_upload(ctx, f"{name}.pdf", name.encode(), uploader="uma")
    assert outcome.document_id is not None
    version = documents.get(ctx, outcome.document_id, user=user).version
    assert review.reject(ctx, outcome.document_id, "torn page", user=user, expected_version=version).ok
    return outcome.document_id


def seed(ctx: Context, clock: FakeClock) -> None:
    """March 2 and 3 (uma, vic), then March 20 (wes); the clock ends on March 20."""
    # March 2, from 09:00 UTC
    verify_doc(ctx, clock, "d1", "uma", changes={"refills": "1"}, flagged=["refills"], minutes=2)
    verify_doc(
        ctx, clock, "d2", "vic", changes={"patient_name": "Jon Smith"}, flagged=["prescriber"], minutes=4
    )
    clock.advance(days=1)  # March 3
    verify_doc(ctx, clock, "d3", "uma", flagged=["refills", "prescriber"], minutes=10)
    reject_doc(ctx, "r1", "uma")
    clock.now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    verify_doc(ctx, clock, "d4", "wes", changes={"prescriber": "Dr. Who"}, minutes=6)


def by_name(figures: list) -> dict:  # type: ignore[type-arg]
    return {f.reviewer: f for f in figures}


def test_presets_end_today_in_utc(ctx: Context, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 20, 23, 30, tzinfo=UTC)
    assert dashboard.date_range(ctx, dashboard.TODAY) == DateRange(MAR[20], MAR[20])
    assert dashboard.date_range(ctx, dashboard.WEEK) == DateRange(MAR[14], MAR[20])
    assert dashboard.date_range(ctx, dashboard.MONTH) == DateRange(date(2026, 2, 19), MAR[20])
    assert dashboard.date_range(ctx) == dashboard.date_range(ctx, dashboard.WEEK)  # the default
    assert dashboard.date_range(ctx, "fortnight") == dashboard.date_range(ctx, dashboard.WEEK)
    custom = dashboard.date_range(ctx, dashboard.CUSTOM, (MAR[9], MAR[2]))  # either order
    assert (custom.first, custom.last, custom.days) == (MAR[2], MAR[9], 8)
    assert dashboard.date_range(ctx, dashboard.CUSTOM, (MAR[5], None)) == DateRange(MAR[5], MAR[5])
    assert dashboard.date_range(ctx, dashboard.CUSTOM) == dashboard.date_range(ctx, dashboard.WEEK)
    start, end = dashboard.bounds(DateRange(MAR[2], MAR[3]))
    assert (start, end) == (datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC))


def test_per_reviewer_figures_for_a_period(ctx: Context, clock: FakeClock) -> None:
    seed(ctx, clock)

    early = by_name(dashboard.reviewer_figures(ctx, user="sue", period=DateRange(MAR[2], MAR[3])))

    assert list(early) == ["uma", "vic"]  # wes verified on March 20: outside
    uma, vic = early["uma"], early["vic"]
    assert (uma.verified, uma.rejected, uma.fields_corrected) == (2, 1, 1)
    assert (uma.flagged, uma.flagged_unchanged, uma.flagged_unchanged_share) == (3, 2, pytest.approx(2 / 3))
    assert uma.median_claim_to_verify_seconds == 360.0  # 2 and 10 minutes
    assert (vic.verified, vic.rejected, vic.fields_corrected) == (1, 0, 1)
    assert (vic.flagged, vic.flagged_unchanged_share) == (1, 1.0)
    assert vic.median_claim_to_verify_seconds == 240.0

    week = dashboard.reviewer_figures(ctx, user="sue", period=dashboard.date_range(ctx))
    assert [(f.reviewer, f.verified, f.fields_corrected, f.flagged) for f in week] == [("wes", 1, 1, 0)]
    assert week[0].flagged_unchanged_share is None  # nothing flagged: no share, not 0 %

    only_day_two = by_name(dashboard.reviewer_figures(ctx, user="sue", period=DateRange(MAR[3], MAR[3])))
    assert list(only_day_two) == ["uma"] and only_day_two["uma"].verified == 1
    assert only_day_two["uma"].rejected == 1
    assert dashboard.reviewer_figures(ctx, user="sue", period=DateRange(MAR[4], MAR[19])) == []


def test_overview_applies_the_period_to_every_figure(ctx: Context, clock: FakeClock) -> None:
    seed(ctx, clock)
    upload.add_upload(ctx, "q.pdf", b"queued on the 20th", uploader="uma")

    early = dashboard.overview(ctx, user="sue", period=DateRange(MAR[2], MAR[3]))
    assert early.status_counts["verified"] == 3 and early.status_counts["rejected"] == 1
    assert early.status_counts["queued"] == 0  # uploaded on March 20
    assert early.verified_per_day == [(MAR[2], 2), (MAR[3], 1)]
    assert early.verified_per_reviewer_day == [(MAR[2], "uma", 1), (MAR[2], "vic", 1), (MAR[3], "uma", 1)]
    assert early.median_review_seconds == 240.0
    rates = {r.field: r for r in early.field_correction_rate}
    assert (rates["refills"].corrected, rates["refills"].total) == (1, 3)
    assert rates["prescriber"].corrected == 0
    assert early.flagged_corrected == (1, 4)  # d1's refills; d2's prescriber, d3's two confirmed
    assert early.unflagged_corrected == (1, 3 * 7 - 4)  # d2's patient name

    late = dashboard.overview(ctx, user="sue", period=dashboard.date_range(ctx, dashboard.TODAY))
    assert late.status_counts["verified"] == 1 and late.status_counts["queued"] == 1
    assert late.verified_per_reviewer_day == [(MAR[20], "wes", 1)]
    assert {r.field: r.corrected for r in late.field_correction_rate}["prescriber"] == 1
    assert late.flagged_corrected == (0, 0) and late.unflagged_corrected == (1, 7)

    empty = dashboard.overview(ctx, user="sue", period=DateRange(MAR[10], MAR[12]))
    assert empty.verified_per_day == [] and empty.field_correction_rate == []
    assert empty.median_review_seconds is None and set(empty.status_counts.values()) == {0}

    every = dashboard.overview(ctx, user="sue")  # no period: all time
    assert sum(n for _, n in every.verified_per_day) == 4


def test_days_are_cut_in_utc_whatever_the_sessions_zone(ctx: Context, clock: FakeClock) -> None:
    if ctx.engine.dialect.name == "postgresql":  # a plain date() would cut in Tokyo's day

        @event.listens_for(ctx.engine, "connect")
        def tokyo(conn, _record):  # type: ignore[no-untyped-def]
            conn.autocommit = True  # a SET in a transaction rolled back would be undone
            with conn.cursor() as cursor:
                cursor.execute("SET TIME ZONE 'Asia/Tokyo'")
            conn.autocommit = False

        ctx.engine.dispose()
    clock.now = datetime(2026, 3, 5, 23, 50, tzinfo=UTC)
    verify_doc(ctx, clock, "late", "uma", minutes=5)  # verified at 23:55 UTC, March 5
    clock.advance(minutes=10)  # 00:05 UTC, March 6
    verify_doc(ctx, clock, "next", "vic", minutes=1)

    stats = dashboard.overview(ctx, user="sue", period=DateRange(MAR[5], MAR[6]))
    assert stats.verified_per_reviewer_day == [(MAR[5], "uma", 1), (MAR[6], "vic", 1)]
    fifth = dashboard.reviewer_figures(ctx, user="sue", period=DateRange(MAR[5], MAR[5]))
    assert [f.reviewer for f in fifth] == ["uma"]


def test_claim_to_verify_counts_from_the_verifiers_last_claim(ctx: Context, clock: FakeClock) -> None:
    outcome = upload.add_upload(ctx, "slow.pdf", b"slow", uploader="uma")
    assert process_pending(ctx, extract_fn=FakeEngine(make_result())) == 1  # type: ignore[arg-type]
    doc_id = outcome.document_id
    assert doc_id is not None
    review.start_review(ctx, doc_id, user="vic")  # vic claims, then lets go
    clock.advance(minutes=30)
    assert review.release(ctx, doc_id, user="vic")
    clock.advance(hours=2)
    view = review.start_review(ctx, doc_id, user="uma")
    clock.advance(minutes=3)
    assert review.verify(ctx, doc_id, {}, user="uma", expected_version=view.version).ok

    [uma] = dashboard.reviewer_figures(ctx, user="sue", period=dashboard.date_range(ctx))
    assert uma.median_claim_to_verify_seconds == 180.0  # not from vic's claim 2.5 hours before


def test_the_reviewers_csv(ctx: Context, clock: FakeClock) -> None:
    seed(ctx, clock)
    data = dashboard.reviewers_csv(ctx, user="sue", period=DateRange(MAR[2], MAR[3]))

    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == dashboard.CSV_COLUMNS
    assert [r["reviewer"] for r in rows] == ["uma", "vic"]
    assert rows[0] == {
        "reviewer": "uma",
        "verified": "2",
        "rejected": "1",
        "fields_corrected": "1",
        "flagged_fields": "3",
        "flagged_confirmed_unchanged": "2",
        "flagged_confirmed_unchanged_share": "0.6667",
        "median_claim_to_verify_seconds": "360",
    }
    assert (
        dashboard.csv_file_name(DateRange(MAR[2], MAR[3]))
        == "medextract-reviewers-2026-03-02-to-2026-03-03.csv"
    )


def test_a_name_a_spreadsheet_would_run_is_neutralised() -> None:
    from medextract.views import ReviewerFigures

    data = dashboard.figures_to_csv([ReviewerFigures("=cmd", 1, 0, 0, 0, 0, None)])
    assert data.decode("utf-8-sig").splitlines()[1] == "'=cmd,1,0,0,0,0,,"


@pytest.mark.parametrize("who", ["uma", "nobody"])
def test_only_supervisors_see_the_dashboard(ctx: Context, who: str) -> None:
    period = dashboard.date_range(ctx)
    for operation in (dashboard.overview, dashboard.reviewer_figures, dashboard.reviewers_csv):
        with pytest.raises(PermissionDenied):
            operation(ctx, user=who, period=period)
    assert dashboard.reviewer_figures(ctx, user="ada", period=period) == []  # an administrator may
