"""Who may do what with a project: one line per permission. The object is a `ProjectPage` in
any language; the predicates look at its source page, which owns moderators and contributions.
docs/roles.md states the same matrix in words and the tests walk it."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from agora.accounts.rules import (
    is_administrator,
    is_department_manager,
    is_elected_official,
    is_project_moderator,
)


@predicate
def moderates_project(user: Any, project: Any) -> bool:
    if project is None or not getattr(user, "pk", None):
        return False
    return bool(project.source.moderator_assignments.filter(user=user).exists())


@predicate
def manages_project_department(user: Any, project: Any) -> bool:
    if project is None or not getattr(user, "pk", None):
        return False
    department = project.source.department
    return department is not None and bool(department.managers.filter(pk=user.pk).exists())


is_project_team = is_project_moderator & moderates_project
is_department_lead = is_department_manager & manages_project_department

add_perm("participation.edit_project", is_administrator | is_project_team)
add_perm("participation.moderate_project", is_administrator | is_project_team)
add_perm(
    "participation.view_project_dashboard",
    is_administrator | is_project_team | is_department_lead | is_elected_official,
)
add_perm("participation.assign_moderators", is_administrator | is_department_lead)
add_perm(
    "participation.export_contributions", is_administrator | is_project_team | is_department_lead
)
add_perm("participation.export_personal_data", is_administrator)
