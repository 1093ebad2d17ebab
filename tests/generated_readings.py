"""Generated documents of one layout family read by the real engine, field by field, for the
tests that hold a family's fields to a bar: how many exact, and none wrong without a flag."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from docgen import generate, write_document
from extraction import extract

Reading = tuple[str, str, str, bool]  # where ("seed:field"), truth, value read, flagged


def read_fields(
    folder: Path, family: str, seeds: Iterable[int], profiles: Iterable[str], fields: Iterable[str]
) -> list[Reading]:
    """``fields`` of one typed patient record of ``family`` per seed, in the tuning faces, each
    seed under the next of ``profiles`` in turn, as the engine reads them."""
    names, found = tuple(fields), []
    for seed, profile in zip(seeds, profiles, strict=True):
        doc = generate(seed, "patient_details", profile, family=family, fonts="tuning", hand_rate=0)
        result = extract(write_document(doc, folder / f"{seed}.pdf", "pdf"))
        for name in names:
            field = result.fields[name]
            found.append((f"{seed}:{name}", doc.truth[name], field.value, field.needs_review))
    return found
