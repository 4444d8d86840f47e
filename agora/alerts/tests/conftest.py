"""Fixtures of the text message and call tests: a real Kannel gateway on loopback (one per
test process), and Agora served for its callbacks, with the settings that join them; a fake
Twilio REST API on loopback (one per test process) and the settings that point at it."""

from collections.abc import Iterator

import pytest
from pytest_django import Settings

from agora.alerts.tests.kannel_gateway import (
    CITY_NUMBER,
    CallbackServer,
    KannelGateway,
    kannel_missing,
)
from agora.alerts.tests.twilio_server import CITY_NUMBER as TWILIO_CITY_NUMBER
from agora.alerts.tests.twilio_server import FakeTwilio


@pytest.fixture(scope="session")
def kannel_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KannelGateway]:
    """bearerbox, smsbox and fakesmsc with a throwaway configuration, stopped at the end of
    the session (or by their watchdog if pytest dies). Skips when Kannel is not installed."""
    missing = kannel_missing()
    if missing is not None:
        pytest.skip(f"Kannel test gateway unavailable: {missing}")
    gateway = KannelGateway(tmp_path_factory.mktemp("kannel"))
    gateway.start()
    try:
        yield gateway
    finally:
        gateway.stop()


@pytest.fixture
def kannel(kannel_gateway: KannelGateway, settings: Settings) -> Iterator[CallbackServer]:
    """The gateway, with Agora's settings pointing at it and Agora serving its callbacks:
    yields the callback server (its calls, and the lock a test holds to use the database)."""
    settings.KANNEL_SENDSMS_URL = kannel_gateway.sendsms_url
    settings.KANNEL_USERNAME = kannel_gateway.username
    settings.KANNEL_PASSWORD = kannel_gateway.password
    settings.KANNEL_INBOUND_SECRET = kannel_gateway.inbound_secret
    settings.SMS_SENDER = CITY_NUMBER
    settings.SMS_PUBLIC_BASE_URL = kannel_gateway.callback_base_url
    with CallbackServer().serving(kannel_gateway.callback_port) as server:
        yield server


# Twilio (agora/alerts/tests/twilio_server.py) ------------------------------------------------


@pytest.fixture(scope="session")
def twilio_server() -> Iterator[FakeTwilio]:
    """The fake Twilio REST API on a free loopback port, stopped at the end of the session."""
    with FakeTwilio().running() as server:
        yield server


@pytest.fixture
def fake_twilio(twilio_server: FakeTwilio, settings: Settings) -> FakeTwilio:
    """The fake, emptied, with Agora's settings pointing at it; Twilio calls back through
    the test client (http://testserver). Calls are not paced (the pace has its own test)."""
    twilio_server.reset()
    settings.TWILIO_API_BASE_URL = twilio_server.base_url
    settings.TWILIO_ACCOUNT_SID = twilio_server.account_sid
    settings.TWILIO_AUTH_TOKEN = twilio_server.auth_token
    settings.TWILIO_FROM_NUMBER = TWILIO_CITY_NUMBER
    settings.TWILIO_PUBLIC_BASE_URL = "http://testserver"
    settings.SITE_URL = "https://www.ville.exemple.ca"
    settings.VOICE_CALLS_PER_SECOND = 10_000
    settings.SMS_MESSAGES_PER_SECOND = 10_000
    return twilio_server
