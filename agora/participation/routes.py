"""The addresses under a project page and under the "Participer" index, in both languages.
Phase components add theirs under the project page (`PhaseComponent.routes`).

Each route names the view that answers it; the view is imported when first called, so the
page models do not depend on the modules that serve them. A view is called as
`view(request, page, **kwargs)`.

Every address ends with a slash and has no dot: Wagtail serves only paths made of letters,
digits, hyphens and slashes. A file (the poster, a calendar) gets its name from its
Content-Disposition header instead.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.module_loading import import_string
from django.utils.translation import get_language


@dataclass(frozen=True)
class Route:
    name: str
    french: str
    english: str
    view: str


PROJECT_ROUTES = [
    Route("follow", "suivre/", "follow/", "agora.participation.follow_views.follow_project"),
    Route("poster", "affiche/", "poster/", "agora.participation.views.poster"),
    Route("card", "carte-integrable/", "embed/", "agora.participation.views.embed_card"),
    Route("calendar", "calendrier/", "calendar/", "agora.participation.views.calendar"),
]

INDEX_ROUTES = [
    Route("rss", "flux-rss/", "rss-feed/", "agora.participation.views.projects_rss"),
    Route("atom", "flux-atom/", "atom-feed/", "agora.participation.views.projects_atom"),
    Route(
        "calendar",
        "calendrier/",
        "calendar/",
        "agora.participation.views.all_phases_calendar",
    ),
]


def _delegate(dotted: str) -> Callable[..., HttpResponse]:
    def view(page: Any, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = import_string(dotted)(request, page, *args, **kwargs)
        return response

    view.__name__ = dotted.rsplit(".", 1)[-1]
    return view


def subpage_urls(routes: list[Route]) -> list[URLPattern]:
    """French and English addresses of each route: `name` and `name_en`."""
    patterns = []
    for route in routes:
        view = _delegate(route.view)
        patterns.append(path(route.french, view, name=route.name))
        patterns.append(path(route.english, view, name=f"{route.name}_en"))
    return patterns


def localized_name(name: str) -> str:
    return f"{name}_en" if (get_language() or "fr").startswith("en") else name
