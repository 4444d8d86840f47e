"""The accounts part of `seed_demo`: the demo resident has given one consent, once. The city is
seeded once for the module (`demo_city`); each test's changes are rolled back."""

import io

import pytest
from django.core.management import call_command

from agora.accounts.demo import DEMO_RESIDENT_EMAIL
from agora.accounts.models import Consent, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]


def seed_demo() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_resident_follows_project_news() -> None:

    resident = User.objects.get(email=DEMO_RESIDENT_EMAIL)
    assert list(resident.consents.active().values_list("purpose", flat=True)) == [
        Consent.Purpose.PROJECT_NEWS
    ]


def test_seeding_again_keeps_the_first_consent() -> None:
    first = Consent.objects.get()

    seed_demo()

    assert list(Consent.objects.all()) == [first]
