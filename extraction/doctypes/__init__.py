"""Document types as data: one TOML file per type in this folder, loaded into typed specs.

Adding a layout means adding a file here, not code. A field is found one of three ways:
- ``labels``: a printed label anchors it; the value sits to its ``right`` or ``below`` it;
- ``after``: it follows another field's value (a phone printed under the name, unlabelled);
- ``find``: a regex in a region of a page (a date alone in the top-right corner).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extraction.errors import UnknownDocumentTypeError

FOLDER = Path(__file__).resolve().parent
# Repair rules several fields share (an address is an address on any document), by set name.
SHARED_REPAIRS = FOLDER / "shared" / "repairs.toml"
KINDS = {"text", "person", "date", "phone", "integer", "yesno", "immunity", "identifier"}
POSITIONS = {"right", "below", "right_or_below"}


@dataclass(frozen=True)
class FieldSpec:
    """How to find, read and check one field. Gaps are measured in text-line heights."""

    name: str
    label: str
    kind: str = "text"
    multiline: bool = False
    labels: tuple[str, ...] = ()
    position: str = "right_or_below"
    after: str | None = None
    find: str | None = None
    region: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
    page: int | None = None
    fallback: str | None = None
    or_after: str | None = None
    """For a labelled field: when no label is read, look below this other field's value instead
    (a "Home phone" label read as "atone"); the value found that way is flagged."""
    pattern: str | None = None
    search_lines: int = 1
    max_lines: int = 1
    max_first_gap: float = 3.5
    max_gap: float = 1.6
    range: tuple[float, float] | None = None
    exclude: str | None = None
    """Lines matching this regex are never part of the value (a phone line above an address)."""
    wide: bool = False
    """Value lines may sit anywhere right of the anchor's left edge, not only under it (the
    medicines under a short 'Address:' label when the address is blank)."""
    line_pattern: str | None = None
    """A regex every line of the value should match; a line that does not is flagged."""
    line_hint: str = ""
    """How a well-formed line looks, for the flag's reason."""
    repairs: tuple[tuple[str, str], ...] = ()
    """Known OCR misreadings as (regex, replacement): applied to the value and always flagged,
    so the clerk sees "read '2 mi', taken as '2 ml'" instead of a silent change. In the TOML,
    ``repair_sets`` names shared sets (shared/repairs.toml) whose rules come first."""
    doubts: tuple[tuple[str, str], ...] = ()
    """Unusual but possible values as (regex, reason): flagged by the engine for a look, never
    refused on save ("Lialda 12 gram" may be 1.2 gram with its point lost, or really 12)."""
    past_only: bool = False
    """A date that cannot lie in the future (a birth date read "5/6/50" is 1950, not 2050; a
    prescription dated 2074 is a misread 2024). A month's grace covers post-dated paper."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name}: unknown kind {self.kind!r}")
        if self.position not in POSITIONS:
            raise ValueError(f"field {self.name}: unknown position {self.position!r}")
        if sum(bool(x) for x in (self.labels, self.after, self.find)) != 1:
            raise ValueError(f"field {self.name}: give exactly one of labels, after, find")
        for regex in (
            self.find,
            self.pattern,
            self.line_pattern,
            self.exclude,
            *(old for old, _ in self.repairs),
            *(doubt for doubt, _ in self.doubts),
        ):
            if regex:
                re.compile(regex)


@dataclass(frozen=True)
class DocumentType:
    """A kind of document: its fields in output order and the words that identify it."""

    name: str
    title: str
    fields: tuple[FieldSpec, ...]
    keywords: dict[str, float]
    stop_labels: tuple[str, ...] = ()

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def all_labels(self) -> tuple[str, ...]:
        """Every printed label of the type: a line starting with one is never a value."""
        return tuple(label for f in self.fields for label in f.labels) + self.stop_labels

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no field {name!r}")


def _load(path: Path) -> DocumentType:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    fields = []
    for raw in data["fields"]:
        raw = dict(raw)
        for key in ("labels", "region", "range"):
            if key in raw:
                raw[key] = tuple(raw[key])
        raw["repairs"] = _repairs(raw.pop("repair_sets", []), raw.get("repairs", []), path, raw["name"])
        if "doubts" in raw:
            raw["doubts"] = tuple(tuple(pair) for pair in raw["doubts"])
        fields.append(FieldSpec(**raw))
    names = [f.name for f in fields]
    for spec in fields:
        for before in (spec.after, spec.or_after):
            if before and before not in names[: names.index(spec.name)]:
                raise ValueError(f"{path.name}: {spec.name} comes after {before}, which must be listed first")
    return DocumentType(
        name=data["name"],
        title=data["title"],
        fields=tuple(fields),
        keywords=dict(data.get("keywords", {})),
        stop_labels=tuple(data.get("stop_labels", ())),
    )


def _repairs(
    set_names: list[str], own: list[list[str]], path: Path, field: str
) -> tuple[tuple[str, str], ...]:
    """A field's repair rules: those of its shared sets, in the order listed, then its own."""
    sets = _repair_sets()
    unknown = [name for name in set_names if name not in sets]
    if unknown:
        raise ValueError(f"{path.name}: {field} names unknown repair sets {unknown}; known: {sorted(sets)}")
    return tuple(rule for name in set_names for rule in sets[name]) + tuple(tuple(pair) for pair in own)


@cache
def _repair_sets() -> dict[str, tuple[tuple[str, str], ...]]:
    data = tomllib.loads(SHARED_REPAIRS.read_text(encoding="utf-8"))
    return {name: tuple(tuple(pair) for pair in rules) for name, rules in data.items()}


@cache
def document_types() -> dict[str, DocumentType]:
    """Every known document type by name, read once from the TOML files in this folder."""
    types = (_load(path) for path in sorted(FOLDER.glob("*.toml")))
    return {t.name: t for t in types}


def get_document_type(name: str) -> DocumentType:
    """The named type, or UnknownDocumentTypeError listing the known ones."""
    types = document_types()
    if name not in types:
        raise UnknownDocumentTypeError(name, sorted(types))
    return types[name]


def field_names(doc_type: str) -> list[str]:
    """The field names of a document type, in output order."""
    return get_document_type(doc_type).field_names
