"""Who may take part in what a module opens (an idea box, a survey): one check, whatever the
module, of the audience its settings name, and the django-rules predicate made of it."""

from collections.abc import Iterator
from types import SimpleNamespace
from typing import TypedDict

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rules.permissions import add_perm, remove_perm

from agora.accounts.models import User
from agora.accounts.tests.factories import ResidentFactory
from agora.core.audience import (
    Audience,
    AudienceGap,
    TakingPart,
    audience_gap,
    in_audience_of,
    may_take_part,
)
from agora.core.models import Participant
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


class Person(TypedDict):
    user: User | None
    participant: Participant | None


def people() -> dict[str, Person]:
    unverified = ResidentFactory.create(email="sans.preuve@example.org")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    return {
        "a visitor never seen": {"user": None, "participant": None},
        "a participant without an address": {
            "user": None,
            "participant": ParticipantFactory.create(),
        },
        "a participant who confirmed an address": {
            "user": None,
            "participant": ParticipantFactory.create(
                email="confirme@example.org", email_verified_at=timezone.now()
            ),
        },
        "a resident signed in with a verified address": {
            "user": ResidentFactory.create(email="verifie@example.org"),
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
def test_each_person_is_told_what_they_lack_for_each_audience(audience: Audience) -> None:
    gaps = {
        who: audience_gap(audience, user=person["user"], participant=person["participant"])
        for who, person in people().items()
    }

    expected = {who: EXPECTED[audience].get(who) for who in gaps}
    assert gaps == expected


@pytest.mark.parametrize("audience", list(Audience))
def test_the_audience_rule_lets_in_exactly_those_who_lack_nothing(audience: Audience) -> None:
    rule = in_audience_of(lambda wanted: wanted)

    allowed = {
        who: rule.test(
            person["user"] or AnonymousUser(), TakingPart(audience, person["participant"])
        )
        for who, person in people().items()
    }

    assert allowed == {who: EXPECTED[audience].get(who) is None for who in allowed}


def audience_of(survey: SimpleNamespace) -> str:
    return str(survey.audience)


@pytest.fixture
def survey_rule() -> Iterator[str]:
    """A permission a module declares with the rule, as it would in its rules.py."""
    add_perm("core.answer_test_survey", in_audience_of(audience_of))  # type: ignore[no-untyped-call]
    yield "core.answer_test_survey"
    remove_perm("core.answer_test_survey")  # type: ignore[no-untyped-call]


def test_a_module_asks_through_has_perm_for_anonymous_and_signed_in_people(
    survey_rule: str,
) -> None:
    for_residents = SimpleNamespace(audience=Audience.ACCOUNT)
    confirmed = ParticipantFactory.create(
        email="confirme@example.org", email_verified_at=timezone.now()
    )
    resident = ResidentFactory.create(email="verifie@example.org")

    for_verified = SimpleNamespace(audience=Audience.VERIFIED_EMAIL)

    assert not may_take_part(survey_rule, AnonymousUser(), TakingPart(for_residents, confirmed))
    assert may_take_part(survey_rule, resident, TakingPart(for_residents))
    assert may_take_part(survey_rule, AnonymousUser(), TakingPart(for_verified, confirmed))


def test_the_rule_refuses_a_question_about_nothing(survey_rule: str) -> None:
    assert not ResidentFactory.create().has_perm(survey_rule)
