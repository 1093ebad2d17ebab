"""The familiar prescription pad of the real sample: header, Name/Date/Address rows, Rx, refills."""

from __future__ import annotations

import random

from PIL import Image

from docgen import prescription
from docgen.document import with_blanks

FAMILY = "rx_classic"
DOC_TYPE = "prescription"
DESCRIPTION = "centred prescriber header, underlined Name/Date/Address, Rx mark, Directions, Refill"


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    truth, lines = with_blanks(rng, DOC_TYPE, *prescription.make_truth(rng))
    return truth, prescription.render(rng, dpi, lines)
