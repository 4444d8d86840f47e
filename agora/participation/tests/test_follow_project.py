"""The "Suivre ce projet" page: an e-mail address, no account needed. The address gets a
confirmation link; the page says the same thing whatever the address's state; bad input and
abuse are refused with a clear message and write nothing."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.team_factories import client_of
from agora.core.tests.responses import ClientResponse
from agora.participation.follow_views import FOLLOW_LIMIT
from agora.participation.models import ProjectFollower, ProjectPage

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

ADDRESS = "lucie@example.org"
SAME_MESSAGE = "un courriel vous y attend"


@pytest.fixture
def follow_url(project: ProjectPage) -> str:
    return project.subpage_url("follow")


def follow(
    client: Client, url: str, captured: DjangoCaptureOnCommitCallbacks, **data: Any
) -> ClientResponse:
    with captured(execute=True):
        return client.post(url, {"email": ADDRESS, "site_web": "", **data}, follow=True)


def test_the_page_asks_for_an_address_and_says_no_account_is_needed(
    client: Client, project: ProjectPage, follow_url: str
) -> None:
    response = client.get(follow_url)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="email"' in html
    assert 'name="email"' in html
    assert "csrfmiddlewaretoken" in html
    assert "Aucun compte" in html
    assert project.title in html


def test_following_creates_an_unconfirmed_subscription_and_sends_the_link(
    client: Client,
    project: ProjectPage,
    follow_url: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    response = follow(
        client, follow_url, django_capture_on_commit_callbacks, email=" Lucie@Example.org "
    )

    follower = ProjectFollower.objects.get()
    assert follower.project == project
    assert follower.email == ADDRESS
    assert follower.language == "fr"
    assert follower.verified_at is None
    assert not follower.is_active
    assert response.redirect_chain[-1][0] == project.url
    assert SAME_MESSAGE in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [ADDRESS]
    assert "Parc riverain" in message.subject
    assert f"/fr/abonnements/projets/confirmer/{follower.token}/" in message.body
    assert f"/fr/abonnements/projets/desabonnement/{follower.token}/" in message.body


def test_following_from_the_english_page_belongs_to_the_french_project_in_english(
    client: Client,
    project: ProjectPage,
    english_project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    url = english_project.subpage_url("follow")
    assert url.startswith("/en/projects/riverside-park/")

    follow(client, url, django_capture_on_commit_callbacks)

    follower = ProjectFollower.objects.get()
    assert follower.project == project
    assert follower.language == "en"
    (message,) = mail.outbox
    assert "Riverside park" in message.subject
    assert "/en/projects/riverside-park/" in message.body
    assert re.search(rf"/en/\S+/{follower.token}/", str(message.body))


@pytest.mark.parametrize("state", ["pending", "active", "unsubscribed"])
def test_the_page_says_the_same_thing_whatever_the_address_state(
    client: Client,
    project: ProjectPage,
    follow_url: str,
    state: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    follower = ProjectFollower.objects.create(project=project, email=ADDRESS)
    if state in ("active", "unsubscribed"):
        follower.verified_at = follower.created_at
    if state == "unsubscribed":
        follower.unsubscribed_at = follower.created_at
    follower.save()

    response = follow(client, follow_url, django_capture_on_commit_callbacks)

    assert SAME_MESSAGE in response.content.decode()
    assert ProjectFollower.objects.count() == 1
    (message,) = mail.outbox
    assert message.to == [ADDRESS]


def test_an_address_that_already_follows_stays_active_and_is_told_by_email(
    client: Client,
    project: ProjectPage,
    follow_url: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    follower = ProjectFollower.objects.create(project=project, email=ADDRESS)
    follower.verified_at = follower.created_at
    follower.save()

    follow(client, follow_url, django_capture_on_commit_callbacks)

    follower.refresh_from_db()
    assert follower.is_active
    (message,) = mail.outbox
    assert "déjà" in message.subject
    assert "confirmer/" not in message.body
    assert f"desabonnement/{follower.token}/" in message.body


def test_an_address_that_had_unsubscribed_starts_over_with_a_new_link(
    client: Client,
    project: ProjectPage,
    follow_url: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    follower = ProjectFollower.objects.create(project=project, email=ADDRESS)
    follower.verified_at = follower.unsubscribed_at = follower.created_at
    follower.save()
    old_token = follower.token

    follow(client, follow_url, django_capture_on_commit_callbacks)

    follower.refresh_from_db()
    assert follower.verified_at is None
    assert follower.token != old_token
    assert not follower.is_active


def test_asking_again_does_not_flood_the_inbox(
    client: Client,
    project: ProjectPage,
    follow_url: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    for _attempt in range(3):
        follow(client, follow_url, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert ProjectFollower.objects.count() == 1


def test_a_signed_in_resident_with_a_verified_address_follows_at_once(
    project: ProjectPage,
    follow_url: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    resident = ResidentFactory.create(email="marie@example.org")
    client = client_of(resident)

    assert 'value="marie@example.org"' in client.get(follow_url).content.decode()
    response = follow(client, follow_url, django_capture_on_commit_callbacks, email=resident.email)

    follower = ProjectFollower.objects.get()
    assert follower.is_active
    assert "Vous suivez ce projet" in response.content.decode()
    assert mail.outbox == []


def test_a_signed_in_resident_following_with_another_address_confirms_it_by_email(
    project: ProjectPage,
    follow_url: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client = client_of(ResidentFactory.create(email="marie@example.org"))

    follow(client, follow_url, django_capture_on_commit_callbacks, email="autre@example.org")

    assert not ProjectFollower.objects.get().is_active
    assert mail.outbox[0].to == ["autre@example.org"]


def test_an_invalid_address_is_refused_and_nothing_is_written(
    client: Client,
    follow_url: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    response = follow(
        client, follow_url, django_capture_on_commit_callbacks, email="pas-une-adresse"
    )

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert response.context["form"].errors["email"]
    assert not ProjectFollower.objects.exists()
    assert mail.outbox == []


def test_a_filled_honeypot_is_refused_and_nothing_is_written(
    client: Client,
    follow_url: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    response = follow(
        client, follow_url, django_capture_on_commit_callbacks, site_web="http://spam.example"
    )

    assert response.status_code == 200
    assert response.context["form"].errors["site_web"]
    assert not ProjectFollower.objects.exists()
    assert mail.outbox == []


def test_too_many_requests_are_refused_with_a_message_and_nothing_is_written(
    client: Client,
    follow_url: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    for number in range(FOLLOW_LIMIT):
        follow(
            client, follow_url, django_capture_on_commit_callbacks, email=f"p{number}@example.org"
        )
    ProjectFollower.objects.all().delete()
    mail.outbox.clear()

    response = follow(client, follow_url, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    assert "réessayez dans une heure" in response.content.decode()
    assert not ProjectFollower.objects.exists()
    assert mail.outbox == []
