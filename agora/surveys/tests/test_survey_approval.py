"""A survey's approval (approval.py): its moderator submits it, the managers of its project's
department or an administrator are told and approve it (which publishes it) or ask for changes,
and the moderator is told. Each illegal move is refused with nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.models import User
from agora.accounts.tests.team_factories import DepartmentFactory, administrator
from agora.core.models import AuditEntry
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import another_project, manager_of, moderator_of
from agora.surveys import approval
from agora.surveys.models import ReviewState, Survey
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db

# Every test runs with the clock stopped here (conftest.py).
CLOCK = SUBMITTED = "2026-03-02T10:00:00-05:00"


def ready_draft(project: ProjectPage) -> Survey:
    survey = SurveyFactory.create(project=project, published_at=None)
    QuestionFactory.create(section__survey=survey, kind="yes_no")
    return survey


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def audited(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_a_moderator_submits_a_survey_and_its_approvers_are_told(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    survey = ready_draft(project)
    moderator = moderator_of(project)
    manager = manager_of(project)
    admin = administrator(email="admin@ville.example")
    outsider = manager_of(another_project(project, department=DepartmentFactory.create()))

    with django_capture_on_commit_callbacks(execute=True):
        approval.submit_for_approval(survey=survey, actor=moderator)

    survey.refresh_from_db()
    assert survey.review_state == ReviewState.AWAITING_APPROVAL
    assert (survey.submitted_by, survey.submitted_at) == (
        moderator,
        datetime.datetime.fromisoformat(SUBMITTED),
    )
    assert not survey.is_published
    assert recipients() == {manager.email, admin.email}
    assert outsider.email not in recipients()
    message = next(m for m in mail.outbox if manager.email in m.to)
    assert survey.title_fr in message.subject
    assert f"/gestion/sondages/{survey.pk}/approbation/" in message.body
    [entry] = audited("survey.submitted_for_approval")
    assert (entry.actor, entry.object_id) == (moderator, str(survey.pk))


def test_the_waiting_survey_names_its_approvers_and_the_date(project: ProjectPage) -> None:
    survey = ready_draft(project)
    manager = manager_of(project)
    manager.first_name, manager.last_name = "Marie", "Tremblay"
    manager.save()
    department = project.source.department
    assert department is not None

    survey = approval.submit_for_approval(survey=survey, actor=moderator_of(project))

    assert approval.awaiting_label(survey) == (
        f"En attente des gestionnaires de {department.name} (Marie Tremblay) depuis le 2 mars 2026"
    )


def test_a_survey_with_problems_cannot_be_submitted(project: ProjectPage) -> None:
    survey = SurveyFactory.create(project=project, published_at=None)
    SectionFactory.create(survey=survey)

    with pytest.raises(approval.SurveyReviewRefusalError, match="au moins une section"):
        approval.submit_for_approval(survey=survey, actor=moderator_of(project))

    survey.refresh_from_db()
    assert survey.review_state == ReviewState.DRAFT
    assert not audited("survey.submitted_for_approval")
    assert not mail.outbox


def test_a_survey_is_not_submitted_twice(project: ProjectPage) -> None:
    survey = ready_draft(project)
    moderator = moderator_of(project)
    approval.submit_for_approval(survey=survey, actor=moderator)

    with pytest.raises(approval.SurveyReviewRefusalError, match="attend déjà"):
        approval.submit_for_approval(survey=survey, actor=moderator)

    assert len(audited("survey.submitted_for_approval")) == 1


def test_a_published_survey_is_not_submitted(project: ProjectPage) -> None:
    survey = SurveyFactory.create(project=project)
    QuestionFactory.create(section__survey=survey, kind="yes_no")

    with pytest.raises(approval.SurveyReviewRefusalError, match="déjà publié"):
        approval.submit_for_approval(survey=survey, actor=moderator_of(project))


def test_the_moderator_of_another_project_cannot_submit_it(project: ProjectPage) -> None:
    survey = ready_draft(project)

    with pytest.raises(PermissionDenied):
        approval.submit_for_approval(survey=survey, actor=moderator_of(another_project(project)))

    survey.refresh_from_db()
    assert survey.review_state == ReviewState.DRAFT


def submitted(project: ProjectPage) -> tuple[Survey, User]:
    survey = ready_draft(project)
    moderator = moderator_of(project, email="moderation@ville.example")
    approval.submit_for_approval(survey=survey, actor=moderator)
    mail.outbox.clear()
    return survey, moderator


def test_a_manager_approves_the_survey_which_publishes_it_and_the_moderator_is_told(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    survey, moderator = submitted(project)
    manager = manager_of(project)

    with django_capture_on_commit_callbacks(execute=True):
        approval.approve_survey(survey=survey, actor=manager, comment="Beau travail.")

    survey.refresh_from_db()
    assert survey.is_published
    assert survey.review_state == ReviewState.PUBLISHED
    assert recipients() == {moderator.email}
    assert "Beau travail." in mail.outbox[0].body
    [approved] = audited("survey.approved")
    assert (approved.actor, approved.details) == (manager, {"comment": "Beau travail."})
    assert [entry.actor for entry in audited("survey.published")] == [manager]


def test_a_manager_asks_for_changes_and_the_survey_goes_back_to_its_team(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    survey, moderator = submitted(project)
    manager = manager_of(project)

    with django_capture_on_commit_callbacks(execute=True):
        approval.request_changes(survey=survey, actor=manager, comment="Ajoutez une question.")

    survey.refresh_from_db()
    assert survey.review_state == ReviewState.DRAFT
    assert survey.review_comment == "Ajoutez une question."
    assert not survey.is_published
    assert recipients() == {moderator.email}
    assert "Ajoutez une question." in mail.outbox[0].body
    [entry] = audited("survey.changes_requested")
    assert (entry.actor, entry.details) == (manager, {"comment": "Ajoutez une question."})


def test_asking_for_changes_needs_a_comment(project: ProjectPage) -> None:
    survey, _moderator = submitted(project)

    with pytest.raises(approval.SurveyReviewRefusalError, match="ce qu'il faut modifier"):
        approval.request_changes(survey=survey, actor=manager_of(project), comment="  ")

    survey.refresh_from_db()
    assert survey.review_state == ReviewState.AWAITING_APPROVAL
    assert not audited("survey.changes_requested")


def test_a_survey_not_waiting_for_approval_is_neither_approved_nor_sent_back(
    project: ProjectPage,
) -> None:
    survey = ready_draft(project)
    manager = manager_of(project)

    with pytest.raises(approval.SurveyReviewRefusalError, match="n'attend pas"):
        approval.approve_survey(survey=survey, actor=manager)
    with pytest.raises(approval.SurveyReviewRefusalError, match="n'attend pas"):
        approval.request_changes(survey=survey, actor=manager, comment="Non.")

    survey.refresh_from_db()
    assert not survey.is_published
    assert not audited("survey.approved")
    assert not audited("survey.published")


def test_the_moderator_and_other_managers_cannot_approve(project: ProjectPage) -> None:
    survey, moderator = submitted(project)
    outsider = manager_of(another_project(project, department=DepartmentFactory.create()))

    for person in (moderator, outsider):
        with pytest.raises(PermissionDenied):
            approval.approve_survey(survey=survey, actor=person)

    survey.refresh_from_db()
    assert survey.review_state == ReviewState.AWAITING_APPROVAL
    assert not survey.is_published


def test_an_administrator_approves_a_survey_without_department(home: object) -> None:
    survey = SurveyFactory.create(published_at=None)
    QuestionFactory.create(section__survey=survey, kind="yes_no")
    admin = administrator()
    survey.review_state = ReviewState.AWAITING_APPROVAL
    survey.save()

    assert list(approval.approvers_of(survey)) == [admin]
    approval.approve_survey(survey=survey, actor=admin)

    survey.refresh_from_db()
    assert survey.is_published
