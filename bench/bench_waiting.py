"""Benchmark of waiting without a thread (issue 20): a plain page while hundreds of phone-remote long-polls are
open and a hundred predictions wait for a model that does not answer; and what each open connection costs the
web processes in memory.

    REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/bench_waiting.py \\
        [--long-polls 500] [--predictions 100] [--requests 200] [--json]

It sets up its stack with bench_demo.py's helpers: a fresh SQLite database, migrated (and the static files
collected, as ``make run`` does, for the pages' templates), the Procfile's ``inference`` line, the sample text
model as a demo model with an audience link, and the Procfile's ``web`` line with ``WEB_CONCURRENCY=2``, the
audience rate limits raised and the cap on a model's audience calls in flight raised above ``--predictions``
(``PITCHLAB_AUDIENCE_MAX_IN_FLIGHT``). The long-polls are spread over accounts of their own
(bench_rehearsal.HELD_PER_ACCOUNT each, under the default cap on open waits per account). Needs the sample models,
as bench_demo.py does.

Phases, in one run:

1. warm-up: a short load of each kind, so both web workers have imported every path;
2. idle: the web workers' memory (VmRSS and Pss, summed over gunicorn's workers) and their threads (a request
   that holds one while it waits shows here), then ``--requests`` requests of each plain page (one keep-alive
   client, interleaved): the log-in page (a template, anonymous) and the pitch list (``GET /api/pitches/``, token
   auth);
3. loaded: the inference worker stops consuming its queue (Celery's ``cancel_consumer``), a load process
   (asyncio, raw sockets: little CPU on the shared cores) opens ``--long-polls`` long-polls
   (``GET /api/pitches/{id}/remote/state/?after=<version>&wait=20``, each re-issued when it ends) and
   ``--predictions`` audience predictions (each re-issued when it ends: a 503 after the demo budget, counted
   apart as expected); once all are open, the memory again and the same page requests (bounded by
   ``--max-seconds``), then the memory once more;
4. idle again: the load closed, the worker consuming again, the pages and the memory once more.

The open connections are counted on the server's side (ESTABLISHED sockets on the web's port, from
/proc/net/tcp). Errors are answers other than 200 on the pages and long-polls, other than 200 or a 503 after its
budget on the predictions, and requests with no answer. The report ends with issue 20's target: the page's
p95 loaded ≤ 3× its p95 idle, with no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing
import os
import socket
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_demo import HIGH_RATE, ROOT, Stack, add_demo_model, purge_queues, stack_up
from bench_rehearsal import HELD_PER_ACCOUNT, other_accounts

from models_service.benchmark import SENTENCES
from models_service.evaluation import percentile

LONG_POLL_WAIT_S = 20
CONNECT_S = 60.0  # how long the load may take to have every connection open
TIMEOUT_S = 60.0  # one page request's limit
WARM_LONG_POLLS, WARM_PREDICTIONS = 32, 8


# ---------- the load: one process, asyncio on raw sockets ----------


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, method: str, path: str, headers: str, body: bytes = b""
) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a kept-alive connection: the status and the body (Content-Length or chunked)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Content-Length: {len(body)}\r\n\r\n"
    writer.write(head.encode() + body)
    await writer.drain()
    lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    fields = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    if fields.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        await reader.readuntil(b"\r\n")
        return status, b"".join(chunks)
    return status, await reader.readexactly(int(fields.get("content-length", "0")))


@dataclass(frozen=True)
class Load:
    """What the load process opens."""

    port: int
    accounts: list[tuple[str, int]]  # (token, pitch id) of each account holding long-polls
    long_polls: int
    link: str
    predictions: int
    budget_ms: float
    offset: int = 0  # of the predictions' addresses: each load's clients are told apart


class Tally:
    """The load's outcomes: a counter by kind and status, and how many connections are in their wait."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.open = 0


async def long_poll(load: Load, number: int, tally: Tally, stop: asyncio.Event) -> None:
    token, pitch_id = load.accounts[number // HELD_PER_ACCOUNT]
    path, headers = f"/api/pitches/{pitch_id}/remote/state/", f"Authorization: Token {token}\r\n"
    opened = False
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", load.port)
        except OSError:
            tally.counts["long-poll: no connection"] += 1
            await asyncio.sleep(1.0)
            continue
        try:
            status, body = await exchange(reader, writer, "GET", f"{path}?wait=0", headers)
            if status != 200:
                tally.counts[f"long-poll: {status}"] += 1
                await asyncio.sleep(1.0)
                continue
            version = json.loads(body)["version"]
            while not stop.is_set():
                if not opened:
                    tally.open, opened = tally.open + 1, True
                status, body = await exchange(
                    reader, writer, "GET", f"{path}?after={version}&wait={LONG_POLL_WAIT_S}", headers
                )
                tally.counts[f"long-poll: {status}"] += 1
                if status != 200:
                    await asyncio.sleep(1.0)
                    continue
                version = json.loads(body)["version"]
        except (OSError, asyncio.IncompleteReadError, ValueError):
            tally.counts["long-poll: no answer"] += 1
        finally:
            writer.close()


async def prediction(load: Load, number: int, tally: Tally, stop: asyncio.Event) -> None:
    path = f"/d/{load.link}/predict/"
    address = number + load.offset
    headers = f"Content-Type: application/json\r\nX-Forwarded-For: 10.5.{address // 250}.{address % 250 + 1}\r\n"
    opened, index = False, number
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", load.port)
        except OSError:
            tally.counts["prediction: no connection"] += 1
            await asyncio.sleep(1.0)
            continue
        try:
            while not stop.is_set():
                if not opened:
                    tally.open, opened = tally.open + 1, True
                body = json.dumps({"text": SENTENCES[index % len(SENTENCES)]}).encode()
                started = time.perf_counter()
                status, _ = await exchange(reader, writer, "POST", path, headers, body)
                ms = (time.perf_counter() - started) * 1000
                index += 1
                if status == 503 and ms >= 0.9 * load.budget_ms:
                    tally.counts["prediction: 503 after its budget (expected)"] += 1
                elif status == 200:
                    tally.counts["prediction: 200 (answered: the model was consuming)"] += 1
                else:
                    tally.counts[f"prediction: {status} after {ms:.0f} ms"] += 1
                    await asyncio.sleep(1.0)
        except (OSError, asyncio.IncompleteReadError):
            tally.counts["prediction: no answer"] += 1
        finally:
            writer.close()


async def run_load(load: Load, ready: Any, stop_flag: Any) -> dict[str, Any]:
    tally, stop = Tally(), asyncio.Event()
    tasks = [asyncio.create_task(long_poll(load, n, tally, stop)) for n in range(load.long_polls)]
    tasks += [asyncio.create_task(prediction(load, n, tally, stop)) for n in range(load.predictions)]
    started = time.monotonic()
    while tally.open < len(tasks) and time.monotonic() - started < CONNECT_S:
        await asyncio.sleep(0.1)
    open_s = time.monotonic() - started
    ready.set()
    while not stop_flag.is_set():
        await asyncio.sleep(0.1)
    stop.set()
    for task in tasks:
        task.cancel()  # a request in its wait is dropped with its connection, as a closed tab drops it
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"opened": tally.open, "open_s": round(open_s, 2), "answers": dict(sorted(tally.counts.items()))}


def _load_process(load: Load, ready: Any, stop_flag: Any, results: Any) -> None:
    results.put(asyncio.run(run_load(load, ready, stop_flag)))


class LoadProcess:
    """The load in a process of its own, so that its event loop does not share this process's GIL with the
    page client's timings."""

    def __init__(self, load: Load) -> None:
        context = multiprocessing.get_context("spawn")
        self.ready, self.stop_flag, self.results = context.Event(), context.Event(), context.Queue()
        self.proc = context.Process(target=_load_process, args=(load, self.ready, self.stop_flag, self.results))

    def start(self) -> None:
        self.proc.start()
        if not self.ready.wait(timeout=CONNECT_S + 60):
            raise RuntimeError("the load process did not start")

    def stop(self) -> dict[str, Any]:
        self.stop_flag.set()
        figures: dict[str, Any] = self.results.get(timeout=60)
        self.proc.join(timeout=30)
        return figures


# ---------- the page client ----------


class Pages:
    """One keep-alive client for the plain pages, reconnecting when the server closes it."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.paths: dict[str, tuple[str, dict[str, str]]] = {
            "log-in page (template, anonymous)": ("/accounts/login/", {})
        }
        self.paths["GET /api/pitches/ (token)"] = ("/api/pitches/", {"Authorization": f"Token {token}"})
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, float]:
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request("GET", path, headers=headers)
                response = self.conn.getresponse()
                response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()  # an idle keep-alive connection the server closed: another (its cost counted)
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_S)
                if attempt == 2:
                    raise
        return response.status, (time.perf_counter() - started) * 1000

    def measure(self, requests: int, max_seconds: float) -> dict[str, dict[str, Any]]:
        """``requests`` of each page, interleaved, or fewer if ``max_seconds`` run out: ms and statuses."""
        ms: dict[str, list[float]] = {name: [] for name in self.paths}
        statuses: dict[str, Counter[str]] = {name: Counter() for name in self.paths}
        deadline = time.monotonic() + max_seconds
        for _ in range(requests):
            if time.monotonic() > deadline:
                break
            for name, (path, headers) in self.paths.items():
                try:
                    status, took = self.get(path, headers)
                except (OSError, http.client.HTTPException):
                    status, took = 0, TIMEOUT_S * 1000
                    self.conn.close()
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_S)
                ms[name].append(took)
                statuses[name][str(status) if status else "no answer"] += 1
        return {name: {"ms": ms[name], "statuses": dict(statuses[name])} for name in self.paths}


# ---------- the web's processes ----------


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat[stat.rfind(")") + 2 :].split()[1])
            children.setdefault(parent, []).append(int(entry))
    return children


def web_workers() -> list[int]:
    """The gunicorn workers among this process's descendants: gunicorn processes whose parent is gunicorn (the
    ``sh -c`` that started the master is not one: its arguments name gunicorn only inside the command)."""
    children, found, todo = _children(), [], [os.getpid()]
    gunicorn: set[int] = set()
    while todo:
        pid = todo.pop()
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(Path(arg.decode(errors="replace")).name == "gunicorn" for arg in argv[:2]):
            gunicorn.add(pid)
        todo += children.get(pid, [])
    for parent in gunicorn:
        found += [pid for pid in children.get(parent, []) if pid in gunicorn]
    return sorted(found)


def memory_kb(pids: list[int]) -> dict[str, int]:
    """VmRSS and Pss (kB), and the threads, summed over ``pids``."""
    rss = pss = threads = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss += int(line.split()[1])
            elif line.startswith("Threads:"):
                threads += int(line.split()[1])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return {"rss_kb": rss, "pss_kb": pss, "threads": threads}


def established(port: int) -> int:
    """Sockets in ESTABLISHED state whose local port is the web's (the server's side of each connection)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


def snapshot(port: int) -> dict[str, int]:
    return {**memory_kb(web_workers()), "connections": established(port)}


# ---------- the inference worker's consumption ----------


def consuming(on: bool) -> None:
    """Have the inference worker stop (or start again) consuming its queue, by Celery's remote control."""
    from pitchlab.celery import app

    node = [f"inference@{socket.gethostname()}"]
    if on:
        replies = app.control.add_consumer("inference", destination=node, reply=True, timeout=5)
    else:
        replies = app.control.cancel_consumer("inference", destination=node, reply=True, timeout=5)
    if not replies:
        raise RuntimeError(f"the inference worker did not answer {'add' if on else 'cancel'}_consumer")


# ---------- the run ----------


def run(args: argparse.Namespace, progress: Callable[[str], None]) -> dict[str, Any]:
    setup = argparse.Namespace(database_url="", procfile=args.procfile, logs=args.logs)
    with stack_up(setup, progress) as stack:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)  # the templates' manifest, debug off
        # the warm-up's long-polls on accounts of their own: a dropped long-poll may count against its account's
        # cap on open waits until its wait ends
        warm_accounts = other_accounts(-(-WARM_LONG_POLLS // HELD_PER_ACCOUNT))
        halves = (args.long_polls // 2, args.long_polls - args.long_polls // 2)
        accounts = [other_accounts(-(-half // HELD_PER_ACCOUNT)) for half in halves]
        return measure(args, stack, accounts, warm_accounts, progress)


def measure(
    args: argparse.Namespace,
    stack: Stack,
    accounts: list[list[tuple[str, int]]],
    warm_accounts: list[tuple[str, int]],
    progress: Callable[[str], None],
) -> dict[str, Any]:
    cap = str(max(64, args.predictions * 4))
    stack.env.update(WEB_CONCURRENCY="2", PITCHLAB_AUDIENCE_MAX_IN_FLIGHT=cap)
    budget_ms = float(stack.env.get("PITCHLAB_DEMO_BUDGET_MS") or 2000)
    with stack.web(HIGH_RATE, HIGH_RATE) as port:
        progress("the demo model and its audience link, through the API")
        _model_id, link = add_demo_model(port, stack.token, stack.pitch_id)
        pages = Pages(port, stack.token)
        workers = web_workers()
        progress(f"web workers {workers}; warm-up")
        pages.measure(20, 60)
        consuming(False)
        warm = LoadProcess(Load(port, warm_accounts, WARM_LONG_POLLS, link, WARM_PREDICTIONS, budget_ms))
        warm.start()
        time.sleep(budget_ms / 1000 + 1)
        warm.stop()
        consuming(True)
        purge_queues()
        time.sleep(2.0)

        progress(f"idle: {args.requests} requests of each page")
        memory = {"idle_before": snapshot(port)}
        idle_before = pages.measure(args.requests, args.max_seconds)

        progress(f"loaded: opening {args.long_polls} long-polls and {args.predictions} waiting predictions")
        consuming(False)
        # in two halves, so that the memory per connection is also measured between two loads (the slope): the
        # first connections of a worker may also grow its heap once
        polls, predictions = args.long_polls // 2, args.predictions // 2
        first = LoadProcess(Load(port, accounts[0], polls, link, predictions, budget_ms))
        first.start()
        time.sleep(2.0)  # the last ones into their wait
        memory["loaded_half"] = snapshot(port)
        load = LoadProcess(
            Load(port, accounts[1], args.long_polls - polls, link, args.predictions - predictions, budget_ms, 10_000)
        )
        load.start()
        time.sleep(2.0)
        memory["loaded_before_pages"] = snapshot(port)
        progress(f"loaded: {args.requests} requests of each page (at most {args.max_seconds:g} s)")
        loaded = pages.measure(args.requests, args.max_seconds)
        memory["loaded_after_pages"] = snapshot(port)
        outcome = merge(first.stop(), load.stop())
        consuming(True)
        purge_queues()

        time.sleep(2.0)
        progress(f"idle again: {args.requests} requests of each page")
        idle_after = pages.measure(args.requests, args.max_seconds)
        memory["idle_after"] = snapshot(port)
        if web_workers() != workers:
            progress(f"the web workers changed during the run: {workers} → {web_workers()} (see the web's log)")
    return report(args, idle_before, loaded, idle_after, memory, outcome, budget_ms)


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The outcomes of two loads as one."""
    answers = Counter(a["answers"]) + Counter(b["answers"])
    return {"opened": a["opened"] + b["opened"], "open_s": max(a["open_s"], b["open_s"]), "answers": dict(answers)}


def page_figures(measured: dict[str, Any]) -> dict[str, Any]:
    ms, statuses = measured["ms"], measured["statuses"]
    figures: dict[str, Any] = {"n": len(ms), "statuses": statuses}
    figures["errors"] = sum(count for status, count in statuses.items() if status != "200")
    if ms:
        figures.update(p50_ms=round(percentile(ms, 50), 2), p95_ms=round(percentile(ms, 95), 2))
        figures["max_ms"] = round(max(ms), 2)
    return figures


def report(
    args: argparse.Namespace,
    idle_before: dict[str, Any],
    loaded: dict[str, Any],
    idle_after: dict[str, Any],
    memory: dict[str, dict[str, int]],
    outcome: dict[str, Any],
    budget_ms: float,
) -> dict[str, Any]:
    pages: dict[str, Any] = {}
    for name in idle_before:
        idle_ms = idle_before[name]["ms"] + idle_after[name]["ms"]
        idle_statuses = Counter(idle_before[name]["statuses"]) + Counter(idle_after[name]["statuses"])
        idle = page_figures({"ms": idle_ms, "statuses": dict(idle_statuses)})
        busy = page_figures(loaded[name])
        pages[name] = {
            "idle": idle,
            "idle_before_p95_ms": page_figures(idle_before[name]).get("p95_ms"),
            "idle_after_p95_ms": page_figures(idle_after[name]).get("p95_ms"),
            "loaded": busy,
        }
        if "p95_ms" in idle and "p95_ms" in busy:
            pages[name]["p50_x_idle"] = round(busy["p50_ms"] / idle["p50_ms"], 2)
            pages[name]["p95_x_idle"] = round(busy["p95_ms"] / idle["p95_ms"], 2)
    idle_mem, half_mem = memory["idle_before"], memory["loaded_half"]
    load_mem = max(memory["loaded_before_pages"], memory["loaded_after_pages"], key=lambda m: m["rss_kb"])

    def per_connection(low: dict[str, int], high: dict[str, int]) -> dict[str, Any]:
        more = high["connections"] - low["connections"]
        return {
            "connections": more,
            "rss_kb": round((high["rss_kb"] - low["rss_kb"]) / more, 1) if more > 0 else None,
            "pss_kb": round((high["pss_kb"] - low["pss_kb"]) / more, 1) if more > 0 else None,
        }

    answers = outcome["answers"]
    expected = ("long-poll: 200", "prediction: 503 after its budget (expected)")
    load_errors = {
        key: count for key, count in answers.items() if key not in expected and not key.startswith("prediction: 200")
    }
    return {
        "long_polls": args.long_polls,
        "predictions": args.predictions,
        "budget_ms": budget_ms,
        "web_workers": 2,
        "pages": pages,
        "load": {**outcome, "errors": sum(load_errors.values()), "error_kinds": load_errors},
        "memory": memory,
        "per_connection": {
            "idle_to_loaded": per_connection(idle_mem, load_mem),
            "half_to_loaded": per_connection(half_mem, load_mem),
        },
    }


def targets(f: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """Issue 20's target that this benchmark measures: (what, measured, met)."""
    rows = []
    for name, page in f["pages"].items():
        ratio = page.get("p95_x_idle")
        rows.append((f"{name}: p95 loaded ≤ 3× idle", f"{ratio}×", ratio is not None and ratio <= 3))
    errors = sum(page["idle"]["errors"] + page["loaded"]["errors"] for page in f["pages"].values())
    errors += f["load"]["errors"]
    rows.append(("zero errors (pages, long-polls, predictions)", str(errors), errors == 0))
    return rows


def table(f: dict[str, Any]) -> str:
    lines = [
        f"A plain page, one keep-alive client, idle and while {f['long_polls']} phone-remote long-polls "
        f"(wait={LONG_POLL_WAIT_S}) are open and {f['predictions']} audience predictions wait for a model that "
        f"does not answer (each a 503 after its {f['budget_ms']:g} ms budget, re-issued); the Procfile's web line, "
        f"{f['web_workers']} workers.",
        "",
        "| page | idle: n · p50 · p95 · max ms | loaded: n · p50 · p95 · max ms | × idle (p50 · p95) | errors |",
        "|---|---|---|---|---:|",
    ]
    for name, page in f["pages"].items():
        idle, busy = page["idle"], page["loaded"]

        def cell(s: dict[str, Any]) -> str:
            return f"{s['n']} · {s.get('p50_ms')} · {s.get('p95_ms')} · {s.get('max_ms')}"

        ratios = f"{page.get('p50_x_idle')} · {page.get('p95_x_idle')}"
        lines.append(f"| {name} | {cell(idle)} | {cell(busy)} | {ratios} | {idle['errors'] + busy['errors']} |")
    lines += [
        "",
        "Idle p95 before · after the load: "
        + "; ".join(f"{name} {p['idle_before_p95_ms']} · {p['idle_after_p95_ms']} ms" for name, p in f["pages"].items())
        + ".",
        "",
        f"The load: {f['load']['opened']} connections in their wait after {f['load']['open_s']} s; answers "
        + ", ".join(f"{count}× {key}" for key, count in f["load"]["answers"].items())
        + f"; errors {f['load']['errors']}.",
        "",
        "| web workers (summed) | RSS MB | Pss MB | threads | connections open on the web's port |",
        "|---|---:|---:|---:|---:|",
    ]
    labels = {
        "idle_before": "idle, after the warm-up",
        "loaded_half": "half the load open",
        "loaded_before_pages": "loaded, before the page requests",
        "loaded_after_pages": "loaded, after the page requests",
        "idle_after": "idle again, the load closed",
    }
    for key, label in labels.items():
        m = f["memory"][key]
        lines.append(
            f"| {label} | {m['rss_kb'] / 1024:.1f} | {m['pss_kb'] / 1024:.1f} | {m['threads']} | {m['connections']} |"
        )
    whole, slope = f["per_connection"]["idle_to_loaded"], f["per_connection"]["half_to_loaded"]
    lines += [
        "",
        f"Per open connection: loaded minus idle, over {whole['connections']} more connections, {whole['rss_kb']} kB "
        f"RSS, {whole['pss_kb']} kB Pss; between half and the whole load ({slope['connections']} more), "
        f"{slope['rss_kb']} kB RSS, {slope['pss_kb']} kB Pss.",
        "",
        "| target of issue 20 | measured | |",
        "|---|---:|---|",
    ]
    lines += [f"| {name} | {value} | {'met' if ok else '**not met**'} |" for name, value, ok in targets(f)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/bench_waiting.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--long-polls", type=int, default=500, help="phone-remote long-polls held open")
    parser.add_argument("--predictions", type=int, default=100, help="audience predictions kept waiting")
    parser.add_argument("--requests", type=int, default=200, help="requests of each page per phase")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="the most a phase's page requests may take")
    parser.add_argument("--procfile", default=str(ROOT / "Procfile"), help="the Procfile whose web and inference run")
    parser.add_argument("--logs", default="", help="copy the web's and the worker's logs to this folder")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    figures = run(args, progress=lambda line: print(f"… {line}", file=sys.stderr, flush=True))
    if args.json:
        figures["targets"] = [{"target": name, "measured": value, "met": ok} for name, value, ok in targets(figures)]
        print(json.dumps(figures, indent=2))
    else:
        print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
