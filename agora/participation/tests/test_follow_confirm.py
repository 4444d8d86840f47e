"""The confirmation link of a project subscription: the page asks with a button (mail
scanners open links and must not subscribe anyone); pressing it starts the subscription."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from time_machine import TimeMachineFixture

from agora.participation.models import ProjectFollower, ProjectPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def follower(project: ProjectPage) -> ProjectFollower:
    return ProjectFollower.objects.create(project=project, email="lucie@example.org")


def confirm_url(token: str, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("participation:follow_confirm", kwargs={"token": token})


def test_opening_the_link_asks_to_confirm_and_changes_nothing(
    client: Client, follower: ProjectFollower
) -> None:
    response = client.get(confirm_url(follower.token))

    assert response.status_code == 200
    assert "Confirmer mon abonnement" in response.content.decode()
    assert "Parc riverain" in response.content.decode()
    follower.refresh_from_db()
    assert follower.verified_at is None


def test_pressing_the_button_confirms_the_subscription(
    client: Client, follower: ProjectFollower, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)

    response = client.post(confirm_url(follower.token), follow=True)

    follower.refresh_from_db()
    assert follower.is_active
    assert follower.verified_at is not None
    assert follower.verified_at.isoformat() == "2026-03-02T14:00:00+00:00"
    assert "Votre abonnement est confirmé" in response.content.decode()


def test_confirming_again_keeps_the_first_date(
    client: Client, follower: ProjectFollower, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    client.post(confirm_url(follower.token))
    time_machine.move_to("2026-03-05 09:00:00-05:00", tick=False)

    client.post(confirm_url(follower.token))

    follower.refresh_from_db()
    assert follower.verified_at is not None
    assert follower.verified_at.isoformat() == "2026-03-02T14:00:00+00:00"


def test_the_english_link_shows_the_english_project(
    client: Client, follower: ProjectFollower, english_project: ProjectPage
) -> None:
    response = client.get(confirm_url(follower.token, "en"))

    assert "Riverside park" in response.content.decode()
    assert english_project.url in response.content.decode()


def test_an_unknown_link_says_so(client: Client, follower: ProjectFollower) -> None:
    response = client.post(confirm_url("x" * 43))

    assert response.status_code == 404
    assert "Ce lien ne fonctionne pas" in response.content.decode()
    follower.refresh_from_db()
    assert follower.verified_at is None
