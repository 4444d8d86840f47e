"""Who may do what: one line per permission. docs/roles.md is the same matrix in words, and
agora/accounts/tests/test_roles_matrix.py walks every role against every permission."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import is_authenticated, is_group_member, is_superuser, predicate

from agora.accounts.roles import GROUP_NAMES, Role


def _in_role(role: Role) -> Any:
    return is_group_member(GROUP_NAMES[role])


is_administrator = is_superuser | _in_role(Role.ADMINISTRATOR)
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
add_perm("accounts.delete_own_account", is_authenticated & ~is_administrator)
