"""Deliveries: one message per key, sent after commit by a task, retried with backoff when
the channel fails for now, stopped when it refuses for good, never sent twice."""

import datetime
import logging
from typing import ClassVar

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.core import channels, deliveries
from agora.core.channels import Channel, DeliveryError
from agora.core.deliveries import ATTEMPT_TIMEOUT, RETRY_DELAYS, deliver, enqueue_due
from agora.core.models import Delivery
from agora.core.personal_data import DataSubject
from agora.core.tasks import send_delivery

pytestmark = pytest.mark.django_db

START = "2026-12-07 09:00:00-05:00"


class ScriptedChannel(Channel):
    """Fails as its script says, attempt after attempt; records what it sent."""

    name = "scripted"
    script: ClassVar[list[DeliveryError | Exception | None]] = []
    sent: ClassVar[list[str]] = []

    def send(self, delivery: Delivery) -> None:
        outcome = self.script.pop(0) if self.script else None
        if outcome is not None:
            raise outcome
        self.sent.append(delivery.key)


@pytest.fixture(autouse=True)
def scripted(monkeypatch: pytest.MonkeyPatch) -> type[ScriptedChannel]:
    monkeypatch.setitem(channels._channels, "scripted", ScriptedChannel)
    ScriptedChannel.script = []
    ScriptedChannel.sent = []
    return ScriptedChannel


def make(key: str = "test:1", recipient: str = "lucie@example.org") -> Delivery:
    return deliver(
        key=key,
        channel="scripted",
        recipient=recipient,
        language="fr",
        payload={"subject": "Bonjour", "text": "Un message."},
    )


def test_the_same_key_twice_makes_one_delivery_sent_once(
    scripted: type[ScriptedChannel],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = make()
        second = make()

    assert second.pk == first.pk
    assert Delivery.objects.count() == 1
    assert scripted.sent == ["test:1"]
    first.refresh_from_db()
    assert first.state == Delivery.State.SENT
    assert first.attempts == 1
    assert first.sent_at is not None


def test_a_delivery_rolled_back_with_its_transaction_is_never_sent(
    scripted: type[ScriptedChannel],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make()

    assert len(callbacks) == 1  # the task, waiting for a commit that never comes
    assert scripted.sent == []


def test_a_transient_failure_keeps_the_error_and_is_retried_after_a_minute(
    scripted: type[ScriptedChannel],
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    caplog: pytest.LogCaptureFixture,
) -> None:
    time_machine.move_to(START, tick=False)
    scripted.script = [DeliveryError("server busy for lucie@example.org")]
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        delivery = make()

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING
    assert delivery.attempts == 1
    assert delivery.last_error == "server busy for lucie@example.org"
    assert delivery.next_attempt_at == timezone.now() + datetime.timedelta(minutes=1)
    # The log names the delivery by number, never its recipient.
    assert "lucie" not in caplog.text
    assert f"delivery {delivery.pk}" in caplog.text

    time_machine.move_to(delivery.next_attempt_at, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due(now=timezone.now()) == 1

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.attempts == 2
    assert delivery.last_error == ""
    assert scripted.sent == ["test:1"]


def test_nothing_is_enqueued_again_before_the_next_attempt_is_due(
    scripted: type[ScriptedChannel],
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to(START, tick=False)
    scripted.script = [DeliveryError("timeout")]
    with django_capture_on_commit_callbacks(execute=True):
        make()

    time_machine.shift(datetime.timedelta(seconds=59))
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due(now=timezone.now()) == 0
    assert scripted.sent == []


def test_each_failure_waits_longer_and_the_last_one_abandons_the_delivery(
    scripted: type[ScriptedChannel],
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to(START, tick=False)
    scripted.script = [DeliveryError(f"failure {n}") for n in range(len(RETRY_DELAYS) + 1)]
    with django_capture_on_commit_callbacks(execute=True):
        delivery = make()

    waits = []
    for _retry in RETRY_DELAYS:
        delivery.refresh_from_db()
        assert delivery.next_attempt_at is not None
        waits.append(delivery.next_attempt_at - timezone.now())
        time_machine.move_to(delivery.next_attempt_at, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_due(now=timezone.now())

    assert waits == [
        datetime.timedelta(minutes=1),
        datetime.timedelta(minutes=5),
        datetime.timedelta(minutes=30),
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=12),
    ]
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.ABANDONED
    assert delivery.attempts == len(RETRY_DELAYS) + 1
    assert delivery.last_error == f"failure {len(RETRY_DELAYS)}"
    assert delivery.next_attempt_at is None
    assert scripted.sent == []


def test_a_permanent_failure_stops_the_delivery_for_good(
    scripted: type[ScriptedChannel],
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to(START, tick=False)
    scripted.script = [DeliveryError("mailbox does not exist", permanent=True)]
    with django_capture_on_commit_callbacks(execute=True):
        delivery = make()

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.last_error == "mailbox does not exist"
    assert delivery.next_attempt_at is None
    time_machine.shift(datetime.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due(now=timezone.now()) == 0
    assert scripted.sent == []


def test_an_unforeseen_error_of_a_channel_is_retried_like_a_transient_one(
    scripted: type[ScriptedChannel],
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to(START, tick=False)
    scripted.script = [RuntimeError("gateway library broke")]
    with django_capture_on_commit_callbacks(execute=True):
        delivery = make()

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING
    assert delivery.last_error == "RuntimeError: gateway library broke"
    assert delivery.next_attempt_at == timezone.now() + RETRY_DELAYS[0]


def test_a_sent_delivery_is_not_sent_again_when_its_task_runs_twice(
    scripted: type[ScriptedChannel],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        delivery = make()

    send_delivery.enqueue(delivery_id=delivery.pk, attempt=0)
    send_delivery.enqueue(delivery_id=delivery.pk, attempt=1)

    assert scripted.sent == ["test:1"]
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_a_late_copy_of_a_task_does_not_make_an_attempt_already_made(
    scripted: type[ScriptedChannel],
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to(START, tick=False)
    scripted.script = [DeliveryError("timeout")]
    with django_capture_on_commit_callbacks(execute=True):
        delivery = make()

    # The first attempt's task, delivered a second time by the queue, comes after it failed.
    assert deliveries.send_attempt(delivery_id=delivery.pk, attempt=0) is None

    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert scripted.sent == []


def test_a_delivery_whose_worker_died_is_sent_once_its_attempt_has_timed_out(
    scripted: type[ScriptedChannel],
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to(START, tick=False)
    # Committed, but the worker that should have run its task was killed first.
    with django_capture_on_commit_callbacks(execute=False):
        delivery = make()

    time_machine.shift(ATTEMPT_TIMEOUT - datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due(now=timezone.now()) == 0
    time_machine.shift(datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due(now=timezone.now()) == 1
        assert enqueue_due(now=timezone.now()) == 0  # a second run at the same moment

    assert scripted.sent == ["test:1"]
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


def test_finished_deliveries_are_forgotten_after_thirty_days_pending_ones_stay(
    scripted: type[ScriptedChannel],
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to(START, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        make("test:sent")
    with django_capture_on_commit_callbacks(execute=False):
        make("test:waiting")

    assert deliveries.forget_finished(now=timezone.now() + datetime.timedelta(days=29)) == 0
    assert deliveries.forget_finished(now=timezone.now() + datetime.timedelta(days=31)) == 1
    assert list(Delivery.objects.values_list("key", flat=True)) == ["test:waiting"]


def test_a_persons_export_lists_their_messages_and_erasure_deletes_them(
    scripted: type[ScriptedChannel],
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    time_machine.move_to(START, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        make("test:lucie", recipient="Lucie@Example.org")
        make("test:marc", recipient="marc@example.org")
    lucie = get_user_model()(email="lucie@example.org")
    subject = DataSubject(user=lucie, emails=frozenset({"lucie@example.org"}))

    assert deliveries.export_of(subject) == [
        {
            "channel": "scripted",
            "subject": "Bonjour",
            "created_at": timezone.now().isoformat(),
            "sent_at": timezone.now().isoformat(),
            "state": "sent",
        }
    ]
    deliveries.erase_of(subject)
    assert list(Delivery.objects.values_list("key", flat=True)) == ["test:marc"]
