"""E-mail, through the mail server in MAILERS (SMTP in production).

The payload holds `subject`, `text`, and optionally `html` and `headers` (List-Unsubscribe
for the messages people subscribed to).

Each message opens a connection to the server and closes it, unless it is sent inside
`EmailChannel.batch()` (through `deliveries.batch(["email"])`): the messages of the block
then share one connection, opened at the first message and closed on leaving, as a mail
server expects of a sender of hundreds of messages (an alert's batch). A connection lost
in the middle is opened again for the next message.
"""

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from agora.core import pace
from agora.core.channels import Channel, DeliveryError, register
from agora.core.models import Delivery

# SMTP reply codes from 500 up say "never" (RFC 5321 §4.2.1); those from 400 to 499 say
# "not now".
PERMANENT_FROM = 500

# The connection the sends of the current `batch()` share (per thread and task).
_shared_connection: ContextVar[BaseEmailBackend | None] = ContextVar(
    "shared_email_connection", default=None
)

# The pace of e-mails, when EMAIL_MESSAGES_PER_SECOND sets one (agora/core/pace.py).
RATE_KEY = "email:sent-in-second:{second}"


@register
class EmailChannel(Channel):
    name = "email"
    queue_name = "email"

    @classmethod
    @contextmanager
    def batch(cls) -> Iterator[None]:
        if _shared_connection.get() is not None:  # already inside a batch: share that one
            yield
            return
        connection = mail.mailers.default  # a new backend, not connected yet
        token = _shared_connection.set(connection)
        try:
            yield
        finally:
            _shared_connection.reset(token)
            _close(connection)

    def send(self, delivery: Delivery) -> None:
        payload = delivery.payload
        message = mail.EmailMultiAlternatives(
            subject=payload.get("subject", ""),
            body=payload.get("text", ""),
            to=[delivery.recipient],
            headers=payload.get("headers") or None,
        )
        if payload.get("html"):
            message.attach_alternative(payload["html"], "text/html")
        if settings.EMAIL_MESSAGES_PER_SECOND:
            pace.wait_for_a_slot(RATE_KEY, settings.EMAIL_MESSAGES_PER_SECOND)
        shared = _shared_connection.get()
        try:
            if shared is None:
                message.send()
            else:
                _send_on(shared, message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            raise DeliveryError(
                f"recipient refused ({', '.join(map(str, codes))})",
                permanent=all(code >= PERMANENT_FROM for code in codes),
            ) from error
        except smtplib.SMTPDataError as error:  # the message itself was refused
            raise DeliveryError(
                f"message refused ({error.smtp_code}): {_reply(error.smtp_error)}",
                permanent=error.smtp_code >= PERMANENT_FROM,
            ) from error
        except smtplib.SMTPResponseException as error:
            # Our sender address or login refused, or the server is not ready: the city's
            # settings or the server need fixing, the message can wait until they are.
            raise DeliveryError(
                f"server answered {error.smtp_code}: {_reply(error.smtp_error)}"
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            # Refused connection, timeout, server gone away: the server may be back later.
            raise DeliveryError(f"{type(error).__name__}: {error}") from error
        except ValueError as error:  # an address or header Python refuses to write
            raise DeliveryError(f"invalid message: {error}", permanent=True) from error


def _send_on(connection: BaseEmailBackend, message: mail.EmailMessage) -> None:
    """Sends on the batch's connection, opened first if it is not (the batch's first message,
    or the one after a connection lost). Opened here, it stays open for the next messages:
    the backend closes only the connections its `send_messages` opened itself."""
    try:
        connection.open()
        connection.send_messages([message])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, ValueError):
        raise  # this message refused: the connection is still good (smtplib reset it)
    except Exception:
        _close(connection)  # in an unknown state: the next message opens a new one
        raise


def _close(connection: BaseEmailBackend) -> None:
    # A server already gone, or refusing QUIT, leaves nothing to close.
    with suppress(smtplib.SMTPException, OSError):
        connection.close()


def _reply(text: bytes | str) -> str:
    return (text.decode(errors="replace") if isinstance(text, bytes) else text)[:300]
