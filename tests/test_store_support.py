"""Fakes for the service tests: a catalog, an engine, a clock and people, so no OCR runs and time
is exact."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from PIL import Image
from sqlalchemy import select

from medextract.catalog import KNOWN_FIELDS, KNOWN_KINDS, StaticCatalog
from medextract.models import User
from medextract.services.context import Context, System

PRESCRIPTION = list(KNOWN_FIELDS["prescription"])
PATIENT = list(KNOWN_FIELDS["patient_details"])
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SYSTEM = System("test")  # the tests' own trusted actor: setting up, reading the audit log
# Cheap argon2 parameters: the same code paths, a fraction of the CPU on a shared machine.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# The people of the service tests (username: role); the app tests' seed() adds TEAM.
CAST = {"uma": "clerk", "vic": "clerk", "wes": "clerk", "sue": "supervisor", "ada": "admin"}
TEAM = {"seed": "clerk", "clerk": "clerk", "uma": "clerk", "vic": "clerk", "ana": "clerk", "bob": "clerk"}
TEAM |= {"sue": "supervisor"}


def add_people(ctx: Context, people: Mapping[str, str], *, active: bool = True) -> None:
    """Active password-less accounts for ``people`` (username: role) that do not exist yet.

    Written directly, not through the services: the audit log stays as the test left it.
    """
    with ctx.write.begin() as session:
        known = set(session.execute(select(User.username).where(User.username.in_(list(people)))).scalars())
        session.add_all(
            User(username=name, display_name=name, role=role, active=active, created_at=T0)
            for name, role in people.items()
            if name not in known
        )


def fake_validate(doc_type: str, name: str, value: str) -> str | None:
    """Dates must be ISO, refills a whole number: enough rules to see refusals."""
    if name.endswith("date") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{value!r} is not a date"
    if name == "refills" and not value.isdigit():
        return f"{value!r} is not a whole number"
    return None


CATALOG = StaticCatalog(
    fields=KNOWN_FIELDS,
    labels={"patient_name": "Patient name", "prescriber": "Prescriber"},
    multiline_fields=frozenset({"medicines", "directions"}),
    validator=fake_validate,
    kinds=KNOWN_KINDS,
)

GOOD_PRESCRIPTION = {
    "prescriber": "Dr. Ada Lovelace",
    "patient_name": "John Smith",
    "prescription_date": "2026-03-01",
    "patient_address": "1 Main St",
    "medicines": "Amoxicillin 500mg",
    "directions": "Twice a day",
    "refills": "2",
}


class FakeExtractionError(Exception):
    """Stands in for extraction.ExtractionError: its message is for the clerk."""


@dataclass
class FakeField:
    value: str
    confidence: float = 0.9
    needs_review: bool = False
    reason: str | None = None
    page: int = 0
    box: tuple[int, int, int, int] | None = (10, 20, 110, 40)


@dataclass
class FakeResult:
    document_type: str
    type_confidence: float
    pages: int
    dpi: int
    fields: dict[str, FakeField]
    page_images: list[Any] = field(default_factory=list)


def make_result(
    doc_type: str = "prescription",
    values: Mapping[str, str] | None = None,
    *,
    flagged: Sequence[str] = (),
    pages: int = 1,
) -> FakeResult:
    """A result with every field of ``doc_type``; ``flagged`` fields need review."""
    names = CATALOG.field_names(doc_type)
    values = dict(GOOD_PRESCRIPTION if values is None and doc_type == "prescription" else values or {})
    fields = {
        name: FakeField(
            value=values.get(name, ""),
            confidence=0.4 if name in flagged else 0.95,
            needs_review=name in flagged,
            reason="low confidence" if name in flagged else None,
            box=None if name == "refills" else (10, 20 + i, 110, 40 + i),
        )
        for i, name in enumerate(names)
    }
    images = [Image.new("L", (300 + p, 200), color=255) for p in range(pages)]
    return FakeResult(doc_type, 0.88, pages, 300, fields, images)


class FakeEngine:
    """A callable like extraction.extract: records its calls, returns or raises what it is told."""

    def __init__(self, *outcomes: Any) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[tuple[bytes, str, str]] = []

    def __call__(self, data: bytes, *, doc_type: str = "auto", filename: str = "") -> Any:
        self.calls.append((data, doc_type, filename))
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome(doc_type) if callable(outcome) else outcome


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now
