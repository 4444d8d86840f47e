"""Outgoing e-mail: rendered now, in the recipient's language, and handed to a delivery
(agora/core/deliveries.py) that a task sends after the transaction that caused it commits
(nothing is sent for a change that was rolled back), retried if the mail server fails."""

import uuid
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from agora.core.deliveries import deliver
from agora.core.models import Delivery


def enqueue_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    unsubscribe_url: str = "",
    key: str = "",
) -> Delivery:
    """`template` names a pair: `<template>_subject.txt` and `<template>.txt`.

    `key` names the message so that deciding it twice sends it once, e.g.
    "idea-status:<idea>:<follower>:<status change>". Without one, every call is a message of
    its own (for messages a person asks for again on purpose, such as a new confirmation
    link).

    Messages people subscribed to give their one-click unsubscribe address, which mail
    programs show as a button (RFC 2369 and RFC 8058)."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
    return send_rendered_email(
        to=to,
        subject=subject,
        text=text,
        language=language,
        unsubscribe_url=unsubscribe_url,
        key=key or f"{template}:{uuid.uuid4().hex}",
    )


def send_rendered_email(
    *,
    to: str,
    subject: str,
    text: str,
    language: str,
    key: str,
    html: str = "",
    unsubscribe_url: str = "",
) -> Delivery:
    """A message already rendered (account e-mails come rendered from django-allauth)."""
    headers = (
        {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        if unsubscribe_url
        else {}
    )
    return deliver(
        key=key,
        channel="email",
        recipient=to,
        language=language,
        payload={"subject": subject, "text": text, "html": html, "headers": headers},
    )
