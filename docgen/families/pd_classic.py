"""The familiar two-page patient medical record of the real sample."""

from __future__ import annotations

import random

from PIL import Image

from docgen import patient_details
from docgen.document import with_blanks

FAMILY = "pd_classic"
DOC_TYPE = "patient_details"
DESCRIPTION = "two pages, bold labels with values under them in two columns, date alone top right"


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    truth, lines = with_blanks(rng, DOC_TYPE, *patient_details.make_truth(rng))
    return truth, patient_details.render(rng, dpi, lines)
