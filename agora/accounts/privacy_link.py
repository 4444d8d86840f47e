"""The privacy policy's link, which accounts adds to the footer of every page."""

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from agora.core.cache import content_version
from agora.core.navigation import MenuItem
from agora.pages.models import StandardPage

# The policy is the standard page with one of these slugs, in the language of the page.
PRIVACY_POLICY_SLUGS = ("confidentialite", "privacy")
CACHE_SECONDS = 60 * 60


def privacy_policy_link(request: HttpRequest) -> MenuItem | None:
    """The footer's link to the privacy policy, or None while there is none."""
    url = privacy_policy_url(request)
    return MenuItem(title=_("Politique de confidentialité"), url=url) if url else None


def privacy_policy_url(request: HttpRequest) -> str:
    """The address of this site's privacy policy in the current language, or "" while there
    is none. Cached until staff publish something (the content version changes); one query
    when the cache is cold, since every page's footer asks."""
    site = Site.find_for_request(request)
    language = get_language()
    key = f"agora:privacy-url:{site.pk if site else 0}:{language}:{content_version()}"
    url: str | None = cache.get(key)
    if url is None:
        candidates = StandardPage.objects.live().filter(
            slug__in=PRIVACY_POLICY_SLUGS, locale__language_code=language
        )
        # A page of this site has a relative address; one elsewhere has none or a full one.
        addresses = (page.get_url(request) or "" for page in candidates.order_by("path"))
        url = next((address for address in addresses if address.startswith("/")), "")
        cache.set(key, url, timeout=CACHE_SECONDS)
    return url
