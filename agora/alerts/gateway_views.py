"""What the Kannel gateway calls: delivery reports on the messages we sent, and the messages
residents send to the city's number.

Delivery reports (`dlr-url` of each message, agora/alerts/channels/kannel.py) carry the
delivery's number and its signature: a report without a valid one is refused (403) and
changes nothing. A report only ever moves a delivery forward: a replayed report, or one
weaker than what we know (a "buffered" after a "delivered"), is answered 200 and ignored.

Inbound messages come from Kannel's `sms-service`, whose get-url carries the shared secret
KANNEL_INBOUND_SECRET, the sender (`%p`), the message as sent (`%b`, raw bytes) and its
coding and charset (`%c`, `%C`):

    group = sms-service
    keyword = default
    catch-all = true
    max-messages = 1
    get-url = "https://portal/passerelles/kannel/sms-entrant/?secret=...&from=%p&text=%b&coding=%c&charset=%C"

The secret is written URL-encoded, and the portal's host must be in ALLOWED_HOSTS. (`%a`,
the message's words, would cut a UCS-2 message such as "ARRÊT" apart.) The answer's body is
the reply Kannel texts back: the keywords (STOP, ARRET, AIDE, HELP, INFO) are
agora/alerts/channels/sms_keywords.py's.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agora.alerts.channels.kannel import report_signature_is_valid
from agora.alerts.channels.sms_keywords import answer_text_message
from agora.core.models import Delivery

# Kannel's report types (its %d), as the words Delivery.report keeps, and how far along each
# is: a report is written only when it goes further than the one kept.
REPORTS = {
    8: "sent",  # the operator's SMSC took the message
    4: "buffered",  # the SMSC keeps it for later (phone off)
    1: "delivered",
    2: "undelivered",
    16: "failed",  # the SMSC refused it
}
PROGRESS = {"": 0, "sent": 1, "buffered": 2, "undelivered": 3, "failed": 3, "delivered": 4}

TEXT_LIMIT = 1000


def _plain(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


# Delivery reports ---------------------------------------------------------------------------


@never_cache
@require_GET
def kannel_report(request: HttpRequest) -> HttpResponse:
    try:
        delivery_id = int(request.GET.get("delivery", ""))
    except ValueError:
        delivery_id = 0
    signature = request.GET.get("signature", "")
    if delivery_id <= 0 or not signature or not report_signature_is_valid(delivery_id, signature):
        return HttpResponseForbidden("bad signature", content_type="text/plain")
    try:
        report = REPORTS.get(int(request.GET.get("type", "")))
    except ValueError:
        report = None
    if report is None:
        return _plain("unknown report type", status=400)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:  # forgotten since (deliveries.forget_finished): nothing to do
            return _plain("ok")
        if PROGRESS[report] > PROGRESS.get(delivery.report, 0):
            delivery.report = report
            delivery.reported_at = timezone.now()
            delivery.save(update_fields=["report", "reported_at"])
    return _plain("ok")


# Inbound messages ---------------------------------------------------------------------------


@never_cache
@require_GET
def kannel_inbound(request: HttpRequest) -> HttpResponse:
    fields = _raw_query(request)
    expected = settings.KANNEL_INBOUND_SECRET
    secret = fields.get("secret", b"")
    if not expected or not hmac.compare_digest(secret, expected.encode()):
        return HttpResponseForbidden("bad secret", content_type="text/plain")
    reply = answer_text_message(
        sender=fields.get("from", b"").decode("latin-1"), text=_text_of(fields)
    )
    return _plain(reply)


def _raw_query(request: HttpRequest) -> dict[str, bytes]:
    """The query's fields as bytes: a UCS-2 message is not UTF-8, which request.GET assumes."""
    query = request.META.get("QUERY_STRING", "")
    try:
        parsed = parse_qs(query, keep_blank_values=True, encoding="latin-1", max_num_fields=20)
    except ValueError:  # more fields than Kannel ever sends: not Kannel
        return {}
    return {name: values[0].encode("latin-1") for name, values in parsed.items()}


def _text_of(fields: dict[str, bytes]) -> str:
    raw = fields.get("text", b"")[:TEXT_LIMIT]
    charset = fields.get("charset", b"").decode("latin-1").strip() or (
        "UTF-16BE" if fields.get("coding") == b"2" else "UTF-8"
    )
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return raw.decode("utf-8", errors="replace")
