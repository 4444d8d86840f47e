"""Who may do what with a survey: one line per permission. The object is a `Survey`, saved or
not (the builder asks about a survey before saving it, so that nobody moves a survey out of
their own reach). docs/roles.md and docs/surveys.md state the same matrix in words, and
tests/test_survey_permissions.py walks it.

A survey belongs to a department (its own, or its project's) and, as a phase component, to a
project. Like a project, a project's moderators build its survey and the department's managers
(or an administrator) publish it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from rules.permissions import add_perm
from rules.predicates import predicate

from agora.accounts.models import Department
from agora.accounts.rules import (
    is_administrator,
    is_department_manager,
    is_elected_official,
    is_project_moderator,
)
from agora.participation.models import ProjectModerator, ProjectPage


def _is_user(user: Any) -> bool:
    return bool(getattr(user, "pk", None))


@predicate
def manages_survey_department(user: Any, survey: Any) -> bool:
    """The survey's own department, or its project's, is one the person manages."""
    if survey is None or not _is_user(user):
        return False
    conditions = Q()
    if survey.department_id is not None:
        conditions |= Q(pk=survey.department_id)
    if survey.project_id is not None:
        conditions |= Q(
            pk__in=ProjectPage.objects.filter(pk=survey.project_id).values("department_id")
        )
    if not conditions:
        return False
    return bool(Department.objects.filter(conditions, managers=user).exists())


@predicate
def moderates_survey_project(user: Any, survey: Any) -> bool:
    if survey is None or survey.project_id is None or not _is_user(user):
        return False
    return bool(ProjectModerator.objects.filter(project_id=survey.project_id, user=user).exists())


is_survey_department_lead = is_department_manager & manages_survey_department
is_survey_team = is_project_moderator & moderates_survey_project

# The "Sondages" menu of /gestion/ (each screen then asks about the survey itself).
add_perm(
    "surveys.list_surveys",
    is_administrator | is_department_manager | is_project_moderator | is_elected_official,
)
# Building: a moderator creates surveys for the projects they moderate, a manager for their
# department; the form keeps each within that reach.
add_perm("surveys.add_survey", is_administrator | is_department_manager | is_project_moderator)
add_perm("surveys.change_survey", is_administrator | is_survey_department_lead | is_survey_team)
add_perm("surveys.preview_survey", is_administrator | is_survey_department_lead | is_survey_team)
# Publishing is approving: the department's managers or an administrator, as for projects.
# The team submits the survey for their approval (approval.py).
add_perm("surveys.submit_survey", is_administrator | is_survey_department_lead | is_survey_team)
add_perm("surveys.approve_survey", is_administrator | is_survey_department_lead)
add_perm("surveys.publish_survey", is_administrator | is_survey_department_lead)
# Once published, a survey's settings (dates, audience, response policy, visibility of its
# results) are the city's word to residents: only those who publish change them.
add_perm("surveys.change_published_survey_settings", is_administrator | is_survey_department_lead)
# Once a survey has responses, its team still corrects the spelling of a choice's label; a
# label that would change the meaning of the answers already given is the publishers' call
# (choice_labels.py).
add_perm("surveys.change_answered_choice_meaning", is_administrator | is_survey_department_lead)
# Results
add_perm(
    "surveys.view_survey_results",
    is_administrator | is_survey_department_lead | is_survey_team | is_elected_official,
)
# Responses held as possibly stuffed (agora/core/held.py): counted or discarded by the team.
add_perm(
    "surveys.review_held_responses",
    is_administrator | is_survey_department_lead | is_survey_team,
)
add_perm("surveys.export_raw", is_administrator | is_survey_department_lead | is_survey_team)
add_perm("surveys.publish_excerpt", is_administrator | is_survey_department_lead | is_survey_team)
