"""Adding and changing a section (builder_services.add_section, change_section): a new one
goes last, each change is written to the audit log; a section without a title, or a change by
someone who may not build the survey, is refused and nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agora.accounts.tests.team_factories import administrator
from agora.core.models import AuditEntry
from agora.pages.models import HomePage
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import moderator_of
from agora.surveys import audit_actions
from agora.surveys.builder_services import add_section, change_section
from agora.surveys.models import Section
from agora.surveys.tests.factories import SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def test_a_new_section_goes_last_and_is_written_to_the_audit_log(home: HomePage) -> None:
    admin = administrator()
    survey = SurveyFactory.create(published_at=None)
    first = SectionFactory.create(survey=survey, position=4)
    section = add_section(actor=admin, section=Section(survey=survey, title_fr="Vos habitudes"))
    assert section.position == first.position + 1
    entry = AuditEntry.objects.get(action=audit_actions.SURVEY_SECTION_ADDED)
    assert entry.actor == admin
    assert entry.details == {"section": section.pk, "title": "Vos habitudes"}


def test_a_section_without_a_title_is_refused(home: HomePage) -> None:
    survey = SurveyFactory.create(published_at=None)
    with pytest.raises(ValidationError) as refusal:
        add_section(actor=administrator(), section=Section(survey=survey, title_fr=""))
    assert "title_fr" in refusal.value.message_dict
    assert not Section.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_changed_section_is_saved_and_written_to_the_audit_log(home: HomePage) -> None:
    section = SectionFactory.create(title_fr="Vos habitudes")
    section.title_fr = "Vos habitudes au parc"
    change_section(actor=administrator(), section=section)
    assert Section.objects.get(pk=section.pk).title_fr == "Vos habitudes au parc"
    assert AuditEntry.objects.filter(action=audit_actions.SURVEY_SECTION_CHANGED).count() == 1


def test_someone_who_may_not_build_the_survey_is_refused(project: ProjectPage) -> None:
    section = SectionFactory.create(title_fr="Vos habitudes")
    section.title_fr = "Autre chose"
    with pytest.raises(PermissionDenied):
        change_section(actor=moderator_of(project), section=section)
    assert Section.objects.get(pk=section.pk).title_fr == "Vos habitudes"
    assert not AuditEntry.objects.exists()
