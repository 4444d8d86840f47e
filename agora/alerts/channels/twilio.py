"""Text messages, and the REST client the automated calls share, through Twilio.

Twilio's REST API takes a form-encoded POST with HTTP Basic authentication (the account SID
and its auth token) at TWILIO_API_BASE_URL (a local fake in the tests):

- `/2010-04-01/Accounts/<SID>/Messages.json` sends a text message (`To`, `From`, `Body`,
  `StatusCallback`). Twilio picks GSM-7 or UCS-2 from the text itself.
- `/2010-04-01/Accounts/<SID>/Calls.json` places a call (agora/alerts/channels/voice.py).

Both answer 201 with the message's or call's JSON, whose `sid` ("SM…", "CA…") is kept as the
delivery's `provider_reference`. Twilio then reports on it by POSTing to the `StatusCallback`
address, which carries the delivery's number and a signature only we can make (like
Kannel's delivery reports); the views (agora/alerts/twilio_views.py) also check Twilio's own
`X-Twilio-Signature`.

Answers: 400 (a number Twilio cannot reach, a message it refuses) stops the delivery; 401,
403 and 404 (our account or token: settings to fix), 429 (too many requests) and 5xx are
tried again later. Only Twilio's error code is kept: its message may quote the number.

This "sms" channel is the one used when SMS_PROVIDER is "twilio" (channels/__init__.py reads
it at start-up); it keeps the same pace as Kannel's, SMS_MESSAGES_PER_SECOND.
"""

from __future__ import annotations

import base64
import datetime
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from agora.alerts.channels.kannel import RATE_KEY as SMS_RATE_KEY
from agora.alerts.gateway_views import PROGRESS
from agora.core import deliveries, pace
from agora.core.channels import Channel, DeliveryError
from agora.core.models import Delivery

API_VERSION = "2010-04-01"
TIMEOUT_SECONDS = 10
SIGNATURE_SALT = "agora.alerts.twilio.callback"
# Answers from 400 to 499 refuse the message for good, except these: our account or token
# refused or unknown (a settings error to fix), and "too many requests".
RETRIED_CLIENT_ERRORS = frozenset({401, 403, 404, 429})
CLIENT_ERRORS = range(400, 500)
ANSWER_LIMIT = 64 * 1024

Fields = Sequence[tuple[str, str]]

# The clock and the pause of the rate limits, replaced by the tests.
clock: Callable[[], float] = time.time
pause: Callable[[float], None] = time.sleep


# Signed callback addresses -----------------------------------------------------------------


def callback_signature(delivery_id: int, *, secret: str | None = None) -> str:
    """The signature of the callback addresses of one delivery."""
    return deliveries.callback_signature(SIGNATURE_SALT, delivery_id, secret=secret)


def callback_signature_is_valid(delivery_id: int, signature: str) -> bool:
    return deliveries.callback_signature_is_valid(SIGNATURE_SALT, delivery_id, signature)


def public_url(path: str) -> str:
    """`path` on the address Twilio calls back."""
    return f"{settings.TWILIO_PUBLIC_BASE_URL.rstrip('/')}{path}"


def callback_url(view: str, delivery_id: int, **extra: str | int) -> str:
    """The address of one of the delivery's callbacks (`alerts_gateways:<view>`)."""
    query = urlencode(
        {"delivery": delivery_id, "signature": callback_signature(delivery_id), **extra}
    )
    return public_url(f"{reverse(f'alerts_gateways:{view}')}?{query}")


# The REST client ------------------------------------------------------------------------------


def resource_url(resource: str) -> str:
    account = quote(settings.TWILIO_ACCOUNT_SID, safe="")
    return (
        f"{settings.TWILIO_API_BASE_URL.rstrip('/')}/{API_VERSION}/Accounts/{account}/"
        f"{resource}.json"
    )


def _authorization() -> str:
    pair = f"{settings.TWILIO_ACCOUNT_SID}:{settings.TWILIO_AUTH_TOKEN}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


def create(resource: str, fields: Fields) -> dict[str, Any]:
    """POSTs `fields` to the account's `resource` ("Messages", "Calls"); returns Twilio's
    JSON answer, or raises DeliveryError (permanent for a refusal, see the docstring)."""
    if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
        raise DeliveryError("TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is not set")
    url = resource_url(resource)
    if urlsplit(url).scheme not in ("http", "https"):
        raise DeliveryError("TWILIO_API_BASE_URL is not an http(s) address")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=urlencode(fields).encode(),
        method="POST",
        headers={
            "Authorization": _authorization(),
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(ANSWER_LIMIT)
    except urllib.error.HTTPError as error:
        code = _error_code(error)
        if error.code in CLIENT_ERRORS and error.code not in RETRIED_CLIENT_ERRORS:
            raise DeliveryError(
                f"Twilio refused ({error.code}, error {code})", permanent=True
            ) from error
        raise DeliveryError(f"Twilio answered {error.code} (error {code})") from error
    except (urllib.error.URLError, OSError) as error:
        # Refused connection, timeout, Twilio unreachable: it may be back later.
        raise DeliveryError(f"Twilio unreachable: {type(error).__name__}") from error
    try:
        answer = json.loads(body)
    except ValueError as error:
        raise DeliveryError("Twilio's answer is not JSON") from error
    if not isinstance(answer, dict) or not str(answer.get("sid", "")):
        raise DeliveryError("Twilio's answer has no sid")
    return answer


def _error_code(error: urllib.error.HTTPError) -> str:
    """Twilio's error code (21211: not a valid number...); never its message."""
    try:
        answer = json.loads(error.read(ANSWER_LIMIT))
    except (OSError, ValueError):
        return "unknown"
    code = answer.get("code") if isinstance(answer, dict) else None
    return str(code) if isinstance(code, int) else "unknown"


def keep_reference(delivery: Delivery, sid: str) -> None:
    """Keeps Twilio's sid on the delivery (its callbacks name it)."""
    delivery.provider_reference = sid[: Delivery._meta.get_field("provider_reference").max_length]
    Delivery.objects.filter(pk=delivery.pk).update(provider_reference=delivery.provider_reference)


# Text messages -------------------------------------------------------------------------------


def message_fields(delivery: Delivery) -> list[tuple[str, str]]:
    return [
        ("To", delivery.recipient),
        ("From", settings.TWILIO_FROM_NUMBER),
        ("Body", str(delivery.payload.get("text", ""))),
        ("StatusCallback", callback_url("twilio-sms-status", delivery.pk)),
    ]


class TwilioTextMessageChannel(Channel):
    """The "sms" channel when SMS_PROVIDER is "twilio"."""

    name = "sms"
    queue_name = "default"

    def send(self, delivery: Delivery) -> None:
        if not str(delivery.payload.get("text", "")).strip():
            raise DeliveryError("empty text message", permanent=True)
        pace.wait_for_a_slot(
            SMS_RATE_KEY, settings.SMS_MESSAGES_PER_SECOND, clock=clock, pause=pause
        )
        answer = create("Messages", message_fields(delivery))
        keep_reference(delivery, str(answer["sid"]))


# Twilio's MessageStatus as the words Delivery.report keeps (those of Kannel's reports,
# gateway_views.PROGRESS orders them); queued, sending and the like add nothing.
MESSAGE_REPORTS = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "undelivered",
    "failed": "failed",
}


def record_message_status(
    *, delivery_id: int, message_sid: str, message_status: str, now: datetime.datetime
) -> bool:
    """Writes what Twilio says of the message when it goes further than what we know;
    returns whether it wrote."""
    report = MESSAGE_REPORTS.get(message_status)
    if report is None:
        return False
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.channel != "sms":
            return False
        if delivery.provider_reference and message_sid != delivery.provider_reference:
            return False
        if PROGRESS[report] <= PROGRESS.get(delivery.report, 0):
            return False
        delivery.report = report
        delivery.reported_at = now
        delivery.provider_reference = delivery.provider_reference or message_sid[:100]
        delivery.save(update_fields=["report", "reported_at", "provider_reference"])
    return True
