"""The engine as the worker runs it: its options from the environment, a reading turned into what
is stored, and the runner a document is read by (the sandbox, or the engine in this process for
tests' fakes).

Split from the worker (``medextract.processing``, ``medextract.pool``) so that the job loop and the
pool read apart from the engine's side; ``medextract.sandbox``'s child uses the same options and
conversion.
"""

from __future__ import annotations

import importlib
import io
import os
import threading
from collections.abc import Callable
from typing import Any

from medextract import layouts as learned_layouts
from medextract import sandbox
from medextract.sandbox import ExtractionFailed, Reading, Sandbox
from medextract.services.jobs import EngineField, EngineOutput, EnginePage

ExtractFn = Callable[..., Any]


def env_limit(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def engine_options(page_workers: int | None = None) -> Any:
    """The engine's Options with the limits read from the environment now, not at import time,
    and ``page_workers`` engine threads (default the engine's).

    MEDEXTRACT_MAX_PAGES and MEDEXTRACT_MAX_PAGE_PIXELS apply to the next document without a
    restart (the engine's own defaults are fixed when it is first imported).
    """
    from dataclasses import replace

    from extraction import DEFAULT_OPTIONS

    return replace(
        DEFAULT_OPTIONS,
        max_pages=env_limit("MEDEXTRACT_MAX_PAGES", DEFAULT_OPTIONS.max_pages),
        max_page_pixels=env_limit("MEDEXTRACT_MAX_PAGE_PIXELS", DEFAULT_OPTIONS.max_page_pixels),
        page_workers=page_workers or DEFAULT_OPTIONS.page_workers,
    )


def default_extract() -> ExtractFn:
    from extraction import extract  # lazily: medextract imports without the engine

    def extract_with_limits(source: Any, *, page_workers: int | None = None, **kwargs: Any) -> Any:
        options = kwargs.pop("options", None) or engine_options(page_workers)
        return extract(source, options=options, **kwargs)

    return extract_with_limits


def default_engine_errors() -> tuple[type[BaseException], ...]:
    try:
        from extraction import ExtractionError
    except ImportError:
        return ()
    return (ExtractionError,)


def encode_page(image: Any) -> EnginePage:
    """A PIL page image as PNG (lossless: boxes and small print stay exact).

    Compression level 1: 4x faster than the default on a phone photo's page (0.08 s vs 0.35 s)
    for 15 % more bytes, and this runs between OCR and the clerk seeing the fields.
    """
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return EnginePage(
        width=int(image.width), height=int(image.height), media_type="image/png", data=out.getvalue()
    )


def _text(value: Any) -> str:
    """Text as the database takes it: PostgreSQL refuses NUL characters, which OCR can produce."""
    return str(value or "").replace("\x00", "")


def to_output(result: Any) -> EngineOutput:
    """The parts of an engine result that are stored (any object with the result's attributes)."""
    fields = [
        EngineField(
            name=name,
            value=_text(f.value),
            confidence=float(f.confidence),
            needs_review=bool(f.needs_review),
            reason=_text(f.reason) or None,
            page=int(f.page or 0),
            box=tuple(int(v) for v in f.box) if f.box else None,  # type: ignore[arg-type]
        )
        for name, f in result.fields.items()
    ]
    layout = getattr(result, "layout", None)  # the learned layout it was read with (issue 10)
    return EngineOutput(
        doc_type=_text(result.document_type),
        type_confidence=float(result.type_confidence),
        pages=int(result.pages),
        fields=fields,
        page_images=[encode_page(image) for image in result.page_images],
        layout_id=str(layout.template.id) if layout is not None else None,
        layout_match=round(float(layout.score), 3) if layout is not None else None,
    )


class InProcess:
    """Runs an engine callable in this process (tests' fakes; no budget): a Sandbox's interface."""

    def __init__(self, extract_fn: ExtractFn, engine_errors: tuple[type[BaseException], ...]) -> None:
        self.extract_fn = extract_fn
        self.engine_errors = engine_errors

    def start(self) -> None:
        """Nothing to start."""

    def read(
        self,
        content: bytes,
        *,
        doc_type: str,
        filename: str,
        cancel: threading.Event | None = None,
        layouts: str | None = None,
        page_workers: int | None = None,  # a fake in this process takes no engine threads
    ) -> Reading:
        try:
            kwargs = learned_layouts.extract_kwargs(layouts)
            result = self.extract_fn(content, doc_type=doc_type, filename=filename, **kwargs)
            output = to_output(result)  # PNG encoding too stays outside the transaction
        except self.engine_errors as exc:
            raise ExtractionFailed(str(exc) or type(exc).__name__, sandbox.ENGINE) from exc
        except Exception as exc:  # a bug or a broken file must not stop the queue
            message = f"Unexpected error: {type(exc).__name__}: {exc}"
            raise ExtractionFailed(message, sandbox.UNEXPECTED) from exc
        return Reading(output, dict(getattr(result, "stage_seconds", None) or {}))

    def learn(
        self, content: bytes, *, doc_type: str, filename: str, request: dict[str, Any]
    ) -> dict[str, Any]:
        from medextract.learning import read_and_learn

        try:
            return read_and_learn(
                self.extract_fn, content, doc_type=doc_type, filename=filename, request=request
            )
        except self.engine_errors as exc:
            raise ExtractionFailed(str(exc) or type(exc).__name__, sandbox.ENGINE) from exc
        except Exception as exc:
            message = f"Unexpected error: {type(exc).__name__}: {exc}"
            raise ExtractionFailed(message, sandbox.UNEXPECTED) from exc

    def close(self) -> None:
        """Nothing to stop."""


Runner = InProcess | Sandbox


def make_runner(
    extract_fn: ExtractFn | None, engine_errors: tuple[type[BaseException], ...] | None
) -> Runner:
    """The engine callable in this process when one is given (tests), else the sandboxed engine."""
    if extract_fn is None:
        return Sandbox()
    return InProcess(extract_fn, default_engine_errors() if engine_errors is None else engine_errors)


def load_engine(spec: str) -> ExtractFn:
    """``module:function`` -> that callable (the engine to run; tests pass a fake, slow one)."""
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"--engine must look like module:function, got {spec!r}")
    function = getattr(importlib.import_module(module_name), attribute)
    if not callable(function):
        raise ValueError(f"{spec} is not callable")
    return function  # type: ignore[no-any-return]
