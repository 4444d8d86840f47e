"""Automated calls through Twilio: the "voice" channel.

The payload holds `script`, the text a voice reads in the delivery's language (an alert's
call, agora/alerts/messages.py, or a confirmation code, confirmations.py). `send()` asks
Twilio's Calls API to call the number; when someone (or something) answers, Twilio fetches
what to say from our TwiML view (`Url`), and reports on the call at `StatusCallback`. Both
addresses carry the delivery's number and its signature (twilio.py).

What the call says (TwiML built with the `twilio` package's VoiceResponse):

- a person: the script in fr-CA or en-CA, then "press 1 to hear this message again"
  (`<Gather numDigits="1">`); 1 says it all again, at most MAX_REPEATS times;
- an answering machine (`MachineDetection=DetectMessageEnd`: Twilio waits for the greeting's
  end, then asks with `AnsweredBy=machine_end_*`): the script once, then, for an alert, where
  to read it on the city's site.

Twilio's status callbacks only move the delivery's `report` forward: queued, ringing,
in-progress, then one last word: delivered (completed, by a person or an answering machine:
the message was left either way), busy, no-answer, failed or canceled. A busy line or no
answer calls again VOICE_RETRY_MINUTES later, twice at most (MAX_CALL_ATTEMPTS): each new
call is a new Delivery whose key is the first one's with the attempt number (an alert's
`alert:<alert>:<contact point>:2`, then `:3`; a confirmation code's key followed by `:2`,
`:3`), written pending for the deliveries' retry job to send when it is due. A replayed
callback finds the report already written, and the next attempt's key already taken: it
changes nothing. A person who unsubscribed (or opted out) since is not called again.

Throughput: at most VOICE_CALLS_PER_SECOND calls are placed each second, by every worker
together (pace.py). Nothing personal goes to the logs.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from twilio.twiml.voice_response import VoiceResponse

from agora.alerts import sending
from agora.alerts.channels import twilio
from agora.alerts.models import ContactPoint
from agora.core import pace
from agora.core.channels import Channel, DeliveryError, register
from agora.core.models import Delivery

RATE_KEY = "alerts:voice-calls-in-second:{second}"
# How long the phone rings before Twilio gives up (no-answer), in seconds.
RING_SECONDS = 30
# How long the "press 1" menu waits for a key, in seconds.
GATHER_SECONDS = 6
MAX_REPEATS = 3
MAX_CALL_ATTEMPTS = 3
STATUS_EVENTS = ("initiated", "ringing", "answered", "completed")

# Twilio's CallStatus as the words Delivery.report keeps, and how far along each is: a report
# is written only when it goes further than the one kept.
CALL_REPORTS = {
    "queued": "queued",
    "initiated": "queued",
    "ringing": "ringing",
    "in-progress": "in-progress",
    "completed": "delivered",
    "busy": "busy",
    "no-answer": "no-answer",
    "failed": "failed",
    "canceled": "canceled",
}
PROGRESS = {"": 0, "queued": 1, "ringing": 2, "in-progress": 3}
FINAL = 4
CALLED_AGAIN = frozenset({"busy", "no-answer"})
# A key that ends in ":<digit>" names its attempt; any other key is a first attempt.
ATTEMPT = re.compile(r"^(?P<first>.+):(?P<attempt>[1-9])$")


def say_language(language: str) -> str:
    return "en-CA" if language.startswith("en") else "fr-CA"


def _ui_language(language: str) -> str:
    return "en" if language.startswith("en") else "fr"


# Placing the call -----------------------------------------------------------------------------


def call_fields(delivery: Delivery) -> list[tuple[str, str]]:
    return [
        ("To", delivery.recipient),
        ("From", settings.TWILIO_FROM_NUMBER),
        ("Url", twilio.callback_url("twilio-call", delivery.pk)),
        ("Method", "POST"),
        ("StatusCallback", twilio.callback_url("twilio-call-status", delivery.pk)),
        ("StatusCallbackMethod", "POST"),
        *(("StatusCallbackEvent", event) for event in STATUS_EVENTS),
        ("MachineDetection", "DetectMessageEnd"),
        ("Timeout", str(RING_SECONDS)),
    ]


# The clock and the pause of the rate limit, replaced by the tests.
clock = twilio.clock
pause = twilio.pause


@register
class VoiceChannel(Channel):
    name = "voice"
    queue_name = "default"

    def send(self, delivery: Delivery) -> None:
        if not str(delivery.payload.get("script", "")).strip():
            raise DeliveryError("empty call script", permanent=True)
        pace.wait_for_a_slot(RATE_KEY, settings.VOICE_CALLS_PER_SECOND, clock=clock, pause=pause)
        answer = twilio.create("Calls", call_fields(delivery))
        twilio.keep_reference(delivery, str(answer["sid"]))


# What the call says ---------------------------------------------------------------------------


def _script(delivery: Delivery) -> str:
    return " ".join(str(delivery.payload.get("script", "")).split())


def for_a_person(delivery: Delivery, *, repeat: int = 0) -> str:
    """The script, then the "press 1" menu (unless it was repeated MAX_REPEATS times)."""
    language = say_language(delivery.language)
    response = VoiceResponse()
    response.say(_script(delivery), language=language)
    if repeat < MAX_REPEATS:
        with translation.override(_ui_language(delivery.language)):
            prompt = gettext("Pour réécouter ce message, appuyez sur le 1.")
        gather = response.gather(
            num_digits=1,
            action=twilio.callback_url("twilio-call", delivery.pk, repeat=repeat + 1),
            method="POST",
            timeout=GATHER_SECONDS,
        )
        gather.say(prompt, language=language)
    response.hangup()
    return str(response)


def for_a_machine(delivery: Delivery) -> str:
    """The script once, then, for an alert, where to read it again."""
    language = say_language(delivery.language)
    response = VoiceResponse()
    response.say(_script(delivery), language=language)
    if delivery.key.startswith("alert:"):
        site = (urlsplit(settings.SITE_URL).hostname or "").removeprefix("www.")
        with translation.override(_ui_language(delivery.language)):
            where = gettext("Pour relire ce message, consultez les avis d'alerte sur {site}.")
        response.say(where.format(site=site), language=language)
    response.hangup()
    return str(response)


def hang_up() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response)


def answer_call(
    delivery: Delivery | None, *, answered_by: str, digits: str | None, repeat: int
) -> str:
    """The TwiML for one request of the call: the first (`digits` None) or the menu's."""
    if delivery is None or delivery.channel != "voice":  # forgotten since: say nothing
        return hang_up()
    if digits is not None:
        return for_a_person(delivery, repeat=repeat) if digits == "1" else hang_up()
    if answered_by.startswith("machine"):
        return for_a_machine(delivery)
    if answered_by == "fax":
        return hang_up()
    return for_a_person(delivery)


# Status callbacks and calling again -----------------------------------------------------------


def _progress(report: str) -> int:
    return PROGRESS.get(report, FINAL)


def call_attempt(key: str) -> tuple[str, int]:
    """The first call's key (less its attempt) and this call's attempt number."""
    found = ATTEMPT.match(key)
    if found is None:
        return key, 1
    return found["first"], int(found["attempt"])


def next_attempt_key(key: str) -> str | None:
    """The key of the next call after `key`, or None after the last one."""
    first, attempt = call_attempt(key)
    if attempt >= MAX_CALL_ATTEMPTS:
        return None
    return f"{first}:{attempt + 1}"


def record_call_status(
    *,
    delivery_id: int,
    call_sid: str,
    call_status: str,
    now: datetime.datetime | None = None,
) -> bool:
    """Writes what Twilio says of the call, when it goes further than what we know, and
    schedules the next call after a busy line or no answer; returns whether it wrote."""
    now = now or timezone.now()
    report = CALL_REPORTS.get(call_status)
    if report is None:
        return False
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.channel != "voice":
            return False
        if delivery.provider_reference and call_sid != delivery.provider_reference:
            return False  # another call than the one this delivery placed
        if _progress(report) <= _progress(delivery.report):
            return False
        delivery.report = report
        delivery.reported_at = now
        delivery.provider_reference = delivery.provider_reference or call_sid[:100]
        delivery.save(update_fields=["report", "reported_at", "provider_reference"])
        if report in CALLED_AGAIN:
            schedule_next_call(delivery, now=now)
    return True


def _still_subscribed(key: str) -> bool:
    """Whether the person may still be called: not unsubscribed since the last call."""
    point_id = sending.contact_point_of(key)
    if point_id is None:
        return True
    return ContactPoint.objects.filter(
        pk=point_id, opted_out_at__isnull=True, subscriber__unsubscribed_at__isnull=True
    ).exists()


def schedule_next_call(delivery: Delivery, *, now: datetime.datetime) -> Delivery | None:
    """The next attempt's delivery, pending until VOICE_RETRY_MINUTES from now (the
    deliveries' retry job sends it then); None after the last attempt. Written once."""
    key = next_attempt_key(delivery.key)
    if key is None or not _still_subscribed(delivery.key):
        return None
    due = now + datetime.timedelta(minutes=settings.VOICE_RETRY_MINUTES)
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                key=key,
                channel=delivery.channel,
                recipient=delivery.recipient,
                language=delivery.language,
                payload=delivery.payload,
                next_attempt_at=due,
                created_at=now,
            )
    except IntegrityError:  # written already (a replayed callback)
        return None
