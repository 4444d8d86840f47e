"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2), in XML and
JSON (`.xml`, `.json`), described for machines by docs/open311/openapi.yaml, served at
/open311/v2/openapi.yaml with the JSON schemas it names.

- `discovery`, `services`, `services/<code>` and `requests` (GET), `requests/<number>`:
  anyone may read them, without a key (open311_selectors.py says what they show).
- `requests` (POST): an application files a request with an API key issued in /gestion/
  (open311_keys.py). The request goes through `filing.file_request`, the one write path,
  and joins the desk's queue like a request from the site, marked with the API channel
  and its key. An e-mail given with it receives the usual confirmation, with the tracking
  number and the private follow-up link. `media_url` is kept as a link: Agora never
  fetches it.

Refusals are the standard's error array with its HTTP status: 400 for bad arguments, 403
for a missing, unknown or revoked key, 404 for an unknown service, request, address or
`jurisdiction_id`. The standard has no status for "too many": past
`OPEN311_POSTS_PER_KEY_PER_HOUR` filings a key receives 429 (with `Retry-After`) and the
same error array, as the OpenAPI description says. A refusal writes nothing.

`jurisdiction_id` is optional: empty or equal to `OPEN311_JURISDICTION_ID` it is accepted
and ignored (this endpoint serves one city); another value is a 404. Texts and error
descriptions follow `Accept-Language` (French by default, or English).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from agora.citizen_requests import filing, open311_forms, open311_keys, open311_selectors
from agora.citizen_requests.models import Channel
from agora.citizen_requests.open311_render import (
    CONTENT_TYPES,
    FORMATS,
    Format,
    Many,
    Open311Error,
    respond,
    respond_error,
    to_document,
)
from agora.citizen_requests.selectors import normalized_tracking_number
from agora.core import integrity

DESCRIPTION_DIR = Path(settings.BASE_DIR) / "docs" / "open311"
SCHEMA_NAMES = frozenset(path.stem for path in (DESCRIPTION_DIR / "schemas").glob("*.json"))

GZIP = re.compile(r"\bgzip\b")

View = Callable[..., HttpResponse]


def _format(fmt: str) -> Format:
    return fmt if fmt in FORMATS else "xml"


def _read_body(request: HttpRequest) -> None:
    """Reads the form a POST sends: a body too large, or not a form, is the standard's 400."""
    if request.method != "POST":
        return
    try:
        request.POST  # noqa: B018  (parsed here, where a failure can still be answered)
    except (SuspiciousOperation, MultiPartParserError):
        raise Open311Error.one(
            400, _("Le corps de la requête est trop grand ou n'est pas un formulaire valide.")
        ) from None


def _check_jurisdiction(request: HttpRequest) -> None:
    given = (
        request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or ""
    ).strip()
    if given and given.lower() != settings.OPEN311_JURISDICTION_ID.lower():
        raise Open311Error.one(
            404, _("jurisdiction_id : %(given)s n'est pas servi ici.") % {"given": given[:100]}
        )


def open311(*methods: str) -> Callable[[View], View]:
    """An Open311 view answering `methods`: checks the method and `jurisdiction_id`, and
    answers an Open311Error with the standard's error array in the format asked for. What
    anyone may read is open to other sites' scripts (CORS)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            chosen = _format(fmt)
            allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)
            try:
                if request.method not in allowed:
                    refused = respond_error(
                        chosen,
                        Open311Error.one(
                            405,
                            _("Méthode %(method)s non permise ici.")
                            % {"method": str(request.method)[:10]},
                        ),
                    )
                    refused["Allow"] = ", ".join(sorted(allowed))
                    return refused
                _read_body(request)
                _check_jurisdiction(request)
                response = view(request, *args, fmt=chosen, **kwargs)
            except Open311Error as refusal:
                response = respond_error(chosen, refusal)
            if request.method in ("GET", "HEAD"):
                response["Access-Control-Allow-Origin"] = "*"
            return response

        return wrapped

    return decorate


@open311("GET")
def discovery(request: HttpRequest, fmt: Format) -> HttpResponse:
    document = open311_selectors.discovery(request, production=settings.PRODUCTION)
    return respond(fmt, "discovery", document)


@open311("GET")
def services(request: HttpRequest, fmt: Format) -> HttpResponse:
    return respond(fmt, "services", open311_selectors.services())


@open311("GET")
def service_definition(request: HttpRequest, code: str, fmt: Format) -> HttpResponse:
    definition = open311_selectors.service_definition(code)
    if definition is None:
        raise Open311Error.one(
            404, _("service_code : ce service n'existe pas ou n'est plus offert.")
        )
    return respond(fmt, "service_definition", definition)


@csrf_exempt  # an application's API key proves the request, not a browser's cookie
@open311("GET", "POST")
def service_requests(request: HttpRequest, fmt: Format) -> HttpResponse:
    if request.method == "POST":
        return _file(request, fmt)
    return _list(request, fmt)


def _list(request: HttpRequest, fmt: Format) -> HttpResponse:
    """A page of requests; kept ready to send for OPEN311_CACHE_SECONDS when it is on."""
    seconds = settings.OPEN311_CACHE_SECONDS
    key = _list_key(request, fmt)
    listed: ListedPage | None = cache.get(key) if seconds > 0 else None
    if listed is None:
        query = open311_forms.request_query(request.GET)
        rows, more = open311_selectors.matching_requests(query)
        body = to_document(fmt, "service_requests", Many("request", rows)).encode()
        link = ""
        if more:
            following = request.GET.copy()
            following["page"] = str(query.page + 1)
            following["page_size"] = str(query.page_size)
            link = f'<{request.path}?{following.urlencode()}>; rel="next"'
        if seconds <= 0:
            return _list_response(fmt, body, link)
        listed = ListedPage(body=body, compressed=gzip.compress(body, mtime=0), link=link)
        cache.set(key, listed, seconds)
    return _cached_list_response(request, fmt, listed, seconds)


@dataclass(frozen=True)
class ListedPage:
    """A page of requests as sent, kept in the cache for OPEN311_CACHE_SECONDS: compressed
    once, since most clients accept gzip (the site's compression would redo it each time)."""

    body: bytes
    compressed: bytes
    link: str


def _list_key(request: HttpRequest, fmt: Format) -> str:
    query = sorted((name, values) for name, values in request.GET.lists())
    text = json.dumps([fmt, translation.get_language(), query])
    return f"agora:open311:requests:{hashlib.sha256(text.encode()).hexdigest()}"


def _list_response(fmt: Format, body: bytes, link: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    if link:
        response["Link"] = link
    return response


def _cached_list_response(
    request: HttpRequest, fmt: Format, listed: ListedPage, seconds: int
) -> HttpResponse:
    if GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = _list_response(fmt, listed.compressed, listed.link)
        response["Content-Encoding"] = "gzip"
    else:
        response = _list_response(fmt, listed.body, listed.link)
    patch_vary_headers(response, ("Accept-Encoding",))
    patch_cache_control(response, public=True, max_age=seconds)
    return response


def _file(request: HttpRequest, fmt: Format) -> HttpResponse:
    secret = request.POST.get("api_key", "").strip()
    if not secret:
        raise Open311Error.one(
            403, _("api_key : une clé d'API est requise pour déposer une requête.")
        )
    key = open311_keys.active_key(secret)
    if key is None:
        raise Open311Error.one(403, _("api_key : cette clé d'API est inconnue ou révoquée."))
    if not open311_keys.within_rate_limit(key):
        refused = respond_error(
            fmt,
            Open311Error.one(
                429, _("api_key : cette clé a déposé trop de requêtes dans la dernière heure.")
            ),
        )
        refused["Retry-After"] = str(integrity.HOUR)
        return refused
    arguments = open311_forms.filing_arguments(request.POST)
    service = open311_selectors.offered_service(arguments.service_code)
    if service is None:
        raise Open311Error.one(
            404, _("service_code : ce service n'existe pas ou n'est plus offert.")
        )
    try:
        with transaction.atomic():
            filed = filing.file_request(
                service=service,
                description=arguments.description,
                address=arguments.address,
                latitude=arguments.latitude,
                longitude=arguments.longitude,
                answers=arguments.answers,
                contact_email=arguments.contact_email,
                contact_phone=arguments.contact_phone,
                contact_name=arguments.contact_name,
                media_url=arguments.media_url,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                channel=Channel.API,
                api_key=key,
            )
            open311_keys.mark_used(key)
    except ValidationError as refused:
        raise open311_forms.filing_refusal(refused.message_dict) from None
    if filed.request.contact_email:
        from agora.citizen_requests import notifications

        notifications.confirm_filing(filed.request, filed.follow_up_token)
    created = {
        "service_request_id": filed.request.tracking_number,
        "service_notice": None,
        "account_id": None,
    }
    return respond(fmt, "service_requests", Many("request", [created]))


@open311("GET")
def request_detail(request: HttpRequest, number: str, fmt: Format) -> HttpResponse:
    tracking = normalized_tracking_number(number)
    found = open311_selectors.request_numbered(tracking) if tracking else None
    if found is None:
        raise Open311Error.one(404, _("service_request_id : cette requête n'existe pas."))
    return respond(fmt, "service_requests", Many("request", [found]))


@csrf_exempt  # refuses alike whatever the method: a POST gets the error array too
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Any other address under /open311/v2/: the standard's 404, in JSON when asked for.
    An address without a format is the standard's 400 for an invalid URL instead: a 404
    there would be redirected by the site's language prefix to a page of the site."""
    if not path:
        return redirect("open311:discovery", fmt="xml")
    fmt: Format = "json" if path.endswith(".json") else "xml"
    if "." not in path.rsplit("/", 1)[-1]:
        return respond_error(
            fmt,
            Open311Error.one(
                400, _("Cette adresse n'est pas valide : ajoutez .xml ou .json à la ressource.")
            ),
        )
    return respond_error(
        fmt, Open311Error.one(404, _("Cette adresse n'existe pas dans l'API Open311."))
    )


# The description for machines -----------------------------------------------------------


def openapi(request: HttpRequest) -> FileResponse:
    """The OpenAPI 3.1 description of this API, as kept in docs/open311/."""
    response = FileResponse(
        (DESCRIPTION_DIR / "openapi.yaml").open("rb"),
        content_type="application/yaml; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def schema(request: HttpRequest, name: str) -> HttpResponseBase:
    """A JSON schema the description refers to (`schemas/<name>.json`)."""
    if name not in SCHEMA_NAMES:
        return not_found(request, f"schemas/{name}.json")
    response = FileResponse(
        (DESCRIPTION_DIR / "schemas" / f"{name}.json").open("rb"),
        content_type="application/schema+json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
