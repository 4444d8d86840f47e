"""invite(): who may invite whom, what is stored, what is sent, and what is refused."""

import hashlib
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.accounts.invitations import invite
from agora.accounts.models import Invitation
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    administrator,
    department_manager,
    pending_invitation,
    resident,
)
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db

TOKEN_IN_LINK = re.compile(r"/invitation/([A-Za-z0-9_-]{43})/")


def test_an_administrator_invites_to_any_role_and_the_link_is_mailed_once_committed(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    admin = administrator()

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(inviter=admin, email=" Nouvelle@Example.org ", role=Role.COMMUNICATIONS)

    assert invitation.email == "nouvelle@example.org"
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.invited_by == admin
    assert invitation.send_count == 1
    (message,) = mail.outbox
    assert message.to == ["nouvelle@example.org"]
    link = TOKEN_IN_LINK.search(str(message.body))
    assert link is not None
    token = link.group(1)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_only_the_hash_of_the_token_is_stored(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(inviter=administrator(), email="a@example.org", role=Role.CLERK)

    link = TOKEN_IN_LINK.search(str(mail.outbox[0].body))
    assert link is not None
    token = link.group(1)
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in str(stored)


def test_the_invitation_expires_after_14_days(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)

    invitation = invite(inviter=administrator(), email="a@example.org", role=Role.CLERK)

    assert invitation.expires_at.isoformat() == "2026-03-16T14:00:00+00:00"


def test_the_e_mail_is_not_sent_before_the_transaction_commits(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(inviter=administrator(), email="a@example.org", role=Role.CLERK)

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_sending_an_invitation_is_written_to_the_audit_log() -> None:
    admin = administrator()
    department = DepartmentFactory.create(name="Loisirs")

    invitation = invite(
        inviter=admin, email="a@example.org", role=Role.PROJECT_MODERATOR, department=department
    )

    entry = AuditEntry.objects.get(action="invitation.sent")
    assert entry.actor == admin
    assert entry.object_id == str(invitation.pk)
    assert entry.details == {
        "email": "a@example.org",
        "role": "project_moderator",
        "department": "Loisirs",
    }


def test_a_department_manager_invites_a_moderator_to_the_department_they_manage(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    department = DepartmentFactory.create()
    manager = department_manager(department)

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(
            inviter=manager,
            email="m@example.org",
            role=Role.PROJECT_MODERATOR,
            department=department,
        )

    assert invitation.department == department
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("role", "own_department"),
    [
        (Role.PROJECT_MODERATOR, False),  # another department
        (Role.DEPARTMENT_MANAGER, False),
        (Role.ADMINISTRATOR, False),  # a role outside departments
        (Role.COMMUNICATIONS, False),
    ],
)
def test_a_department_manager_cannot_invite_outside_their_department_and_nothing_is_written(
    role: Role,
    own_department: bool,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    own, other = DepartmentFactory.create(), DepartmentFactory.create()
    manager = department_manager(own)
    department = other if role in (Role.PROJECT_MODERATOR, Role.DEPARTMENT_MANAGER) else None

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        invite(inviter=manager, email="x@example.org", role=role, department=department)

    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.exists()
    assert mail.outbox == []


def test_a_resident_cannot_invite_anyone(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        invite(inviter=resident(), email="x@example.org", role=Role.CLERK)

    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_department_role_without_a_department_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        invite(inviter=administrator(), email="x@example.org", role=Role.DEPARTMENT_MANAGER)

    assert "service municipal" in refused.value.message_dict["department"][0]
    assert not Invitation.objects.exists()


def test_a_department_is_refused_for_a_role_outside_departments() -> None:
    with pytest.raises(ValidationError) as refused:
        invite(
            inviter=administrator(),
            email="x@example.org",
            role=Role.COMMUNICATIONS,
            department=DepartmentFactory.create(),
        )

    assert "laissez ce champ vide" in refused.value.message_dict["department"][0]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("email", "role"), [("pas-une-adresse", "clerk"), ("a@example.org", "pope")]
)
def test_bad_input_is_refused_and_nothing_is_written(
    email: str, role: str, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        invite(inviter=administrator(), email=email, role=role)

    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.exists()
    assert mail.outbox == []


def test_a_second_pending_invitation_to_the_same_address_role_and_department_is_refused(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    admin = administrator()
    department = DepartmentFactory.create()
    pending_invitation(
        email="x@example.org", role=Role.PROJECT_MODERATOR, department=department, invited_by=admin
    )

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        invite(
            inviter=admin,
            email="X@example.org",
            role=Role.PROJECT_MODERATOR,
            department=department,
        )

    assert "Une invitation en attente existe déjà" in refused.value.messages[0]
    assert Invitation.objects.count() == 1
    assert mail.outbox == []


def test_the_same_address_may_be_invited_to_another_role_or_department() -> None:
    admin = administrator()
    first, second = DepartmentFactory.create(), DepartmentFactory.create()
    pending_invitation(email="x@example.org", role=Role.PROJECT_MODERATOR, department=first)

    invite(inviter=admin, email="x@example.org", role=Role.PROJECT_MODERATOR, department=second)
    invite(inviter=admin, email="x@example.org", role=Role.DEPARTMENT_MANAGER, department=first)

    assert Invitation.objects.count() == 3


def test_an_expired_or_revoked_invitation_does_not_prevent_a_new_one(
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    admin = administrator()
    pending_invitation(email="x@example.org", role=Role.CLERK, token="expired")
    pending_invitation(
        email="x@example.org", role=Role.CLERK, token="revoked", status=Invitation.Status.REVOKED
    )
    time_machine.shift(15 * 24 * 3600)

    invite(inviter=admin, email="x@example.org", role=Role.CLERK)

    assert Invitation.objects.count() == 3
