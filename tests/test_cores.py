"""Engine threads per document: a process's cores shared among the documents it reads at once,
handed from the worker pool and the procrastinate task to the engine's Options."""

from __future__ import annotations

import queue
from types import SimpleNamespace
from typing import Any

import pytest

from medextract import engine_runner, tasks
from medextract.cores import CoreShare
from medextract.pool import Pool
from medextract.services import upload
from medextract.services.context import Context
from tests.test_store_support import FakeEngine, make_result


class RecordingRunner(engine_runner.InProcess):
    """A runner in this process that notes the engine threads each read is given."""

    def __init__(self) -> None:
        super().__init__(FakeEngine(make_result("prescription")), ())
        self.page_workers: list[int | None] = []

    def read(self, content: bytes, *, page_workers: int | None = None, **kwargs: Any) -> Any:  # type: ignore[override]
        self.page_workers.append(page_workers)
        return super().read(content, **kwargs)


def test_each_document_read_at_once_gets_its_share_of_the_cores() -> None:
    share = CoreShare(cores=4)
    with share.reading() as first:
        with share.reading() as second, share.reading() as third:
            assert (first, second, third) == (4, 2, 1)
        with share.reading() as after:
            assert after == 2  # two documents are being read again
    with share.reading() as alone:
        assert alone == 4


def test_a_full_pool_gives_each_document_one_core() -> None:
    share = CoreShare(cores=2)
    with share.reading() as first, share.reading() as second, share.reading() as third:
        assert (first, second, third) == (2, 1, 1)


def test_the_pool_passes_its_share_to_the_engine(ctx: Context) -> None:
    upload.add_upload(ctx, "a.png", b"a", uploader="uma")
    runner = RecordingRunner()
    pool = Pool(ctx, slots=1, make=lambda: runner, once=True, cores=CoreShare(cores=3))
    assert pool.start().join(30)
    assert runner.page_workers == [3]  # alone, the document is read on every core


def test_the_procrastinate_task_passes_its_share_to_the_engine(ctx: Context) -> None:
    doc_id = upload.add_upload(ctx, "a.png", b"a", uploader="uma").document_id
    runner = RecordingRunner()
    runners: queue.Queue[engine_runner.Runner] = queue.Queue()
    runners.put(runner)
    state = tasks.WorkerState(ctx, runners, cores=CoreShare(cores=2))
    busy = state.cores.reading()
    busy.__enter__()  # another job of this worker is being read
    try:
        tasks.extract_document(SimpleNamespace(additional_context={tasks.STATE: state}), doc_id)  # type: ignore[arg-type]
    finally:
        busy.__exit__(None, None, None)
    assert runner.page_workers == [1]


def test_the_default_engine_reads_with_the_threads_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    import extraction

    seen: list[Any] = []
    monkeypatch.setattr(extraction, "extract", lambda source, **kwargs: seen.append(kwargs["options"]))
    monkeypatch.setenv("MEDEXTRACT_MAX_PAGES", "7")
    engine = engine_runner.default_extract()
    engine(b"x", doc_type="auto", filename="f.png", page_workers=1)
    engine(b"x", doc_type="auto", filename="f.png")
    assert [options.page_workers for options in seen] == [1, extraction.DEFAULT_OPTIONS.page_workers]
    assert seen[0].max_pages == 7  # the limits from the environment still apply
