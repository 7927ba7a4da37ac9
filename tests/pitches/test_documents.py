"""Export, import, duplicate and templates: one JSON document format, round-tripping exactly."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.pitches.checks import check_canvas
from pitchlab.pitches.completeness import completeness
from pitchlab.pitches.documents import FORMAT, template_document, template_list
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


@pytest.fixture
def api(api_client: APIClient, owner: User) -> APIClient:
    api_client.force_authenticate(owner)
    return api_client


def test_there_are_two_complete_templates_in_both_languages() -> None:
    templates = {t["key"]: t for t in template_list()}
    assert set(templates) == {"support_nlp", "medical_imaging"}
    for template in templates.values():
        assert template["template_title_en"]
        assert template["template_title_zh"]


@pytest.mark.parametrize("key", ["support_nlp", "medical_imaging"])
def test_every_template_fills_every_section_and_passes_validation(owner: User, key: str) -> None:
    pitch = pitch_import(owner=owner, document=template_document(key))
    score = completeness(pitch.content)
    for name, section in score["sections"].items():
        assert section["done"] > 0, name
    assert score["sections"]["story"]["percent"] == 100
    assert score["sections"]["data"]["percent"] == 100
    assert score["sections"]["team_ask"]["percent"] == 100
    # A template is an example of a rational pitch: no absolute claims or unmitigated high risks.
    codes = {f.code for f in check_canvas(pitch.content)}
    assert not codes & {"absolute", "unmitigated_risk", "no_baseline", "unbacked_growth", "unbacked_accuracy"}


def test_export_then_import_round_trips_identically(api: APIClient, owner: User) -> None:
    original = pitch_import(owner=owner, document=template_document("medical_imaging"))
    exported = api.get(f"/api/pitches/{original.pk}/export/").json()
    assert exported["format"] == FORMAT
    created = api.post("/api/pitches/import/", exported, format="json")
    assert created.status_code == 201
    again = api.get(f"/api/pitches/{created.json()['id']}/export/").json()
    assert again == exported


def test_export_page_downloads_the_same_document(client: Client, owner: User) -> None:
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    client.force_login(owner)
    response = client.get(f"/pitches/{pitch.pk}/export/")
    assert response["Content-Disposition"] == f'attachment; filename="pitch-{pitch.pk}.json"'
    document = json.loads(response.content)
    assert document["canvas"] == pitch.content
    assert document["name"] == "Lumen Support AI"


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ([1, 2], "document"),
        ({"format": "keynote"}, "format"),
        ({"format": FORMAT, "schema": 99, "name": "X", "canvas": {}}, "schema"),
        ({"format": FORMAT, "schema": 1, "name": "", "canvas": {}}, "name"),
        ({"format": FORMAT, "schema": 1, "name": "X", "canvas": {"story": {"origin": "x" * 6000}}}, "story.origin"),
        (
            {
                "format": FORMAT,
                "schema": 1,
                "name": "X",
                "canvas": {"ask": {"use_of_funds": [{"label": "a", "percent": 7}]}},
            },
            "ask.use_of_funds",
        ),
    ],
)
def test_a_bad_document_gets_400_naming_the_field_and_creates_nothing(
    api: APIClient, document: Any, field: str
) -> None:
    response = api.post("/api/pitches/import/", document, format="json")
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]
    assert not Pitch.objects.exists()


def test_imported_results_are_never_marked_measured(api: APIClient) -> None:
    document = template_document("support_nlp")
    assert document is not None
    document["canvas"]["data"]["experiments"][0]["measured"] = True
    created = api.post("/api/pitches/import/", document, format="json")
    pitch = Pitch.objects.get(pk=created.json()["id"])
    assert not any(row["measured"] for row in pitch.content["data"]["experiments"])


def test_duplicate_copies_the_canvas_for_the_same_owner(api: APIClient, owner: User) -> None:
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    response = api.post(f"/api/pitches/{pitch.pk}/duplicate/")
    assert response.status_code == 201
    copy = Pitch.objects.get(pk=response.json()["id"])
    assert copy.name == "Lumen Support AI (copy)"
    assert copy.content == pitch.content
    assert copy.owner == owner


def test_templates_api_lists_and_uses_them(api: APIClient) -> None:
    assert [t["key"] for t in api.get("/api/templates/").json()] == ["medical_imaging", "support_nlp"]
    response = api.post("/api/templates/medical_imaging/use/")
    assert response.status_code == 201
    assert response.json()["name"] == "ClearScan Health"
    assert api.post("/api/templates/nope/use/").status_code == 404


def test_importing_a_broken_file_in_the_browser_shows_why(client: Client, owner: User) -> None:
    client.force_login(owner)
    upload = SimpleUploadedFile(
        "pitch.json", b'{"format": "pitchlab.pitch", "schema": 1, "name": "X", ', "application/json"
    )
    response = client.post("/pitches/import/", {"document": upload})
    assert response.status_code == 400
    assert "not valid JSON" in response.content.decode()
    assert not Pitch.objects.exists()


def test_starting_from_a_template_in_the_browser(client: Client, owner: User) -> None:
    client.force_login(owner)
    response = client.post("/pitches/from-template/support_nlp/")
    pitch = Pitch.objects.get(owner=owner)
    assert response["Location"] == f"/pitches/{pitch.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Lumen Support AI" in page


def test_someone_elses_pitch_cannot_be_exported_or_duplicated(
    api_client: APIClient, owner: User, make_user: Callable[..., User]
) -> None:
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    api_client.force_authenticate(make_user("intruder"))
    assert api_client.get(f"/api/pitches/{pitch.pk}/export/").status_code == 404
    assert api_client.post(f"/api/pitches/{pitch.pk}/duplicate/").status_code == 404
    assert Pitch.objects.count() == 1


@pytest.mark.parametrize("key", ["support_nlp", "medical_imaging"])
def test_editing_a_template_document_leaves_the_template_unchanged_for_the_next_founder(key: str) -> None:
    first = template_document(key)
    assert first is not None
    pristine = json.dumps(template_document(key), sort_keys=True)
    first["canvas"]["data"]["experiments"].append({"metric": "accuracy", "value": 1.0})
    first["canvas"]["story"]["purpose"] = "changed by one caller"
    for unit in first["canvas"].values():
        if isinstance(unit, dict):
            unit.clear()
    assert json.dumps(template_document(key), sort_keys=True) == pristine
