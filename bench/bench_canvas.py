"""Benchmark of the canvas' pure cores on a full example pitch.

    .venv/bin/python bench/bench_canvas.py [--repeat 200]

Each operation runs ``repeat`` times in rounds interleaved with the baseline (json.dumps of the
same canvas), so both see the same machine load; the report gives medians and each operation's
ratio to the baseline, measured side by side in this one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitchlab.settings")

import django

django.setup()

from pitchlab.pitches.checks import check_canvas  # noqa: E402
from pitchlab.pitches.completeness import completeness  # noqa: E402
from pitchlab.pitches.documents import canvas_read, template_document  # noqa: E402
from pitchlab.pitches.growth import analyse  # noqa: E402
from pitchlab.pitches.tabular import parse_traction  # noqa: E402


def median_ms(fn: Callable[[], Any], samples: list[float]) -> None:
    start = time.perf_counter()
    fn()
    samples.append((time.perf_counter() - start) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    document = template_document("support_nlp")
    assert document is not None
    canvas = canvas_read(document["canvas"])
    users = [(row["period"], row["value"]) for row in canvas["data"]["traction"] if row["metric"] == "paying teams"]
    csv_text = "period,metric,value,unit\n" + "\n".join(
        f"{2000 + i // 12}-{i % 12 + 1:02d},users,{1000 + 37 * i},users" for i in range(1000)
    )
    operations: dict[str, Callable[[], Any]] = {
        "baseline: json.dumps(canvas)": lambda: json.dumps(canvas),
        "check_canvas (rational-pitch checker)": lambda: check_canvas(canvas),
        "completeness": lambda: completeness(canvas),
        "canvas_read (validate every unit)": lambda: canvas_read(canvas),
        "growth analyse (10 periods, 3 ahead)": lambda: analyse(users, periods_ahead=3),
        "parse_traction (1,000 CSV rows)": lambda: parse_traction(csv_text),
    }
    check_canvas(canvas)  # the first call reads the word lists and compiles the patterns
    samples: dict[str, list[float]] = {name: [] for name in operations}
    for _ in range(args.repeat):
        for name, fn in operations.items():  # interleaved: every round measures every operation
            median_ms(fn, samples[name])

    baseline = statistics.median(samples["baseline: json.dumps(canvas)"])
    print(f"canvas: {len(json.dumps(canvas))} bytes of JSON; {args.repeat} rounds, interleaved")
    print(f"{'operation':42} {'median ms':>10} {'p90 ms':>8} {'× baseline':>11}")
    for name, values in samples.items():
        med = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{name:42} {med:10.3f} {p90:8.3f} {med / baseline:11.1f}")


if __name__ == "__main__":
    main()
