"""``python -m models_service``: the service's command line, in-process (no worker needed).

    device                          the device models will run on
    predict MODEL TEXT... | --image FILE
    explain MODEL TEXT | --image FILE [--heatmap OUT.png]
    evaluate MODEL FILE.csv|FILE.zip
    train NEW_MODEL FILE.csv        fine-tune a text classifier from labelled examples
    build-samples [--force]         the sample text and image models
    bench                           the inference benchmark (starts its own workers)

Answers are JSON on stdout; a refusal is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path
from typing import Any

from models_service.config import ConfigError, ServiceConfig, load_config
from models_service.device import DeviceUnavailable, resolve_device
from models_service.errors import ServiceError


class CommandError(Exception):
    """A bad argument, reported as one line."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m models_service", description="PitchLab's inference service.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("device", help="print the device models will run on")
    for name in ("predict", "explain"):
        sub = commands.add_parser(name, help=f"{name} with a model in the models folder")
        sub.add_argument("model")
        sub.add_argument("text", nargs="*", help="text(s) for a text model")
        sub.add_argument("--image", type=Path, help="an image file for an image model")
        if name == "predict":
            sub.add_argument("--top-k", type=int, default=3)
        else:
            sub.add_argument("--label", help="explain this label instead of the predicted one")
            sub.add_argument("--heatmap", type=Path, help="write an image explanation's overlay PNG here")
    sub = commands.add_parser("evaluate", help="score a model on a labelled CSV (text) or zip (images)")
    sub.add_argument("model")
    sub.add_argument("dataset", type=Path)
    sub = commands.add_parser("train", help="fine-tune a text classifier from a CSV with text,label columns")
    sub.add_argument("model", help="the new model's id")
    sub.add_argument("examples", type=Path)
    sub.add_argument("--seed", type=int, default=0)
    sub = commands.add_parser("build-samples", help="build the sample models that are missing")
    sub.add_argument("--force", action="store_true", help="rebuild them even when present")
    sub = commands.add_parser("bench", help="the inference benchmark (needs Redis and the sample models)")
    sub.add_argument("--repeat", type=int, default=200)
    sub.add_argument("--seconds", type=float, default=20.0)
    sub.add_argument("--json", action="store_true")
    return parser


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None


def _inputs(args: argparse.Namespace) -> dict[str, Any]:
    if args.image is not None:
        return {"image": base64.b64encode(_read(args.image)).decode()}
    if not args.text:
        raise CommandError("give a text, or --image FILE for an image model")
    return {"texts": args.text} if args.command == "predict" else {"text": " ".join(args.text)}


class _Bar:
    """A progress bar on stderr that follows the service's progress reports ({"stage", "fraction"})."""

    def __init__(self, name: str) -> None:
        from tqdm import tqdm

        self.name = name
        self.bar = tqdm(total=100, desc=name, file=sys.stderr, bar_format="{desc:<28} {percentage:3.0f}% |{bar}|")

    def __call__(self, state: dict[str, Any]) -> None:
        self.bar.set_description_str(f"{self.name} ({state.get('stage', '')})", refresh=False)
        self.bar.update(round(100 * float(state.get("fraction", 0))) - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def _quiet_transformers() -> None:
    """transformers' own bars and notices (loading weights, a new classifier head) would break ours."""
    from transformers.utils import logging

    logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    logging.disable_progress_bar()  # type: ignore[no-untyped-call]


def _run(args: argparse.Namespace, config: ServiceConfig) -> Any:
    from models_service import inference, lifecycle

    if args.command == "device":
        return resolve_device(config.device).as_json()
    _quiet_transformers()
    if args.command == "predict":
        return inference.predict({"model": args.model, **_inputs(args), "top_k": args.top_k}, config=config)
    if args.command == "explain":
        result = inference.explain({"model": args.model, **_inputs(args), "label": args.label}, config=config)
        heatmap = result["explanation"].pop("heatmap_png", None)
        if heatmap and args.heatmap:
            args.heatmap.write_bytes(base64.b64decode(heatmap))
            result["explanation"]["heatmap"] = str(args.heatmap)
        return result
    if args.command == "evaluate":
        data = _read(args.dataset)
        key = "zip" if args.dataset.suffix.lower() == ".zip" else "csv"
        body = base64.b64encode(data).decode() if key == "zip" else data.decode("utf-8", errors="replace")
        bar = _Bar("evaluating")
        try:
            return inference.evaluate(
                {"model": args.model, key: body, "name": args.dataset.name}, config=config, progress=bar
            )
        finally:
            bar.close()
    if args.command == "train":
        from models_service.evaluation import EvaluationInputError, read_text_csv

        try:
            texts, labels = read_text_csv(_read(args.examples), max_rows=config.max_examples)
        except EvaluationInputError as exc:
            raise CommandError(f"{args.examples}: {exc}") from None
        examples = [{"text": t, "label": label} for t, label in zip(texts, labels, strict=True)]
        bar = _Bar(args.model)
        try:
            return lifecycle.train_text(
                {"model": args.model, "examples": examples, "seed": args.seed}, config=config, progress=bar
            )
        finally:
            bar.close()
    if args.command == "build-samples":
        bars: dict[str, _Bar] = {}

        def progress(state: dict[str, Any]) -> None:
            name = state.get("sample", "sample")
            (bars.get(name) or bars.setdefault(name, _Bar(name)))(state)

        try:
            return lifecycle.build_samples({"force": args.force}, config=config, progress=progress)
        finally:
            for bar in bars.values():
                bar.close()
    from models_service import benchmark

    benchmark.main(config, repeat=args.repeat, seconds=args.seconds, as_json=args.json)
    return None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config()
        result = _run(args, config)
    except ServiceError as exc:
        print(f"models_service: {exc.message} ({exc.code})", file=sys.stderr)
        return 2
    except (ConfigError, DeviceUnavailable, CommandError) as exc:
        print(f"models_service: {exc}", file=sys.stderr)
        return 2
    if result is not None:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        if isinstance(result, dict) and result.get("ok") is False:
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
