"""Creating a survey (builder_services.create_survey): saved with its themes and its author,
written to the audit log; refused, with nothing written, when its settings are not valid or
when it would fall outside its author's reach."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory, administrator
from agora.core.models import AuditEntry, Theme
from agora.pages.models import HomePage
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import another_project, moderator_of
from agora.surveys import audit_actions
from agora.surveys.builder_services import OUT_OF_REACH, create_survey
from agora.surveys.building import BuilderRefusalError
from agora.surveys.models import ResponsePolicy, Survey, SurveyKind

pytestmark = pytest.mark.django_db


def new_survey(**fields: Any) -> Survey:
    now = timezone.now()
    values: dict[str, Any] = {
        "title_fr": "Vos parcs",
        "slug": "vos-parcs",
        "kind": SurveyKind.ONE_OFF,
        "opens_at": now,
        "closes_at": now + datetime.timedelta(days=30),
    }
    values.update(fields)
    return Survey(**values)


def test_an_administrator_creates_a_survey_with_its_themes_and_an_audit_row(home: HomePage) -> None:
    admin = administrator()
    theme = Theme.objects.create(name_fr="Parcs", name_en="Parks", slug="parcs")
    survey = create_survey(actor=admin, survey=new_survey(), themes=[theme])
    survey.refresh_from_db()
    assert survey.created_by == admin
    assert list(survey.themes.all()) == [theme]
    entry = AuditEntry.objects.get(action=audit_actions.SURVEY_CREATED)
    assert entry.actor == admin
    assert entry.object_id == str(survey.pk)


def test_a_moderator_creates_a_survey_for_a_project_they_moderate(project: ProjectPage) -> None:
    moderator = moderator_of(project)
    survey = create_survey(actor=moderator, survey=new_survey(project=project))
    assert survey.project == project
    assert AuditEntry.objects.filter(action=audit_actions.SURVEY_CREATED).count() == 1


def test_a_survey_out_of_its_authors_reach_is_refused_and_nothing_is_written(
    project: ProjectPage,
) -> None:
    moderator = moderator_of(project)
    elsewhere = another_project(project)
    with pytest.raises(BuilderRefusalError) as refusal:
        create_survey(actor=moderator, survey=new_survey(project=elsewhere))
    assert refusal.value.message == str(OUT_OF_REACH)
    assert not Survey.objects.exists()
    assert not AuditEntry.objects.exists()


def test_settings_that_do_not_hold_together_are_refused_field_by_field(home: HomePage) -> None:
    survey = new_survey(opens_at=None, response_policy=ResponsePolicy.DAILY)
    with pytest.raises(ValidationError) as refusal:
        create_survey(actor=administrator(), survey=survey)
    assert set(refusal.value.message_dict) == {"opens_at", "response_policy"}
    assert not Survey.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_survey_without_a_title_is_refused(home: HomePage) -> None:
    with pytest.raises(ValidationError) as refusal:
        create_survey(actor=administrator(), survey=new_survey(title_fr=""))
    assert "title_fr" in refusal.value.message_dict
    assert not Survey.objects.exists()


def test_someone_who_may_not_create_surveys_is_refused(home: HomePage) -> None:
    with pytest.raises(PermissionDenied):
        create_survey(actor=UserFactory.create(roles=[Role.COMMUNICATIONS]), survey=new_survey())
    assert not Survey.objects.exists()
