"""The one-click unsubscribe link of every message about a project: the page shows a button;
the button, or a mail program's one-click request (RFC 8058), unsubscribes at once."""

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from agora.participation.models import ProjectFollower, ProjectPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def follower(project: ProjectPage, time_machine: TimeMachineFixture) -> ProjectFollower:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    follower = ProjectFollower.objects.create(project=project, email="lucie@example.org")
    follower.verified_at = follower.created_at
    follower.save()
    return follower


def unsubscribe_url(token: str) -> str:
    return reverse("participation:unsubscribe", kwargs={"token": token})


def test_opening_the_link_shows_a_button_and_changes_nothing(
    client: Client, follower: ProjectFollower
) -> None:
    response = client.get(unsubscribe_url(follower.token))

    assert response.status_code == 200
    assert "Me désabonner" in response.content.decode()
    follower.refresh_from_db()
    assert follower.is_active


def test_pressing_the_button_unsubscribes(client: Client, follower: ProjectFollower) -> None:
    response = client.post(unsubscribe_url(follower.token))

    assert response.status_code == 200
    assert "Vous êtes désabonné" in response.content.decode()
    follower.refresh_from_db()
    assert follower.unsubscribed_at is not None
    assert not follower.is_active


def test_a_mail_program_unsubscribes_in_one_click_without_a_form_token(
    follower: ProjectFollower,
) -> None:
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(
        unsubscribe_url(follower.token),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    follower.refresh_from_db()
    assert not follower.is_active


def test_unsubscribing_twice_keeps_the_first_date(
    client: Client, follower: ProjectFollower, time_machine: TimeMachineFixture
) -> None:
    client.post(unsubscribe_url(follower.token))
    time_machine.move_to("2026-03-09 09:00:00-05:00", tick=False)

    response = client.post(unsubscribe_url(follower.token))

    assert response.status_code == 200
    follower.refresh_from_db()
    assert follower.unsubscribed_at is not None
    assert follower.unsubscribed_at.isoformat() == "2026-03-02T14:00:00+00:00"


def test_an_unknown_link_says_so(client: Client, follower: ProjectFollower) -> None:
    response = client.post(unsubscribe_url("inconnu"))

    assert response.status_code == 404
    follower.refresh_from_db()
    assert follower.is_active
