"""How the staff area says no: a screen raises `PermissionDenied`, and the member of the team
reads the one "Accès refusé" page (403) of /gestion/, with the reason when the refusal gives
one.

Wagtail answers a `PermissionDenied` raised under /gestion/ with a redirect to its dashboard;
the hand-written screens of each app, and the team's listings with them (core/viewsets.py),
are mounted through `staff_screens`, and the other viewsets build their views through
`RefusesWithTheStaffPage`, so that theirs become this page instead. Elsewhere, the project's
403 handler (`agora.core.views`) renders the same page for the staff area.

A signed-in resident who opens /gestion/ reads a page of the public site instead
(`staff_area_refusal_for_residents`): the staff area is the city's team's."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from wagtail.utils.urlpatterns import decorate_urlpatterns

from agora.core.content_security import STAFF_AREA_POLICY

View = Callable[..., HttpResponseBase]


@csp_override(STAFF_AREA_POLICY)
def staff_refusal(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The staff area's 403 page."""
    return render(
        request,
        "core/admin/forbidden.html",
        {"page_title": _("Accès refusé"), "header_icon": "warning", "reason": str(exception or "")},
        status=403,
    )


def staff_area_refusal_for_residents(request: HttpRequest) -> HttpResponse:
    """The 403 page of /gestion/ for a signed-in person who is not on the city's team, in
    the public site's look and their language."""
    response = render(request, "core/staff_area_refused.html", status=403)
    add_never_cache_headers(response)
    return response


def refusals_rendered(view: View) -> View:
    """Renders the `PermissionDenied` of a staff screen as the staff area's 403 page."""

    @functools.wraps(view)
    def screen(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            return staff_refusal(request, refusal)

    return screen


def staff_screens(
    urlpatterns: Sequence[URLPattern | URLResolver],
) -> list[URLPattern | URLResolver]:
    """An app's staff screens, as its `register_admin_urls` hook hands them to Wagtail."""
    decorated: list[URLPattern | URLResolver] = decorate_urlpatterns(
        list(urlpatterns), refusals_rendered
    )
    return decorated
