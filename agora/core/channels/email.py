"""E-mail, through the mail server in MAILERS (SMTP in production).

The payload holds `subject`, `text`, and optionally `html` and `headers` (List-Unsubscribe
for the messages people subscribed to)."""

import smtplib

from django.core import mail

from agora.core.channels import Channel, DeliveryError, register
from agora.core.models import Delivery

# SMTP reply codes from 500 up say "never" (RFC 5321 §4.2.1); those from 400 to 499 say
# "not now".
PERMANENT_FROM = 500


@register
class EmailChannel(Channel):
    name = "email"
    queue_name = "email"

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
        try:
            message.send()
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


def _reply(text: bytes | str) -> str:
    return (text.decode(errors="replace") if isinstance(text, bytes) else text)[:300]
