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

The key holds only the query parameters that select public content
(`CACHEABLE_QUERY_PARAMETERS`): `?utm_source=…` or `?x=1` must not force a new rendering, or
anyone could skip the cache at will. The page's path leaves the other parameters out (its links,
its language switcher, its `next` never echo them), and the middleware records what the
rendering read of the query: a page that asks for another parameter (the search reads `q`)
or reads the whole query is served from the cache only to requests without other
parameters; the others go to the view and are not kept, as before.
"""

from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import has_vary_header
from django.utils.encoding import escape_uri_path
from django.utils.http import urlencode

from agora.core.cache import content_version

# Query parameters that select public content (pagination, catalogue, project and idea
# filters, the survey results' filters, segment and period): part of the cache key. Any other
# parameter is left out of the key and out of the cached page (see above).
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


class _ReadRecordingQueryDict(QueryDict):
    """The query of a request whose page may be kept: notes whether the page asks for a
    parameter outside `CACHEABLE_QUERY_PARAMETERS` (by name, present or not) or reads the
    whole query (its rendering could then depend on any parameter)."""

    reads_other_parameters = False
    recording = False  # not while QueryDict fills itself

    def _note(self, key: object) -> None:
        if self.recording and key not in CACHEABLE_QUERY_PARAMETERS:
            self.reads_other_parameters = True

    def __getitem__(self, key: str) -> Any:
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return super().__contains__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._note(key)
        return super().get(key, default)

    def getlist(self, key: str, default: Any = None) -> Any:
        self._note(key)
        return super().getlist(key, default)

    def _whole(self) -> None:
        if self.recording:
            self.reads_other_parameters = True

    def __iter__(self) -> Any:
        self._whole()
        return super().__iter__()

    def __len__(self) -> int:
        self._whole()
        return super().__len__()

    def keys(self) -> Any:
        self._whole()
        return super().keys()

    def items(self) -> Any:
        self._whole()
        return super().items()

    def lists(self) -> Any:
        self._whole()
        return super().lists()

    def values(self) -> Any:
        self._whole()
        return super().values()

    def dict(self) -> dict[str, Any]:
        self._whole()
        return super().dict()

    def copy(self) -> Any:
        self._whole()
        return super().copy()

    def urlencode(self, safe: str | None = None) -> str:
        self._whole()
        return super().urlencode(safe)


def _declared_query(request: HttpRequest) -> str:
    """The request's cacheable parameters, in a fixed order, with their values in order."""
    return urlencode(
        [
            (name, value)
            for name in sorted(CACHEABLE_QUERY_PARAMETERS & set(request.GET.keys()))
            for value in request.GET.getlist(name)
        ]
    )


def _recording(request: HttpRequest, declared_query: str) -> _ReadRecordingQueryDict:
    """Prepares `request` for a page that may be kept: its path and address (links, the
    language switcher, `next`) name only the cacheable parameters, and its query records
    what the page reads."""
    query = _ReadRecordingQueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
    request.META = {**request.META, "QUERY_STRING": declared_query}
    request.GET = query
    # The stubs type a QueryDict built from a string as immutable, whatever its class.
    recorded = cast(_ReadRecordingQueryDict, query)
    recorded.recording = True
    return recorded


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
        declared_query = _declared_query(request)
        has_other_parameters = bool(set(request.GET.keys()) - CACHEABLE_QUERY_PARAMETERS)
        path = escape_uri_path(request.path) + (f"?{declared_query}" if declared_query else "")
        key = (
            f"agora:page:{content_version()}:{timezone.localdate().isoformat()}:"
            f"{request.get_host()}:{path}"
        )
        entry: tuple[str, int, HttpResponse, bool] | None = cache.get(key)
        if entry is not None:
            scope, version, cached, reads_other_parameters = entry
            if not scope or scope_version(scope) == version:
                if has_other_parameters and reads_other_parameters:
                    # The page reads a parameter the key leaves out (a search's `q`).
                    return self.get_response(request)
                cached["X-Agora-Cache"] = "hit"
                return cached
        query = _recording(request, declared_query)
        response = self.get_response(request)
        reads_other_parameters = query.reads_other_parameters
        if self._is_cacheable_response(response) and not (
            has_other_parameters and reads_other_parameters
        ):
            scope = getattr(response, SCOPE_ATTRIBUTE, "")
            version = scope_version(scope) if scope else 0
            entry = (scope, version, response, reads_other_parameters)
            cache.set(key, entry, self.timeout)
            response["X-Agora-Cache"] = "miss"
        return response

    def _is_cacheable_request(self, request: HttpRequest) -> bool:
        return (
            self.timeout > 0
            and request.method == "GET"
            and request.path.startswith(self.prefixes)
            and not any(name in request.COOKIES for name in self.bypass_cookies)
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
