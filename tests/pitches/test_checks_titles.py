"""The checker names a business-model item by its title as the admin has it (the catalogue is data, editable in
the admin), wherever the web side runs it: the checks API, the pre-flight and the drill."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.checklists.models import ChecklistItem
from pitchlab.checklists.selectors import business_titles
from pitchlab.decks import preflight
from pitchlab.decks.preflight import pitch_preflight
from pitchlab.pitches.checks import Finding, check_canvas
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.read_model import CanvasView
from pitchlab.pitches.services import pitch_create
from pitchlab.rehearsals.selectors import drill_questions

pytestmark = pytest.mark.django_db

EN, ZH = "Pricing that survives a CFO", "经得起财务总监推敲的定价"


@pytest.fixture
def edited() -> ChecklistItem:
    item, _ = ChecklistItem.objects.update_or_create(
        kind=ChecklistItem.Kind.BUSINESS,
        key="pricing",
        defaults={"title_en": "Revenue streams and pricing", "title_zh": "收入来源与定价", "active": True},
    )
    item.title_en, item.title_zh = EN, ZH  # what an admin types in the change form
    item.save()
    return item


@pytest.fixture
def pitch(make_user: Callable[..., User]) -> Pitch:
    pitch = pitch_create(owner=make_user("founder"), name="Acme AI")
    pitch.content["business"]["pricing"] = {"status": "missing", "evidence": ""}
    pitch.save()
    return pitch


def test_the_selector_returns_the_admins_titles(edited: ChecklistItem) -> None:
    assert business_titles()["pricing"] == (EN, ZH)
    edited.active = False
    edited.save()
    assert "pricing" not in business_titles()


def test_the_checks_api_quotes_the_admin_edited_title_in_both_languages(edited: ChecklistItem, pitch: Pitch) -> None:
    client = APIClient()
    client.force_authenticate(pitch.owner)
    response = client.get(f"/api/pitches/{pitch.pk}/checks/")
    assert response.status_code == 200
    finding = next(f for f in response.json()["findings"] if f["path"] == "business.pricing")
    assert finding["code"] == "missing_checklist"
    assert f'"{EN}"' in finding["message_en"]
    assert f"“{ZH}”" in finding["message_zh"]


def test_the_drill_quotes_the_admin_edited_title(edited: ChecklistItem, pitch: Pitch) -> None:
    question = next(q for q in drill_questions(pitch=pitch, source="generated") if q.path == "business.pricing")
    assert EN in question.text_en
    assert ZH in question.text_zh


def test_the_preflight_runs_the_checker_with_the_admins_titles(
    edited: ChecklistItem, pitch: Pitch, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Mapping[str, tuple[str, str]] | None] = []

    def spy(canvas: CanvasView | dict[str, Any], **options: Any) -> list[Finding]:
        seen.append(options.get("titles"))
        return check_canvas(canvas, **options)

    monkeypatch.setattr(preflight, "check_canvas", spy)
    pitch_preflight(pitch=pitch, lang="en")
    assert seen
    assert seen[0] is not None
    assert seen[0]["pricing"] == (EN, ZH)
