"""Channels carry deliveries (agora/core/deliveries.py) to people: e-mail today; text
messages, calls and webhooks are added the same way.

A channel is a small class in a module of its own, registered by name:

    @register
    class TextMessageChannel(Channel):
        name = "sms"
        queue_name = "default"

        def send(self, delivery: Delivery) -> None:
            ...  # hand `delivery.payload` to the gateway for `delivery.recipient`

`send()` returns once the provider has accepted the message. When it cannot, it raises
`DeliveryError`: `permanent=False` (the default) when trying again later may work (server
down, timeout, "try again" answer), and the delivery is retried with backoff;
`permanent=True` when it never will (address refused, message rejected), and the delivery
stops there. Any other exception counts as a transient failure. The message given to
`DeliveryError` is kept on the delivery, never logged: it may name the recipient.

A channel that opens something costly per message (e-mail opens an SMTP connection)
shares it inside `batch()`: whoever sends many deliveries at once (an alert's batch of 500)
wraps them in `deliveries.batch(channel names)`, and every `send()` of that channel in the
block uses what `batch()` opened. The default opens nothing.

The app that owns a channel imports its module from its AppConfig.ready(), as core does
for e-mail.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from agora.core.models import Delivery


class DeliveryError(Exception):
    """The channel could not hand the message over; `permanent` says whether to stop."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class UnknownChannelError(LookupError):
    pass


class Channel:
    """Sends the deliveries of one kind. One instance per delivery attempt."""

    name: ClassVar[str]
    # The task queue its deliveries wait in (TASKS["default"]["QUEUES"] must list it).
    queue_name: ClassVar[str] = "default"

    def send(self, delivery: "Delivery") -> None:
        """Hands the message over, or raises DeliveryError."""
        raise NotImplementedError

    @classmethod
    @contextmanager
    def batch(cls) -> Iterator[None]:
        """A block in which this channel's sends (in this thread) may share what is costly
        to open, such as a connection, closed on leaving. Nothing by default."""
        yield


_channels: dict[str, type[Channel]] = {}


def register[C: type[Channel]](channel: C) -> C:
    """Class decorator: makes the channel available under its `name`."""
    _channels[channel.name] = channel
    return channel


def channel_named(name: str) -> Channel:
    try:
        return _channels[name]()
    except KeyError:
        raise UnknownChannelError(name) from None


def names() -> list[str]:
    return sorted(_channels)
