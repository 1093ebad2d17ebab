"""Layout families: each module here draws one family of forms, with its own random choices.

A family module defines ``FAMILY`` (its module name), ``DOC_TYPE`` ("prescription",
"patient_details" or "unknown" for documents that are neither), ``DESCRIPTION`` and
``draw(rng, dpi) -> (truth, pages)``: the truth of every field of ``DOC_TYPE`` (``{}`` for
"unknown"; "" for a field the form leaves blank or does not print) and the clean pages.

Families are split once into those the engine may be tuned on and those held out from tuning,
so benchmark figures on the held-out ones say how the engine reads forms it was not fitted to.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from types import ModuleType
from typing import Protocol

from PIL import Image


class Family(Protocol):
    FAMILY: str
    DOC_TYPE: str
    DESCRIPTION: str

    def draw(self, rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]: ...


def _discover() -> dict[str, ModuleType]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if info.name != module.FAMILY:
            raise ValueError(f"docgen family module {info.name} declares FAMILY={module.FAMILY!r}")
        found[info.name] = module
    return dict(sorted(found.items()))


FAMILIES: dict[str, ModuleType] = _discover()

# Families whose documents may be looked at while tuning the engine. Every other family is held
# out: its figures are reported, its pages and errors are not studied to change the engine.
TUNING_FAMILIES: tuple[str, ...] = tuple(
    name
    for name in (
        "rx_classic",
        "pd_classic",
        "rx_letterhead",
        "rx_table",
        "pd_single_column",
        "pd_checkbox",
        "other_visit_note",
        "rx_grid_form",
        "pd_ruled_register",
        "pd_split_fields",
        "rx_pad_inline",
        "other_referral_letter",
        "rx_ehr_printout",
        "pd_face_sheet",
        "pd_answer_grid",
        "pd_world_registration",
        "rx_world_clinic",
        "pd_health_questionnaire",
        "pd_landscape_cells",
        "rx_outpatient_form",
        "pd_question_form",
        "rx_order_set",
        "rx_fax_cover",
        "pd_fax_cover",
        "pd_bilingual",
        "pd_new_patient_packet",
        "pd_pediatric_registration",
        "pd_web_form",
    )
    if name in FAMILIES
)
HELD_OUT_FAMILIES: tuple[str, ...] = tuple(name for name in FAMILIES if name not in TUNING_FAMILIES)


def families_of(doc_type: str) -> tuple[str, ...]:
    """The families that draw documents of ``doc_type``."""
    return tuple(name for name, module in FAMILIES.items() if doc_type == module.DOC_TYPE)
