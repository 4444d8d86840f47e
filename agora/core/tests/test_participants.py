"""The pseudonymous participant: a signed, HttpOnly cookie for residents without an account,
their account for the others; created only by a contribution, never by reading a page."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from pytest_django import Settings

from agora.accounts.models import User
from agora.accounts.tests.factories import ResidentFactory
from agora.core.models import Participant
from agora.core.participants import (
    COOKIE_NAME,
    current_participant,
    participant_for,
    remember_participant,
)
from agora.ideas.models import Comment, Reaction
from agora.ideas.tests.factories import IdeaFactory
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def request_with(cookie: str | None = None, user: User | None = None) -> HttpRequest:
    request = RequestFactory().post("/")
    request.user = user or AnonymousUser()
    if cookie is not None:
        request.COOKIES[COOKIE_NAME] = cookie
    return request


def cookie_of(participant: Participant) -> str:
    response = HttpResponse()
    remember_participant(response, participant)
    return response.cookies[COOKIE_NAME].value


def test_a_first_contribution_creates_a_participant_and_sets_its_cookie() -> None:
    response = HttpResponse()

    participant = participant_for(request_with(), response)

    morsel = response.cookies[COOKIE_NAME]
    assert Participant.objects.get() == participant
    assert participant.user is None
    assert str(participant.pk) in morsel.value
    assert morsel.value != str(participant.pk)  # signed, not the bare id
    assert morsel["httponly"]
    assert morsel["samesite"] == "Lax"
    assert int(morsel["max-age"]) == 365 * 24 * 60 * 60


def test_the_cookie_is_secure_in_production(settings: Settings) -> None:
    settings.PRODUCTION = True
    response = HttpResponse()

    participant_for(request_with(), response)

    assert response.cookies[COOKIE_NAME]["secure"]


def test_the_cookie_brings_back_the_same_participant() -> None:
    participant = ParticipantFactory.create()
    request = request_with(cookie_of(participant))

    assert current_participant(request) == participant
    assert participant_for(request, HttpResponse()) == participant
    assert Participant.objects.count() == 1


def test_a_tampered_cookie_is_ignored() -> None:
    participant = ParticipantFactory.create()
    other = ParticipantFactory.create()
    forged = cookie_of(participant).replace(str(participant.pk), str(other.pk))

    assert current_participant(request_with(forged)) is None
    assert current_participant(request_with(str(other.pk))) is None


def test_a_tampered_cookie_gets_a_new_participant_on_contribution() -> None:
    participant = ParticipantFactory.create()
    forged = cookie_of(participant)[:-3] + "abc"

    new = participant_for(request_with(forged), HttpResponse())

    assert new != participant
    assert Participant.objects.count() == 2


def test_reading_the_participant_creates_nothing() -> None:
    assert current_participant(request_with()) is None
    assert Participant.objects.count() == 0


def test_a_signed_in_resident_is_their_accounts_participant_created_once() -> None:
    user = ResidentFactory.create()

    first = participant_for(request_with(user=user), HttpResponse())
    second = participant_for(request_with(user=user), HttpResponse())

    assert first == second
    assert first.user == user
    assert Participant.objects.count() == 1


def test_a_signed_in_resident_gets_no_participant_cookie() -> None:
    response = HttpResponse()

    participant_for(request_with(user=ResidentFactory.create()), response)

    assert COOKIE_NAME not in response.cookies


def test_a_signed_in_resident_is_not_the_participant_of_a_cookie_left_on_the_browser() -> None:
    anonymous = ParticipantFactory.create()
    user = ResidentFactory.create()

    participant = participant_for(request_with(cookie_of(anonymous), user=user), HttpResponse())

    assert participant != anonymous
    assert participant.user == user
    anonymous.refresh_from_db()
    assert anonymous.user is None


def test_a_cookie_cannot_name_a_participant_linked_to_an_account() -> None:
    linked = ParticipantFactory.create(user=ResidentFactory.create())

    assert current_participant(request_with(cookie_of(linked))) is None


def test_reading_pages_creates_no_participant_and_sets_no_cookie(
    client: Client, project: ProjectPage
) -> None:
    idea = IdeaFactory.create(project=project)

    for url in (
        project.url,
        project.subpage_url("ideas"),
        project.subpage_url("idea", idea_id=idea.pk),
        project.subpage_url("idea_new"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert COOKIE_NAME not in response.cookies, url

    assert Participant.objects.count() == 1  # the idea's author, made by the factory


def test_no_ip_address_is_stored_with_a_contribution(client: Client, project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    address = "203.0.113.77"

    client.post(
        project.subpage_url("idea_react", idea_id=idea.pk),
        {"kind": "support"},
        REMOTE_ADDR=address,
    )
    client.post(
        project.subpage_url("idea_comment", idea_id=idea.pk),
        {"body": "Oui"},
        REMOTE_ADDR=address,
    )

    assert Reaction.objects.count() == 1
    assert Comment.objects.count() == 1
    for model in apps.get_app_config("ideas").get_models():
        for row in model._default_manager.values():
            assert address not in str(row), model
    for participant_row in Participant.objects.values():
        assert address not in str(participant_row)
