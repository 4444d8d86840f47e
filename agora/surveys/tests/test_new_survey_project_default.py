"""The "Nouveau sondage" form starts on a project its moderator moderates: their only one, or
the one changed most recently."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.tests.html import find, find_all
from agora.participation.models import ProjectModerator, ProjectPage
from agora.participation.tests.project_team import another_project, moderator_of

pytestmark = pytest.mark.django_db


def selected_project(html: str) -> list[str]:
    project = find(html, "select", name="project")
    return [option.text for option in find_all(project, "option") if "selected" in option.attrs]


def test_a_moderator_of_one_project_finds_it_chosen(project: ProjectPage) -> None:
    page = client_of(moderator_of(project)).get("/gestion/sondages/nouveau/")

    assert selected_project(page.content.decode()) == [project.title]


def test_a_moderator_of_several_projects_finds_the_last_changed_chosen(
    project: ProjectPage,
) -> None:
    moderator = moderator_of(project)
    recent = another_project(project, title="Rue Principale")
    ProjectModerator.objects.create(project=recent, user=moderator)
    ProjectPage.objects.filter(pk=recent.pk).update(latest_revision_created_at=timezone.now())
    ProjectPage.objects.filter(pk=project.pk).update(
        latest_revision_created_at=timezone.now() - datetime.timedelta(days=3)
    )

    page = client_of(moderator).get("/gestion/sondages/nouveau/")

    assert selected_project(page.content.decode()) == ["Rue Principale"]


def test_an_administrator_starts_on_no_project(project: ProjectPage) -> None:
    page = client_of(administrator()).get("/gestion/sondages/nouveau/")

    assert selected_project(page.content.decode()) == ["Aucun : sondage indépendant"]
