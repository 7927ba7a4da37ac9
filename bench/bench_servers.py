"""Which server runs the web app (issue 20): plain pages and a static file, one keep-alive client, side by side
under (a) gunicorn's WSGI sync threads, (b) the Procfile's ``web`` line (ASGI: gunicorn with uvicorn workers)
and (c) granian's ASGI server, each with one worker process.

    REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/bench_servers.py [--rounds 10] [--per-round 50]

The servers:

(a) ``gunicorn pitchlab.wsgi:application --workers 1 --threads 8 --access-logfile -`` (the Procfile's web line
    before ASGI, with one worker);
(b) the Procfile's web line with ``WEB_CONCURRENCY=1``;
(c) ``granian --interface asgi pitchlab.asgi:application --workers 1``, only when the ``granian`` executable is
    beside this Python (it is not a project dependency; the run says so and skips it otherwise). Granian writes
    no access log by default; (a) and (b) write one (to a file), as the Procfile's line does.

All three run at once on free loopback ports, on one fresh SQLite database (migrated, static files collected, a
user with an API token), debug off, and Redis (``REDIS_URL``, or an embedded redis-server). One client, one
keep-alive connection per server, asks for each path ``--per-round`` times per server and round, the servers in
a rotated order from round to round so that the shared machine's drift falls on each alike: the log-in page (a
template, anonymous), ``GET /api/pitches/`` (token auth, a database query) and a static file (WhiteNoise, by its
hashed name). Requests say ``Accept-Encoding: gzip``, as browsers do. Figures: p50 and p95 over every request,
the median of the rounds' p50s, and the ratios to (a).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench_demo import ROOT, embedded_redis, free_port, prepare_database, process, stack_env, wait_for_web

from models_service.evaluation import percentile

STATIC_FILE = "pitchlab/api.js"
TIMEOUT_S = 30.0


def commands(procfile_web: str, granian: Path | None) -> dict[str, tuple[str, dict[str, str]]]:
    """Each server's label: its command (run through ``sh -c``, ``$PORT`` its port) and extra environment."""
    servers = {
        "(a) gunicorn WSGI, 1 worker × 8 threads": (
            "gunicorn pitchlab.wsgi:application --bind 127.0.0.1:$PORT --workers 1 --threads 8 "
            "--graceful-timeout 5 --access-logfile -",
            {},
        ),
        "(b) the Procfile's web line (ASGI), 1 worker": (procfile_web, {"WEB_CONCURRENCY": "1"}),
    }
    if granian is not None:
        servers["(c) granian ASGI, 1 worker"] = (
            f"{granian} --interface asgi pitchlab.asgi:application --workers 1 --host 127.0.0.1 --port $PORT",
            {},
        )
    return servers


class Keepalive:
    """One keep-alive connection to a server, reopened when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, float]:
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request("GET", path, headers={"Accept-Encoding": "gzip", **headers})
                response = self.conn.getresponse()
                response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()  # the server closed an idle keep-alive connection: another (its cost counted)
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_S)
                if attempt == 2:
                    raise
        return response.status, (time.perf_counter() - started) * 1000


@contextmanager
def servers_up(args: argparse.Namespace, progress: Callable[[str], None]) -> Iterator[tuple[dict[str, int], str]]:
    """Every server on its port (label -> port), and the API token."""
    folder = Path(tempfile.mkdtemp(prefix="pl-bench-servers-"))
    logs = folder / "logs"
    logs.mkdir()
    with ExitStack() as stack:
        redis_url = os.environ.get("REDIS_URL", "").strip() or stack.enter_context(embedded_redis(folder))
        env = stack_env(folder, redis_url, f"sqlite:///{folder / 'bench.sqlite3'}")
        os.environ.update(env)
        from django.core.management import call_command

        from pitchlab.launcher import read_procfile

        token, _pitch_id = prepare_database()
        call_command("collectstatic", interactive=False, verbosity=0)  # the manifest, debug off
        granian = Path(sys.executable).parent / "granian"
        found = granian if granian.exists() else None
        if found is None:
            progress("granian is not installed beside this Python: (c) skipped")
        ports: dict[str, int] = {}
        for number, (label, (command, extra)) in enumerate(
            commands(read_procfile(Path(args.procfile))["web"], found).items()
        ):
            port, log = free_port(), logs / f"server-{number}.log"
            proc = stack.enter_context(process(command, {**env, **extra, "PORT": str(port)}, log))
            wait_for_web(port, token, proc, log)
            progress(f"{label}: port {port}")
            ports[label] = port
        yield ports, token
    shutil.rmtree(folder, ignore_errors=True)  # kept, with the servers' logs, when the run failed


def run(args: argparse.Namespace, progress: Callable[[str], None]) -> dict[str, Any]:
    with servers_up(args, progress) as (ports, token):
        from django.contrib.staticfiles.storage import staticfiles_storage

        paths: dict[str, tuple[str, dict[str, str]]] = {
            "log-in page (template, anonymous)": ("/accounts/login/", {}),
            "GET /api/pitches/ (token)": ("/api/pitches/", {"Authorization": f"Token {token}"}),
            f"static file ({STATIC_FILE})": (staticfiles_storage.url(STATIC_FILE), {}),
        }
        clients = {label: Keepalive(port) for label, port in ports.items()}
        for client in clients.values():  # warm-up: each worker's imports, templates and connections
            for path, headers in paths.values():
                for _ in range(10):
                    client.get(path, headers)
        ms: dict[str, dict[str, list[float]]] = {label: {name: [] for name in paths} for label in clients}
        round_p50: dict[str, dict[str, list[float]]] = {label: {name: [] for name in paths} for label in clients}
        statuses: dict[str, dict[str, dict[str, int]]] = {label: {name: {} for name in paths} for label in clients}
        labels = list(clients)
        for number in range(args.rounds):
            progress(f"round {number + 1} of {args.rounds}")
            order = labels[number % len(labels) :] + labels[: number % len(labels)]
            for label in order:
                for name, (path, headers) in paths.items():
                    taken = []
                    for _ in range(args.per_round):
                        status, took = clients[label].get(path, headers)
                        taken.append(took)
                        counts = statuses[label][name]
                        counts[str(status)] = counts.get(str(status), 0) + 1
                    ms[label][name] += taken
                    round_p50[label][name].append(statistics.median(taken))
    figures: dict[str, Any] = {"rounds": args.rounds, "per_round": args.per_round, "servers": {}}
    base = labels[0]
    for label in labels:
        rows = {}
        for name in paths:
            values = ms[label][name]
            row: dict[str, Any] = {
                "n": len(values),
                "p50_ms": round(percentile(values, 50), 3),
                "p95_ms": round(percentile(values, 95), 3),
                "median_round_p50_ms": round(statistics.median(round_p50[label][name]), 3),
                "statuses": statuses[label][name],
            }
            rows[name] = row
        figures["servers"][label] = rows
    for label in labels:
        for name, row in figures["servers"][label].items():
            ref = figures["servers"][base][name]
            row["p50_x_a"] = round(row["p50_ms"] / ref["p50_ms"], 2)
            row["p95_x_a"] = round(row["p95_ms"] / ref["p95_ms"], 2)
            row["round_p50_x_a"] = round(row["median_round_p50_ms"] / ref["median_round_p50_ms"], 2)
    if len(labels) < 3:
        figures["skipped"] = "(c) granian: not installed beside this Python"
    return figures


def table(f: dict[str, Any]) -> str:
    lines = [
        f"One keep-alive client per server, {f['rounds']} interleaved rounds of {f['per_round']} requests of each "
        f"path per server (rotated order); ratios to (a).",
        "",
        "| server | path | n | p50 ms | p95 ms | median of round p50s ms | × (a): p50 · p95 · round p50 | statuses |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for label, rows in f["servers"].items():
        for name, r in rows.items():
            statuses = ", ".join(f"{n}× {status}" for status, n in r["statuses"].items())
            lines.append(
                f"| {label} | {name} | {r['n']} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | "
                f"{r['median_round_p50_ms']:.2f} | {r['p50_x_a']} · {r['p95_x_a']} · {r['round_p50_x_a']} "
                f"| {statuses} |"
            )
    if "skipped" in f:
        lines += ["", f"Skipped: {f['skipped']}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/bench_servers.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds")
    parser.add_argument("--per-round", type=int, default=50, help="requests of each path per server and round")
    parser.add_argument("--procfile", default=str(ROOT / "Procfile"), help="the Procfile whose web line is (b)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    figures = run(args, progress=lambda line: print(f"… {line}", file=sys.stderr, flush=True))
    print(json.dumps(figures, indent=2) if args.json else table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
