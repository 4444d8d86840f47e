"""Sharing a page: the Open Graph and Twitter card meta that social networks read, and share
links that are plain links. No third-party script, no image from another site: a network
learns about a visit only when the resident chooses to share.

Generic on purpose (a title, an address, a description): projects, ideas and survey results
build the same two objects and render them with `core/includes/social_meta.html` (in the
`meta` block) and `core/includes/share.html`. A page that other sites may embed offers the
code to paste (`embed_snippet`, shown with `core/includes/embed_code.html`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.images.models import SourceImageIOError

# Open Graph wants a territory: Agora speaks Québec French and Canadian English.
OG_LOCALES = {"fr": "fr_CA", "en": "en_CA"}
# The size Facebook, LinkedIn and X show in full width.
SOCIAL_IMAGE_RENDITION = "fill-1200x630"


@dataclass(frozen=True)
class ShareLink:
    network: str
    label: str
    url: str


@dataclass(frozen=True)
class Sharing:
    """What the share buttons of one page need: its title, absolute address and a sentence."""

    title: str
    url: str
    description: str = ""
    links: list[ShareLink] = field(default_factory=list)


@dataclass(frozen=True)
class SocialImage:
    url: str
    alt: str
    width: int
    height: int


@dataclass(frozen=True)
class SocialMeta:
    title: str
    url: str
    description: str
    locale: str
    alternate_locales: list[str]
    site_name: str = ""
    kind: str = "website"
    image: SocialImage | None = None

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"


def absolute_url(request: HttpRequest, location: str) -> str:
    """`location` (a path, or already an address) as the address the visitor used: each
    city's site keeps its own host name."""
    if location.startswith(("http://", "https://")):
        return location
    return request.build_absolute_uri(location)


def _query(**parameters: str) -> str:
    # %20 rather than "+": mail programs do not turn "+" back into spaces.
    return urlencode(parameters, quote_via=quote)


def share_links(*, title: str, url: str, description: str = "") -> Sharing:
    """Links to share `url` on the usual networks and by e-mail, in the visitor's language."""
    body = f"{description}\r\n\r\n{url}" if description else url
    links = [
        ShareLink(
            "facebook",
            _("Partager sur Facebook"),
            f"https://www.facebook.com/sharer/sharer.php?{_query(u=url)}",
        ),
        ShareLink(
            "x", _("Partager sur X"), f"https://x.com/intent/tweet?{_query(text=title, url=url)}"
        ),
        ShareLink(
            "linkedin",
            _("Partager sur LinkedIn"),
            f"https://www.linkedin.com/sharing/share-offsite/?{_query(url=url)}",
        ),
        ShareLink(
            "email", _("Envoyer par courriel"), f"mailto:?{_query(subject=title, body=body)}"
        ),
    ]
    return Sharing(title=title, url=url, description=description, links=links)


def social_image(request: HttpRequest, image: Any) -> SocialImage | None:
    """A Wagtail image cut to the size social networks show, at an absolute address."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition(SOCIAL_IMAGE_RENDITION)
    except SourceImageIOError:
        # The original is missing from the storage: the page is still served, without it.
        return None
    return SocialImage(
        url=absolute_url(request, rendition.url),
        alt=image.default_alt_text,
        width=rendition.width,
        height=rendition.height,
    )


def social_meta(
    *,
    title: str,
    url: str,
    description: str = "",
    image: SocialImage | None = None,
    site_name: str = "",
    kind: str = "website",
) -> SocialMeta:
    """Open Graph and Twitter card data for a page in the visitor's language."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    locale = OG_LOCALES.get(language, OG_LOCALES["fr"])
    return SocialMeta(
        title=title,
        url=url,
        description=description,
        locale=locale,
        alternate_locales=[other for other in OG_LOCALES.values() if other != locale],
        site_name=site_name,
        kind=kind,
        image=image,
    )


def embed_snippet(*, url: str, title: str, width: int, height: int) -> str:
    """The HTML another site pastes into its pages to show `url` in a frame named `title`
    (shown as text, never run here)."""
    return (
        f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" width="{width}" '
        f'height="{height}" loading="lazy" style="border:0;max-width:100%"></iframe>'
    )
