"""Drill answers are per member: each member of a pitch (a viewer too) drills for themselves, and sees, lists and
deletes only their own answers, on the page and in the API. Forbidden writes to the pitch stay 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.rehearsals.models import DrillAnswer, DrillQuestion

pytestmark = pytest.mark.django_db


def _api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _bank_key(category: str) -> str:
    question = DrillQuestion.objects.filter(category=category, active=True).first()
    assert question is not None
    return question.key


@pytest.fixture
def viewer(make_user: Callable[..., User], pitch: Pitch, owner: User) -> User:
    user = make_user("vera")
    PitchMember.objects.create(pitch=pitch, user=user, role="viewer", invited_by=owner)
    return user


@pytest.fixture
def editor(make_user: Callable[..., User], pitch: Pitch, owner: User) -> User:
    user = make_user("eddie")
    PitchMember.objects.create(pitch=pitch, user=user, role="editor", invited_by=owner)
    return user


def _answer(client: APIClient, pitch: Pitch, key: str, rating: int, better: str = "") -> dict[str, Any]:
    response = client.post(
        f"/api/pitches/{pitch.pk}/drill/answers/",
        {"question_key": key, "rating": rating, "better_answer": better},
        format="json",
    )
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def test_a_member_lists_only_their_own_answers(owner: User, viewer: User, pitch: Pitch) -> None:
    mine = _answer(_api(owner), pitch, _bank_key("finance"), 1, "Owner's secret note.")
    theirs = _answer(_api(viewer), pitch, _bank_key("market"), 4)
    url = f"/api/pitches/{pitch.pk}/drill/answers/"
    assert [row["id"] for row in _api(owner).get(url).json()] == [mine["id"]]
    assert [row["id"] for row in _api(viewer).get(url).json()] == [theirs["id"]]
    assert DrillAnswer.objects.get(pk=mine["id"]).user == owner
    assert DrillAnswer.objects.get(pk=theirs["id"]).user == viewer


def test_the_history_sums_up_only_your_own_ratings(owner: User, editor: User, pitch: Pitch) -> None:
    finance = _bank_key("finance")
    _answer(_api(owner), pitch, finance, 1, "Lead with CAC payback.")
    _answer(_api(editor), pitch, _bank_key("market"), 5)
    url = f"/api/pitches/{pitch.pk}/drill/history/"
    owners, editors = _api(owner).get(url).json(), _api(editor).get(url).json()
    assert owners["answers_total"] == 1
    assert [row["key"] for row in owners["never_well"]] == [finance]
    assert {row["category"]: row["answered"] for row in editors["categories"]}["finance"] == 0
    assert editors["answers_total"] == 1
    assert editors["never_well"] == []


def test_the_drill_page_shows_only_your_drill(owner: User, viewer: User, pitch: Pitch) -> None:
    _answer(_api(owner), pitch, _bank_key("finance"), 1, "The owner's better answer.")
    page = Client()
    page.force_login(viewer)
    html = page.get(f"/pitches/{pitch.pk}/drill/").content.decode()
    assert "data-history-empty" in html  # the viewer has answered nothing yet
    assert "The owner&#x27;s better answer." not in html
    assert "Only you see your answers" in html
    page.force_login(owner)
    html = page.get(f"/pitches/{pitch.pk}/drill/").content.decode()
    assert "The owner&#x27;s better answer." in html
    assert "data-history-empty" not in html


def test_a_viewer_saves_their_own_answer_and_the_owner_s_stay_as_they_were(
    owner: User, viewer: User, pitch: Pitch
) -> None:
    key = _bank_key("finance")
    owners = _answer(_api(owner), pitch, key, 2, "Owner's note.")
    _answer(_api(viewer), pitch, key, 5, "Viewer's note.")
    answer = DrillAnswer.objects.get(pk=owners["id"])
    assert (answer.user_id, answer.rating, answer.better_answer) == (owner.pk, 2, "Owner's note.")
    assert DrillAnswer.objects.filter(user=viewer).count() == 1
    # The owner's history does not count the viewer's 5.
    history = _api(owner).get(f"/api/pitches/{pitch.pk}/drill/history/").json()
    assert [row["key"] for row in history["never_well"]] == [key]


def test_deleting_another_member_s_answer_is_404_and_keeps_it(owner: User, viewer: User, pitch: Pitch) -> None:
    owners = _answer(_api(owner), pitch, _bank_key("finance"), 2)
    viewers = _answer(_api(viewer), pitch, _bank_key("market"), 3)
    assert _api(viewer).delete(f"/api/drill-answers/{owners['id']}/").status_code == 404
    assert _api(owner).delete(f"/api/drill-answers/{viewers['id']}/").status_code == 404
    assert DrillAnswer.objects.count() == 2
    assert _api(viewer).delete(f"/api/drill-answers/{viewers['id']}/").status_code == 204
    assert list(DrillAnswer.objects.values_list("pk", flat=True)) == [owners["id"]]


def test_a_stranger_still_gets_404_and_a_viewer_s_pitch_writes_stay_403(
    viewer: User, pitch: Pitch, make_user: Callable[..., User]
) -> None:
    stranger = _api(make_user("sam"))
    url = f"/api/pitches/{pitch.pk}/drill/answers/"
    assert stranger.post(url, {"question_key": _bank_key("finance"), "rating": 3}, format="json").status_code == 404
    assert stranger.get(url).status_code == 404
    client = _api(viewer)
    refused = client.patch(
        f"/api/pitches/{pitch.pk}/canvas/",
        {"base_version": pitch.version, "changes": {"story.purpose": "Mine now."}},
        format="json",
    )
    assert refused.status_code == 403
    assert client.delete(f"/api/pitches/{pitch.pk}/").status_code == 403
    assert client.post(f"/api/pitches/{pitch.pk}/rehearsals/", {}, format="json").status_code == 403
    assert not DrillAnswer.objects.exists()
    pitch.refresh_from_db()
    assert pitch.content["story"]["purpose"] != "Mine now."


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_answers_to_the_pitch_s_owner(owner: User, pitch: Pitch) -> None:
    before, after = [("rehearsals", "0002_load_question_bank")], [("rehearsals", "0003_drill_answers_per_member")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("rehearsals", "DrillAnswer")
    row = old.objects.create(
        pitch_id=pitch.pk, question_key="bank:x", source="bank", category="market", question_text="Why now?", rating=2
    )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    finally:
        call_command("migrate", "rehearsals", verbosity=0)
    assert DrillAnswer.objects.get(pk=row.pk).user_id == owner.pk
