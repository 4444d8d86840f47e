"""The main menu: the home page's children that staff marked "show in menus", then the survey
results hub once a survey's results are public (the city promised to publish them all)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from agora.core.cache import content_version


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str


def home_page(request: HttpRequest) -> Page | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized


def main_menu(request: HttpRequest) -> list[MenuItem]:
    locale = Locale.get_active()
    site = Site.find_for_request(request)  # each site has its own home page, so its own menu
    key = f"agora:menu:{site.pk if site else 0}:{locale.language_code}:{content_version()}"
    menu: list[MenuItem] | None = cache.get(key)
    if menu is None:
        home = home_page(request)
        menu = (
            []
            if home is None
            else [
                MenuItem(title=page.title, url=page.get_url(request) or "")
                for page in home.get_children().live().in_menu().public()
            ]
        )
        menu += _application_items()
        cache.set(key, menu, timeout=60 * 60)
    return menu


def _application_items() -> list[MenuItem]:
    """Sections that are not pages: the results hub, when it has something to show."""
    from agora.surveys.models import Survey

    if not Survey.objects.with_public_results().exists():
        return []
    return [MenuItem(title=_("Résultats"), url=reverse("results:index"))]
