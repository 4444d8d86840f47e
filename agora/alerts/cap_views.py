"""The CAP messages of the alerts sent, and their Atom index (`/cap/`): not localised, each
message carries both languages."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from agora.alerts import cap
from agora.alerts.models import Alert
from agora.alerts.notices import published
from agora.core.links import municipality_name

CAP_FEED_ITEMS = 50


def cap_message(request: HttpRequest, identifier: str) -> HttpResponse:
    alert = published().filter(identifier=identifier).first()
    if alert is None:
        raise Http404(_("Aucun message CAP ne porte cet identifiant."))
    return HttpResponse(cap.render(alert), content_type=f"{cap.CAP_MIME_TYPE}; charset=utf-8")


class CapAtomFeed(Feed[Alert, Any]):
    """The index of CAP messages, as public alerting feeds publish theirs: one entry per
    message, linking to it as application/cap+xml."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return f"CAP · {municipality_name()}"

    def link(self) -> str:
        return reverse("alert_cap:feed")

    def subtitle(self) -> str:
        return "Messages CAP-CP (CAP 1.2) / CAP-CP messages (CAP 1.2)"

    def items(self) -> list[Alert]:
        return list(published()[:CAP_FEED_ITEMS])

    def item_title(self, item: Alert) -> str:
        return f"{item.headline_fr} / {item.headline_en}"

    def item_description(self, item: Alert) -> str:
        return f"{item.message_type} · {item.severity} · {item.urgency} · {item.certainty}"

    def item_link(self, item: Alert) -> str:
        return reverse("alert_cap:message", args=[item.identifier])

    def item_pubdate(self, item: Alert) -> Any:
        return item.sent_at

    def item_guid(self, item: Alert) -> str:
        return item.identifier

    item_guid_is_permalink = False

    def item_enclosure_url(self, item: Alert) -> str:
        return reverse("alert_cap:message", args=[item.identifier])

    item_enclosure_mime_type = cap.CAP_MIME_TYPE
