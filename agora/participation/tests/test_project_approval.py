"""A moderator's project is published through Wagtail's approval workflow: the moderator
submits it, the managers of its department or an administrator approve it (which publishes it,
once it meets the participation framework) or ask for changes."""

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks
from wagtail.models import TaskState

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import administrator, client_of
from agora.participation.approval import ProjectApprovalTask, project_workflow
from agora.participation.models import ProjectPage
from agora.participation.tests.page_editor import edit_form, post_edit
from agora.participation.tests.project_team import (
    another_project,
    in_department,
    manager_of,
    moderator_of,
    role,
)

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "Un parc le long de la rivière, pour tout le quartier."


def submitted(project: ProjectPage, moderator: User) -> ProjectPage:
    client = client_of(moderator)
    data = edit_form(client, project.pk)
    data["summary"] = NEW_SUMMARY
    response = post_edit(client, project.pk, data, "action-submit")
    assert response.status_code == 302
    project.refresh_from_db()
    return project


def test_projects_go_through_the_project_approval_workflow(
    project: ProjectPage, english_project: ProjectPage
) -> None:
    workflow = project_workflow()

    assert workflow is not None
    assert project.get_workflow() == workflow
    assert english_project.get_workflow() == workflow
    assert isinstance(workflow.tasks.first().specific, ProjectApprovalTask)


def test_a_moderator_submits_their_project_for_approval(project: ProjectPage) -> None:
    project = submitted(project, moderator_of(project))

    assert project.workflow_in_progress
    assert isinstance(project.current_workflow_task, ProjectApprovalTask)
    assert project.summary != NEW_SUMMARY  # not published yet


def test_the_submission_reaches_the_department_managers_and_the_administrators(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    manager = manager_of(project)
    admin = administrator(email="admin@ville.example")
    outsider = manager_of(another_project(project))
    moderator = moderator_of(project)

    with django_capture_on_commit_callbacks(execute=True):
        submitted(project, moderator)

    recipients = {address for message in mail.outbox for address in message.to}
    assert {manager.email, admin.email} <= recipients
    assert outsider.email not in recipients
    assert moderator.email not in recipients
    assert any(project.title in message.subject for message in mail.outbox)
    reviewable = TaskState.objects.reviewable_by
    assert reviewable(manager).count() == 1
    assert reviewable(admin).count() == 1
    assert reviewable(outsider).count() == 0


def test_the_moderator_cannot_change_a_project_waiting_for_approval(project: ProjectPage) -> None:
    moderator = moderator_of(project)
    project = submitted(project, moderator)

    assert project.current_workflow_task.locked_for_user(project, moderator)
    assert project.current_workflow_task.get_actions(project, moderator) == []


def test_an_administrator_approves_and_the_project_is_published(project: ProjectPage) -> None:
    project = submitted(project, moderator_of(project))
    client = client_of(administrator())

    response = post_edit(client, project.pk, edit_form(client, project.pk), "approve")

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.summary == NEW_SUMMARY
    assert not project.workflow_in_progress


def test_a_manager_of_the_department_approves_it(project: ProjectPage) -> None:
    manager = manager_of(project)
    project = submitted(project, moderator_of(project))
    client = client_of(manager)

    response = post_edit(client, project.pk, edit_form(client, project.pk), "approve")

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.summary == NEW_SUMMARY


def test_a_manager_of_another_department_cannot_open_or_approve_it(project: ProjectPage) -> None:
    in_department(project)
    outsider = manager_of(another_project(project))
    project = submitted(project, moderator_of(project))

    response = client_of(outsider).get(f"/gestion/pages/{project.pk}/edit/")

    assert response.status_code in (302, 403)
    assert project.current_workflow_task.get_actions(project, outsider) == []
    assert not project.permissions_for_user(outsider).can_publish()


def test_other_roles_cannot_approve(project: ProjectPage) -> None:
    project = submitted(project, moderator_of(project))
    task = project.current_workflow_task

    for name in (Role.COMMUNICATIONS, Role.ELECTED_OFFICIAL, Role.CLERK, Role.PROJECT_MODERATOR):
        assert task.get_actions(project, role(name)) == [], name


def test_approval_still_requires_the_participation_framework(project: ProjectPage) -> None:
    project = submitted(project, moderator_of(project))
    client = client_of(administrator())
    data = edit_form(client, project.pk)
    data["target_audience"] = ""

    response = post_edit(client, project.pk, data, "approve")

    assert response.status_code == 200  # the form comes back with the missing field
    project.refresh_from_db()
    assert project.target_audience == "Les résidents du quartier"
    assert project.workflow_in_progress


def test_an_incomplete_project_cannot_be_submitted(project: ProjectPage) -> None:
    moderator = moderator_of(project)
    client = client_of(moderator)
    data = edit_form(client, project.pk)
    data["target_audience"] = ""

    response = post_edit(client, project.pk, data, "action-submit")

    assert response.status_code == 200
    project.refresh_from_db()
    assert not project.workflow_in_progress


def test_a_reviewer_asks_for_changes_and_the_moderator_edits_again(project: ProjectPage) -> None:
    moderator = moderator_of(project)
    project = submitted(project, moderator)
    client = client_of(administrator())
    data = edit_form(client, project.pk)
    data["workflow-action-extra-data"] = '{"comment": "Précisez le budget."}'

    post_edit(client, project.pk, data, "reject")

    project.refresh_from_db()
    assert not project.current_workflow_task
    assert client_of(moderator).get(f"/gestion/pages/{project.pk}/edit/").status_code == 200


def test_a_draft_cannot_send_the_project_to_another_department(project: ProjectPage) -> None:
    department = in_department(project)
    manager = manager_of(project)
    outsider = manager_of(another_project(project))
    moderator = moderator_of(project)
    client = client_of(moderator)
    data = edit_form(client, project.pk)
    data["department"] = str(outsider.managed_departments.get().pk)

    post_edit(client, project.pk, data, "action-submit")

    project.refresh_from_db()
    assert project.department == department
    draft = project.get_latest_revision_as_object()
    assert project.current_workflow_task.get_actions(draft, outsider) == []
    assert project.current_workflow_task.get_actions(draft, manager) != []
