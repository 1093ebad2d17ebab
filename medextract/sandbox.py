"""Run the engine on one document in a child process with a time and memory budget.

A hostile or broken file must never hold a worker for minutes, fill the server's memory, or take
the process that claimed it down with it (when that process is the web app, every clerk's
session). So the engine never runs in the worker's own process: a :class:`Sandbox` keeps one
child process (``python -m medextract.sandbox``) that reads documents one at a time. The child
limits its own address space (``RLIMIT_AS``, inherited by tesseract and poppler), and the parent
kills it when a document takes longer than its budget, or when it is asked to stop (its lease was
lost, the worker is shutting down). A killed child is replaced for the next document. The child
also dies with the process that started it (``PR_SET_PDEATHSIG``), so a killed worker leaves no
orphan reading on. The child runs at a lower CPU priority than the server (``medextract.priority``,
MEDEXTRACT_ENGINE_NICE): a clerk's rerun comes before background reading.

The child encodes the page images too, so the parent receives exactly what is stored. For the
HTTP API's ``POST /v1/extract`` (a file in, fields out, nothing stored) it returns the engine's
result itself, without page images (:meth:`Sandbox.preview`); a :class:`SandboxPool` keeps a few
sandboxes for the request threads to share. A worker also learns layouts in it: a verified
document is read again and its form learned there (:meth:`Sandbox.learn`, ``medextract.learning``).
The child reads with the learned layouts in the folder it is told (``medextract.layouts``, parsed
once per file and kept).

Every child is started by one long-lived thread of this process: ``PR_SET_PDEATHSIG`` fires when
the *thread* that forked the child ends, and a request thread of a web server's pool may end while
another thread is still using the child it started.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import queue
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, NoReturn

from medextract.config import positive_number
from medextract.cores import CoreShare
from medextract.priority import yield_to_interactive

DOC_TIMEOUT_ENV = "MEDEXTRACT_DOC_TIMEOUT"
DEFAULT_DOC_TIMEOUT = 180.0
DOC_MEMORY_ENV = "MEDEXTRACT_DOC_MEMORY_MB"
DEFAULT_DOC_MEMORY_MB = 2048
POLL_SECONDS = 0.1
START_TIMEOUT = 60.0  # importing the engine (OpenCV, pandas) on a busy machine

# Failure kinds (the metrics' label, the log's word)
TIMEOUT = "timeout"
MEMORY = "memory"
CRASHED = "crashed"
ENGINE = "engine"  # the engine's own error, with a message meant for a clerk
UNEXPECTED = "unexpected"

# What the child sends back for a document: the stored output (page images encoded) or the result
STORE = "store"
PREVIEW = "preview"
LEARN = "learn"  # a layout learned from a verified document (medextract.learning)


@dataclass(frozen=True)
class Budget:
    """The most one document may take: seconds of wall time and megabytes of address space."""

    seconds: float
    memory_mb: int

    @classmethod
    def from_env(cls) -> Budget:
        """MEDEXTRACT_DOC_TIMEOUT (default 180 s) and MEDEXTRACT_DOC_MEMORY_MB (default 2048)."""
        return cls(
            seconds=positive_number(DOC_TIMEOUT_ENV, DEFAULT_DOC_TIMEOUT),
            memory_mb=int(positive_number(DOC_MEMORY_ENV, DEFAULT_DOC_MEMORY_MB)),
        )


class ExtractionFailed(Exception):
    """The document could not be read; ``message`` is for a clerk, ``kind`` for the metrics.

    ``error`` names the engine's exception class when ``kind`` is ENGINE (``DocumentTooLargeError``),
    so that a caller can tell the engine's cases apart as it would in-process.
    """

    def __init__(self, message: str, kind: str, error: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.error = error


class Cancelled(Exception):
    """The caller asked the sandbox to stop this document (lease lost, shutting down)."""


@dataclass(frozen=True)
class Reading:
    """What the child returns for one document: the stored output and the engine's stage times."""

    output: Any  # medextract.services.jobs.EngineOutput
    stage_seconds: dict[str, float]


class Sandbox:
    """One child process that extracts documents one at a time; not thread-safe (one per slot).

    ``engine`` is ``module:function`` (default: the engine with the limits from the environment).
    """

    def __init__(self, engine: str | None = None, budget: Budget | None = None) -> None:
        self.engine = engine or ""
        self.budget = budget or Budget.from_env()
        self._process: subprocess.Popen[bytes] | None = None
        self._send: Connection | None = None
        self._recv: Connection | None = None

    def read(
        self,
        content: bytes,
        *,
        doc_type: str,
        filename: str,
        cancel: threading.Event | None = None,
        layouts: str | None = None,
        page_workers: int | None = None,
    ) -> Reading:
        """Extract one document (with the learned layouts in the folder ``layouts``, if any, and
        ``page_workers`` engine threads, default the engine's); ExtractionFailed when it cannot,
        Cancelled when ``cancel`` is set."""
        request = {"layouts": layouts, "page_workers": page_workers}
        return self._answer(self._exchange((content, doc_type, filename, STORE, request), cancel))

    def learn(
        self, content: bytes, *, doc_type: str, filename: str, request: dict[str, Any]
    ) -> dict[str, Any]:
        """Read a verified document again and learn its form (``medextract.learning.read_and_learn``);
        ExtractionFailed when it cannot be read."""
        return self._answer(self._exchange((content, doc_type, filename, LEARN, request), None)).output  # type: ignore[no-any-return]

    def preview(
        self,
        content: bytes,
        *,
        doc_type: str,
        filename: str,
        layouts: str | None = None,
        page_workers: int | None = None,
    ) -> Any:
        """The engine's result for one document (``extraction.ExtractionResult``, read as
        :meth:`read` reads) without its page images: what ``POST /v1/extract`` answers.
        ExtractionFailed when it cannot be read."""
        request = {"layouts": layouts, "page_workers": page_workers}
        return self._answer(self._exchange((content, doc_type, filename, PREVIEW, request), None)).output

    def _exchange(self, request: tuple[Any, ...], cancel: threading.Event | None) -> tuple[Any, ...]:
        """Send one document to the child and wait for its reply within the time budget."""
        self._start()
        assert self._send is not None and self._recv is not None
        try:
            self._send.send(request)
        except OSError:
            self._died()
        deadline = time.monotonic() + self.budget.seconds
        while True:
            if cancel is not None and cancel.is_set():
                self.close()
                raise Cancelled
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.close()
                raise ExtractionFailed(
                    f"Reading this document took longer than {self.budget.seconds:g} s and was stopped"
                    " (a very large or damaged file?). Check the file, then extract it again.",
                    TIMEOUT,
                )
            try:
                if not self._recv.poll(min(POLL_SECONDS, remaining)):
                    continue
                return self._recv.recv()  # type: ignore[no-any-return]
            except (EOFError, OSError):
                self._died()

    def _answer(self, reply: tuple[Any, ...]) -> Reading:
        status = reply[0]
        if status == "ok":
            return Reading(reply[1], reply[2])
        if status == MEMORY:
            raise ExtractionFailed(self._memory_message(), MEMORY)
        raise ExtractionFailed(reply[1], status, reply[2] if len(reply) > 2 else "")

    def _died(self) -> NoReturn:
        """The child ended mid-document: out of memory (killed by the kernel or an abort) or a crash."""
        process = self._process
        code = process.wait(5) if process is not None else None
        self.close()
        if code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS):
            raise ExtractionFailed(self._memory_message(), MEMORY)
        raise ExtractionFailed(
            f"The engine stopped unexpectedly while reading this document (exit {code}).", CRASHED
        )

    def _memory_message(self) -> str:
        return (
            f"Reading this document needed more than {self.budget.memory_mb} MB of memory and was"
            " stopped (too many or too large pages?). Check the file, then extract it again."
        )

    def start(self) -> None:
        """Start the child now (importing the engine takes a second or two), not at the first document."""
        self._start()

    def _start(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self.close()
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        command = [
            sys.executable,
            "-m",
            "medextract.sandbox",
            str(request_read),
            str(reply_write),
            str(os.getpid()),
            str(self.budget.memory_mb),
            self.engine,
        ]
        try:
            # Its own process group: a kill reaches the tesseract or poppler it is waiting for too.
            spawn = _spawner().submit(
                subprocess.Popen,
                command,
                pass_fds=(request_read, reply_write),
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            self._process = spawn.result()
        finally:
            os.close(request_read)
            os.close(reply_write)
        self._send = Connection(request_write, readable=False)
        self._recv = Connection(reply_read, writable=False)
        # The child says "ready" once the engine is imported: its start is not the document's time.
        if not self._recv.poll(START_TIMEOUT):
            self.close()
            raise ExtractionFailed("The engine did not start in time; the worker will try again.", CRASHED)
        try:
            ready = self._recv.recv()
        except (EOFError, OSError):
            ready = ("error", "the engine could not start")
        if ready[0] != "ready":
            self.close()
            raise ExtractionFailed(f"The engine could not start: {ready[1]}", CRASHED)

    def close(self) -> None:
        """Kill the child (if any); the next document starts a new one."""
        for connection in (self._send, self._recv):
            if connection is not None:
                connection.close()
        self._send = self._recv = None
        if self._process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
            self._process = None


class SandboxPool:
    """``slots`` sandboxes shared by the threads of a server: a read waits for a free one.

    Each child starts at its first document (importing the engine takes a second or two) and is
    kept for the next; ``close`` stops them all.
    """

    def __init__(self, slots: int, *, engine: str | None = None, budget: Budget | None = None) -> None:
        self.budget = budget or Budget.from_env()
        self._all = [Sandbox(engine, self.budget) for _ in range(max(1, slots))]
        self._cores = CoreShare()
        self._free: queue.Queue[Sandbox] = queue.Queue()
        for box in self._all:
            self._free.put(box)

    def preview(self, content: bytes, *, doc_type: str, filename: str, layouts: str | None = None) -> Any:
        """:meth:`Sandbox.preview` in the next free sandbox."""
        box = self._free.get()
        try:
            with self._cores.reading() as page_workers:
                return box.preview(
                    content, doc_type=doc_type, filename=filename, layouts=layouts, page_workers=page_workers
                )
        finally:
            self._free.put(box)

    def close(self) -> None:
        """Stop every child (a read in progress fails as crashed); a later read starts a new one."""
        for box in self._all:
            box.close()


_SPAWNER: ThreadPoolExecutor | None = None
_SPAWNER_LOCK = threading.Lock()


def _spawner() -> ThreadPoolExecutor:
    """The one thread that starts every child: it lives as long as this process, so a child dies
    with the process (PR_SET_PDEATHSIG) and never with a short-lived thread that asked for it."""
    global _SPAWNER
    with _SPAWNER_LOCK:
        if _SPAWNER is None:
            _SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="medextract-sandbox")
        return _SPAWNER


# ---- the child: python -m medextract.sandbox REQUEST_FD REPLY_FD PARENT_PID MEMORY_MB [ENGINE] ----


def _die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this process when the thread that started it ends (its worker was killed)."""
    libc_name = ctypes.util.find_library("c")
    if libc_name and sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(libc_name, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl: nobody waits for us
        os._exit(1)


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _load_engine(spec: str) -> tuple[Callable[..., Any], tuple[type[BaseException], ...]]:
    from medextract import engine_runner

    if spec:
        return engine_runner.load_engine(spec), engine_runner.default_engine_errors()
    return engine_runner.default_extract(), engine_runner.default_engine_errors()


def _serve(requests: Connection, replies: Connection, spec: str) -> None:
    from medextract.engine_runner import to_output
    from medextract.layouts import extract_kwargs
    from medextract.learning import read_and_learn

    try:
        extract_fn, engine_errors = _load_engine(spec)
    except Exception as exc:
        replies.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    replies.send(("ready",))
    while True:
        try:
            content, doc_type, filename, mode, *more = requests.recv()
        except (EOFError, OSError):
            return  # the parent closed the pipe: done
        options = more[0] if more else {}
        try:
            if mode == LEARN:
                learned = read_and_learn(
                    extract_fn, content, doc_type=doc_type, filename=filename, request=options
                )
                reply: tuple[Any, ...] = ("ok", learned, {})
            else:
                kwargs = extract_kwargs(options.get("layouts"))  # parsed once per file, kept here
                if options.get("page_workers"):  # else a stand-in engine is called as before
                    kwargs["page_workers"] = options["page_workers"]
                result = extract_fn(content, doc_type=doc_type, filename=filename, **kwargs)
                stages = dict(getattr(result, "stage_seconds", None) or {})
                output = _without_pages(result) if mode == PREVIEW else to_output(result)
                reply = ("ok", output, stages)
        except MemoryError:
            reply = (MEMORY,)
        except engine_errors as exc:
            reply = (ENGINE, str(exc) or type(exc).__name__, type(exc).__name__)
        except Exception as exc:  # a bug or a broken file: one document fails, the child goes on
            reply = (UNEXPECTED, f"Unexpected error: {type(exc).__name__}: {exc}")
        del content
        replies.send(reply)


def _without_pages(result: Any) -> Any:
    """The engine's result as the API answers it: its page images stay here."""
    if hasattr(result, "page_images"):
        result.page_images = []
    return result


def main(argv: list[str]) -> int:
    request_fd, reply_fd, parent, memory_mb = (int(value) for value in argv[:4])
    spec = argv[4] if len(argv) > 4 else ""
    _die_with_parent(parent)
    # Before the engine starts a thread or a tool: they inherit it (medextract.priority).
    yield_to_interactive()
    # The engine's own output never reaches the protocol: stdout is the parent's log.
    _limit_memory(memory_mb)
    requests = Connection(request_fd, writable=False)
    replies = Connection(reply_fd, readable=False)
    _serve(requests, replies, spec)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
