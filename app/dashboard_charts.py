"""The dashboard's tables and charts, out of the service's figures. No Streamlit, no database.

Charts are Altair (shipped with Streamlit, drawn by its own Vega: nothing loaded at run time) with
every label in full at 1280x720: categories on the vertical axis of horizontal bars, axis and
legend labels never cut (``labelLimit=0``), days as plain ordinal labels (no browser time zone
moving a UTC day to the day before).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any

import altair as alt
import pandas as pd

from medextract import lifecycle
from medextract.services import dashboard
from medextract.views import DateRange, FieldCorrectionRate, ReviewerFigures

PRESET_LABELS = {
    dashboard.TODAY: "Today",
    dashboard.WEEK: "Last 7 days",
    dashboard.MONTH: "Last 30 days",
    dashboard.CUSTOM: "Custom",
}
METRICS_PER_ROW = 4  # status counts a row: each label whole beside the sidebar at 1280 px
ROW_PX = 26  # a horizontal bar's row: room for one line of label at the default font
MAX_DAY_BANDS = 120  # a longer period lets the axis place its days itself
REVIEWER_COLUMNS = {  # the table's column: (its short heading, what it counts)
    "reviewer": ("Reviewer", "Who verified or rejected documents in the period"),
    "verified": ("Verified", "Documents they verified in the period (as they stand now)"),
    lifecycle.REJECTED: ("Rejected", "Documents they rejected in the period"),
    "fields corrected": ("Corrected", "Fields they verified with a value other than the engine's"),
    "flagged fields": ("Flagged", "Fields the engine flagged in the documents they verified"),
    "flagged confirmed unchanged": (
        "Flagged kept",
        "Share of the flagged fields they confirmed as the engine read them",
    ),
    "median claim to verify": ("Median time", "From their last claim of a document to its verify"),
}


def period_text(period: DateRange) -> str:
    """ "2026-03-14 to 2026-03-20 (7 days, UTC)" or "2026-03-20 (UTC)"."""
    if period.first == period.last:
        return f"{period.first.isoformat()} (UTC)"
    return f"{period.first.isoformat()} to {period.last.isoformat()} ({period.days} days, UTC)"


def share_text(counted: tuple[int, int]) -> str:
    """ "25% (1 of 4)" out of (part, whole); "—" when there is no whole."""
    part, whole = counted
    return f"{part / whole:.0%} ({part} of {whole})" if whole else "—"


def reviewer_frame(
    figures: Iterable[ReviewerFigures], seconds_text: Callable[[float | None], str]
) -> pd.DataFrame:
    """The per-reviewer table (the CSV has the same figures, with seconds as numbers)."""
    rows = [
        (
            f.reviewer,
            f.verified,
            f.rejected,
            f.fields_corrected,
            f.flagged,
            f.flagged_unchanged_share,
            seconds_text(f.median_claim_to_verify_seconds),
        )
        for f in figures
    ]
    return pd.DataFrame(rows, columns=list(REVIEWER_COLUMNS))


def _day_label(day: Any) -> str:
    return f"{day:%b %d}"


def per_reviewer_day_chart(rows: Sequence[tuple[Any, str, int]], period: DateRange) -> alt.Chart:
    """Documents verified per day, stacked by reviewer; every day of the period has its band."""
    frame = pd.DataFrame(
        [(_day_label(d), d.isoformat(), name, n) for d, name, n in rows],
        columns=["day", "date", "reviewer", "verified"],
    )
    domain = None
    if period.days <= MAX_DAY_BANDS:
        domain = [_day_label(period.first + timedelta(days=i)) for i in range(period.days)]
    axis = alt.Axis(labelAngle=0 if period.days <= 10 else -45, labelLimit=0, labelOverlap=True)
    if domain is not None:
        x = alt.X("day:O", title="Day (UTC)", scale=alt.Scale(domain=domain), axis=axis)
    else:
        x = alt.X("day:O", title="Day (UTC)", sort=alt.SortField("date"), axis=axis)
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(verified):Q", title="Documents verified", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("reviewer:N", title="Reviewer", legend=alt.Legend(orient="bottom", labelLimit=0)),
            tooltip=[
                alt.Tooltip("date:N", title="Day (UTC)"),
                alt.Tooltip("reviewer:N", title="Reviewer"),
                alt.Tooltip("verified:Q", title="Verified"),
            ],
        )
        .properties(height=280)
    )


def correction_rows(
    rates: Iterable[FieldCorrectionRate],
    type_label: Callable[[str], str],
    field_label: Callable[[str, str], str],
) -> pd.DataFrame:
    """The per-field corrections, most corrected first, labelled "Type · Field" in full."""
    rows = [
        (
            f"{type_label(r.doc_type)} · {field_label(r.doc_type, r.field)}",
            type_label(r.doc_type),
            r.field,
            r.corrected,
            r.total,
            r.rate,
        )
        for r in rates
    ]
    frame = pd.DataFrame(rows, columns=["label", "type", "field", "corrected", "verified", "correction rate"])
    return frame.sort_values("correction rate", ascending=False, kind="stable")


def corrections_chart(frame: pd.DataFrame) -> alt.Chart:
    """Horizontal bars of the fields clerks corrected: each label whole, one row per field."""
    corrected = frame[frame["corrected"] > 0]
    return (
        alt.Chart(corrected)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=0, labelOverlap=False)),
            x=alt.X("correction rate:Q", title="Correction rate", axis=alt.Axis(format="%")),
            tooltip=[
                alt.Tooltip("label:N", title="Field"),
                alt.Tooltip("corrected:Q", title="Corrected"),
                alt.Tooltip("verified:Q", title="Verified"),
                alt.Tooltip("correction rate:Q", title="Rate", format=".0%"),
            ],
        )
        .properties(height=alt.Step(ROW_PX))  # a row per field, however many: no label dropped
    )
