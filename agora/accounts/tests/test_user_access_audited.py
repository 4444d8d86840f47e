"""Every change of someone's roles, staff flag or superuser flag is in the audit log, with
its actor when there is one, from the service, Wagtail's bulk "Assign role", and the paths no
screen sees (a command, the shell) for the superuser flag."""

import pytest
from django.contrib.auth.models import Group

from agora.accounts import services
from agora.accounts.models import User
from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.tests.team_factories import UserFactory, administrator, client_of
from agora.core.models import AuditEntry
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

ACCESS_CHANGED = "user.access_changed"


def _entries_about(user: User) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=ACCESS_CHANGED, object_id=str(user.pk)))


def _group(role: Role) -> Group:
    return Group.objects.get(name=GROUP_NAMES[role])


def test_a_change_of_roles_and_flags_writes_one_entry_with_old_and_new_values(
    home: HomePage,
) -> None:
    root = User.objects.create_superuser("racine@ville.example", "un-mot-de-passe-solide")
    target = UserFactory.create(roles=[Role.CLERK])

    services.change_access(
        actor=root,
        user=target,
        groups=[_group(Role.COMMUNICATIONS)],
        is_staff=True,
        is_superuser=True,
    )

    [entry] = _entries_about(target)
    assert entry.actor == root
    assert entry.details == {
        "groups": {
            "before": [GROUP_NAMES[Role.CLERK]],
            "after": [GROUP_NAMES[Role.COMMUNICATIONS]],
        },
        "is_superuser": {"before": False, "after": True},
    }


def test_nothing_changed_writes_nothing(home: HomePage) -> None:
    target = UserFactory.create(roles=[Role.CLERK])

    services.change_access(
        actor=administrator(), user=target, groups=[_group(Role.CLERK)], is_staff=True
    )

    assert _entries_about(target) == []


def test_the_bulk_assign_role_of_the_users_list_is_audited(home: HomePage) -> None:
    admin = administrator()
    first, second = UserFactory.create(), UserFactory.create()
    clerks = _group(Role.CLERK)

    response = client_of(admin).post(
        f"/gestion/bulk/accounts/user/assign_role/?id={first.pk}&id={second.pk}",
        {"role": clerks.pk},
    )

    assert response.status_code == 302
    for user in (first, second):
        assert clerks in user.groups.all()
        [entry] = _entries_about(user)
        assert entry.actor == admin
        assert entry.details["groups"]["after"] == [clerks.name]


def test_a_superuser_made_in_the_shell_is_in_the_log_without_an_actor(home: HomePage) -> None:
    target = UserFactory.create()

    target.is_superuser = True
    target.save()

    [entry] = _entries_about(target)
    assert entry.actor is None
    assert entry.details == {"is_superuser": {"before": False, "after": True}, "source": "system"}


def test_createsuperuser_is_in_the_log(home: HomePage) -> None:
    root = User.objects.create_superuser("racine@ville.example", "un-mot-de-passe-solide")

    [entry] = _entries_about(root)
    assert entry.details["is_superuser"] == {"before": False, "after": True}


def test_saves_that_leave_the_flag_alone_write_nothing(home: HomePage) -> None:
    root = User.objects.create_superuser("racine@ville.example", "un-mot-de-passe-solide")
    AuditEntry.objects.all().delete()

    root.first_name = "Renommée"
    root.save()
    root.save(update_fields=["last_login"])

    assert _entries_about(root) == []


def test_a_deleted_superuser_account_has_only_its_deletion_entry(home: HomePage) -> None:
    root = User.objects.create_superuser("racine@ville.example", "un-mot-de-passe-solide")
    AuditEntry.objects.all().delete()

    services.delete_account(user=root)

    assert [entry.action for entry in AuditEntry.objects.all()] == ["account.deleted"]
