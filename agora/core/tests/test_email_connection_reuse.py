"""E-mails sent inside `deliveries.batch(["email"])` share one SMTP connection, against a real
SMTP server on loopback that counts the connections it was given: one for the whole batch,
one per message outside a batch; a recipient refused in the middle costs the others
nothing, and a batch whose server is down leaves every message for its next attempt."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_django import Settings

from agora.core import deliveries, pace
from agora.core.models import Delivery
from tests.loopback import Inbox, free_port

pytestmark = pytest.mark.django_db


class CountingInbox(Inbox):
    """Keeps each message's connection (the client's address and port) too, and refuses
    the addresses in `refused`."""

    def __init__(self, refused: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.refused = refused
        self.peers: list[Any] = []

    async def handle_RCPT(  # noqa: N802  (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.peers.append(session.peer)
        return await super().handle_DATA(server, session, envelope)

    @property
    def connections(self) -> int:
        return len(set(self.peers))


@contextmanager
def counting_server(settings: Settings, refused: tuple[str, ...] = ()) -> Iterator[CountingInbox]:
    inbox = CountingInbox(refused)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


def pending(count: int, refused_at: int | None = None) -> list[int]:
    ids = []
    for index in range(count):
        address = "refuse@example.org" if index == refused_at else f"person{index}@example.org"
        ids.append(
            Delivery.objects.create(
                key=f"test-batch:{index}",
                channel="email",
                recipient=address,
                language="fr",
                payload={"subject": f"Message {index}", "text": "Bonjour."},
            ).pk
        )
    return ids


def test_a_batch_of_emails_uses_one_smtp_connection(settings: Settings) -> None:
    ids = pending(5)
    with counting_server(settings) as inbox:
        with deliveries.batch(["email"]):
            states = [deliveries.send_attempt(delivery_id=pk, attempt=0) for pk in ids]
        inbox.wait_for("person4@example.org")

    assert states == [Delivery.State.SENT] * 5
    assert len(inbox.messages) == 5
    assert inbox.connections == 1


def test_outside_a_batch_each_email_opens_its_own_connection(settings: Settings) -> None:
    ids = pending(3)
    with counting_server(settings) as inbox:
        for pk in ids:
            deliveries.send_attempt(delivery_id=pk, attempt=0)
        inbox.wait_for("person2@example.org")

    assert len(inbox.messages) == 3
    assert inbox.connections == 3


def test_a_recipient_refused_mid_batch_stops_only_its_own_delivery(settings: Settings) -> None:
    ids = pending(4, refused_at=1)
    with counting_server(settings, refused=("refuse@example.org",)) as inbox:
        with deliveries.batch(["email"]):
            states = [deliveries.send_attempt(delivery_id=pk, attempt=0) for pk in ids]
        inbox.wait_for("person3@example.org")

    assert states == [
        Delivery.State.SENT,
        Delivery.State.FAILED,
        Delivery.State.SENT,
        Delivery.State.SENT,
    ]
    assert sorted(str(message["To"]) for message in inbox.messages) == [
        "person0@example.org",
        "person2@example.org",
        "person3@example.org",
    ]
    assert inbox.connections == 1


def test_a_batch_whose_server_is_down_leaves_every_email_for_its_next_attempt(
    settings: Settings,
) -> None:
    ids = pending(2)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 5},
        }
    }
    with deliveries.batch(["email"]):
        states = [deliveries.send_attempt(delivery_id=pk, attempt=0) for pk in ids]

    assert states == [Delivery.State.PENDING, Delivery.State.PENDING]
    assert all(
        "ConnectionRefusedError" in error
        for error in Delivery.objects.values_list("last_error", flat=True)
    )


def test_a_batch_of_a_channel_that_shares_nothing_or_of_no_known_channel_still_sends(
    settings: Settings,
) -> None:
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    ids = pending(2)
    with deliveries.batch(["email", "email", "no-such-channel"]):
        states = [deliveries.send_attempt(delivery_id=pk, attempt=0) for pk in ids]

    assert states == [Delivery.State.SENT, Delivery.State.SENT]


def test_a_paced_server_gets_no_more_emails_a_second_than_the_setting(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.EMAIL_MESSAGES_PER_SECOND = 2
    clock = {"now": 1_000.0}
    waited: list[float] = []

    def pause(seconds: float) -> None:
        waited.append(seconds)
        clock["now"] += seconds

    real_wait = pace.wait_for_a_slot
    monkeypatch.setattr(
        pace,
        "wait_for_a_slot",
        lambda key, limit: real_wait(key, limit, clock=lambda: clock["now"], pause=pause),
    )
    ids = pending(5)

    with counting_server(settings) as inbox, deliveries.batch(["email"]):
        for delivery_id in ids:
            deliveries.send_attempt(delivery_id=delivery_id, attempt=0)

    assert len(inbox.messages) == 5
    assert len(waited) == 2  # 2 in the first second, 2 in the next, 1 in the third
