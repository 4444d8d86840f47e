"""Archiving a project from /gestion/projets/: the project's team archives it and brings it
back; nobody else can; every language follows, and the audit log records it."""

import pytest
from django.test import Client
from django.urls import reverse

from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.models import AuditEntry
from agora.participation.models import ProjectPage, ProjectStatus
from agora.participation.tests.project_team import another_project, moderator_of

pytestmark = pytest.mark.django_db


def archive_url(project: ProjectPage) -> str:
    return reverse("participation_admin:archive", args=[project.pk])


def test_the_projects_moderator_archives_it_in_every_language(
    project: ProjectPage, english_project: ProjectPage
) -> None:
    client = client_of(moderator_of(project))

    response = client.post(archive_url(project))

    assert response.status_code == 302
    for page in (project, english_project):
        page.refresh_from_db()
        assert page.archived_at is not None
        assert page.status() == ProjectStatus.ARCHIVED
    assert AuditEntry.objects.filter(action="project.archived").count() == 1


def test_archiving_again_changes_nothing_and_bringing_it_back_works(
    project: ProjectPage, english_project: ProjectPage
) -> None:
    client = client_of(administrator())
    client.post(archive_url(project))
    client.post(archive_url(project))
    assert AuditEntry.objects.filter(action="project.archived").count() == 1

    client.post(archive_url(project), {"archived": "0"})

    english_project.refresh_from_db()
    assert english_project.archived_at is None
    assert AuditEntry.objects.filter(action="project.unarchived").count() == 1


def test_a_moderator_of_another_project_cannot_archive_it_and_nothing_changes(
    project: ProjectPage,
) -> None:
    outsider = moderator_of(another_project(project))

    response = client_of(outsider).post(archive_url(project))

    assert response.status_code == 403
    project.refresh_from_db()
    assert project.archived_at is None
    assert not AuditEntry.objects.filter(action="project.archived").exists()


def test_archiving_takes_a_post(project: ProjectPage) -> None:
    response = client_of(administrator()).get(archive_url(project))

    assert response.status_code == 405
    project.refresh_from_db()
    assert project.archived_at is None


def test_an_archived_project_is_listed_only_under_archived(
    client: Client, project: ProjectPage
) -> None:
    client_of(administrator()).post(archive_url(project))

    assert "Parc riverain" not in client.get("/fr/projets/").content.decode()
    assert "Parc riverain" in client.get("/fr/projets/?statut=archived").content.decode()
