"""Text messages through a Kannel gateway (its smsbox's `GET /cgi-bin/sendsms`).

The payload holds `text`; the recipient is a number in E.164. Kannel answers 202 once it
has taken the message ("0: Accepted for delivery", "3: Queued for later delivery"). It then
calls the delivery-report view back (`dlr-url`, with `dlr-mask=31`: delivered, failed,
buffered, SMSC ack, SMSC reject) with the delivery's number and a signature only we can
make, so that nobody else can write reports on our deliveries.

Throughput: at most SMS_MESSAGES_PER_SECOND messages are handed to Kannel each second, by
every worker together (the fixed-window limiter of agora/core/pace.py).

Kannel's answers and our errors name no one: the message text and the number never go to
the logs.

The gateway's side, in kannel.conf (groups separated by blank lines; the inbound
sms-service is described in agora/alerts/gateway_views.py):

    group = smsbox
    bearerbox-host = 127.0.0.1
    sendsms-port = 13013
    sendsms-interface = 127.0.0.1

    group = sendsms-user
    username = <KANNEL_USERNAME>
    password = <KANNEL_PASSWORD>
    user-allow-ip = <the workers' addresses>
    concatenation = true
    max-messages = 2
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse

from agora.alerts.sms_text import is_gsm7
from agora.core import deliveries, pace
from agora.core.channels import Channel, DeliveryError, register
from agora.core.models import Delivery

# Kannel's `dlr-mask`: 1 delivered, 2 failed, 4 buffered, 8 SMSC ack, 16 SMSC reject.
DLR_MASK = 31
# Kannel's `coding`: 0 the GSM-7 alphabet, 2 UCS-2.
CODING_GSM7 = 0
CODING_UCS2 = 2
TIMEOUT_SECONDS = 10
SIGNATURE_SALT = "agora.alerts.kannel.delivery-report"
RATE_KEY = "alerts:sms-sent-in-second:{second}"
# Answers from 400 to 499 refuse the message for good, except these: our user or password
# refused, a settings error to fix, after which the message can still go.
SETTINGS_ERRORS = frozenset({401, 403})
CLIENT_ERRORS = range(400, 500)
ERROR_TEXT_LENGTH = 200


def report_signature(delivery_id: int, *, secret: str | None = None) -> str:
    """The signature of the delivery-report address of one delivery."""
    return deliveries.callback_signature(SIGNATURE_SALT, delivery_id, secret=secret)


def report_signature_is_valid(delivery_id: int, signature: str) -> bool:
    return deliveries.callback_signature_is_valid(SIGNATURE_SALT, delivery_id, signature)


def report_url(delivery_id: int) -> str:
    """Where Kannel reports on the delivery; Kannel replaces `%d` with the report's type."""
    path = reverse("alerts_gateways:kannel-report")
    query = urlencode(
        {"delivery": delivery_id, "signature": report_signature(delivery_id)}, safe=""
    )
    return f"{settings.SMS_PUBLIC_BASE_URL.rstrip('/')}{path}?{query}&type=%d"


def sendsms_query(delivery: Delivery) -> dict[str, str | int]:
    text = str(delivery.payload.get("text", ""))
    return {
        "username": settings.KANNEL_USERNAME,
        "password": settings.KANNEL_PASSWORD,
        "from": settings.SMS_SENDER,
        "to": delivery.recipient,
        "text": text,
        "charset": "UTF-8",
        "coding": CODING_GSM7 if is_gsm7(text) else CODING_UCS2,
        "dlr-mask": DLR_MASK,
        "dlr-url": report_url(delivery.pk),
    }


# The clock and the pause of the rate limit, replaced by the tests.
clock: Callable[[], float] = time.time
pause: Callable[[float], None] = time.sleep


def wait_for_a_slot() -> None:
    """Returns once this second's quota of messages has room for one more (pace.py)."""
    pace.wait_for_a_slot(RATE_KEY, settings.SMS_MESSAGES_PER_SECOND, clock=clock, pause=pause)


@register
class KannelChannel(Channel):
    name = "sms"
    queue_name = "default"

    def send(self, delivery: Delivery) -> None:
        if not str(delivery.payload.get("text", "")).strip():
            raise DeliveryError("empty text message", permanent=True)
        address = settings.KANNEL_SENDSMS_URL
        if urlsplit(address).scheme not in ("http", "https"):
            raise DeliveryError("KANNEL_SENDSMS_URL is not an http(s) address")
        wait_for_a_slot()
        url = f"{address}?{urlencode(sendsms_query(delivery))}"
        try:
            # The scheme is checked above: http or https only.
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                response.read(ERROR_TEXT_LENGTH)
        except urllib.error.HTTPError as error:
            answer = _answer(error)
            if error.code in CLIENT_ERRORS and error.code not in SETTINGS_ERRORS:
                raise DeliveryError(
                    f"Kannel refused ({error.code}): {answer}", permanent=True
                ) from error
            raise DeliveryError(f"Kannel answered {error.code}: {answer}") from error
        except (urllib.error.URLError, OSError) as error:
            # Refused connection, timeout, gateway gone away: it may be back later.
            raise DeliveryError(f"Kannel unreachable: {type(error).__name__}") from error


def _answer(error: urllib.error.HTTPError) -> str:
    try:
        body = error.read(ERROR_TEXT_LENGTH)
    except OSError:
        return ""
    return body.decode(errors="replace").strip()
