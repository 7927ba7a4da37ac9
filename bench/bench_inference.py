"""Benchmark of the inference service: raw forward, the same prediction through a real Celery worker,
a no-op round trip, and 1 and 16 concurrent clients with batching on and off.

    REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/bench_inference.py [--seconds 20] [--json]

Needs the sample models (``python -m models_service build-samples``) and a Redis; it starts its own
inference workers (thread pool, as in the Procfile) and client processes. All ratios are to the raw
single-sentence forward measured in the same run. On a GPU machine set ``PITCHLAB_DEVICE=cuda``:
forward times are then taken with CUDA events. See models_service/benchmark.py for what is measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models_service.__main__ import main

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
