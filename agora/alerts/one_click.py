"""The one-click unsubscribe of alert e-mails (RFC 8058): every e-mail of an alert that is
not an emergency (`Alert.is_emergency`) carries `List-Unsubscribe` with a private address for its
contact point, and `List-Unsubscribe-Post`, so that the mail program's button stops the
alerts to that address with one POST, without the person opening anything.

The address's token is the contact point's number and an HMAC of it and its address under
the server's secret (as the management link's `message_token`): unguessable, nothing more
stored, and still valid when the person asks for a new management link (an old e-mail's
button keeps working). Pressing it twice changes nothing the second time.
"""

from __future__ import annotations

import hmac

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac

from agora.alerts import subscriptions
from agora.alerts.models import ContactChannel, ContactPoint, OptOutSource
from agora.core.links import absolute

TOKEN_MAX_LENGTH = 100
SALT = "agora.alerts.one-click"


def token_for(contact_id: int, address: str) -> str:
    mac = salted_hmac(SALT, f"{contact_id}:{address}", algorithm="sha256").hexdigest()
    return f"{contact_id}.{mac[:40]}"


def link_for(contact_id: int, address: str, language: str) -> str:
    with translation.override(language):
        return absolute(reverse("alerts:one_click", args=[token_for(contact_id, address)]))


def headers_for(contact_id: int, address: str, language: str) -> dict[str, str]:
    """The headers of RFC 2369 and RFC 8058 for an alert e-mail to this contact point."""
    return {
        "List-Unsubscribe": f"<{link_for(contact_id, address, language)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def contact_for_token(token: str) -> ContactPoint | None:
    """The e-mail contact point the token names (opted out already or not), or None."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    number, dot, _mac = token.partition(".")
    if not dot or not number.isdigit():
        return None
    contact = (
        ContactPoint.objects.filter(pk=int(number), channel=ContactChannel.EMAIL)
        .select_related("subscriber")
        .first()
    )
    if contact is None or not hmac.compare_digest(token_for(contact.pk, contact.address), token):
        return None
    return contact


def stop_alert_emails(*, contact: ContactPoint) -> bool:
    """Stops the alerts to this e-mail address, recording the withdrawal of consent, through
    the subscription's own services: the contact point is removed, or, when it is the
    subscription's only one, the whole subscription ends (it would reach no one). Returns
    False when it was stopped already (a second press, a replayed request)."""
    with transaction.atomic():
        contact = (
            ContactPoint.objects.select_for_update().select_related("subscriber").get(pk=contact.pk)
        )
        if contact.opted_out_at is not None:
            return False
        try:
            subscriptions.remove_contact(contact=contact, source=OptOutSource.LINK)
        except ValidationError:  # its last contact point
            subscriptions.unsubscribe(subscriber=contact.subscriber, source=OptOutSource.LINK)
    return True
