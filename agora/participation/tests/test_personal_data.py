"""What participation holds about a person, in the personal-data registry (Loi 25): the
projects she follows and moderates. Deleting her account ends her follows and her
assignments, and touches no one else. Her participants are core's
(agora/core/tests/test_participants_personal_data.py)."""

from __future__ import annotations

import pytest

from agora.accounts.models import User
from agora.accounts.services import delete_account, export_personal_data
from agora.accounts.tests.factories import ResidentFactory
from agora.participation.models import ProjectFollower, ProjectModerator, ProjectPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident() -> User:
    return ResidentFactory.create(email="lea@example.org", first_name="Léa", last_name="Roy")


def test_she_stops_following_and_moderating_projects(resident: User, project: ProjectPage) -> None:
    ProjectFollower.objects.create(project=project, email="lea@example.org")
    ProjectFollower.objects.create(project=project, email="paul@example.org")
    ProjectModerator.objects.create(project=project, user=resident)

    exported = export_personal_data(user=resident)["participation"]
    delete_account(user=resident)

    assert [follow["project"] for follow in exported["followed_projects"]] == [project.title]
    assert [moderated["project"] for moderated in exported["moderated_projects"]] == [project.title]
    assert list(ProjectFollower.objects.values_list("email", flat=True)) == ["paul@example.org"]
    assert not ProjectModerator.objects.exists()
