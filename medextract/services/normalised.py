"""How a field's value will be exported in its normalised form: the line the review form shows
under a date or phone field ("exports as 2020-12-17"), so the clerk sees it before verifying.

Pure reads of the catalog and the deployment's settings (medextract.normalise, as the export uses
them); nothing is stored: the export reads the verified value again.
"""

from __future__ import annotations

from medextract import normalise
from medextract.services.context import Context


def export_hint(
    ctx: Context, doc_type: str | None, field: str, value: str, rules: normalise.Settings | None = None
) -> str | None:
    """The hint: "exports as <normalised>", or why the export has no normalised form for it; None
    for an empty value or a field of a kind without one (neither date nor phone). ``rules``:
    default the deployment's settings."""
    kind = ctx.catalog.kind(doc_type or "", field)
    if kind not in normalise.NORMALISED_KINDS or not value.strip():
        return None
    reading = normalise.normalise(kind, value, rules or normalise.settings()) or normalise.EMPTY
    if reading.value:
        return f"exports as {reading.value}"
    return f"⚠ exports with no normalised {kind}: {reading.note}"
