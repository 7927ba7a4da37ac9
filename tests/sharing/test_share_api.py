"""The owner's share-link API: only the owner shares; bad input gets 400 with the reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch
from pitchlab.sharing import services
from pitchlab.sharing.models import ShareLink

pytestmark = pytest.mark.django_db


def test_the_owner_creates_lists_reads_changes_and_deletes_a_link(owner_api: APIClient, pitch: Pitch) -> None:
    response = owner_api.post(
        f"/api/pitches/{pitch.pk}/share-links/",
        {"label": "Acme Ventures", "include_pdf": True, "expires_in_days": 7, "password": "open sesame"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    link = ShareLink.objects.get(pk=body["id"])
    assert body["label"] == "Acme Ventures"
    assert body["include_pdf"]
    assert body["has_password"]
    assert body["state"] == "active"
    assert body["views"] == 0
    assert body["unique_viewers"] == 0
    assert body["url"].endswith(f"/s/{link.token}/")
    assert body["url"].startswith("http")
    assert "password" not in body
    assert timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= timedelta(days=7)  # type: ignore[operator]

    listed = owner_api.get(f"/api/pitches/{pitch.pk}/share-links/").json()
    assert [row["id"] for row in listed] == [link.pk]

    assert owner_api.get(f"/api/share-links/{link.pk}/").json()["label"] == "Acme Ventures"

    changed = owner_api.patch(
        f"/api/share-links/{link.pk}/", {"label": "Beta Capital", "password": "", "expires_at": None}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["has_password"] is False
    assert changed.json()["expires_at"] is None
    link.refresh_from_db()
    assert (link.label, link.password, link.expires_at) == ("Beta Capital", "", None)

    revoked = owner_api.patch(f"/api/share-links/{link.pk}/", {"revoked": True}, format="json")
    assert revoked.json()["state"] == "revoked"
    again = owner_api.patch(f"/api/share-links/{link.pk}/", {"label": "x"}, format="json")
    assert again.status_code == 400
    assert "revoked" in again.json()["message"]

    assert owner_api.delete(f"/api/share-links/{link.pk}/").status_code == 204
    assert not ShareLink.objects.filter(pk=link.pk).exists()


def test_analytics_report_views_viewers_and_time_per_slide(owner_api: APIClient, link: ShareLink) -> None:
    services.share_visit_start(link=link, viewer_id="a" * 24)
    services.share_dwell_record(link=link, viewer_id="a" * 24, report={"title": 1500, "problem": 2500})
    services.share_visit_start(link=link, viewer_id="b" * 24)
    services.share_dwell_record(link=link, viewer_id="b" * 24, report={"problem": 500})
    body = owner_api.get(f"/api/share-links/{link.pk}/analytics/").json()
    assert (body["views"], body["unique_viewers"]) == (2, 2)
    assert body["last_viewed_at"] is not None
    slides = {row["key"]: row for row in body["slides"]}
    assert slides["title"]["title"] == "Lumen Support AI"
    assert (slides["problem"]["total_seconds"], slides["problem"]["average_seconds"]) == (3.0, 1.5)
    assert slides["problem"]["visits"] == 2
    assert slides["ask"]["visits"] == 0
    assert body["total_seconds"] == 4.5
    assert [row["key"] for row in body["slides"]][:2] == ["title", "problem"]
    zh = owner_api.get(f"/api/share-links/{link.pk}/analytics/?lang=zh").json()
    assert {row["key"]: row["title"] for row in zh["slides"]}["problem"] == "问题"
    listed = owner_api.get(f"/api/share-links/{link.pk}/").json()
    assert (listed["views"], listed["unique_viewers"]) == (2, 2)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 400}, "expires_in_days"),
        ({"expires_in_days": 3, "expires_at": "2099-01-01T00:00:00Z"}, "expires_in_days"),
        ({"password": "abc"}, "password"),
        ({"label": "x" * 101}, "label"),
        ({"include_pdf": "perhaps"}, "include_pdf"),
    ],
)
def test_bad_input_gets_400_with_the_reason_and_creates_nothing(
    owner_api: APIClient, pitch: Pitch, payload: dict[str, object], field: str
) -> None:
    response = owner_api.post(f"/api/pitches/{pitch.pk}/share-links/", payload, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["message"]
    assert field in str(body["extra"])
    assert not ShareLink.objects.exists()


def test_a_patch_with_a_past_expiry_or_short_password_is_refused(owner_api: APIClient, link: ShareLink) -> None:
    past = owner_api.patch(f"/api/share-links/{link.pk}/", {"expires_at": "2001-01-01T00:00:00Z"}, format="json")
    short = owner_api.patch(f"/api/share-links/{link.pk}/", {"password": "12"}, format="json")
    assert past.status_code == short.status_code == 400
    link.refresh_from_db()
    assert link.expires_at is None
    assert link.password == ""


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_members_may_not_share(
    member_api: Callable[[str], APIClient], pitch: Pitch, link: ShareLink, role: str
) -> None:
    client = member_api(role)
    calls = [
        client.get(f"/api/pitches/{pitch.pk}/share-links/"),
        client.post(f"/api/pitches/{pitch.pk}/share-links/", {"label": "mine"}, format="json"),
        client.get(f"/api/share-links/{link.pk}/"),
        client.patch(f"/api/share-links/{link.pk}/", {"revoked": True}, format="json"),
        client.delete(f"/api/share-links/{link.pk}/"),
        client.get(f"/api/share-links/{link.pk}/analytics/"),
    ]
    assert [c.status_code for c in calls] == [403] * 6
    assert all(c.json()["message"] for c in calls)
    link.refresh_from_db()
    assert link.revoked_at is None
    assert ShareLink.objects.count() == 1


def test_strangers_get_404_and_anonymous_401(
    member_api: Callable[[str], APIClient], pitch: Pitch, link: ShareLink
) -> None:
    for client, expected in ((member_api("stranger"), 404), (APIClient(), 401)):
        calls = [
            client.get(f"/api/pitches/{pitch.pk}/share-links/"),
            client.post(f"/api/pitches/{pitch.pk}/share-links/", {"label": "mine"}, format="json"),
            client.get(f"/api/share-links/{link.pk}/"),
            client.patch(f"/api/share-links/{link.pk}/", {"revoked": True}, format="json"),
            client.delete(f"/api/share-links/{link.pk}/"),
            client.get(f"/api/share-links/{link.pk}/analytics/"),
        ]
        assert [c.status_code for c in calls] == [expected] * 6
    assert ShareLink.objects.count() == 1


def test_a_missing_link_is_404(owner_api: APIClient) -> None:
    assert owner_api.get("/api/share-links/999999/").status_code == 404
    assert owner_api.get("/api/share-links/999999/analytics/").status_code == 404


def test_every_share_endpoint_is_in_the_openapi_schema(owner_api: APIClient) -> None:
    schema = owner_api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert set(paths["/api/pitches/{pitch_id}/share-links/"]) >= {"get", "post"}
    assert set(paths["/api/share-links/{link_id}/"]) >= {"get", "patch", "delete"}
    assert "get" in paths["/api/share-links/{link_id}/analytics/"]
    assert "ShareLinkStateEnum" in schema["components"]["schemas"]
