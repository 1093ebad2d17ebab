"""The engine's one entry point, ``extract``: its body is the pipeline's table of contents."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
from PIL import Image

from extraction.classify import classify
from extraction.doctypes import document_types, get_document_type
from extraction.fields import extract_fields
from extraction.load import Source, SourcePage, load_pages, read_source
from extraction.ocr import ocr_page, read_region
from extraction.options import DEFAULT_OPTIONS, Options
from extraction.preprocess import preprocess
from extraction.types import UNKNOWN_TYPE, ExtractionResult, PageText
from extraction.validate import validate_fields

# Two pages at a time: tesseract runs single-threaded (OMP_THREAD_LIMIT=1), so a second page
# uses the second core instead of OpenMP threads contending on one page.
PAGE_WORKERS = 2


class StageTimer:
    """Adds up wall-clock seconds per stage, for the speed benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - started


def extract(
    source: Source, *, doc_type: str = "auto", filename: str | None = None, options: Options | None = None
) -> ExtractionResult:
    """Read a document and return its type and every field with evidence.

    ``source`` is a path or the file's bytes. ``doc_type`` "auto" detects the type; a type name
    forces it. ``filename`` only improves error messages. Raises ``ExtractionError`` subclasses
    with a message a clerk can act on; nothing else escapes for bad input.
    """
    options = options or DEFAULT_OPTIONS
    forced = None if doc_type == "auto" else get_document_type(doc_type)
    started = time.perf_counter()
    timer = StageTimer()
    data = read_source(source)
    pages, images, dpi = _read_pages(data, options, timer)
    with timer("classify"):
        type_name, type_confidence = (forced.name, 1.0) if forced else classify(pages, document_types())
    fields = {}
    if type_name != UNKNOWN_TYPE:
        spec = get_document_type(type_name)
        with timer("extract_fields"):
            fields = extract_fields(
                spec, pages, options.review_confidence, _region_reader(images, dpi, options)
            )
        with timer("validate"):
            fields = validate_fields(spec, fields)
    return ExtractionResult(
        document_type=type_name,
        type_confidence=type_confidence,
        pages=len(pages),
        dpi=dpi,
        fields=fields,
        seconds=time.perf_counter() - started,
        page_images=[Image.fromarray(image) for image in images],
        page_texts=pages,
        stage_seconds=dict(timer.seconds),
    )


def _region_reader(images: list[np.ndarray], dpi: int, options: Options):  # type: ignore[no-untyped-def]
    """A RegionReader over this document's page images (see extraction.fields)."""

    def reread(page: int, region: tuple[int, int, int, int]) -> list:  # type: ignore[type-arg]
        return read_region(images[page], region, dpi, options)

    return reread


def _read_pages(
    data: bytes, options: Options, timer: StageTimer
) -> tuple[list[PageText], list[np.ndarray], int]:
    """Load, preprocess and OCR every page; pages are OCR'd two at a time while the next loads."""
    futures: list[Future[tuple[np.ndarray, PageText]]] = []
    dpi = options.dpi
    with ThreadPoolExecutor(max_workers=PAGE_WORKERS) as pool:
        page_iter = load_pages(data, options)
        index = 0
        while True:
            with timer("load_pages"):
                page = next(page_iter, None)
            if page is None:
                break
            dpi = page.dpi if index == 0 else dpi
            futures.append(pool.submit(_read_page, page, index, options, timer))
            index += 1
        results = [future.result() for future in futures]
    return [text for _, text in results], [image for image, _ in results], dpi


def _read_page(
    page: SourcePage, index: int, options: Options, timer: StageTimer
) -> tuple[np.ndarray, PageText]:
    with timer("preprocess"):
        image, _report = preprocess(page.image, page.dpi)
    with timer("ocr_page"):
        return ocr_page(image, index, page.dpi, options)
