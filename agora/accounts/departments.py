"""Municipal departments: administrators name them and choose their managers and members."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agora.accounts import audit_actions
from agora.accounts.models import Department, User
from agora.core import audit


@transaction.atomic
def create_department(
    *, actor: User, name: str, managers: Iterable[User] = (), members: Iterable[User] = ()
) -> Department:
    _check_may_manage(actor)
    department = Department(name=name.strip())
    department.full_clean()
    department.save()
    department.managers.set(list(managers))
    department.members.set(list(members))
    audit.record(
        actor=actor,
        action=audit_actions.DEPARTMENT_CREATED,
        target=department,
        details={
            "name": department.name,
            "managers": _names(department.managers.all()),
            "members": _names(department.members.all()),
        },
    )
    return department


@transaction.atomic
def update_department(
    *,
    actor: User,
    department: Department,
    name: str,
    managers: Iterable[User],
    members: Iterable[User],
) -> Department:
    _check_may_manage(actor)
    department = Department.objects.select_for_update().get(pk=department.pk)
    old_name = department.name
    old_managers = set(department.managers.all())
    old_members = set(department.members.all())
    new_managers, new_members = set(managers), set(members)
    department.name = name.strip()
    department.full_clean()
    department.save(update_fields=["name"])
    department.managers.set(new_managers)
    department.members.set(new_members)
    details: dict[str, object] = {"name": department.name}
    if old_name != department.name:
        details["previous_name"] = old_name
    details |= {
        "managers_added": _names(new_managers - old_managers),
        "managers_removed": _names(old_managers - new_managers),
        "members_added": _names(new_members - old_members),
        "members_removed": _names(old_members - new_members),
    }
    audit.record(
        actor=actor, action=audit_actions.DEPARTMENT_UPDATED, target=department, details=details
    )
    return department


def _check_may_manage(actor: User) -> None:
    if not actor.has_perm("accounts.manage_departments"):
        raise PermissionDenied(_("Seul un administrateur peut gérer les services municipaux."))


def _names(users: Iterable[User]) -> list[str]:
    return sorted(f"{user} <{user.email}>" for user in users)
