"""Decks: charts from the cache, exports (PDF, PowerPoint) queued to the default worker and rendered there."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pitchlab.checklists.selectors import catalogue_guidance
from pitchlab.core import waiting
from pitchlab.core.exceptions import ApplicationError
from pitchlab.decks.charts.ir import Drawing, Palette
from pitchlab.decks.charts.serial import drawing_from_json, drawing_to_json
from pitchlab.decks.deck_pictures import NO_PICTURES, DeckPictures, PrintFiles
from pitchlab.decks.models import DeckExport
from pitchlab.decks.slides import Deck, build_deck, deck_settings
from pitchlab.decks.themes import Theme
from pitchlab.demos.stage import StageModel
from pitchlab.pitches.models import Pitch, PitchRevision
from pitchlab.pitches.read_model import canvas_view
from pitchlab.pitches.services import revision_create

logger = logging.getLogger(__name__)

# Bump when the way charts are drawn changes, so cached drawings from before are not reused.
# 2: the competition chart marks "us" and lists strengths and weaknesses;
# 3: performance figures in the deck's language, n and the interval written under each bar.
CHART_VERSION = "3"
CHART_TTL = 30 * 24 * 3600
CHART_SIZE: tuple[float, float] = (800, 450)  # the web deck's charts; SVG scales to its slide
# Units whose change can change a chart: the chart warm-up is queued when one of them is written.
CHART_UNITS = ("data.", "risks", "ask.use_of_funds", "deck.theme", "deck.brand")
IMAGE_MAX_BYTES = 8 * 1024 * 1024  # a demo example's thumbnail source; bigger files are left out of the PDF


def business_titles(lang: str) -> dict[str, str]:
    return {
        key.split(".", 1)[1]: str(item.get(f"title_{lang}") or item.get("title_en") or "")
        for key, item in catalogue_guidance().items()
        if key.startswith("business.")
    }


def deck_build(
    *,
    name: str,
    canvas: dict[str, Any],
    lang: str,
    demos: Sequence[StageModel] = (),
    pictures: DeckPictures = NO_PICTURES,
) -> Deck:
    """The deck of a canvas; ``demos`` (``demos.selectors.stage_models``) become one live demo slide each;
    ``pictures`` (``picture_sources.deck_pictures``) are the logo, cover, screenshots and headshots it places."""
    return build_deck(
        name=name,
        canvas=canvas,
        lang=lang,
        business_titles=business_titles(lang),
        demos=demos,
        pictures=pictures,
    )


def pitch_deck(*, pitch: Pitch, lang: str, demos: Sequence[StageModel] = ()) -> Deck:
    """The pitch's deck as it is now, with its pictures as the signed-in pages show them."""
    from pitchlab.decks.picture_sources import deck_pictures

    return deck_build(
        name=pitch.name,
        canvas=pitch.content,
        lang=lang,
        demos=demos,
        pictures=deck_pictures(pitch=pitch, canvas=pitch.content),
    )


def pitch_stage_models(*, pitch: Pitch) -> list[StageModel]:
    """The pitch's live demo models for a deck built outside a request (the PDF export, the CLI)."""
    from pitchlab.demos.selectors import stage_models

    return stage_models(pitch=pitch, request=None)


def demo_images(demos: Sequence[StageModel]) -> dict[str, bytes]:
    """The bytes of the demo examples' images, by ``image_url``, for the PDF's thumbnails.

    An image under MEDIA_URL is read from MEDIA_ROOT; any other URL (the owner-only image endpoint) is the
    example's own file, looked up by the example's and its model's ids. What cannot be read is left out:
    the PDF then shows "image example" instead of a thumbnail.
    """
    from pitchlab.demos.models import DemoExample

    wanted = {(model.id, example.id): example.image_url for model in demos for example in model.examples}
    wanted = {key: url for key, url in wanted.items() if url}
    images: dict[str, bytes] = {}
    media_root = Path(settings.MEDIA_ROOT).resolve()
    for url in wanted.values():
        if settings.MEDIA_URL and url.startswith(settings.MEDIA_URL):
            path = (media_root / url[len(settings.MEDIA_URL) :]).resolve()
            if path.is_relative_to(media_root) and path.is_file() and path.stat().st_size <= IMAGE_MAX_BYTES:
                images[url] = path.read_bytes()
    rest = {key: url for key, url in wanted.items() if url not in images}
    if not rest:
        return images
    rows = DemoExample.objects.filter(pk__in=[example_id for _, example_id in rest]).exclude(image="")
    for row in rows:
        key = rest.get((row.demo_model_id, row.pk))
        if key is None:
            continue
        try:
            if row.image.size <= IMAGE_MAX_BYTES:
                with row.image.open("rb") as handle:
                    images[key] = handle.read()
        except OSError:
            logger.warning("demo example %s: its image could not be read for the PDF", row.pk)
    return images


def _chart_key(
    kind: str, canvas: dict[str, Any], *, company: str, theme: str, lang: str, size: tuple[float, float]
) -> str:
    from pitchlab.decks.charts.build import chart_input

    payload = {
        "v": CHART_VERSION,
        "kind": kind,
        "input": chart_input(kind, canvas, company=company),
        "theme": theme,
        "palette": asdict(chart_palette(canvas, theme)),  # the brand's colours are part of the drawing
        "lang": lang,
        "size": size,
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    return f"chart:{digest}"


def _cached(key: str, render: Callable[[], Any]) -> Any:
    """The cached value for ``key``, rendering and storing it on a miss; a cache that is down is skipped."""
    try:
        hit = cache.get(key)
    except Exception as exc:  # the cache is an optimisation: a Redis hiccup must never break a page or an export
        logger.warning("chart cache unavailable (%s); drawing the chart directly", str(exc).splitlines()[0])
        return render()
    if hit is not None:
        return hit
    value = render()
    try:
        cache.set(key, value, CHART_TTL)
    except Exception as exc:
        logger.warning("chart cache unavailable (%s); the chart is not stored", str(exc).splitlines()[0])
    return value


def deck_theme(canvas: dict[str, Any], theme: str) -> Theme:
    """The theme called ``theme`` in the canvas' brand kit (its colours and fonts)."""
    from pitchlab.decks.themes import branded, theme_get

    return branded(theme_get(theme), canvas_view(canvas).deck.brand)


def chart_palette(canvas: dict[str, Any], theme: str) -> Palette:
    """The chart colours of ``theme`` in the canvas' brand kit."""
    return deck_theme(canvas, theme).palette


def chart_drawing(
    kind: str,
    canvas: dict[str, Any],
    *,
    company: str,
    theme: str,
    lang: str,
    size: tuple[float, float] = CHART_SIZE,
) -> Drawing | None:
    """The chart's drawing, drawn once per distinct input and read from the cache after that."""
    from pitchlab.decks.charts.build import build_chart

    def render() -> dict[str, Any]:
        width, height = size
        drawing = build_chart(
            kind, canvas, palette=chart_palette(canvas, theme), width=width, height=height, lang=lang, company=company
        )
        return {"drawing": None if drawing is None else drawing_to_json(drawing)}

    stored = _cached(_chart_key(kind, canvas, company=company, theme=theme, lang=lang, size=size), render)
    return None if stored["drawing"] is None else drawing_from_json(stored["drawing"])


def chart_svg(kind: str, canvas: dict[str, Any], *, company: str, theme: str, lang: str) -> str | None:
    from pitchlab.decks.charts.svg import to_svg

    def render() -> dict[str, Any]:
        drawing = chart_drawing(kind, canvas, company=company, theme=theme, lang=lang)
        return {"svg": None if drawing is None else to_svg(drawing)}

    key = "svg:" + _chart_key(kind, canvas, company=company, theme=theme, lang=lang, size=CHART_SIZE)
    result: str | None = _cached(key, render)["svg"]
    return result


def deck_web_charts(deck: Deck, canvas: dict[str, Any], *, theme: str) -> dict[str, str | None]:
    """The web deck's charts as SVG (one size; the browser scales them to the slide), by chart kind."""
    kinds = {block.chart for slide in deck.slides for block in slide.blocks if block.kind == "chart"}
    return {kind: chart_svg(kind, canvas, company=deck.company, theme=theme, lang=deck.lang) for kind in sorted(kinds)}


def deck_charts(deck: Deck, canvas: dict[str, Any], *, theme: str) -> dict[str, Drawing]:
    """The deck's charts for the PDF, each drawn at the size of its box on the page (1:1, no shrunken text)."""
    from pitchlab.decks.pdf import chart_sizes

    drawings = {
        kind: chart_drawing(kind, canvas, company=deck.company, theme=theme, lang=deck.lang, size=size)
        for kind, size in sorted(chart_sizes(deck, deck_theme(canvas, theme)).items())
    }
    return {kind: drawing for kind, drawing in drawings.items() if drawing is not None}


def charts_warm(*, pitch: Pitch) -> int:
    """Draw every chart of the pitch's deck, in both languages, into the cache; how many were drawn."""
    from pitchlab.decks.charts.build import ALL_CHART_KINDS

    theme = deck_settings(pitch.content)["theme"]
    count = 0
    for lang in ("en", "zh"):
        for kind in ALL_CHART_KINDS:
            if chart_svg(kind, pitch.content, company=pitch.name, theme=theme, lang=lang) is not None:
                count += 1
        # The PDF draws each chart at the size of its box: warm those too, so an export finds them.
        deck = deck_build(name=pitch.name, canvas=pitch.content, lang=lang)
        count += len(deck_charts(deck, pitch.content, theme=theme))
    return count


def charts_changed(*, pitch_id: int, paths: tuple[str, ...] | None) -> None:
    """Queue the chart warm-up when a committed change (``paths``; None: the whole canvas) feeds a chart.

    Called by the ``pitch_changed`` receiver (decks/signals.py), so after the write committed.
    """
    if paths is None or any(path.startswith(CHART_UNITS) for path in paths):
        _enqueue_warm(pitch_id)


def _enqueue_warm(pitch_id: int) -> None:
    from pitchlab.decks.tasks import charts_render

    try:
        charts_render.apply_async((pitch_id,), retry=False)
    except Exception:  # charts still render on demand; a broker outage must not fail a save
        logger.warning("could not queue the chart warm-up for pitch %s", pitch_id, exc_info=True)


# ---------- exports: PDF and PowerPoint ----------


class ExportFormatInvalid(ApplicationError):
    """An export format that is not one of DeckExport.Format (HTTP 400)."""


def export_format_check(value: str) -> str:
    """``value`` if it names an export format, else ExportFormatInvalid naming the formats."""
    if value not in DeckExport.Format.values:
        raise ExportFormatInvalid(
            _("“%(value)s” is not an export format. The formats are: %(formats)s.")
            % {"value": value, "formats": ", ".join(DeckExport.Format.values)}
        )
    return value


@transaction.atomic
def export_create(
    *,
    pitch: Pitch,
    theme: str | None = None,
    lang: str = "en",
    user: User | None = None,
    format: str = DeckExport.Format.PDF,
) -> DeckExport:
    """Record an export (``format``: pdf or pptx) of the pitch as it is now (by ``user``) and queue it for the
    default worker (on commit).

    The pre-flight (decks/preflight.py) is the caller's gate: the API and the page call it first.
    """
    export_format_check(format)
    revision = pitch.revisions.filter(version=pitch.version).first() or revision_create(
        pitch=pitch, reason=PitchRevision.Reason.MANUAL, note="exported"
    )
    export = DeckExport.objects.create(
        pitch=pitch,
        revision=revision,
        theme=theme or deck_settings(pitch.content)["theme"],
        lang=lang,
        format=format,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    transaction.on_commit(lambda: _enqueue_export(export.pk))
    return export


@transaction.atomic
def export_retry(*, export: DeckExport) -> DeckExport:
    export.status = DeckExport.Status.QUEUED
    export.progress = 0
    export.error = ""
    export.attempts += 1
    export.save(update_fields=["status", "progress", "error", "attempts", "updated_at"])
    transaction.on_commit(lambda: _enqueue_export(export.pk))
    return export


QUEUE_DOWN = "The worker queue is unreachable"  # how an export that could not be queued starts its error


class QueueUnavailable(ApplicationError):
    """The broker could not take the work (HTTP 503): nothing was started; try again once it is back."""

    status_code = 503


def _enqueue_export(export_id: int) -> None:
    from pitchlab.decks.tasks import export_render

    try:
        export_render.apply_async((export_id,), retry=False)
    except Exception:
        logger.exception("could not queue export %s", export_id)
        DeckExport.objects.filter(pk=export_id).update(
            # The page shows this to the founder: words, not the connection error (that is in the log).
            status=DeckExport.Status.FAILED,
            error=f"{QUEUE_DOWN}: try again in a moment.",
        )


def export_sent(*, export: DeckExport) -> DeckExport:
    """``export`` as it stands after export_create/export_retry, whose commit queued it (or failed to).

    Raises QueueUnavailable when the broker was down: the row is then failed with the reason (the page's
    export list shows it, with Retry), and the API answers 503 instead of a 202 for work nobody will do.
    """
    export.refresh_from_db()
    if export.status == DeckExport.Status.FAILED and export.error.startswith(QUEUE_DOWN):
        raise QueueUnavailable(
            _("The export could not be started: the task queue is not reachable right now. Try again in a moment."),
            extra={"export_id": export.pk, "retry_after": 5},
        )
    return export


def export_render_pdf(
    *,
    name: str,
    canvas: dict[str, Any],
    theme: str,
    lang: str,
    on_slide: Any = None,
    demos: Sequence[StageModel] = (),
    pictures: DeckPictures = NO_PICTURES,
    print_files: PrintFiles | None = None,
    notes: bool = True,
) -> bytes:
    """The PDF bytes of a canvas: the same function serves the worker, the CLI and the benchmark.

    ``demos`` are the pitch's live demo models (``pitch_stage_models``), one slide each; ``pictures`` the
    pictures its slides place and ``print_files`` where their pixels come from (``pitch_print_pictures``).
    ``notes`` False leaves out the speaker-notes appendix even where the deck asks for it (a share link's copy).
    """
    from pitchlab.decks.pdf import render_pdf

    if not notes:
        canvas = {**canvas, "deck": {**canvas.get("deck", {}), "notes_appendix": False}}
    deck = deck_build(name=name, canvas=canvas, lang=lang, demos=demos, pictures=pictures)
    charts = deck_charts(deck, canvas, theme=theme)
    images = demo_images(demos) if demos else {}
    data: bytes = render_pdf(
        deck,
        charts=charts,
        theme=deck_theme(canvas, theme),
        on_slide=on_slide,
        images=images,
        pictures=print_files,
    )
    return data


def export_render_pptx(
    *,
    name: str,
    canvas: dict[str, Any],
    theme: str,
    lang: str,
    on_slide: Any = None,
    demos: Sequence[StageModel] = (),
    pictures: DeckPictures = NO_PICTURES,
    print_files: PrintFiles | None = None,
    notes: bool = True,
) -> bytes:
    """The PowerPoint (.pptx) bytes of a canvas, with the same arguments as ``export_render_pdf``: the same deck,
    its charts as native charts whose data opens in the office suite. ``notes`` False leaves every slide's notes
    pane empty (a share link's copy)."""
    from pitchlab.decks.powerpoint import render_pptx
    from pitchlab.decks.powerpoint.charts import native_charts

    deck = deck_build(name=name, canvas=canvas, lang=lang, demos=demos, pictures=pictures)
    data: bytes = render_pptx(
        deck,
        charts=native_charts(deck, canvas),
        theme=deck_theme(canvas, theme),
        on_slide=on_slide,
        images=demo_images(demos) if demos else {},
        pictures=print_files,
        notes=notes,
    )
    return data


def _pdf_pages(data: bytes) -> int:
    return data.count(b"/Type /Page") - data.count(b"/Type /Pages")


_PPTX_SLIDE = re.compile(r"ppt/slides/slide\d+\.xml")


def _pptx_pages(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(1 for name in archive.namelist() if _PPTX_SLIDE.fullmatch(name))


@dataclass(frozen=True)
class ExportRenderer:
    """How one export format is made: its bytes from a canvas (``export_render_pdf``'s arguments), and its page
    (slide) count read back from those bytes."""

    render: Callable[..., bytes]
    pages: Callable[[bytes], int]


EXPORT_RENDERERS: dict[str, ExportRenderer] = {
    DeckExport.Format.PDF: ExportRenderer(export_render_pdf, _pdf_pages),
    DeckExport.Format.PPTX: ExportRenderer(export_render_pptx, _pptx_pages),
}


def pitch_print_pictures(*, pitch: Pitch, canvas: dict[str, Any]) -> dict[str, Any]:
    """The ``pictures`` and ``print_files`` arguments of ``export_render_pdf`` for ``pitch`` rendering ``canvas``
    (an exported revision's: its brand's logo choice, the pictures as they are now)."""
    from pitchlab.decks.picture_sources import StoredPrintFiles, deck_pictures

    return {"pictures": deck_pictures(pitch=pitch, canvas=canvas), "print_files": StoredPrintFiles(pitch.pk)}


def _export_bytes(export: DeckExport, *, on_slide: Any = None, notes: bool = True) -> bytes:
    """The file of ``export`` in its format, rendered from its revision, theme and language."""
    # The canvas is the exported revision's; the demo models are as they are now (they have no revisions).
    canvas = export.revision.content
    return EXPORT_RENDERERS[export.format].render(
        name=export.revision.name,
        canvas=canvas,
        theme=export.theme,
        lang=export.lang,
        on_slide=on_slide,
        demos=pitch_stage_models(pitch=export.pitch),
        notes=notes,
        **pitch_print_pictures(pitch=export.pitch, canvas=canvas),
    )


def exports_channel(pitch_id: int) -> str:
    """Where a change of the pitch's exports is announced: their event streams look again at once."""
    return f"pitchlab:exports:{pitch_id}"


def export_run(*, export_id: int) -> DeckExport:
    """Render one export (in the worker): rendering → ready with the file, or failed with the reason."""
    export = DeckExport.objects.select_related("revision", "pitch").get(pk=export_id)
    if export.status == DeckExport.Status.READY:
        return export
    DeckExport.objects.filter(pk=export.pk).update(status=DeckExport.Status.RENDERING, progress=0, error="")
    channel = exports_channel(export.pitch_id)
    waiting.announce(channel)

    def progress(done: int, total: int) -> None:
        DeckExport.objects.filter(pk=export.pk).update(progress=min(99, round(100 * done / max(total, 1))))
        waiting.announce(channel)
        if settings.TEST_EXPORT_SLIDE_DELAY_MS:  # tests only (settings.py): holds the render open to kill it
            time.sleep(settings.TEST_EXPORT_SLIDE_DELAY_MS / 1000)

    try:
        data = _export_bytes(export, on_slide=progress)
    except Exception as exc:
        logger.exception("export %s failed", export.pk)
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        DeckExport.objects.filter(pk=export.pk).update(
            status=DeckExport.Status.FAILED, error=f"Rendering failed: {reason}"[:500], finished_at=timezone.now()
        )
        waiting.announce(channel)
        export.refresh_from_db()
        return export
    try:
        export.refresh_from_db()
    except DeckExport.DoesNotExist:  # deleted (with its pitch) while it rendered: nothing to store
        logger.info("export %s was deleted while it rendered", export.pk)
        return export
    export.file.save(
        f"pitch-{export.pitch_id}-v{export.revision.version}-{export.pk}.{export.format}", ContentFile(data), save=False
    )
    export.status = DeckExport.Status.READY
    export.progress = 100
    export.pages = EXPORT_RENDERERS[export.format].pages(data)
    export.finished_at = export.updated_at = timezone.now()
    # An update, never save(): that would insert a row deleted meanwhile again (its pitch gone with it).
    fields = ("file", "status", "progress", "pages", "finished_at", "updated_at")
    if not DeckExport.objects.filter(pk=export.pk).update(**{field: getattr(export, field) for field in fields}):
        logger.info("export %s was deleted while it rendered; its file is removed", export.pk)
        export.file.delete(save=False)
    waiting.announce(channel)
    return export


def export_has_notes(export: DeckExport) -> bool:
    """Whether the export's file carries the speaker notes: a PDF's notes appendix (the founder's choice when it
    was made), a PowerPoint file's notes panes (a notes part for any slide that has notes)."""
    if export.format == DeckExport.Format.PPTX:
        with export.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            return any(name.startswith("ppt/notesSlides/") for name in archive.namelist())
    return bool(deck_settings(export.revision.content)["notes_appendix"])


def export_shared_copy_name(export: DeckExport) -> str:
    """Where the notes-free copy of an export's file is kept, next to the file (decks/signals.py removes both)."""
    suffix = f".{export.format}"
    return (export.file.name or f"export-{export.pk}{suffix}").removesuffix(suffix) + f"-shared{suffix}"


def export_shared_file(*, export: DeckExport, notes: bool = False) -> File[bytes]:
    """The export's file as a share link gives it: without the speaker notes unless ``notes`` (the link's owner
    chose to give a PowerPoint file's notes panes; a PDF on a link never carries its notes appendix).

    A file without notes is served as it is. One with them gets a notes-free copy, rendered from the same
    revision, theme and language on the first request and kept beside the file.
    """
    if (notes and export.format == DeckExport.Format.PPTX) or not export_has_notes(export):
        return export.file.open("rb")
    storage = export.file.storage
    name = export_shared_copy_name(export)
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(_export_bytes(export, notes=False)))
        if saved != name:  # a request at the same moment stored it first: keep one copy only
            storage.delete(saved)
    return storage.open(name, "rb")


def export_fail(*, export_id: int, reason: str) -> None:
    DeckExport.objects.filter(pk=export_id).exclude(status=DeckExport.Status.READY).update(
        status=DeckExport.Status.FAILED, error=reason[:500], finished_at=timezone.now()
    )
    for pitch_id in DeckExport.objects.filter(pk=export_id).values_list("pitch_id", flat=True):
        waiting.announce(exports_channel(pitch_id))
