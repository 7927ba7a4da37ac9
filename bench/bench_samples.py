"""Benchmark of the sample models: how long each takes to build, and how well it does on what founders try first.

    .venv/bin/python bench/bench_samples.py [--models-dir DIR] [--no-build] [--compare OLD_DIR] [--json]

Builds ``sample-text`` and ``sample-image`` into ``--models-dir`` (a temporary folder by default; ``--no-build``
measures the models already there), then reports:

- each sample's build time (data generation included; the machine's 1-minute load average before and after each
  build, since the machine may be shared) and held-out accuracy, the text sample's per language
  (the held-out split is kept out of training: models_service.training.stratified_split);
- the text sample's answers to a few sentences a founder types first, in English and Chinese;
- the image sample's accuracy on real PitchLab charts: the two canvas templates' traction (line), performance
  (bar), use-of-funds (pie) and competition (scatter) charts, in both themes and both languages, drawn by
  ``pitchlab.decks.charts`` into a PDF and rasterised with poppler's ``pdftoppm`` (must be installed) at 96 dpi,
  as a founder's screenshot of a slide's chart would be. ``--compare`` runs the same on older models.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "pitchlab" / "pitches" / "data" / "templates"
CHART_LABELS = {"traction": "line", "performance": "bar", "funds": "pie", "competition": "scatter"}
PROBES = [
    ("这个月被重复扣费了，我要退款！", "billing"),
    ("我的信用卡被多扣了一次钱，怎么回事？", "billing"),
    ("你们的软件一打开就崩溃，根本用不了。", "bug"),
    ("希望能增加导出到Excel的功能。", "feature"),
    ("太棒了，感谢你们的团队！", "praise"),
    ("发票抬头开错了，麻烦重新开一张。", "billing"),
    ("升级以后导出功能就报错了。", "bug"),
    ("能不能支持多人同时编辑？", "feature"),
    ("用了半年，客服和产品都很靠谱。", "praise"),
    ("我已经取消订阅了，为什么还扣钱？", "billing"),
    ("页面一直加载不出来，刷新也没用。", "bug"),
    ("I was billed twice this month.", "billing"),
    ("The app crashes on startup.", "bug"),
    ("Please add a dark mode.", "feature"),
    ("Love it, great work!", "praise"),
]


def real_charts(out: Path) -> list[tuple[Path, str]]:
    """PitchLab's own charts as PNG files, with the label a chart classifier should give each."""
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

    from pitchlab.decks.charts.build import build_chart
    from pitchlab.decks.charts.pdf import draw_on_canvas
    from pitchlab.decks.fonts import register_fonts
    from pitchlab.decks.themes import THEMES

    fonts = register_fonts()
    charts: list[tuple[Path, str]] = []
    for template in sorted(TEMPLATES.glob("*.json")):
        canvas = json.loads(template.read_text(encoding="utf-8"))
        for theme in THEMES.values():
            for lang in ("en", "zh"):
                for kind, label in CHART_LABELS.items():
                    drawing = build_chart(kind, canvas, palette=theme.palette, lang=lang, company="PitchLab")
                    if drawing is None:
                        continue
                    buffer = io.BytesIO()
                    pdf = Canvas(buffer, pagesize=(drawing.width, drawing.height))
                    pdf.setFillColor(theme.background)
                    pdf.rect(0, 0, drawing.width, drawing.height, fill=1, stroke=0)
                    draw_on_canvas(
                        drawing,
                        pdf,
                        x=0,
                        y=0,
                        width=drawing.width,
                        height=drawing.height,
                        font=fonts.sans,
                        bold_font=fonts.bold,
                        cjk_font=fonts.cjk,
                    )
                    pdf.showPage()
                    pdf.save()
                    stem = out / f"{template.stem}-{theme.name}-{lang}-{kind}"
                    subprocess.run(
                        ["pdftoppm", "-png", "-r", "96", "-singlefile", "-", str(stem)],
                        input=buffer.getvalue(),
                        check=True,
                    )
                    charts.append((stem.with_suffix(".png"), label))
    return charts


def image_accuracy(folder: Path, charts: list[tuple[Path, str]]) -> dict[str, Any]:
    """The sample image model at ``folder`` on ``charts``: accuracy, and each miss."""
    import torch
    from PIL import Image
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    processor = AutoImageProcessor.from_pretrained(folder, local_files_only=True)
    model = AutoModelForImageClassification.from_pretrained(folder, local_files_only=True).eval()
    misses = []
    right = 0
    for path, label in charts:
        with Image.open(path) as picture:
            pixels = processor(images=picture.convert("RGB"), return_tensors="pt")["pixel_values"]
        with torch.inference_mode():
            probabilities = model(pixel_values=pixels).logits.softmax(-1)[0]
        best = int(probabilities.argmax())
        answer = model.config.id2label[best]
        if answer == label:
            right += 1
        else:
            misses.append(f"{path.stem}: {answer} {float(probabilities[best]):.0%} (expected {label})")
    return {"charts": len(charts), "accuracy": round(right / len(charts), 3), "misses": misses}


def text_probes(folder: Path) -> list[dict[str, Any]]:
    """The sample text model's answer to each probe sentence."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(folder, local_files_only=True).eval()
    texts = [text for text, _ in PROBES]
    with torch.inference_mode():
        probabilities = model(**tokenizer(texts, padding=True, return_tensors="pt")).logits.softmax(-1)
    answers = []
    for (text, expected), row in zip(PROBES, probabilities, strict=True):
        best = int(row.argmax())
        answers.append(
            {"text": text, "expected": expected, "answer": model.config.id2label[best], "p": round(float(row[best]), 2)}
        )
    return answers


def measure(models: Path, charts: list[tuple[Path, str]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for model_id in ("sample-text", "sample-image"):
        metadata = json.loads((models / model_id / "pitchlab.json").read_text(encoding="utf-8"))
        result[model_id] = {
            "held_out_accuracy": (metadata.get("metrics") or {}).get("accuracy"),
            "held_out_examples": (metadata.get("held_out") or {}).get("examples"),
            "by_language": metadata.get("metrics_by_language"),
            "train_seconds": metadata.get("train_seconds"),
        }
    result["sample-text"]["probes"] = text_probes(models / "sample-text")
    result["sample-image"]["pitchlab_charts"] = image_accuracy(models / "sample-image", charts)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models-dir", type=Path, help="where to build (default: a temporary folder)")
    parser.add_argument("--no-build", action="store_true", help="measure the models already in --models-dir")
    parser.add_argument("--compare", type=Path, help="also measure the samples in this folder (an older build)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from models_service.samples import SAMPLES, build_samples

    with tempfile.TemporaryDirectory() as scratch:
        models = args.models_dir or Path(scratch) / "models"
        report: dict[str, Any] = {}
        if not args.no_build:
            report["build_seconds"], report["load_average"] = {}, {}
            for model_id, sample in SAMPLES.items():  # one at a time, to take the load average around each build
                before = os.getloadavg()[0]
                built = build_samples(models, force=True, samples={model_id: sample})
                report["build_seconds"][model_id] = built[model_id]["build_seconds"]
                report["load_average"][model_id] = [round(before, 2), round(os.getloadavg()[0], 2)]
        charts = real_charts(Path(scratch))
        report["now"] = measure(models, charts)
        if args.compare:
            report["compare"] = measure(args.compare, charts)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    for name in ("now", "compare"):
        if name not in report:
            continue
        text, image = report[name]["sample-text"], report[name]["sample-image"]
        print(f"== {name} ({args.compare if name == 'compare' else models})")
        print(f"sample-text held-out accuracy {text['held_out_accuracy']} on {text['held_out_examples']}")
        for language, figures in (text["by_language"] or {}).items():
            print(f"  {language}: {figures['accuracy']} on {figures['examples']}")
        for probe in text["probes"]:
            mark = "ok  " if probe["answer"] == probe["expected"] else "MISS"
            print(f"  {mark} {probe['answer']:8} {probe['p']:.0%}  {probe['text']}")
        charts_figures = image["pitchlab_charts"]
        print(f"sample-image held-out accuracy {image['held_out_accuracy']} on {image['held_out_examples']}")
        print(f"  PitchLab's own charts: {charts_figures['accuracy']} on {charts_figures['charts']}")
        for miss in charts_figures["misses"]:
            print(f"    {miss}")
    if "build_seconds" in report:
        print("build seconds:", report["build_seconds"], "1-minute load average before/after:", report["load_average"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
