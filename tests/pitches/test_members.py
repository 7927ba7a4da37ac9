"""The team: invite by username or e-mail, change roles, remove, leave; every refusal says why and stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_create


@pytest.fixture
def team(make_user: Any) -> dict[str, Any]:
    owner = make_user("olga")
    pitch = pitch_create(owner=owner, name="Acme AI")
    api = APIClient()
    api.force_authenticate(owner)
    return {"owner": owner, "pitch": pitch, "api": api, "bob": make_user("bob"), "cleo": make_user("cleo")}


def test_owner_adds_by_username_in_any_case_and_an_email_becomes_an_invitation(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    api, pitch = team["api"], team["pitch"]
    with django_capture_on_commit_callbacks(execute=True):
        by_name = api.post(f"/api/pitches/{pitch.pk}/members/", {"who": "BOB", "role": "editor"}, format="json")
        by_mail = api.post(
            f"/api/pitches/{pitch.pk}/members/", {"who": " Cleo@Example.com ", "role": "viewer"}, format="json"
        )
    assert by_name.status_code == 201, by_name.content
    assert by_name.json()["username"] == "bob"
    assert by_name.json()["role"] == "editor"
    # cleo has an account with that address, but an address is never matched: a link goes to the mailbox
    assert by_mail.status_code == 202
    assert by_mail.json()["invitation"]["email"] == "cleo@example.com"
    assert dict(PitchMember.objects.filter(pitch=pitch).values_list("user__username", "role")) == {"bob": "editor"}
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.com", "cleo@example.com"]
    assert all("Acme AI" in m.subject for m in mail.outbox)


@pytest.mark.parametrize(
    ("who", "role", "words"),
    [
        ("nobody-here", "editor", "No PitchLab account"),
        ("", "editor", "This field may not be blank"),
        ("olga", "editor", "owner"),
        ("bob", "admin", "valid choice"),
    ],
)
def test_bad_invitations_are_refused_with_the_reason(team: dict[str, Any], who: str, role: str, words: str) -> None:
    response = team["api"].post(f"/api/pitches/{team['pitch'].pk}/members/", {"who": who, "role": role}, format="json")
    assert response.status_code == 400
    assert words in str(response.json())
    assert not PitchMember.objects.exists()


def test_inviting_twice_says_change_the_role_instead(team: dict[str, Any]) -> None:
    url = f"/api/pitches/{team['pitch'].pk}/members/"
    assert team["api"].post(url, {"who": "bob", "role": "viewer"}, format="json").status_code == 201
    again = team["api"].post(url, {"who": "bob", "role": "editor"}, format="json")
    assert again.status_code == 400
    assert "already on the team" in again.json()["message"]
    assert PitchMember.objects.get().role == "viewer"


def test_owner_changes_a_role_and_the_member_may_then_edit(team: dict[str, Any]) -> None:
    pitch: Pitch = team["pitch"]
    member = PitchMember.objects.create(pitch=pitch, user=team["bob"], role="viewer")
    bob = APIClient()
    bob.force_authenticate(team["bob"])
    write = {"base_version": pitch.version, "changes": {"story.purpose": "Bob's words."}}
    assert bob.patch(f"/api/pitches/{pitch.pk}/canvas/", write, format="json").status_code == 403
    changed = team["api"].patch(f"/api/pitches/{pitch.pk}/members/{member.pk}/", {"role": "editor"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["role"] == "editor"
    assert bob.patch(f"/api/pitches/{pitch.pk}/canvas/", write, format="json").status_code == 200


def test_a_member_may_leave_but_not_remove_others(team: dict[str, Any]) -> None:
    pitch: Pitch = team["pitch"]
    bob_member = PitchMember.objects.create(pitch=pitch, user=team["bob"], role="editor")
    cleo_member = PitchMember.objects.create(pitch=pitch, user=team["cleo"], role="viewer")
    bob = APIClient()
    bob.force_authenticate(team["bob"])
    assert bob.delete(f"/api/pitches/{pitch.pk}/members/{cleo_member.pk}/").status_code == 403
    assert bob.delete(f"/api/pitches/{pitch.pk}/members/{bob_member.pk}/").status_code == 204
    assert list(PitchMember.objects.values_list("user__username", flat=True)) == ["cleo"]
    assert bob.get(f"/api/pitches/{pitch.pk}/").status_code == 404  # gone for bob


def test_team_page_invites_and_shows_errors_at_the_field(team: dict[str, Any]) -> None:
    page = Client()
    page.force_login(team["owner"])
    url = f"/pitches/{team['pitch'].pk}/team/"
    bad = page.post(url, {"action": "invite", "who": "ghost", "role": "editor"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="id_who-errors"' in html
    assert "No PitchLab account" in html
    assert 'value="ghost"' in html  # what was typed is kept
    good = page.post(url, {"action": "invite", "who": "bob", "role": "viewer"}, follow=True)
    assert good.status_code == 200
    assert 'data-member="bob" data-member-role="viewer"' in good.content.decode()


def test_team_page_of_a_viewer_offers_leaving_only(team: dict[str, Any]) -> None:
    PitchMember.objects.create(pitch=team["pitch"], user=team["bob"], role="viewer")
    page = Client()
    page.force_login(team["bob"])
    url = f"/pitches/{team['pitch'].pk}/team/"
    html = page.get(url).content.decode()
    assert "data-leave" in html
    assert "data-invite" not in html
    assert "data-remove-member" not in html
    refused = page.post(url, {"action": "invite", "who": "cleo", "role": "editor"})
    assert refused.status_code == 403
    assert not PitchMember.objects.filter(user=team["cleo"]).exists()


def test_deleting_an_account_removes_its_memberships(team: dict[str, Any]) -> None:
    PitchMember.objects.create(pitch=team["pitch"], user=team["bob"], role="editor")
    User.objects.filter(username="bob").delete()
    assert not PitchMember.objects.exists()
    assert Pitch.objects.filter(pk=team["pitch"].pk).exists()
