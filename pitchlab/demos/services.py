"""Writes of live demos: adding models (sample, examples, upload), settling their preparation, examples,
audience links, and recording evaluations in the Data section. Live calls are in ``live.py``."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import logging
import secrets
import unicodedata
import zipfile
from collections import Counter
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pitchlab.core.exceptions import ApplicationError
from pitchlab.demos import inference
from pitchlab.demos.domain import trained_on_from
from pitchlab.demos.inference import InferenceRefused, InferenceUnavailable
from pitchlab.demos.lookups import live_forget
from pitchlab.demos.models import LABEL_MAX_LENGTH, NAME_MAX_LENGTH, AudienceLink, DemoExample, DemoModel
from pitchlab.pitches.metrics import is_small_sample
from pitchlab.pitches.models import Pitch

logger = logging.getLogger(__name__)

SAMPLES = {"text": "sample-text", "image": "sample-image"}  # models_service.samples.SAMPLES
MIN_LABELS, MIN_PER_LABEL, MAX_EXAMPLES = 2, 5, 5000
MAX_CURATED = 50
# How long adding a sample or an upload waits for the worker before answering "preparing" instead.
DESCRIBE_WAIT_S = 8.0
INSTALL_WAIT_S = 60.0


def _name(name: Any) -> str:
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise ApplicationError("Give the model a name.", extra={"field": "name"})
    if len(cleaned) > NAME_MAX_LENGTH:
        raise ApplicationError(f"A name has at most {NAME_MAX_LENGTH} characters.", extra={"field": "name"})
    return cleaned


def _new_artefact_id(kind: str) -> str:
    return f"{kind}-{secrets.token_hex(8)}"


def _start(demo_model: DemoModel, task: str, payload: dict[str, Any]) -> DemoModel:
    """Queue the task that prepares ``demo_model``; its answer settles the row (``demo_model_settle``)."""
    from pitchlab.demos.tasks import settle

    task_id = inference.send(
        task,
        {"model": demo_model.artefact, **payload},
        priority=inference.BACKGROUND,
        link=settle.s(demo_model.pk).set(queue="default"),
    )
    DemoModel.objects.filter(pk=demo_model.pk).update(task_id=task_id)
    demo_model.task_id = task_id
    return demo_model


@transaction.atomic
def _create(*, pitch: Pitch, name: Any, kind: str, source: str, artefact: str) -> DemoModel:
    # Off the deck until the founder turns "On a slide" on (demo_model_update): adding a model to try it must
    # not put a slide in front of investors.
    return DemoModel.objects.create(
        pitch=pitch,
        name=_name(name),
        kind=kind,
        source=source,
        artefact=artefact,
        status=DemoModel.Status.PREPARING,
        on_slide=False,
    )


def demo_model_add_sample(*, pitch: Pitch, kind: str, name: Any) -> DemoModel:
    """A demo model running one of the shared sample models; ready as soon as the worker has loaded it."""
    if kind not in SAMPLES:
        raise ApplicationError("kind must be text or image.", extra={"field": "kind"})
    demo_model = _create(pitch=pitch, name=name, kind=kind, source=DemoModel.Source.SAMPLE, artefact=SAMPLES[kind])
    _start_or_fail(demo_model, "describe", {})
    return _settle_soon(demo_model, DESCRIBE_WAIT_S)


def demo_model_add_trained(*, pitch: Pitch, name: Any, examples: list[dict[str, str]]) -> DemoModel:
    """A text model fine-tuned on the founder's examples; trains in the background (poll its progress)."""
    pairs = check_examples(examples)
    demo_model = _create(
        pitch=pitch, name=name, kind="text", source=DemoModel.Source.EXAMPLES, artefact=_new_artefact_id("text")
    )
    demo_model.labels = sorted({label for _, label in pairs})
    demo_model.training_digests = sorted({text_digest(text) for text, _ in pairs})
    demo_model.save(update_fields=["labels", "training_digests"])
    return _start_or_fail(demo_model, "train_text", {"examples": [{"text": t, "label": lab} for t, lab in pairs]})


def demo_model_add_upload(*, pitch: Pitch, name: Any, data: bytes) -> DemoModel:
    """A model uploaded as a zip of a Hugging Face–format folder. models_service validates and unpacks it;
    a refusal deletes the row and answers 400 with the reason, so nothing half-added stays behind."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ApplicationError("This file is not a zip archive.", extra={"field": "file"})
    demo_model = _create(
        pitch=pitch, name=name, kind="text", source=DemoModel.Source.UPLOAD, artefact=_new_artefact_id("upload")
    )
    try:
        _start(demo_model, "install", {"zip": base64.b64encode(data).decode("ascii")})
        answer = inference.wait(demo_model.task_id, timeout_s=INSTALL_WAIT_S, what="The inference worker")
    except InferenceRefused as exc:
        demo_model.delete()
        raise ApplicationError(exc.message, extra={"field": "file", "code": exc.code}) from None
    except InferenceUnavailable:
        if not demo_model.task_id:  # never queued: nothing to wait for
            demo_model.delete()
            raise
        return demo_model  # still unpacking: the settle callback finishes it
    demo_model_settle(demo_model_id=demo_model.pk, answer=answer)
    demo_model.refresh_from_db()
    return demo_model


def _start_or_fail(demo_model: DemoModel, task: str, payload: dict[str, Any]) -> DemoModel:
    try:
        return _start(demo_model, task, payload)
    except InferenceUnavailable:
        demo_model.delete()
        raise


def _settle_soon(demo_model: DemoModel, wait_s: float) -> DemoModel:
    try:
        answer: dict[str, Any] = inference.wait(demo_model.task_id, timeout_s=wait_s, what="The inference worker")
    except InferenceRefused as exc:
        answer = {"ok": False, "error": {"code": exc.code, "message": exc.message}}
    except InferenceUnavailable:
        return demo_model  # the settle callback, or the next read, finishes it
    demo_model_settle(demo_model_id=demo_model.pk, answer=answer)
    demo_model.refresh_from_db()
    return demo_model


def check_examples(examples: Any) -> list[tuple[str, str]]:
    """The founder's training rows as (text, label), or a 400 naming the first problem."""
    if not isinstance(examples, list) or not examples:
        raise ApplicationError("Add examples: one row per text, with its label.", extra={"field": "examples"})
    if len(examples) > MAX_EXAMPLES:
        raise ApplicationError(f"At most {MAX_EXAMPLES:,} examples (got {len(examples):,}).")
    pairs: list[tuple[str, str]] = []
    for number, row in enumerate(examples, start=1):
        text = row.get("text") if isinstance(row, dict) else None
        label = row.get("label") if isinstance(row, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise ApplicationError(f"Row {number} has no text.", extra={"field": "examples", "row": number})
        if not isinstance(label, str) or not label.strip():
            raise ApplicationError(f"Row {number} has no label.", extra={"field": "examples", "row": number})
        if len(label.strip()) > LABEL_MAX_LENGTH:
            raise ApplicationError(f"Row {number}: a label has at most {LABEL_MAX_LENGTH} characters.")
        pairs.append((text.strip(), label.strip()))
    counts = Counter(label for _, label in pairs)
    if len(counts) < MIN_LABELS:
        raise ApplicationError(f"Use at least {MIN_LABELS} different labels (found {len(counts)}).")
    thin = sorted(label for label, n in counts.items() if n < MIN_PER_LABEL)
    if thin:
        raise ApplicationError(
            f"Each label needs at least {MIN_PER_LABEL} examples; too few for: "
            + ", ".join(f"{label} ({counts[label]})" for label in thin)
            + "."
        )
    return pairs


def read_examples_csv(data: bytes) -> list[dict[str, str]]:
    """Rows of a CSV with the columns text,label (a header row is optional) as {text, label}."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError("The CSV must be UTF-8 text.", extra={"field": "csv"}) from None
    rows = [row for row in csv.reader(io.StringIO(content)) if any(cell.strip() for cell in row)]
    if rows and [cell.strip().lower() for cell in rows[0][:2]] in (["text", "label"], ["label", "text"]):
        header = [cell.strip().lower() for cell in rows[0]]
        text_at, label_at = header.index("text"), header.index("label")
        rows = rows[1:]
    else:
        text_at, label_at = 0, 1
    out: list[dict[str, str]] = []
    for number, row in enumerate(rows, start=1):
        if len(row) <= max(text_at, label_at):
            raise ApplicationError(f"CSV row {number} needs a text and a label.", extra={"field": "csv"})
        out.append({"text": row[text_at], "label": row[label_at]})
    return out


def demo_model_settle(*, demo_model_id: int, answer: Any) -> None:
    """Record the answer of the task that prepared a model (describe, install or train_text): ready with its
    labels and metrics, or failed with the worker's reason. Idempotent: the link callback and a read may
    both get here."""
    with transaction.atomic():
        demo_model = DemoModel.objects.select_for_update().filter(pk=demo_model_id).first()
        if demo_model is None:
            _remove_orphan(answer)
            return
        if demo_model.status != DemoModel.Status.PREPARING:
            return
        try:
            result = inference.check(answer, what="Preparing the model")
        except (InferenceRefused, InferenceUnavailable) as exc:
            demo_model.status = DemoModel.Status.FAILED
            demo_model.failure = exc.message[:1000]
        else:
            demo_model.status = DemoModel.Status.READY
            kind = result.get("kind")
            demo_model.kind = kind if kind in ("text", "image") else demo_model.kind
            demo_model.labels = [str(label) for label in result.get("labels") or demo_model.labels]
            demo_model.metrics = _metrics(result)
            demo_model.trained_on = trained_on_from(result.get("metadata"))
            demo_model.device = str(result.get("device") or "")
        demo_model.save()


def _remove_orphan(answer: Any) -> None:
    """A model finished training or installing after its row (or its pitch) was deleted: the removal sent on
    that deletion found no folder yet, so remove the one that has appeared since."""
    model = answer.get("model") if isinstance(answer, dict) and answer.get("ok") is True else None
    if isinstance(model, str) and model not in SAMPLES.values():
        artefact_remove(model)


def _metrics(result: dict[str, Any]) -> dict[str, Any]:
    metadata = result.get("metadata") or {}
    metrics = result.get("metrics") or metadata.get("metrics") or {}
    held = metadata.get("held_out") or {}
    out = {key: metrics[key] for key in ("accuracy", "macro_f1", "macro_precision", "macro_recall") if key in metrics}
    if out:
        out["examples"] = held.get("examples") or metrics.get("samples")
        out["source"] = "held-out set"
        # Each figure's 95 % interval ({"low", "high", "method"}), so the slide and the PDF can say how sure it is.
        intervals = metrics.get("intervals")
        if isinstance(intervals, dict):
            out["intervals"] = {key: intervals[key] for key in out if isinstance(intervals.get(key), dict)}
    elif metadata.get("held_out_reason"):
        out["note"] = str(metadata["held_out_reason"])  # the worker's English sentence, kept for API clients
        # What the pages say, in the reader's language (templates/demos/_model_card.html, demo_admin.js).
        out["note_code"] = "not_held_out"
        out["trained_examples"] = metadata.get("examples")
    return out


def demo_model_refresh(*, demo_model: DemoModel) -> dict[str, Any] | None:
    """Settle a preparing model from its task's state; the progress ({"stage", "fraction"}) while it runs."""
    if demo_model.status != DemoModel.Status.PREPARING or not demo_model.task_id:
        return None
    state, info = inference.progress(demo_model.task_id)
    if state == "PROGRESS" and isinstance(info, dict):
        return {"stage": str(info.get("stage", "")), "fraction": float(info.get("fraction") or 0)}
    if state == "SUCCESS":
        demo_model_settle(demo_model_id=demo_model.pk, answer=info)
        demo_model.refresh_from_db()
    elif state == "FAILURE":
        demo_model_settle(demo_model_id=demo_model.pk, answer=None)
        demo_model.refresh_from_db()
    return {"stage": "queued" if state == "PENDING" else state.lower(), "fraction": 0.0}


@transaction.atomic
def demo_model_update(*, demo_model: DemoModel, name: Any = None, on_slide: bool | None = None) -> DemoModel:
    if name is not None:
        demo_model.name = _name(name)
    if on_slide is not None:
        demo_model.on_slide = on_slide
    demo_model.save()
    return demo_model


@transaction.atomic
def demo_model_delete(*, demo_model: DemoModel) -> None:
    """Delete the model, its examples and links; its own artefact goes from the workers' disk and caches on
    commit (signals.py: a deleted pitch takes its models the same way)."""
    demo_model.delete()


def artefact_remove(artefact: str) -> None:
    """Ask the inference side to delete an artefact folder and drop it from every worker's cache."""
    try:
        inference.send("delete", {"model": artefact}, priority=inference.BACKGROUND)
    except InferenceUnavailable:
        logger.warning("could not queue the removal of model %s; its folder stays on the inference side", artefact)


# ---------- curated examples ----------


@transaction.atomic
def example_add(
    *, demo_model: DemoModel, text: str = "", image_png: bytes | None = None, expected: Any = ""
) -> DemoExample:
    from django.core.files.base import ContentFile

    if demo_model.examples.count() >= MAX_CURATED:
        raise ApplicationError(f"A model keeps at most {MAX_CURATED} curated examples.")
    expected = str(expected or "").strip()
    if expected and demo_model.labels and expected not in demo_model.labels:
        raise ApplicationError(
            f"'{expected}' is not one of the model's labels ({', '.join(demo_model.labels)}).",
            extra={"field": "expected_label"},
        )
    position = (demo_model.examples.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    example = DemoExample(demo_model=demo_model, text=text, expected_label=expected, position=position)
    if image_png is not None:
        example.image.save(f"{secrets.token_hex(8)}.png", ContentFile(image_png), save=False)
    example.save()
    return example


@transaction.atomic
def example_delete(*, example: DemoExample) -> None:
    example.delete()


# ---------- audience links ----------


@transaction.atomic
def audience_link_open(*, demo_model: DemoModel, expires_in_minutes: int | None = None) -> AudienceLink:
    """A new public link (an unguessable token); any link the model had before stops working."""
    audience_link_revoke(demo_model=demo_model)
    expires_at = timezone.now() + timedelta(minutes=expires_in_minutes) if expires_in_minutes else None
    return AudienceLink.objects.create(demo_model=demo_model, token=secrets.token_urlsafe(18), expires_at=expires_at)


@transaction.atomic
def audience_link_revoke(*, demo_model: DemoModel) -> int:
    links = demo_model.audience_links.filter(revoked_at__isnull=True)
    live_forget(tokens=list(links.values_list("token", flat=True)))
    return links.update(revoked_at=timezone.now())


# ---------- evaluation: measured metrics proposed for the Data section ----------
#
# An evaluation ends with a preview: the rows it would add (``evaluation["proposed"]``), each with n, its 95 %
# interval and whether it is a small sample. Nothing enters Data until the founder accepts some of them
# (``evaluation_accept``); figures of a PitchLab sample model are never accepted (they are not the company's).

PROPOSED_METRICS = {
    # key: (the report's figure, the metric's name in Data)
    "accuracy": ("accuracy", "accuracy"),
    "macro_f1": ("macro_f1", "F1 (macro)"),
    "macro_precision": ("macro_precision", "precision (macro)"),
    "macro_recall": ("macro_recall", "recall (macro)"),
    "latency_p50": ("latency_ms_p50", "latency (p50)"),
}
SAMPLE_MODEL_REFUSAL = gettext_lazy(
    "Figures measured on a PitchLab sample model are not your company's result, so they cannot go into Data. "
    "Evaluate your own model (trained from your examples or uploaded)."
)


class EvaluationConflict(ApplicationError):
    """The evaluation is not in a state that allows the step (nothing finished to accept, still running)."""

    status_code = 409


def text_digest(text: str) -> str:
    """A short digest of a text input, normalised (case and runs of spaces ignored): how overlap is counted."""
    normalised = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:24]


def _evaluation_digests(demo_model: DemoModel, data: bytes) -> list[str]:
    """Digests of the evaluation set's inputs: normalised texts of the CSV's text column, or the bytes of each
    picture in the zip. Unreadable input gives none (the worker refuses it with its reason)."""
    if demo_model.kind != DemoModel.Kind.TEXT:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return [
                    hashlib.sha256(archive.read(info)).hexdigest()[:24]
                    for info in archive.infolist()
                    if not info.is_dir()
                ]
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
            return []
    try:
        rows = [row for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) if any(c.strip() for c in row)]
    except (UnicodeDecodeError, csv.Error):
        return []
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if "text" not in header:
        return []
    at = header.index("text")
    return [text_digest(row[at]) for row in rows[1:] if len(row) > at and row[at].strip()]


def evaluation_overlap(*, demo_model: DemoModel, data: bytes) -> int | None:
    """How many inputs of the evaluation set the model was trained on; None when its training set is unknown
    (a sample or an uploaded model)."""
    if not demo_model.training_digests:
        return None
    trained = set(demo_model.training_digests)
    return sum(1 for digest in _evaluation_digests(demo_model, data) if digest in trained)


def evaluation_start(*, demo_model: DemoModel, data: bytes, dataset: Any) -> dict[str, Any]:
    """Score the model on a labelled set on the inference worker (CSV text,label for text; a zip of label
    folders for images). When it is done, the rows it would add to Data are proposed (nothing is written)."""
    if demo_model.status != DemoModel.Status.READY:
        raise ApplicationError(f"{demo_model.name} is not ready yet.")
    if demo_model.evaluation.get("status") == "running" and demo_model.evaluation.get("task_id"):
        raise ApplicationError("An evaluation of this model is already running.")
    name = " ".join(str(dataset or "").split())[:200] or "uploaded set"
    if demo_model.kind == DemoModel.Kind.TEXT:
        try:
            payload: dict[str, Any] = {"csv": data.decode("utf-8-sig")}
        except UnicodeDecodeError:
            raise ApplicationError("The CSV must be UTF-8 text.", extra={"field": "file"}) from None
    else:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise ApplicationError("Send the images as a zip with one folder per label.", extra={"field": "file"})
        payload = {"zip": base64.b64encode(data).decode("ascii")}
    overlap = evaluation_overlap(demo_model=demo_model, data=data)
    from pitchlab.demos.tasks import evaluation_settle

    task_id = inference.send(
        "evaluate",
        {"model": demo_model.artefact, "name": name, **payload},
        link=evaluation_settle.s(demo_model.pk).set(queue="default"),
    )
    state = {
        "status": "running",
        "task_id": task_id,
        "dataset": name,
        "started_at": timezone.now().isoformat(),
        "sample_model": demo_model.source == DemoModel.Source.SAMPLE,
        "overlap": overlap,
    }
    DemoModel.objects.filter(pk=demo_model.pk).update(evaluation=state)
    demo_model.evaluation = state
    return state


def evaluation_refresh(*, demo_model: DemoModel) -> dict[str, Any]:
    """The evaluation's state, settling it from its task when the callback has not (yet)."""
    evaluation = dict(demo_model.evaluation)
    if evaluation.get("status") != "running" or not evaluation.get("task_id"):
        return evaluation
    state, info = inference.progress(evaluation["task_id"])
    if state == "PROGRESS" and isinstance(info, dict):
        evaluation["progress"] = {"fraction": float(info.get("fraction") or 0), "done": info.get("done")}
    elif state in ("SUCCESS", "FAILURE"):
        evaluation_settle_answer(demo_model_id=demo_model.pk, answer=info if state == "SUCCESS" else None)
        demo_model.refresh_from_db()
        evaluation = dict(demo_model.evaluation)
    return evaluation


def evaluation_settle_answer(*, demo_model_id: int, answer: Any) -> None:
    """Record an evaluation's answer on the model: its summary and the rows it proposes for Data."""
    with transaction.atomic():
        demo_model = DemoModel.objects.select_for_update().filter(pk=demo_model_id).first()
        if demo_model is None or demo_model.evaluation.get("status") != "running":
            return
        evaluation = dict(demo_model.evaluation)
        try:
            result = inference.check(answer, what="The evaluation")
        except (InferenceRefused, InferenceUnavailable) as exc:
            evaluation.update(status="failed", error=exc.message)
        else:
            report = result["report"]
            evaluation.update(
                status="done",
                result=_evaluation_summary(result),
                error=None,
                proposed=measured_rows(
                    result,
                    report,
                    model=demo_model.name,
                    dataset=evaluation["dataset"],
                    sample_model=bool(evaluation.get("sample_model", demo_model.source == DemoModel.Source.SAMPLE)),
                    overlap=evaluation.get("overlap"),
                ),
                accepted=[],
            )
        evaluation.pop("progress", None)
        demo_model.evaluation = evaluation
        demo_model.save(update_fields=["evaluation", "updated_at"])


def _latency(value: Any) -> float | None:
    """A latency in ms at a precision people read: 0.1 ms (never 14.039298999932726)."""
    return round(float(value), 1) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _evaluation_summary(result: dict[str, Any]) -> dict[str, Any]:
    report = result["report"]
    keys = ("samples", "accuracy", "macro_precision", "macro_recall", "macro_f1")
    return {
        **{key: report.get(key) for key in keys},
        "latency_ms_p50": _latency(report.get("latency_ms_p50")),
        "latency_ms_p95": _latency(report.get("latency_ms_p95")),
        "intervals": report.get("intervals") or {},
        "confusion": report.get("confusion"),
        "per_class": report.get("per_class"),
        "device": result.get("device"),
        "evaluated_at": result.get("evaluated_at"),
    }


def measured_rows(
    result: dict[str, Any],
    report: dict[str, Any],
    *,
    model: str,
    dataset: str,
    sample_model: bool = False,
    overlap: int | None = None,
) -> list[dict[str, Any]]:
    """The experiment rows one evaluation proposes, keyed ("accuracy", "macro_f1", …): accuracy (with the
    confusion matrix), macro F1, precision and recall — each with n, its 95 % interval and its method — and the
    median latency in ms. Each names the model and the data set, and says whether it was measured on a PitchLab
    sample model and how many of its inputs the model was trained on (``overlap``, when known)."""
    intervals = report.get("intervals") or {}
    common: dict[str, Any] = {
        "model": model,
        "dataset": dataset,
        "samples": report.get("samples"),
        "date": str(result.get("evaluated_at", ""))[:10] or None,
        "device": str(result.get("device") or ""),
        "measured": True,
        "sample_model": sample_model,
    }
    if overlap is not None:
        common["overlap"] = overlap
    rows: list[dict[str, Any]] = []
    for key, (figure, metric) in PROPOSED_METRICS.items():
        value = report.get(figure)
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        row: dict[str, Any] = {"key": key, "metric": metric, "value": value, **common}
        if key == "latency_p50":
            row.update(value=_latency(value), unit="ms")
        else:
            interval = intervals.get(figure) if isinstance(intervals, dict) else None
            if isinstance(interval, dict):
                row.update(ci_low=interval.get("low"), ci_high=interval.get("high"), ci_method=interval.get("method"))
        if key == "accuracy":
            row["confusion"] = report.get("confusion")
        row["small_sample"] = is_small_sample(row)
        rows.append(row)
    return rows


def _data_row(row: dict[str, Any]) -> dict[str, Any]:
    """A proposed row as Data stores it: without the preview's key and computed flags."""
    return {key: value for key, value in row.items() if key not in ("key", "small_sample")}


def evaluation_accept(*, demo_model: DemoModel, metrics: Any) -> dict[str, Any]:
    """Write the chosen proposed rows (by key) into the pitch's Data section; the evaluation's new state.

    409 when there is no finished evaluation with proposals; 400 for an empty or unknown choice, and for the
    figures of a PitchLab sample model (they are not the company's own result).
    """
    from pitchlab.pitches.services import experiments_record_measured

    if not isinstance(metrics, list) or not metrics or not all(isinstance(m, str) for m in metrics):
        raise ApplicationError(_("Choose at least one figure to add to Data."), extra={"field": "metrics"})
    with transaction.atomic():
        locked = DemoModel.objects.select_for_update().get(pk=demo_model.pk)
        evaluation = dict(locked.evaluation)
        proposed = evaluation.get("proposed")
        if evaluation.get("status") != "done" or not isinstance(proposed, list) or not proposed:
            raise EvaluationConflict(_("There is no finished evaluation to add to Data: evaluate the model first."))
        by_key = {str(row.get("key")): row for row in proposed if isinstance(row, dict)}
        unknown = sorted(set(metrics) - set(by_key))
        if unknown:
            raise ApplicationError(
                _("Unknown figure: %(unknown)s. This evaluation proposes: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(by_key)},
                extra={"field": "metrics", "unknown": unknown},
            )
        chosen = [by_key[key] for key in by_key if key in metrics]
        if evaluation.get("sample_model") or any(row.get("sample_model") for row in chosen):
            raise ApplicationError(str(SAMPLE_MODEL_REFUSAL), extra={"field": "metrics", "code": "sample_model"})
        experiments_record_measured(
            pitch_id=locked.pitch_id,
            model=locked.name,
            dataset=str(evaluation.get("dataset") or ""),
            rows=[_data_row(row) for row in chosen],
        )
        accepted = list(evaluation.get("accepted") or [])
        evaluation["accepted"] = [key for key in by_key if key in set(accepted) | set(metrics)]
        evaluation["accepted_at"] = timezone.now().isoformat()
        locked.evaluation = evaluation
        locked.save(update_fields=["evaluation", "updated_at"])
    demo_model.evaluation = evaluation
    return evaluation


def evaluation_discard(*, demo_model: DemoModel) -> dict[str, Any]:
    """Drop the proposed rows of a finished (or failed) evaluation; Data keeps whatever was accepted before."""
    with transaction.atomic():
        locked = DemoModel.objects.select_for_update().get(pk=demo_model.pk)
        evaluation = dict(locked.evaluation)
        if evaluation.get("status") == "running":
            raise EvaluationConflict(_("The evaluation is still running; discard it when it has finished."))
        if not evaluation:
            raise EvaluationConflict(_("There is no evaluation to discard."))
        evaluation = {"status": "discarded", "dataset": evaluation.get("dataset")}
        locked.evaluation = evaluation
        locked.save(update_fields=["evaluation", "updated_at"])
    demo_model.evaluation = evaluation
    return evaluation
