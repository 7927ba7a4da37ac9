"""The inference benchmark: raw forward, the same prediction through a real Celery worker, and load.

One run measures, side by side on the same machine (shared machines are noisy, so only figures from
the same run are compared):

* the raw in-process forward of one sentence (the limit every other figure is a ratio to), of a batch
  of 16 sentences, and of one image;
* a no-op task's round trip through the broker (the queue's own cost);
* a text prediction through a real worker, one client at a time;
* 1 and 16 concurrent clients (separate processes, closed loop) against a worker with batching on
  and with batching off (``PITCHLAB_BATCH_MAX=1``): throughput, p50 and p95.

Run it with ``python -m models_service bench`` (or ``bench/bench_inference.py``).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models_service.config import INFERENCE_QUEUE, ServiceConfig, celery_url
from models_service.evaluation import percentile

SENTENCE = "The invoice charged us twice this month and nobody answered our email about the refund."
SENTENCES = [
    SENTENCE,
    "Love the new dashboard, it saves my team an hour every morning.",
    "The export button crashes the app whenever the report has more than ten pages.",
    "Could you add single sign-on with Okta for our enterprise accounts?",
    "Why was my card charged for seats we removed last week?",
    "Search results are empty after the last update, even for exact titles.",
    "Please let us schedule reports to go out every Monday.",
    "Your support team fixed our problem in minutes, thank you!",
]


@dataclass
class Series:
    """Latencies (ms) of one measurement and how long it ran."""

    latencies: list[float]
    wall_s: float
    batch_sizes: list[int] = field(default_factory=list)
    client_cpu_ms: float | None = None  # CPU time the clients spent per request (sending, waiting, decoding)

    @property
    def mean_batch(self) -> float:
        return statistics.fmean(self.batch_sizes) if self.batch_sizes else 1.0

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 50)

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 95)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall_s

    @property
    def per_request_ms(self) -> float:
        return self.wall_s * 1000 / len(self.latencies)


def _timed(call: Callable[[], Any], repeat: int, *, cuda: bool = False) -> list[float]:
    """Milliseconds of ``call`` over ``repeat`` runs (CUDA events on a GPU, so asynchronous kernels count)."""
    import torch

    times: list[float] = []
    for _ in range(repeat):
        if cuda:
            start = torch.cuda.Event(enable_timing=True)  # type: ignore[no-untyped-call]
            end = torch.cuda.Event(enable_timing=True)  # type: ignore[no-untyped-call]
            start.record()
            call()
            end.record()
            torch.cuda.synchronize()
            times.append(start.elapsed_time(end))
        else:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
    return times


def raw_forward(models_dir: Path, *, device: str, threads: int, repeat: int) -> dict[str, float]:
    """Median in-process forward times (ms) of the text and image models, as a worker would run them."""
    from PIL import Image

    from models_service.loading import load_model

    figures: dict[str, float] = {}
    text = load_model(models_dir / "sample-text", model_id="sample-text", device=device, threads=threads)
    cuda = device.startswith("cuda")
    figures["text_1"] = statistics.median(_timed(lambda: text.forward([SENTENCE]), repeat, cuda=cuda))
    batch = (SENTENCES * 2)[:16]
    figures["text_16_per_sentence"] = statistics.median(_timed(lambda: text.forward(batch), repeat, cuda=cuda)) / 16
    if (models_dir / "sample-image" / "config.json").is_file():
        image = load_model(models_dir / "sample-image", model_id="sample-image", device=device, threads=threads)
        picture = Image.new("RGB", (256, 256), "white")
        figures["image_1"] = statistics.median(_timed(lambda: image.forward([picture]), repeat, cuda=cuda))
    return figures


def _client_app(redis_url: str) -> Any:
    from celery import Celery

    url = celery_url(redis_url)
    app = Celery("bench-client", broker=url, backend=url, fixups=[], set_as_current=False)
    app.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"])
    return app


def _call(app: Any, name: str, payload: Any) -> Any:
    return app.send_task(name, args=[payload], queue=INFERENCE_QUEUE).get(timeout=60)


def _payload(index: int) -> dict[str, Any]:
    return {"model": "sample-text", "text": SENTENCES[index % len(SENTENCES)], "sent_at": time.time()}


def _client(redis_url: str, task: str, start_at: float, stop_at: float, results: Any) -> None:
    """One closed-loop client: send, wait for the answer, send again, until ``stop_at``."""
    app = _client_app(redis_url)
    _call(app, "models_service.noop", None)  # connect before the clock starts
    latencies: list[float] = []
    batch_sizes: list[int] = []
    time.sleep(max(0.0, start_at - time.time()))
    cpu_started = time.process_time()
    index = os.getpid()
    while time.time() < stop_at:
        started = time.perf_counter()
        reply = _call(app, task, _payload(index) if task == "models_service.predict" else None)
        latencies.append((time.perf_counter() - started) * 1000)
        if isinstance(reply, dict):
            if not reply.get("ok", True):
                raise RuntimeError(f"the worker refused a benchmark request: {reply}")
            batch_sizes.append(int(reply.get("batch_size", 1)))
        index += 1
    results.put((latencies, batch_sizes, time.process_time() - cpu_started))


def concurrent(redis_url: str, clients: int, seconds: float, task: str = "models_service.predict") -> Series:
    """``clients`` processes in closed loops for ``seconds``; all their latencies and the wall time."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 3.0 + 0.15 * clients  # time for every client to start and connect
    stop_at = start_at + seconds
    procs = [
        context.Process(target=_client, args=(redis_url, task, start_at, stop_at, results)) for _ in range(clients)
    ]
    for proc in procs:
        proc.start()
    latencies: list[float] = []
    sizes: list[int] = []
    client_cpu_s = 0.0
    for _ in procs:
        part, part_sizes, cpu_s = results.get(timeout=seconds + 120)
        latencies += part
        sizes += part_sizes
        client_cpu_s += cpu_s
    for proc in procs:
        proc.join(timeout=30)
    if any(proc.exitcode != 0 for proc in procs):
        raise RuntimeError("a benchmark client failed")
    # Closed loops: each client's last request may end after stop_at; the wall is the clients' window.
    return Series(latencies, seconds, sizes, client_cpu_s * 1000 / max(1, len(latencies)))


def sequential(app: Any, task: str, count: int) -> Series:
    latencies: list[float] = []
    started = time.perf_counter()
    for index in range(count):
        call_started = time.perf_counter()
        reply = _call(app, task, _payload(index) if task == "models_service.predict" else None)
        latencies.append((time.perf_counter() - call_started) * 1000)
        if isinstance(reply, dict) and reply.get("ok") is False:
            raise RuntimeError(f"the worker refused a benchmark request: {reply}")
    return Series(latencies, time.perf_counter() - started)


@contextmanager
def worker(config: ServiceConfig, *, batch_max: int, concurrency: int, log: Path) -> Iterator[None]:
    """A real inference worker (thread pool, as in the Procfile) for the length of the block."""
    env = {
        **os.environ,
        "REDIS_URL": config.redis_url,
        "PITCHLAB_MODELS_DIR": str(config.models_dir),
        "PITCHLAB_DEVICE": config.device,
        "PITCHLAB_BATCH_MAX": str(batch_max),
        "PITCHLAB_BATCH_WAIT_MS": str(config.batch_wait_ms),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "models_service.celery_app", "worker", "-Q", INFERENCE_QUEUE,
        "-n", f"bench-{os.getpid()}-{batch_max}@%h", "-P", "threads", "-c", str(concurrency),
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "WARNING",
    ]  # fmt: skip
    with log.open("ab") as sink:
        proc = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        app = _client_app(config.redis_url)
        deadline = time.monotonic() + 120
        while True:
            try:
                _call(app, "models_service.warmup", {"models": ["sample-text"]})
                break
            except Exception:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the benchmark worker did not start; see {log}") from None
                time.sleep(0.5)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def purge(redis_url: str) -> None:
    _client_app(redis_url).control.purge()


def run(
    config: ServiceConfig, *, repeat: int = 200, seconds: float = 20.0, progress: Callable[[str], None]
) -> dict[str, Any]:
    """Every figure of the benchmark, as a JSON-ready dict."""
    from models_service.device import resolve_device

    info = resolve_device(config.device)
    threads = config.threads or info.threads
    progress(f"raw forward on {info.device} ({threads} threads)")
    raw = raw_forward(config.models_dir, device=info.device, threads=threads, repeat=repeat)
    base = raw["text_1"]
    figures: dict[str, Any] = {"device": info.as_json(), "raw_ms": raw, "runs": {}}
    purge(config.redis_url)
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "worker.log"
        for batching, batch_max in (("on", config.max_batch), ("off", 1)):
            with worker(config, batch_max=batch_max, concurrency=16, log=log):
                app = _client_app(config.redis_url)
                if batching == "on":
                    progress("no-op round trip and one client, sequential")
                    sequential(app, "models_service.noop", 20)
                    figures["noop"] = _summary(sequential(app, "models_service.noop", repeat), base)
                    sequential(app, "models_service.predict", 20)
                    figures["celery_1"] = _summary(sequential(app, "models_service.predict", repeat), base)
                for clients in (1, 16):
                    progress(f"batching {batching}: {clients} client(s) for {seconds:g} s")
                    series = concurrent(config.redis_url, clients, seconds)
                    figures["runs"][f"batching_{batching}_{clients}"] = _summary(series, base)
    for batching in ("on", "off"):
        one = figures["runs"][f"batching_{batching}_1"]["throughput"]
        many = figures["runs"][f"batching_{batching}_16"]
        many["throughput_vs_1_client"] = round(many["throughput"] / one, 2)
    return figures


def _summary(series: Series, base_ms: float) -> dict[str, Any]:
    return {
        "requests": len(series.latencies),
        "p50_ms": round(series.p50, 2),
        "p95_ms": round(series.p95, 2),
        "throughput": round(series.throughput, 1),
        "per_request_ms": round(series.per_request_ms, 2),
        "p50_x_raw": round(series.p50 / base_ms, 2),
        "p95_x_raw": round(series.p95 / base_ms, 2),
        "per_request_x_raw": round(series.per_request_ms / base_ms, 2),
        "mean_batch": round(series.mean_batch, 1),
        "client_cpu_ms": None if series.client_cpu_ms is None else round(series.client_cpu_ms, 2),
    }


def table(figures: dict[str, Any]) -> str:
    """The figures as a Markdown table for docs/benchmarks.md."""
    raw = figures["raw_ms"]
    lines = [
        f"Device: {figures['device']['device']} ({figures['device']['name']}, {figures['device']['threads']} threads)",
        "",
        "| measurement | p50 ms | p95 ms | per request ms | throughput /s | × raw (p50 · p95 · per request) |",
        "|---|---:|---:|---:|---:|---|",
        f"| raw forward, 1 sentence (the limit) | {raw['text_1']:.2f} | | | | 1 |",
        f"| raw forward, batch of 16, per sentence | {raw['text_16_per_sentence']:.2f} | | | | "
        f"{raw['text_16_per_sentence'] / raw['text_1']:.2f} |",
    ]
    if "image_1" in raw:
        lines.append(f"| raw forward, 1 image | {raw['image_1']:.2f} | | | | |")

    def row(name: str, s: dict[str, Any]) -> str:
        return (
            f"| {name} | {s['p50_ms']:.2f} | {s['p95_ms']:.2f} | {s['per_request_ms']:.2f} | {s['throughput']:.1f} | "
            f"{s['p50_x_raw']} · {s['p95_x_raw']} · {s['per_request_x_raw']} |"
        )

    lines.append(row("no-op task round trip", figures["noop"]))
    lines.append(row("text prediction via Celery, 1 client", figures["celery_1"]))
    for key, s in figures["runs"].items():
        _, batching, clients = key.split("_")
        name = f"{clients} client{'s' if clients != '1' else ''}, batching {batching}"
        extra = f" (throughput {s['throughput_vs_1_client']}× one client)" if "throughput_vs_1_client" in s else ""
        lines.append(row(name + extra, s))
    return "\n".join(lines)


def main(config: ServiceConfig, *, repeat: int, seconds: float, as_json: bool) -> None:
    figures = run(config, repeat=repeat, seconds=seconds, progress=lambda line: print(f"… {line}", file=sys.stderr))
    print(json.dumps(figures, indent=2) if as_json else table(figures))
