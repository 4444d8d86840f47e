"""The anonymous participants in the personal-data registry (Loi 25): the participants that
are a person (her account's, and any that confirmed one of her addresses) are in her export;
deleting her account unlinks them and erases their address, and touches no one else's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from agora.accounts.models import User
from agora.accounts.services import delete_account, export_personal_data
from agora.accounts.tests.factories import ResidentFactory
from agora.core.models import Participant
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident() -> User:
    return ResidentFactory.create(email="lea@example.org", first_name="Léa", last_name="Roy")


def test_a_participant_who_confirmed_her_address_before_she_signed_up_is_hers(
    resident: User,
) -> None:
    earlier = ParticipantFactory.create(email="Lea@Example.org", email_verified_at=timezone.now())
    ParticipantFactory.create(email="paul@example.org", email_verified_at=timezone.now())

    exported = export_personal_data(user=resident)["participants"]

    assert [participant["email"] for participant in exported] == [earlier.email]


def test_her_participants_lose_their_link_and_address_and_no_one_elses_do(
    resident: User,
) -> None:
    own = ParticipantFactory.create(user=resident)
    earlier = ParticipantFactory.create(email="lea@example.org", email_verified_at=timezone.now())
    typed_by_someone = ParticipantFactory.create(email="lea@example.org")
    stranger = ParticipantFactory.create(email="paul@example.org", email_verified_at=timezone.now())

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
