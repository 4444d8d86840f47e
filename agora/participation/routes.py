"""The addresses under a project page and under the "Participer" index, in both languages.

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
    Route("ideas", "idees/", "ideas/", "agora.ideas.views.idea_list"),
    Route("ideas_map", "idees/carte/", "ideas/map/", "agora.ideas.views.idea_map"),
    Route("idea_new", "idees/nouvelle/", "ideas/new/", "agora.ideas.contribute_views.idea_create"),
    Route("idea", "idees/<int:idea_id>/", "ideas/<int:idea_id>/", "agora.ideas.views.idea_detail"),
    Route(
        "idea_react",
        "idees/<int:idea_id>/reagir/",
        "ideas/<int:idea_id>/react/",
        "agora.ideas.contribute_views.idea_react",
    ),
    Route(
        "idea_comment",
        "idees/<int:idea_id>/commenter/",
        "ideas/<int:idea_id>/comment/",
        "agora.ideas.contribute_views.idea_comment",
    ),
    Route(
        "idea_flag",
        "idees/<int:idea_id>/signaler/",
        "ideas/<int:idea_id>/flag/",
        "agora.ideas.contribute_views.idea_flag",
    ),
    Route(
        "comment_flag",
        "idees/<int:idea_id>/commentaires/<int:comment_id>/signaler/",
        "ideas/<int:idea_id>/comments/<int:comment_id>/flag/",
        "agora.ideas.contribute_views.comment_flag",
    ),
    Route(
        "idea_follow",
        "idees/<int:idea_id>/suivre/",
        "ideas/<int:idea_id>/follow/",
        "agora.ideas.feedback_views.idea_follow",
    ),
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
