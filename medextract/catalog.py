"""What the services need to know about document types: field order, labels, validation.

The real answers come from the engine (``extraction``), imported lazily so this package imports
and its tests run without it; tests inject a :class:`StaticCatalog` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger(__name__)

Validator = Callable[[str, str, str], "str | None"]


class Catalog(Protocol):
    """Document types as the services see them."""

    def type_names(self) -> list[str]:
        """Every known document type, e.g. ["prescription", "patient_details"]."""
        ...

    def field_names(self, doc_type: str) -> list[str]:
        """The type's fields in output order; [] for a type the catalog does not know."""
        ...

    def label(self, doc_type: str, field: str) -> str:
        """A human label for the field."""
        ...

    def multiline(self, doc_type: str, field: str) -> bool:
        """Whether the field's value may span several lines (a text area rather than an input)."""
        ...

    def validate(self, doc_type: str, field: str, value: str) -> str | None:
        """A message when ``value`` is not acceptable for the field, else None."""
        ...

    def kind(self, doc_type: str, field: str) -> str:
        """What the field holds ("date", "phone", "text", ...): its ``kind`` in the document type."""
        ...

    def required(self, doc_type: str) -> list[str]:
        """The type's fields a document cannot be verified without, in field order."""
        ...


def humanize(name: str) -> str:
    """A label made from a field name: "birth_date" -> "Birth date"."""
    return name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class StaticCatalog:
    """A catalog from plain data: for tests, and as a stand-in when the engine is absent."""

    fields: Mapping[str, Sequence[str]]
    labels: Mapping[str, str] = field(default_factory=dict)
    multiline_fields: frozenset[str] = frozenset()
    validator: Validator | None = None
    kinds: Mapping[str, str] = field(default_factory=dict)
    """Field name: kind; a field not named is "text"."""
    required_fields: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Document type: its required fields."""

    def type_names(self) -> list[str]:
        return list(self.fields)

    def field_names(self, doc_type: str) -> list[str]:
        return list(self.fields.get(doc_type, ()))

    def label(self, doc_type: str, field: str) -> str:
        return self.labels.get(field) or humanize(field)

    def multiline(self, doc_type: str, field: str) -> bool:
        return field in self.multiline_fields

    def validate(self, doc_type: str, field: str, value: str) -> str | None:
        return self.validator(doc_type, field, value) if self.validator else None

    def kind(self, doc_type: str, field: str) -> str:
        return self.kinds.get(field, "text")

    def required(self, doc_type: str) -> list[str]:
        wanted = set(self.required_fields.get(doc_type, ()))
        return [name for name in self.field_names(doc_type) if name in wanted]


class EngineCatalog:
    """The catalog the engine defines (``extraction.document_types`` and ``validate_field``)."""

    def __init__(self) -> None:
        import extraction  # lazily: medextract must import and run its tests without the engine

        self._types = extraction.document_types()
        self._validate = extraction.validate_field

    def type_names(self) -> list[str]:
        return list(self._types)

    def field_names(self, doc_type: str) -> list[str]:
        spec = self._types.get(doc_type)
        return [f.name for f in spec.fields] if spec else []

    def _spec(self, doc_type: str, field: str):  # type: ignore[no-untyped-def]
        spec = self._types.get(doc_type)
        return next((f for f in spec.fields if f.name == field), None) if spec else None

    def label(self, doc_type: str, field: str) -> str:
        spec = self._spec(doc_type, field)
        return spec.label if spec else humanize(field)

    def multiline(self, doc_type: str, field: str) -> bool:
        spec = self._spec(doc_type, field)
        return bool(spec and spec.multiline)

    def validate(self, doc_type: str, field: str, value: str) -> str | None:
        if self._spec(doc_type, field) is None:
            return None
        return self._validate(doc_type, field, value)

    def kind(self, doc_type: str, field: str) -> str:
        spec = self._spec(doc_type, field)
        return spec.kind if spec else "text"

    def required(self, doc_type: str) -> list[str]:
        spec = self._types.get(doc_type)
        return [f.name for f in spec.fields if f.required] if spec else []


# The field lists of the issue, used only when the engine cannot be imported (no validation then).
KNOWN_FIELDS: dict[str, tuple[str, ...]] = {
    "prescription": (
        "prescriber", "patient_name", "prescription_date", "patient_address", "medicines", "directions",
        "refills",
    ),
    "patient_details": (
        "record_date", "patient_name", "birth_date", "phone_number", "address", "weight", "height",
        "emergency_contact_name", "emergency_contact_phone", "chickenpox", "measles",
        "hepatitis_b_vaccination", "medical_problems", "insurance_company", "policy_number",
        "insurance_expiry", "has_medical_insurance", "allergies", "regular_medications",
    ),
}  # fmt: skip
# Their kinds where the export reads them into one form (medextract.normalise): without the
# engine the export keeps the same columns.
KNOWN_KINDS: dict[str, str] = {
    "prescription_date": "date", "record_date": "date", "birth_date": "date", "insurance_expiry": "date",
    "phone_number": "phone", "emergency_contact_phone": "phone",
}  # fmt: skip


def field_kinds(catalog: Catalog, doc_type: str, fields: Sequence[str] | None = None) -> dict[str, str]:
    """Each field's kind (``fields``, else the type's fields)."""
    names = catalog.field_names(doc_type) if fields is None else fields
    return {name: catalog.kind(doc_type, name) for name in names}


def default_catalog() -> Catalog:
    """The engine's catalog, or the built-in field lists (without validation) if it is missing."""
    try:
        return EngineCatalog()
    except ImportError as exc:
        log.warning("extraction is not importable (%s): field values will not be validated", exc)
        return StaticCatalog(fields=KNOWN_FIELDS, kinds=KNOWN_KINDS)
