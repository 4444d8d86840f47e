"""accept(): the role is given once, to the person the invitation was sent to."""

import pytest
from django.contrib.auth.models import Group
from time_machine import TimeMachineFixture

from agora.accounts import invitations
from agora.accounts.invitations import accept
from agora.accounts.models import Invitation, User
from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.tests.team_factories import (
    TOKEN,
    DepartmentFactory,
    administrator,
    pending_invitation,
    resident,
)
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _groups(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_accepting_gives_the_role_and_access_to_the_back_office() -> None:
    person = resident(email="invitee@example.org")
    invitation = pending_invitation(email="invitee@example.org", role=Role.COMMUNICATIONS)

    accept(token=TOKEN, user=person)

    person.refresh_from_db()
    assert _groups(person) == {GROUP_NAMES[Role.COMMUNICATIONS]}
    assert person.is_staff
    assert person.has_perm("wagtailadmin.access_admin")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == person
    assert invitation.accepted_at is not None


def test_the_group_of_the_role_is_created_if_it_was_deleted() -> None:
    Group.objects.filter(name=GROUP_NAMES[Role.CLERK]).delete()
    person = resident(email="invitee@example.org")
    pending_invitation(role=Role.CLERK)

    accept(token=TOKEN, user=person)

    assert _groups(person) == {GROUP_NAMES[Role.CLERK]}


def test_a_department_manager_manages_the_department_of_the_invitation() -> None:
    department = DepartmentFactory.create()
    person = resident(email="invitee@example.org")
    pending_invitation(role=Role.DEPARTMENT_MANAGER, department=department)

    accept(token=TOKEN, user=person)

    assert list(department.managers.all()) == [person]
    assert person.has_perm("accounts.invite_to_department", department)


def test_a_project_moderator_joins_the_department_of_the_invitation() -> None:
    department = DepartmentFactory.create()
    person = resident(email="invitee@example.org")
    pending_invitation(role=Role.PROJECT_MODERATOR, department=department)

    accept(token=TOKEN, user=person)

    assert list(department.members.all()) == [person]
    assert not department.managers.exists()


def test_accepting_is_written_to_the_audit_log() -> None:
    person = resident(email="invitee@example.org")
    invitation = pending_invitation(invited_by=administrator())

    accept(token=TOKEN, user=person)

    entry = AuditEntry.objects.get(action="invitation.accepted")
    assert entry.actor == person
    assert entry.object_id == str(invitation.pk)


def test_the_address_is_compared_without_regard_to_case() -> None:
    person = resident(email="invitee@example.org")
    pending_invitation(email="Invitee@Example.org")

    accept(token=TOKEN, user=person)

    assert person.groups.exists()


def _nothing_was_given(person: User) -> None:
    person.refresh_from_db()
    assert not person.groups.exists()
    assert not person.is_staff
    assert not AuditEntry.objects.filter(action="invitation.accepted").exists()


def test_a_link_works_only_once() -> None:
    person = resident(email="invitee@example.org")
    pending_invitation()
    accept(token=TOKEN, user=person)

    with pytest.raises(invitations.InvitationAlreadyUsedError) as refused:
        accept(token=TOKEN, user=person)

    assert "déjà été acceptée" in str(refused.value)
    assert AuditEntry.objects.filter(action="invitation.accepted").count() == 1


def test_an_expired_link_is_refused_and_nothing_is_given(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    person = resident(email="invitee@example.org")
    invitation = pending_invitation()
    time_machine.move_to("2026-03-16 10:00:01-04:00", tick=False)  # 14 days and a second

    with pytest.raises(invitations.InvitationExpiredError) as refused:
        accept(token=TOKEN, user=person)

    assert "a expiré" in str(refused.value)
    _nothing_was_given(person)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_link_still_works_on_its_last_day(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to("2026-03-02 09:00:00-05:00", tick=False)
    person = resident(email="invitee@example.org")
    pending_invitation()
    time_machine.move_to("2026-03-16 09:59:00-04:00", tick=False)

    accept(token=TOKEN, user=person)

    assert person.groups.exists()


def test_a_revoked_link_is_refused_and_nothing_is_given() -> None:
    person = resident(email="invitee@example.org")
    pending_invitation(status=Invitation.Status.REVOKED)

    with pytest.raises(invitations.InvitationRevokedError) as refused:
        accept(token=TOKEN, user=person)

    assert "annulée" in str(refused.value)
    _nothing_was_given(person)


def test_an_unknown_link_is_refused_and_nothing_is_given() -> None:
    person = resident(email="invitee@example.org")
    pending_invitation()

    with pytest.raises(invitations.InvitationUnknownError) as refused:
        accept(token="not-the-token", user=person)

    assert "n'est pas valide" in str(refused.value)
    _nothing_was_given(person)


def test_a_person_with_another_address_cannot_accept_and_nothing_is_given() -> None:
    person = resident(email="someone-else@example.org")
    invitation = pending_invitation(email="invitee@example.org")

    with pytest.raises(invitations.InvitationForAnotherAddressError) as refused:
        accept(token=TOKEN, user=person)

    assert "autre adresse" in str(refused.value)
    _nothing_was_given(person)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_each_refusal_has_its_own_message() -> None:
    messages = {
        str(error())
        for error in (
            invitations.InvitationUnknownError,
            invitations.InvitationExpiredError,
            invitations.InvitationRevokedError,
            invitations.InvitationAlreadyUsedError,
            invitations.InvitationForAnotherAddressError,
        )
    }
    assert len(messages) == 5
