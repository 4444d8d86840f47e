"""Forms of a page kept in the shared page cache, protected without Django's CSRF token.

A CSRF token belongs to one visitor, and the cookie that carries it keeps a page out of the
shared cache (core/page_cache.py). The idea list's support buttons are such forms: the list
is read by thousands of anonymous visitors and must stay cached. Their view is protected
instead by what the browser says of where the request comes from, as Go's
`http.CrossOriginProtection` does (https://words.filippo.io/csrf/):

- `Sec-Fetch-Site` (Fetch Metadata, sent by every browser since 2023): `same-origin`, or
  `none` (the visitor's own action, a bookmark), is accepted; `same-site` or `cross-site`
  is refused;
- without it, an `Origin` header (sent on every POST since about 2020) must name this site;
- with neither, the request comes from no browser another site could use against its
  visitor (a script posting directly is not a forgery), and is accepted: rate limits and the
  honeypot deal with scripts.

A refused request changes nothing and gets Django's CSRF failure page (403).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

ACCEPTED_FETCH_SITES = ("same-origin", "none")
REASON = "the request came from another site (Sec-Fetch-Site or Origin)"


def comes_from_another_site(request: HttpRequest) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ACCEPTED_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    if origin == "null":
        return True  # a sandboxed frame or a page opened from a file
    return urlsplit(origin).netloc.lower() != request.get_host().lower()


def from_this_site_only(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Protects a POST view whose forms carry no CSRF token (see the module docstring)."""

    @wraps(view)
    def protected(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and comes_from_another_site(request):
            refused: HttpResponse = import_string(settings.CSRF_FAILURE_VIEW)(
                request, reason=REASON
            )
            return refused
        return view(request, *args, **kwargs)

    exempt: Callable[..., HttpResponse] = csrf_exempt(protected)
    return exempt
