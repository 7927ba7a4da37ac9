"""Benchmark of the deck: slide building, each chart (SVG and PDF), the whole PDF, the whole PowerPoint file
(.pptx, native charts), and, as the reference, the same deck printed to PDF by headless Chromium from the web
deck page.

    .venv/bin/python bench/bench_deck.py [--repeat 15] [--no-pictures]

The deck is the support sample with three live demo slides (16 slides) and, unless --no-pictures, a logo,
4 product screenshots, 4 team headshots and a cover uploaded as a founder would (camera-sized photos,
screenshots at 2560 px), so the PDF places them at print resolution and the web deck loads them.
The PitchLab timings are of the pure functions from canvas to bytes, charts drawn afresh (no cache);
the whole PDF is timed with the pictures' print cuts kept from the warm-up (cut once per placement and kept,
as the worker does), and the first, cold render (every cut made) is reported on its own. The .pptx is timed the
same way (its one whole-slide cut of each picture kept from its own warm-up, its cold render reported alone), and
its size is given with the run's pictures and without any.
It also reports the PDF's size and the bytes a phone (390 × 844) transfers on the web deck's first load.
The Chromium timing is page load + print of /pitches/<id>/deck/ on the web app served as the Procfile serves it
(gunicorn with uvicorn workers, ASGI), started here (its own SQLite database in a temporary folder), with one
warm browser, as browser-based deck tools do.
Runs are interleaved round by round, so both sides see the same machine load.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = Path(tempfile.mkdtemp(prefix="pl-bench-"))
os.environ.update({"PITCHLAB_VAR_DIR": str(VAR), "DJANGO_SETTINGS_MODULE": "pitchlab.settings"})
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from sample_pictures import logo, photo, screenshot  # noqa: E402

from pitchlab.decks.charts.build import CHART_KINDS, build_chart  # noqa: E402
from pitchlab.decks.charts.pdf import draw_on_canvas  # noqa: E402
from pitchlab.decks.charts.svg import to_svg  # noqa: E402
from pitchlab.decks.pdf import chart_sizes, render_pdf  # noqa: E402
from pitchlab.decks.powerpoint import render_pptx  # noqa: E402
from pitchlab.decks.powerpoint.charts import native_charts  # noqa: E402
from pitchlab.decks.slides import build_deck  # noqa: E402
from pitchlab.decks.themes import theme_get  # noqa: E402
from pitchlab.pitches.documents import template_document  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def timed(fn: Callable[[], Any], samples: list[float]) -> Any:
    start = time.perf_counter()
    result = fn()
    samples.append((time.perf_counter() - start) * 1000)
    return result


def parts_deck(name: str, canvas: dict[str, Any], parts: dict[str, Any]) -> Any:
    """The deck of ``canvas`` with ``parts``: the live demo models and the pictures (when given)."""
    demos, pictures = parts.get("demos", ()), parts.get("pictures")
    return build_deck(name=name, canvas=canvas, demos=demos, **({"pictures": pictures} if pictures else {}))


def whole_pdf(name: str, canvas: dict[str, Any], **parts: Any) -> bytes:
    """The PDF as the export worker renders it; ``parts``: the live demo models and the pictures."""
    theme = theme_get("light")
    deck, print_files = parts_deck(name, canvas, parts), parts.get("print_files")
    charts = {}
    for kind, (width, height) in chart_sizes(deck).items():
        drawing = build_chart(kind, canvas, palette=theme.palette, width=width, height=height, company=name)
        if drawing is not None:
            charts[kind] = drawing
    return render_pdf(deck, charts=charts, theme=theme, pictures=print_files)


def whole_pptx(name: str, canvas: dict[str, Any], **parts: Any) -> bytes:
    """The .pptx as the export worker renders it, native charts made afresh; ``parts`` as for ``whole_pdf``."""
    deck = parts_deck(name, canvas, parts)
    charts = native_charts(deck, canvas)
    return render_pptx(deck, charts=charts, theme=theme_get("light"), pictures=parts.get("print_files"))


def add_pictures(pitch: Any, user: Any) -> None:
    """A logo, a cover, 4 screenshots and a headshot per team member (4), as a founder uploads them."""
    from pitchlab.pictures.models import Picture
    from pitchlab.pictures.services import picture_upload

    uploads = [(logo(), Picture.Role.LOGO, "Lumen")]
    uploads += [(photo(4000, 2667, 1), Picture.Role.COVER, "Support team at work")]
    uploads += [(screenshot(2560, 1600, i), Picture.Role.SCREENSHOT, f"Screen {i}") for i in range(4)]
    names = [member["name"] for member in pitch.content.get("team", [])][:4]
    uploads += [(photo(3000, 3000, 10 + i), Picture.Role.HEADSHOT, name) for i, name in enumerate(names)]
    for data, role, alt in uploads:
        picture_upload(pitch=pitch, user=user, data=data, role=role, alt=alt)


def add_demo_models(pitch: Any) -> None:
    """Three live demo models on the deck, a slide each in place of the demo slide: 16 slides (rows only: the
    deck shows their slides, no model runs here)."""
    from pitchlab.demos.models import DemoModel

    for name in ("Ticket triage", "Screenshot reader", "Reply drafter"):
        DemoModel.objects.create(
            pitch=pitch, name=name, kind="text", source="sample", artefact="bench", labels=["bug", "billing"]
        )


def log_in(page: Any, port: int) -> None:
    page.goto(f"http://127.0.0.1:{port}/accounts/login/")
    page.fill("#id_username", "bench")
    page.fill("#id_password", "bench-password-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"http://127.0.0.1:{port}/")


def phone_first_load(browser: Any, port: int, deck_url: str) -> int:
    """Bytes on the wire (encoded, headers included) when a phone-sized page first opens the web deck."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
    page = context.new_page()
    log_in(page, port)
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.clearBrowserCache")
    total = [0]
    session.on("Network.loadingFinished", lambda event: total.__setitem__(0, total[0] + event["encodedDataLength"]))
    page.goto(deck_url, wait_until="networkidle")
    context.close()
    return total[0]


def chart_pdf(drawing: Any) -> bytes:
    buffer = io.BytesIO()
    page = Canvas(buffer, pagesize=(960, 540))
    draw_on_canvas(drawing, page, x=40, y=40, width=800, height=450)
    page.save()
    return buffer.getvalue()


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PORT": str(port)}
    cmd = [  # the Procfile's web line: the ASGI application under gunicorn with uvicorn workers
        f"{Path(sys.executable).parent}/gunicorn",
        "pitchlab.asgi:application",
        "--worker-class",
        "pitchlab.serving.Worker",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the benchmark's web server did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--no-pictures", action="store_true", help="the deck without its pictures")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.contrib.auth.models import User

    from pitchlab.pitches.services import pitch_import

    user = User.objects.create_user("bench", password="bench-password-123")
    document = template_document("support_nlp")
    assert document is not None
    pitch = pitch_import(owner=user, document=document)
    add_demo_models(pitch)
    if not args.no_pictures:
        add_pictures(pitch, user)
    from pitchlab.decks.services import pitch_print_pictures, pitch_stage_models

    name, canvas = pitch.name, pitch.content
    parts: dict[str, Any] = {"demos": pitch_stage_models(pitch=pitch)}
    if not args.no_pictures:
        parts |= pitch_print_pictures(pitch=pitch, canvas=canvas)
    deck = build_deck(
        name=name,
        canvas=canvas,
        demos=parts["demos"],
        **({"pictures": parts["pictures"]} if "pictures" in parts else {}),
    )
    kinds = sorted({b.chart for s in deck.slides for b in s.blocks if b.kind == "chart"})
    if len(deck.slides) != 16 or len(kinds) != len(CHART_KINDS):
        raise SystemExit(f"the sample pitch should give 16 slides and 6 charts, not {len(deck.slides)} and {kinds}")
    whole_pdf(name, canvas, demos=parts["demos"])  # fonts registered, word lists compiled: not the pictures' cost
    cold_start = time.perf_counter()
    ours = whole_pdf(name, canvas, **parts)  # cold: every picture cut for print now, and kept
    cold_ms = (time.perf_counter() - cold_start) * 1000
    pptx_bare = whole_pptx(name, canvas, demos=parts["demos"])  # also the .pptx's first render: not in its cold
    cold_start = time.perf_counter()
    pptx = whole_pptx(name, canvas, **parts)  # cold: every picture cut once, whole, for the .pptx
    cold_pptx_ms = (time.perf_counter() - cold_start) * 1000

    from playwright.sync_api import sync_playwright

    server = start_server(args.port)
    samples: dict[str, list[float]] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            log_in(page, args.port)
            deck_url = f"http://127.0.0.1:{args.port}/pitches/{pitch.pk}/deck/"
            page.goto(deck_url)  # warm: fonts, static files, chart cache of the web page
            chromium_pdf = page.pdf(width="13.333in", height="7.5in", print_background=True)
            whole_pdf(name, canvas, **parts)  # warm: fonts registered, word lists compiled

            for _ in range(args.repeat):
                timed(
                    lambda: build_deck(name=name, canvas=canvas, demos=parts["demos"]),
                    samples.setdefault("slide building (16 slides)", []),
                )
                for kind in kinds:
                    drawing = timed(
                        lambda k=kind: build_chart(k, canvas, palette=theme_get("light").palette, company=name),
                        samples.setdefault(f"chart {kind}: build drawing", []),
                    )
                    timed(lambda d=drawing: to_svg(d), samples.setdefault(f"chart {kind}: SVG", []))
                    timed(lambda d=drawing: chart_pdf(d), samples.setdefault(f"chart {kind}: PDF page", []))
                ours = timed(
                    lambda: whole_pdf(name, canvas, **parts), samples.setdefault("PitchLab PDF (whole deck)", [])
                )
                pptx = timed(
                    lambda: whole_pptx(name, canvas, **parts), samples.setdefault("PitchLab .pptx (whole deck)", [])
                )

                def chromium() -> bytes:
                    page.goto(deck_url)
                    return page.pdf(width="13.333in", height="7.5in", print_background=True)

                chromium_pdf = timed(chromium, samples.setdefault("Chromium print of the web deck", []))
            phone_bytes = phone_first_load(browser, args.port, deck_url)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    pictures = "no pictures" if args.no_pictures else "logo, cover, 4 screenshots, 4 headshots"
    print(
        f"{args.repeat} interleaved rounds; 16 slides, {pictures}; "
        f"PitchLab PDF {len(ours) / 1e6:.2f} MB, Chromium PDF {len(chromium_pdf) / 1e6:.2f} MB; "
        f"PitchLab PDF cold (every picture cut for print) {cold_ms:.0f} ms; "
        f"web deck first load on a phone {phone_bytes / 1e6:.2f} MB; "
        f".pptx {len(pptx) / 1e6:.2f} MB ({len(pptx_bare) / 1e6:.2f} MB without pictures), "
        f"cold (every picture cut) {cold_pptx_ms:.0f} ms"
    )
    print(f"{'what':40} {'median ms':>10} {'min ms':>8}")
    for what, values in samples.items():
        print(f"{what:40} {statistics.median(values):10.1f} {min(values):8.1f}")
    ratio = statistics.median(samples["Chromium print of the web deck"]) / statistics.median(
        samples["PitchLab PDF (whole deck)"]
    )
    print(f"Chromium print / PitchLab PDF (medians): {ratio:.1f}×")
    pptx_ms = statistics.median(samples["PitchLab .pptx (whole deck)"])
    pptx_ratio = pptx_ms / statistics.median(samples["PitchLab PDF (whole deck)"])
    print(f"PitchLab .pptx / PitchLab PDF (medians): {pptx_ratio:.1f}×")
    print(
        json.dumps(
            {
                "whole_pdf_ms": statistics.median(samples["PitchLab PDF (whole deck)"]),
                "cold_pdf_ms": cold_ms,
                "ratio": ratio,
                "pdf_bytes": len(ours),
                "phone_first_load_bytes": phone_bytes,
                "whole_pptx_ms": pptx_ms,
                "cold_pptx_ms": cold_pptx_ms,
                "pptx_over_pdf": pptx_ratio,
                "pptx_bytes": len(pptx),
                "pptx_bytes_no_pictures": len(pptx_bare),
            }
        )
    )


if __name__ == "__main__":
    main()
