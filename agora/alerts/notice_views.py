"""The public alerts: the list, one alert's page, and their RSS and Atom feeds in the
reader's language."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from agora.alerts import cap
from agora.alerts.models import Alert
from agora.alerts.notices import NOTICES_PER_PAGE, notices, published
from agora.core.links import municipality_name

FEED_ITEMS = 30


def notice_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(published(), NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/notices/list.html",
        {
            "page": page,
            "notices": notices(list(page.object_list)),
            "language": translation.get_language() or "fr",
        },
    )


def notice(request: HttpRequest, pk: int) -> HttpResponse:
    alert = published().filter(pk=pk).prefetch_related("zones").first()
    if alert is None:
        raise Http404(_("Cette alerte n'existe pas ou n'est pas publique."))
    chain = cap.chain(alert)
    public = set(
        published().filter(pk__in=[message.pk for message in chain]).values_list("pk", flat=True)
    )
    earlier = [message for message in chain if message.pk in public]
    later = list(published().filter(references=alert).order_by("sent_at", "pk"))
    return render(
        request,
        "alerts/notices/notice.html",
        {
            "notice": notices([alert])[0],
            "alert": alert,
            "zones": list(alert.zones.all()),
            "earlier": earlier,
            "later": later,
            "language": translation.get_language() or "fr",
        },
    )


class NoticesFeed(Feed[Alert, Any]):
    """The latest alerts, in the language of the address (/fr/... or /en/...)."""

    def title(self) -> str:
        return _("Alertes : %(city)s") % {"city": municipality_name()}

    def link(self) -> str:
        return reverse("alert_notices:list")

    def description(self) -> str:
        return _("Les alertes envoyées aux résidents par la Ville.")

    def items(self) -> list[Alert]:
        return list(published()[:FEED_ITEMS])

    def _language(self) -> str:
        return translation.get_language() or "fr"

    def item_title(self, item: Alert) -> str:
        return item.localized("headline", self._language())

    def item_description(self, item: Alert) -> str:
        language = self._language()
        parts = [item.localized("description", language), item.localized("instruction", language)]
        return "\n\n".join(part for part in parts if part)

    def item_link(self, item: Alert) -> str:
        return reverse("alert_notices:notice", args=[item.pk])

    def item_pubdate(self, item: Alert) -> Any:
        return item.sent_at

    def item_guid(self, item: Alert) -> str:
        return item.identifier

    item_guid_is_permalink = False


class NoticesAtomFeed(NoticesFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()
