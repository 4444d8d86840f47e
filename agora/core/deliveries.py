"""Outgoing messages as `Delivery` rows: decided in a service's transaction, sent by a task
after it commits, retried with backoff when the provider fails, and never sent twice.

How a message travels:

1. `deliver()` writes the row, once per key (asking again with the same key does nothing),
   and enqueues `send_delivery` when the transaction commits: a change rolled back sends
   nothing.
2. The task (`send_attempt()`) claims the attempt under a row lock (it counts it and pushes
   `next_attempt_at` past ATTEMPT_TIMEOUT), then asks the channel to send. A second copy of
   the task, or one that comes late, finds the attempt taken and does nothing.
3. Sent: the row says so. A transient failure: the error is kept and the next attempt is
   set RETRY_DELAYS later; after the last one the delivery is abandoned. A permanent
   failure (address refused): it stops at once, and `refused_for_good` tells the app that
   wrote it (alerts stop writing to an address that does not exist).
4. The `deliveries-retry` job (`manage.py run_scheduled`, every run) enqueues again every
   pending delivery whose next attempt is due: the retries, and the messages whose task was
   lost (a worker killed before it ran, or during the attempt, after ATTEMPT_TIMEOUT).

A worker killed after the provider accepted a message but before the row was updated is
the one case where a message can leave twice: nothing can tell it from a message lost on
the way.
"""

import datetime
import hmac
import logging
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_str

from agora.core.channels import DeliveryError, UnknownChannelError, channel_named
from agora.core.models import Delivery
from agora.core.personal_data import DataSubject, register_personal_data

logger = logging.getLogger(__name__)

# Sent with `delivery=` when a provider refuses a delivery for good (an address or a number
# that cannot receive), after the row says so.
refused_for_good = Signal()

# After the first failed attempt, the next comes 1 min later, then 5 min, 30 min, 2 h and
# 12 h; a sixth failure abandons the delivery (about 15 hours after the first attempt).
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
)
# A delivery whose task has not reported by then is taken as lost and enqueued again. Long
# enough for a busy queue (thousands of digests) to reach it first.
ATTEMPT_TIMEOUT = datetime.timedelta(minutes=15)
# At most this many deliveries are enqueued again per run; the rest wait for the next run.
RETRY_BATCH = 1000
# Sent, refused and abandoned deliveries are forgotten after this long (Loi 25: the
# message and its address are kept no longer than needed to answer "was it sent?").
KEEP_FINISHED = datetime.timedelta(days=30)
LAST_ERROR_LENGTH = 1000
KEY_LENGTH = Delivery._meta.get_field("key").max_length or 255


def deliver(
    *,
    key: str,
    channel: str,
    recipient: str,
    language: str,
    payload: dict[str, Any],
) -> Delivery:
    """The delivery named `key`, created and sent after commit if it is new. An existing
    key returns the delivery as it is and sends nothing more."""
    channel_named(channel)  # an unknown channel is a programming error: refuse it now
    if len(key) > KEY_LENGTH:
        raise ValueError(f"A delivery key has at most {KEY_LENGTH} characters.")
    now = timezone.now()
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                key=key,
                channel=channel,
                recipient=recipient,
                language=language,
                payload=payload,
                next_attempt_at=now + ATTEMPT_TIMEOUT,
                created_at=now,
            )
    except IntegrityError:  # the key is taken: this message was decided already
        return Delivery.objects.get(key=key)
    _enqueue_on_commit(delivery.pk, attempt=0, channel=channel)
    return delivery


def callback_signature(salt: str, delivery_id: int, *, secret: str | None = None) -> str:
    """The signature of the address a provider calls back about one delivery (a text
    message's delivery report, a call's status), under `salt` (one per provider) and
    SECRET_KEY (or `secret`)."""
    return salted_hmac(salt, str(delivery_id), secret=secret, algorithm="sha256").hexdigest()


def callback_signature_is_valid(salt: str, delivery_id: int, signature: str) -> bool:
    """Whether `signature` was made with SECRET_KEY or one of its fallbacks (a key being
    rotated still accepts the callbacks about messages sent before)."""
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        expected = callback_signature(salt, delivery_id, secret=force_str(secret))
        if hmac.compare_digest(expected.encode(), signature.encode()):
            return True
    return False


@contextmanager
def batch(channel_names: Iterable[str]) -> Iterator[None]:
    """A block in which many `send_attempt()` share what their channels open once per batch
    (an SMTP connection: `Channel.batch()`); unknown names are left to `send_attempt`."""
    with ExitStack() as stack:
        for name in sorted(set(channel_names)):
            try:
                channel = channel_named(name)
            except UnknownChannelError:
                continue
            stack.enter_context(channel.batch())
        yield


def send_attempt(*, delivery_id: int, attempt: int) -> Delivery.State | None:
    """Sends the delivery if attempt number `attempt` is still its next one; returns its
    state afterwards, or None when there was nothing to do (sent, stopped, or another task
    made this attempt)."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if (
            delivery is None
            or delivery.state != Delivery.State.PENDING
            or delivery.attempts != attempt
        ):
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = timezone.now() + ATTEMPT_TIMEOUT
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    try:
        channel_named(delivery.channel).send(delivery)
    except DeliveryError as error:
        return _failed(delivery, error=error.message, permanent=error.permanent)
    except UnknownChannelError:
        return _failed(delivery, error="unknown channel", permanent=True)
    except Exception as error:  # a channel's unforeseen error: retried like a transient one
        return _failed(delivery, error=f"{type(error).__name__}: {error}", permanent=False)
    delivery.state = Delivery.State.SENT
    delivery.sent_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.last_error = ""
    delivery.save(update_fields=["state", "sent_at", "next_attempt_at", "last_error"])
    return delivery.state


def _failed(delivery: Delivery, *, error: str, permanent: bool) -> Delivery.State:
    now = timezone.now()
    delivery.last_error = error[:LAST_ERROR_LENGTH]
    if permanent:
        delivery.state = Delivery.State.FAILED
        delivery.next_attempt_at = None
    elif delivery.attempts > len(RETRY_DELAYS):
        delivery.state = Delivery.State.ABANDONED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    delivery.save(update_fields=["state", "next_attempt_at", "last_error"])
    if permanent:
        refused_for_good.send(sender=Delivery, delivery=delivery)
    # The delivery's number only: its address and the error's text may name the person.
    logger.warning(
        "delivery %s (%s) attempt %s failed: %s",
        delivery.pk,
        delivery.channel,
        delivery.attempts,
        {
            Delivery.State.FAILED: "refused, stopped",
            Delivery.State.ABANDONED: "abandoned after the last attempt",
        }.get(Delivery.State(delivery.state), "will be retried"),
    )
    return Delivery.State(delivery.state)


def enqueue_due(*, now: datetime.datetime) -> int:
    """Enqueues once more every pending delivery whose next attempt is due; returns how
    many. Two runs at the same moment enqueue each delivery once (and if both did, the
    attempt number would still let only one task send it)."""
    due = list(
        Delivery.objects.due(now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "attempts", "channel")[:RETRY_BATCH]
    )
    enqueued = 0
    for delivery_id, attempts, channel in due:
        with transaction.atomic():
            taken = (
                Delivery.objects.due(now)
                .filter(pk=delivery_id, attempts=attempts)
                .update(next_attempt_at=now + ATTEMPT_TIMEOUT)
            )
            if taken:
                _enqueue_on_commit(delivery_id, attempt=attempts, channel=channel)
                enqueued += 1
    return enqueued


def forget_finished(*, now: datetime.datetime) -> int:
    """Deletes the deliveries finished more than KEEP_FINISHED ago; returns how many."""
    deleted, _per_model = (
        Delivery.objects.exclude(state=Delivery.State.PENDING)
        .filter(created_at__lt=now - KEEP_FINISHED)
        .delete()
    )
    return deleted


def export_of(subject: DataSubject) -> list[dict[str, str]]:
    """The messages sent to the person's addresses: channel, subject, dates and state."""
    return [
        {
            "channel": delivery.channel,
            "subject": str(delivery.payload.get("subject", "")),
            "created_at": delivery.created_at.isoformat(),
            "sent_at": delivery.sent_at.isoformat() if delivery.sent_at else "",
            "state": delivery.state,
        }
        for delivery in Delivery.objects.to_any_of(subject.emails).order_by("created_at", "pk")
    ]


def erase_of(subject: DataSubject) -> None:
    """Deletes every message to the person's addresses, those still waiting included: a
    person who leaves is sent nothing more."""
    Delivery.objects.to_any_of(subject.emails).delete()


def register_personal_data_of_deliveries() -> None:
    register_personal_data("deliveries", models=[Delivery], export=export_of, erase=erase_of)


def _enqueue_on_commit(delivery_id: int, *, attempt: int, channel: str) -> None:
    from agora.core.tasks import send_delivery

    try:
        queue_name = channel_named(channel).queue_name
    except UnknownChannelError:  # the task marks it refused
        queue_name = send_delivery.queue_name
    transaction.on_commit(
        lambda: send_delivery.using(queue_name=queue_name).enqueue(
            delivery_id=delivery_id, attempt=attempt
        )
    )
