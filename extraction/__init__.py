"""MedExtract's engine: documents in, fields with evidence out.

    >>> from extraction import extract
    >>> result = extract("scan.pdf")            # path, or the file's bytes
    >>> result.document_type, result.fields["patient_name"].value

The package never imports streamlit; the review app and the CLI both sit on top of it.
"""

from extraction.doctypes import DocumentType, FieldSpec, document_types, field_names
from extraction.errors import (
    DocumentTooLargeError,
    ExtractionError,
    MissingDependencyError,
    ToolFailedError,
    ToolTimeoutError,
    UnknownDocumentTypeError,
    UnreadableDocumentError,
)
from extraction.options import DEFAULT_OPTIONS, Options
from extraction.pipeline import extract
from extraction.types import UNKNOWN_TYPE, ExtractionResult, FieldResult
from extraction.validate import validate_field

__all__ = [
    "DEFAULT_OPTIONS",
    "UNKNOWN_TYPE",
    "DocumentTooLargeError",
    "DocumentType",
    "ExtractionError",
    "ExtractionResult",
    "FieldResult",
    "FieldSpec",
    "MissingDependencyError",
    "Options",
    "ToolFailedError",
    "ToolTimeoutError",
    "UnknownDocumentTypeError",
    "UnreadableDocumentError",
    "document_types",
    "extract",
    "field_names",
    "validate_field",
]
