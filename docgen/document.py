"""Synthetic documents: generation from a seed, balanced sets, and writing to PDF/PNG/JPEG/TIFF."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import numpy as np
from PIL import Image

from docgen import canvas, patient_details, prescription
from docgen import fonts as _fonts
from docgen.content import FormRandom, content, filled_from
from docgen.degrade import DEGRADATION_PROFILES, apply_profile

DOC_TYPES: tuple[str, ...] = ("prescription", "patient_details")
FIELDS: dict[str, tuple[str, ...]] = {
    "prescription": prescription.FIELDS,
    "patient_details": patient_details.FIELDS,
}

# Fields that may be printed empty (truth ""): the "List any ..." answers a patient may leave empty.
# Everything else - refills included - is always filled in.
BLANKABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "prescription": ("patient_address",),
    "patient_details": ("allergies", "medical_problems", "regular_medications"),
}
BLANK_RATE = 1 / 8

FORMATS = ("pdf", "png", "jpeg", "tiff")
_SINGLE_PAGE_FORMATS = ("png", "jpeg")


@dataclass
class SyntheticDocument:
    """A generated document: its pages and the exact text of every field printed on them.

    `truth` maps every field of `doc_type` to its printed text (lines joined by newline, "" if left
    blank); `blank_fields` names the fields left blank (a subset of BLANKABLE_FIELDS[doc_type]).
    """

    doc_type: str
    pages: list[Image.Image]
    truth: dict[str, str]
    profile: str
    dpi: int
    seed: int
    blank_fields: list[str] = field(default_factory=list)
    family: str = ""
    form: int | None = None
    fonts: str = "all"  # the font set drawn from (docgen.fonts.FONT_SETS)
    handwriting: str = ""  # the handwriting face of the filled-in values, "" if typed


def with_blanks(
    rng: random.Random, doc_type: str, truth: dict[str, str], lines: dict[str, list[str]]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Leave one blankable field empty now and then (BLANK_RATE), in truth and in print."""
    rng = content(rng)
    if rng.random() < BLANK_RATE:
        name = rng.choice(BLANKABLE_FIELDS[doc_type])
        truth[name], lines[name] = "", []
    return truth, lines


CLASSIC_FAMILIES = {"prescription": "rx_classic", "patient_details": "pd_classic"}


def generate(
    seed: int,
    doc_type: str,
    profile: str = "clean",
    dpi: int = 200,
    family: str | None = None,
    form: int | None = None,
    fonts: str = "all",
    hand_rate: float = canvas.HANDWRITTEN_RATE,
) -> SyntheticDocument:
    """Draw one document and degrade it with `profile`.

    `family` names a layout family (docgen.families.FAMILIES); without one, the familiar layout of
    `doc_type` is drawn. `doc_type` must be the family's type. Deterministic: the same arguments
    give identical pixels and truth. The content (values, fonts, layout choices) depends only on
    (seed, family, dpi, fonts, hand_rate), so one seed under several profiles is the same document
    degraded differently. Pages are US letter at `dpi` (a pad family's may be smaller), mode "L" or
    "RGB".

    With `form`, the form (fonts, labels, positions, rules) depends only on (form, family, dpi) and
    the filled-in values on `seed`: documents of one form number are one clinic's form filled in
    for different patients, as a learned layout meets them.

    `fonts` ("all", "tuning" or "held_out": docgen.fonts.FONT_SETS) is the set of printed and
    handwriting faces drawn from. A share `hand_rate` of documents, chosen by (seed, family), has
    its filled-in values written by hand (sometimes in blue, then the pages are RGB); pass
    hand_rate=0 for typed values only. Neither choice shifts the form's other random choices.
    """
    from docgen.families import FAMILIES

    if family is None and doc_type not in CLASSIC_FAMILIES:
        raise ValueError(
            f"no default layout for doc_type {doc_type!r}; choose from {sorted(CLASSIC_FAMILIES)} "
            "or name a family of docgen.families"
        )
    family = family or CLASSIC_FAMILIES.get(doc_type)
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r} for {doc_type!r}; choose from {sorted(FAMILIES)}")
    module = FAMILIES[family]
    if doc_type != module.DOC_TYPE:
        raise ValueError(f"family {family} draws {module.DOC_TYPE}, not {doc_type}")
    if profile not in DEGRADATION_PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose from {sorted(DEGRADATION_PROFILES)}")
    if not 50 <= dpi <= 600:
        raise ValueError(f"dpi must be between 50 and 600, got {dpi}")
    with _fonts.drawing_from(fonts):
        hand = canvas.pick_handwriting(random.Random(f"docgen:hand:{family}:{seed}"), hand_rate)
        with canvas.filled_in(hand) as drawn:
            truth, pages = _draw(module, family, seed, dpi, form)
    pages = [canvas.inked(page, drawn) for page in pages]
    blanks = [name for name in BLANKABLE_FIELDS.get(doc_type, ()) if truth.get(name) == ""]
    pages = [apply_profile(page, profile, seed * 7919 + index, dpi) for index, page in enumerate(pages)]
    handwriting = hand.face.name if hand else ""
    return SyntheticDocument(
        doc_type, pages, truth, profile, dpi, seed, blanks, family, form, fonts, handwriting
    )


def _draw(
    module: ModuleType, family: str, seed: int, dpi: int, form: int | None
) -> tuple[dict[str, str], list[Image.Image]]:
    """The family's clean pages: from the seed alone, or a form's layout filled with the seed's values."""
    if form is None:
        return module.draw(random.Random(f"docgen:{family}:{seed}"), dpi)
    with filled_from(random.Random(f"docgen:{family}:{seed}")):
        return module.draw(FormRandom(f"docgen:{family}:form:{form}"), dpi)


def generate_set(
    n: int,
    seed: int = 0,
    profiles: list[str] | None = None,
    families: list[str] | None = None,
    fonts: str = "all",
    hand_rate: float = canvas.HANDWRITTEN_RATE,
) -> list[SyntheticDocument]:
    """`n` documents cycling through `families` (default: the two familiar ones) and `profiles`,
    set in the faces of the font set `fonts`, values handwritten at `hand_rate` (see generate).

    Document i has seed `seed * 100_003 + i`, family families[i % len(families)] and profile
    profiles[(i // len(families) + i % len(families) + seed) % len(profiles)]: every family
    meets every profile once in each len(families) * len(profiles) documents, and a set shorter
    than that still spreads over all the profiles (each round of the families takes them one
    step further along, and the seed chooses where they start) instead of giving its first
    families' documents the first profiles only.
    """
    from docgen.families import FAMILIES

    chosen = list(profiles) if profiles else list(DEGRADATION_PROFILES)
    names = list(families) if families else list(CLASSIC_FAMILIES.values())
    documents = []
    for i in range(n):
        family = names[i % len(names)]
        profile = chosen[(i // len(names) + i % len(names) + seed) % len(chosen)]
        doc_type = FAMILIES[family].DOC_TYPE
        documents.append(
            generate(seed * 100_003 + i, doc_type, profile, family=family, fonts=fonts, hand_rate=hand_rate)
        )
    return documents


def _for_saving(page: Image.Image) -> Image.Image:
    """Pure black-and-white pages (fax) become mode "1" so PDF/TIFF store them losslessly (CCITT G4)."""
    if page.mode == "L":
        lo, hi = page.getextrema()
        if set(np.unique(np.asarray(page))) <= {0, 255} and (lo, hi) != (255, 255):
            return page.convert("1", dither=Image.Dither.NONE)
    return page


def write_document(doc: SyntheticDocument, path: Path, fmt: str) -> Path:
    """Write `doc` to `path` as "pdf" or "tiff" (all pages) or "png"/"jpeg" (one-page documents only;
    ValueError for more pages). The file records `doc.dpi` as its resolution. Returns `path`."""
    path = Path(path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {FORMATS}")
    if fmt in _SINGLE_PAGE_FORMATS and len(doc.pages) > 1:
        raise ValueError(f"{fmt} holds one page but this {doc.doc_type} has {len(doc.pages)}: use pdf/tiff")
    pages = [_for_saving(p) for p in doc.pages]
    dpi = (doc.dpi, doc.dpi)
    if fmt == "pdf":
        # Grey/colour pages go in as JPEG: ask for high quality so the file adds no artefacts of its own.
        # Bilevel pages go in as CCITT G4, which refuses a quality setting.
        extra = {} if any(p.mode == "1" for p in pages) else {"quality": 92}
        pages[0].save(path, "PDF", resolution=float(doc.dpi), save_all=True, append_images=pages[1:], **extra)
    elif fmt == "tiff":
        compression = "group4" if all(p.mode == "1" for p in pages) else "tiff_deflate"
        pages[0].save(path, "TIFF", dpi=dpi, save_all=True, append_images=pages[1:], compression=compression)
    elif fmt == "png":
        pages[0].save(path, "PNG", dpi=dpi)
    else:
        doc.pages[0].save(path, "JPEG", dpi=dpi, quality=92)
    return path
