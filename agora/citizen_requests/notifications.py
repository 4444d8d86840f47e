"""Keeping a requester informed: the confirmation when a request is filed, and a message when
the desk changes its status.

Each message goes through every channel of `CHANNELS` that can reach the requester: today
e-mail only (`EmailChannel`, to `contact_email`). A channel is a small class with a `send`
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

from typing import Any, Protocol

from django.urls import reverse
from django.utils import translation

from agora.citizen_requests.models import CitizenRequest, RequestEvent, RequestStatus
from agora.core.email import enqueue_email
from agora.core.links import absolute, municipality_name

FILED_TEMPLATE = "citizen_requests/email/request_filed"
UPDATED_TEMPLATE = "citizen_requests/email/request_updated"


class RequesterChannel(Protocol):
    """A way to reach a requester. `send` does nothing when the request gave no address
    for this channel."""

    def send(
        self, *, request: CitizenRequest, template: str, context: dict[str, Any], key: str
    ) -> None: ...


class EmailChannel:
    def send(
        self, *, request: CitizenRequest, template: str, context: dict[str, Any], key: str
    ) -> None:
        if not request.contact_email:
            return
        enqueue_email(
            to=request.contact_email,
            template=template,
            context=context,
            language=request.language,
            key=key,
        )


CHANNELS: tuple[RequesterChannel, ...] = (EmailChannel(),)


def _link(request: CitizenRequest, name: str, **kwargs: str) -> str:
    with translation.override(request.language):
        return absolute(reverse(f"citizen_requests:{name}", kwargs=kwargs))


def status_link(request: CitizenRequest) -> str:
    """The public status page's absolute address, in the request's language."""
    return _link(request, "status", tracking=request.tracking_number)


def private_link(request: CitizenRequest, token: str) -> str:
    """The private follow-up link's absolute address, in the request's language."""
    return _link(request, "private", token=token)


def _send(request: CitizenRequest, *, template: str, context: dict[str, Any], key: str) -> None:
    context = {
        "request": request,
        "service": request.service,
        "tracking_number": request.tracking_number,
        "status_link": status_link(request),
        "municipality": municipality_name(),
        **context,
    }
    for channel in CHANNELS:
        channel.send(request=request, template=template, context=context, key=key)


def confirm_filing(request: CitizenRequest, token: str) -> None:
    """The confirmation of a request just filed, with its tracking number and both links:
    the status page anyone may open, and the private link (`token`, given once) through
    which the requester adds a precision or a photo."""
    _send(
        request,
        template=FILED_TEMPLATE,
        context={"private_link": private_link(request, token)},
        key=f"request-filed:{request.pk}",
    )


def notify_requester(request: CitizenRequest, event: RequestEvent) -> None:
    """Tells the requester their request changed status (`event`, a line of its history):
    the new status and, when the desk made it public, its reply."""
    _send(
        request,
        template=UPDATED_TEMPLATE,
        context={
            # Lazy: the label is rendered in the request's language.
            "status_label": RequestStatus(event.status_after or request.status).label,
            "reply": event.text if event.public else "",
            "closed": not request.is_open,
        },
        key=f"request-updated:{request.pk}:{event.pk}",
    )
