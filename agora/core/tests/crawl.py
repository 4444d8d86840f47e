"""Finding the pages of the demo city the way a visitor does: by following links, from a
few starting pages, one page of each kind (its address with numbers left out)."""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from django.http import HttpResponse, HttpResponseBase
from django.test import Client

from agora.core.tests.html import find_all, parse

NEVER_FOLLOWED = ("logout", "deconnexion")


def page_kind(url: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", urlsplit(url).path)


def links_of(response: HttpResponseBase) -> Iterator[str]:
    """The page's links, and those of the menus Wagtail draws from JSON (its sidebar)."""
    assert isinstance(response, HttpResponse)
    document = parse(response.content)
    for link in find_all(document, "a"):
        if "href" in link.attrs:
            yield link["href"]
    for script in find_all(document, "script", type="application/json"):
        yield from _json_links(json.loads(script.text or "null"))


def _json_links(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "url" and isinstance(item, str):
                yield item
            else:
                yield from _json_links(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_links(item)


def crawl_pages(
    client: Client, start: list[str], within: tuple[str, ...], *, limit: int
) -> dict[str, HttpResponse]:
    """Each HTML page (at most `limit`) reached from `start` (all visited) by links to paths
    that begin with one of `within`, one page of each kind."""
    queue = deque(start)
    kinds: set[str] = set()
    visited: set[str] = set()
    pages: dict[str, HttpResponse] = {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in visited or (page_kind(url) in kinds and url not in start):
            continue
        visited.add(url)
        kinds.add(page_kind(url))
        response = client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            queue.extend(_followed(url, [response["Location"]], within))
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue  # a download, a feed, or a page this person may not see
        assert isinstance(response, HttpResponse)
        pages[url] = response
        queue.extend(_followed(url, links_of(response), within))
    return pages


def _followed(url: str, links: Iterable[str], within: tuple[str, ...]) -> Iterator[str]:
    """The links from `url` to this site's paths that begin with one of `within`."""
    for link in links:
        target = urlsplit(urljoin(url, link))
        if target.netloc not in ("", "testserver") or not target.path.startswith(within):
            continue
        if not any(word in target.path for word in NEVER_FOLLOWED):
            yield target.path + (f"?{target.query}" if target.query else "")
