"""The rehearsal API: recording progressively, finishing, reports and trends; bad timings refused with the reason."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch
from pitchlab.rehearsals.models import Rehearsal
from tests.rehearsals.conftest import KEYS, PLANNED

pytestmark = pytest.mark.django_db


def seg(slide: str, start: float, end: float) -> dict[str, Any]:
    return {"slide": slide, "start_ms": int(start * 1000), "end_ms": int(end * 1000)}


# title 8 s, problem 25 s, back to title 4 s, problem again 10 s, story 50 s (paused 30 s in the middle), solution 1 s
RUN = [
    seg("title", 0, 8),
    seg("problem", 8, 33),
    seg("title", 33, 37),
    seg("problem", 37, 47),
    seg("story", 47, 72),
    seg("story", 102, 127),
    seg("solution", 127, 128),
]


def start(client: APIClient, pitch: Pitch, **body: Any) -> dict[str, Any]:
    response = client.post(f"/api/pitches/{pitch.pk}/rehearsals/", body, format="json")
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_start_snapshots_the_deck_and_records_progressively(client_of: APIClient, pitch: Pitch) -> None:
    rehearsal = start(client_of, pitch)
    assert rehearsal["status"] == "recording"
    assert [s["key"] for s in rehearsal["slides"]] == list(KEYS)
    assert [s["planned"] for s in rehearsal["slides"]] == list(PLANNED.values())
    assert rehearsal["target_seconds"] == 180
    url = rehearsal["urls"]["self"]

    saved = client_of.patch(url, {"segments": RUN[:3]}, format="json")
    assert saved.status_code == 200
    assert saved.json()["total_seconds"] == 37.0
    # A later edit of the deck does not change the rehearsal's slides.
    pitch.content["story"]["origin"] = ""
    pitch.save()
    done = client_of.patch(url, {"segments": RUN, "status": "complete"}, format="json")
    assert done.status_code == 200
    row = Rehearsal.objects.get(pk=rehearsal["id"])
    assert row.status == "complete"
    assert row.finished_at is not None
    assert row.total_seconds == 98.0  # 128 s from first to last, 30 s of them paused
    assert [s["key"] for s in row.slides] == list(KEYS)


def test_report_sums_back_navigation_and_leaves_pauses_out(client_of: APIClient, pitch: Pitch) -> None:
    rehearsal = start(client_of, pitch, segments=RUN, status="complete")
    report = client_of.get(rehearsal["urls"]["report"]).json()
    timing = report["timing"]
    by_key = {row["key"]: row for row in timing["slides"]}
    assert by_key["title"]["actual"] == 12.0
    assert by_key["title"]["visits"] == 2
    assert by_key["problem"]["actual"] == 35.0
    assert by_key["problem"]["status"] == "over"
    assert by_key["story"]["actual"] == 50.0
    assert by_key["story"]["visits"] == 1
    assert by_key["solution"]["status"] == "skipped"
    assert timing["skipped"] == ["solution"]
    assert timing["total"] == 98.0
    assert timing["paused"] == 30.0
    assert timing["target"] == 180
    assert timing["complete"] is True
    assert report["pace_ranges"] == {"en": [120, 160], "zh": [180, 240]}
    assert report["transcript"] is None


def test_a_transcript_gets_fillers_per_minute(client_of: APIClient, pitch: Pitch) -> None:
    rehearsal = start(client_of, pitch, segments=[seg("title", 0, 60)], status="complete")
    said = "Um, so we, um, basically route tickets. You know, basically it works. 嗯，然后我们就是这样。"
    assert client_of.patch(rehearsal["urls"]["self"], {"transcript": said}, format="json").status_code == 200
    analysis = client_of.get(rehearsal["urls"]["report"]).json()["transcript"]
    counts = {row["phrase"]: row["count"] for row in analysis["fillers"]}
    assert counts["um"] == 2
    assert counts["basically"] == 2
    assert counts["you know"] == 1
    assert counts["嗯"] == 1
    assert counts["然后"] == 1
    assert counts["就是"] == 1
    assert analysis["filler_total"] == 8
    assert analysis["fillers_per_minute"] == 8.0


@pytest.mark.parametrize(
    ("segments", "reason"),
    [
        ([seg("title", 5, 3)], "ends before it starts"),
        ([seg("title", 0, 10), seg("problem", 8, 20)], "before segment 1 ends"),
        ([seg("title", 0, 10), seg("problem", 4 * 3600, 4 * 3600 + 5)], "the limit is 4 hours"),
        ([seg("pricing", 0, 10)], "'pricing', which is not in this deck"),
        ([{"slide": "title", "start_ms": "0", "end_ms": 10}], "whole number"),
        ({"slide": "title"}, "list"),
    ],
)
def test_impossible_timings_get_400_with_the_reason(
    client_of: APIClient, pitch: Pitch, segments: Any, reason: str
) -> None:
    response = client_of.post(
        f"/api/pitches/{pitch.pk}/rehearsals/", {"segments": segments, "status": "complete"}, format="json"
    )
    assert response.status_code == 400
    assert reason in response.json()["message"]
    assert response.json()["extra"]["field"] == "segments"
    assert not Rehearsal.objects.exists()
    # The same timings saved as progress are refused too, and the progress before them is kept.
    rehearsal = start(client_of, pitch, segments=[seg("title", 0, 2)])
    assert client_of.patch(rehearsal["urls"]["self"], {"segments": segments}, format="json").status_code == 400
    assert Rehearsal.objects.get(pk=rehearsal["id"]).segments == [seg("title", 0, 2)]


def test_a_finished_rehearsal_keeps_its_timings(client_of: APIClient, pitch: Pitch) -> None:
    rehearsal = start(client_of, pitch, segments=RUN, status="complete")
    url = rehearsal["urls"]["self"]
    again = client_of.patch(url, {"segments": RUN[:2]}, format="json")
    assert again.status_code == 400
    assert "can no longer change" in again.json()["message"]
    cut = client_of.patch(url, {"status": "incomplete"}, format="json")
    assert cut.status_code == 400
    assert Rehearsal.objects.get(pk=rehearsal["id"]).status == "complete"


def test_finishing_with_nothing_recorded_is_refused(client_of: APIClient, pitch: Pitch) -> None:
    rehearsal = start(client_of, pitch)
    response = client_of.patch(rehearsal["urls"]["self"], {"status": "complete"}, format="json")
    assert response.status_code == 400
    assert "at least one slide" in response.json()["message"]
    assert Rehearsal.objects.get(pk=rehearsal["id"]).status == "recording"


def test_a_late_older_save_never_winds_the_timings_back(client_of: APIClient, pitch: Pitch) -> None:
    rehearsal = start(client_of, pitch)
    url = rehearsal["urls"]["self"]
    client_of.patch(url, {"segments": RUN[:4]}, format="json")
    late = client_of.patch(url, {"segments": RUN[:2]}, format="json")
    assert late.status_code == 200
    assert len(late.json()["segments"]) == 4


def test_a_cut_off_rehearsal_is_kept_as_incomplete(client_of: APIClient, pitch: Pitch) -> None:
    # The tab's last word (a keepalive PATCH on pagehide) ...
    closed = start(client_of, pitch, segments=RUN[:2])
    cut = client_of.patch(closed["urls"]["self"], {"segments": RUN[:3], "status": "incomplete"}, format="json")
    assert cut.json()["status"] == "incomplete"
    assert cut.json()["total_seconds"] == 37.0
    # ... or silence: no save for longer than REHEARSAL_STALE_SECONDS.
    silent = start(client_of, pitch, segments=RUN[:1])
    Rehearsal.objects.filter(pk=silent["id"]).update(updated_at=timezone.now() - timedelta(minutes=10))
    listed = {row["id"]: row for row in client_of.get(f"/api/pitches/{pitch.pk}/rehearsals/").json()}
    assert listed[silent["id"]]["status"] == "incomplete"
    assert "segments" not in listed[silent["id"]]  # a list carries figures and links, not the timings
    assert listed[silent["id"]]["report"] == {"status": None, "total": 8.0, "delta": -172.0}  # cut off: not judged
    assert client_of.get(silent["urls"]["self"]).json()["segments"] == RUN[:1]
    report = client_of.get(silent["urls"]["report"]).json()["timing"]
    assert report["complete"] is False


def test_trend_counts_complete_rehearsals_only(client_of: APIClient, pitch: Pitch) -> None:
    long_problem = [seg("title", 0, 10), seg("problem", 10, 70), seg("story", 70, 110), seg("solution", 110, 130)]
    for _ in range(2):
        start(client_of, pitch, segments=long_problem, status="complete")
    start(client_of, pitch, segments=[seg("title", 0, 500)], status="incomplete")
    listed = client_of.get(f"/api/pitches/{pitch.pk}/rehearsals/").json()
    assert [row["report"]["status"] for row in listed] == [None, "under", "under"]  # 130 s of a 180 s target
    trend = client_of.get(f"/api/pitches/{pitch.pk}/rehearsals/trend/").json()
    assert [p["complete"] for p in trend["points"]] == [True, True, False]
    assert [p["total"] for p in trend["points"]] == [130.0, 130.0, 500.0]
    runners = trend["long_runners"]
    assert [r["key"] for r in runners] == ["problem"]
    assert runners[0]["times_over"] == 2
    assert runners[0]["mean_over"] == 30.0


def test_discard_deletes_the_rehearsal(client_of: APIClient, pitch: Pitch) -> None:
    rehearsal = start(client_of, pitch, segments=RUN, status="complete")
    assert client_of.delete(rehearsal["urls"]["self"]).status_code == 204
    assert not Rehearsal.objects.filter(pk=rehearsal["id"]).exists()
    assert client_of.get(rehearsal["urls"]["self"]).status_code == 404


def test_a_body_that_is_not_an_object_is_a_400(client_of: APIClient, pitch: Pitch) -> None:
    response = client_of.post(f"/api/pitches/{pitch.pk}/rehearsals/", [1, 2], format="json")
    assert response.status_code == 400
    assert not Rehearsal.objects.exists()


def test_a_pitch_with_no_slides_cannot_be_rehearsed(client_of: APIClient, pitch: Pitch) -> None:
    pitch.content["deck"]["slides"] = [{"kind": kind, "hidden": True} for kind in KEYS]
    pitch.save()
    response = client_of.post(f"/api/pitches/{pitch.pk}/rehearsals/", {}, format="json")
    assert response.status_code == 400
    assert "no slides" in response.json()["message"]


def test_every_rehearsal_endpoint_is_owner_only(client_of: APIClient, stranger: APIClient, pitch: Pitch) -> None:
    rehearsal = start(client_of, pitch, segments=RUN, status="complete")
    rid = rehearsal["id"]
    assert stranger.get(f"/api/pitches/{pitch.pk}/rehearsals/").status_code == 404
    assert stranger.post(f"/api/pitches/{pitch.pk}/rehearsals/", {}, format="json").status_code == 404
    assert stranger.get(f"/api/pitches/{pitch.pk}/rehearsals/trend/").status_code == 404
    assert stranger.get(f"/api/rehearsals/{rid}/").status_code == 404
    assert stranger.patch(f"/api/rehearsals/{rid}/", {"transcript": "x"}, format="json").status_code == 404
    assert stranger.get(f"/api/rehearsals/{rid}/report/").status_code == 404
    assert stranger.delete(f"/api/rehearsals/{rid}/").status_code == 404
    assert APIClient().get(f"/api/rehearsals/{rid}/").status_code in (401, 403)
    assert Rehearsal.objects.get(pk=rid).transcript == ""


def test_the_schema_lists_every_rehearsal_path(client_of: APIClient) -> None:
    schema = client_of.get("/api/schema/?format=json").json()
    for path in (
        "/api/pitches/{pitch_id}/rehearsals/",
        "/api/pitches/{pitch_id}/rehearsals/trend/",
        "/api/rehearsals/{rehearsal_id}/",
        "/api/rehearsals/{rehearsal_id}/report/",
        "/api/pitches/{pitch_id}/drill/questions/",
        "/api/pitches/{pitch_id}/drill/answers/",
        "/api/drill-answers/{answer_id}/",
        "/api/pitches/{pitch_id}/drill/history/",
        "/api/pitches/{pitch_id}/remote/commands/",
        "/api/pitches/{pitch_id}/remote/state/",
    ):
        assert path in schema["paths"], path
    assert set(schema["paths"]["/api/rehearsals/{rehearsal_id}/"]) >= {"get", "patch", "delete"}
