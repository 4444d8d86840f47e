"""Keeping a requester informed: the confirmation when a request is filed, and a message when
the desk changes its status.

Each message goes to the requester and, for what the desk made public, to the followers (the
residents who added their voice, the requesters of merged duplicates), through every channel
of `CHANNELS` that can reach them: today e-mail only (`EmailChannel`). A channel is a small class with a `send`
method (`RequesterChannel`); to add one, such as SMS to `contact_phone`, write its class next
to `EmailChannel` (it decides whether the request gave it an address, renders its own short
templates named after the message, e.g. `citizen_requests/sms/request_updated.txt`, and
hands the message to its delivery channel in agora/core/channels.py with the same `key`
suffixed by its name), then add it to `CHANNELS`. Callers name messages, never channels.

Messages are rendered in the request's language with absolute links, and queued as
deliveries (agora/core/deliveries.py): they leave once the transaction that decided them
commits, and a message decided twice (same key) leaves once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.urls import reverse
from django.utils import translation

from agora.citizen_requests.models import CitizenRequest, EventKind, RequestEvent, RequestStatus
from agora.core.email import enqueue_email
from agora.core.links import absolute, municipality_name

FILED_TEMPLATE = "citizen_requests/email/request_filed"
UPDATED_TEMPLATE = "citizen_requests/email/request_updated"


@dataclass(frozen=True)
class Recipient:
    """Someone a message about a request reaches: its requester, or a follower (a resident
    who added their voice, or the requester of a duplicate merged into it)."""

    email: str
    phone: str
    language: str
    follower: bool = False


class RequesterChannel(Protocol):
    """A way to reach a recipient. `send` does nothing when the recipient gave no address
    for this channel."""

    def send(
        self, *, recipient: Recipient, template: str, context: dict[str, Any], key: str
    ) -> None: ...


class EmailChannel:
    def send(
        self, *, recipient: Recipient, template: str, context: dict[str, Any], key: str
    ) -> None:
        if not recipient.email:
            return
        enqueue_email(
            to=recipient.email,
            template=template,
            context=context,
            language=recipient.language,
            key=f"{key}:email:{recipient.email}",
        )


CHANNELS: tuple[RequesterChannel, ...] = (EmailChannel(),)


def _link(request: CitizenRequest, name: str, *, language: str = "", **kwargs: str) -> str:
    with translation.override(language or request.language):
        return absolute(reverse(f"citizen_requests:{name}", kwargs=kwargs))


def status_link(request: CitizenRequest) -> str:
    """The public status page's absolute address, in the request's language."""
    return _link(request, "status", tracking=request.tracking_number)


def private_link(request: CitizenRequest, token: str) -> str:
    """The private follow-up link's absolute address, in the request's language."""
    return _link(request, "private", token=token)


def requester(request: CitizenRequest) -> Recipient:
    return Recipient(
        email=request.contact_email, phone=request.contact_phone, language=request.language
    )


def followers(request: CitizenRequest) -> list[Recipient]:
    """Whoever asked to be kept informed of the request besides its requester: the residents
    who added their voice with an address, and the requesters of the duplicates merged into
    it. One message per address."""
    found: list[Recipient] = []
    for email in request.supporters.exclude(contact_email="").values_list(
        "contact_email", flat=True
    ):
        found.append(Recipient(email=email, phone="", language=request.language, follower=True))
    for email, phone, language in request.duplicates.values_list(
        "contact_email", "contact_phone", "language"
    ):
        found.append(Recipient(email=email, phone=phone, language=language, follower=True))
    seen = {request.contact_email.lower()} if request.contact_email else set()
    kept = []
    for recipient in found:
        address = recipient.email.lower()
        if address and address in seen:
            continue
        seen.add(address)
        kept.append(recipient)
    return kept


def _send(
    request: CitizenRequest,
    recipients: list[Recipient],
    *,
    template: str,
    context: dict[str, Any],
    key: str,
) -> None:
    base = {
        "request": request,
        "service": request.service,
        "tracking_number": request.tracking_number,
        "municipality": municipality_name(),
        **context,
    }
    for recipient in recipients:
        link = _link(
            request, "status", language=recipient.language, tracking=request.tracking_number
        )
        message = {**base, "status_link": link, "follower": recipient.follower}
        for channel in CHANNELS:
            channel.send(recipient=recipient, template=template, context=message, key=key)


def confirm_filing(request: CitizenRequest, token: str) -> None:
    """The confirmation of a request just filed, with its tracking number and both links:
    the status page anyone may open, and the private link (`token`, given once) through
    which the requester adds a precision or a photo."""
    _send(
        request,
        [requester(request)],
        template=FILED_TEMPLATE,
        context={"private_link": private_link(request, token)},
        key=f"request-filed:{request.pk}",
    )


def notify_requester(
    request: CitizenRequest, event: RequestEvent, *, recipients: list[Recipient] | None = None
) -> None:
    """Tells the requester and the followers what the desk did (`event`, a line of the
    request's history): a status change with its public note, a public reply, or, to the
    requester alone, a question to answer through their private link. `recipients`, when
    given, are told instead (the followers a merge moved to another request)."""
    question = event.kind == EventKind.QUESTION
    if recipients is None:
        recipients = [requester(request)] + ([] if question else followers(request))
    status = event.status_after if event.kind == EventKind.STATUS else ""
    _send(
        request,
        recipients,
        template=UPDATED_TEMPLATE,
        context={
            # Lazy: the label is rendered in the recipient's language.
            "status_label": RequestStatus(status).label if status else "",
            "reply": event.text if event.public else "",
            "question": question,
            "closed": not request.is_open,
            "merged_into": request.duplicate_of if status == RequestStatus.DUPLICATE else None,
        },
        key=f"request-updated:{request.pk}:{event.pk}",
    )
