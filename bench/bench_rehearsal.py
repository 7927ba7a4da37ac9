"""Benchmark of rehearsing (issues 7 and 20): the phone remote's relay and the rehearsal reports, over HTTP.

    REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/bench_rehearsal.py [--presses 200] [--json]

It sets up its own stack with bench_demo.py's helpers: a temporary SQLite database, migrated, a user with an API
token, the Procfile's ``web`` line (gunicorn with uvicorn workers serving the ASGI application, ``WEB_CONCURRENCY``
workers, 2 by default, debug off) on a free loopback port, and an embedded redis-server when ``REDIS_URL`` is not
set. Everything is measured in one run, interleaved round by
round, so the ratios compare figures taken on the same (shared, noisy) machine:

1. the phone remote: from the phone's POST of "next" being sent until the presenter view's long-poll (its own
   thread and keep-alive connection, as present.js) returns it; against the floor (a raw XADD in one thread to an
   XREAD BLOCK in another, on the same Redis) and short polling every 250 ms; and the other direction, the
   presenter's PUT of its state until the phone's long-poll returns it. Presses are 100–300 ms apart (jittered).
   With ``--held 3 5 7``: the long-poll again while that many other long-polls are open (other phones waiting
   for a state that does not come, spread over accounts of their own so that no account passes the cap on open
   waits, ``PITCHLAB_OPEN_WAITS_PER_USER``).
2. the reports: the report of a 20-minute rehearsal of the support_nlp template (~300 segments, back-navigation,
   pauses, a ~2,500-word bilingual transcript with fillers) and the trend over 50 rehearsals, all stored through
   the API, against a plain read of the pitch; and the pure cores behind them, timed in this process.

The report ends with issue 20's target for the remote: phone press → presenter view, p50 ≤ 5 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import redis
from bench_demo import ROOT, embedded_redis, free_port, prepare_database, process, request_json, wait_for_web

from models_service.evaluation import percentile

PAUSE_S = (0.1, 0.3)  # between two presses (jittered)
SHORT_POLL_S = 0.25
FILLERS_EN = ["um", "uh", "you know", "like", "so, um", "I mean", "basically"]
FILLERS_ZH = ["嗯", "那个", "就是", "然后"]
CHINESE = [
    "我们的客户每天要处理上千张工单，分类和分派占了客服一半的时间。",
    "我们的模型在真实数据上比基线准确率高出十二个百分点。",
    "现在有三家付费客户，月收入每个月增长百分之二十。",
    "这笔融资主要用于招聘工程师和拓展渠道。",
]
Received = dict[Any, float]


class Conn:
    """One keep-alive connection with the API token, as a browser tab keeps one. Each is used with less than
    the web line's keep-alive (5 s) between two requests, so none is closed under the benchmark."""

    def __init__(self, port: int, token: str) -> None:
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, payload: Any = None) -> tuple[Any, int]:
        """The JSON answer (None when empty) and its size in bytes; an error status raises."""
        self.conn.request(method, path, None if payload is None else json.dumps(payload), self.headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path} answered {response.status}: {data[:300]!r}")
        return (json.loads(data) if data else None), len(data)


def figures_of(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "p50_ms": round(percentile(values, 50), 2), "p95_ms": round(percentile(values, 95), 2)}


def ratio(a: dict[str, Any], b: dict[str, Any]) -> str:
    return f"{a['p50_ms'] / b['p50_ms']:.2f} · {a['p95_ms'] / b['p95_ms']:.2f}"


# ---------- the phone remote ----------


def relay(count: int, rng: random.Random, send: Callable[[int], Any], receive: Callable[[Received], None]) -> Any:
    """``receive`` in its own thread (filling key -> when it arrived) while this one sends ``count`` presses at a
    jittered pace (``send`` returns the key); the latencies in ms, from just before each send to its receipt."""
    received: Received = {}
    thread = threading.Thread(target=receive, args=(received,), daemon=True)
    thread.start()
    sent: dict[Any, float] = {}
    for number in range(count):
        time.sleep(rng.uniform(*PAUSE_S))
        started = time.perf_counter()
        sent[send(number)] = started
    thread.join(timeout=50)  # a long-poll queued behind others for up to 20 s, then its own wait
    return [(received[key] - at) * 1000 for key, at in sent.items() if key in received]


def raw_block(redis_url: str, count: int, rng: random.Random) -> list[float]:
    """The floor: XADD in this thread, XREAD BLOCK in another, each on its own connection to the same Redis."""
    sender, reader = redis.Redis.from_url(redis_url), redis.Redis.from_url(redis_url)
    key = f"pitchlab:bench:{secrets.token_hex(4)}"

    def receive(received: Received) -> None:
        after: Any = "0-0"
        while len(received) < count:
            answer: Any = reader.xread({key: after}, count=100, block=20_000)
            now = time.perf_counter()
            for _, entries in answer:
                for entry_id, _fields in entries:
                    received[entry_id], after = now, entry_id

    result: list[float] = relay(count, rng, lambda _: sender.xadd(key, {"action": "next", "slide": ""}), receive)
    sender.delete(key)
    return result


def commands_block(
    port: int, token: str, pitch_id: int, count: int, rng: random.Random, poll_s: float
) -> tuple[list[float], list[float]]:
    """The phone POSTs "next"; the presenter long-polls (``poll_s`` 0) or asks with wait=0 every ``poll_s``.
    The latencies and the phone's own POST round trips."""
    path = f"/api/pitches/{pitch_id}/remote/commands/"
    presenter, phone = Conn(port, token), Conn(port, token)
    after = presenter.call("GET", f"{path}?wait=0")[0]["last"]
    posts: list[float] = []

    def receive(received: Received) -> None:
        nonlocal after
        next_at = time.perf_counter()
        deadline = next_at + count * max(PAUSE_S) + 45  # a lost command must not keep this thread polling
        while len(received) < count and time.perf_counter() < deadline:
            data = presenter.call("GET", f"{path}?after={after}&wait={0 if poll_s else 20}")[0]
            now = time.perf_counter()
            for command in data["commands"]:
                received[command["id"]] = now
            after = data["last"]
            if poll_s:
                next_at = max(next_at + poll_s, now)
                time.sleep(max(0.0, next_at - time.perf_counter()))

    def send(_: int) -> str:
        started = time.perf_counter()
        entry_id = str(phone.call("POST", path, {"action": "next"})[0]["id"])
        posts.append((time.perf_counter() - started) * 1000)
        return entry_id

    return relay(count, rng, send, receive), posts


def state_block(port: int, token: str, pitch_id: int, count: int, rng: random.Random, notes: str) -> list[float]:
    """The presenter PUTs its state (a slide's notes included); the phone long-polls it, as remote.js does."""
    path = f"/api/pitches/{pitch_id}/remote/state/"
    presenter, phone = Conn(port, token), Conn(port, token)
    version = phone.call("GET", f"{path}?wait=0")[0]["version"]
    state = {"count": 14, "title": "Traction", "notes": notes, "paused": False, "blank": False, "target": 300}

    def receive(received: Received) -> None:
        nonlocal version
        while count - 1 not in received:  # the last PUT is never overtaken
            data = phone.call("GET", f"{path}?after={version}&wait=20")[0]
            if data["state"] is not None:  # the newest state only: a PUT overtaken by the next is never seen
                received[data["state"]["seq"]] = time.perf_counter()
                version = data["version"]

    def put(seq: int) -> int:
        presenter.call("PUT", path, {**state, "seq": seq, "slide": seq % 14 + 1, "total_elapsed": 61.5 + seq})
        return seq

    result: list[float] = relay(count, rng, put, receive)
    return result


HELD_PER_ACCOUNT = 16  # other long-polls per account: half the default cap on open waits


def other_accounts(count: int) -> list[tuple[str, int]]:
    """``count`` more users, each with an API token and a pitch of their own (created in this process's database):
    the token and the pitch's id of each."""
    from django.contrib.auth.models import User

    from pitchlab.accounts.tokens import token_create
    from pitchlab.pitches.services import pitch_create

    made = []
    for _ in range(count):
        user = User.objects.create_user(f"bench-{secrets.token_hex(4)}", password=secrets.token_urlsafe(16))
        _token, key = token_create(user=user, name="bench")
        made.append((key, pitch_create(owner=user, name="Benchmark pitch").pk))
    return made


def holding(port: int, accounts: list[tuple[str, int]], count: int) -> Callable[[], None]:
    """``count`` long-polls of other phones (waiting for a state that does not come), HELD_PER_ACCOUNT per account
    at most, each in a thread of this process with its own connection; the function that releases them."""
    stop = threading.Event()
    used = [accounts[number // HELD_PER_ACCOUNT] for number in range(count)]

    def hold(token: str, pitch_id: int) -> None:
        path = f"/api/pitches/{pitch_id}/remote/state/"
        conn = Conn(port, token)
        version = conn.call("GET", f"{path}?wait=0")[0]["version"]
        while not stop.is_set():
            try:
                conn.call("GET", f"{path}?after={version}&wait=20")
            except OSError:  # queued behind the others for longer than the client waits
                conn = Conn(port, token)

    threads = [threading.Thread(target=hold, args=account, daemon=True) for account in used]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # every one of them in its wait

    def release() -> None:
        stop.set()
        for token, pitch_id in dict.fromkeys(used):
            Conn(port, token).call("PUT", f"/api/pitches/{pitch_id}/remote/state/", {"released": True})
        for thread in threads:
            thread.join(timeout=45)

    return release


# ---------- the reports ----------


def segments_for(count: int, keys: list[str], rng: random.Random, minutes: int = 20) -> list[dict[str, Any]]:
    """``count`` segments over ``minutes``: mostly forward, often back a slide, now and then a pause; the deck is
    run through several times (a 20-minute rehearsal of a 5-minute deck)."""
    steps: list[tuple[int, float]] = []  # (slide index, pause before it in s)
    position, pause = 0, 0.0
    for _ in range(count):
        steps.append((position, pause))
        roll, pause = rng.random(), 0.0
        if roll < 0.04:
            pause = rng.uniform(5, 25)  # the same slide again, after the pause
        elif roll < 0.40 and position > 0:
            position -= 1
        else:
            position = (position + 1) % len(keys)
    weights = [rng.uniform(0.3, 1.7) for _ in steps]
    scale = (minutes * 60_000 - sum(pause for _, pause in steps) * 1000) / sum(weights)
    segments, at = [], 0
    for (index, before), weight in zip(steps, weights, strict=True):
        start = at + int(before * 1000)
        at = start + max(300, int(weight * scale))
        segments.append({"slide": keys[index], "start_ms": start, "end_ms": at})
    return segments


def transcript_for(slides: list[dict[str, Any]], rng: random.Random, words: int = 2500) -> str:
    """The deck's notes said aloud with fillers, and a Chinese sentence now and then: ``words`` words (a Han
    character counting as one)."""
    sentences = [s.strip() for slide in slides for s in slide["notes"].split(".") if len(s.split()) > 3]
    said: list[str] = []
    count = 0
    while count < words:
        if rng.random() < 0.12:
            said.append(rng.choice(FILLERS_ZH) + "，" + rng.choice(CHINESE))
            count += len(said[-1])
            continue
        tokens = rng.choice(sentences).split()
        for _ in range(rng.randint(0, 2)):
            tokens.insert(rng.randrange(len(tokens)), rng.choice(FILLERS_EN) + ",")
        said.append(" ".join(tokens) + ".")
        count += len(tokens)
    return " ".join(said)


def store_rehearsals(port: int, token: str, pitch_id: int, count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` rehearsals as the presenter view stores them: POST (recording), then PATCH with the timings, the
    transcript and the finish (one in ten cut off: incomplete)."""
    made = []
    for number in range(count):
        _, rehearsal = request_json(port, "POST", f"/api/pitches/{pitch_id}/rehearsals/", token, {"lang": "en"})
        keys = [slide["key"] for slide in rehearsal["slides"]]
        body = {
            "segments": segments_for(300, keys, rng),
            "transcript": transcript_for(rehearsal["slides"], rng),
            "status": "incomplete" if number % 10 == 9 else "complete",
        }
        status, rehearsal = request_json(port, "PATCH", f"/api/rehearsals/{rehearsal['id']}/", token, body)
        if status != 200:
            raise RuntimeError(f"storing a rehearsal answered {status}: {rehearsal}")
        made.append(rehearsal)
    return made


def timed(call: Callable[[], Any], repeat: int) -> float:
    """The median ms of ``call`` in this process."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def pure_cores(pitch_id: int, repeat: int) -> dict[str, float]:
    from pitchlab.rehearsals import selectors, timing, transcript
    from pitchlab.rehearsals.models import Rehearsal

    rows = list(Rehearsal.objects.filter(pitch_id=pitch_id).order_by("started_at", "id"))
    first = rows[0]
    slides, segments = timing.planned_slides(first.slides), [timing.Segment(**s) for s in first.segments]
    minutes, target = selectors.rehearsal_timing(first).total / 60, first.target_seconds

    def points() -> list[timing.RehearsalPoint]:
        reports = [(row, selectors.rehearsal_timing(row)) for row in rows]
        return [
            timing.RehearsalPoint(row.pk, row.started_at.isoformat(), r.complete, r.total, r.target, r.slides)
            for row, r in reports
        ]

    made = points()
    return {
        "timing_report_ms": timed(lambda: timing.timing_report(slides, segments, target=target, complete=True), repeat),
        "analyse_transcript_ms": timed(
            lambda: transcript.analyse_transcript(first.transcript, minutes=minutes), repeat
        ),
        "trend_ms": timed(lambda: timing.trend(made), repeat),
        "reports_and_trend_ms": timed(lambda: timing.trend(points()), max(3, repeat // 5)),
    }


# ---------- the run ----------


@contextmanager
def stack_up(progress: Callable[[str], None]) -> Iterator[tuple[int, str, int, str]]:
    """Redis, a fresh SQLite database with a user, its token and a pitch, and the Procfile's web line: the port,
    the token, the pitch's id and the Redis URL."""
    folder = Path(tempfile.mkdtemp(prefix="pl-bench-rehearsal-"))
    with ExitStack() as stack:
        redis_url = os.environ.get("REDIS_URL", "").strip() or stack.enter_context(embedded_redis(folder))
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "pitchlab.settings",
            "REDIS_URL": redis_url,
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "PITCHLAB_VAR_DIR": str(folder / "var"),
            "PITCHLAB_DEBUG": "0",  # as deployed (docker-compose.yml), with this run's own key
            "PITCHLAB_SECRET_KEY": secrets.token_urlsafe(48),
            "PITCHLAB_SSL_REDIRECT": "0",
            "PITCHLAB_HOST": "127.0.0.1",
        }
        os.environ.update(env)  # this process migrates and times the pure cores with the same settings
        from pitchlab.launcher import read_procfile

        progress(f"broker {redis_url}, files in {folder}")
        token, pitch_id = prepare_database()
        port, log = free_port(), folder / "web.log"
        web = stack.enter_context(process(read_procfile(ROOT / "Procfile")["web"], {**env, "PORT": str(port)}, log))
        wait_for_web(port, token, web, log)
        yield port, token, pitch_id, redis_url
    shutil.rmtree(folder, ignore_errors=True)  # kept, with the web's log, when the run failed


def run(args: argparse.Namespace, progress: Callable[[str], None]) -> dict[str, Any]:
    rng = random.Random(7)
    with stack_up(progress) as (port, token, remote_pitch, redis_url):
        from django.contrib.auth.models import User

        from pitchlab.accounts.tokens import key_hash
        from pitchlab.pitches.documents import template_document
        from pitchlab.pitches.services import pitch_import

        owner = User.objects.get(api_tokens__key_hash=key_hash(token))
        pitch = pitch_import(owner=owner, document=template_document("support_nlp")).pk
        progress(f"storing {args.rehearsals} rehearsals of the support_nlp pitch through the API")
        made = store_rehearsals(port, token, pitch, args.rehearsals, rng)
        notes = max((slide["notes"] for slide in made[0]["slides"]), key=len)

        per_round = max(1, args.presses // args.rounds)
        commands_block(port, token, remote_pitch, 10, rng, 0)  # warm-up: imports and connections of both workers
        got: dict[str, list[float]] = {"raw": [], "long": [], "short": [], "state": [], "post": []}
        for number in range(args.rounds):
            progress(f"remote, round {number + 1} of {args.rounds}: {per_round} presses of each kind")
            got["raw"] += raw_block(redis_url, per_round, rng)
            for kind, poll_s in (("long", 0.0), ("short", SHORT_POLL_S)):
                measured, posts = commands_block(port, token, remote_pitch, per_round, rng, poll_s)
                got[kind] += measured
                got["post"] += posts
            got["state"] += state_block(port, token, remote_pitch, per_round, rng, notes)

        accounts = other_accounts(-(-max(args.held, default=0) // HELD_PER_ACCOUNT))
        for held in args.held:
            progress(f"remote with {held} other long-polls open: {per_round} presses")
            release = holding(port, accounts, held)
            got[f"held_{held}"] = commands_block(port, token, remote_pitch, per_round, rng, 0)[0]
            release()

        paths = {
            "pitch": f"/api/pitches/{pitch}/",
            "report": f"/api/rehearsals/{made[0]['id']}/report/",
            "trend": f"/api/pitches/{pitch}/rehearsals/trend/",
        }
        client = Conn(port, token)
        sizes = {name: client.call("GET", path)[1] for name, path in paths.items()}  # and a warm-up
        reads: dict[str, list[float]] = {name: [] for name in paths}
        for number in range(args.rounds):
            progress(f"reports, round {number + 1} of {args.rounds}")
            for name, path in paths.items():
                for _ in range(args.reads):
                    started = time.perf_counter()
                    client.call("GET", path)
                    reads[name].append((time.perf_counter() - started) * 1000)
        progress("the pure cores, in this process")
        cores = pure_cores(pitch, args.repeat)

    remote = {name: figures_of(values) for name, values in got.items()}
    sent = args.rounds * per_round
    lost = {name: sent - len(got[name]) for name in ("raw", "long", "short", "state")}
    remote["lost_or_overtaken"] = lost | {f"held_{n}": per_round - len(got[f"held_{n}"]) for n in args.held}
    remote["held"] = args.held
    segments = made[0]["segments"]
    return {
        "presses": sent,
        "remote": remote,
        "reports": {name: {**figures_of(values), "bytes": sizes[name]} for name, values in reads.items()},
        "rehearsal": {
            "segments": len(segments),
            "slides": len(made[0]["slides"]),
            "minutes": round(segments[-1]["end_ms"] / 60_000, 1),
            "active_minutes": round(made[0]["total_seconds"] / 60, 1),
            "transcript_chars": len(made[0]["transcript"]),
            "stored": len(made),
        },
        "pure_ms": cores,
    }


def table(f: dict[str, Any]) -> str:
    r, rep, reh, pure = f["remote"], f["reports"], f["rehearsal"], f["pure_ms"]

    def row(label: str, s: dict[str, Any], *more: str) -> str:
        return f"| {label} | {s['n']} | {s['p50_ms']} | {s['p95_ms']} | " + " | ".join(more) + " |"

    lines = [
        f"Phone remote: {f['presses']} presses (and state PUTs) of each kind, 100–300 ms apart, interleaved in "
        f"rounds. The phone's POST itself (its 202): p50 {r['post']['p50_ms']} ms, p95 {r['post']['p95_ms']} ms. "
        f"Not received (lost, later than ~45 s, or a state overtaken by the next PUT): {r['lost_or_overtaken']}.",
        "",
        "| from send to receipt | n | p50 ms | p95 ms | × raw (p50 · p95) | × short poll (p50 · p95) |",
        "|---|---:|---:|---:|---|---|",
        row("raw Redis XADD → XREAD BLOCK (the floor)", r["raw"], "1", ""),
    ]
    kinds = {
        "long": "phone POST next → presenter long-poll (wait=20)",
        "short": "phone POST next → presenter short poll (wait=0 every 250 ms)",
        "state": "presenter PUT state → phone long-poll (wait=20)",
    }
    kinds |= {f"held_{n}": f"… long-poll while {n} other long-polls are open" for n in r["held"]}
    lines += [
        row(label, r[k], ratio(r[k], r["raw"]), ratio(r[k], r["short"]) if k != "state" else "")
        for k, label in kinds.items()
    ]
    lines += [
        "",
        f"Reports: a {reh['minutes']}-minute rehearsal ({reh['active_minutes']} min unpaused) of a "
        f"{reh['slides']}-slide deck, {reh['segments']} segments, a {reh['transcript_chars']}-character "
        f"transcript; the trend over {reh['stored']} stored rehearsals.",
        "",
        "| GET (one keep-alive client, token auth) | n | p50 ms | p95 ms | × pitch read (p50 · p95) | bytes |",
        "|---|---:|---:|---:|---|---:|",
    ]
    names = {"pitch": "pitches/{id}/ (the reference)", "report": "rehearsals/{id}/report/"}
    names["trend"] = "pitches/{id}/rehearsals/trend/"
    lines += [
        row(f"/api/{label}", rep[key], ratio(rep[key], rep["pitch"]), str(rep[key]["bytes"]))
        for key, label in names.items()
    ]
    cores = {
        "timing_report_ms": f"timing_report, {reh['segments']} segments",
        "analyse_transcript_ms": "analyse_transcript, that transcript",
        "trend_ms": f"trend over {reh['stored']} points (their reports made)",
        "reports_and_trend_ms": f"{reh['stored']} timing reports + trend (the trend endpoint's work)",
    }
    lines += ["", "| pure core, in process | median ms |", "|---|---:|"]
    lines += [f"| {label} | {pure[key]} |" for key, label in cores.items()]
    lines += ["", "| target of issue 20 | measured | |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {'met' if ok else '**not met**'} |" for name, value, ok in targets(f)]
    return "\n".join(lines)


def targets(f: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """Issue 20's targets that this benchmark measures: (what, measured, met). Any error answer stops the run
    (Conn.call raises), so a finished run had none; a press not received is counted here."""
    long, lost = f["remote"]["long"], f["remote"]["lost_or_overtaken"]
    return [
        ("remote press → presenter view (long-poll), p50 ≤ 5 ms", f"{long['p50_ms']} ms", long["p50_ms"] <= 5.0),
        ("… every press received", f"{lost['long']} lost", lost["long"] == 0),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/bench_rehearsal.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=200, help="presses (and state PUTs) of each kind in all")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds")
    parser.add_argument("--rehearsals", type=int, default=50, help="rehearsals stored for the trend")
    parser.add_argument("--reads", type=int, default=5, help="GETs of each report endpoint per round")
    parser.add_argument("--repeat", type=int, default=50, help="timings of each pure core")
    parser.add_argument("--held", type=int, nargs="*", default=[], help="then with this many other long-polls open")
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
