"""The page an invitation link opens: who invites and to which role; then log in or sign up
with the invited address, and accept."""

import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings
from time_machine import TimeMachineFixture

from agora.accounts.models import Invitation, User
from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.tests.team_factories import (
    TOKEN,
    DepartmentFactory,
    administrator,
    client_of,
    pending_invitation,
    resident,
)
from agora.core.models import AuditEntry
from agora.core.tests.html import find, find_all, text_of
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

URL = f"/fr/compte/invitation/{TOKEN}/"


@pytest.fixture
def invitation(home: HomePage) -> Invitation:
    return pending_invitation(
        email="invitee@example.org",
        role=Role.DEPARTMENT_MANAGER,
        department=DepartmentFactory.create(name="Travaux publics"),
        invited_by=administrator(first_name="Marie", last_name="Tremblay"),
    )


def test_a_visitor_sees_who_invites_and_the_role_and_is_asked_to_log_in_or_sign_up(
    invitation: Invitation,
) -> None:
    response = Client().get(URL)

    assert response.status_code == 200
    page = text_of(response.content)
    assert "Marie Tremblay" in page
    assert "Gestionnaire de service" in page
    assert "Travaux publics" in page
    login = find(response.content, "a", href=f"/fr/compte/login/?next={quote(URL, safe='')}")
    signup = find(response.content, "a", href=f"/fr/compte/signup/?next={quote(URL, safe='')}")
    assert login.text == "Me connecter"
    assert signup.text == "Créer mon compte"
    assert not find_all(response.content, "form", method="post", action="")


def test_the_page_is_never_kept_in_a_cache(invitation: Invitation) -> None:
    response = Client().get(URL)

    assert "no-store" in response["Cache-Control"]


def test_the_page_exists_in_english(invitation: Invitation) -> None:
    response = Client().get(f"/en/account/invitation/{TOKEN}/")

    assert response.status_code == 200


def test_a_visitor_who_posts_is_sent_to_log_in_and_nothing_is_accepted(
    invitation: Invitation,
) -> None:
    response = Client().post(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/fr/compte/login/?next=")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_the_invited_person_logged_in_sees_a_button_to_accept(invitation: Invitation) -> None:
    client = client_of(resident(email="invitee@example.org"))

    response = client.get(URL)

    form = find(response.content, "form", method="post", action="")
    assert find(form, "button").text == "Accepter l'invitation"


def test_accepting_gives_the_role_and_leads_to_the_back_office(invitation: Invitation) -> None:
    person = resident(email="invitee@example.org")
    client = client_of(person)

    response = client.post(URL)

    assert response.status_code == 302
    assert response["Location"] == "/gestion/"
    person.refresh_from_db()
    assert person.is_staff
    assert person.groups.filter(name=GROUP_NAMES[Role.DEPARTMENT_MANAGER]).exists()
    assert client.get("/gestion/").status_code == 200


def test_the_session_gets_a_new_key_with_the_new_rights(invitation: Invitation) -> None:
    client = client_of(resident(email="invitee@example.org"))
    before = client.session.session_key

    client.post(URL)

    assert client.session.session_key != before
    assert client.get("/gestion/").status_code == 200


def test_after_accepting_the_back_office_asks_for_a_second_factor_when_required(
    invitation: Invitation, settings: Settings
) -> None:
    settings.STAFF_MFA_REQUIRED = True
    client = client_of(resident(email="invitee@example.org"))

    client.post(URL)
    response = client.get("/gestion/")

    assert response.status_code == 302
    assert "/totp/activate/" in response["Location"]


def test_someone_logged_in_with_another_address_is_told_and_nothing_is_accepted(
    invitation: Invitation,
) -> None:
    other = resident(email="someone-else@example.org")
    client = client_of(other)

    page = client.get(URL)
    refused = client.post(URL)

    assert "envoyée à une autre adresse" in text_of(page.content)
    assert not find_all(page.content, "form", method="post", action="")
    assert refused.status_code == 403
    other.refresh_from_db()
    assert not other.is_staff
    assert not other.groups.exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert not AuditEntry.objects.filter(action="invitation.accepted").exists()


def test_an_expired_link_says_so(invitation: Invitation, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(invitation.expires_at, tick=False)

    response = client_of(resident(email="invitee@example.org")).post(URL)

    assert response.status_code == 410
    assert "Cette invitation a expiré" in text_of(response.content)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_revoked_link_says_so(invitation: Invitation) -> None:
    invitation.status = Invitation.Status.REVOKED
    invitation.save()

    response = Client().get(URL)

    assert response.status_code == 410
    assert "annulée par la Ville" in text_of(response.content)


def test_a_used_link_says_so_and_does_not_work_twice(invitation: Invitation) -> None:
    client = client_of(resident(email="invitee@example.org"))
    client.post(URL)

    response = client.post(URL)

    assert response.status_code == 410
    assert "déjà été acceptée" in text_of(response.content)
    assert AuditEntry.objects.filter(action="invitation.accepted").count() == 1


def test_an_unknown_link_says_so(invitation: Invitation) -> None:
    response = Client().get("/fr/compte/invitation/pas-le-bon-jeton/")

    assert response.status_code == 404
    assert "n'est pas valide" in text_of(response.content)


def test_a_new_person_signs_up_with_the_invited_address_verifies_it_and_accepts(
    home: HomePage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from agora.accounts.invitations import invite

    with django_capture_on_commit_callbacks(execute=True):
        invite(inviter=administrator(), email="nouvelle@example.org", role=Role.COMMUNICATIONS)
    link = re.search(
        r"http://127\.0\.0\.1:8000(/fr/compte/invitation/[^/]+/)", str(mail.outbox[0].body)
    )
    assert link is not None
    invitation_path = link.group(1)
    client = Client()

    with django_capture_on_commit_callbacks(execute=True):
        signup = client.post(
            f"/fr/compte/signup/?next={quote(invitation_path, safe='')}",
            {
                "email": "nouvelle@example.org",
                "password1": "un-mot-de-passe-solide",
                "password2": "un-mot-de-passe-solide",
                "first_name": "Nouvelle",
                "last_name": "Recrue",
            },
        )
    assert signup.status_code == 302
    # Signing up is not enough: the address must be verified first.
    assert "Accepter l'invitation" not in text_of(client.get(invitation_path).content)
    confirm_url = re.search(r"https?://[^/\s]+(/\S*/confirm-email/\S+/)", str(mail.outbox[-1].body))
    assert confirm_url is not None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url.group(1))

    client.post(invitation_path)

    person = User.objects.get(email="nouvelle@example.org")
    assert person.is_staff
    assert person.groups.filter(name=GROUP_NAMES[Role.COMMUNICATIONS]).exists()
