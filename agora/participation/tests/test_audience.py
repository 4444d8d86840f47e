"""Who may take part in a component (an idea box, a survey): one check, whatever the
component, of the audience its settings name."""

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from agora.accounts.tests.factories import ResidentFactory
from agora.participation.models import Audience
from agora.participation.participants import AudienceGap, audience_gap
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def people() -> dict[str, dict[str, object]]:
    unverified = ResidentFactory(email="sans.preuve@example.org")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    return {
        "a visitor never seen": {"user": None, "participant": None},
        "a participant without an address": {"user": None, "participant": ParticipantFactory()},
        "a participant who confirmed an address": {
            "user": None,
            "participant": ParticipantFactory(
                email="confirme@example.org", email_verified_at=timezone.now()
            ),
        },
        "a resident signed in with a verified address": {
            "user": ResidentFactory(email="verifie@example.org"),
            "participant": None,
        },
        "a resident signed in whose address is not verified": {
            "user": unverified,
            "participant": None,
        },
    }


EXPECTED = {
    Audience.ANYONE: {},
    Audience.VERIFIED_EMAIL: {
        "a visitor never seen": AudienceGap.NEEDS_VERIFIED_EMAIL,
        "a participant without an address": AudienceGap.NEEDS_VERIFIED_EMAIL,
        "a resident signed in whose address is not verified": AudienceGap.NEEDS_VERIFIED_EMAIL,
    },
    Audience.ACCOUNT: {
        "a visitor never seen": AudienceGap.NEEDS_ACCOUNT,
        "a participant without an address": AudienceGap.NEEDS_ACCOUNT,
        "a participant who confirmed an address": AudienceGap.NEEDS_ACCOUNT,
    },
}


@pytest.mark.parametrize("audience", list(Audience))
def test_each_person_is_told_what_they_lack_for_each_audience(audience):
    gaps = {
        who: audience_gap(audience, user=person["user"], participant=person["participant"])
        for who, person in people().items()
    }

    expected = {who: EXPECTED[audience].get(who) for who in gaps}
    assert gaps == expected
