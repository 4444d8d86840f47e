"""The invitation e-mail, in French then in English: who invites, to which role, the link,
and until when it works. The person invited may have no account, so their language is
unknown: both languages are in the one message."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.accounts.invitations import invite
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import DepartmentFactory, administrator
from agora.core.models import Branding

pytestmark = pytest.mark.django_db

SEPARATOR = "-" * 60


@pytest.fixture
def message(
    branding: Branding,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> EmailMessage:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    inviter = administrator(first_name="Marie", last_name="Tremblay")
    with django_capture_on_commit_callbacks(execute=True):
        invite(
            inviter=inviter,
            email="gaston@example.org",
            role=Role.DEPARTMENT_MANAGER,
            department=DepartmentFactory.create(name="Travaux publics"),
        )
    (message,) = mail.outbox
    return message


def _token(message: EmailMessage) -> str:
    return message.body.split("/invitation/")[1].split("/")[0]


def test_the_subject_says_who_invites_to_which_city(message: EmailMessage) -> None:
    french_subject = message.subject.split(" / ")[0]
    assert (
        french_subject == "Marie Tremblay vous invite à rejoindre l'équipe de Ville de Saint-Essai"
    )


def test_the_french_part_says_who_invites_the_role_the_link_and_the_expiry(
    message: EmailMessage,
) -> None:
    french = message.body.split(SEPARATOR)[0]

    assert french.startswith("Bonjour,")
    assert (
        "Marie Tremblay vous invite à rejoindre l'équipe de Ville de Saint-Essai sur Agora, "
        "son portail citoyen, avec le rôle « Gestionnaire de service » au service "
        "Travaux publics." in french
    )
    assert f"http://127.0.0.1:8000/fr/compte/invitation/{_token(message)}/" in french
    # 14 days later, in the city's time zone (daylight saving time has begun).
    assert "Ce lien expire le 16 mars 2026 10:00 et ne fonctionne qu'une fois." in french


def test_the_english_part_has_the_english_page_date_and_role(message: EmailMessage) -> None:
    english = message.body.split(SEPARATOR)[1]

    with translation.override("en"):
        link = "http://127.0.0.1:8000" + reverse(
            "invitation_accept", kwargs={"token": _token(message)}
        )
        role = str(Role.DEPARTMENT_MANAGER.label)
        greeting = gettext("Bonjour,")
    assert link.startswith("http://127.0.0.1:8000/en/")
    assert link in english
    assert "March 16, 2026, 10 a.m." in english
    assert f"“{role}”" in english
    assert english.strip().startswith(greeting)


def test_the_e_mail_is_plain_text_without_html_escaping(
    branding: Branding, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    branding.municipality_name = "Ville d'Essai & Lac"
    branding.save()
    with django_capture_on_commit_callbacks(execute=True):
        invite(
            inviter=administrator(first_name="Zoé", last_name="O'Neil"),
            email="a@example.org",
            role=Role.CLERK,
        )

    (message,) = mail.outbox
    assert "Zoé O'Neil vous invite à rejoindre l'équipe de Ville d'Essai & Lac" in message.subject
    assert "&amp;" not in message.body
    assert "&#x27;" not in message.body
