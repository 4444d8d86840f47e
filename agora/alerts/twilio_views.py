"""What Twilio calls (POST, form-encoded): the status callbacks of our text messages and
calls, the TwiML of a call, and the messages residents text to the city's Twilio number.

Every request must carry a valid `X-Twilio-Signature`: Twilio's HMAC-SHA1, with the account's
auth token, of the full address it called (TWILIO_PUBLIC_BASE_URL + the path and query) and
the POST parameters; it is checked with the `twilio` package's RequestValidator. The
callbacks of one delivery also carry its number and our own signature (channels/twilio.py).
A request without both is refused (403) and changes nothing. A callback only moves a
delivery forward: replayed, it is answered 200 and changes nothing; one about a delivery
forgotten since is answered 200 too.

Twilio's console points the number's "A message comes in" webhook (HTTP POST) at
TWILIO_PUBLIC_BASE_URL + `/passerelles/twilio/sms-entrant/`; the answer, in TwiML
`<Message>`, is the reply of agora/alerts/channels/sms_keywords.py (STOP, ARRET, AIDE, HELP,
INFO).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from agora.alerts.channels import twilio, voice
from agora.alerts.channels.sms_keywords import answer_text_message
from agora.core.models import Delivery

View = Callable[[HttpRequest], HttpResponse]


def signed_by_twilio(request: HttpRequest) -> bool:
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    url = twilio.public_url(request.get_full_path())
    return bool(RequestValidator(token).validate(url, request.POST, signature))


def twilio_callback(view: View) -> View:
    """POST only, without CSRF token (Twilio has none), refused without Twilio's signature."""

    @wraps(view)
    def checked(request: HttpRequest) -> HttpResponse:
        if not signed_by_twilio(request):
            return HttpResponseForbidden("bad signature", content_type="text/plain")
        return view(request)

    return csrf_exempt(never_cache(require_POST(checked)))


def _delivery_id(request: HttpRequest) -> int | None:
    """The delivery the address names, if our signature vouches for it."""
    try:
        delivery_id = int(request.GET.get("delivery", ""))
    except ValueError:
        return None
    signature = request.GET.get("signature", "")
    if delivery_id <= 0 or not signature:
        return None
    return delivery_id if twilio.callback_signature_is_valid(delivery_id, signature) else None


def _forbidden() -> HttpResponse:
    return HttpResponseForbidden("bad signature", content_type="text/plain")


def _ok() -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _twiml(document: str) -> HttpResponse:
    return HttpResponse(document, content_type="text/xml; charset=utf-8")


@twilio_callback
def twilio_sms_status(request: HttpRequest) -> HttpResponse:
    delivery_id = _delivery_id(request)
    if delivery_id is None:
        return _forbidden()
    twilio.record_message_status(
        delivery_id=delivery_id,
        message_sid=request.POST.get("MessageSid", ""),
        message_status=request.POST.get("MessageStatus", ""),
        now=timezone.now(),
    )
    return _ok()


@twilio_callback
def twilio_call_status(request: HttpRequest) -> HttpResponse:
    delivery_id = _delivery_id(request)
    if delivery_id is None:
        return _forbidden()
    voice.record_call_status(
        delivery_id=delivery_id,
        call_sid=request.POST.get("CallSid", ""),
        call_status=request.POST.get("CallStatus", ""),
    )
    return _ok()


@twilio_callback
def twilio_call(request: HttpRequest) -> HttpResponse:
    delivery_id = _delivery_id(request)
    if delivery_id is None:
        return _forbidden()
    try:
        repeat = max(int(request.GET.get("repeat", "0")), 0)
    except ValueError:
        repeat = 0
    return _twiml(
        voice.answer_call(
            Delivery.objects.filter(pk=delivery_id).first(),
            answered_by=request.POST.get("AnsweredBy", ""),
            digits=request.POST.get("Digits"),
            repeat=repeat,
        )
    )


@twilio_callback
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    reply = answer_text_message(
        sender=request.POST.get("From", ""), text=request.POST.get("Body", "")
    )
    response = MessagingResponse()
    response.message(reply)
    return _twiml(str(response))
