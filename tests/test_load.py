"""extraction.load and extract()'s refusals: every bad input gets its typed error and a message a
clerk can act on, and limits are enforced before anything expensive (rendering, decoding) runs."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from extraction import (
    DocumentTooLargeError,
    Options,
    UnreadableDocumentError,
    extract,
    load,
    poppler,
)
from extraction.load import MAX_IMAGE_DPI, SourcePage, load_pages, read_source, sniff_format
from tests.conftest import require

# ---------------------------------------------------------------- documents made on the spot


def pdf_bytes(pages: int = 1, size: tuple[int, int] = (200, 300)) -> bytes:
    """A real PDF of blank pages, ``size`` in points (Pillow writes it at 72 dpi)."""
    images = [Image.new("L", size, 255) for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return out.getvalue()


def image_bytes(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def zero_page_pdf() -> bytes:
    """A well-formed PDF whose page tree is empty (/Count 0), with a correct xref table."""
    bodies = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def huge_blank_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of ``width`` x ``height`` white pixels, built without holding its pixels:
    a few kilobytes on disk whose header claims a huge image (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def encrypt_pdf(tmp_path: Path, user_password: str) -> bytes:
    require(shutil.which("qpdf") is not None, "qpdf is not installed (apt-get install qpdf)")
    plain, locked = tmp_path / "plain.pdf", tmp_path / "locked.pdf"
    plain.write_bytes(pdf_bytes())
    subprocess.run(
        ["qpdf", "--encrypt", user_password, "owner-secret", "256", "--", str(plain), str(locked)],
        check=True,
        capture_output=True,
    )
    return locked.read_bytes()


@pytest.fixture
def needs_poppler() -> None:
    require(shutil.which("pdfinfo") is not None, "poppler-utils is not installed")
    require(shutil.which("pdftoppm") is not None, "poppler-utils is not installed")


@pytest.fixture
def no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any page is rendered: limits must be checked from pdfinfo alone."""

    def render_page(*args: object, **kwargs: object) -> np.ndarray:
        raise AssertionError("pdftoppm was called for a document that should have been refused")

    monkeypatch.setattr(poppler, "render_page", render_page)


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if an image frame is decoded into pixels."""

    def frame_to_page(frame: Image.Image) -> SourcePage:
        raise AssertionError("an image was decoded that should have been refused from its header")

    monkeypatch.setattr(load, "_frame_to_page", frame_to_page)


def load_all(data: bytes, options: Options | None = None) -> list[SourcePage]:
    return list(load_pages(data, options or Options()))


# ---------------------------------------------------------------- format sniffing


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", "pdf"),
        (b"\r\n  %PDF-1.4", "pdf"),
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"\xff\xd8\xff\xe1", "jpeg"),
        (b"II*\x00\x08\x00", "tiff"),
        (b"MM\x00*\x00\x00", "tiff"),
        (b"GIF89a", None),
        (b"<html><body>", None),
        (b"Patient name: Kathy", None),
        (b"PK\x03\x04", None),
        (b" \x89PNG", None),
        (b"", None),
    ],
)
def test_sniff_format_trusts_signatures_not_names(head: bytes, expected: str | None) -> None:
    assert sniff_format(head) == expected


# ---------------------------------------------------------------- empty, missing, not a document


def test_read_source_returns_bytes_of_a_path_and_bytes_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(b"abc")
    assert read_source(path) == b"abc"
    assert read_source(str(path)) == b"abc"
    assert read_source(b"xyz") == b"xyz"


def test_empty_bytes_are_refused_as_empty() -> None:
    with pytest.raises(UnreadableDocumentError, match=r"empty \(0 bytes\).*send it again"):
        extract(b"")


def test_empty_file_is_refused_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"")
    with pytest.raises(UnreadableDocumentError, match=r"empty \(0 bytes\)"):
        extract(path)


def test_missing_path_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocumentError, match=r"'nowhere\.pdf' does not exist"):
        extract(tmp_path / "nowhere.pdf")


def test_directory_is_refused_as_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "scans.pdf"
    folder.mkdir()
    with pytest.raises(UnreadableDocumentError, match=r"'scans\.pdf' could not be read"):
        extract(folder)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.pdf", b"Patient: Kathy Crawford\nWeight: 95\n"),
        ("scan.png", b"<!DOCTYPE html><html><body>Your download</body></html>"),
        ("photo.jpg", b"GIF89a\x01\x00\x01\x00"),
        ("record.tiff", b"PK\x03\x04 a zip archive"),
    ],
)
def test_file_that_is_not_a_document_is_refused_whatever_its_extension(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableDocumentError) as caught:
        extract(path)
    message = str(caught.value)
    assert "not a PDF, PNG, JPEG or TIFF" in message
    assert "whatever its name says" in message


# ---------------------------------------------------------------- damaged and protected PDFs


def test_truncated_pdf_is_reported_damaged(needs_poppler: None) -> None:
    whole = pdf_bytes()
    with pytest.raises(UnreadableDocumentError, match=r"damaged or incomplete.*send it again"):
        extract(whole[: len(whole) // 2])


def test_pdf_with_garbage_after_its_signature_is_reported_damaged(needs_poppler: None) -> None:
    with pytest.raises(UnreadableDocumentError, match="damaged or incomplete"):
        load_all(b"%PDF-1.4\nthis is not really a pdf\n")


def test_password_protected_pdf_asks_for_a_copy_without_password(
    tmp_path: Path, needs_poppler: None, no_rendering: None
) -> None:
    locked = encrypt_pdf(tmp_path, user_password="user-secret")
    with pytest.raises(UnreadableDocumentError, match=r"password-protected.*without a password"):
        extract(locked)


def test_pdf_with_owner_password_only_opens_like_any_pdf(tmp_path: Path, needs_poppler: None) -> None:
    restricted = encrypt_pdf(tmp_path, user_password="")
    pages = load_all(restricted, Options(dpi=72))
    assert len(pages) == 1


def test_zero_page_pdf_is_reported_as_having_no_pages(needs_poppler: None) -> None:
    with pytest.raises(UnreadableDocumentError, match="no pages"):
        load_all(zero_page_pdf())


def test_zero_page_pdf_is_refused_as_unreadable(needs_poppler: None, no_rendering: None) -> None:
    with pytest.raises(UnreadableDocumentError):
        load_all(zero_page_pdf())


# ---------------------------------------------------------------- limits, before the expensive work


def test_pdf_over_page_limit_is_refused_before_rendering(needs_poppler: None, no_rendering: None) -> None:
    with pytest.raises(DocumentTooLargeError, match=r"3 pages; the limit is 2.*Split it"):
        extract(pdf_bytes(pages=3), options=Options(max_pages=2))


def test_pdf_page_too_large_at_render_dpi_is_refused_before_rendering(
    needs_poppler: None, no_rendering: None
) -> None:
    # 1000 x 1000 pt at 300 dpi is 4167 x 4167 pixels, more than 10 million.
    data = pdf_bytes(size=(1000, 1000))
    with pytest.raises(DocumentTooLargeError, match=r"4167x4167 pixels.*lower resolution"):
        load_all(data, Options(dpi=300, max_page_pixels=10_000_000))


def test_pdf_pages_are_rendered_at_the_dpi_they_report(needs_poppler: None) -> None:
    # 144 x 216 pt is 2 x 3 inches: each page's pixels must match the dpi it is labelled with.
    pages = load_all(pdf_bytes(pages=2, size=(144, 216)), Options(max_pages=2))
    assert len(pages) == 2
    for page in pages:
        assert 72 <= page.dpi <= 300
        assert page.image.dtype == np.uint8
        assert page.image.shape == (3 * page.dpi, 2 * page.dpi)


def test_scanned_pdf_is_never_rendered_above_the_asked_dpi_or_pixel_limit(needs_poppler: None) -> None:
    options = Options(dpi=100, max_page_pixels=1_000_000)
    (page,) = load_all(pdf_bytes(size=(612, 792)), options)  # a letter page scanned at 72 ppi
    assert page.image.size <= options.max_page_pixels
    assert page.dpi <= options.dpi


def test_image_over_pixel_limit_is_refused_from_its_header(no_decoding: None) -> None:
    bomb = huge_blank_png(5000, 4000)
    assert len(bomb) < 100_000
    with pytest.raises(DocumentTooLargeError, match=r"5000x4000 pixels.*limit of 10,000,000"):
        load_all(bomb, Options(max_page_pixels=10_000_000))


def test_decompression_bomb_is_refused_as_too_large_not_decoded(no_decoding: None) -> None:
    bomb = huge_blank_png(20_000, 20_000)
    with pytest.raises(DocumentTooLargeError, match="too large"):
        extract(bomb, options=Options(max_page_pixels=50_000_000))


def test_multi_frame_tiff_over_page_limit_is_refused(no_decoding: None) -> None:
    frames = [Image.new("L", (60, 40), 255) for _ in range(3)]
    data = image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(DocumentTooLargeError, match="3 pages; the limit is 2"):
        load_all(data, Options(max_pages=2))


# ---------------------------------------------------------------- damaged images


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_truncated_image_is_reported_damaged(fmt: str) -> None:
    whole = image_bytes(Image.effect_noise((300, 200), 60), fmt)
    with pytest.raises(UnreadableDocumentError, match=r"damaged or incomplete.*send it again"):
        extract(whole[: len(whole) // 2])


def test_image_that_is_only_a_signature_is_reported_damaged() -> None:
    with pytest.raises(UnreadableDocumentError, match="damaged or incomplete"):
        load_all(b"\x89PNG\r\n\x1a\n")


# ---------------------------------------------------------------- pages as loaded


def test_multi_page_tiff_gives_one_page_per_frame_in_order() -> None:
    frames = [Image.new("L", (100 + 10 * i, 50), 255) for i in range(3)]
    data = image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200))
    pages = load_all(data)
    assert [page.image.shape for page in pages] == [(50, 100), (50, 110), (50, 120)]
    assert [page.dpi for page in pages] == [200, 200, 200]


def test_exif_orientation_6_is_turned_upright() -> None:
    wide = Image.new("L", (200, 100), 255)
    ImageDraw.Draw(wide).rectangle((0, 0, 19, 99), fill=0)  # a dark band down the left edge
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    (page,) = load_all(image_bytes(wide, "JPEG", exif=exif.tobytes(), quality=95))
    assert page.image.shape == (200, 100)
    # Turned clockwise, the left edge becomes the top.
    assert page.image[:15].mean() < 60
    assert page.image[-15:].mean() > 200


def test_image_without_exif_orientation_keeps_its_shape() -> None:
    (page,) = load_all(image_bytes(Image.new("L", (200, 100), 255), "JPEG"))
    assert page.image.shape == (100, 200)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_image_above_max_dpi_is_downscaled_to_it(fmt: str) -> None:
    image = Image.new("L", (1200, 1800), 255)
    (page,) = load_all(image_bytes(image, fmt, dpi=(600, 600)))
    assert page.dpi == MAX_IMAGE_DPI == 300
    assert page.image.shape == (900, 600)


def test_image_at_or_below_max_dpi_keeps_its_pixels() -> None:
    image = Image.new("L", (600, 900), 255)
    (at_max,) = load_all(image_bytes(image, "PNG", dpi=(300, 300)))
    (below,) = load_all(image_bytes(image, "PNG", dpi=(150, 150)))
    assert (at_max.dpi, at_max.image.shape) == (300, (900, 600))
    assert (below.dpi, below.image.shape) == (150, (900, 600))


def test_image_without_dpi_is_taken_as_a_letter_page() -> None:
    (page,) = load_all(image_bytes(Image.new("L", (1700, 2200), 255), "PNG"))
    assert page.dpi == 200  # 2200 pixels over an 11-inch page


def test_colour_image_is_loaded_as_8_bit_gray() -> None:
    (page,) = load_all(image_bytes(Image.new("RGB", (80, 60), (255, 255, 255)), "PNG"))
    assert page.image.dtype == np.uint8
    assert page.image.shape == (60, 80)
    assert page.image.min() == 255


def test_transparent_png_is_put_on_white_paper() -> None:
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((20, 20, 60, 60), fill=(0, 0, 0, 255))
    (page,) = load_all(image_bytes(image, "PNG"))
    assert page.image[5, 5] > 200  # paper
    assert page.image[40, 40] < 50  # ink


@pytest.mark.parametrize("fmt", ["PNG", "TIFF"])
def test_16_bit_grayscale_scan_keeps_its_ink(fmt: str) -> None:
    pixels = np.full((100, 200), 60_000, np.uint16)
    pixels[20:60, 20:60] = 8_000
    (page,) = load_all(image_bytes(Image.fromarray(pixels), fmt))
    assert page.image[5, 5] > 200  # paper
    assert page.image[40, 40] < 60  # ink


def test_a_16_bit_scan_is_made_8_bit_without_a_float_copy_of_its_pixels() -> None:
    import tracemalloc

    from extraction.load import to_gray_on_white

    image = Image.fromarray(np.full((1000, 1500), 60_000, np.uint16))
    tracemalloc.start()
    try:
        gray = to_gray_on_white(image)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert gray.mode == "L" and np.asarray(gray)[0, 0] == 60_000 >> 8
    # float64 levels and their temporaries took about 17 bytes a pixel
    assert peak < 8 * image.width * image.height
