"""What participation holds about a person, in the personal-data registry (Loi 25): the
participants that are her, the projects she follows and moderates. Deleting her account
unlinks her participants, ends her follows and her assignments, and touches no one else."""

from __future__ import annotations

import pytest
from django.utils import timezone

from agora.accounts.models import User
from agora.accounts.services import delete_account, export_personal_data
from agora.accounts.tests.factories import ResidentFactory
from agora.participation.models import Participant, ProjectFollower, ProjectModerator, ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident() -> User:
    return ResidentFactory(email="lea@example.org", first_name="Léa", last_name="Roy")


def test_a_participant_who_confirmed_her_address_before_she_signed_up_is_hers(
    resident: User,
) -> None:
    earlier = ParticipantFactory(email="Lea@Example.org", email_verified_at=timezone.now())
    ParticipantFactory(email="paul@example.org", email_verified_at=timezone.now())

    exported = export_personal_data(user=resident)["participation"]["participants"]

    assert [participant["email"] for participant in exported] == [earlier.email]


def test_her_participants_lose_their_link_and_address_and_no_one_elses_do(
    resident: User,
) -> None:
    own = ParticipantFactory(user=resident)
    earlier = ParticipantFactory(email="lea@example.org", email_verified_at=timezone.now())
    typed_by_someone = ParticipantFactory(email="lea@example.org")
    stranger = ParticipantFactory(email="paul@example.org", email_verified_at=timezone.now())

    delete_account(user=resident)

    for participant in (own, earlier, typed_by_someone):
        participant.refresh_from_db()
        assert (participant.user_id, participant.email, participant.email_verified_at) == (
            None,
            "",
            None,
        )
    stranger.refresh_from_db()
    assert stranger.email == "paul@example.org"
    assert Participant.objects.count() == 4


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
