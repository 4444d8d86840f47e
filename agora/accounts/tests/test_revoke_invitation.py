"""revoke(): the link stops working; the invitation stays in the list, revoked."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.accounts.invitations import revoke
from agora.accounts.models import Invitation
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    administrator,
    department_manager,
    pending_invitation,
)
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_administrator_revokes_a_pending_invitation_and_it_is_audited() -> None:
    admin = administrator()
    invitation = pending_invitation()

    revoke(actor=admin, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert invitation.revoked_at is not None
    entry = AuditEntry.objects.get(action="invitation.revoked")
    assert entry.actor == admin
    assert entry.object_id == str(invitation.pk)


def test_a_department_manager_revokes_an_invitation_to_their_department() -> None:
    department = DepartmentFactory.create()
    invitation = pending_invitation(role=Role.PROJECT_MODERATOR, department=department)

    revoke(actor=department_manager(department), invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


def test_a_department_manager_cannot_revoke_an_invitation_of_another_department() -> None:
    own, other = DepartmentFactory.create(), DepartmentFactory.create()
    invitation = pending_invitation(role=Role.PROJECT_MODERATOR, department=other)

    with pytest.raises(PermissionDenied):
        revoke(actor=department_manager(own), invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert not AuditEntry.objects.exists()


def test_an_accepted_invitation_cannot_be_revoked() -> None:
    invitation = pending_invitation(status=Invitation.Status.ACCEPTED)

    with pytest.raises(ValidationError):
        revoke(actor=administrator(), invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert not AuditEntry.objects.exists()
