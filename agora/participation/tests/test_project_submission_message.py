"""After submitting their project for approval from the page editor, the moderator is back on
the project's dashboard, told who will approve it."""

import pytest
from django.contrib.messages import get_messages

from agora.accounts.tests.team_factories import DepartmentFactory, client_of
from agora.participation.models import ProjectPage
from agora.participation.tests.page_editor import edit_form, post_edit
from agora.participation.tests.project_team import in_department, manager_of, moderator_of

pytestmark = pytest.mark.django_db


def test_the_moderator_returns_to_the_dashboard_told_who_will_approve(
    project: ProjectPage,
) -> None:
    in_department(project, DepartmentFactory.create(name="Service des loisirs"))
    manager = manager_of(project)
    manager.first_name, manager.last_name = "Marie", "Tremblay"
    manager.save()
    client = client_of(moderator_of(project))

    response = post_edit(client, project.pk, edit_form(client, project.pk), "action-submit")

    assert response.status_code == 302
    assert response["Location"] == f"/gestion/projets/{project.pk}/tableau-de-bord/"
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert (
        "Soumis pour approbation. Les gestionnaires du service Service des loisirs "
        "(Marie Tremblay) seront avisés."
    ) in told


def test_a_project_without_department_names_the_administrators(project: ProjectPage) -> None:
    ProjectPage.objects.filter(translation_key=project.translation_key).update(department=None)
    client = client_of(moderator_of(project))

    response = post_edit(client, project.pk, edit_form(client, project.pk), "action-submit")

    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Soumis pour approbation. Les administrateurs de la plateforme seront avisés." in told


def test_saving_a_draft_keeps_the_editor(project: ProjectPage) -> None:
    client = client_of(moderator_of(project))

    response = post_edit(client, project.pk, edit_form(client, project.pk))

    assert "tableau-de-bord" not in response.get("Location", "")


def test_only_agoras_message_tells_of_the_submission(project: ProjectPage) -> None:
    client = client_of(moderator_of(project))

    response = post_edit(client, project.pk, edit_form(client, project.pk), "action-submit")

    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert len(told) == 1
    assert told[0].startswith("Soumis pour approbation.")
