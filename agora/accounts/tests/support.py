"""What the account tests share: addresses in each language, and the messages the tests'
e-mail backend kept (django.core.mail.outbox)."""

import re
from typing import Any

from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation


def url(name: str, language: str = "fr", **kwargs: Any) -> str:
    """The path of a named URL in `language` (English paths follow their translation)."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def messages_to(address: str) -> list[EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def last_message_to(address: str) -> EmailMessage:
    messages = messages_to(address)
    assert messages, f"no message to {address} in {[m.to for m in mail.outbox]}"
    return messages[-1]


def link_in(message: EmailMessage, path_fragment: str) -> str:
    """The path of the first link of the message whose address contains `path_fragment`."""
    for url in re.findall(r"https?://testserver(/\S+)", str(message.body)):
        if path_fragment in url:
            return str(url)
    raise AssertionError(f"no link with {path_fragment!r} in:\n{message.body}")


def code_in(message: EmailMessage) -> str:
    """The one-time code, alone on its line."""
    match = re.search(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]+)?)\s*$", str(message.body), re.MULTILINE)
    assert match, f"no code in:\n{message.body}"
    return match.group(1)
