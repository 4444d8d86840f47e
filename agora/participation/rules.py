"""Who may do what with a project: one line per permission. The object is a `ProjectPage` in
any language; the predicates look at its source page, which owns moderators and contributions.
docs/roles.md states the same matrix in words and the tests walk it.

Wagtail's page editor asks `page_permissions.py`, which answers from these permissions."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from agora.accounts.rules import (
    is_administrator,
    is_department_manager,
    is_elected_official,
    is_project_moderator,
)
from agora.participation.models import ProjectPage


@predicate
def moderates_project(user: Any, project: Any) -> bool:
    if project is None or project.pk is None or not getattr(user, "pk", None):
        return False
    return bool(project.source.moderator_assignments.filter(user=user).exists())


@predicate
def manages_project_department(user: Any, project: Any) -> bool:
    if project is None or project.pk is None or not getattr(user, "pk", None):
        return False
    # The department as saved, not as a draft waiting for approval would change it.
    source = project.source
    return bool(ProjectPage.objects.filter(pk=source.pk, department__managers=user).exists())


is_project_team = is_project_moderator & moderates_project
is_department_lead = is_department_manager & manages_project_department

# Building projects (the page editor of /gestion/)
add_perm("participation.create_project", is_administrator | is_project_moderator)
add_perm("participation.edit_project", is_administrator | is_project_team)
add_perm("participation.approve_project", is_administrator | is_department_lead)
# Running them
add_perm("participation.moderate_project", is_administrator | is_project_team)
add_perm("participation.assign_moderators", is_administrator | is_department_lead)
# Following them
add_perm(
    "participation.list_projects",
    is_administrator | is_department_manager | is_project_moderator | is_elected_official,
)
add_perm(
    "participation.view_project_dashboard",
    is_administrator | is_project_team | is_department_lead | is_elected_official,
)
add_perm(
    "participation.export_contributions", is_administrator | is_project_team | is_department_lead
)
add_perm("participation.export_personal_data", is_administrator)
