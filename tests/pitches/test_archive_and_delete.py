"""Data control: the owner downloads everything of a pitch as one zip, and deleting a pitch leaves nothing behind.

The fast tests run models_service's tasks in this process (the queue is the only fake: ``InProcessInference``);
the slow ones go through a real inference worker (and a real default worker for the settle callback).
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from celery.result import AsyncResult
from django.apps import apps
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from models_service import files, lifecycle
from models_service.config import ServiceConfig, load_config
from models_service.errors import ServiceError
from models_service.testing import tiny_image_model, tiny_text_model
from pitchlab.celery import app as celery_app
from pitchlab.core import ratelimit
from pitchlab.decks.models import DeckExport
from pitchlab.decks.services import EXPORT_RENDERERS, export_create, export_run
from pitchlab.demos import inference
from pitchlab.demos.models import AudienceLink, DemoModel
from pitchlab.demos.public_apis import audience_limits
from pitchlab.demos.services import audience_link_open, demo_model_settle, example_add
from pitchlab.pitches.documents import template_document, template_list
from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_create, pitch_import, pitch_write
from pitchlab.rehearsals import remote
from pitchlab.rehearsals.models import DrillAnswer, Rehearsal
from tests.conftest import InferenceWorker
from tests.demos.conftest import png_bytes

# ---------- the inference side, in this process ----------

_TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "artefact_files": files.artefact_files,
    "artefact_read": files.artefact_read,
    "delete": lifecycle.delete,
}


class InProcessInference:
    """``inference.send``/``wait`` answered by models_service's own functions on a folder of this test."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.answers: dict[str, dict[str, Any]] = {}
        self.sent: list[str] = []

    def send(self, task: str, payload: dict[str, Any], **options: Any) -> str:
        self.sent.append(task)
        try:
            answer = _TASKS[task](payload, config=self.config)
        except ServiceError as error:
            answer = error.as_json()
        task_id = f"local-{len(self.sent)}"
        self.answers[task_id] = answer
        return task_id

    def wait(self, task_id: str, *, timeout_s: float, what: str = "The model", forget: bool = False) -> dict[str, Any]:
        return inference.check(self.answers.pop(task_id), what=what)


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    tiny_text_model(folder / "sample-text", seed=3)  # the shared sample: never the pitch's to delete
    return folder


@pytest.fixture
def fake_inference(monkeypatch: pytest.MonkeyPatch, models_dir: Path) -> InProcessInference:
    fake = InProcessInference(replace(load_config({"PITCHLAB_DEVICE": "cpu"}), models_dir=models_dir))
    monkeypatch.setattr(inference, "send", fake.send)
    monkeypatch.setattr(inference, "wait", fake.wait)
    return fake


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """A media folder of this test's own: other tests writing theirs cannot disturb the snapshot."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def redis_client(app_broker: str) -> Iterator[redis.Redis]:
    remote._client = None  # the relay's client is made for settings.REDIS_URL on first use
    client = redis.Redis.from_url(app_broker)
    yield client
    client.close()
    remote._client = None


# ---------- a pitch with everything ----------


@dataclass
class Everything:
    pitch: Pitch
    owner: User
    editor: User
    viewer: User
    export: DeckExport
    own_model: DemoModel
    sample_model: DemoModel
    token: str


def files_under(folder: Path) -> set[str]:
    """Every file and folder under ``folder``, relative.

    A worker may be deleting a model folder (renamed to ``….deleting-…``, then removed) while it is listed: a
    folder that vanishes mid-walk makes the walk start again (it failed the suite once in a fresh clone)."""
    for _attempt in range(50):
        try:
            return {path.relative_to(folder).as_posix() for path in folder.rglob("*")} if folder.exists() else set()
        except FileNotFoundError:
            time.sleep(0.02)
    raise AssertionError(f"{folder} kept changing while it was listed")


def media_files(folder: Path) -> set[str]:
    """The files under the media folder (upload_to folders such as exports/2026/05/ are shared by all pitches)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def row_counts() -> dict[str, int]:
    """Rows of every model of the project's apps (and DRF tokens, sessions): a leak anywhere shows here."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"contenttypes", "auth", "admin", "sessions"}
    }


def other_pitch_with_files(owner: User, models_dir: Path) -> None:
    """Another pitch of the same founder, with a PDF, an image and a model of its own: all must survive."""
    other = pitch_create(owner=owner, name="Other pitch")
    export = export_create(pitch=other)
    export.file.save("other.pdf", ContentFile(b"%PDF-1.4 other"), save=False)
    export.status = DeckExport.Status.READY
    export.save()
    tiny_text_model(models_dir / "upload-0ther0ther0ther", seed=5)
    model = DemoModel.objects.create(
        pitch=other, name="Theirs", kind="text", source="upload", artefact="upload-0ther0ther0ther", status="ready"
    )
    example_add(demo_model=model, image_png=png_bytes())


def build_everything(make_user: Callable[..., User], models_dir: Path) -> Everything:
    owner, editor, viewer = make_user("founder"), make_user("editor"), make_user("viewer")
    document = template_document(template_list()[0]["key"])
    pitch = pitch_import(owner=owner, document=document)
    pitch = pitch_write(pitch_id=pitch.pk, changes={"story.vision": "让每位客服都有一位 AI 同事。"}, base_version=0)
    PitchMember.objects.create(pitch=pitch, user=editor, role="editor", invited_by=owner)
    PitchMember.objects.create(pitch=pitch, user=viewer, role="viewer", invited_by=owner)

    export = export_run(export_id=export_create(pitch=pitch, lang="en").pk)  # the real renderer, in process
    assert export.status == DeckExport.Status.READY, export.error

    tiny_text_model(models_dir / "upload-0123456789abcdef", seed=7)
    own = DemoModel.objects.create(
        pitch=pitch,
        name="Ticket router",
        kind="text",
        source="upload",
        artefact="upload-0123456789abcdef",
        status="ready",
        labels=["billing", "bug", "praise"],
    )
    example_add(demo_model=own, text="refund my invoice", expected="billing")
    example_add(demo_model=own, image_png=png_bytes((40, 30), "blue"))
    sample = DemoModel.objects.create(
        pitch=pitch, name="Sample", kind="text", source="sample", artefact="sample-text", status="ready"
    )
    link = audience_link_open(demo_model=own, expires_in_minutes=30)

    now = timezone.now()
    Rehearsal.objects.create(
        pitch=pitch,
        status="complete",
        started_at=now - timedelta(minutes=5),
        finished_at=now,
        target_seconds=300,
        slides=[{"key": "title", "number": 1, "kind": "title", "title": "Lumen", "planned": 20, "notes": ""}],
        segments=[{"slide": "title", "start_ms": 0, "end_ms": 21000}],
        total_seconds=21,
        transcript="Um, we route tickets.",
    )
    DrillAnswer.objects.create(
        pitch=pitch,
        user=owner,
        question_key="bank:moat",
        source="bank",
        category="market",
        question_text="What stops a bigger company from copying you?",
        rating=3,
        better_answer="Our labelled data from six customers.",
        seconds=48,
    )
    return Everything(pitch, owner, editor, viewer, export, own, sample, link.token)


def zip_of(response: Any) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def read_json(archive: zipfile.ZipFile, name: str) -> Any:
    return json.loads(archive.read(name))


# ---------- (1) the archive holds everything ----------


@pytest.mark.django_db
def test_the_archive_holds_every_part_with_a_manifest_that_checks_out(
    make_user: Callable[..., User], models_dir: Path, media: Path, fake_inference: InProcessInference
) -> None:
    data = build_everything(make_user, models_dir)
    client = APIClient()
    client.force_authenticate(data.owner)

    response = client.get(f"/api/pitches/{data.pitch.pk}/archive/", HTTP_ACCEPT="application/zip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="pitchlab-')
    assert response["Content-Disposition"].endswith(f'-{data.pitch.pk}-{timezone.now():%Y%m%d}.zip"')
    archive = zip_of(response)
    names = set(archive.namelist())
    folder = models_dir / data.own_model.artefact
    model_names = {f"demos/{data.own_model.artefact}/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*")}
    assert {"config.json", "model.safetensors", "vocab.txt"} <= {n.rsplit("/", 1)[1] for n in model_names}
    pdf_name = f"exports/{data.export.pk}-{Path(str(data.export.file.name)).name}"
    expected = {
        "manifest.json",
        "pitch.json",
        "revisions.json",
        "exports.json",
        pdf_name,
        "demo_models.json",
        "rehearsals.json",
        "drill_answers.json",
        "members.json",
        *model_names,
    }
    assert expected <= names
    assert not any(name.startswith("demos/sample-text") for name in names)  # the shared sample is PitchLab's

    # The manifest lists every other file, and its sizes and SHA-256 are the files'.
    manifest = read_json(archive, "manifest.json")
    assert manifest["format"] == "pitchlab.archive"
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == names - {"manifest.json"}
    for name, entry in listed.items():
        content = archive.read(name)
        assert entry["size"] == len(content), name
        assert entry["sha256"] == hashlib.sha256(content).hexdigest(), name
    assert [item["what"] for item in manifest["left_out"]] == ["demos/sample-text/"]

    # The files are the ones on disk, byte for byte.
    for name in model_names:
        assert archive.read(name) == (folder / name.split("/", 2)[2]).read_bytes()
    assert archive.read(pdf_name) == data.export.file.open("rb").read()
    assert archive.read(pdf_name).startswith(b"%PDF")

    # The rows.
    models = {row["name"]: row for row in read_json(archive, "demo_models.json")}
    own = models["Ticket router"]
    assert own["folder"] == f"demos/{data.own_model.artefact}/"
    assert models["Sample"]["folder"] is None
    assert [e["text"] for e in own["examples"]] == ["refund my invoice", ""]
    image = own["examples"][1]["image"]
    assert image in names
    assert archive.read(image) == data.own_model.examples.get(text="").image.open("rb").read()
    assert own["audience_links"]
    assert "token" not in own["audience_links"][0]
    assert data.token.encode() not in b"".join(archive.read(n) for n in names if n.endswith(".json"))
    assert read_json(archive, "exports.json")[0]["file"] == pdf_name
    assert read_json(archive, "rehearsals.json")[0]["transcript"] == "Um, we route tickets."
    assert read_json(archive, "drill_answers.json")[0]["better_answer"] == "Our labelled data from six customers."
    assert {(m["username"], m["role"]) for m in read_json(archive, "members.json")} == {
        ("editor", "editor"),
        ("viewer", "viewer"),
    }
    assert [r["version"] for r in read_json(archive, "revisions.json")] == sorted(
        data.pitch.revisions.values_list("version", flat=True)
    )

    # pitch.json is an export document: the existing import gives the same canvas back.
    copy = pitch_import(owner=data.owner, document=read_json(archive, "pitch.json"))
    data.pitch.refresh_from_db()
    assert copy.name == data.pitch.name
    assert copy.content == data.pitch.content
    assert copy.content["story"]["vision"] == "让每位客服都有一位 AI 同事。"


@pytest.mark.django_db
def test_only_the_owner_gets_the_archive(
    make_user: Callable[..., User], models_dir: Path, media: Path, fake_inference: InProcessInference
) -> None:
    data = build_everything(make_user, models_dir)
    url = f"/api/pitches/{data.pitch.pk}/archive/"

    def as_user(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    assert as_user(data.editor).get(url).status_code == 403
    assert as_user(data.viewer).get(url).status_code == 403
    assert as_user(make_user("stranger")).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 401
    assert fake_inference.sent == []  # nothing was read for anyone refused
    assert as_user(data.owner).get(f"/api/pitches/{data.pitch.pk + 1000}/archive/").status_code == 404

    # The page's link: the same rule, and the owner gets the same zip.
    page = f"/pitches/{data.pitch.pk}/archive/"
    browser = Client()
    assert browser.get(page).status_code == 302  # to the login page
    browser.force_login(data.editor)
    assert browser.get(page).status_code == 403
    browser.force_login(data.owner)
    response = browser.get(page)
    assert response.status_code == 200
    assert "pitch.json" in zip_of(response).namelist()


@pytest.mark.django_db
def test_the_pages_offer_the_archive_to_the_owner_only(
    make_user: Callable[..., User], models_dir: Path, media: Path
) -> None:
    owner, editor = make_user("founder"), make_user("editor")
    pitch = pitch_create(owner=owner, name="Acme AI")
    PitchMember.objects.create(pitch=pitch, user=editor, role="editor", invited_by=owner)
    browser = Client()
    browser.force_login(owner)
    link = f'href="/pitches/{pitch.pk}/archive/"'
    assert link in browser.get(f"/pitches/{pitch.pk}/").content.decode()
    assert link in browser.get(f"/pitches/{pitch.pk}/delete/").content.decode()
    browser.force_login(editor)
    assert link not in browser.get(f"/pitches/{pitch.pk}/").content.decode()


@pytest.mark.django_db
def test_the_archive_is_in_the_openapi_schema() -> None:
    client = APIClient()
    client.force_authenticate(User.objects.create_user("reader"))
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/pitches/{pitch_id}/archive/"]["get"]
    assert operation["operationId"] == "pitches_archive"
    assert "application/zip" in operation["responses"]["200"]["content"]


@pytest.mark.django_db
def test_a_model_that_changes_while_it_is_copied_fails_the_archive(
    make_user: Callable[..., User], models_dir: Path, media: Path, fake_inference: InProcessInference
) -> None:
    data = build_everything(make_user, models_dir)
    real_read = _TASKS["artefact_read"]

    def tampered(payload: dict[str, Any], *, config: ServiceConfig) -> dict[str, Any]:
        answer = real_read(payload, config=config)
        if payload["path"] == "config.json":
            answer["data"] = "e30="  # "{}" instead of the file's bytes
        return answer

    _TASKS["artefact_read"] = tampered
    try:
        client = APIClient()
        client.force_authenticate(data.owner)
        response = client.get(f"/api/pitches/{data.pitch.pk}/archive/")
    finally:
        _TASKS["artefact_read"] = real_read
    assert response.status_code == 409
    assert "changed while it was being copied" in response.json()["message"]


@pytest.mark.django_db
def test_other_apps_add_their_part_to_the_archive(
    make_user: Callable[..., User], media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pitchlab.pitches import archive

    monkeypatch.setattr(archive, "_PARTS", {})
    archive.archive_part("share_links.json", lambda pitch: [{"label": f"investors of {pitch.name}"}])
    with pytest.raises(ValueError, match="new top-level"):
        archive.archive_part("pitch.json", lambda pitch: [])
    pitch = pitch_create(owner=make_user("founder"), name="Acme AI")
    zipped = zipfile.ZipFile(archive.pitch_archive_build(pitch=pitch))
    assert read_json(zipped, "share_links.json") == [{"label": "investors of Acme AI"}]
    assert "share_links.json" in {entry["path"] for entry in read_json(zipped, "manifest.json")["files"]}


# ---------- (3) deleting leaves nothing ----------


def pitch_keys(client: redis.Redis, pitch_id: int, token: str) -> set[bytes]:
    return {*client.scan_iter(match=f"*remote:{pitch_id}:*"), *client.scan_iter(match=f"*{token}*")}


@pytest.mark.django_db
def test_deleting_a_pitch_leaves_no_row_no_file_and_no_redis_key(
    make_user: Callable[..., User],
    models_dir: Path,
    media: Path,
    fake_inference: InProcessInference,
    redis_client: redis.Redis,
    django_capture_on_commit_callbacks: Any,
) -> None:
    other_owner = make_user("other")
    other_pitch_with_files(other_owner, models_dir)
    rows_before, media_before, models_before = row_counts(), media_files(media), files_under(models_dir)
    assert media_before
    assert "upload-0ther0ther0ther" in models_before

    data = build_everything(make_user, models_dir)
    rows_before.update({"auth.User": User.objects.count()})  # the three users of build_everything stay
    pitch_id, token = data.pitch.pk, data.token
    remote.command_send(pitch_id=pitch_id, action="next")
    remote.state_put(pitch_id=pitch_id, state={"slide": 1, "notes": "Welcome"})
    # A phone's, its address' and the room's counts.
    assert ratelimit.hit(*audience_limits(token=token, client="127.0.0.1", device="phone-one")).allowed
    assert media_files(media) - media_before  # the PDF and the example image
    assert files_under(models_dir) - models_before  # the pitch's own model
    assert len(pitch_keys(redis_client, pitch_id, token)) == 5

    client = APIClient()
    client.force_authenticate(data.owner)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/pitches/{pitch_id}/").status_code == 204

    counts = row_counts()
    counts.pop("auth.User", None)
    rows_before.pop("auth.User", None)
    assert counts == rows_before
    assert not Pitch.objects.filter(pk=pitch_id).exists()
    assert not AudienceLink.objects.filter(token=token).exists()
    assert media_files(media) == media_before
    assert files_under(models_dir) == models_before  # its model went; the sample and the other pitch's stayed
    assert fake_inference.sent.count("delete") == 1  # the sample model was not even asked for
    assert pitch_keys(redis_client, pitch_id, token) == set()


@pytest.mark.django_db
def test_a_model_that_finishes_after_its_pitch_was_deleted_is_removed(
    models_dir: Path, fake_inference: InProcessInference
) -> None:
    tiny_text_model(models_dir / "text-late0000late", seed=1)  # what training wrote after the deletion
    demo_model_settle(demo_model_id=999_999, answer={"ok": True, "model": "text-late0000late", "kind": "text"})
    assert not (models_dir / "text-late0000late").exists()
    demo_model_settle(demo_model_id=999_999, answer={"ok": True, "model": "sample-text", "kind": "text"})
    assert (models_dir / "sample-text").is_dir()  # a sample is never removed
    assert fake_inference.sent == ["delete"]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", ["while it renders", "after its file was written"])
def test_an_export_deleted_while_it_renders_leaves_no_pdf(
    make_user: Callable[..., User], media: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    pitch = pitch_create(owner=make_user("founder"), name="Acme AI")
    export = export_create(pitch=pitch)
    before = media_files(media)

    def delete_it() -> None:  # the founder deletes the pitch meanwhile
        DeckExport.objects.filter(pk=export.pk).delete()

    def render(**kwargs: Any) -> bytes:
        if moment == "while it renders":
            delete_it()
        return b"%PDF-1.4 rendered"

    save = FieldFile.save

    def save_then_delete(self: FieldFile, name: str, content: Any, **options: Any) -> None:
        save(self, name, content, **options)
        assert media_files(media) != before  # the PDF is on disk now
        delete_it()

    monkeypatch.setitem(EXPORT_RENDERERS, "pdf", replace(EXPORT_RENDERERS["pdf"], render=render))
    if moment == "after its file was written":
        monkeypatch.setattr(FieldFile, "save", save_then_delete)
    export_run(export_id=export.pk)
    assert not DeckExport.objects.filter(pk=export.pk).exists()
    assert media_files(media) == before


# ---------- end to end, through real workers ----------


def model_zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.writestr(f"model/{path.name}", path.read_bytes())
    return buffer.getvalue()


def wait_until(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.2)
    return check()


@pytest.mark.slow
@pytest.mark.django_db
def test_archive_and_delete_through_the_inference_worker(
    inference_worker: InferenceWorker,
    demo_models_dir: Path,
    make_user: Callable[..., User],
    media: Path,
    redis_client: redis.Redis,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Path,
) -> None:
    if inference_worker.proc is None:
        inference_worker.start()
    models_before, media_before = files_under(demo_models_dir), media_files(media)
    owner = make_user("founder")
    client = APIClient()
    client.force_authenticate(owner)
    pitch_id = client.post("/api/pitches/", {"name": "Acme AI"}, format="json").json()["id"]
    upload = tiny_image_model(tmp_path / "charts", seed=9)
    response = client.post(
        f"/api/pitches/{pitch_id}/demo-models/",
        {"source": "upload", "name": "Charts", "file": SimpleUploadedFile("m.zip", model_zip(upload))},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    model = response.json()
    artefact = DemoModel.objects.get(pk=model["id"]).artefact
    assert (demo_models_dir / artefact / "model.safetensors").is_file()
    example = client.post(model["urls"]["examples"], {"image": SimpleUploadedFile("a.png", png_bytes())})
    assert example.status_code == 201, example.content

    started = time.perf_counter()
    response = client.get(f"/api/pitches/{pitch_id}/archive/")
    assert response.status_code == 200, response.content
    archive = zip_of(response)
    seconds = time.perf_counter() - started
    manifest = read_json(archive, "manifest.json")
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    for path in (demo_models_dir / artefact).iterdir():
        assert archive.read(f"demos/{artefact}/{path.name}") == path.read_bytes()
    assert seconds < 30, seconds

    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/pitches/{pitch_id}/").status_code == 204
    assert wait_until(lambda: files_under(demo_models_dir) == models_before, 30), (
        files_under(demo_models_dir) - models_before
    )
    assert media_files(media) == media_before


@pytest.mark.slow
def test_a_model_still_training_when_its_pitch_is_deleted_leaves_no_folder(
    inference_worker: InferenceWorker,
    default_worker: Path,
    demo_models_dir: Path,
    make_user: Callable[..., User],
    redis_client: redis.Redis,
) -> None:
    if inference_worker.proc is None:
        inference_worker.start()
    models_before = files_under(demo_models_dir)
    client = APIClient()
    client.force_authenticate(make_user("founder"))
    pitch_id = client.post("/api/pitches/", {"name": "Acme AI"}, format="json").json()["id"]
    examples = [{"text": f"refund invoice charge {i}", "label": "billing"} for i in range(6)]
    examples += [{"text": f"crash error bug {i}", "label": "bug"} for i in range(6)]
    response = client.post(
        f"/api/pitches/{pitch_id}/demo-models/",
        {"source": "examples", "name": "Mine", "examples": examples},
        format="json",
    )
    assert response.status_code == 202, response.content
    model = DemoModel.objects.get(pk=response.json()["id"])
    assert client.delete(f"/api/pitches/{pitch_id}/").status_code == 204  # while it trains

    # Training finishes and writes its folder after the deletion's removal found none; its answer, settled by
    # the default worker, finds no row and removes the folder.
    answer: dict[str, Any] = AsyncResult(model.task_id, app=celery_app).get(timeout=180)
    assert answer["ok"] is True, answer
    assert answer["model"] == model.artefact
    assert wait_until(lambda: files_under(demo_models_dir) == models_before, 60), (
        files_under(demo_models_dir) - models_before,
        default_worker.read_text()[-3000:],
    )
