"""Settings of the inference service, read from the environment once."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

INFERENCE_QUEUE = "inference"


class ConfigError(ValueError):
    """A setting has a bad value; the message names the variable."""


@dataclass(frozen=True)
class ServiceConfig:
    redis_url: str
    device: str
    soft_time_limit: int
    time_limit: int
    models_dir: Path = Path("var/models")
    memory_budget_mb: int = 2048
    max_text_chars: int = 2000
    max_texts: int = 64
    max_image_bytes: int = 8_000_000
    max_image_pixels: int = 25_000_000
    threads: int = 0  # 0: one per available core
    max_batch: int = 32  # inputs per forward; 1 turns batching off
    batch_wait_ms: int = 10  # how long a batch waits for stragglers while the worker is under load
    predict_budget_s: int = 10  # a prediction or an explanation that takes longer is answered with "timeout"
    explain_budget_s: int = 20
    train_budget_s: int = 1200
    evaluate_budget_s: int = 900
    max_examples: int = 5000  # rows of a training or evaluation set
    max_upload_bytes: int = 64_000_000  # a zipped evaluation set
    max_model_upload_bytes: int = 300_000_000  # a zipped model artefact a founder installs
    text_base: Path | None = None  # the encoder founders' text models are fine-tuned from; None: all-MiniLM-L6-v2

    @property
    def celery_url(self) -> str:
        return celery_url(self.redis_url)


def celery_url(redis_url: str) -> str:
    """The broker / result-backend URL for ``redis_url``: Celery spells a unix socket
    ``redis+socket://path?virtual_host=db`` where redis-py reads ``unix://path?db=N``."""
    parts = urlsplit(redis_url)
    if parts.scheme != "unix":
        return redis_url
    db = parse_qs(parts.query).get("db", ["0"])[0]
    return f"redis+socket://{parts.path}?virtual_host={db}"


def _int(environ: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer (got {raw!r})") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum} (got {value})")
    return value


def load_config(environ: Mapping[str, str] | None = None) -> ServiceConfig:
    """Read the service's settings; raises ConfigError naming the bad variable."""
    env = os.environ if environ is None else environ
    redis_url = env.get("REDIS_URL", "").strip() or "redis://127.0.0.1:6379/0"
    if urlsplit(redis_url).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(f"REDIS_URL must start with redis://, rediss:// or unix:// (got {redis_url!r})")
    device = env.get("PITCHLAB_DEVICE", "").strip().lower() or "auto"
    if device not in {"auto", "cpu", "cuda"} and not (device.startswith("cuda:") and device[5:].isdigit()):
        raise ConfigError(f"PITCHLAB_DEVICE must be auto, cpu, cuda or cuda:N (got {device!r})")
    var_dir = Path(env.get("PITCHLAB_VAR_DIR", "").strip() or "var")
    return ServiceConfig(
        redis_url=redis_url,
        device=device,
        soft_time_limit=_int(env, "PITCHLAB_INFERENCE_SOFT_TIME_LIMIT", 60),
        time_limit=_int(env, "PITCHLAB_INFERENCE_TIME_LIMIT", 90),
        models_dir=Path(env.get("PITCHLAB_MODELS_DIR", "").strip() or var_dir / "models").resolve(),
        memory_budget_mb=_int(env, "PITCHLAB_MODEL_MEMORY_MB", 2048),
        max_text_chars=_int(env, "PITCHLAB_MAX_TEXT_CHARS", 2000),
        max_texts=_int(env, "PITCHLAB_MAX_TEXTS", 64),
        max_image_bytes=_int(env, "PITCHLAB_MAX_IMAGE_BYTES", 8_000_000),
        max_image_pixels=_int(env, "PITCHLAB_MAX_IMAGE_PIXELS", 25_000_000),
        threads=_int(env, "PITCHLAB_TORCH_THREADS", 0, minimum=0),
        max_batch=_int(env, "PITCHLAB_BATCH_MAX", 32),
        batch_wait_ms=_int(env, "PITCHLAB_BATCH_WAIT_MS", 10, minimum=0),
        predict_budget_s=_int(env, "PITCHLAB_PREDICT_BUDGET_S", 10),
        explain_budget_s=_int(env, "PITCHLAB_EXPLAIN_BUDGET_S", 20),
        train_budget_s=_int(env, "PITCHLAB_TRAIN_BUDGET_S", 1200),
        evaluate_budget_s=_int(env, "PITCHLAB_EVALUATE_BUDGET_S", 900),
        max_examples=_int(env, "PITCHLAB_MAX_EXAMPLES", 5000),
        max_upload_bytes=_int(env, "PITCHLAB_MAX_UPLOAD_BYTES", 64_000_000),
        max_model_upload_bytes=_int(env, "PITCHLAB_MAX_MODEL_UPLOAD_BYTES", 300_000_000),
        text_base=Path(env["PITCHLAB_TEXT_BASE"]).resolve() if env.get("PITCHLAB_TEXT_BASE", "").strip() else None,
    )
