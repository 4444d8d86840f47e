"""Outgoing e-mail: rendered now, in the recipient's language, delivered by a task after the
transaction that caused it commits (nothing is sent for a change that was rolled back)."""

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from agora.core.tasks import send_email_message


def enqueue_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    unsubscribe_url: str = "",
) -> None:
    """`template` names a pair: `<template>_subject.txt` and `<template>.txt`.

    Messages people subscribed to give their one-click unsubscribe address, which mail
    programs show as a button (RFC 2369 and RFC 8058)."""
    headers = (
        {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        if unsubscribe_url
        else None
    )
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
    transaction.on_commit(
        lambda: send_email_message.enqueue(to=[to], subject=subject, text=text, headers=headers)
    )
