"""A prescription faxed to the insurer behind a fax cover sheet (``_fax_cover``): the sheet's
date, numbers, sender and "Re:" line are no field of the prescription."""

from __future__ import annotations

import random

from PIL import Image

from docgen.families import _fax_cover, rx_classic, rx_ehr_printout, rx_letterhead, rx_pad_inline

FAMILY = "rx_fax_cover"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "a fax cover sheet (To/From/Fax/Phone/Date/Re/Pages) in front of a prescription of a tuning family"
)

INNER = (rx_classic, rx_letterhead, rx_pad_inline, rx_ehr_printout)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    return _fax_cover.with_cover(rng, dpi, INNER, "prescription")
