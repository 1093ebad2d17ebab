"""Variety in the generator, split for tuning and held out: fonts, handwritten values, damage.

No OCR here: the engine and tesseract are never run on held-out faces, handwriting or damage.
Pages are small (50-60 dpi) so the file runs in seconds.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from benchmarks import corpus
from docgen import __main__ as docgen_cli
from docgen import canvas, damage, fonts, generate, generate_set
from docgen.degrade import (
    DEGRADATION_PROFILES,
    DEGRADATIONS,
    HELD_OUT_PROFILES,
    TUNING_PROFILES,
    apply_profile,
    profile_names,
)
from docgen.families import FAMILIES
from docgen.families import _pd_common as pd
from docgen.families import _rx_common as rx

REPO = Path(__file__).resolve().parent.parent
FILLED_FAMILIES = sorted(name for name, module in FAMILIES.items() if module.DOC_TYPE != "unknown")
# Families whose medicines are printed and ticked, not written (an order set).
PRINTED_MEDICINES = {"rx_order_set"}
# Families whose print counts the document's pages (a fax cover sheet): handwriting, wider, may
# take the document onto one more page.
COUNT_PAGES = {"rx_fax_cover", "pd_fax_cover"}
NEW_DAMAGE = (
    "stamp",
    "highlight",
    "fold",
    "stain",
    "punch_holes",
    "crop",
    "faint",
    "motion_blur",
    "overexpose",
)
OLD_PROFILES = (
    "clean",
    "scan",
    "skewed",
    "noisy",
    "jpeg",
    "shadow",
    "photo",
    "shadow_photo",
    "fax",
    "rotated",
    "lowres",
    "heavy",
)
# Tuning damage added since the split, after the old profiles so their order stays.
NEW_TUNING_PROFILES = ("defocused",)


def _pixels(image: Image.Image) -> bytes:
    return image.tobytes() + image.mode.encode() + repr(image.size).encode()


# ---- fonts ----


def test_every_face_of_both_sets_is_installed_and_the_sets_are_distinct() -> None:
    for font_set, printed, hands in (
        ("tuning", fonts.TUNING_FONTS, fonts.TUNING_HANDS),
        ("held_out", fonts.HELD_OUT_FONTS, fonts.HELD_OUT_HANDS),
    ):
        assert [f.name for f in fonts.font_families(font_set)] == list(printed)
        assert [f.name for f in fonts.hand_families(font_set)] == list(hands)
    assert len(fonts.TUNING_FONTS) == 9 and len(fonts.HELD_OUT_FONTS) >= 9
    names = [*fonts.TUNING_FONTS, *fonts.HELD_OUT_FONTS, *fonts.TUNING_HANDS, *fonts.HELD_OUT_HANDS]
    assert len(names) == len(set(names))
    every = [*fonts.font_families("all"), *fonts.hand_families("all")]
    assert len({f.regular for f in every}) == len(every), "two families share a face file"
    assert all(f.hand for f in fonts.hand_families("all"))
    assert not any(f.hand for f in fonts.font_families("all"))


def test_the_setup_script_installs_every_font_package() -> None:
    script = (REPO / "scripts" / "ensure-system-packages.sh").read_text(encoding="utf-8")
    assert sorted(p for p in set(fonts.PACKAGES.values()) if f"]={p}" not in script) == []


def test_a_hairline_hand_is_written_with_a_pen_s_width_in_ink_and_in_the_pen_mask() -> None:
    ecolier = next(f for f in fonts.hand_families("tuning") if f.name == "Ecolier")
    assert ecolier.pen > 0

    def written(face: fonts.FontFamily) -> tuple[int, int]:
        style = canvas.Style(face, face, 11.0, 20, 250, pen=(20, 40, 140))
        page = canvas.Page(200, style, (3.0, 1.0))
        page.text(10, 120, "Metformin 500 mg", page.font(bold=False))
        ink = sum(1 for v in page.image.getdata() if v < 128)
        assert page.pen_mask is not None
        return ink, sum(1 for v in page.pen_mask.getdata() if v > 128)

    thin = written(dataclasses.replace(ecolier, pen=0.0))
    wide = written(ecolier)
    assert wide[0] > 1.5 * thin[0] and wide[1] > 1.5 * thin[1]


def test_a_style_draws_only_from_the_chosen_set_and_handwriting_moves_nothing_else() -> None:
    for font_set, allowed in (("tuning", fonts.TUNING_FONTS), ("held_out", fonts.HELD_OUT_FONTS)):
        with fonts.drawing_from(font_set):
            hand = canvas.Handwriting(fonts.hand_families()[0], None)
            for seed in range(40):
                typed = canvas.pick_style(random.Random(seed), prefer="Comic Neue", prefer_weight=0.4)
                assert typed.label.name in allowed and typed.value.name in allowed
                with canvas.filled_in(hand):
                    written = canvas.pick_style(random.Random(seed), prefer="Comic Neue", prefer_weight=0.4)
                assert written.value == hand.face and written.handwritten
                assert (written.label, written.body_pt, written.ink, written.paper) == (
                    typed.label,
                    typed.body_pt,
                    typed.ink,
                    typed.paper,
                )
    with pytest.raises(ValueError, match="font set"):
        generate(1, "prescription", fonts="fancy")


def test_font_set_and_handwriting_are_fixed_by_the_seed() -> None:
    for family in ("rx_classic", "pd_table"):
        doc_type = FAMILIES[family].DOC_TYPE
        first = generate(3, doc_type, "scan", dpi=50, family=family, fonts="held_out", hand_rate=0.5)
        again = generate(3, doc_type, "scan", dpi=50, family=family, fonts="held_out", hand_rate=0.5)
        tuning = generate(3, doc_type, "scan", dpi=50, family=family, fonts="tuning", hand_rate=0.5)
        assert [_pixels(p) for p in first.pages] == [_pixels(p) for p in again.pages]
        assert (first.handwriting, first.fonts, first.truth) == (again.handwriting, "held_out", again.truth)
        assert first.truth == tuning.truth, "the font set changes the look, never the values"
        assert [_pixels(p) for p in first.pages] != [_pixels(p) for p in tuning.pages]


def test_about_one_document_in_six_is_handwritten_half_of_them_in_blue() -> None:
    with fonts.drawing_from("all"):
        hands = [canvas.pick_handwriting(random.Random(f"docgen:hand:rx_classic:{s}")) for s in range(1200)]
    written = [h for h in hands if h]
    assert 0.13 < len(written) / len(hands) < 0.21
    assert 0.4 < sum(h.pen is not None for h in written) / len(written) < 0.6
    assert {h.face.name for h in written} == set(fonts.TUNING_HANDS + fonts.HELD_OUT_HANDS)
    docs = [generate(s, "prescription", dpi=50, family="rx_classic", fonts="held_out") for s in range(36)]
    assert {d.handwriting for d in docs} - {""} <= set(fonts.HELD_OUT_HANDS)
    assert 2 <= sum(bool(d.handwriting) for d in docs) <= 14


# ---- handwritten values ----

# Printed wording of labels; a handwritten string never begins with one. ("Sig:" and "Disp:" are
# left out: on a prescription pad the prescriber writes them with the directions.)
_LABEL_WORDS = sorted(
    {
        re.sub(r"[:.]+$", "", label).lower()
        for label in (
            *(w for wordings in pd.LABELS.values() for w in wordings),
            *rx.PATIENT_LABELS,
            *rx.DATE_LABELS,
            *rx.ADDRESS_LABELS,
            *rx.REFILL_LABELS,
            *rx.PRESCRIBER_LABELS,
            *rx.DOB_LABELS,
            *pd.INSTRUCTIONS,
            *pd.FORM_TITLES,
        )
    },
    key=len,
    reverse=True,
)
_LABEL_START = re.compile(r"^(?:" + "|".join(re.escape(w) for w in _LABEL_WORDS if len(w) > 2) + r")\b")


def _drawn(
    family: str, seed: int, hand: canvas.Handwriting | None
) -> tuple[dict[str, str], list[canvas.Page]]:
    """A family's clean pages as Page objects, typed or filled in with `hand`, at 50 dpi; pages a
    family drew and threw away (a pad tried again at a smaller scale) are left out."""
    with fonts.drawing_from("tuning"), canvas.filled_in(hand) as pages:
        truth, images = FAMILIES[family].draw(random.Random(f"docgen:{family}:{seed}"), 50)
    kept = {id(image) for image in images}
    return truth, [page for page in pages if id(page.image) in kept]


def _words(texts: list[str], counts_left_out: bool = False) -> list[str]:
    words = (word for text in texts for word in text.split())
    return sorted(word for word in words if not (counts_left_out and word.isdigit() and len(word) == 1))


@pytest.mark.parametrize("family", FILLED_FAMILIES)
def test_handwriting_writes_the_values_and_leaves_the_print_alone(family: str) -> None:
    hand = canvas.Handwriting(fonts.family("Breip"), (22, 45, 140))
    for seed in range(3):
        truth, pages = _drawn(family, seed, hand)
        typed_truth, typed_pages = _drawn(family, seed, None)
        written = [text for page in pages for text, by_hand in page.texts if by_hand]
        assert truth == typed_truth
        # The same words are on the page; only the face of the values changed.
        counted = family in COUNT_PAGES
        assert _words([t for p in pages for t, _ in p.texts], counted) == _words(
            [t for p in typed_pages for t, _ in p.texts], counted
        )
        assert not any(p.texts and any(by_hand for _, by_hand in p.texts) for p in typed_pages)
        for text in written:
            assert not _LABEL_START.match(text.lower()), (family, seed, text)
        first_name = truth["patient_name"].split()[0] if truth["patient_name"] else ""
        assert not first_name or any(first_name in text for text in written), (family, seed, written)
        for line in truth.get("medicines", "").splitlines() if family not in PRINTED_MEDICINES else ():
            assert any(line.split()[0] in text for text in written), (family, seed, line)


def test_a_blue_pen_colours_only_the_handwriting() -> None:
    doc = None
    for seed in range(60):
        doc = generate(seed, "patient_details", dpi=60, family="pd_table", fonts="tuning", hand_rate=1)
        if doc.pages[0].mode == "RGB":
            break
    assert doc is not None and doc.pages[0].mode == "RGB" and doc.handwriting in fonts.TUNING_HANDS
    rgb = np.asarray(doc.pages[0]).astype(int)
    blue = (rgb[..., 2] - rgb[..., 0]) > 40
    assert blue.sum() > 200
    grey_print = (rgb.min(axis=2) < 100) & ~blue
    assert grey_print.sum() > 200, "the printed form stays in grey ink"
    assert (np.ptp(rgb[grey_print], axis=1) < 40).mean() > 0.95
    typed = generate(doc.seed, "patient_details", dpi=60, family="pd_table", fonts="tuning", hand_rate=0)
    assert typed.pages[0].mode == "L" and not typed.handwriting


# ---- damage ----


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return generate(
        2, "patient_details", dpi=60, family="pd_single_column", fonts="tuning", hand_rate=0
    ).pages[0]


def _contrast(image: Image.Image, print_mask: np.ndarray) -> float:
    gray = np.asarray(image.convert("L"), dtype=np.float32)
    return float(np.median(gray[~print_mask]) - gray[print_mask].mean())


def test_profiles_are_split_into_tuning_and_held_out() -> None:
    assert TUNING_PROFILES == OLD_PROFILES + NEW_TUNING_PROFILES
    assert set(HELD_OUT_PROFILES).isdisjoint(TUNING_PROFILES) and len(HELD_OUT_PROFILES) >= 9
    assert set(DEGRADATION_PROFILES) == set(TUNING_PROFILES) | set(HELD_OUT_PROFILES)
    used = {step for name in HELD_OUT_PROFILES for step in DEGRADATION_PROFILES[name]}
    assert set(NEW_DAMAGE) <= used <= set(DEGRADATIONS)
    assert not set(NEW_DAMAGE) & {s for name in TUNING_PROFILES for s in DEGRADATION_PROFILES[name]}
    assert profile_names(["tuning"]) == list(TUNING_PROFILES)
    assert profile_names(["held_out"]) == list(HELD_OUT_PROFILES)
    assert profile_names(None) == list(DEGRADATION_PROFILES)
    assert profile_names(["stamped,fax", "scan", "fax"]) == ["stamped", "fax", "scan"]
    with pytest.raises(ValueError, match="smudged"):
        profile_names(["tuning", "smudged"])


@pytest.mark.parametrize("name", NEW_DAMAGE)
def test_new_damage_is_visible_deterministic_and_keeps_the_page(name: str, page: Image.Image) -> None:
    before = _pixels(page)
    damaged = DEGRADATIONS[name](page, 5, 60)
    assert _pixels(page) == before, "the input is never modified"
    assert _pixels(damaged) == _pixels(DEGRADATIONS[name](page, 5, 60))
    assert _pixels(damaged) != _pixels(DEGRADATIONS[name](page, 6, 60))
    assert damaged.mode in ("L", "RGB")
    if name == "crop":
        cut_w, cut_h = page.width - damaged.width, page.height - damaged.height
        assert cut_w + cut_h > 0 and cut_w <= 2 * 0.45 * 60 and cut_h <= 2 * 0.45 * 60
        return
    assert damaged.size == page.size
    assert _pixels(damaged.convert(page.mode)) != before
    # Readable: the print keeps at least a quarter of its contrast against the paper.
    ink = np.asarray(page) < 100
    assert _contrast(damaged, ink) > 0.25 * _contrast(page, ink), name


def test_defocus_blurs_the_print_by_more_than_a_scan_does(page: Image.Image) -> None:
    def sharpness(image: Image.Image) -> float:
        return float(np.abs(np.diff(np.asarray(image.convert("L"), dtype=np.int16), axis=1)).mean())

    defocused = DEGRADATIONS["defocus"](page, 5, 60)
    assert defocused.size == page.size and defocused.mode == page.mode
    assert _pixels(defocused) == _pixels(DEGRADATIONS["defocus"](page, 5, 60))
    assert sharpness(defocused) < sharpness(DEGRADATIONS["blur"](page, 5, 60)) < sharpness(page)


def test_crop_never_cuts_into_the_print(page: Image.Image) -> None:
    ink = int((np.asarray(page) < 160).sum())
    for seed in range(12):
        cropped = damage.crop(page, seed, 60)
        assert int((np.asarray(cropped) < 160).sum()) == ink


@pytest.mark.parametrize("profile", HELD_OUT_PROFILES)
def test_held_out_profiles_apply_to_grey_and_colour_pages(profile: str, page: Image.Image) -> None:
    for image in (page, page.convert("RGB")):
        out = apply_profile(image, profile, 9, 60)
        assert out.mode in ("L", "RGB") and out.width > page.width * 0.8 and out.height > page.height * 0.8


# ---- selections for the benchmarks and the command line ----


def test_corpus_draws_the_fonts_and_profiles_asked_for(tmp_path: Path) -> None:
    assert corpus.FONT_SETS == fonts.FONT_SETS
    assert corpus.profile_names(["held_out"]) == list(HELD_OUT_PROFILES)
    held_out = corpus.profile_names(["held_out"])
    docs = corpus.generated_documents(
        4,
        seed=5,
        folder=tmp_path,
        profiles=held_out[:2],
        families=["rx_classic", "pd_classic"],
        fonts="held_out",
    )
    assert sorted(d.source for d in docs) == sorted(held_out[:2] * 2)  # each family meets each
    assert all(d.path.exists() and d.path.stat().st_size > 0 for d in docs)
    assert {d.handwriting for d in docs} - {""} <= set(fonts.HELD_OUT_HANDS)
    sets = generate_set(6, seed=5, families=["rx_classic"], fonts="tuning", hand_rate=1)
    assert {d.fonts for d in sets} == {"tuning"} and {d.handwriting for d in sets} <= set(fonts.TUNING_HANDS)


def test_the_command_line_takes_font_sets_and_profile_groups(tmp_path: Path) -> None:
    assert docgen_cli.main([str(tmp_path), "--n", "2", "--profiles", "held_out", "--fonts", "held_out"]) == 0
    truth = json.loads((tmp_path / "truth.json").read_text())
    # The two familiar layouts, under the first two held-out profiles (seed 0 starts at the first).
    assert sorted(name.split("_", 2)[2].split(".")[0] for name in truth) == sorted(HELD_OUT_PROFILES[:2])
    with pytest.raises(SystemExit):
        docgen_cli.main([str(tmp_path), "--profiles", "smudged"])
