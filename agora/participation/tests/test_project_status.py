"""A project's status, on its page and in the listing: "Participation terminée" as soon as no
phase in which residents take part is open, even while information phases go on."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from agora.core.tests.html import find_all
from agora.participation.models import ProjectIndexPage, ProjectPage, ProjectStatus
from agora.participation.selectors import with_listing_status
from agora.participation.tests.factories import (
    ProjectPageFactory,
    idea_box_phase,
    information_phase,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def days(number: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=number)


def listed_status(project: ProjectPage) -> str:
    listed = with_listing_status(ProjectPage.objects.filter(pk=project.pk), timezone.localdate())
    status: str = listed.get().listing_status
    return status


def card_status(client: Client, index: ProjectIndexPage) -> list[str]:
    return [
        badge.text
        for badge in find_all(client.get(index.url).content, "span", class_="status-badge")
    ]


def test_a_project_whose_participation_closed_is_listed_as_participation_terminee(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(
        parent=project_index,
        phases=[
            idea_box_phase(start_date=days(-30), end_date=days(-1)),
            information_phase(name="Analyse", start_date=days(0), end_date=days(30)),
        ],
    )

    assert project.status() == ProjectStatus.FINISHED
    assert listed_status(project) == ProjectStatus.FINISHED
    assert card_status(client, project_index) == ["Participation terminée"]


def test_a_project_whose_idea_box_is_open_is_in_progress(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(
        parent=project_index, phases=[idea_box_phase(start_date=days(-3), end_date=days(0))]
    )

    assert project.status() == ProjectStatus.IN_PROGRESS
    assert listed_status(project) == ProjectStatus.IN_PROGRESS
    assert card_status(client, project_index) == ["En cours"]


def test_a_project_between_two_participation_phases_is_still_in_progress(
    project_index: ProjectIndexPage,
) -> None:
    project = ProjectPageFactory.create(
        parent=project_index,
        phases=[
            idea_box_phase(start_date=days(-30), end_date=days(-10)),
            idea_box_phase(name="Deuxième tour", start_date=days(10), end_date=days(30)),
        ],
    )

    assert project.status() == ProjectStatus.IN_PROGRESS
    assert listed_status(project) == ProjectStatus.IN_PROGRESS


def test_a_project_of_information_only_finishes_with_its_last_phase(
    project_index: ProjectIndexPage,
) -> None:
    running = ProjectPageFactory.create(
        parent=project_index, phases=[information_phase(start_date=days(-5), end_date=days(5))]
    )
    over = ProjectPageFactory.create(
        parent=project_index, phases=[information_phase(start_date=days(-9), end_date=days(-1))]
    )

    assert (running.status(), listed_status(running)) == (ProjectStatus.IN_PROGRESS,) * 2
    assert (over.status(), listed_status(over)) == (ProjectStatus.FINISHED,) * 2
