"""How much a review costs the clerk: actions (keys and clicks) and server time per action.

A real `streamlit run` on a fresh SQLite database, driven by headless Chromium. The documents are
extracted by the tests' fake engine (no OCR), so what each one holds is known:

- ``correct``: every field right, nothing flagged; the clerk verifies (Alt+V, Verify & next).
- ``flagged_right``: refills flagged but right; Ctrl+Enter confirms it (the field opens focused).
- ``flagged_wrong``: refills flagged and wrong; Ctrl+A, the right value typed, Ctrl+Enter.
- ``unflagged_wrong``: the patient's name wrong and not flagged; a click on the field, Ctrl+A,
  the right value typed; Alt+V commits it with the verify.

Actions are key presses and clicks, the characters typed into a correction not counted; each
document's Verify & next is counted apart from its field's confirm or correction. Server time per
action: the seconds of the script runs it caused, timed in the app's process (a sitecustomize the
benchmark loads into it only); beside it the round trip, from the first rerun request the browser
sends after the action to the last "script finished" it receives (read off the app's websocket in
the page), and the wall time from the key press to the page settled. Next document: from Alt+V to
the next document's title and fields shown. Checked at 1440x900 and 1280x720, ``--rounds``
times the four documents each.

``--gc off|on`` sets Streamlit's ``runner.postScriptGC`` for the app (STREAMLIT_RUNNER_POST_SCRIPT_GC);
``--gc both`` starts two apps, off and on, each on its own copy of the documents, and drives them
alternately, one viewport's session each (off then on at the first viewport, on then off at the
second), so the two are compared under the same load. ``--rss N`` prints each app server's memory
(VmRSS, and its peak VmHWM, from /proc/PID/status) at the start, every N script runs, and at the
end, with a side-by-side summary.

Usage, from the repository's root:
``python -m benchmarks.review_effort [--rounds N] [--profile F] [--gc both] [--rss N]``
(``-m`` puts the root on the path, for the tests' helpers). Needs Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from medextract.services import accounts
from medextract.services.context import Context
from tests.app_support import PRESCRIPTION, fake_extract, seed
from tests.test_e2e_browser import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app
from tests.test_e2e_review import PASSWORD, USER, field_input, log_in
from tests.test_store_support import FAST_HASHER, SYSTEM

VIEWPORTS = [(1440, 900), (1280, 720)]
SCENARIOS = ["correct", "flagged_right", "flagged_wrong", "unflagged_wrong"]
SERVER_TARGET = 0.2  # s, median per action
NEXT_TARGET = 0.5  # s, Verify & next -> next document shown
QUIET_MS = 250  # no websocket traffic for this long, and no script running: the page has settled
WAIT_MS = 30_000

# Records every websocket frame with the page's clock; frames are decoded in Python afterwards.
# Messages from the server are kept only when small (a "script finished" is a few dozen bytes).
WS_PROBE = """
(() => {
  const Native = window.WebSocket;
  const log = (window.__mxWs = []);
  const b64 = (data) => {
    const bytes = new Uint8Array(data);
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const data = event.data;
        const small = data.byteLength !== undefined && data.byteLength < 512;
        log.push({ t: performance.now(), dir: "in", data: small ? b64(data) : null });
      });
    }
    send(data) {
      const view = ArrayBuffer.isView(data) ? data : null;
      const end = view ? view.byteOffset + view.byteLength : 0;
      const copy = view ? view.buffer.slice(view.byteOffset, end) : null;
      const buffer = data instanceof ArrayBuffer ? data : copy;
      log.push({ t: performance.now(), dir: "out", data: buffer ? b64(buffer) : null });
      super.send(data);
    }
  };
})();
"""

# Truth: the right values; what the fake engine read, and which fields it flagged, per scenario.
READ = {
    "correct": ({}, {}),
    "flagged_right": ({}, {"refills": "low OCR confidence"}),
    "flagged_wrong": ({"refills": "8"}, {"refills": "low OCR confidence"}),
    "unflagged_wrong": ({"patient_name": "John Smlth"}, {}),
}


# Loaded by the app's Python at start (sitecustomize): logs each script run's end, duration and
# whether postScriptGC was on (the server's own time, read apart from the websocket figure, which
# adds transport and the browser), and the CPU seconds of the script's thread in the run.
RUN_TIMER = """
import cProfile, os, time
from streamlit import config as _config
from streamlit.runtime.scriptrunner import script_runner as _sr

_log = os.environ["MX_RUN_LOG"]
_profile_to = os.environ.get("MX_PROFILE")
_profile = cProfile.Profile() if _profile_to else None
_run = _sr.ScriptRunner._run_script


def _timed(self, rerun_data):
    started = time.perf_counter()
    cpu = time.thread_time()  # the script thread's own CPU: what the run cost, whatever the load
    if _profile:
        _profile.enable()
    try:
        return _run(self, rerun_data)
    finally:
        if _profile:
            _profile.disable()
            _profile.dump_stats(_profile_to)
        with open(_log, "a") as out:
            gc = int(bool(_config.get_option("runner.postScriptGC")))  # as the run saw it
            wall = time.perf_counter() - started
            out.write(f"{time.time():.6f} {wall:.6f} {gc} {time.thread_time() - cpu:.6f}\\n")


_sr.ScriptRunner._run_script = _timed
"""


@dataclass
class Action:
    scenario: str
    what: str  # "field" (confirm or correction) or "verify"
    keys: str
    wall: float
    server: float
    script: float  # the script runs' own seconds, summed, as the server timed them


@dataclass
class Run:
    viewport: tuple[int, int]
    actions: list[Action] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # scenario -> what -> actions
    typed: dict[str, int] = field(default_factory=dict)  # scenario -> characters typed
    next_shown: list[float] = field(default_factory=list)


def seed_documents(data: Path, rounds: int) -> dict[tuple[int, int], list[list[tuple[str, int]]]]:
    """Per viewport, per round, the four documents (scenario, id) in queue order."""
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}", hasher=FAST_HASHER)
    plan: dict[tuple[int, int], list[list[tuple[str, int]]]] = {}
    try:
        for viewport in VIEWPORTS:
            plan[viewport] = []
            for round_ in range(rounds):
                docs = []
                for scenario in SCENARIOS:
                    values, flagged = READ[scenario]
                    name = f"d{len(plan) * 1000 + round_ * 10 + len(docs)}"  # drawn in a 64 px PNG; 99 rounds
                    extract = fake_extract({**PRESCRIPTION, **values}, flagged=flagged)
                    (doc_id,) = seed(ctx, 1, name=name, extract_fn=extract)
                    docs.append((scenario, doc_id))
                plan[viewport].append(docs)
        accounts.set_password(ctx, USER, PASSWORD, by=SYSTEM)
    finally:
        ctx.close()
    return plan


class Clerk:
    """Presses keys and clicks in the page, counting them and timing what the server does."""

    def __init__(self, page: Any, run: Run, run_log: Path) -> None:
        self.page = page
        self.run = run
        self.run_log = run_log

    def script_time(self, start: float, end: float) -> float:
        """Seconds of script runs that ended between two wall-clock times."""
        total = 0.0
        for line in self.run_log.read_text().splitlines() if self.run_log.exists() else []:
            ended, seconds = map(float, line.split()[:2])
            if start <= ended <= end:
                total += seconds
        return total

    def now(self) -> float:
        return float(self.page.evaluate("performance.now()"))

    def settle(self, since: float) -> None:
        """Wait until a rerun asked for after ``since`` has finished and the page is quiet."""
        self.page.wait_for_function(
            """([since, quiet]) => {
                const log = window.__mxWs || [];
                const last = log.length ? log[log.length - 1].t : 0;
                const running = document.querySelector('[data-testid="stStatusWidget"]');
                return !running && performance.now() - Math.max(last, since) > quiet;
            }""",
            arg=[since, QUIET_MS],
            polling=50,
            timeout=WAIT_MS,
        )

    def server_time(self, since: float) -> float:
        """Seconds from the first rerun request after ``since`` to the last script finished."""
        started = finished = None
        for frame in self.page.evaluate("(since) => window.__mxWs.filter((f) => f.t >= since)", since):
            if frame["data"] is None:
                continue
            raw = base64.b64decode(frame["data"])
            if frame["dir"] == "out":
                message = BackMsg.FromString(raw)
                if message.WhichOneof("type") == "rerun_script" and started is None:
                    started = frame["t"]
            else:
                message = ForwardMsg.FromString(raw)
                if message.WhichOneof("type") == "script_finished":
                    finished = frame["t"]
        if started is None or finished is None or finished < started:
            return 0.0  # no rerun: nothing asked of the server
        return (finished - started) / 1000

    def act(self, scenario: str, what: str, keys: str, do: Any, *, then: Any = None) -> float:
        """One action (``do``); waits for ``then`` (a JS condition) and the page to settle."""
        wall0 = time.time()
        t0 = self.now()
        do()
        if then:
            self.page.wait_for_function(then, polling="raf", timeout=WAIT_MS)
        self.settle(t0)
        wall = (self.now() - t0 - QUIET_MS) / 1000
        server = self.server_time(t0)
        script = self.script_time(wall0, time.time())
        self.run.actions.append(Action(scenario, what, keys, max(wall, server), server, script))
        self.run.counts.setdefault(scenario, {}).setdefault(what, 0)
        self.run.counts[scenario][what] += 1
        return t0

    def press(self, scenario: str, what: str, key: str, *, then: str | None = None) -> float:
        return self.act(scenario, what, key, lambda: self.page.keyboard.press(key), then=then)

    def type(self, scenario: str, text: str) -> None:
        self.page.keyboard.type(text)  # the characters of a correction: not counted as actions
        self.run.typed[scenario] = self.run.typed.get(scenario, 0) + len(text)


def focused_js(doc_id: int, name: str) -> str:
    return (
        f"() => !!(document.activeElement && document.activeElement.closest('.st-key-field_{doc_id}_{name}'))"
    )


def shown_js(doc_id: int) -> str:
    """The document's title and its fields are on the page."""
    return (
        f"() => document.body.innerText.includes('Review #{doc_id}:')"
        f" && !!document.querySelector('.st-key-field_{doc_id}_refills input')"
    )


def review(clerk: Clerk, scenario: str, doc_id: int, next_id: int | None) -> None:
    """The clerk's keys and clicks for one document, ending with Verify & next."""
    page = clerk.page
    if scenario == "flagged_right":
        page.wait_for_function(focused_js(doc_id, "refills"), timeout=WAIT_MS)  # opens focused there
        clerk.press(
            scenario,
            "field",
            "Control+Enter",
            then=f"() => !!document.querySelector('.st-key-review_confirm_{doc_id}_refills input:checked')",
        )
    elif scenario == "flagged_wrong":
        page.wait_for_function(focused_js(doc_id, "refills"), timeout=WAIT_MS)
        clerk.press(scenario, "field", "Control+A")
        clerk.type(scenario, PRESCRIPTION["refills"])
        clerk.press(scenario, "field", "Control+Enter")
    elif scenario == "unflagged_wrong":
        target = field_input(page, doc_id, "patient_name")
        clerk.act(scenario, "field", "click", target.click, then=focused_js(doc_id, "patient_name"))
        clerk.press(scenario, "field", "Control+A")
        clerk.type(scenario, PRESCRIPTION["patient_name"])
    done = f"Verified document #{doc_id}."
    shown = shown_js(next_id) if next_id else f"() => document.body.innerText.includes('{done}')"
    t0 = clerk.press(scenario, "verify", "Alt+V", then=shown)
    if next_id:
        clerk.run.next_shown.append(_shown_at(page, next_id, t0))


def _shown_at(page: Any, doc_id: int, t0: float) -> float:
    """Seconds from ``t0`` to the moment the page first showed the next document (a marker a
    MutationObserver set, installed before the press)."""
    return (float(page.evaluate(f"window.__mxShown[{doc_id}]")) - t0) / 1000


WATCH_JS = """(doc) => {
  window.__mxShown = window.__mxShown || {};
  const check = () => {
    if (window.__mxShown[doc]) return;
    if (document.body.innerText.includes('Review #' + doc + ':')
        && document.querySelector('.st-key-field_' + doc + '_refills input')) {
      window.__mxShown[doc] = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
}"""


class Session:
    """One clerk's browser session at one viewport on one app, reviewing a round at a time."""

    def __init__(
        self,
        browser: Any,
        url: str,
        viewport: tuple[int, int],
        rounds: list[list[tuple[str, int]]],
        run_log: Path,
    ) -> None:
        self.run = Run(viewport)
        self.order = [doc for docs in rounds for doc in docs]
        self.done = 0
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        try:
            self.context.add_init_script(WS_PROBE)
            page = self.context.new_page()
            page.set_default_timeout(WAIT_MS)
            log_in(page, url)
            page.goto(f"{url}/review?doc={self.order[0][1]}")
            page.wait_for_function(shown_js(self.order[0][1]), timeout=WAIT_MS)
            page.locator(".mx-box").first.wait_for()  # the viewer is up: its keys are listened for
            self.clerk = Clerk(page, self.run, run_log)
            self.clerk.settle(self.clerk.now())
        except BaseException:
            self.context.close()
            raise

    def review(self, documents: int) -> None:
        """The next ``documents`` documents of the queue, each ending with Verify & next."""
        page = self.clerk.page
        for index in range(self.done, min(self.done + documents, len(self.order))):
            scenario, doc_id = self.order[index]
            next_id = self.order[index + 1][1] if index + 1 < len(self.order) else None
            if next_id:
                page.evaluate(WATCH_JS, next_id)
            try:
                review(self.clerk, scenario, doc_id, next_id)
            except Exception:
                shot = Path(tempfile.gettempdir()) / "review_effort_failed.png"
                page.screenshot(path=str(shot))
                print(f"failed on #{doc_id} ({scenario}); the page: {shot}", file=sys.stderr)
                raise
            self.done = index + 1

    def close(self) -> None:
        self.context.close()


def run_viewport(
    browser: Any, url: str, viewport: tuple[int, int], rounds: list[list[tuple[str, int]]], run_log: Path
) -> Run:
    session = Session(browser, url, viewport, rounds, run_log)
    try:
        session.review(len(session.order))
    finally:
        session.close()
    return session.run


def check(data: Path, plan: dict[tuple[int, int], list[list[tuple[str, int]]]]) -> list[str]:
    """Every document verified with the true values: the clerks did what they set out to do."""
    from medextract.services import documents

    problems = []
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
    try:
        for rounds in plan.values():
            for scenario, doc_id in (doc for docs in rounds for doc in docs):
                doc = documents.get(ctx, doc_id, user=USER)
                values = {name: f.value for name, f in doc.fields.items()}
                if doc.status != "verified" or values != PRESCRIPTION:
                    problems.append(f"#{doc_id} ({scenario}): {doc.status}, {values}")
    finally:
        ctx.close()
    return problems


def report(runs: list[Run], rounds: int, problems: list[str]) -> bool:
    def median(xs: list[float]) -> float:
        return statistics.median(xs) if xs else float("nan")

    print(f"\nReview effort: {rounds} round(s) of 4 documents per viewport; times in seconds.")
    print("Script: the server's own script runs per action; round trip: rerun asked -> script finished")
    print("received in the browser; wall: key press -> page settled. Over the actions that asked the")
    print("server for a rerun (Ctrl+A and a click into a field ask none).\n")
    print(
        "| viewport | scenario | keys and clicks | field actions (+ chars typed) | verify"
        " | script median (max) | round trip median (max) | wall median |"
    )
    print("|---|---|---|---|---|---|---|---|")
    all_ok = not problems
    verdicts = []
    for run in runs:
        vp = f"{run.viewport[0]}x{run.viewport[1]}"
        for scenario in SCENARIOS:
            acts = [a for a in run.actions if a.scenario == scenario]
            keys = ", ".join(a.keys for a in acts[: len(acts) // rounds])
            field_n = run.counts.get(scenario, {}).get("field", 0) / rounds
            verify_n = run.counts.get(scenario, {}).get("verify", 0) / rounds
            typed = run.typed.get(scenario, 0) / rounds
            server = [a.server for a in acts if a.server > 0]
            script = [a.script for a in acts if a.server > 0]
            wall = [a.wall for a in acts if a.server > 0]
            typed_s = f" + {typed:g}" if typed else ""
            print(
                f"| {vp} | {scenario} | {keys} | {field_n:g}{typed_s} | {verify_n:g} | "
                f"{median(script):.3f} ({max(script, default=float('nan')):.3f}) | "
                f"{median(server):.3f} ({max(server, default=float('nan')):.3f}) | {median(wall):.3f} |"
            )
            if scenario == "correct":
                verdicts.append(
                    (
                        vp,
                        f"correct document verified in {field_n + verify_n:g} action(s) <= 1",
                        field_n + verify_n <= 1,
                    )
                )
            elif scenario == "flagged_right":
                verdicts.append(
                    (vp, f"flagged right field confirmed in {field_n:g} action(s) <= 1", field_n <= 1)
                )
            else:
                verdicts.append(
                    (vp, f"{scenario} corrected in its characters + {field_n:g} action(s) <= 2", field_n <= 2)
                )
        asked = [a.script for a in run.actions if a.server > 0]
        trips = [a.server for a in run.actions if a.server > 0]
        every = [a.script for a in run.actions]
        verdicts.append(
            (
                vp,
                f"server time per action median {median(asked):.3f} over the {len(asked)} that reran"
                f" ({median(every):.3f} over all {len(every)}; round trip {median(trips):.3f})"
                f" <= {SERVER_TARGET}",
                median(asked) <= SERVER_TARGET,
            )
        )
        slowest = max(run.next_shown) if run.next_shown else float("nan")
        verdicts.append(
            (
                vp,
                f"next document shown: median {median(run.next_shown):.3f}, max {slowest:.3f}"
                f" ({len(run.next_shown)} times) <= {NEXT_TARGET}",
                slowest <= NEXT_TARGET,
            )
        )
    print("\nTargets:")
    for vp, what, ok in verdicts:
        all_ok &= ok
        print(f"  {'met    ' if ok else 'NOT met'}  {vp}  {what}")
    for problem in problems:
        print(f"  NOT verified as true: {problem}")
    return all_ok


GC_SETTINGS = {"default": [None], "on": ["true"], "off": ["false"], "both": ["false", "true"]}


@dataclass
class App:
    """One app server: its data, its script-run log, and its memory as sampled."""

    gc: str | None  # runner.postScriptGC as set for it (STREAMLIT_RUNNER_POST_SCRIPT_GC), None: config's
    data: Path
    run_log: Path
    plan: dict[tuple[int, int], list[list[tuple[str, int]]]]
    process: Any = None
    url: str = ""
    runs: list[Run] = field(default_factory=list)
    memory: list[tuple[int, int, int]] = field(default_factory=list)  # (reruns, VmRSS kB, VmHWM kB)

    @property
    def label(self) -> str:
        return "postScriptGC as configured" if self.gc is None else f"postScriptGC {self.gc}"

    def reruns(self) -> int:
        return len(self.run_log.read_text().splitlines()) if self.run_log.exists() else 0

    def gc_seen(self) -> set[str]:
        """postScriptGC as the app's script runs saw it ("1"/"0")."""
        lines = self.run_log.read_text().splitlines() if self.run_log.exists() else []
        return {line.split()[2] for line in lines if len(line.split()) > 2}

    def sample(self) -> tuple[int, int, int]:
        """The server process's resident memory now and at its peak (kB), after how many reruns."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = {
            k: int(v.split()[0])
            for k, v in (line.split(":", 1) for line in status.splitlines())
            if k in ("VmRSS", "VmHWM")
        }
        row = (self.reruns(), kb["VmRSS"], kb["VmHWM"])
        self.memory.append(row)
        print(
            f"  [{self.label}] after {row[0]} reruns:"
            f" VmRSS {row[1] / 1024:.1f} MB, VmHWM {row[2] / 1024:.1f} MB",
            file=sys.stderr,
        )
        return row


def start(app: App, tmp: Path, profile: Path | None, *, worker: bool = False) -> None:
    """Start ``app``'s server with the script-run timer loaded (and its local worker pool if
    ``worker``: `make run`'s default; this benchmark's documents are extracted before it starts)."""
    timer = tmp / "timer"
    if not timer.exists():
        timer.mkdir()
        (timer / "sitecustomize.py").write_text(RUN_TIMER)
    names = ("PYTHONPATH", "MX_RUN_LOG", "MX_PROFILE", "STREAMLIT_RUNNER_POST_SCRIPT_GC")
    saved = {name: os.environ.get(name) for name in names}
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(timer), saved["PYTHONPATH"]]))
    os.environ["MX_RUN_LOG"] = str(app.run_log)
    if profile:
        os.environ["MX_PROFILE"] = str(profile.resolve())
    if app.gc is not None:
        os.environ["STREAMLIT_RUNNER_POST_SCRIPT_GC"] = app.gc
    try:
        app.process, app.url = start_app(app.data, worker=worker)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def summary(apps: list[App]) -> None:
    """Server time and memory side by side, one line per app."""

    def q(xs: list[float], p: float) -> float:
        return (
            statistics.quantiles(xs, n=100, method="inclusive")[int(p * 100) - 1]
            if len(xs) > 1
            else float("nan")
        )

    print(f"\nSide by side (load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end):\n")
    print(
        "| setting | script runs | server time median | p90 | round trip median"
        " | VmRSS start | VmRSS end | VmHWM | memory samples (reruns: VmRSS MB) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for app in apps:
        acts = [a for run in app.runs for a in run.actions if a.server > 0]
        script = [a.script for a in acts]
        trips = [a.server for a in acts]
        rss = app.memory
        samples = ", ".join(f"{n}: {r / 1024:.1f}" for n, r, _ in rss)
        first = f"{rss[0][1] / 1024:.1f} MB" if rss else "-"
        last = f"{rss[-1][1] / 1024:.1f} MB" if rss else "-"
        peak = f"{rss[-1][2] / 1024:.1f} MB" if rss else "-"
        print(
            f"| {app.label} (runs saw {'/'.join(sorted(app.gc_seen())) or '?'}) | {app.reruns()} | "
            f"{statistics.median(script):.3f} | {q(script, 0.9):.3f} | {statistics.median(trips):.3f} | "
            f"{first} | {last} | {peak} | {samples} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times the four documents, per viewport")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the app's script runs here")
    parser.add_argument(
        "--gc",
        choices=sorted(GC_SETTINGS),
        default="default",
        help="runner.postScriptGC for the app; both: two apps, off and on, driven alternately",
    )
    parser.add_argument(
        "--rss",
        type=int,
        default=0,
        metavar="N",
        help="print the server's VmRSS/VmHWM at start, every N reruns, at the end",
    )
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        apps = []
        for gc in GC_SETTINGS[args.gc]:
            base = tmp / f"app-{gc or 'default'}"
            base.mkdir()
            apps.append(App(gc, base / "data", base / "runs.log", seed_documents(base / "data", args.rounds)))
        try:
            for app in apps:
                start(app, tmp, args.profile)
                if args.rss:
                    app.sample()
            next_sample = {id(app): args.rss for app in apps}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    for index, viewport in enumerate(VIEWPORTS):
                        # Alternate which app goes first; each app's session runs through without a
                        # pause (a session left idle while the other app was driven once lost its
                        # form versions: KeyError in verify_and_next).
                        for app in apps if index % 2 == 0 else apps[::-1]:
                            started = time.perf_counter()
                            session = Session(browser, app.url, viewport, app.plan[viewport], app.run_log)
                            try:
                                for _ in range(args.rounds):
                                    session.review(len(SCENARIOS))
                                    if args.rss and app.reruns() >= next_sample[id(app)]:
                                        app.sample()
                                        next_sample[id(app)] = app.reruns() // args.rss * args.rss + args.rss
                            finally:
                                session.close()
                                app.runs.append(session.run)
                            print(
                                f"{app.label} {viewport[0]}x{viewport[1]}:"
                                f" {time.perf_counter() - started:.1f} s",
                                file=sys.stderr,
                            )
                finally:
                    browser.close()
            if args.rss:
                for app in apps:
                    app.sample()
        finally:
            for app in apps:
                if app.process:
                    stop_app(app.process)
        ok = True
        for app in apps:
            if len(apps) > 1 or app.gc is not None:
                print(f"\n## {app.label}")
            ok &= report(app.runs, args.rounds, check(app.data, app.plan))
        if len(apps) > 1 or args.rss:
            summary(apps)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
