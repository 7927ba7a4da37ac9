"""Invitations by e-mail cannot be turned against a founder (issue 15 §5).

The attack: someone signs up as ``jane@fund.example`` (or with Jane's address in the e-mail field) and waits
for the owner to invite Jane by e-mail. Neither account gets the seat: the link goes to Jane's mailbox only,
and the owner's answer is the same whether or not any account has the address.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch, PitchInvitation, PitchMember
from pitchlab.pitches.services import pitch_create

PASSWORD = "a-long enough passphrase"
LINK = re.compile(r"http://testserver(/invitations/([A-Za-z0-9_-]+)/)")


@pytest.fixture
def team(make_user: Callable[..., User]) -> dict[str, Any]:
    owner = make_user("olga")
    pitch = pitch_create(owner=owner, name="Acme AI")
    api = APIClient()
    api.force_authenticate(owner)
    return {"owner": owner, "pitch": pitch, "api": api}


def _invite(team: dict[str, Any], who: str, role: str = "editor", capture: Any = None) -> Any:
    url = f"/api/pitches/{team['pitch'].pk}/members/"
    if capture is None:
        return team["api"].post(url, {"who": who, "role": role}, format="json")
    with capture(execute=True):
        return team["api"].post(url, {"who": who, "role": role}, format="json")


def _link(message: Any) -> tuple[str, str]:
    found = LINK.search(str(message.body))
    assert found is not None, message.body
    return found.group(1), found.group(2)


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_attack_from_the_issue_fails(
    team: dict[str, Any], client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    # 1. The attacker cannot take Jane's address as a username.
    refused = client.post(
        "/accounts/signup/",
        {
            "username": "jane@fund.example",
            "email": "mallory@evil.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert refused.status_code == 400
    assert not User.objects.filter(username__iexact="jane@fund.example").exists()
    # 2. The attacker signs up with Jane's address in the e-mail field (PitchLab does not verify addresses).
    mallory = User.objects.create_user("mallory", "jane@fund.example", PASSWORD)
    # 3. The owner invites Jane by e-mail: the answer says "sent", nobody joins, the mail goes to Jane only.
    answer = _invite(team, "jane@fund.example", capture=django_capture_on_commit_callbacks)
    assert answer.status_code == 202, answer.content
    assert answer.json()["message"]
    assert not PitchMember.objects.exists()
    assert [m.to for m in mail.outbox] == [["jane@fund.example"]]
    # 4. Mallory's account, signed in, has no way in: the pitch is not hers, and guessing links fails.
    mallory_client = _signed_in(mallory)
    assert mallory_client.get(f"/pitches/{team['pitch'].pk}/").status_code == 404
    assert mallory_client.post("/invitations/not-the-token/").status_code == 404
    assert not PitchMember.objects.filter(user=mallory).exists()
    # 5. Jane, reading her own mailbox, follows the link and signs up: she joins with the role.
    path, _token = _link(mail.outbox[0])
    jane = Client()
    page = jane.get(path)
    assert page.status_code == 200
    assert "Acme AI" in page.content.decode()
    signup = jane.post(
        f"/accounts/signup/?next={path}",
        {"username": "jane", "email": "jane@fund.example", "password1": PASSWORD, "password2": PASSWORD, "next": path},
    )
    assert signup.status_code == 302
    assert signup["Location"] == path
    accepted = jane.post(path)
    assert accepted.status_code == 302
    member = PitchMember.objects.get(pitch=team["pitch"])
    assert member.user.username == "jane"
    assert member.role == "editor"
    assert not PitchMember.objects.filter(user=mallory).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "accounts",
    [
        [],  # nobody has the address
        [("jane", "jane@fund.example")],  # one account has it
        [("jane", "JANE@fund.example"), ("jane2", "jane@fund.example")],  # two accounts claim it
        [("olga2", "jane@fund.example")],
    ],
)
def test_the_answer_is_the_same_whether_or_not_an_account_has_the_address(
    team: dict[str, Any], accounts: list[tuple[str, str]], django_capture_on_commit_callbacks: Any
) -> None:
    for username, email in accounts:
        User.objects.create(username=username, email=email)
    answer = _invite(team, "Jane@Fund.example", role="viewer", capture=django_capture_on_commit_callbacks)
    assert answer.status_code == 202
    body = answer.json()
    assert body["message"] == "Invitation sent to jane@fund.example."
    assert {k: v for k, v in body["invitation"].items() if k not in ("id", "created_at", "expires_at")} == {
        "email": "jane@fund.example",
        "role": "viewer",
        "state": "pending",
        "invited_by": "olga",
        "sent_count": 1,
    }
    assert not PitchMember.objects.exists()
    assert [m.to for m in mail.outbox] == [["jane@fund.example"]]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_accepting_while_signed_in_adds_the_member_with_the_role_once(
    team: dict[str, Any], make_user: Callable[..., User], role: str, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(team, "dan@example.org", role=role, capture=django_capture_on_commit_callbacks)
    path, token = _link(mail.outbox[0])
    dan = make_user("dan")
    client = _signed_in(dan)
    page = client.get(path).content.decode()
    assert "data-accept" in page
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == f"/pitches/{team['pitch'].pk}/"
    member = PitchMember.objects.get(pitch=team["pitch"], user=dan)
    assert member.role == role
    invitation = PitchInvitation.objects.get()
    assert invitation.accepted_by == dan
    assert invitation.accepted_at is not None
    assert client.get(f"/pitches/{team['pitch'].pk}/").status_code == 200
    # The link is used up: a second use, by anyone, is refused, and nobody else joins.
    eve = make_user("eve")
    assert _signed_in(eve).post(path).status_code == 404
    assert _signed_in(eve).get(path).status_code == 404
    assert not PitchMember.objects.filter(user=eve).exists()
    api = APIClient()
    api.force_authenticate(eve)
    assert api.post(f"/api/invitations/{token}/accept/").status_code == 404


@pytest.mark.django_db
def test_accepting_through_the_api(
    team: dict[str, Any], make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    _invite(team, "dan@example.org", role="viewer", capture=django_capture_on_commit_callbacks)
    _path, token = _link(mail.outbox[0])
    assert APIClient().post(f"/api/invitations/{token}/accept/").status_code == 401
    assert not PitchMember.objects.exists()
    api = APIClient()
    api.force_authenticate(make_user("dan"))
    accepted = api.post(f"/api/invitations/{token}/accept/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["username"] == "dan"
    assert accepted.json()["role"] == "viewer"


@pytest.mark.django_db
def test_an_anonymous_visitor_is_asked_to_log_in_and_nothing_happens(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    _invite(team, "dan@example.org", capture=django_capture_on_commit_callbacks)
    path, _token = _link(mail.outbox[0])
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert "data-login" in page.content.decode()
    posted = visitor.post(path)
    assert posted.status_code == 302
    assert "/accounts/login/" in posted["Location"]
    assert not PitchMember.objects.exists()
    assert PitchInvitation.objects.get().accepted_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["expired", "revoked", "renewed", "resent", "garbage", "pitch deleted"])
def test_dead_links_all_get_the_same_404(
    team: dict[str, Any], make_user: Callable[..., User], how: str, django_capture_on_commit_callbacks: Any
) -> None:
    _invite(team, "dan@example.org", capture=django_capture_on_commit_callbacks)
    path, token = _link(mail.outbox[0])
    invitation = PitchInvitation.objects.get()
    pitch: Pitch = team["pitch"]
    if how == "expired":
        PitchInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif how == "revoked":
        deleted = team["api"].delete(f"/api/pitches/{pitch.pk}/invitations/{invitation.pk}/")
        assert deleted.status_code == 204
    elif how == "renewed":
        _invite(team, "DAN@example.org", capture=django_capture_on_commit_callbacks)
        assert PitchInvitation.objects.count() == 1  # one open invitation per address, with a new link
    elif how == "resent":
        with django_capture_on_commit_callbacks(execute=True):
            resent = team["api"].post(f"/api/pitches/{pitch.pk}/invitations/{invitation.pk}/resend/")
        assert resent.status_code == 202
        assert resent.json()["invitation"]["sent_count"] == 2
        assert _link(mail.outbox[-1])[1] != token
    elif how == "garbage":
        path = path[:-5] + "xxxx/"
    elif how == "pitch deleted":
        assert team["api"].delete(f"/api/pitches/{pitch.pk}/").status_code == 204
        assert not PitchInvitation.objects.exists()
    dan = _signed_in(make_user("dan"))
    gone = dan.get(path)
    assert gone.status_code == 404
    assert "not valid any more" in gone.content.decode()
    assert dan.post(path).status_code == 404
    assert not PitchMember.objects.exists()
    if how in ("renewed", "resent"):  # the new link still works
        assert dan.post(_link(mail.outbox[-1])[0]).status_code == 302
        assert PitchMember.objects.filter(user__username="dan").exists()


@pytest.mark.django_db
def test_owner_lists_resends_and_revokes_and_others_may_not(
    team: dict[str, Any], make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    pitch: Pitch = team["pitch"]
    for email in ("b@example.org", "a@example.org"):
        _invite(team, email, role="viewer", capture=django_capture_on_commit_callbacks)
    listed = team["api"].get(f"/api/pitches/{pitch.pk}/invitations/").json()
    assert [row["email"] for row in listed] == ["b@example.org", "a@example.org"]
    assert all(row["state"] == "pending" for row in listed)
    assert "token" not in json.dumps(listed)
    editor = make_user("eddie")
    PitchMember.objects.create(pitch=pitch, user=editor, role="editor")
    api = APIClient()
    api.force_authenticate(editor)
    first = listed[0]["id"]
    assert api.get(f"/api/pitches/{pitch.pk}/invitations/").status_code == 403
    assert api.delete(f"/api/pitches/{pitch.pk}/invitations/{first}/").status_code == 403
    assert api.post(f"/api/pitches/{pitch.pk}/invitations/{first}/resend/").status_code == 403
    stranger = APIClient()
    stranger.force_authenticate(make_user("sam"))
    assert stranger.get(f"/api/pitches/{pitch.pk}/invitations/").status_code == 404
    other = pitch_create(owner=team["owner"], name="Other")
    assert team["api"].delete(f"/api/pitches/{other.pk}/invitations/{first}/").status_code == 404
    assert team["api"].delete(f"/api/pitches/{pitch.pk}/invitations/{first}/").status_code == 204
    after = team["api"].get(f"/api/pitches/{pitch.pk}/invitations/").json()
    assert [row["email"] for row in after] == ["a@example.org"]
    PitchInvitation.objects.filter(email="a@example.org").update(expires_at=timezone.now() - timedelta(days=1))
    assert team["api"].get(f"/api/pitches/{pitch.pk}/invitations/").json()[0]["state"] == "expired"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_a_member_who_may_not_invite_gets_the_same_403_whoever_is_named(
    team: dict[str, Any], make_user: Callable[..., User], role: str
) -> None:
    member = make_user("vera")
    PitchMember.objects.create(pitch=team["pitch"], user=member, role=role)
    make_user("jane")
    api = APIClient()
    api.force_authenticate(member)
    url = f"/api/pitches/{team['pitch'].pk}/members/"
    answers = set()
    for who in ("ghost", "jane", "JANE", "olga", "jane@fund.example", "jane@example.com", "nobody@nowhere.example"):
        answer = api.post(url, {"who": who, "role": "editor"}, format="json")
        answers.add((answer.status_code, answer.content))
    assert len(answers) == 1, answers
    assert next(iter(answers))[0] == 403
    assert not PitchInvitation.objects.exists()
    assert PitchMember.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_legacy_email_like_username_is_never_matched_by_an_invite(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # An account made before usernames were checked (straight into the table, as old data would be).
    squatter = User.objects.create(username="jane@fund.example", email="mallory@evil.example")
    for who in ("jane@fund.example", "JANE@FUND.EXAMPLE"):
        assert _invite(team, who, capture=django_capture_on_commit_callbacks).status_code == 202
    assert not PitchMember.objects.filter(user=squatter).exists()
    assert {m.to[0] for m in mail.outbox} == {"jane@fund.example"}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["jane@", "@fund.example", "jane@@fund.example", "jane@fund..example"])
def test_a_bad_address_is_refused_at_the_field(team: dict[str, Any], who: str) -> None:
    answer = _invite(team, who)
    assert answer.status_code == 400
    assert answer.json()["extra"]["field"] == "who"
    assert not PitchInvitation.objects.exists()


@pytest.mark.django_db
def test_the_owner_following_their_own_invitation_is_told_and_stays_owner(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    _invite(team, "olga@example.com", capture=django_capture_on_commit_callbacks)
    path, _ = _link(mail.outbox[0])
    owner = _signed_in(team["owner"])
    answer = owner.post(path, follow=True)
    assert "You own this pitch already." in answer.content.decode()
    assert not PitchMember.objects.exists()


@pytest.mark.django_db
def test_team_page_invites_by_email_shows_the_invitation_and_resends_and_revokes(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    page = _signed_in(team["owner"])
    url = f"/pitches/{team['pitch'].pk}/team/"
    with django_capture_on_commit_callbacks(execute=True):
        sent = page.post(url, {"action": "invite", "who": "Jane@Fund.example", "role": "viewer"}, follow=True)
    html = sent.content.decode()
    assert "Invitation sent to jane@fund.example" in html
    assert 'data-invitation="jane@fund.example" data-invitation-role="viewer" data-state="pending"' in html
    invitation = PitchInvitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        page.post(url, {"action": "invitation-resend", "invitation": invitation.pk})
    assert len(mail.outbox) == 2
    assert _link(mail.outbox[0])[1] != _link(mail.outbox[1])[1]
    page.post(url, {"action": "invitation-revoke", "invitation": invitation.pk})
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert 'data-invitation="' not in page.get(url).content.decode()
    assert Client().get(_link(mail.outbox[1])[0]).status_code == 404


@pytest.mark.django_db
def test_invitations_are_in_the_archive_without_their_links(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    _invite(team, "dan@example.org", capture=django_capture_on_commit_callbacks)
    _path, token = _link(mail.outbox[0])
    from pitchlab.pitches.archive import pitch_archive_build

    with pitch_archive_build(pitch=team["pitch"]) as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        text = archive.read("invitations.json").decode()
    rows = json.loads(text)
    assert [(row["email"], row["role"], row["state"]) for row in rows] == [("dan@example.org", "editor", "pending")]
    assert token not in text
    assert PitchInvitation.objects.get().token_hash not in text


@pytest.mark.django_db
@pytest.mark.usefixtures("app_broker")
def test_invitations_are_rate_limited_per_owner(team: dict[str, Any], settings: Any) -> None:
    settings.INVITATIONS_RATE_PER_USER = "3/h"
    answers = [_invite(team, f"person{n}@example.org").status_code for n in range(5)]
    assert answers == [202, 202, 202, 429, 429]
    assert PitchInvitation.objects.count() == 3
    refused = _invite(team, "ghost")
    assert refused.status_code == 429  # username probing is counted too
    assert int(refused["Retry-After"]) > 0
