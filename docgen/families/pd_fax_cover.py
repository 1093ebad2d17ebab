"""A patient's intake form faxed to the insurer behind a fax cover sheet (``_fax_cover``): the
sheet's date, phone numbers, sender and "Re:" line are no field of the patient's record."""

from __future__ import annotations

import random

from PIL import Image

from docgen.families import _fax_cover, pd_checkbox, pd_classic, pd_face_sheet, pd_single_column

FAMILY = "pd_fax_cover"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "a fax cover sheet (To/From/Fax/Phone/Date/Re/Pages) in front of an intake form of a tuning family"
)

INNER = (pd_classic, pd_single_column, pd_checkbox, pd_face_sheet)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    return _fax_cover.with_cover(rng, dpi, INNER, "intake form")
