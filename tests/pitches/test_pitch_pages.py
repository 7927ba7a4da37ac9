from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("owner")


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_dashboard_needs_a_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_dashboard_lists_only_my_pitches(client: Client, owner: User, make_user: Callable[..., User]) -> None:
    pitch_create(owner=owner, name="Mine AI")
    pitch_create(owner=make_user("other"), name="Theirs AI")
    page = logged_in(client, owner).get("/").content.decode()
    assert "Mine AI" in page
    assert "Theirs AI" not in page


def test_create_redirects_to_the_new_pitch(client: Client, owner: User) -> None:
    response = logged_in(client, owner).post("/", {"name": "Deep Lens"})
    pitch = Pitch.objects.get(owner=owner)
    assert response.status_code == 302
    assert response["Location"] == f"/pitches/{pitch.pk}/"


def test_empty_name_is_shown_at_the_field_and_nothing_is_created(client: Client, owner: User) -> None:
    response = logged_in(client, owner).post("/", {"name": "   "})
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert not Pitch.objects.exists()


def test_rename_keeps_the_typed_text_on_error(client: Client, owner: User) -> None:
    pitch = pitch_create(owner=owner, name="Lumen")
    long_name = "L" * 121
    response = logged_in(client, owner).post(f"/pitches/{pitch.pk}/", {"name": long_name})
    assert response.status_code == 400
    assert long_name in response.content.decode()  # the founder's edit is not lost
    pitch.refresh_from_db()
    assert pitch.name == "Lumen"
    client.post(f"/pitches/{pitch.pk}/", {"name": "Lumen Health"})
    pitch.refresh_from_db()
    assert pitch.name == "Lumen Health"


def test_delete_asks_first_then_deletes(client: Client, owner: User) -> None:
    pitch = pitch_create(owner=owner, name="Lumen")
    logged_in(client, owner)
    confirm = client.get(f"/pitches/{pitch.pk}/delete/")
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    assert Pitch.objects.filter(pk=pitch.pk).exists()
    assert client.post(f"/pitches/{pitch.pk}/delete/").status_code == 302
    assert not Pitch.objects.filter(pk=pitch.pk).exists()


@pytest.mark.parametrize("suffix", ["", "delete/"])
def test_someone_elses_pitch_pages_are_404(
    client: Client, owner: User, make_user: Callable[..., User], suffix: str
) -> None:
    pitch = pitch_create(owner=owner, name="Lumen")
    logged_in(client, make_user("intruder"))
    assert client.get(f"/pitches/{pitch.pk}/{suffix}").status_code == 404
    assert client.post(f"/pitches/{pitch.pk}/{suffix}", {"name": "Mine now"}).status_code == 404
    pitch.refresh_from_db()
    assert pitch.name == "Lumen"


@override_settings(DEBUG=True, DEMO_ACCOUNT=True)  # the embedded default (a DATABASE_URL run has it off)
def test_seed_demo_is_idempotent() -> None:
    from django.core.management import call_command

    call_command("seed_demo")
    call_command("seed_demo")
    demo = User.objects.get(username="demo")
    assert demo.check_password("pitchlab-demo")
    assert list(Pitch.objects.filter(owner=demo).values_list("name", flat=True)) == ["Lumen Support AI"]
