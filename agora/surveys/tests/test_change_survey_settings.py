"""Changing a survey's settings (builder_services.change_survey_settings): saved with the
old and new value of each setting that changed in the audit log; refused, with nothing written, when the
settings are not valid or would take the survey out of its builder's reach."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.accounts.tests.team_factories import DepartmentFactory, administrator
from agora.core.models import AuditEntry
from agora.pages.models import HomePage
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import in_department, manager_of, moderator_of
from agora.surveys import audit_actions
from agora.surveys.builder_services import change_survey_settings
from agora.surveys.building import BuilderRefusalError
from agora.surveys.models import Survey
from agora.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def test_the_changed_settings_are_saved_with_their_old_and_new_values_in_the_audit_log(
    home: HomePage,
) -> None:
    admin = administrator()
    survey = SurveyFactory.create(title_fr="Vos parcs")
    survey.title_fr = "Vos parcs et vos places"
    change_survey_settings(actor=admin, survey=survey)
    assert Survey.objects.get(pk=survey.pk).title_fr == "Vos parcs et vos places"
    entry = AuditEntry.objects.get(action=audit_actions.SURVEY_SETTINGS_CHANGED)
    assert entry.actor == admin
    assert entry.details == {
        "changes": {"title_fr": {"before": "Vos parcs", "after": "Vos parcs et vos places"}}
    }


def test_a_manager_cannot_move_a_survey_to_a_department_they_do_not_manage(
    project: ProjectPage,
) -> None:
    department = in_department(project)
    manager = manager_of(project)
    survey = SurveyFactory.create(department=department)
    survey.department = DepartmentFactory.create()
    with pytest.raises(BuilderRefusalError):
        change_survey_settings(actor=manager, survey=survey)
    assert Survey.objects.get(pk=survey.pk).department == department
    assert not AuditEntry.objects.exists()


def test_closing_before_opening_is_refused_and_nothing_changes(home: HomePage) -> None:
    survey = SurveyFactory.create()
    opens_at = survey.opens_at
    survey.closes_at = opens_at
    with pytest.raises(ValidationError) as refusal:
        change_survey_settings(actor=administrator(), survey=survey)
    assert "closes_at" in refusal.value.message_dict
    closes_at = Survey.objects.get(pk=survey.pk).closes_at
    assert opens_at is not None
    assert closes_at is not None
    assert closes_at > opens_at
    assert not AuditEntry.objects.exists()


def test_a_moderator_of_another_project_may_not_change_the_survey(project: ProjectPage) -> None:
    survey = SurveyFactory.create()
    with pytest.raises(PermissionDenied):
        change_survey_settings(actor=moderator_of(project), survey=survey)
    assert not AuditEntry.objects.exists()
