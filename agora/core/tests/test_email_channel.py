"""The e-mail channel against a real SMTP server on loopback: a message arrives with its
headers; a server that is down means a retry later; a refused address stops the delivery."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings
from time_machine import TimeMachineFixture

from agora.core.deliveries import RETRY_DELAYS
from agora.core.email import enqueue_email
from agora.core.models import Delivery
from tests.loopback import free_port, smtp_server, text_of

pytestmark = pytest.mark.django_db

UNSUBSCRIBE = "https://ville.example/fr/abonnements/projets/desabonnement/abc/"


@pytest.fixture(autouse=True)
def test_templates(settings: Any) -> None:
    templates = Path(__file__).parent / "templates"
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates]}]


def use_smtp(settings: Any, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


def send(captured: Any, *, key: str = "test:marie") -> Delivery:
    with captured(execute=True):
        delivery = enqueue_email(
            to="marie@example.org",
            template="test_email/message",
            context={"name": "Marie"},
            language="fr",
            unsubscribe_url=UNSUBSCRIBE,
            key=key,
        )
    delivery.refresh_from_db()
    return delivery


def test_a_delivery_reaches_a_real_smtp_server_with_its_unsubscribe_headers(
    settings: Settings, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with smtp_server() as (inbox, port):
        use_smtp(settings, port)
        delivery = send(django_capture_on_commit_callbacks)
        message = inbox.wait_for("marie@example.org")

    assert message["Subject"] == "Bonjour Marie"
    assert text_of(message).strip() == "Message for Marie."
    assert str(message["List-Unsubscribe"]).strip() == f"<{UNSUBSCRIBE}>"  # may be folded
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert delivery.state == Delivery.State.SENT
    assert len(inbox.messages) == 1


def test_when_the_smtp_server_is_down_the_message_waits_for_its_next_attempt(
    settings: Settings,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to("2026-12-07 09:00:00-05:00", tick=False)
    use_smtp(settings, free_port())  # nothing listens there

    delivery = send(django_capture_on_commit_callbacks)

    assert delivery.state == Delivery.State.PENDING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at == timezone.now() + RETRY_DELAYS[0]
    assert "ConnectionRefusedError" in delivery.last_error


class RefusingHandler:
    """An SMTP server that knows no mailbox."""

    async def handle_RCPT(  # noqa: N802  (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        return "550 5.1.1 No such mailbox"


@contextmanager
def refusing_smtp_server() -> Iterator[int]:
    controller = Controller(RefusingHandler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


def test_an_address_the_server_refuses_stops_the_delivery(
    settings: Settings,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with refusing_smtp_server() as port:
        time_machine.move_to("2026-12-07 09:00:00-05:00", tick=False)
        use_smtp(settings, port)
        delivery = send(django_capture_on_commit_callbacks)

    assert delivery.state == Delivery.State.FAILED
    assert delivery.last_error == "recipient refused (550)"
    assert delivery.next_attempt_at is None
    assert delivery.sent_at is None
