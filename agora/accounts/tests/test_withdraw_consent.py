"""`withdraw_consent` dates the withdrawal of a resident's consent; the record stays."""

import datetime

import pytest
import time_machine

from agora.accounts import services
from agora.accounts.models import Consent
from agora.accounts.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

NEWS = Consent.Purpose.PROJECT_NEWS
WITHDRAWAL = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)


def test_the_withdrawal_is_dated_and_the_consent_kept() -> None:
    resident = ResidentFactory.create()
    consent = services.grant_consent(user=resident, purpose=NEWS)

    with time_machine.travel(WITHDRAWAL, tick=False):
        withdrawn = services.withdraw_consent(user=resident, purpose=NEWS)

    consent.refresh_from_db()
    assert withdrawn == 1
    assert consent.withdrawn_at == WITHDRAWAL
    assert not resident.consents.active().exists()


def test_withdrawing_a_consent_never_given_changes_nothing() -> None:
    resident = ResidentFactory.create()

    assert services.withdraw_consent(user=resident, purpose=NEWS) == 0
    assert not Consent.objects.exists()


def test_only_that_purpose_and_that_person_are_affected() -> None:
    resident, neighbour = ResidentFactory.create(), ResidentFactory.create()
    services.grant_consent(user=resident, purpose=Consent.Purpose.SURVEY_INVITATIONS)
    services.grant_consent(user=resident, purpose=NEWS)
    services.grant_consent(user=neighbour, purpose=NEWS)

    services.withdraw_consent(user=resident, purpose=NEWS)

    assert list(resident.consents.active().values_list("purpose", flat=True)) == [
        "survey_invitations"
    ]
    assert neighbour.consents.active().count() == 1
