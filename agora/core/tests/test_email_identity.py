"""One mailbox is one person where a phase asks for a verified address (security test finding):
`marie+1@exemple.ca` and `Marie+2@Exemple.ca` reach the same mailbox, so the second browser
that confirms one of them becomes the participant of the first, and supports an idea once."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.services import delete_account, export_personal_data
from agora.accounts.tests.factories import ResidentFactory
from agora.core.audience import Audience
from agora.core.emails import identity_of
from agora.core.models import Participant
from agora.core.participants import COOKIE_NAME, participant_of_mailbox
from agora.ideas.models import Reaction
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.writing import project_with
from agora.participation.models import ProjectIndexPage
from agora.participation.tests.factories import ParticipantFactory

VERIFY = "/fr/participants/courriel/"


@pytest.mark.parametrize(
    ("typed", "identity"),
    [
        ("marie@exemple.ca", "marie@exemple.ca"),
        ("Marie@Exemple.CA", "marie@exemple.ca"),
        ("marie+1@exemple.ca", "marie@exemple.ca"),
        ("  Marie+parc+velo@Exemple.ca ", "marie@exemple.ca"),
        ("marie.roy@exemple.ca", "marie.roy@exemple.ca"),
    ],
)
def test_the_identity_of_an_address_ignores_case_and_sub_address(typed: str, identity: str) -> None:
    assert identity_of(typed) == identity


def test_other_mailboxes_keep_other_identities() -> None:
    assert identity_of("marie@exemple.ca") != identity_of("marielle@exemple.ca")
    assert identity_of("marie@exemple.ca") != identity_of("marie@exemple.com")


def confirm_in(client: Client, email: str, captured: DjangoCaptureOnCommitCallbacks) -> None:
    with captured(execute=True):
        client.post(VERIFY, {"email": email, "next": "/fr/"})
    match = re.search(r"https?://[^/\s]+(/\S+)", str(mail.outbox[-1].body))
    assert match
    assert client.get(match.group(1)).status_code == 302


@pytest.mark.django_db
def test_two_sub_addresses_of_one_mailbox_support_an_idea_once(
    project_index: ProjectIndexPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    project = project_with(project_index, audience=Audience.VERIFIED_EMAIL)
    idea = IdeaFactory.create(project=project)
    laptop, phone = Client(), Client()
    confirm_in(laptop, "marie+1@exemple.ca", django_capture_on_commit_callbacks)
    confirm_in(phone, "Marie+2@Exemple.ca", django_capture_on_commit_callbacks)

    for browser in (laptop, phone):
        browser.post(project.subpage_url("idea_react", idea_id=idea.pk), {"kind": "support"})

    assert Reaction.objects.filter(idea=idea).count() == 1
    # The same participant on both (the signature's timestamp may differ by a second).
    laptop_participant, phone_participant = (
        str(browser.cookies[COOKIE_NAME].value).split(":")[0] for browser in (laptop, phone)
    )
    assert laptop_participant == phone_participant
    first = Participant.objects.get(email_verified_at__isnull=False)
    assert first.email == "marie+1@exemple.ca"  # mail still goes where the resident asked


@pytest.mark.django_db
def test_the_mailbox_finds_its_first_confirmed_participant_and_no_lookalike() -> None:
    ParticipantFactory.create(email="marielle@exemple.ca", email_verified_at=timezone.now())
    ParticipantFactory.create(email="marie+3@exemple.ca")  # typed, never confirmed
    marie = ParticipantFactory.create(email="marie+1@exemple.ca", email_verified_at=timezone.now())

    assert participant_of_mailbox("MARIE@exemple.ca") == marie
    assert participant_of_mailbox("marie@exemple.com") is None


@pytest.mark.django_db
def test_a_participant_confirmed_with_a_sub_address_is_in_the_persons_export_and_erasure() -> None:
    resident = ResidentFactory.create(email="lea@exemple.ca")
    by_sub_address = ParticipantFactory.create(
        email="Lea+parc@exemple.ca", email_verified_at=timezone.now()
    )
    stranger = ParticipantFactory.create(
        email="leanne@exemple.ca", email_verified_at=timezone.now()
    )

    exported = export_personal_data(user=resident)["participants"]
    delete_account(user=resident)

    assert [participant["email"] for participant in exported] == ["Lea+parc@exemple.ca"]
    by_sub_address.refresh_from_db()
    assert (by_sub_address.email, by_sub_address.email_verified_at) == ("", None)
    stranger.refresh_from_db()
    assert stranger.email == "leanne@exemple.ca"
