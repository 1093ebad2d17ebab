"""The dashboard's per-reviewer CSV leaves the app only for a signed-in supervisor's browser
(``app.downloads``), like the records export: the link alone is worth nothing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from app import downloads
from medextract.services import context as service_context
from medextract.services.context import Context
from medextract.views import DateRange
from tests.app_support import open_context
from tests.test_downloads import browser, verified
from tests.test_store_support import FakeClock

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
WEEK = DateRange(date(2026, 3, 14), date(2026, 3, 20))


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(service_context, "utcnow", FakeClock(NOW))
    opened = open_context(tmp_path, monkeypatch)
    monkeypatch.setattr(downloads, "_context", lambda: opened)
    yield opened
    opened.close()


def test_the_reviewers_csv_is_served_only_to_a_supervisor(ctx: Context) -> None:
    verified(ctx)  # by uma, now
    url = downloads.reviewers_url(WEEK)
    assert url == "/_medextract/reviewers.csv?from=2026-03-14&to=2026-03-20"
    assert browser(ctx, None).get(url).status_code == 401
    assert browser(ctx, "uma").get(url).status_code == 403  # a clerk: not even their own row
    answer = browser(ctx, "sue").get(url)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["cache-control"] == "no-store"
    disposition = 'attachment; filename="medextract-reviewers-2026-03-14-to-2026-03-20.csv"'
    assert answer.headers["content-disposition"] == disposition
    [row] = csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")))
    assert (row["reviewer"], row["verified"], row["rejected"]) == ("uma", "1", "0")


def test_the_period_decides_the_rows_and_a_bad_link_is_refused(ctx: Context) -> None:
    verified(ctx)
    sue = browser(ctx, "sue")
    earlier = downloads.reviewers_url(DateRange(date(2026, 3, 1), date(2026, 3, 13)))
    assert sue.get(earlier).content.decode("utf-8-sig").splitlines()[1:] == []
    assert sue.get("/_medextract/reviewers.csv?from=2026-03-14").status_code == 400
    assert sue.get("/_medextract/reviewers.csv?from=yesterday&to=today").status_code == 400
    cross = sue.get(downloads.reviewers_url(WEEK), headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
