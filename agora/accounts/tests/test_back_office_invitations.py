"""Équipe → Invitations in /gestion/: the list, the form that invites, and the buttons that
resend and revoke."""

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.accounts.models import Department, Invitation
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    client_of,
    department_manager,
    pending_invitation,
    resident,
)
from agora.core.models import AuditEntry
from agora.core.tests.html import find, find_all, text_of
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

LIST = "/gestion/equipe/invitations/"
NEW = "/gestion/equipe/invitations/new/"


def _emails_listed(response: ClientResponse) -> list[str]:
    table = find(response.content, "table", class_="listing")
    return [find(row, "td", class_="title").text for row in find_all(find(table, "tbody"), "tr")]


@pytest.fixture
def departments(home: HomePage) -> tuple[Department, Department]:
    return DepartmentFactory.create(name="Loisirs"), DepartmentFactory.create(
        name="Travaux publics"
    )


def test_an_administrator_sees_every_invitation(departments: tuple[Department, Department]) -> None:
    _, travaux = departments
    pending_invitation(email="a@example.org", token="a")
    pending_invitation(
        email="b@example.org", role=Role.PROJECT_MODERATOR, department=travaux, token="b"
    )

    response = client_of(administrator()).get(LIST)

    assert response.status_code == 200
    assert sorted(_emails_listed(response)) == ["a@example.org", "b@example.org"]


def test_a_department_manager_sees_the_invitations_of_their_departments_only(
    departments: tuple[Department, Department],
) -> None:
    loisirs, travaux = departments
    pending_invitation(email="a@example.org", token="a")
    pending_invitation(
        email="b@example.org", role=Role.PROJECT_MODERATOR, department=travaux, token="b"
    )
    pending_invitation(
        email="c@example.org", role=Role.PROJECT_MODERATOR, department=loisirs, token="c"
    )

    response = client_of(department_manager(loisirs)).get(LIST)

    assert _emails_listed(response) == ["c@example.org"]


def test_the_list_filters_by_state(
    departments: tuple[Department, Department], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    pending_invitation(email="old@example.org", token="old")
    time_machine.move_to("2026-03-20 09:00:00-04:00", tick=False)
    pending_invitation(email="new@example.org", token="new")
    pending_invitation(email="gone@example.org", token="gone", status=Invitation.Status.REVOKED)
    client = client_of(administrator())

    assert _emails_listed(client.get(f"{LIST}?state=pending")) == ["new@example.org"]
    assert _emails_listed(client.get(f"{LIST}?state=expired")) == ["old@example.org"]
    assert _emails_listed(client.get(f"{LIST}?state=revoked")) == ["gone@example.org"]


def test_a_resident_is_refused(home: HomePage) -> None:
    response = client_of(resident()).get(LIST)

    assert response.status_code == 403
    assert "Espace réservé à l'équipe de la Ville" in response.content.decode()


def test_a_member_of_the_team_without_the_permission_is_refused(home: HomePage) -> None:
    clerk = UserFactory.create(roles=[Role.CLERK])

    response = client_of(clerk).get(LIST)

    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_an_administrator_invites_from_the_form(
    departments: tuple[Department, Department],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    loisirs, _ = departments
    admin = administrator()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(admin).post(
            NEW,
            {
                "email": "nouveau@example.org",
                "role": "department_manager",
                "department": loisirs.pk,
            },
        )

    assert response.status_code == 302
    assert response["Location"] == LIST
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.department) == (
        "nouveau@example.org",
        "department_manager",
        loisirs,
    )
    assert invitation.invited_by == admin
    assert [m.to for m in mail.outbox] == [["nouveau@example.org"]]
    assert AuditEntry.objects.filter(action="invitation.sent").count() == 1


def test_a_department_manager_is_offered_only_their_roles_and_departments(
    departments: tuple[Department, Department],
) -> None:
    loisirs, _ = departments

    response = client_of(department_manager(loisirs)).get(NEW)

    roles = [o["value"] for o in find_all(find(response.content, "select", name="role"), "option")]
    assert roles == ["department_manager", "project_moderator"]
    options = find_all(find(response.content, "select", name="department"), "option")
    assert [o.text for o in options if o["value"]] == ["Loisirs"]


def test_a_department_manager_cannot_invite_to_another_department_and_nothing_is_written(
    departments: tuple[Department, Department],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    loisirs, travaux = departments

    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(department_manager(loisirs)).post(
            NEW, {"email": "x@example.org", "role": "project_moderator", "department": travaux.pk}
        )

    assert response.status_code == 200
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_duplicate_invitation_is_refused_with_its_reason(
    departments: tuple[Department, Department],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    pending_invitation(email="x@example.org", role=Role.CLERK)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(administrator()).post(NEW, {"email": "x@example.org", "role": "clerk"})

    assert response.status_code == 200
    assert "Une invitation en attente existe déjà" in text_of(response.content)
    assert Invitation.objects.count() == 1
    assert mail.outbox == []


def test_a_missing_department_is_shown_on_its_field(
    departments: tuple[Department, Department],
) -> None:
    response = client_of(administrator()).post(
        NEW, {"email": "x@example.org", "role": "project_moderator"}
    )

    assert response.status_code == 200
    assert "Choisissez le service municipal" in text_of(response.content)
    assert not Invitation.objects.exists()


def test_each_pending_invitation_has_resend_and_revoke_buttons(
    departments: tuple[Department, Department],
) -> None:
    pending = pending_invitation(email="a@example.org", token="a")
    pending_invitation(email="b@example.org", token="b", status=Invitation.Status.ACCEPTED)

    response = client_of(administrator()).get(LIST)

    forms = find_all(response.content, "form", method="post")
    assert sorted(form["action"] for form in forms) == [
        f"/gestion/equipe/invitations/{pending.pk}/renvoyer/",
        f"/gestion/equipe/invitations/{pending.pk}/revoquer/",
    ]
    assert all(find_all(form, "input", name="csrfmiddlewaretoken") for form in forms)


def test_the_resend_button_sends_a_new_link(
    departments: tuple[Department, Department],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    invitation = pending_invitation()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(administrator()).post(
            f"/gestion/equipe/invitations/{invitation.pk}/renvoyer/"
        )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert len(mail.outbox) == 1


def test_the_revoke_button_revokes(departments: tuple[Department, Department]) -> None:
    invitation = pending_invitation()

    response = client_of(administrator()).post(
        f"/gestion/equipe/invitations/{invitation.pk}/revoquer/", follow=True
    )

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert "révoquée" in text_of(response.content)


def test_revoking_twice_says_why_and_changes_nothing(
    departments: tuple[Department, Department],
) -> None:
    invitation = pending_invitation(status=Invitation.Status.REVOKED)

    response = client_of(administrator()).post(
        f"/gestion/equipe/invitations/{invitation.pk}/revoquer/", follow=True
    )

    assert "Seule une invitation en attente" in text_of(response.content)
    assert not AuditEntry.objects.exists()


def test_the_buttons_only_answer_post(departments: tuple[Department, Department]) -> None:
    invitation = pending_invitation()

    response = client_of(administrator()).get(
        f"/gestion/equipe/invitations/{invitation.pk}/revoquer/"
    )

    assert response.status_code == 405
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_department_manager_cannot_act_on_another_departments_invitation(
    departments: tuple[Department, Department],
) -> None:
    loisirs, travaux = departments
    invitation = pending_invitation(role=Role.PROJECT_MODERATOR, department=travaux)

    response = client_of(department_manager(loisirs)).post(
        f"/gestion/equipe/invitations/{invitation.pk}/revoquer/", follow=True
    )

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_invitations_cannot_be_edited_or_deleted(
    departments: tuple[Department, Department],
) -> None:
    invitation = pending_invitation()
    client = client_of(administrator())

    # Addresses unknown to /gestion/ end on the public site's "page not found".
    assert client.get(f"{LIST}edit/{invitation.pk}/", follow=True).status_code == 404
    assert client.post(f"{LIST}delete/{invitation.pk}/", follow=True).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()
