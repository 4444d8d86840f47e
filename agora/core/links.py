"""Site links every module shares: absolute addresses, the city's name, a page in a reader's
language.

A message is read far from the site (an e-mail, an SMS, a calendar), so its links are
absolute, built on `SITE_URL`; a page shown in the browser uses the host the visitor came
through instead (`agora.core.sharing.absolute_url`). The city's name comes from its branding:
the request's site when there is a request, the default site otherwise.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from wagtail.models import Locale, Page, Site

from agora.core.models import Branding


def absolute(path: str) -> str:
    """`path` as an address that works outside the site, such as in an e-mail."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def municipality_name(request: HttpRequest | None = None) -> str:
    """The city's name, as its branding spells it."""
    if request is not None:
        return str(Branding.for_request(request).municipality_name)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return str(settings.WAGTAIL_SITE_NAME)
    return str(Branding.for_site(site).municipality_name)


def page_in_language[P: Page](page: P, language: str, *, fallback: P) -> P:
    """The page readers of `language` see: its published translation, else `fallback`."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is not None:
        translated = page.get_translation_or_none(locale)
        if translated is not None and translated.live:
            specific: P = translated.specific
            return specific
    return fallback


def page_path(page: Page) -> str:
    """The page's path on its site ("/" when it has none, as for a page outside the tree)."""
    parts = page.get_url_parts()
    if not parts or parts[2] is None:
        return "/"
    return str(parts[2])


def page_link(page: Page) -> str:
    """The page's absolute address, for a message."""
    return absolute(page_path(page))
