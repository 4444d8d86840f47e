"""What a page would make a visitor's browser ask of other origins, read from the response
the way the browser reads it: every address it fetches by itself (`src`, `srcset`, `poster`,
`data`, a `<link>`'s `href`, an SVG `<use>`, a form's `action` and `formaction`, `url()` in
styles), every address in the JSON a page hands to its scripts, every source its
Content-Security-Policy allows. Links (`<a href>`) are left alone: a person follows them.

The map tile server the city configured is the one other origin allowed, and only in its
two places: the image sources of the Content-Security-Policy, and the settings of a map that
waits for the visitor's consent (core/includes/map.html, location_picker.html).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.http import HttpResponse, HttpResponseBase

from agora.core.tests.html import Element, parse

# Attributes whose address a browser fetches (or, for a form, sends to) on any element...
FETCHED_ATTRIBUTES = ("src", "poster", "action", "formaction")
# ... and on some elements only.
FETCHED_BY_ELEMENT = {
    "link": ("href",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
    "object": ("data",),
}
ABSOLUTE = re.compile(r"\s*(https?:)?//")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
# A link a person follows, in the JSON of Wagtail's menus or of a map's points.
JSON_LINK_KEYS = {"url"}
# Directives about who may frame or be framed, not what the page fetches.
CSP_IGNORED_DIRECTIVES = {"frame-ancestors", "report-uri", "report-to"}
# Sources that name no other origin (keywords, in quotes, are left out too).
CSP_LOCAL_SOURCES = {"data:", "blob:"}


@dataclass(frozen=True)
class Address:
    where: str  # "<img src>", "Content-Security-Policy img-src", "JSON of #map-config"
    url: str
    after_consent: bool = False  # in the settings of a map shown only once the visitor asks


def origin_of(url: str, own_origin: str) -> str:
    """The origin `url` points to, as seen from a page of `own_origin` ("" for no origin at
    all: a data: URI, a fragment)."""
    url = url.strip()
    scheme = urlsplit(own_origin).scheme
    if url.startswith("//"):
        url = f"{scheme}:{url}"
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "mailto", "tel", "javascript"):
        return ""
    if not parts.netloc:
        return own_origin  # a path on this site
    return f"{parts.scheme}://{parts.netloc}".lower()


def addresses(response: HttpResponseBase) -> Iterator[Address]:
    """Every address the page makes a browser fetch, or lets it fetch."""
    yield from _policy_sources(response)
    if "Link" in response:
        for match in re.finditer(r"<([^>]+)>", response["Link"]):
            yield Address("Link header", match.group(1))
    if isinstance(response, HttpResponse) and response["Content-Type"].startswith("text/html"):
        yield from _document_addresses(parse(response.content), inside_map=False)


def third_party_addresses(
    found: Iterable[Address], *, own_origin: str, tile_origin: str
) -> list[Address]:
    """The addresses on another origin than `own_origin`, except the tile server's
    (`tile_origin`, with `*.` for any sub-domain) in its two allowed places."""
    third_party = []
    for address in found:
        origin = origin_of(address.url, own_origin)
        if origin in ("", own_origin.lower()):
            continue
        allowed_here = address.after_consent or address.where == "Content-Security-Policy img-src"
        if tile_origin and allowed_here and matches_origin(origin, tile_origin):
            continue
        third_party.append(address)
    return third_party


def matches_origin(origin: str, pattern: str) -> bool:
    """Whether `origin` is `pattern`, which may stand for any sub-domain: https://*.example."""
    scheme, _, host = pattern.lower().partition("://")
    if host.startswith("*."):
        return origin.startswith(f"{scheme}://") and origin.endswith(host[1:])
    return origin == pattern.lower()


def _policy_sources(response: HttpResponseBase) -> Iterator[Address]:
    for header in ("Content-Security-Policy", "Content-Security-Policy-Report-Only"):
        for directive in response.get(header, "").split(";"):
            name, *sources = directive.split() or [""]
            if name in CSP_IGNORED_DIRECTIVES:
                continue
            for source in sources:
                if source.startswith("'") or source in CSP_LOCAL_SOURCES:
                    continue
                if source == "*" or source.endswith(":"):  # any host, or any host of a scheme
                    source = f"{source.rstrip('*') or 'https:'}//*"
                elif "://" not in source:  # a host without a scheme takes the page's
                    source = f"//{source}"
                yield Address(f"Content-Security-Policy {name}", source)


def _document_addresses(element: Element, *, inside_map: bool) -> Iterator[Address]:
    tag = element.tag
    for name in (*FETCHED_ATTRIBUTES, *FETCHED_BY_ELEMENT.get(tag, ())):
        if name in element.attrs:
            yield Address(f"<{tag} {name}>", element.attrs[name])
    for name in ("srcset", "imagesrcset"):
        for candidate in element.attrs.get(name, "").split(","):
            if candidate.split():
                yield Address(f"<{tag} {name}>", candidate.split()[0])
    for match in CSS_URL.finditer(element.attrs.get("style", "")):
        yield Address(f"<{tag} style>", match.group(1))
    text = "".join(child for child in element.children if isinstance(child, str))
    if tag == "style":
        for match in CSS_URL.finditer(text):
            yield Address("<style>", match.group(1))
    if tag == "script" and element.attrs.get("type") == "application/json":
        where = f"JSON of #{element.attrs.get('id', '')}"
        # A map's settings wait for consent when the map has its "show the map" button.
        after_consent = inside_map and element.attrs.get("id", "").endswith("-config")
        for url in _json_urls(json.loads(text or "null")):
            yield Address(where, url, after_consent=after_consent)
    inside_map = inside_map or (
        "data-map" in element.attrs
        and any("data-map-consent" in child.attrs for child in element.descendants())
    )
    for child in element.children:
        if isinstance(child, Element):
            yield from _document_addresses(child, inside_map=inside_map)


def _json_urls(value: object, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _json_urls(item, str(name))
    elif isinstance(value, list):
        for item in value:
            yield from _json_urls(item, key)
    elif isinstance(value, str) and key not in JSON_LINK_KEYS and ABSOLUTE.match(value):
        yield value
