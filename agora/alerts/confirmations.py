"""The messages of a subscription, in the subscriber's language: the confirmation of a contact
point (a link by e-mail, a 6-digit code by SMS or read out by an automated call) and the
private management link asked for again.

They are `Delivery` rows (agora/core/deliveries.py) decided inside the service's transaction,
sent once it commits: e-mail through `enqueue_email`, SMS as {"text": …} on the "sms"
channel, calls as {"script": …} on the "voice" channel. Every e-mail carries the management
link (`manage_link_of` gives it to the messages other modules send, such as alerts). Each
message gets a key of its own: asking again sends a new one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from agora.alerts.models import ContactChannel, ContactPoint, Subscriber
from agora.core.deliveries import deliver
from agora.core.email import enqueue_email
from agora.core.links import absolute, municipality_name

CONFIRM_EMAIL_TEMPLATE = "alerts/email/confirm_email"
MANAGE_LINK_TEMPLATE = "alerts/email/manage_link"


def manage_link(manage_token: str, language: str) -> str:
    """The private management link, or the signed-in page when there is no token (a
    resident managing from "Mon compte")."""
    with translation.override(language):
        if manage_token:
            return absolute(reverse("alerts:manage", args=[manage_token]))
        return absolute(reverse("alerts:mine"))


def manage_link_of(subscriber: Subscriber) -> str:
    """The management link for a message sent later, such as an alert's e-mail, in the
    subscriber's language (`subscriptions.message_token`)."""
    from agora.alerts.subscriptions import message_token

    return manage_link(message_token(subscriber), subscriber.language)


def _context(contact: ContactPoint, manage_token: str, **extra: Any) -> dict[str, Any]:
    language = contact.subscriber.language
    return {
        "municipality": municipality_name(),
        "manage_link": manage_link(manage_token, language),
        "contact": contact,
        **extra,
    }


def _render(template: str, context: dict[str, Any], language: str) -> str:
    with translation.override(language):
        return " ".join(render_to_string(template, context).split())


def _key(kind: str, contact: ContactPoint) -> str:
    return f"alerts-{kind}:{contact.pk}:{uuid.uuid4().hex}"


def _spelled(code: str) -> str:
    """A code as a voice reads it: digit by digit."""
    return ", ".join(code)


def send_confirmation(contact: ContactPoint, *, secret: str, manage_token: str) -> None:
    language = contact.subscriber.language
    if contact.channel == ContactChannel.EMAIL:
        with translation.override(language):
            link = absolute(reverse("alerts:confirm_email", args=[contact.pk, secret]))
        enqueue_email(
            to=contact.address,
            template=CONFIRM_EMAIL_TEMPLATE,
            context=_context(contact, manage_token, confirm_link=link),
            language=language,
            key=_key("confirm", contact),
        )
    elif contact.channel == ContactChannel.SMS:
        text = _render(
            "alerts/sms/code.txt", _context(contact, manage_token, code=secret), language
        )
        deliver(
            key=_key("code", contact),
            channel=ContactChannel.SMS,
            recipient=contact.address,
            language=language,
            payload={"text": text},
        )
    else:
        script = _render(
            "alerts/voice/code.txt",
            _context(contact, manage_token, code=_spelled(secret)),
            language,
        )
        deliver(
            key=_key("code", contact),
            channel=ContactChannel.VOICE,
            recipient=contact.address,
            language=language,
            payload={"script": script},
        )


def send_manage_link(contact: ContactPoint, *, manage_token: str) -> None:
    language = contact.subscriber.language
    context = _context(contact, manage_token)
    if contact.channel == ContactChannel.EMAIL:
        enqueue_email(
            to=contact.address,
            template=MANAGE_LINK_TEMPLATE,
            context=context,
            language=language,
            key=_key("link", contact),
        )
    elif contact.channel == ContactChannel.SMS:
        deliver(
            key=_key("link", contact),
            channel=ContactChannel.SMS,
            recipient=contact.address,
            language=language,
            payload={"text": _render("alerts/sms/manage_link.txt", context, language)},
        )
