"""Document types as data: one TOML file per type in this folder, loaded into typed specs.

Adding a document type or a clinic's wording means adding data here, not code. A field is found
by what any form prints, in this order of trust:
- ``labels``: the wordings clinics print for it; the value sits beside the label, under it, in
  the label's cell, or is the ticked option of a checkbox group after it;
- ``section_labels``: headings whose first line(s) are the value (a name under "Patient
  Information");
- ``table_columns``: the columns of a table whose cells make up the value (Medicine | Dose);
- ``in_section``: an unlabelled line of the field's kind among the lines under such a heading;
- ``find`` / ``find_lines``: a value recognised by its shape alone (a doctor's name with a
  title, a date alone at the top of a form, medicine lines).
All fields of a page are assigned together; no field is found by walking from another.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path

from extraction.errors import UnknownDocumentTypeError

FOLDER = Path(__file__).resolve().parent
# Doubts several fields of one or more types share, written once.
SHARED_DOUBTS = FOLDER / "shared" / "doubts.toml"
KINDS = {"text", "person", "date", "phone", "integer", "yesno", "immunity", "identifier"}
LEXICONS = {"drugs", "places", "names", "directions", "conditions"}


@dataclass(frozen=True)
class FieldPart:
    """A part of a field some forms print in boxes of its own ("Last name", "First name";
    "City", "ZIP"), with the labels they print over it."""

    name: str
    labels: tuple[str, ...]
    colon_labels: tuple[str, ...] = ()
    """Labels read only with a colon or alone on a line (see ``FieldSpec.colon_labels``)."""


@dataclass(frozen=True)
class FieldSpec:
    """How to find, read and check one field. Gaps are measured in text-line heights."""

    name: str
    label: str
    kind: str = "text"
    multiline: bool = False
    labels: tuple[str, ...] = ()
    colon_labels: tuple[str, ...] = ()
    """Labels that are also a value's first word ("Use" opens "Use 1 tab as needed"): one of
    them is a label with its colon or alone on its line, never a line's first word set apart
    from the rest by a gap (where a count OCR lost leaves one)."""
    section_labels: tuple[str, ...] = ()
    in_section: tuple[str, ...] = ()
    table_columns: tuple[str, ...] = ()
    find: str | None = None
    """A regex that recognises an unlabelled value line by its shape alone."""
    find_lines: bool = False
    """For a multi-line field: unlabelled lines that all match ``line_pattern`` are the value."""
    find_trusted: bool = False
    """A value found by ``find`` alone is not flagged for that (a "Dr ... M.D" line is the
    prescriber on any pad); otherwise it is, since no label confirms it."""
    region: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
    page: int | None = None
    pattern: str | None = None
    max_lines: int = 1
    max_first_gap: float = 3.5
    max_gap: float = 1.6
    range: tuple[float, float] | None = None
    line_pattern: str | None = None
    """A regex every line of the value should match; a line that does not is flagged."""
    line_hint: str = ""
    """How a well-formed line looks, for the flag's reason."""
    shape: str | None = None
    """For a multi-line field of free text (no ``line_pattern`` to check lines against): a
    regex that lines of the value usually match. With no label found, the lines so shaped
    together are the value, always flagged; a labelled value is never checked against it."""
    lexicons: tuple[str, ...] = ()
    """Vocabularies misread words of the value are corrected against (always flagged)."""
    known_words: bool = False
    """Every word of the value is expected in ``lexicons`` or English (a medicine, an allergy,
    a condition): a word in none ("Nene" for "None") is flagged as a possible misreading."""
    units: tuple[str, ...] = ()
    """Units a number in the value may carry, written one way: "20mg" (a space tight print
    loses) is "20 mg"."""
    doubts: tuple[tuple[str, str], ...] = ()
    """Unusual but possible values as (regex, reason): flagged by the engine for a look, never
    refused on save ("Lialda 12 gram" may be 1.2 gram with its point lost, or really 12)."""
    whole_doubts: frozenset[str] = frozenset()
    """The regexes of ``doubts`` asked of a whole value only, never of one line of it (an
    address with no house number: its town's line alone has none). In the data a rule is
    marked so by a third item, ``"whole"``."""
    past_only: bool = False
    """A date that cannot lie in the future (a birth date read "5/6/50" is 1950, not 2050; a
    prescription dated 2074 is a misread 2024). A month's grace covers post-dated paper."""
    recent_years: int = 0
    """When set, a date more than this many years before today is doubted (flagged, never
    refused): a form's own date decades old is most often another date, a birth date, read
    beside the date's label."""
    dose_lines: bool = False
    """Each line is a medicine and its dose: a dose misread by a confusable glyph ("9O mcg",
    "75 mq") is set right, and flagged (see ``extraction.doses``). Directions are left as read:
    no rule changes a number or unit in them."""
    lines_like: str | None = None
    """The field whose lines this one's usually match one for one (a medicine's directions):
    fewer lines here than there is flagged, a line may have been lost."""
    one_per_shaped_line_of: str | None = None
    """The field each of whose lines of its own ``shape`` stands for one line of this one (each
    dosing instruction for a medicine): fewer lines here than those is flagged."""
    parts: tuple[FieldPart, ...] = ()
    """Where a form asks for the value in parts, each under its own label: they are read as
    fields of their own and, when the field itself is not found, put together by
    ``parts_format`` (always flagged)."""
    parts_own: str = ""
    """The part the field's own label stands over when a form prints the parts too (an
    "Address" line over the street, then City / ZIP boxes)."""
    parts_format: str = ""
    """How the parts make the value: ``{part}`` placeholders, lines split by newlines; a part
    not found leaves out its placeholder and the commas and spaces around it."""
    required: bool = False
    """A document of the type cannot be verified while the field is empty (the review's Verify
    refuses it): what the record is useless without. Left empty on the page, it is rejected."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name}: unknown kind {self.kind!r}")
        unknown = set(self.lexicons) - LEXICONS
        if unknown:
            raise ValueError(
                f"field {self.name}: unknown lexicons {sorted(unknown)}; known: {sorted(LEXICONS)}"
            )
        findable = self.find or self.find_lines or self.shape
        if not (self.labels or findable or self.in_section or self.section_labels):
            raise ValueError(f"field {self.name}: give labels or a way to find it unlabelled")
        named = set(re.findall(r"{(\w+)}", self.parts_format))
        if (self.parts and not named) or named - {part.name for part in self.parts}:
            raise ValueError(f"field {self.name}: parts_format must name its parts, and only them")
        for regex in (self.find, self.pattern, self.line_pattern, self.shape, *(d for d, _ in self.doubts)):
            if regex:
                re.compile(regex)

    @property
    def all_labels(self) -> tuple[str, ...]:
        return (
            self.labels
            + self.colon_labels
            + self.section_labels
            + tuple(label for part in self.parts for label in part.labels + part.colon_labels)
        )

    @property
    def unlabelled_shape(self) -> str:
        """The shape by which the field's unlabelled lines are found, "" if none: its
        ``line_pattern`` where it finds lines so, else its ``shape``."""
        return self.line_pattern if self.find_lines else self.shape

    @property
    def is_part(self) -> bool:
        """True for a part read as a field of its own (see ``part_specs``): its kind is no guide
        to its value (a phone's area code, a ZIP and a city are all "text")."""
        return "." in self.name

    @cached_property
    def part_specs(self) -> tuple[FieldSpec, ...]:
        """Each part as a one-line field of its own, named "<field>.<part>" (made once)."""
        return tuple(
            FieldSpec(
                name=f"{self.name}.{part.name}",
                label=f"{self.label}: {part.name}",
                labels=part.labels,
                colon_labels=part.colon_labels,
            )
            for part in self.parts
        )


@dataclass(frozen=True)
class DocumentType:
    """A kind of document: its fields in output order and the words that identify it."""

    name: str
    title: str
    fields: tuple[FieldSpec, ...]
    keywords: dict[str, float]
    stop_labels: tuple[str, ...] = ()
    not_keywords: dict[str, float] = field(default_factory=dict)
    """Words of other documents that mention the same things (a receipt, a visit note)."""
    table_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Column names by the words printed over them (medicine: Medicine / Drug / ...)."""
    instructions: tuple[str, ...] = ()
    """Phrases of the form's instructions to whoever fills it in ("please", "block capitals"):
    a line holding one is the form's print, never a value."""
    signatures: tuple[str, ...] = ()
    """How the form asks for the signature of each role a person's field names ("Prescriber's
    signature"): read as labels of no field when a key is scored, though they are no wording
    keys are found by (a signature's scribble is no label's wrapped line)."""
    other_sections: tuple[str, ...] = ()
    """Headings of sections whose labels are no field's, though they read as one's (a second
    insurance's "Insurance company", a guarantor's "Phone"); among ``stop_labels`` too."""
    other_people: tuple[str, ...] = ()
    """Labels naming a person who is no field's (a doctor, an employer, the insured): the plain
    labels after one on its row are that person's ("Pediatrician: Dr Nguyen  Phone: ...");
    among ``stop_labels`` too."""

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def all_labels(self) -> tuple[str, ...]:
        """Every printed label of the type: a line starting with one is never a value."""
        return tuple(label for f in self.fields for label in f.all_labels) + self.stop_labels

    @cached_property
    def no_field_labels(self) -> tuple[str, ...]:
        """What a key reads as when it is the label of no field: the stop labels and the
        signatures asked for."""
        return self.stop_labels + self.signatures

    @cached_property
    def vocabulary(self) -> tuple[str, ...]:
        """Every wording of a label or heading the type knows, table column names included."""
        columns = tuple(word for words in self.table_columns.values() for word in words)
        return self.all_labels + columns

    @property
    def colon_labels(self) -> tuple[str, ...]:
        """The labels of its fields that are labels only with their colon (``FieldSpec``)."""
        parts = tuple(label for f in self.fields for part in f.parts for label in part.colon_labels)
        return tuple(label for f in self.fields for label in f.colon_labels) + parts

    @cached_property
    def labels_read_into(self) -> dict[str, tuple[str, ...]]:
        """Per field, the printed labels that in its value are another column read on into it:
        those of no field and of the type's other fields, but the questions a choice answers
        (their words are everyday words names hold: "... Health Insurance Co"). Made once."""
        return {
            spec.name: self.stop_labels
            + tuple(
                label
                for other in self.fields
                if other is not spec and other.kind not in ("yesno", "immunity")
                for label in other.all_labels
            )
            for spec in self.fields
        }

    @cached_property
    def with_parts(self) -> DocumentType:
        """The type with the parts of its fields as fields of their own, to be read alongside
        (made once per type, not once per document)."""
        parts = tuple(part for spec in self.fields for part in spec.part_specs)
        return replace(self, fields=self.fields + parts) if parts else self

    def reads_as_instructions(self, text: str) -> bool:
        """True when ``text`` holds one of the type's instruction phrases as whole words."""
        return any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text, re.IGNORECASE) for p in self.instructions)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no field {name!r}")


# A label of a person's field names a role when it is this short, of this many letters or more
# ("Pt" is read whole or not at all), and holds none of these words (a name asked for already,
# or a phrase: "Signed by", "Next of kin", "Person to notify", "For").
ROLE_WORDS = 2
ROLE_MIN_LETTERS = 4
NOT_A_ROLE = frozenset({"name", "names", "by", "of", "to", "in", "for", "surname", "first", "last", "full"})


def _load(path: Path) -> DocumentType:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    columns = {name: tuple(words) for name, words in data.get("table_columns", {}).items()}
    synonyms = {word.lower(): tuple(alts) for word, alts in data.get("label_synonyms", {}).items()}
    fields = []
    for raw in data["fields"]:
        raw = dict(raw)
        for key in (
            "labels",
            "colon_labels",
            "section_labels",
            "in_section",
            "table_columns",
            "lexicons",
            "units",
            "region",
            "range",
        ):
            if key in raw:
                raw[key] = tuple(raw[key])
        rules = _doubts_of(path, raw.pop("doubt_sets", ()), raw.get("doubts", ()))
        raw["doubts"] = tuple((rule[0], rule[1]) for rule in rules)
        raw["whole_doubts"] = frozenset(rule[0] for rule in rules if rule[2:] == ("whole",))
        if "labels" in raw:
            raw["labels"] = with_synonyms(raw["labels"], synonyms)
            if raw.get("kind") == "person":
                raw["labels"] = with_name_wordings(raw["labels"])
            if raw.get("kind") == "date":
                raw["labels"] = with_date_wordings(raw["labels"])
        if "parts" in raw:
            raw["parts"] = tuple(
                FieldPart(part["name"], tuple(part["labels"]), tuple(part.get("colon_labels", ())))
                for part in raw["parts"]
            )
        spec = FieldSpec(**raw)
        missing = set(spec.table_columns) - set(columns)
        if missing:
            raise ValueError(f"{path.name}: {spec.name} names unknown table columns {sorted(missing)}")
        fields.append(spec)
    names = {spec.name for spec in fields}
    for spec in fields:
        for other in (spec.lines_like, spec.one_per_shaped_line_of):
            if other and other not in names:
                raise ValueError(f"{path.name}: {spec.name} has its lines like an unknown field {other!r}")
    return DocumentType(
        name=data["name"],
        title=data["title"],
        fields=tuple(fields),
        keywords=dict(data.get("keywords", {})),
        stop_labels=tuple(data.get("stop_labels", ()))
        + tuple(data.get("other_sections", ()))
        + tuple(data.get("other_people", ())),
        signatures=tuple(
            w for spec in fields if spec.kind == "person" for w in signature_wordings(spec.labels)
        ),
        other_sections=tuple(data.get("other_sections", ())),
        other_people=tuple(data.get("other_people", ())),
        not_keywords=dict(data.get("not_keywords", {})),
        table_columns=columns,
        instructions=tuple(data.get("instructions", ())),
    )


def _doubts_of(path: Path, sets: list[str], own: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    """A field's doubts: those of the shared sets it names (``shared/doubts.toml``), then its own."""
    shared = _shared_doubts()
    unknown = [name for name in sets if name not in shared]
    if unknown:
        raise ValueError(f"{path.name}: unknown doubt sets {unknown}; known: {sorted(shared)}")
    return tuple(tuple(pair) for name in sets for pair in shared[name]) + tuple(tuple(pair) for pair in own)


@cache
def _shared_doubts() -> dict[str, list[list[str]]]:
    data = tomllib.loads(SHARED_DOUBTS.read_text(encoding="utf-8"))
    return {name: table["doubts"] for name, table in data.items()}


def with_synonyms(labels: tuple[str, ...], synonyms: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """``labels`` and, after them, each label with any of its words swapped for a synonym
    ("Emergency phone" -> "Emergency tel", "Phone number" -> "Tel No"), without repeats."""
    return _with_variants(
        labels,
        (
            " ".join(words)
            for label in labels
            for words in itertools.product(
                *((word, *synonyms.get(word.lower(), ())) for word in label.split())
            )
        ),
    )


def with_name_wordings(labels: tuple[str, ...]) -> tuple[str, ...]:
    """A person's ``labels`` and, after them, each label naming a role ("Doctor", "Attending
    physician") also as its person's name is asked for: "Doctor name", "Doctor's name", "Name
    of doctor". A label that names already ("Patient name", "Signed by", "Next of kin") stays
    as it is."""
    return _with_variants(
        labels,
        (
            variant
            for role in _roles(labels)
            for variant in (f"{role} name", f"{role}'s name", f"Name of {role.lower()}")
        ),
    )


def with_date_wordings(labels: tuple[str, ...]) -> tuple[str, ...]:
    """A date's ``labels`` and, after them, each "X date" also as "Date of X" and each "Date of
    X" as "X date" ("Discharge date", "Date of discharge"): forms word a date either way."""
    variants = []
    for label in labels:
        words = label.split()
        if not all(word.isalpha() for word in words):
            continue  # "Today's date", "Exp. date": no "Date of" wording of them is printed
        if len(words) >= 2 and words[-1].lower() == "date" and words[0].lower() != "date":
            variants.append(f"Date of {' '.join(words[:-1]).lower()}")
        elif len(words) >= 3 and words[0].lower() == "date" and words[1].lower() == "of":
            rest = " ".join(words[2:])
            variants.append(f"{rest[0].upper()}{rest[1:]} date")
    return _with_variants(labels, variants)


def _with_variants(labels: tuple[str, ...], variants: Iterable[str]) -> tuple[str, ...]:
    """``labels`` and, after them, each of ``variants`` not yet among them (case aside)."""
    found = list(labels)
    seen = {label.lower() for label in labels}
    for variant in variants:
        if variant.lower() not in seen:
            seen.add(variant.lower())
            found.append(variant)
    return tuple(found)


def signature_wordings(labels: tuple[str, ...]) -> tuple[str, ...]:
    """How a form asks for the signature of each role a person's ``labels`` name ("Prescriber's
    signature", "Signature of physician"): they read nearly as the role's name asked for and
    are not."""
    return tuple(
        variant
        for role in _roles(labels)
        for variant in (f"{role}'s signature", f"{role} signature", f"Signature of {role.lower()}")
    )


def _roles(labels: tuple[str, ...]) -> list[str]:
    """The labels that name a role (see ROLE_WORDS)."""
    return [
        label
        for label in labels
        if len(label.split()) <= ROLE_WORDS
        and not set(label.lower().split()) & NOT_A_ROLE
        and len(label) >= ROLE_MIN_LETTERS
    ]


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
