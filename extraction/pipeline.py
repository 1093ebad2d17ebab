"""The engine's one entry point, ``extract``: its body is the pipeline's table of contents."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image

from extraction.body_cells import table_cells_read_again
from extraction.classify import classify
from extraction.comb_reading import combs_read_again
from extraction.cover_pages import cover_sheet_pages, set_aside
from extraction.digit_spacing import flag_phone_separators
from extraction.doctypes import DocumentType, document_types, get_document_type
from extraction.errors import ToolFailedError
from extraction.fields import RegionReader, extract_fields
from extraction.grain import without_grain
from extraction.header_cells import unread_header_cells, with_header_cells, without_marks_on_header_names
from extraction.labels_again import missing_fields, read_box, with_missing_labels_read_again
from extraction.layout import reading_order
from extraction.layouts import (
    LayoutMatch,
    LayoutTemplate,
    cross_check,
    in_learned_formats,
    in_learned_part_formats,
    list_fields,
    match_layout,
    option_fields,
    read_fields,
)
from extraction.load import Source, SourcePage, load_pages, read_source
from extraction.ocr import add_sparse_reading, ocr_page, read_region
from extraction.options import DEFAULT_OPTIONS, Options
from extraction.preprocess import adaptive_threshold, preprocess, rotate_quarter, scale_to_text_height
from extraction.second_look import second_look
from extraction.second_readings import better_second_readings
from extraction.shading import find_shading, made_paper
from extraction.structure import (
    PageStructure,
    find_structure,
    join_combs,
    split_at_rule_starts,
    split_at_rules,
    split_before_marks,
    trim_borders,
    with_comb_lines_joined,
    without_combs,
    without_rings,
    without_rules,
    words_outside_marks,
)
from extraction.structure.ink import ink_threshold
from extraction.types import (
    UNKNOWN_TYPE,
    ExtractionResult,
    Line,
    PageText,
    Word,
)
from extraction.unread_ink import flag_unread_words
from extraction.unread_marks import flag_unread_marks
from extraction.unread_rows import with_unread_rows
from extraction.validate import check_value, doubts_about, validate_fields


@dataclass(frozen=True)
class ReadPage:
    """A page after preprocessing and OCR: the image read, its text, its resolution."""

    image: np.ndarray
    text: PageText
    dpi: int
    structure: PageStructure
    unruled: np.ndarray
    """The page as OCR read it: rules, combs and rings painted out, shading made paper."""
    sparse: list[Word] | None = None
    """The whole page read in sparse mode, when the page's own reading needed it (print left
    unread): the document's later sparse pass takes it instead of reading the page again."""


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
    source: Source,
    *,
    doc_type: str = "auto",
    filename: str | None = None,
    options: Options | None = None,
    layouts: Sequence[LayoutTemplate] | None = None,
) -> ExtractionResult:
    """Read a document and return its type and every field with evidence.

    ``source`` is a path or the file's bytes. ``doc_type`` "auto" detects the type; a type name
    forces it. ``filename`` only improves error messages. ``layouts`` are learned layouts (see
    ``extraction.layouts``): one whose printed words fit the pages gives the type and reads each
    field where it learned it, cross-checked against the generic reading. Raises
    ``ExtractionError`` subclasses with a message a clerk can act on; nothing else escapes for
    bad input.
    """
    options = options or DEFAULT_OPTIONS
    # OpenCV's own thread pool (resizing, morphology) counts against the same share of cores as
    # tesseract's readings: left at every core, two engines reading side by side contend for them.
    cv2.setNumThreads(options.page_workers)
    forced = None if doc_type == "auto" else get_document_type(doc_type)
    started = time.perf_counter()
    timer = StageTimer()
    read = _read_pages(read_source(source), options, timer)
    images, dpis = [r.image for r in read], [r.dpi for r in read]
    pages = [_apply_structure(r.text, r.structure) for r in read]
    # A fax cover sheet in front of the document is read for nothing (extraction.cover_pages).
    covers, shown = cover_sheet_pages(pages), pages
    pages, structures = set_aside(covers, pages, [r.structure for r in read])
    with timer("layouts"):
        # A cover sheet's print is the sending clinic's, as much its form as the pages behind it.
        layout = _matching_layout(layouts, shown, forced)
    with timer("classify"):
        type_name, type_confidence = (forced.name, 1.0) if forced else classify(pages, document_types())
    if layout is not None and not forced:
        type_name, type_confidence = layout.template.document_type, max(layout.score, type_confidence)
    sparse_done = False
    if type_name == UNKNOWN_TYPE:
        # Page segmentation may have dropped the lines that tell the type: look once more.
        with timer("ocr_page"):
            sparse, sparse_done = _add_sparse_readings(read, pages, structures, options, covers), True
        if sparse != pages:  # pages the pass left as they were are classified as before
            pages = sparse
            with timer("classify"):
                type_name, type_confidence = classify(pages, document_types())
    fields = {}
    if type_name != UNKNOWN_TYPE:
        spec = get_document_type(type_name)
        reread = _region_reader(images, dpis, options)
        with timer("extract_fields"):
            fields = extract_fields(spec, pages, options.review_confidence, reread, structures)
        # A blank whose label was found (its box is the label's): page segmentation may have
        # lost the value. A field whose label is nowhere is most often not on the form at all,
        # and a second pass over the whole page for it bought nothing.
        blanks = [name for name, field in fields.items() if not field.value and field.box is not None]
        if blanks and not sparse_done:
            # A sparse pass, for those and for multi-line values that may have lost a line the
            # same way.
            with timer("ocr_page"):
                sparse = _add_sparse_readings(read, pages, structures, options, covers)
            if sparse != pages:  # pages the pass left as they were give the same fields again
                pages = sparse
                with timer("extract_fields"):
                    second = extract_fields(spec, pages, options.review_confidence, reread, structures)
                fields.update(better_second_readings(spec, fields, second))
        if missing_fields(fields):
            # Fields with no label anywhere: their labels may be among the lines read unsurely.
            with timer("second_reader"):
                fields, pages = with_missing_labels_read_again(
                    spec, fields, pages, images, structures, reread, options
                )
        if layout is not None:
            with timer("layouts"):
                learned = read_fields(layout, spec, pages, structures)
                fields = cross_check(
                    fields,
                    learned,
                    layout.printed,
                    _passes_check(spec),
                    option_fields(spec),
                    list_fields(spec),
                    layout.template.not_here,
                    _doubts(spec),
                )
                fields = in_learned_formats(fields, layout.template.formats)
        if options.second_reader:
            # After the learned layout's cross-check, which weighs two readings of the same
            # OCR words by place, the value each field settled on is read again where unsure.
            left_blank = layout.template.not_here if layout is not None else frozenset()
            with timer("second_reader"):
                fields = second_look(spec, fields, images, pages, left_blank=left_blank)
        if layout is not None:
            # After the second look, which puts a value read in parts together again its own way.
            fields = in_learned_part_formats(fields, layout.template.part_formats, spec)
        with timer("validate"):
            kinds = {f.name: f.kind for f in spec.fields}
            fields = flag_unread_marks(kinds, fields, images, pages)
            marks = [[mark.box for mark in structure.marks] for structure in structures]
            lists = {f.name for f in spec.fields if f.multiline}
            fields = flag_unread_words(kinds, fields, images, pages, marks, lists)
            fields = flag_phone_separators(kinds, fields, images, pages)
            fields = validate_fields(spec, fields)
    return ExtractionResult(
        document_type=type_name,
        type_confidence=type_confidence,
        pages=len(pages),
        dpi=dpis[0],
        fields=fields,
        seconds=time.perf_counter() - started,
        page_images=[Image.fromarray(image) for image in images],
        page_texts=[shown[index] if index in covers else page for index, page in enumerate(pages)],
        stage_seconds=dict(timer.seconds),
        page_structures=[r.structure for r in read],
        layout=layout,
        layouts_consulted=layouts is not None,
    )


def _passes_check(spec: DocumentType) -> Callable[[str, str], bool]:
    """Whether a value passes its field's check (a date reads as a date, a phone as a phone)."""

    def passes(name: str, value: str) -> bool:
        return check_value(spec.field(name), value) is None

    return passes


def _doubts(spec: DocumentType) -> Callable[[str, str], set[str]]:
    """The doubts of its field a value raises (``extraction.validate.doubts_about``)."""

    def raised(name: str, value: str) -> set[str]:
        return set(doubts_about(spec.field(name), value))

    return raised


def _matching_layout(
    layouts: Sequence[LayoutTemplate] | None, pages: list[PageText], forced: DocumentType | None
) -> LayoutMatch | None:
    """The learned layout that fits the pages (of the forced type, when a type is forced)."""
    if not layouts:
        return None
    if forced is not None:
        layouts = [layout for layout in layouts if layout.document_type == forced.name]
    return match_layout(layouts, pages)


def _add_sparse_readings(
    read: list[ReadPage],
    pages: list[PageText],
    structures: list[PageStructure],
    options: Options,
    skipped: frozenset[int] = frozenset(),
) -> list[PageText]:
    """Every page but those ``skipped`` (cover sheets) with a sparse-text pass merged in,
    ``options.page_workers`` pages at a time. Each page is read as its page pass read it
    (rules painted out), or not again when its own reading already made the sparse pass."""
    reading = [index for index in range(len(pages)) if index not in skipped]
    merged = list(pages)

    def sparse(index: int) -> PageText:
        page = read[index]
        return add_sparse_reading(page.unruled, pages[index], page.dpi, options, read=page.sparse)

    with ThreadPoolExecutor(max_workers=options.page_workers) as pool:
        for index, page in zip(reading, pool.map(sparse, reading), strict=True):
            merged[index] = _apply_structure(page, structures[index])
    return merged


def _apply_structure(page: PageText, structure: PageStructure) -> PageText:
    """The page's lines without the checkboxes OCR read as text ("[]", "O"), each cut where a
    cell's border passes, so boxed cells never bleed into each other, before the checkboxes
    that answer its words and where the line ruled for a value starts under it; the characters
    of a comb's boxes joined into one word."""
    words = [w for line in page.lines for w in line.words]
    kept = set(words_outside_marks(words, structure))
    lines = [
        Line(tuple(join_combs(run, structure)))
        for line in with_comb_lines_joined(page.lines, structure)
        for ruled in split_at_rules(trim_borders([w for w in line.words if w in kept], structure), structure)
        for marked in split_before_marks(ruled, structure)
        for run in split_at_rule_starts(marked, structure)
        if run
    ]
    lines.sort(key=reading_order)
    return replace(page, lines=tuple(lines))


def _region_reader(images: list[np.ndarray], dpis: list[int], options: Options) -> RegionReader:
    """A RegionReader over this document's page images (see extraction.fields). A spot is read
    once: the fields are read again after the sparse pass and ask for the same spots. Mode
    "option" (a ticked box's option, a grid's column header: a word or a lone character, which
    tesseract drops or misreads, "4" as "A") is read by the second reader when it is on, by
    tesseract as a "line" when it is off or the second reader reads nothing."""
    readings: dict[tuple[int, tuple[int, int, int, int], str], list[Word]] = {}

    def reread(page: int, region: tuple[int, int, int, int], mode: str) -> list[Word]:
        key = (page, tuple(region), mode)
        if key not in readings:
            try:
                second = read_box(images[page], region) if mode == "option" and options.second_reader else []
                readings[key] = second or read_region(images[page], region, dpis[page], options, mode)
            except ToolFailedError:
                # A second reading that could not be made is no reading: the page pass stands and
                # the field keeps its flag, rather than the whole document failing.
                return []
        return list(readings[key])

    return reread


def _read_pages(data: bytes, options: Options, timer: StageTimer) -> list[ReadPage]:
    """Load, preprocess and OCR every page; pages are OCR'd ``options.page_workers`` at a time
    (tesseract itself runs single-threaded, OMP_THREAD_LIMIT=1) while the next loads."""
    futures: list[Future[ReadPage]] = []
    with ThreadPoolExecutor(max_workers=options.page_workers) as pool:
        page_iter = load_pages(data, options)
        while True:
            with timer("load_pages"):
                page = next(page_iter, None)
            if page is None:
                break
            futures.append(pool.submit(_read_page, page, len(futures), options, timer))
        return [future.result() for future in futures]


def _read_page(page: SourcePage, index: int, options: Options, timer: StageTimer) -> ReadPage:
    with timer("preprocess"):
        image, report = preprocess(page.image, page.dpi)
        image, dpi, _scale = scale_to_text_height(image, page.dpi, options.text_height)
        if options.binarize == "adaptive":
            image = adaptive_threshold(image)
    with timer("structure"):
        unruled = _without_furniture(image, options)
        shading = find_shading(unruled, options.text_height)
        unruled = without_grain(made_paper(unruled, shading), report.paper, report.ink)
    with timer("ocr_page"):
        split = page.page_count == 1 and options.split_lone_page and options.page_workers > 1
        read, text = ocr_page(unruled, index, dpi, options, split=split)
        text, sparse = with_unread_rows(read, text, dpi, options)
        turned = read is not unruled
        if turned:
            image = _turned_like(image, unruled, read)
    with timer("structure"):
        if turned:  # the shading was found on the page as it came
            shading = find_shading(image, options.text_height)
        shades = shading.boxes if shading is not None else ()
        # The combs are looked for again at the text height the words measure: the search before
        # OCR, at the height the page was scaled to, may take a worn page's strokes for one.
        structure = find_structure(image, text.words, shades)
    headers = unread_header_cells(structure, text)
    if headers:
        with timer("ocr_page"):
            named = with_header_cells(text, headers, lambda box: read_region(read, box, dpi, options, "line"))
        if named is not text:
            text = named
            with timer("structure"):
                structure = find_structure(image, text.words, shades)
    structure = without_marks_on_header_names(structure, text)
    if options.second_reader:
        with timer("second_reader"):
            again = table_cells_read_again(read, text, structure, dpi, options)
        if again is not text:
            text = again
            with timer("structure"):
                structure = find_structure(image, text.words, shades)
    if structure.combs:
        with timer("ocr_page"):
            text = combs_read_again(read, text, structure.combs, dpi, options)
    return ReadPage(image, text, dpi, structure, unruled=read, sparse=sparse)


def _without_furniture(image: np.ndarray, options: Options) -> np.ndarray:
    """The page with its combs' walls and its tables' rules (when ``options.erase_rules``) and
    the rings round circled words painted out, for OCR.

    Each step measures the page's ink threshold; a step that finds nothing to paint hands the
    page on unchanged (the same array), and the next takes the threshold already measured.
    """
    threshold = ink_threshold(image) if image.size else None
    unruled = image
    if options.erase_rules:
        # Combs first: their walls are found standing on their lines, which without_rules erases.
        unruled = without_combs(image, options.text_height, threshold)
        unruled = without_rules(unruled, options.text_height, threshold if unruled is image else None)
    return without_rings(unruled, options.text_height, threshold if unruled is image else None)


def _turned_like(image: np.ndarray, before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """``image`` turned as OCR turned ``before`` into ``after`` (a page scanned sideways), so
    structure is found, with its rules, on the page as read."""
    for turn in (90, 180, 270):
        if np.array_equal(rotate_quarter(before, turn), after):
            return rotate_quarter(image, turn)
    return after
