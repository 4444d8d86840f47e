"""resend(): a new link, valid 14 more days; the old link stops working."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.accounts import invitations
from agora.accounts.invitations import resend
from agora.accounts.models import Invitation
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    TOKEN,
    DepartmentFactory,
    administrator,
    department_manager,
    pending_invitation,
)
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_resending_gives_a_new_link_a_new_expiry_and_counts_the_sending(
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    admin = administrator()
    invitation = pending_invitation(invited_by=admin)
    time_machine.shift(20 * 24 * 3600)  # expired by now

    with django_capture_on_commit_callbacks(execute=True):
        resend(actor=admin, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert invitation.expires_at.isoformat() == "2026-04-05T14:00:00+00:00"
    assert invitation.token_hash != invitations.hash_token(TOKEN)
    (message,) = mail.outbox
    assert message.to == [invitation.email]
    with pytest.raises(invitations.InvitationUnknownError):
        invitations.find_by_token(TOKEN)


def test_resending_is_written_to_the_audit_log() -> None:
    admin = administrator()
    invitation = pending_invitation()

    resend(actor=admin, invitation=invitation)

    entry = AuditEntry.objects.get(action="invitation.resent")
    assert entry.actor == admin
    assert entry.object_id == str(invitation.pk)
    assert entry.details["send_count"] == 2


@pytest.mark.parametrize("status", [Invitation.Status.ACCEPTED, Invitation.Status.REVOKED])
def test_only_a_pending_invitation_is_resent(
    status: Invitation.Status, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    invitation = pending_invitation(status=status)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        resend(actor=administrator(), invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.send_count == 1
    assert mail.outbox == []
    assert not AuditEntry.objects.exists()


def test_a_department_manager_cannot_resend_an_invitation_of_another_department() -> None:
    own, other = DepartmentFactory.create(), DepartmentFactory.create()
    invitation = pending_invitation(role=Role.PROJECT_MODERATOR, department=other)

    with pytest.raises(PermissionDenied):
        resend(actor=department_manager(own), invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.send_count == 1
    assert mail.outbox == []
