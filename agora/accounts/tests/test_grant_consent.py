"""`grant_consent` records a resident's consent to one purpose, dated."""

import datetime

import pytest
import time_machine

from agora.accounts import services
from agora.accounts.models import Consent
from agora.accounts.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

NEWS = Consent.Purpose.PROJECT_NEWS
MARCH = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
APRIL = datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC)


def test_the_consent_is_recorded_with_its_date() -> None:
    resident = ResidentFactory.create()

    with time_machine.travel(MARCH, tick=False):
        consent = services.grant_consent(user=resident, purpose=NEWS)

    assert consent.granted_at == MARCH
    assert consent.withdrawn_at is None
    assert list(resident.consents.active()) == [consent]


def test_giving_it_again_keeps_the_first_date() -> None:
    resident = ResidentFactory.create()
    with time_machine.travel(MARCH, tick=False):
        first = services.grant_consent(user=resident, purpose=NEWS)

    with time_machine.travel(APRIL, tick=False):
        again = services.grant_consent(user=resident, purpose=NEWS)

    assert again == first
    assert Consent.objects.count() == 1


def test_giving_it_after_a_withdrawal_starts_a_new_record_and_keeps_the_history() -> None:
    resident = ResidentFactory.create()
    with time_machine.travel(MARCH, tick=False):
        services.grant_consent(user=resident, purpose=NEWS)
        services.withdraw_consent(user=resident, purpose=NEWS)

    with time_machine.travel(APRIL, tick=False):
        services.grant_consent(user=resident, purpose=NEWS)

    history = list(
        resident.consents.order_by("granted_at").values_list("granted_at", "withdrawn_at")
    )
    assert history == [(MARCH, MARCH), (APRIL, None)]


def test_each_purpose_is_its_own_consent() -> None:
    resident = ResidentFactory.create()

    services.grant_consent(user=resident, purpose=NEWS)

    assert not resident.consents.active().filter(purpose=Consent.Purpose.SURVEY_INVITATIONS)
