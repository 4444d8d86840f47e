"""Who may do what: one line per permission. docs/roles.md is the same matrix in words, and
agora/accounts/tests/test_roles_matrix.py walks every role against every permission.

A role grants its powers only to a session that has its second factor, wherever the page
is: each role predicate below asks `staff_powers_allowed` (accounts/middleware.py), so every
permission built from them, in every app, asks it too."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import is_authenticated, is_group_member, is_superuser, predicate

from agora.accounts.middleware import staff_powers_allowed
from agora.accounts.roles import GROUP_NAMES, Role

has_staff_powers = predicate(staff_powers_allowed, name="has_staff_powers")


def _in_role(role: Role) -> Any:
    return is_group_member(GROUP_NAMES[role]) & has_staff_powers


# Holding the role, whatever the session: for what a role forbids (an administrator may not
# delete their account), which a missing second factor must not lift.
holds_administrator_role = is_superuser | is_group_member(GROUP_NAMES[Role.ADMINISTRATOR])
is_administrator = holds_administrator_role & has_staff_powers
is_department_manager = _in_role(Role.DEPARTMENT_MANAGER)
is_project_moderator = _in_role(Role.PROJECT_MODERATOR)
is_communications = _in_role(Role.COMMUNICATIONS)
is_clerk = _in_role(Role.CLERK)
is_elected_official = _in_role(Role.ELECTED_OFFICIAL)
is_staff_role = (
    is_administrator
    | is_department_manager
    | is_project_moderator
    | is_communications
    | is_clerk
    | is_elected_official
)


@predicate
def manages_department(user: Any, department: Any) -> bool:
    if department is None:
        return False
    return bool(department.managers.filter(pk=user.pk).exists())


@predicate
def represents_organisation(user: Any, organisation: Any) -> bool:
    if organisation is None:
        return False
    return bool(organisation.members.filter(pk=user.pk).exists())


# The team
add_perm("accounts.invite_any_role", is_administrator)
add_perm(
    "accounts.invite_to_department", is_administrator | (is_department_manager & manages_department)
)
add_perm("accounts.manage_departments", is_administrator)
add_perm("accounts.verify_organisation", is_administrator)
add_perm("core.view_audit_log", is_administrator)
add_perm("core.edit_branding", is_administrator)
add_perm("core.edit_search_synonyms", is_administrator)
# Residents and organisations
add_perm("accounts.create_organisation", is_authenticated)
add_perm("accounts.act_for_organisation", is_authenticated & represents_organisation)
add_perm("accounts.export_own_data", is_authenticated)
add_perm("accounts.delete_own_account", is_authenticated & ~holds_administrator_role)
