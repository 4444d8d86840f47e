"""The public indicators of citizen requests, at /fr/requetes/indicateurs/
(/en/requests/indicators/), with their CSV and XLSX files, and the public map and list of
public requests, at /fr/requetes/publiques/ (/en/requests/public/).

Every chart has its table (agora.core.charts), every page works without JavaScript and fits a
360 px phone. The figures come from `cached_indicators`, at most a minute old; the pages are
marked `no-cache` so that the shared page cache (which keeps a page five minutes) does not
keep them longer. The staff dashboard (indicator_admin.py) shows the same sections.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from agora.citizen_requests.boundary import Polygon, parse_boundary
from agora.citizen_requests.filing import municipality_boundary
from agora.citizen_requests.indicators import public
from agora.citizen_requests.indicators.display import indicators_context
from agora.citizen_requests.indicators.figures import cached_indicators
from agora.citizen_requests.indicators.files import EXPORT_FORMATS, export_response
from agora.citizen_requests.indicators.map import map_legend, places_map
from agora.citizen_requests.indicators.period import IndicatorForm
from agora.citizen_requests.indicators.public import PublicFilter
from agora.citizen_requests.models import RequestService, RequestStatus

REQUESTS_PER_PAGE = 20


def _fresh_within_a_minute(response: HttpResponse) -> HttpResponse:
    """Not kept by the shared page cache (five minutes): the figures are a minute old at most."""
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
def indicators_page(request: HttpRequest) -> HttpResponse:
    form = IndicatorForm(request.GET)
    indicators = cached_indicators(form.scope())
    context = indicators_context(indicators, staff=False)
    context.update(form=form)
    return _fresh_within_a_minute(
        render(request, "citizen_requests/indicators/indicators.html", context)
    )


@require_safe
def indicators_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in EXPORT_FORMATS:
        raise Http404
    indicators = cached_indicators(IndicatorForm(request.GET).scope())
    return _fresh_within_a_minute(export_response(indicators, file_format, staff=False))


# The public map and list -------------------------------------------------------------------


class PublicFilterForm(forms.Form):
    """The list's and map's filters, a GET form that works without JavaScript. A value that
    is not one of the choices is ignored: a shared link never breaks."""

    service = forms.ModelChoiceField(
        label=gettext_lazy("Service"),
        queryset=RequestService.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("Tous les services"),
    )
    statut = forms.ChoiceField(label=gettext_lazy("État"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_field: Any = self.fields["statut"]
        status_field.choices = [
            ("", _("Tous les états")),
            (public.OPEN_FILTER, _("Ouvertes")),
            (public.CLOSED_FILTER, _("Fermées")),
            *RequestStatus.choices,
        ]

    def choice(self) -> PublicFilter:
        self.is_valid()  # keeps the valid fields in cleaned_data, drops the others
        service = self.cleaned_data.get("service")
        return PublicFilter(
            service_code=service.code if service is not None else "",
            status=self.cleaned_data.get("statut") or "",
        )


class _CountedOnceAMinute(Paginator[Any]):
    """Pages whose total is counted at most once a minute for the same choice."""

    def __init__(self, object_list: Any, per_page: int, *, choice: PublicFilter) -> None:
        super().__init__(object_list, per_page)
        self.choice = choice

    @cached_property
    def count(self) -> int:
        return public.cached_public_count(self.choice)


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET)
    choice = form.choice()
    rows = public.public_rows(public.public_requests(choice))
    page = _CountedOnceAMinute(rows, REQUESTS_PER_PAGE, choice=choice).get_page(
        request.GET.get("page")
    )
    places = public.cached_public_places(choice)
    context = {
        "form": form,
        "filters_active": bool(choice.service_code or choice.status),
        "page": page,
        "requests": [public.public_request(row) for row in page.object_list],
        "places": places,
        "map": places_map(places, _boundary()),
        "map_legend": map_legend(),
    }
    return _fresh_within_a_minute(
        render(request, "citizen_requests/indicators/public_list.html", context)
    )


def _boundary() -> list[Polygon]:
    text = municipality_boundary()
    if not text.strip():
        return []
    try:
        return parse_boundary(text)
    except ValidationError:
        return []
