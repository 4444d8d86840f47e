"""`seed_demo` never runs in production: it creates a known password. On an empty database, so
that "nothing was written" means nothing at all."""

import io

import pytest
from django.core.management import CommandError, call_command
from pytest_django import Settings

from agora.accounts.demo import DEMO_ADMIN_EMAIL
from agora.accounts.models import User
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


def test_it_refuses_to_run_in_production(settings: Settings) -> None:
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=io.StringIO())

    assert not User.objects.filter(email=DEMO_ADMIN_EMAIL).exists()
    assert not HomePage.objects.exists()
