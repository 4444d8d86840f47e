"""Reporting a problem, without an account, at /fr/requetes/ (/en/requests/).

Three steps that work without JavaScript: choose the service (`choose`, with a search box),
say where (`place`: an address, or a point on the map when JavaScript is on; the open
requests of the same service close to the point are offered first, with a "moi aussi"
button, `add_voice`), then describe the problem (`details`). The place travels from step to
step in the query string (`?adresse=…&lat=…&lon=…`): the place of a problem in the street is
not personal data. The contact e-mail and phone are, so they only travel in POST bodies.

Abuse limits count per connection over an hour (agora/core/integrity.py); a form sent
without the ALTCHA proof of work (no JavaScript) is accepted under a tighter limit.
"""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agora.citizen_requests import filing
from agora.citizen_requests.models import OPEN_STATUSES, CitizenRequest, RequestService
from agora.citizen_requests.report_forms import DetailsForm, PlaceForm, VoiceForm
from agora.core import integrity
from agora.core.participants import participant_for
from agora.core.search_text import without_accents

HOUR = 60 * 60
# (with the proof of work, without it) per hour: a resident walking their street may report
# several problems; a script is stopped well before it floods the desk.
REQUEST_LIMITS = (10, 5)
VOICE_LIMITS = (30, 10)
PLACE_PARAMETERS = ("adresse", "lat", "lon")
SEARCH_MAX_LENGTH = 100


def _service(code: str) -> RequestService:
    """An offered service; 404 for an unknown or withdrawn one."""
    service = (
        RequestService.objects.filter(code=code, active=True).prefetch_related("attributes").first()
    )
    if service is None:
        raise Http404(_("Ce service n'existe pas ou ne reçoit plus de requêtes."))
    return service


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "citizen_requests/report/too_many.html", status=429)
    response["Retry-After"] = str(HOUR)
    return response


def _place_query(place: dict[str, str]) -> str:
    kept = {name: place[name] for name in PLACE_PARAMETERS if place.get(name)}
    return f"?{urlencode(kept)}" if kept else ""


def _place_from_query(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "")[:200].strip() for name in PLACE_PARAMETERS}


# Step 0: choose the service -----------------------------------------------------------------


def _matches(service: RequestService, words: list[str]) -> bool:
    text = without_accents(" ".join([service.name, service.keywords, service.description]))
    return all(word in text for word in words)


@require_GET
def choose(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:SEARCH_MAX_LENGTH].strip()
    words = without_accents(query).split()
    services = [
        service
        for service in RequestService.objects.filter(active=True).select_related("group")
        if _matches(service, words)
    ]
    themes = [(group, list(items)) for group, items in groupby(services, key=lambda s: s.group)]
    return render(
        request,
        "citizen_requests/report/choose.html",
        {"themes": themes, "query": query, "found": bool(services)},
    )


# Step 1: where ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def place(request: HttpRequest, code: str) -> HttpResponse:
    service = _service(code)
    if request.method != "POST":
        carried = _place_from_query(request)
        initial = {
            "address": carried["adresse"],
            "latitude": carried["lat"],
            "longitude": carried["lon"],
        }
        form = PlaceForm(initial=initial, service=service)
        return _place_page(request, service, form)
    form = PlaceForm(request.POST, service=service)
    if not form.is_valid():
        return _place_page(request, service, form)
    details_url = reverse("citizen_requests:details", args=[service.code]) + _place_query(
        form.place()
    )
    latitude, longitude = form.point
    # Requests of a private service (a complaint about a neighbour) are never revealed.
    nearby = [
        entry
        for entry in filing.nearby_open_requests(
            service, latitude, longitude, form.cleaned_data.get("address", "")
        )
        if entry.request.public
    ]
    if not nearby:
        return HttpResponseRedirect(details_url)
    offers = [(entry, VoiceForm(auto_id=f"id_voix_{entry.request.pk}_%s")) for entry in nearby]
    return _place_page(request, service, form, offers=offers, details_url=details_url)


def _place_page(
    request: HttpRequest,
    service: RequestService,
    form: PlaceForm,
    *,
    offers: list[tuple[filing.Nearby, VoiceForm]] | None = None,
    details_url: str = "",
) -> HttpResponse:
    return render(
        request,
        "citizen_requests/report/place.html",
        {"service": service, "form": form, "offers": offers or [], "details_url": details_url},
    )


# Step 2: what -------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest, code: str) -> HttpResponse:
    service = _service(code)
    if request.method != "POST":
        carried = _place_from_query(request)
        place_form = PlaceForm(
            {
                "address": carried["adresse"],
                "latitude": carried["lat"],
                "longitude": carried["lon"],
            },
            service=service,
        )
        if not place_form.is_valid():
            # No place yet, or one changed by hand: back to the step that explains.
            place_url = reverse("citizen_requests:place", args=[service.code])
            return HttpResponseRedirect(place_url + _place_query(carried))
        place = place_form.place()
        initial = {"address": place["adresse"], "latitude": place["lat"], "longitude": place["lon"]}
        form = DetailsForm(initial=initial, service=service)
        return _details_page(request, service, form)
    form = DetailsForm(request.POST, request.FILES, service=service)
    if not form.is_valid():
        return _details_page(request, service, form)
    if not integrity.within_contribution_limit(
        request, scope="citizen-requests", limits=REQUEST_LIMITS, form=form
    ):
        return _too_many(request)
    response = HttpResponseRedirect(reverse("citizen_requests:choose"))
    participant = participant_for(request, response)
    try:
        filed = filing.file_request(
            service=service,
            participant=participant,
            language=request.LANGUAGE_CODE,
            **form.filing_values(),
        )
    except ValidationError as refused:
        form.add_filing_errors(refused.message_dict)
        return _details_page(request, service, form)
    integrity.record_contribution(request)
    if filed.request.contact_email:
        from agora.citizen_requests import notifications

        notifications.confirm_filing(filed.request, filed.follow_up_token)
    messages.success(
        request,
        _(
            "Merci! Votre requête %(number)s est reçue. Gardez cette page : son adresse est "
            "votre lien de suivi privé."
        )
        % {"number": filed.request.tracking_number},
    )
    response["Location"] = reverse("citizen_requests:private", args=[filed.follow_up_token])
    return response


def _details_page(request: HttpRequest, service: RequestService, form: DetailsForm) -> HttpResponse:
    place = {
        "adresse": str(form["address"].value() or ""),
        "lat": str(form["latitude"].value() or ""),
        "lon": str(form["longitude"].value() or ""),
    }
    place_url = reverse("citizen_requests:place", args=[service.code]) + _place_query(place)
    return render(
        request,
        "citizen_requests/report/details.html",
        {
            "service": service,
            "form": form,
            "place": place,
            "place_url": place_url,
            "form_url": request.path + _place_query(place),
            "photos_lost": form.is_bound and bool(form.errors) and bool(form.photo_fields()),
        },
    )


# "Moi aussi" --------------------------------------------------------------------------------


@require_POST
def add_voice(request: HttpRequest, tracking: str) -> HttpResponse:
    citizen_request = CitizenRequest.objects.filter(
        tracking_number=tracking, status__in=OPEN_STATUSES, public=True
    ).first()
    if citizen_request is None:
        raise Http404(_("Cette requête n'existe pas ou est fermée."))
    response = HttpResponseRedirect(reverse("citizen_requests:status", args=[tracking]))
    form = VoiceForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return response
    if not integrity.within_contribution_limit(
        request, scope="citizen-request-voices", limits=VOICE_LIMITS, form=form
    ):
        return _too_many(request)
    participant = participant_for(request, response)
    reason = integrity.hold_reason(
        request,
        item=f"request-voice:{citizen_request.pk}",
        verified=participant.has_verified_email,
    )
    email = form.cleaned_data.get("contact_email", "")
    try:
        if reason is not None:
            filing.hold_voice(
                request=citizen_request,
                participant=participant,
                contact_email=email,
                reason=reason,
                language=request.LANGUAGE_CODE,
            )
        else:
            filing.add_voice(request=citizen_request, participant=participant, contact_email=email)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return response
    integrity.record_contribution(request)
    if reason is not None:
        messages.info(
            request,
            _(
                "Merci. Beaucoup de voix s'ajoutent à cette requête de la même connexion ou en "
                "même temps : la vôtre sera comptée après une vérification par l'équipe."
            ),
        )
    else:
        messages.success(
            request,
            _("Votre voix est ajoutée à la requête %(number)s.")
            % {"number": citizen_request.tracking_number},
        )
    return response
