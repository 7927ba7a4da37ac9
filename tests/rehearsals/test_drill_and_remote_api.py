"""The drill API (questions from the pitch's gaps and the bank, answers, history) and the phone remote's relay."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any
from typing import Any as SettingsWrapper

import pytest
import redis
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch
from pitchlab.rehearsals import remote
from pitchlab.rehearsals.models import DrillAnswer, DrillQuestion

pytestmark = pytest.mark.django_db


def questions(client: APIClient, pitch: Pitch, **params: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/pitches/{pitch.pk}/drill/questions/", params)
    assert response.status_code == 200, response.json()
    return list(response.json())


def test_the_bank_is_loaded_bilingual_in_every_category() -> None:
    bank = DrillQuestion.objects.filter(active=True)
    for category in ("market", "product", "technology", "team", "finance", "risk"):
        rows = bank.filter(category=category)
        assert rows.count() >= 8, category
        assert all(row.text_en and row.text_zh for row in rows)


def test_gaps_in_the_canvas_raise_questions_that_link_to_their_field(client_of: APIClient, pitch: Pitch) -> None:
    pitch.content["business"]["revenue_pricing"] = {"status": "missing", "evidence": ""}
    pitch.content["risks"] = [
        {
            "key": "compute_cost",
            "title": "Compute cost",
            "category": "financial",
            "likelihood": 4,
            "impact": 5,
            "response": "mitigate",
            "mitigation": "",
            "owner": "",
        }
    ]
    pitch.content["data"]["experiments"] = [{"model": "Router", "metric": "accuracy", "value": 0.91, "baseline": None}]
    pitch.save()
    generated = {q["key"]: q for q in questions(client_of, pitch, source="generated")}
    pricing = generated["gen:business_missing:revenue_pricing"]
    assert pricing["path"] == "business.revenue_pricing"
    assert pricing["category"] == "finance"
    assert pricing["field_url"] == f"/pitches/{pitch.pk}/#unit-business.revenue_pricing"
    risk = next(q for q in generated.values() if q["rule"] == "risk_unmitigated")
    assert risk["path"] == "risks"
    assert "Compute cost" in risk["text"]
    baseline = next(q for q in generated.values() if q["rule"] == "no_baseline")
    assert baseline["field_url"].endswith("#unit-data.experiments")
    assert "Router" in baseline["text"]
    assert all(q["source"] == "generated" for q in generated.values())
    # In Chinese, the same questions in Chinese; the bank's follow them when asked for all.
    zh = questions(client_of, pitch, source="generated", lang="zh")
    assert next(q for q in zh if q["key"] == pricing["key"])["text"] == pricing["text_zh"]
    everything = questions(client_of, pitch)
    assert {q["source"] for q in everything} == {"generated", "bank"}
    assert everything[0]["source"] == "generated"


def test_fixing_the_canvas_removes_its_question(client_of: APIClient, pitch: Pitch) -> None:
    pitch.content["business"]["revenue_pricing"] = {"status": "done", "evidence": "€400/seat/month, 12 paying"}
    pitch.save()
    keys = {q["key"] for q in questions(client_of, pitch, source="generated")}
    assert not any("revenue_pricing" in key for key in keys)


def test_bad_query_parameters_get_400(client_of: APIClient, pitch: Pitch) -> None:
    assert client_of.get(f"/api/pitches/{pitch.pk}/drill/questions/?lang=fr").status_code == 400
    assert client_of.get(f"/api/pitches/{pitch.pk}/drill/questions/?source=web").status_code == 400


def test_answers_are_rated_and_build_the_history(client_of: APIClient, pitch: Pitch) -> None:
    bank = DrillQuestion.objects.filter(category="finance", active=True).first()
    assert bank is not None
    url = f"/api/pitches/{pitch.pk}/drill/answers/"
    for rating in (2, 1):
        response = client_of.post(
            url,
            {"question_key": bank.key, "rating": rating, "better_answer": "Lead with CAC payback.", "seconds": 64},
            format="json",
        )
        assert response.status_code == 201, response.json()
    first = response.json()
    assert first["category"] == "finance"
    assert first["question_text"] == bank.text_en
    assert first["seconds"] == 64
    market = DrillQuestion.objects.filter(category="market", active=True).first()
    assert market is not None
    client_of.post(url, {"question_key": market.key, "rating": 5}, format="json")
    history = client_of.get(f"/api/pitches/{pitch.pk}/drill/history/").json()
    categories = {row["category"]: row for row in history["categories"]}
    assert categories["finance"]["answered"] == 2
    assert categories["finance"]["mean_rating"] == 1.5
    assert categories["finance"]["weak"] is True
    assert categories["market"]["weak"] is False
    assert [row["key"] for row in history["never_well"]] == [bank.key]
    assert history["never_well"][0]["last_better_answer"] == "Lead with CAC payback."
    assert history["answered_total"] == 2
    assert history["well_total"] == 1
    listed = client_of.get(url).json()
    assert len(listed) == 3
    assert client_of.delete(f"/api/drill-answers/{first['id']}/").status_code == 204
    assert DrillAnswer.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question_key": "bank:no-such-question", "rating": 3}, "question_key"),
        ({"question_key": "gen:business_missing:revenue_pricing", "rating": 0}, "rating"),
        ({"question_key": "gen:business_missing:revenue_pricing", "rating": 6}, "rating"),
        ({"rating": 3}, "question_key"),
    ],
)
def test_bad_answers_get_400_and_store_nothing(
    client_of: APIClient, pitch: Pitch, body: dict[str, Any], field: str
) -> None:
    pitch.content["business"]["revenue_pricing"] = {"status": "missing", "evidence": ""}
    pitch.save()
    response = client_of.post(f"/api/pitches/{pitch.pk}/drill/answers/", body, format="json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["extra"].get("field") == field or field in payload["extra"].get("fields", {})
    assert not DrillAnswer.objects.exists()


def test_every_drill_endpoint_is_owner_only(client_of: APIClient, stranger: APIClient, pitch: Pitch) -> None:
    bank = DrillQuestion.objects.first()
    assert bank is not None
    answer = client_of.post(
        f"/api/pitches/{pitch.pk}/drill/answers/", {"question_key": bank.key, "rating": 3}, format="json"
    ).json()
    assert stranger.get(f"/api/pitches/{pitch.pk}/drill/questions/").status_code == 404
    assert stranger.get(f"/api/pitches/{pitch.pk}/drill/answers/").status_code == 404
    assert (
        stranger.post(
            f"/api/pitches/{pitch.pk}/drill/answers/", {"question_key": bank.key, "rating": 3}, format="json"
        ).status_code
        == 404
    )
    assert stranger.get(f"/api/pitches/{pitch.pk}/drill/history/").status_code == 404
    assert stranger.delete(f"/api/drill-answers/{answer['id']}/").status_code == 404
    assert DrillAnswer.objects.count() == 1


# ---------- the phone remote ----------


def test_the_phone_s_command_reaches_a_waiting_presenter(
    client_of: APIClient, pitch: Pitch, relay: redis.Redis
) -> None:
    url = f"/api/pitches/{pitch.pk}/remote/commands/"
    first = client_of.get(url, {"wait": 0}).json()
    assert first["commands"] == []
    answers: list[dict[str, Any]] = []

    def presenter() -> None:  # the relay itself: a second thread would not see this test's uncommitted rows
        commands, last = asyncio.run(remote.acommands_wait(pitch_id=pitch.pk, after=first["last"], wait=5))
        answers.append({"commands": commands, "last": last})

    waiting = threading.Thread(target=presenter)
    waiting.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert client_of.post(url, {"action": "next"}, format="json").status_code == 202
    waiting.join(timeout=6)
    assert time.monotonic() - started < 2, "the long-poll answers as soon as the command arrives"
    assert [c["action"] for c in answers[0]["commands"]] == ["next"]
    # Nothing is lost between polls: two commands sent while nobody waits are both there on the next poll.
    client_of.post(url, {"action": "prev"}, format="json")
    client_of.post(url, {"action": "goto", "slide": 3}, format="json")
    later = client_of.get(url, {"after": answers[0]["last"], "wait": 1}).json()
    assert [(c["action"], c["slide"]) for c in later["commands"]] == [("prev", None), ("goto", 3)]


def test_the_presenter_s_state_reaches_the_phone(client_of: APIClient, pitch: Pitch, relay: redis.Redis) -> None:
    url = f"/api/pitches/{pitch.pk}/remote/state/"
    assert client_of.get(url).json() == {"version": "0-0", "state": None}
    state = {"slide": 2, "count": 4, "title": "The problem", "notes": "Pause after the 4,000 tickets."}
    assert client_of.put(url, state, format="json").status_code == 204
    seen = client_of.get(url).json()
    assert seen["state"] == state
    unchanged = client_of.get(url, {"after": seen["version"], "wait": 0.2}).json()
    assert unchanged == {"version": seen["version"], "state": None}
    client_of.put(url, {**state, "slide": 3}, format="json")
    assert client_of.get(url, {"after": seen["version"], "wait": 1}).json()["state"]["slide"] == 3


@pytest.mark.parametrize(
    ("method", "query", "body", "reason"),
    [
        ("post", {}, {"action": "explode"}, "action"),
        ("post", {}, {"action": "goto"}, "slide"),
        ("get", {"wait": 60}, None, "wait"),
        ("get", {"wait": "soon"}, None, "wait"),
        ("get", {"after": "yesterday"}, None, "after"),
    ],
)
def test_bad_remote_calls_get_400(
    client_of: APIClient, pitch: Pitch, relay: redis.Redis, method: str, query: dict[str, Any], body: Any, reason: str
) -> None:
    url = f"/api/pitches/{pitch.pk}/remote/commands/"
    response = client_of.post(url, body, format="json") if method == "post" else client_of.get(url, query)
    assert response.status_code == 400
    payload = response.json()
    assert payload["extra"].get("field") == reason or reason in payload["extra"].get("fields", {})


def test_a_state_too_big_or_not_an_object_is_refused(client_of: APIClient, pitch: Pitch, relay: redis.Redis) -> None:
    url = f"/api/pitches/{pitch.pk}/remote/state/"
    assert client_of.put(url, {"notes": "x" * 30_000}, format="json").status_code == 400
    assert client_of.put(url, [1, 2], format="json").status_code == 400
    assert client_of.get(url).json()["state"] is None


def test_the_relay_down_is_a_503_in_words(client_of: APIClient, pitch: Pitch, settings: SettingsWrapper) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    remote._client = None
    try:
        response = client_of.post(f"/api/pitches/{pitch.pk}/remote/commands/", {"action": "next"}, format="json")
    finally:
        remote._client = None
    assert response.status_code == 503
    assert "Redis" in response.json()["message"]


def test_the_remote_is_owner_only(stranger: APIClient, pitch: Pitch, relay: redis.Redis) -> None:
    assert (
        stranger.post(f"/api/pitches/{pitch.pk}/remote/commands/", {"action": "next"}, format="json").status_code == 404
    )
    assert stranger.get(f"/api/pitches/{pitch.pk}/remote/commands/").status_code == 404
    assert stranger.put(f"/api/pitches/{pitch.pk}/remote/state/", {}, format="json").status_code == 404
    assert stranger.get(f"/api/pitches/{pitch.pk}/remote/state/").status_code == 404
    assert not list(relay.scan_iter("pitchlab:remote:*"))


def test_the_bank_is_edited_in_the_admin_and_drills_ask_the_edit(
    client_of: APIClient, pitch: Pitch, make_user: Any
) -> None:
    from django.test import Client

    admin = make_user("editor")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    browser = Client()
    browser.force_login(admin)
    question = DrillQuestion.objects.filter(category="team").first()
    assert question is not None
    listing = browser.get("/admin/rehearsals/drillquestion/?category__exact=team")
    assert listing.status_code == 200
    assert question.key in listing.content.decode()
    page = browser.get(f"/admin/rehearsals/drillquestion/{question.pk}/change/")
    assert page.status_code == 200
    form = {
        "key": question.key,
        "category": "team",
        "text_en": "Who on this team has shipped a model to paying customers before?",
        "text_zh": "团队里谁曾把模型交付给付费客户？",
        "order": question.order,
        "active": "on",
    }
    assert browser.post(f"/admin/rehearsals/drillquestion/{question.pk}/change/", form).status_code == 302
    asked = {q["key"]: q for q in questions(client_of, pitch, source="bank", lang="zh")}
    assert asked[question.key]["text"] == "团队里谁曾把模型交付给付费客户？"
    DrillQuestion.objects.filter(pk=question.pk).update(active=False)
    assert question.key not in {q["key"] for q in questions(client_of, pitch, source="bank")}
