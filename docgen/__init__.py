"""Synthetic prescriptions and patient records with exact truth, degraded like real scans and photos.

from docgen import generate, write_document
doc = generate(seed=3, doc_type="prescription", profile="photo")
write_document(doc, Path("rx.pdf"), "pdf")
"""

from docgen.degrade import (
    DEGRADATION_PROFILES,
    DEGRADATIONS,
    HELD_OUT_PROFILES,
    TUNING_PROFILES,
    apply_profile,
    profile_names,
)
from docgen.document import (
    BLANKABLE_FIELDS,
    DOC_TYPES,
    FIELDS,
    FORMATS,
    SyntheticDocument,
    generate,
    generate_set,
    write_document,
)

__all__ = [
    "BLANKABLE_FIELDS",
    "DEGRADATIONS",
    "DEGRADATION_PROFILES",
    "DOC_TYPES",
    "FIELDS",
    "FORMATS",
    "HELD_OUT_PROFILES",
    "TUNING_PROFILES",
    "SyntheticDocument",
    "apply_profile",
    "generate",
    "generate_set",
    "profile_names",
    "write_document",
]
