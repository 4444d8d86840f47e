"""The main menu: the home page's children that staff marked "show in menus", then the
sections that are not pages, which each module registers (`register`) from its `ready()`:
the survey results hub, for one. The header's link to the visitor's account, and the links
the modules add to the footer.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.shortcuts import resolve_url
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


@dataclass(frozen=True)
class AccountLink:
    signed_in: bool
    url: str
    current: bool  # the visitor is on the page it leads to


def account_link(request: HttpRequest) -> AccountLink:
    """The header's link: "Mon compte" for a signed-in visitor; otherwise the login page,
    which brings the visitor back to this page afterwards (except from the account pages).

    A visitor without a session cookie is anonymous: their session is not opened, so that
    their page stays in the shared page cache (agora/core/page_cache.py)."""
    user = getattr(request, "user", None)  # None before the authentication middleware
    if settings.SESSION_COOKIE_NAME in request.COOKIES and user and user.is_authenticated:
        url = resolve_url(settings.LOGIN_REDIRECT_URL)
        return AccountLink(signed_in=True, url=url, current=request.path == url)
    login_url = resolve_url(settings.LOGIN_URL)
    # The account pages (allauth's and Agora's) share the login page's folder, /fr/compte/.
    account_area = login_url.rstrip("/").rpartition("/")[0] + "/"
    if request.path.startswith(account_area):
        return AccountLink(signed_in=False, url=login_url, current=request.path == login_url)
    back_here = urlencode({"next": request.get_full_path()})
    return AccountLink(signed_in=False, url=f"{login_url}?{back_here}", current=False)


# Called in the visitor's language, when the menu is built again (it is cached with the
# pages'); returns its section's item, or None while the section has nothing to show.
MenuItemSource = Callable[[], MenuItem | None]

_sources: list[MenuItemSource] = []


def register(source: MenuItemSource) -> None:
    """Adds a module's section after the pages, in the order the modules register."""
    if source not in _sources:
        _sources.append(source)


def _application_items() -> list[MenuItem]:
    return [item for source in _sources if (item := source()) is not None]


# The footer's links after the menu: each module registers those it owns (`register_footer`),
# the privacy policy for one. A source gives its link for this request, or None while it has
# none; it is asked on every page, so it caches what it reads.

FooterLinkSource = Callable[[HttpRequest], MenuItem | None]

_footer_sources: list[FooterLinkSource] = []


def register_footer(source: FooterLinkSource) -> None:
    """Adds a module's link to the footer, in the order the modules register."""
    if source not in _footer_sources:
        _footer_sources.append(source)


def footer_links(request: HttpRequest) -> list[MenuItem]:
    return [link for source in _footer_sources if (link := source(request)) is not None]
