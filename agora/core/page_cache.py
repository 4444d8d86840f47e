"""A shared cache of public pages for visitors without a session.

Most visits are anonymous readings of the same pages (home, a project, the catalogue), and a
Wagtail page costs about twenty queries to build. Such a page is built once, kept in the
cache (Redis in production, shared by every web process) and served from there until staff
publish something: publishing bumps the content version, which is part of every key. The
city's date is part of it too: at midnight in America/Toronto "Il reste 3 jours" becomes
"Il reste 2 jours", and a phase that closed yesterday is no longer current.

A response is kept only when nothing in it can belong to one visitor: no cookie set, no
`Vary: Cookie`, no private or no-store Cache-Control. Requests that carry a session are never
served from it, so staff and signed-in residents always see fresh, personal pages.

Pages that residents' contributions change (a project's idea list) name a *scope* with
`cache_scope(response, "project:12")`; a contribution calls `bump_scope("project:12")` and
only that project's pages renew, not the whole site.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import has_vary_header

from agora.core.cache import content_version

# Query parameters that select public content (pagination, catalogue, project and idea
# filters, the survey results' filters, segment and period); a request
# with any other parameter, a search for instance, is not cached.
CACHEABLE_QUERY_PARAMETERS = frozenset(
    {"page", "categorie", "tri", "theme", "statut", "niveau"}
    | {"projet", "type", "segment", "periode"}  # the survey results
)
UNCACHEABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")


SCOPE_ATTRIBUTE = "_agora_cache_scope"


def cache_scope(response: HttpResponse, scope: str) -> HttpResponse:
    """Marks a response as depending on what `bump_scope(scope)` renews."""
    setattr(response, SCOPE_ATTRIBUTE, scope)
    return response


def _scope_key(scope: str) -> str:
    return f"agora:scope:{scope}"


def scope_version(scope: str) -> int:
    return int(cache.get(_scope_key(scope)) or 1)


def bump_scope(scope: str) -> None:
    """Renews the cached pages of `scope` once the current transaction commits."""

    def bump() -> None:
        try:
            cache.incr(_scope_key(scope))
        except ValueError:
            cache.set(_scope_key(scope), 2, timeout=None)

    transaction.on_commit(bump)


def _language_prefixes() -> tuple[str, ...]:
    return tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.timeout: int = settings.PAGE_CACHE_SECONDS
        self.prefixes = _language_prefixes()
        self.bypass_cookies: tuple[str, ...] = tuple(settings.PAGE_CACHE_BYPASS_COOKIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._is_cacheable_request(request):
            return self.get_response(request)
        key = (
            f"agora:page:{content_version()}:{timezone.localdate().isoformat()}:"
            f"{request.get_host()}:{request.get_full_path()}"
        )
        entry: tuple[str, int, HttpResponse] | None = cache.get(key)
        if entry is not None:
            scope, version, cached = entry
            if not scope or scope_version(scope) == version:
                cached["X-Agora-Cache"] = "hit"
                return cached
        response = self.get_response(request)
        if self._is_cacheable_response(response):
            scope = getattr(response, SCOPE_ATTRIBUTE, "")
            version = scope_version(scope) if scope else 0
            cache.set(key, (scope, version, response), self.timeout)
            response["X-Agora-Cache"] = "miss"
        return response

    def _is_cacheable_request(self, request: HttpRequest) -> bool:
        return (
            self.timeout > 0
            and request.method == "GET"
            and request.path.startswith(self.prefixes)
            and not any(name in request.COOKIES for name in self.bypass_cookies)
            and set(request.GET.keys()) <= CACHEABLE_QUERY_PARAMETERS
        )

    @staticmethod
    def _is_cacheable_response(response: HttpResponse) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not has_vary_header(response, "Cookie")
            and not any(word in cache_control for word in UNCACHEABLE_CACHE_CONTROL)
        )
