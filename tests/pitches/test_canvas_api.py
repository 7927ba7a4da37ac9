"""The canvas API: every unit reachable, the version rule (409 on stale writes), field-level errors."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch, PitchRevision

pytestmark = pytest.mark.django_db


def write(api: APIClient, pitch: Pitch, base: int, **changes: Any) -> Any:
    changes = {key.replace("__", "."): value for key, value in changes.items()}
    return api.patch(f"/api/pitches/{pitch.pk}/canvas/", {"base_version": base, "changes": changes}, format="json")


def test_a_new_pitch_has_every_section_and_the_catalogues(api: APIClient, pitch: Pitch) -> None:
    body = api.get(f"/api/pitches/{pitch.pk}/canvas/").json()
    content = body["content"]
    assert set(content) >= {"story", "data", "demo", "team", "ask", "business", "risks"}
    assert "unit_economics" in content["business"]
    assert {r["key"] for r in content["risks"]} >= {"compute_cost_supply", "runway"} or len(content["risks"]) >= 12
    assert body["completeness"]["overall"] == 0


def test_write_then_read_back_in_chinese(api: APIClient, pitch: Pitch) -> None:
    response = write(api, pitch, 1, story__conflict="客服团队每天被重复工单淹没，现有规则系统准确率只有六成。")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    pitch.refresh_from_db()
    assert pitch.content["story"]["conflict"].startswith("客服团队")
    unit = api.get(f"/api/pitches/{pitch.pk}/canvas/story.conflict/").json()
    assert unit["value"] == pitch.content["story"]["conflict"]
    assert unit["unit_version"] == 2


def test_stale_write_to_the_same_unit_gets_409_with_the_current_content(api: APIClient, pitch: Pitch) -> None:
    assert write(api, pitch, 1, story__origin="First tab's text").status_code == 200
    response = write(api, pitch, 1, story__origin="Second tab's text")
    assert response.status_code == 409
    body = response.json()
    assert body["extra"]["current_version"] == 2
    assert body["extra"]["conflicts"]["story.origin"] == {"value": "First tab's text", "version": 2}
    pitch.refresh_from_db()
    assert pitch.content["story"]["origin"] == "First tab's text"  # nothing silently overwritten
    # "Keep mine": resend on top of the version just seen.
    assert write(api, pitch, 2, story__origin="Second tab's text").status_code == 200
    pitch.refresh_from_db()
    assert pitch.content["story"]["origin"] == "Second tab's text"


def test_stale_writes_to_different_units_do_not_conflict(api: APIClient, pitch: Pitch) -> None:
    assert write(api, pitch, 1, story__origin="A").status_code == 200
    assert write(api, pitch, 1, story__vision="B").status_code == 200
    pitch.refresh_from_db()
    assert (pitch.content["story"]["origin"], pitch.content["story"]["vision"]) == ("A", "B")


@pytest.mark.parametrize(
    ("changes", "path", "needle"),
    [
        ({"story.origin": "x" * 5001}, "story.origin", "5000"),
        ({"data.traction": [{"period": "2024-01", "metric": "users", "value": "lots"}]}, "data.traction", "number"),
        (
            {
                "data.traction": [
                    {"period": "2024-01", "metric": "users", "value": 1},
                    {"period": "2024-01", "metric": "users", "value": 2},
                ]
            },
            "data.traction",
            "already on row 1",
        ),
        ({"ask.use_of_funds": [{"label": "Hiring", "percent": 60}]}, "ask.use_of_funds", "not 100"),
        ({"risks": [{"title": "GPU", "category": "technical", "likelihood": 9}]}, "risks", "from 1 to 5"),
        ({"story.nonsense": "x"}, "changes", "No such part"),
    ],
)
def test_bad_input_gets_400_with_field_errors_and_loses_nothing(
    api: APIClient, pitch: Pitch, changes: dict[str, Any], path: str, needle: str
) -> None:
    write(api, pitch, 1, story__purpose="Kept")
    response = api.patch(f"/api/pitches/{pitch.pk}/canvas/", {"base_version": 2, "changes": changes}, format="json")
    assert response.status_code == 400
    fields = response.json()["extra"]["fields"]
    assert path in fields
    assert needle in str(fields[path])
    pitch.refresh_from_db()
    assert pitch.version == 2
    assert pitch.content["story"]["purpose"] == "Kept"


def test_measured_results_cannot_be_forged_or_changed(api: APIClient, pitch: Pitch) -> None:
    row = {"model": "m", "metric": "accuracy", "value": 0.99, "measured": True}
    response = write(api, pitch, 1, data__experiments=[row])
    assert response.status_code == 400
    assert "measured" in str(response.json()["extra"]["fields"]["data.experiments"])


def test_html_is_stored_as_text(api: APIClient, pitch: Pitch, client: Any, owner: User) -> None:
    script = "<script>alert(1)</script>"
    assert write(api, pitch, 1, story__vision=script).status_code == 200
    client.force_login(owner)
    page = client.get(f"/pitches/{pitch.pk}/").content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_completeness_and_growth_endpoints(api: APIClient, pitch: Pitch) -> None:
    rows = [{"period": f"2024-0{m}", "metric": "users", "value": 100 * m, "unit": ""} for m in range(1, 6)]
    assert write(api, pitch, 1, story__purpose="We route tickets.", data__traction=rows).status_code == 200
    score = api.get(f"/api/pitches/{pitch.pk}/completeness/").json()
    assert score["sections"]["story"]["done"] == 1
    assert score["sections"]["data"]["missing"] == ["data.market", "data.competitors", "data.experiments"]
    growth = api.get(f"/api/pitches/{pitch.pk}/growth/?periods_ahead=2").json()["metrics"]["users"]
    assert growth["chosen_fit"] == "linear"
    assert len(growth["projections"]) == 2
    assert api.get(f"/api/pitches/{pitch.pk}/growth/?periods_ahead=0").status_code == 400


def test_revisions_list_diff_and_restore(api: APIClient, pitch: Pitch) -> None:
    write(api, pitch, 1, story__vision="Old vision")
    first = api.post(f"/api/pitches/{pitch.pk}/revisions/", {"note": "before the rewrite"}, format="json")
    assert first.status_code == 201
    write(api, pitch, 2, story__vision="New vision")
    detail = api.get(f"/api/pitches/{pitch.pk}/revisions/{first.json()['id']}/").json()
    assert detail["changes_since"] == [{"path": "story.vision", "before": "Old vision", "after": "New vision"}]
    restored = api.post(f"/api/pitches/{pitch.pk}/revisions/{first.json()['id']}/restore/")
    assert restored.status_code == 200
    pitch.refresh_from_db()
    assert pitch.content["story"]["vision"] == "Old vision"
    assert pitch.revisions.filter(reason=PitchRevision.Reason.RESTORE).count() == 1
    # An editor still holding the pre-restore version is told, not overwritten.
    assert write(api, pitch, 3, story__vision="Stale tab").status_code == 409


def test_autosave_revisions_are_at_most_one_per_minute(api: APIClient, pitch: Pitch) -> None:
    for version in range(1, 6):
        write(api, pitch, version, story__origin=f"draft {version}")
    assert pitch.revisions.filter(reason=PitchRevision.Reason.AUTOSAVE).count() == 1


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", "canvas/"),
        ("patch", "canvas/"),
        ("get", "canvas/story.origin/"),
        ("put", "canvas/story.origin/"),
        ("get", "completeness/"),
        ("get", "growth/"),
        ("get", "revisions/"),
        ("post", "revisions/"),
    ],
)
def test_every_canvas_endpoint_is_owner_only(
    api_client: APIClient, pitch: Pitch, make_user: Callable[..., User], method: str, suffix: str
) -> None:
    api_client.force_authenticate(make_user("intruder"))
    payload = {"base_version": 1, "changes": {"story.origin": "mine"}, "value": "mine"}
    response = getattr(api_client, method)(f"/api/pitches/{pitch.pk}/{suffix}", payload, format="json")
    assert response.status_code == 404
    pitch.refresh_from_db()
    assert pitch.version == 1
    assert not pitch.revisions.exists()


def test_a_pitch_written_before_deck_settings_existed_still_opens_and_saves(
    api: APIClient, pitch: Pitch, client: Any, owner: User
) -> None:
    content = dict(pitch.content)
    del content["deck"]
    Pitch.objects.filter(pk=pitch.pk).update(content=content)
    client.force_login(owner)
    assert client.get(f"/pitches/{pitch.pk}/").status_code == 200
    assert api.get(f"/api/pitches/{pitch.pk}/canvas/deck.theme/").json()["value"] == "light"
    assert write(api, pitch, 1, deck__theme="dark").status_code == 200
    pitch.refresh_from_db()
    assert pitch.content["deck"]["theme"] == "dark"
