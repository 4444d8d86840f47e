"""Confirming a participant's e-mail address without an account: a link valid two days, that
lets this browser take part where a phase asks for a verified address."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.tests.factories import ResidentFactory
from agora.accounts.tests.team_factories import client_of
from agora.core.audience import Audience
from agora.core.models import Participant
from agora.core.participants import COOKIE_NAME, issue_verification_token
from agora.core.tests.responses import ClientResponse
from agora.ideas.models import Idea, Reaction
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.writing import holding, project_with
from agora.pages.models import HomePage
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

VERIFY = "/fr/participants/courriel/"


def ask_for_link(
    client: Client, email: str = "lucie@example.org", next_url: str = "/fr/projets/"
) -> ClientResponse:
    return client.post(VERIFY, {"email": email, "next": next_url})


def link_in_last_message() -> str:
    body = str(mail.outbox[-1].body)
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, body
    return match.group(1)


@pytest.fixture
def verified_phase_idea(project_index: ProjectIndexPage) -> tuple[ProjectPage, Idea]:
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)
    return project, IdeaFactory.create(project=project)


def test_the_page_explains_what_is_kept(client: Client, home: HomePage) -> None:
    response = client.get(VERIFY)

    assert response.status_code == 200
    assert "Aucun compte n'est nécessaire" in response.content.decode()
    assert Participant.objects.count() == 0


def test_asking_for_a_link_sends_it_and_keeps_only_the_address(
    client: Client,
    home: HomePage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_link(client, email="Lucie@Example.org")

    assert response.status_code == 200
    participant = Participant.objects.get()
    assert participant.email == "lucie@example.org"
    assert participant.email_verified_at is None
    assert COOKIE_NAME in response.cookies
    assert mail.outbox[-1].to == ["lucie@example.org"]
    assert reverse("participants:confirm", kwargs={"token": "x"})[:-2] in mail.outbox[-1].body


def test_following_the_link_verifies_the_address_and_goes_back(
    client: Client,
    home: HomePage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(client, next_url="/fr/projets/parc/")

    response = client.get(link_in_last_message())

    assert response.status_code == 302
    assert response["Location"] == "/fr/projets/parc/"
    participant = Participant.objects.get()
    assert participant.email_verified_at is not None
    assert participant.has_verified_email


def test_the_link_works_on_another_device_of_the_same_person(
    client: Client,
    home: HomePage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(client)
    phone = Client()

    response = phone.get(link_in_last_message())

    participant = Participant.objects.get()
    assert str(participant.pk) in response.cookies[COOKIE_NAME].value


def test_an_expired_link_is_refused(client: Client, home: HomePage) -> None:
    participant = ParticipantFactory.create(email="lucie@example.org")
    token = issue_verification_token(participant, "lucie@example.org")

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, minutes=1)):
        response = client.get(reverse("participants:confirm", kwargs={"token": token}))

    assert response.status_code == 400
    participant.refresh_from_db()
    assert participant.email_verified_at is None


def test_a_link_still_works_before_two_days(client: Client, home: HomePage) -> None:
    participant = ParticipantFactory.create(email="lucie@example.org")
    token = issue_verification_token(participant, "lucie@example.org")

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, hours=23)):
        response = client.get(reverse("participants:confirm", kwargs={"token": token}))

    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.email_verified_at is not None


def test_a_tampered_link_is_refused(client: Client, home: HomePage) -> None:
    participant = ParticipantFactory.create(email="lucie@example.org")
    token = issue_verification_token(participant, "lucie@example.org")
    forged = token[:-2] + ("yy" if token.endswith("xx") else "xx")

    response = client.get(reverse("participants:confirm", kwargs={"token": forged}))

    assert response.status_code == 400
    participant.refresh_from_db()
    assert participant.email_verified_at is None


def test_an_address_verified_before_stays_one_participant(client: Client, home: HomePage) -> None:
    earlier = ParticipantFactory.create(email="lucie@example.org", email_verified_at=timezone.now())
    newcomer = ParticipantFactory.create(email="lucie@example.org")
    token = issue_verification_token(newcomer, "lucie@example.org")

    response = client.get(reverse("participants:confirm", kwargs={"token": token}))

    assert str(earlier.pk) in response.cookies[COOKIE_NAME].value
    newcomer.refresh_from_db()
    assert newcomer.email_verified_at is None


def test_the_next_address_must_be_on_this_site(client: Client, home: HomePage) -> None:
    participant = ParticipantFactory.create(email="lucie@example.org")
    token = issue_verification_token(participant, "lucie@example.org")
    url = reverse("participants:confirm", kwargs={"token": token})

    response = client.get(f"{url}?next=https://ailleurs.example/")

    assert response["Location"] == "/fr/"


def test_an_invalid_address_is_refused_with_a_message(client: Client, home: HomePage) -> None:
    response = ask_for_link(client, email="pas-une-adresse")

    assert response.status_code == 200
    assert "adresse courriel valide" in response.content.decode()
    assert Participant.objects.count() == 0
    assert mail.outbox == []


def test_too_many_links_from_one_place_are_refused(
    client: Client, home: HomePage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agora.core import participant_views

    monkeypatch.setattr(participant_views, "VERIFY_LIMIT", 1)
    ask_for_link(client, email="un@example.org")

    response = ask_for_link(client, email="deux@example.org")

    assert response.status_code == 429
    assert not Participant.objects.filter(email="deux@example.org").exists()


def test_a_verified_participant_may_then_support_an_idea(
    client: Client, verified_phase_idea: tuple[ProjectPage, Idea]
) -> None:
    project, idea = verified_phase_idea
    participant = ParticipantFactory.create(
        email="lucie@example.org", email_verified_at=timezone.now()
    )

    holding(client, participant).post(
        project.subpage_url("idea_react", idea_id=idea.pk), {"kind": "support"}
    )

    assert Reaction.objects.get().participant == participant


def test_an_unverified_visitor_is_sent_to_confirm_their_address_first(
    client: Client, verified_phase_idea: tuple[ProjectPage, Idea]
) -> None:
    project, idea = verified_phase_idea
    idea_url = project.subpage_url("idea", idea_id=idea.pk)

    response = client.post(project.subpage_url("idea_react", idea_id=idea.pk), {"kind": "support"})

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert "next=" in response["Location"]
    assert idea_url.replace("/", "%2F") in response["Location"]
    assert Reaction.objects.count() == 0
    assert Participant.objects.count() == 1  # the idea's author only


def test_a_signed_in_resident_with_a_verified_address_takes_part_at_once(
    verified_phase_idea: tuple[ProjectPage, Idea],
) -> None:
    project, idea = verified_phase_idea
    client = client_of(ResidentFactory.create())

    client.post(project.subpage_url("idea_react", idea_id=idea.pk), {"kind": "support"})

    assert Reaction.objects.count() == 1


def test_a_signed_in_resident_whose_address_is_not_verified_is_told_where_to_verify_it(
    verified_phase_idea: tuple[ProjectPage, Idea],
) -> None:
    client = client_of(ResidentFactory.create(verified_address=False))

    response = client.get(VERIFY)

    assert response.status_code == 200
    assert reverse("account_email") in response.content.decode()
