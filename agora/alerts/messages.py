"""What each channel says of an alert, in one language: the e-mail's subject and body, the
text message, the automated call's script. Staff write one text per channel; a channel
left empty says the headline, the description and the instructions, with the alert's
public page for the details."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agora.alerts.models import Alert, ContactChannel
from agora.core.links import absolute


def public_link(alert: Alert, language: str) -> str:
    with translation.override(language):
        return absolute(reverse("alert_notices:notice", args=[alert.pk]))


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def payload(alert: Alert, channel: str, language: str) -> dict[str, Any]:
    """The Delivery payload of the alert on `channel` in `language` ("fr" or "en")."""
    link = public_link(alert, language)
    with translation.override(language):
        if channel == ContactChannel.EMAIL:
            body = alert.localized("email_body", language) or _paragraphs(
                alert.localized("description", language),
                alert.localized("instruction", language),
            )
            return {
                "subject": alert.localized("email_subject", language)
                or alert.localized("headline", language),
                "text": _paragraphs(body, _("Tous les détails : %(link)s") % {"link": link}),
            }
        if channel == ContactChannel.SMS:
            text = alert.localized("sms_text", language) or _paragraphs(
                alert.localized("headline", language), link
            )
            return {"text": text}
        script = alert.localized("voice_script", language) or _paragraphs(
            alert.localized("headline", language),
            alert.localized("description", language),
            alert.localized("instruction", language),
        )
        return {"script": script}
