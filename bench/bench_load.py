"""Load benchmark (issue 8): founders editing, PDF exports and an audience, all at once, over HTTP on loopback.

    .venv/bin/python bench/bench_load.py [--backends sqlite postgres] [--seconds 120]
        [--founders 30] [--exporters 5] [--audience 50] [--json] [--logs DIR]

Each backend runs in a process of its own (Django is configured once per process), on a stack set up with
bench_demo.py's helpers: a fresh database, migrated; the Procfile's ``web`` (gunicorn, 2 workers × 8 threads,
debug off, the default audience limits), ``worker`` (queue "default": PDF exports, chart warm-ups) and
``inference`` (the sample text model) lines, run through ``sh -c`` as ``make run`` does.

* ``sqlite``: no DATABASE_URL and no REDIS_URL, as ``make run`` out of the box: a SQLite file and an embedded
  redis-server of the benchmark's own on a socket.
* ``postgres``: a fresh database ``--pg-database`` (dropped and created) on ``--pg-url``'s server, and the Redis
  database ``--redis-url`` (flushed before and after).

Then, for ``--seconds``, from one process (threads, plain http.client on keep-alive connections, token auth):

* founders: each its own user and pitch (created through the API), saving every ``--autosave-every`` s as the
  editor does (PATCH /api/pitches/{id}/canvas/ with the version it got back): a story field that grows as they
  type, and every 5th save the traction table. On a 409 the founder re-reads and saves again; a save with no
  answer or an error is read back (each value is unique) to learn whether it was applied.
* exporters: each its own pitch (the support_nlp template), asking for a PDF export and polling it every
  ``--poll`` s until it is ready, then the next, for the whole window.
* audience: clients on ONE audience link of the sample text model, each its own address (X-Forwarded-For,
  one proxy), a prediction every 1–2 s (think time after the answer). The limits are the defaults (20/min per
  client, 10/s for the link), so most of the room is told 429: deliberate, and counted apart.

Every thread stops at the deadline (a request in flight then gets up to TIMEOUT_S). Then the benchmark reads each
founder's pitch back through the API: its final content must hold the last accepted save of each unit and its
version must have grown by exactly the number of accepted saves (else lost, or unexplained, writes); its
revisions must each hold what was accepted up to their version, with at most one automatic revision per
REVISION_INTERVAL and none missing (services.pitch_write's rule: a revision problem). Exports still running at the
deadline are waited for; every ready export's PDF is checked on disk. Errors are answers other than 2xx, apart
from the 409s the editor handles and the audience's 429s, and requests with no answer.

Each endpoint's client time is set beside the web's own time for it (gunicorn's access log, from a thread taking
the request up to the answer): the difference is the wait for a free web thread. The CPU used in the window by
each process of the stack, by this load generator and by the whole machine is read from /proc.

``--logs DIR`` keeps the web's and the workers' logs; ``--sqlite-wal`` is an experiment (SQLite in write-ahead-log
mode, which the settings do not set). The exit status is 1 when a backend's verdict fails.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench_demo import DEFAULT_RATE_PER_CLIENT, DEFAULT_RATE_TOTAL, ROOT, add_demo_model, process, stack_up

from models_service.benchmark import SENTENCES
from models_service.evaluation import percentile

TIMEOUT_S = 60.0  # one request's limit; a request with no answer by then counts as an error
IDLE_S = 1.0  # gunicorn closes a keep-alive connection idle for 2 s (its default): a client reopens before that
TRACTION_EVERY = 5  # every 5th save writes the traction table, the others a story field
MAX_TRIES = 5  # saves of one change in a row answered 409 before the founder gives up
SETUP_S = 600.0  # what a backend may take beyond --seconds (start, warm-up, checks) before it is stopped

STORY = "PATCH /api/pitches/{id}/canvas/ (story field)"
TRACTION = "PATCH /api/pitches/{id}/canvas/ (traction table)"
REREAD = "GET /api/pitches/{id}/canvas/ (re-read)"
EXPORT_POST = "POST /api/pitches/{id}/exports/"
EXPORT_POLL = "GET /api/exports/{id}/ (poll)"
PREDICT = "POST /d/{token}/predict/"
# label -> (the statuses that answer the request, the statuses the client handles by rule and are not errors)
ENDPOINTS: dict[str, tuple[set[int], set[int]]] = {
    STORY: ({200}, {409}),
    TRACTION: ({200}, {409}),
    REREAD: ({200}, set()),
    EXPORT_POST: ({202}, set()),
    EXPORT_POLL: ({200}, set()),
    PREDICT: ({200}, {429}),
}

# gunicorn's access log with each request's time in the web (µs, from a thread taking it up to the answer), so the
# client's time splits into waiting for a free web thread and the time in Django
ACCESS_FORMAT = "load-access %(m)s %(U)s %(s)s %(D)s"
ACCESS_PATHS = [
    ("PATCH", re.compile(r"/api/pitches/\d+/canvas/"), "PATCH /api/pitches/{id}/canvas/ (both kinds)"),
    ("GET", re.compile(r"/api/pitches/\d+/canvas/"), REREAD),
    ("POST", re.compile(r"/api/pitches/\d+/exports/"), EXPORT_POST),
    ("GET", re.compile(r"/api/exports/\d+/"), EXPORT_POLL),
    ("POST", re.compile(r"/d/[^/]+/predict/"), PREDICT),
]

STORY_FIELDS = ("purpose", "origin", "customer_pain", "conflict", "why_now", "insight", "climax", "vision")
PHRASES = [
    "Support teams at mid-sized retailers answer {n} tickets a day, and half of their time goes to triage.",
    "Our classifier routes a ticket in {n} ms, before an agent has even opened it.",
    "Three pilot customers cut their first-response time by {n}% in the first month.",
    "The incumbents sell rule engines that need {n} hand-written rules to reach our accuracy.",
    "We label {n} new tickets a week with our customers' agents, so the model keeps up with their products.",
    "Gross margin is {n}% today and rises with volume, because inference runs on one small GPU per region.",
    "Our founder ran a support floor of {n} agents and saw the same ticket routed five times.",
    "我们的客户每天要处理{n}张工单，分类和分派占了客服一半的时间。",
    "现在有{n}家付费客户，月收入每个月增长百分之二十。",
    "Churn fell to {n}% after we shipped suggested replies.",
]


# ---------- the client ----------


class Http:
    """One keep-alive connection, as a browser tab keeps one, reopened before the server would close it idle."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port, self.headers = port, headers
        self.conn: http.client.HTTPConnection | None = None
        self.last_used = 0.0

    def call(self, method: str, path: str, payload: Any = None) -> tuple[int, Any, float]:
        """The status, the JSON answer (None when empty or not JSON) and the round trip in ms. No answer at all
        (a refused or timed-out connection) raises OSError or http.client.HTTPException."""
        body = None if payload is None else json.dumps(payload)
        headers = {**self.headers, **({"Content-Type": "application/json"} if body is not None else {})}
        started = time.perf_counter()
        if self.conn is not None and time.monotonic() - self.last_used > IDLE_S:
            self.close()
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_S)
            try:
                self.conn.request(method, path, body, headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed a kept-alive connection before reading this request: send it again on a
                # new one (safe: it was never read). On a fresh connection it is an error.
                self.close()
                if not reused or attempt == 2:
                    raise
            except (OSError, http.client.HTTPException):
                self.close()
                raise
        ms = (time.perf_counter() - started) * 1000
        self.last_used = time.monotonic()
        if response.will_close:
            self.close()
        try:
            answer = json.loads(data) if data else None
        except ValueError:
            answer = None
        return response.status, answer, ms

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Recorder:
    """Every request of the window: (ms, status) by endpoint; status 0 is no answer at all."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: dict[str, list[tuple[float, int]]] = defaultdict(list)

    def add(self, label: str, ms: float, status: int) -> None:
        with self.lock:
            self.samples[label].append((ms, status))

    def timed(self, label: str, client: Http, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        started = time.perf_counter()
        try:
            status, answer, ms = client.call(method, path, payload)
        except (OSError, http.client.HTTPException):
            status, answer, ms = 0, None, (time.perf_counter() - started) * 1000
        self.add(label, ms, status)
        return status, answer


# ---------- founders ----------


@dataclass
class Write:
    """One accepted save: the version it made, what it wrote, and when (this machine's clock, s)."""

    version: int
    path: str
    value: Any
    started: float
    ended: float


@dataclass
class Founder:
    number: int
    token: str
    pitch_id: int
    initial_version: int = 0
    initial: dict[str, Any] = field(default_factory=dict)  # the written units' values before the window
    writes: list[Write] = field(default_factory=list)
    saves: int = 0
    conflicts: int = 0  # 409s (each re-read and saved again)
    gave_up: int = 0  # changes still refused after MAX_TRIES
    late_confirmed: int = 0  # saves with an error or no answer, found applied on the read back
    not_applied: int = 0  # saves with an error or no answer, found not applied
    unresolved: int = 0  # saves whose outcome could not be read back

    @property
    def canvas(self) -> str:
        return f"/api/pitches/{self.pitch_id}/canvas/"

    @property
    def story_path(self) -> str:
        return f"story.{STORY_FIELDS[self.number % len(STORY_FIELDS)]}"


def unit(content: dict[str, Any], path: str) -> Any:
    node: Any = content
    for part in path.split("."):
        node = node[part]
    return node


def story_grow(text: str, rng: random.Random) -> str:
    """What a founder typed in two seconds: a sentence more (the oldest dropped past ~2,500 characters)."""
    text = (text + " " if text else "") + rng.choice(PHRASES).format(n=rng.randint(2, 9999))
    while len(text) > 2500:
        text = text.split(" ", 1)[1]
    return text


def traction_table(rng: random.Random, months: int) -> list[dict[str, Any]]:
    """Monthly users and revenue, as pasted from a spreadsheet, in the stored (cleaned) form."""
    users, price, rows = rng.uniform(200, 900), rng.uniform(8, 40), []
    for month in range(months):
        users *= 1 + rng.uniform(0.03, 0.25)
        period = f"{2024 + month // 12}-{month % 12 + 1:02d}"
        rows.append({"period": period, "metric": "users", "value": float(round(users)), "unit": "users", "source": ""})
        rows.append(
            {"period": period, "metric": "revenue", "value": round(users * price, 2), "unit": "USD", "source": "Stripe"}
        )
    return rows


def reread(founder: Founder, client: Http, rec: Recorder) -> dict[str, Any] | None:
    status, answer = rec.timed(REREAD, client, "GET", founder.canvas)
    return answer if status == 200 and isinstance(answer, dict) else None


def save(founder: Founder, client: Http, rec: Recorder, label: str, path: str, value: Any, base: int) -> int:
    """One autosave under the version rule; the base version for the next one."""
    for _ in range(MAX_TRIES):
        started = time.time()
        status, answer = rec.timed(
            label, client, "PATCH", founder.canvas, {"base_version": base, "changes": {path: value}}
        )
        if status == 200:
            founder.writes.append(Write(int(answer["version"]), path, value, started, time.time()))
            return int(answer["version"])
        if status == 409:  # as the editor: take the current version and save this change again
            founder.conflicts += 1
            canvas = reread(founder, client, rec)
            base = int(canvas["version"]) if canvas else base
            continue
        # An error or no answer: it may still have been applied. Every value is unique: read it back.
        canvas = reread(founder, client, rec)
        if canvas is None:
            founder.unresolved += 1
            return base
        if unit(canvas["content"], path) == value:
            founder.late_confirmed += 1
            founder.writes.append(Write(int(canvas["unit_versions"][path]), path, value, started, time.time()))
        else:
            founder.not_applied += 1  # the next autosave carries the newer text
        return int(canvas["version"])
    founder.gave_up += 1
    return base


def founder_loop(founder: Founder, port: int, rec: Recorder, start_at: float, stop_at: float, every_s: float) -> None:
    rng = random.Random(1000 + founder.number)
    client = Http(port, {"Authorization": f"Token {founder.token}"})
    base, story, seen = founder.initial_version, "", set()
    next_at = start_at + rng.uniform(0, every_s)  # founders do not all save in step
    while True:
        time.sleep(max(0.0, next_at - time.time()))
        if time.time() >= stop_at:
            break
        founder.saves += 1
        value: Any
        if founder.saves % TRACTION_EVERY == 2:  # the 2nd save, the 7th, …: even a short run has some
            label, path, value = TRACTION, "data.traction", traction_table(rng, 12 + founder.saves % 13)
        else:
            story = story_grow(story, rng)
            while story in seen:  # every value unique, so a save is recognised when read back
                story = story_grow(story, rng)
            seen.add(story)
            label, path, value = STORY, founder.story_path, story
        base = save(founder, client, rec, label, path, value, base)
        next_at = max(next_at + every_s, time.time())
    client.close()


# ---------- exporters ----------


@dataclass
class Exporter:
    number: int
    token: str
    pitch_id: int
    ids: list[int] = field(default_factory=list)
    time_to_done_s: list[float] = field(default_factory=list)  # from before the POST to the poll that saw it ready
    failed: list[str] = field(default_factory=list)
    refused: int = 0  # POSTs not answered 202
    in_flight: list[int] = field(default_factory=list)  # not done at the deadline


def export_one(exporter: Exporter, client: Http, rec: Recorder, stop_at: float, poll_s: float) -> None:
    """Ask for one PDF export and poll it until it is ready or failed, or the deadline."""
    started = time.time()
    lang = ("en", "zh")[len(exporter.ids) % 2]
    path = f"/api/pitches/{exporter.pitch_id}/exports/"
    # export_anyway: the benchmark measures rendering, not the pre-flight dialog a founder answers once.
    status, answer = rec.timed(EXPORT_POST, client, "POST", path, {"lang": lang, "export_anyway": True})
    if status != 202:
        exporter.refused += 1
        time.sleep(1.0)
        return
    export_id = int(answer["id"])
    exporter.ids.append(export_id)
    while True:
        time.sleep(poll_s)
        if time.time() >= stop_at:
            exporter.in_flight.append(export_id)
            return
        status, answer = rec.timed(EXPORT_POLL, client, "GET", f"/api/exports/{export_id}/")
        if status != 200:
            continue
        if answer["status"] == "ready":
            exporter.time_to_done_s.append(time.time() - started)
            return
        if answer["status"] == "failed":
            exporter.failed.append(str(answer["error"]))
            return


def exporter_loop(exporter: Exporter, port: int, rec: Recorder, stop_at: float, poll_s: float) -> None:
    client = Http(port, {"Authorization": f"Token {exporter.token}"})
    while time.time() < stop_at:
        export_one(exporter, client, rec, stop_at, poll_s)
    client.close()


# ---------- the audience ----------


@dataclass
class Listener:
    number: int
    sent: int = 0


def audience_loop(
    listener: Listener, port: int, link: str, rec: Recorder, start_at: float, stop_at: float, think: tuple[float, float]
) -> None:
    rng = random.Random(5000 + listener.number)
    address = f"10.9.{listener.number // 250}.{listener.number % 250 + 1}"
    client = Http(port, {"X-Forwarded-For": address})
    next_at = start_at + rng.uniform(0, think[1])
    while True:
        time.sleep(max(0.0, next_at - time.time()))
        if time.time() >= stop_at:
            break
        listener.sent += 1
        rec.timed(PREDICT, client, "POST", f"/d/{link}/predict/", {"text": rng.choice(SENTENCES)})
        next_at = time.time() + rng.uniform(*think)
    client.close()


# ---------- CPU ----------


def _proc_stat(pid: str) -> tuple[int, float] | None:
    """(parent pid, CPU seconds used) of a process, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = stat[stat.rfind(")") + 2 :].split()
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")


def _role(pid: str) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "other"
    if int(pid) == os.getpid():
        return "load generator (this process)"
    if "gunicorn" in command:
        return "web (gunicorn)"
    if "-Q inference" in command:
        return "inference worker"
    if "-Q default" in command:
        return "default worker"
    if "redis-server" in command:
        return "redis-server (embedded)"
    return "other"


def cpu_snapshot() -> tuple[dict[str, float], float, float]:
    """CPU seconds of this process and its descendants by role, the whole machine's busy CPU seconds (every
    process, other users' included) and its total CPU seconds, from /proc."""
    stats = {pid: s for pid in os.listdir("/proc") if pid.isdigit() and (s := _proc_stat(pid)) is not None}
    children: dict[int, list[str]] = defaultdict(list)
    for pid, (parent, _) in stats.items():
        children[parent].append(pid)
    ours, todo = [], [str(os.getpid())]
    while todo:
        pid = todo.pop()
        ours.append(pid)
        todo += children.get(int(pid), [])
    by_role: dict[str, float] = defaultdict(float)
    for pid in ours:
        if pid in stats:
            by_role[_role(pid)] += stats[pid][1]
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    total = sum(fields[:8]) / ticks
    idle = (fields[3] + fields[4]) / ticks
    return dict(by_role), total - idle, total


# ---------- the run of one backend (in its own process) ----------


def figures_of(values: list[float], digits: int = 1) -> dict[str, Any]:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), digits),
        "p95": round(percentile(values, 95), digits),
        "max": round(max(values), digits),
    }


def endpoint_figures(rec: Recorder) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for label, (ok, handled) in ENDPOINTS.items():
        samples = rec.samples.get(label, [])
        statuses = Counter(status for _, status in samples)
        errors = {str(s or "no answer"): n for s, n in sorted(statuses.items()) if s not in ok | handled}
        result[label] = {
            "requests": len(samples),
            "statuses": {str(s or "no answer"): n for s, n in sorted(statuses.items())},
            "errors": sum(errors.values()),
            "error_statuses": errors,
            "ms": figures_of([ms for ms, s in samples if s in ok]),
            "handled_ms": figures_of([ms for ms, s in samples if s in handled]),
        }
    return result


def web_times(log: Path, start: int, end: int) -> dict[str, Any]:
    """The web's own time per endpoint (ms) of the requests answered 2xx, and of the 429s apart, from the access
    log's lines written between two offsets."""
    with log.open("rb") as handle:
        handle.seek(start)
        text = handle.read(end - start).decode(errors="replace")
    times: dict[str, list[float]] = defaultdict(list)
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 5 or parts[0] != "load-access":
            continue
        _, method, path, status, micros = parts
        for want, pattern, label in ACCESS_PATHS:
            if method == want and pattern.fullmatch(path) and (status.startswith("2") or status == "429"):
                times[label if status != "429" else f"{label} 429"].append(int(micros) / 1000)
    return {label: figures_of(values) for label, values in sorted(times.items())}


def wait_healthy(port: int, timeout: float = 120.0) -> None:
    """Until /healthz answers 200: database, broker and a worker on each queue."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            status, answer, _ = Http(port, {}).call("GET", "/healthz")
            if status == 200:
                return
        except (OSError, http.client.HTTPException):
            answer = None
        if time.monotonic() > deadline:
            raise RuntimeError(f"the stack did not get healthy: {answer}")
        time.sleep(0.5)


def make_tokens(count: int, prefix: str) -> list[str]:
    """Users (no usable password: none is hashed) and their API tokens, straight in the database."""
    from django.contrib.auth.models import User

    from pitchlab.accounts.tokens import token_create

    tokens = []
    for number in range(count):
        user = User.objects.create_user(f"{prefix}-{number}-{random.getrandbits(32):08x}")
        tokens.append(token_create(user=user, name="bench")[1])
    return tokens


def api(port: int, token: str, method: str, path: str, payload: Any = None) -> Any:
    status, answer, _ = Http(port, {"Authorization": f"Token {token}"}).call(method, path, payload)
    if status >= 300:
        raise RuntimeError(f"{method} {path} answered {status}: {answer}")
    return answer


def check_founder(founder: Founder, port: int, interval_s: float) -> dict[str, int]:
    """The founder's pitch and revisions read back through the API, checked by ``write_checks``."""
    final = api(port, founder.token, "GET", founder.canvas)
    revisions = api(port, founder.token, "GET", f"/api/pitches/{founder.pitch_id}/revisions/")
    path = f"/api/pitches/{founder.pitch_id}/revisions/"
    contents = {int(r["id"]): api(port, founder.token, "GET", f"{path}{r['id']}/")["content"] for r in revisions}
    return write_checks(founder, final, revisions, contents, interval_s)


def write_checks(
    founder: Founder,
    final: dict[str, Any],
    revisions: list[dict[str, Any]],
    contents: dict[int, dict[str, Any]],
    interval_s: float,
) -> dict[str, int]:
    """What a pitch holds (``final``: its canvas; its revisions and their contents by id) against the saves the
    founder saw accepted; the count of each kind of problem, and ``lost_writes``, ``unexplained_writes`` and
    ``revision_problems``, their sums."""
    counts = Counter[str]()
    accepted = len(founder.writes)
    growth = int(final["version"]) - founder.initial_version
    versions = [write.version for write in founder.writes]
    counts["accepted"] = accepted
    # one writer per pitch: every accepted save made a version of its own, and nothing else made one
    counts["duplicate_versions"] = accepted - len(set(versions))
    counts["lost_by_version"] = max(0, accepted - growth)
    counts["unexplained_versions"] = max(0, growth - accepted)
    by_version = sorted(founder.writes, key=lambda w: w.version)
    last = {write.path: write for write in by_version}
    for path, write in last.items():
        if unit(final["content"], path) != write.value or int(final["unit_versions"].get(path, -1)) != write.version:
            counts["units_not_last_write"] += 1

    # services.pitch_write's revision rule: at most one automatic revision per interval, and one made by any save
    # that finds the newest revision older than that; each holds the canvas at its version
    counts["revisions"] = len(revisions)
    times = sorted((datetime.fromisoformat(r["created_at"]).timestamp(), r["reason"]) for r in revisions)
    for (before, _), (at, reason) in itertools.pairwise(times):
        if reason == "autosave" and at - before < interval_s - 0.001:
            counts["autosave_revisions_too_close"] += 1
    for write in founder.writes:
        if not any(write.started - interval_s - 1.0 <= at <= write.ended + 1.0 for at, _ in times):
            counts["saves_without_a_revision"] += 1
    for revision in revisions:
        version, content = int(revision["version"]), contents[int(revision["id"])]
        expected = dict(founder.initial)
        expected.update({write.path: write.value for write in by_version if write.version <= version})
        if version not in versions or any(unit(content, path) != value for path, value in expected.items()):
            counts["revisions_not_matching"] += 1

    counts["lost_writes"] = counts["duplicate_versions"] + counts["lost_by_version"] + counts["units_not_last_write"]
    counts["unexplained_writes"] = counts["unexplained_versions"]
    counts["revision_problems"] = (
        counts["autosave_revisions_too_close"] + counts["saves_without_a_revision"] + counts["revisions_not_matching"]
    )
    return dict(counts)


def check_exports(exporters: list[Exporter], port: int, wait_s: float = 120.0) -> dict[str, Any]:
    """Wait for the exports still running at the deadline; every ready export's PDF on disk."""
    from pitchlab.decks.models import DeckExport

    deadline = time.monotonic() + wait_s
    left = {export_id: exporter for exporter in exporters for export_id in exporter.in_flight}
    finished_after: Counter[str] = Counter()
    while left and time.monotonic() < deadline:
        for export_id, exporter in list(left.items()):
            answer = api(port, exporter.token, "GET", f"/api/exports/{export_id}/")
            if answer["status"] in ("ready", "failed"):
                finished_after[answer["status"]] += 1
                del left[export_id]
        time.sleep(0.5)
    ids = [export_id for exporter in exporters for export_id in exporter.ids]
    rows = list(DeckExport.objects.filter(pk__in=ids))
    server_s = [(r.finished_at - r.created_at).total_seconds() for r in rows if r.status == "ready" and r.finished_at]
    bad_pdfs = 0
    for row in rows:
        if row.status == "ready":
            with row.file.open("rb") as handle:
                data = handle.read()
            if not data.startswith(b"%PDF") or not row.pages:
                bad_pdfs += 1
    done = [s for exporter in exporters for s in exporter.time_to_done_s]
    return {
        "started": len(ids),
        "done_in_window": len(done),
        "failed_in_window": sum(len(exporter.failed) for exporter in exporters),
        "failures": [reason for exporter in exporters for reason in exporter.failed][:5],
        "refused": sum(exporter.refused for exporter in exporters),
        "in_flight_at_deadline": sum(len(exporter.in_flight) for exporter in exporters),
        "finished_after_deadline": dict(finished_after),
        "never_finished": len(left),
        "time_to_done_s": figures_of(done),
        "server_time_to_done_s": figures_of(server_s),
        "pdfs_checked": sum(1 for row in rows if row.status == "ready"),
        "bad_pdfs": bad_pdfs,
    }


def fresh_postgres(url: str, name: str, drop_only: bool = False) -> str:
    """Drop ``name`` on the server at ``url`` and (unless ``drop_only``) create it empty; its URL."""
    import psycopg

    with psycopg.connect(f"{url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{url.rstrip('/')}/{name}"


@contextmanager
def backend_services(args: argparse.Namespace) -> Iterator[str]:
    """The environment for ``args.child``; the database URL for bench_demo.stack_up ("": a SQLite file)."""
    os.environ.pop("DATABASE_URL", None)
    if args.child == "sqlite":
        os.environ.pop("REDIS_URL", None)  # bench_demo.stack_up then starts its own redis-server
        yield ""
        return
    import redis

    database_url = fresh_postgres(args.pg_url, args.pg_database)
    os.environ["REDIS_URL"] = args.redis_url
    redis.Redis.from_url(args.redis_url).flushdb()
    try:
        yield database_url
    finally:
        from django.db import connections

        connections.close_all()
        redis.Redis.from_url(args.redis_url).flushdb()
        fresh_postgres(args.pg_url, args.pg_database, drop_only=True)


def prepare(
    args: argparse.Namespace, port: int, stack: Any, progress: Callable[[str], None]
) -> tuple[list[Founder], list[Exporter], str]:
    """The founders, the exporters (users, tokens, pitches) and the audience link, everything warmed up once."""
    progress("the demo model and its audience link, through the API")
    _, link = add_demo_model(port, stack.token, stack.pitch_id)
    progress(f"{args.founders} founders and {args.exporters} exporters: users, tokens, pitches")
    founders = [
        Founder(n, token, int(api(port, token, "POST", "/api/pitches/", {"name": f"Startup {n}"})["id"]))
        for n, token in enumerate(make_tokens(args.founders, "founder"))
    ]
    exporters = [
        Exporter(n, token, int(api(port, token, "POST", "/api/templates/support_nlp/use/")["id"]))
        for n, token in enumerate(make_tokens(args.exporters, "exporter"))
    ]
    for founder in founders:
        canvas = api(port, founder.token, "GET", founder.canvas)
        founder.initial_version = int(canvas["version"])
        founder.initial = {path: unit(canvas["content"], path) for path in (founder.story_path, "data.traction")}
    progress("warm-up: a few predictions and one export")
    for number in range(3):
        Http(port, {"X-Forwarded-For": f"10.8.0.{number + 1}"}).call(
            "POST", f"/d/{link}/predict/", {"text": SENTENCES[number]}
        )
    if exporters:
        warm = Exporter(-1, exporters[0].token, exporters[0].pitch_id)
        export_one(warm, Http(port, {"Authorization": f"Token {warm.token}"}), Recorder(), time.time() + 90, 0.5)
        if not warm.time_to_done_s:
            raise RuntimeError(f"the warm-up export did not get ready: {warm}")
    return founders, exporters, link


@dataclass
class Window:
    """What the clients saw in the window, and the CPU used meanwhile."""

    rec: Recorder
    listeners: list[Listener]
    cpu: dict[str, Any]
    server_ms: dict[str, Any]  # the web's own time per endpoint, from its access log


def load_window(
    args: argparse.Namespace,
    port: int,
    link: str,
    founders: list[Founder],
    exporters: list[Exporter],
    web_log: Path,
    progress: Callable[[str], None],
) -> Window:
    """Every client in its thread from ``start_at`` to the deadline; joined before this returns."""
    rec = Recorder()
    listeners = [Listener(n) for n in range(args.audience)]
    start_at = time.time() + 1.0
    stop_at = start_at + args.seconds
    think = (args.think[0], args.think[1])
    threads = [
        threading.Thread(target=founder_loop, args=(f, port, rec, start_at, stop_at, args.autosave_every))
        for f in founders
    ]
    threads += [threading.Thread(target=exporter_loop, args=(e, port, rec, stop_at, args.poll)) for e in exporters]
    threads += [
        threading.Thread(target=audience_loop, args=(a, port, link, rec, start_at, stop_at, think)) for a in listeners
    ]
    progress(
        f"{len(threads)} client threads for {args.seconds:g} s: {args.founders} founders saving every "
        f"{args.autosave_every:g} s, {args.exporters} exporters, {args.audience} audience clients"
    )
    for thread in threads:
        thread.daemon = True
        thread.start()
    time.sleep(max(0.0, start_at - time.time()))
    before, busy_before, total_before = cpu_snapshot()
    load_before, log_start = os.getloadavg()[0], web_log.stat().st_size
    time.sleep(max(0.0, stop_at - time.time()))
    after, busy_after, total_after = cpu_snapshot()
    load_after = os.getloadavg()[0]
    for thread in threads:
        thread.join(timeout=max(0.0, stop_at + TIMEOUT_S + 5 - time.time()))
    stuck = sum(1 for thread in threads if thread.is_alive())
    if stuck:
        raise RuntimeError(f"{stuck} client threads did not stop after the deadline")
    server = web_times(web_log, log_start, web_log.stat().st_size)
    wall = stop_at - start_at
    by_role = {role: round((after.get(role, 0.0) - before.get(role, 0.0)) / wall, 2) for role in sorted(after)}
    cores = os.cpu_count() or 1
    cpu = {
        "cores": cores,
        "cores_used_by_role": by_role,
        "cores_used_by_the_stack_and_load": round(sum(by_role.values()), 2),
        "cores_busy_machine_wide": round((busy_after - busy_before) / (total_after - total_before) * cores, 2),
        "loadavg_1min": [round(load_before, 2), round(load_after, 2)],
    }
    return Window(rec, listeners, cpu, server)


def sqlite_wal() -> None:
    """Switch the (migrated) SQLite file to write-ahead logging, an experiment: the mode is stored in the file, so
    every process that opens it afterwards (the web, the worker) uses it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        if cursor.fetchone()[0] != "wal":
            raise RuntimeError("SQLite refused write-ahead logging")
    connection.close()


def run_backend(args: argparse.Namespace, progress: Callable[[str], None]) -> dict[str, Any]:
    """Every figure of one backend's run, as a JSON-ready dict."""
    with backend_services(args) as database_url:
        setup = argparse.Namespace(database_url=database_url, procfile=args.procfile)
        with stack_up(setup, progress) as stack:
            if args.child == "sqlite" and args.sqlite_wal:
                sqlite_wal()
            stack.env["GUNICORN_CMD_ARGS"] = f"--access-logformat '{ACCESS_FORMAT}'"
            try:
                with (
                    process(stack.procfile["worker"], stack.env, stack.logs / "worker.log"),
                    stack.web(DEFAULT_RATE_PER_CLIENT, DEFAULT_RATE_TOTAL) as port,
                ):
                    from pitchlab.pitches.services import REVISION_INTERVAL

                    progress("waiting for /healthz (database, broker, both workers)")
                    wait_healthy(port)
                    founders, exporters, link = prepare(args, port, stack, progress)
                    window = load_window(args, port, link, founders, exporters, stack.logs / "web.log", progress)
                    progress("checking every founder's pitch and revisions, and the exports")
                    checks = Counter[str]()
                    for founder in founders:
                        checks.update(check_founder(founder, port, REVISION_INTERVAL.total_seconds()))
                    exports = check_exports(exporters, port)
            finally:
                if args.logs:
                    shutil.copytree(stack.logs, Path(args.logs) / args.child, dirs_exist_ok=True)
    return report(args, stack.procfile, window, founders, checks, exports)


def report(
    args: argparse.Namespace,
    procfile: dict[str, str],
    window: Window,
    founders: list[Founder],
    checks: Counter[str],
    exports: dict[str, Any],
) -> dict[str, Any]:
    endpoints = endpoint_figures(window.rec)
    seconds = args.seconds
    predict = endpoints[PREDICT]
    saves = sum(f.saves for f in founders)
    founder_counts = {
        "saves": saves,
        "saves_per_s": round(saves / seconds, 1),
        "conflicts_409": sum(f.conflicts for f in founders),
        "gave_up": sum(f.gave_up for f in founders),
        "late_confirmed": sum(f.late_confirmed for f in founders),
        "not_applied": sum(f.not_applied for f in founders),
        "unresolved": sum(f.unresolved for f in founders),
        **{key: checks.get(key, 0) for key in CHECK_KEYS},
    }
    errors = sum(e["errors"] for e in endpoints.values())
    verdict = {
        "errors": errors,
        "lost_writes": founder_counts["lost_writes"] + founder_counts["unresolved"],
        "unexplained_writes": founder_counts["unexplained_writes"],
        "revision_problems": founder_counts["revision_problems"],
        "bad_exports": exports["failed_in_window"] + exports["never_finished"] + exports["bad_pdfs"],
    }
    return {
        "backend": args.child,
        "database": "PostgreSQL (127.0.0.1:5432)"
        if args.child == "postgres"
        else f"SQLite file ({'WAL, --sqlite-wal' if args.sqlite_wal else 'rollback journal, as configured'})",
        "broker": f"Redis {args.redis_url}" if args.child == "postgres" else "embedded redis-server (unix socket)",
        "seconds": seconds,
        "clients": {"founders": args.founders, "exporters": args.exporters, "audience": args.audience},
        "autosave_every_s": args.autosave_every,
        "audience_limits": {"per_client": DEFAULT_RATE_PER_CLIENT, "total": DEFAULT_RATE_TOTAL},
        "procfile": procfile,
        "endpoints": endpoints,
        "server_ms": window.server_ms,
        "errors": errors,
        "founders": founder_counts,
        "exports": exports,
        "audience": {
            "sent": sum(listener.sent for listener in window.listeners),
            "answered": predict["statuses"].get("200", 0),
            "rate_limited_429": predict["statuses"].get("429", 0),
            "errors": predict["errors"],
            "answered_per_s": round(predict["statuses"].get("200", 0) / seconds, 1),
        },
        "cpu": window.cpu,
        "verdict": {**verdict, "ok": not any(verdict.values())},
    }


CHECK_KEYS = (
    "accepted",
    "lost_writes",
    "unexplained_writes",
    "revision_problems",
    "duplicate_versions",
    "lost_by_version",
    "unexplained_versions",
    "units_not_last_write",
    "revisions",
    "revisions_not_matching",
    "autosave_revisions_too_close",
    "saves_without_a_revision",
)


# ---------- the report ----------


def table(f: dict[str, Any]) -> str:
    """One backend's figures as Markdown for docs/benchmarks.md."""
    clients, fo, ex, au, cpu = f["clients"], f["founders"], f["exports"], f["audience"], f["cpu"]
    lines = [
        f"**{f['backend']}**: {f['database']}, {f['broker']}; {f['seconds']:g} s, {clients['founders']} founders "
        f"(a save every {f['autosave_every_s']:g} s), {clients['exporters']} exporters, {clients['audience']} "
        f"audience clients on one link.",
        "",
        "| endpoint | requests | p50 ms | p95 ms | max ms | in the web: p50 · p95 ms | answers |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    server_ms = f.get("server_ms", {})

    def in_web(label: str) -> str:
        figures = server_ms.get(label) or server_ms.get(label.split(" (")[0] + " (both kinds)") or {}
        both = " (both kinds)" if label not in server_ms and figures else ""
        return f"{figures['p50']} · {figures['p95']}{both}" if figures.get("n") else ""

    for label, e in f["endpoints"].items():
        ms = e["ms"]
        answers = ", ".join(f"{n}× {status}" for status, n in e["statuses"].items())
        times = f"{ms['p50']} | {ms['p95']} | {ms['max']}" if ms["n"] else " | | "
        lines.append(f"| {label} | {e['requests']} | {times} | {in_web(label)} | {answers} |")
        handled = e["handled_ms"]
        if handled["n"] and label == PREDICT:
            lines.append(
                f"| … the deliberate 429s | {handled['n']} | {handled['p50']} | {handled['p95']} | {handled['max']} "
                f"| {in_web(label + ' 429')} | |"
            )
    done, server = ex["time_to_done_s"], ex["server_time_to_done_s"]
    if done["n"]:
        lines.append(
            f"| export, POST → seen ready (polled every 0.5 s), s | {done['n']} | {done['p50']} | {done['p95']} "
            f"| {done['max']} | | |"
        )
    if server["n"]:
        lines.append(
            f"| export, created → finished (the server's clock), s | {server['n']} | {server['p50']} "
            f"| {server['p95']} | {server['max']} | | |"
        )
    verdict = f["verdict"]
    kinds = {
        f"{n}× {status} on {label}": n
        for label, e in f["endpoints"].items()
        for status, n in e["error_statuses"].items()
    }
    error_kinds = f" ({', '.join(kinds)})" if kinds else ""
    roles = ", ".join(f"{role} {used}" for role, used in cpu["cores_used_by_role"].items())
    lines += [
        "",
        f"Errors (not 2xx, apart from the 409s the editor handles and the audience's deliberate 429s): "
        f"**{verdict['errors']}**{error_kinds}. Lost writes: **{verdict['lost_writes']}**; unexplained writes: "
        f"{verdict['unexplained_writes']}; revision problems: {verdict['revision_problems']}.",
        "",
        f"Founders: {fo['saves']} saves ({fo['saves_per_s']}/s), {fo['accepted']} accepted; 409s "
        f"{fo['conflicts_409']} ({fo['gave_up']} changes given up after {MAX_TRIES}); read back after an error or "
        f"no answer: {fo['late_confirmed']} applied, "
        f"{fo['not_applied']} not, {fo['unresolved']} unknown. Read back at the end: version growth short of the "
        f"accepted saves {fo['lost_by_version']}, beyond them {fo['unexplained_versions']}; units not holding their "
        f"last accepted save {fo['units_not_last_write']}; {fo['revisions']} revisions, "
        f"{fo['revisions_not_matching']} not holding their version, {fo['autosave_revisions_too_close']} automatic "
        f"ones closer than the interval, {fo['saves_without_a_revision']} saves with none within the interval.",
        "",
        f"Exports: {ex['started']} started, {ex['done_in_window']} ready within the window, "
        f"{ex['failed_in_window']} failed, {ex['in_flight_at_deadline']} running at the deadline "
        f"(then {ex['finished_after_deadline'] or 'none'}; never finished {ex['never_finished']}); "
        f"{ex['pdfs_checked']} PDFs checked on disk, {ex['bad_pdfs']} bad. "
        f"Audience: {au['sent']} predictions sent, {au['answered']} answered ({au['answered_per_s']}/s), "
        f"{au['rate_limited_429']} told 429 (limits {f['audience_limits']['per_client']} per client, "
        f"{f['audience_limits']['total']} for the link), {au['errors']} errors.",
        "",
        f"CPU over the window, in cores of {cpu['cores']}: {roles}; the stack and the load generator "
        f"{cpu['cores_used_by_the_stack_and_load']}, the whole machine {cpu['cores_busy_machine_wide']} (other "
        f"users and the shared PostgreSQL included); load average {cpu['loadavg_1min'][0]} → "
        f"{cpu['loadavg_1min'][1]}.",
        "",
        f"Verdict: {'**pass**' if verdict['ok'] else '**FAIL**'}.",
    ]
    return "\n".join(lines)


# ---------- the command ----------


def run_child(args: argparse.Namespace, backend: str) -> dict[str, Any]:
    """One backend in a fresh interpreter (its own Django settings), stopped if it runs past its time."""
    out = Path(tempfile.mkstemp(prefix="pl-bench-load-", suffix=".json")[1])
    command = [sys.executable, str(Path(__file__).resolve()), "--child", backend, "--out", str(out)]
    for name in ("seconds", "founders", "exporters", "audience", "autosave_every", "poll"):
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    command += ["--think", *map(str, args.think), "--pg-url", args.pg_url, "--pg-database", args.pg_database]
    command += ["--redis-url", args.redis_url, "--procfile", args.procfile]
    command += ["--logs", str(Path(args.logs).resolve()) if args.logs else ""] + ["--sqlite-wal"] * args.sqlite_wal
    proc = subprocess.Popen(command, cwd=ROOT)
    try:
        proc.wait(timeout=args.seconds + SETUP_S)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)  # the child stops its processes on the way out
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        raise RuntimeError(f"the {backend} run took longer than {args.seconds + SETUP_S:g} s and was stopped") from None
    try:
        if proc.returncode != 0:
            raise RuntimeError(f"the {backend} run failed (exit {proc.returncode}); its log is above")
        figures: dict[str, Any] = json.loads(out.read_text())
        return figures
    finally:
        out.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/bench_load.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--seconds", type=float, default=120.0, help="length of the window")
    parser.add_argument("--founders", type=int, default=30, help="founders editing, each their own pitch")
    parser.add_argument("--exporters", type=int, default=5, help="clients exporting PDFs one after another")
    parser.add_argument("--audience", type=int, default=50, help="audience clients on one demo link")
    parser.add_argument("--autosave-every", type=float, default=2.0, help="seconds between a founder's saves")
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 2.0], help="an audience client's think time")
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between polls of a running export")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432", help="the PostgreSQL server")
    parser.add_argument("--pg-database", default="pitchlab_e_load", help="dropped and created for the run")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11", help="flushed before and after")
    parser.add_argument("--procfile", default=str(ROOT / "Procfile"), help="whose web and worker lines run")
    parser.add_argument("--sqlite-wal", action="store_true", help="experiment: SQLite in write-ahead-log mode")
    parser.add_argument("--logs", default="", help="copy the web's and workers' logs to this folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    def progress(line: str) -> None:
        print(f"… {line}", file=sys.stderr, flush=True)

    if args.child:
        # stopped from outside (the parent's time limit): unwind, so the stack's processes are stopped too
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        progress(f"backend {args.child}")
        Path(args.out).write_text(json.dumps(run_backend(args, progress)))
        return 0
    results = {backend: run_child(args, backend) for backend in args.backends}
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print("\n\n".join(table(figures) for figures in results.values()))
    return 0 if all(figures["verdict"]["ok"] for figures in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
