import hashlib
import hmac
import posixpath
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve
from wagtail.models import Locale

from agora import __version__
from agora.core.antispam import new_challenge
from agora.core.colours import darken
from agora.core.health import run_checks
from agora.core.integrity import proof_cost
from agora.core.models import Branding
from agora.core.refusals import staff_refusal
from agora.core.search import SearchHit, search_everything

SEARCH_RESULTS_PER_PAGE = 20
PUBLIC_MEDIA_FOLDERS = ("images/", "ideas/")
SEARCH_QUERY_MAX_LENGTH = 200


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """The uploads kept on this server (`MEDIA_STORAGE=local`), when no reverse proxy serves
    them first. In production only what residents see: Wagtail's renditions (`images/`) and
    the photos of ideas (`ideas/`); never the originals staff uploaded (they keep what the
    camera wrote), survey answers' files or documents (`/documents/` checks who may read
    them). In development (`DEBUG`), every upload."""
    if not settings.DEBUG and not posixpath.normpath(path).startswith(PUBLIC_MEDIA_FOLDERS):
        raise Http404
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


@never_cache
@require_GET
def altcha_challenge(request: HttpRequest) -> JsonResponse:
    """The proof-of-work challenge for the form the visitor is sending, at their current
    cost (agora/core/integrity.py). Asked by core/altcha.js; never cached."""
    return JsonResponse(new_challenge(proof_cost(request)))


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """`{"status": "ok"}` (200) or `{"status": "error"}` (503) for anyone: a load balancer
    needs no more. The version and each check's facts (queue counters, backends) only for
    the monitoring that sends `Authorization: Bearer <HEALTH_TOKEN>`, or for staff."""
    checks = run_checks()
    healthy = all(check["status"] == "ok" for check in checks.values())
    body: dict[str, Any] = {"status": "ok" if healthy else "error"}
    if _may_read_health_details(request):
        body.update(version=__version__, checks=checks)
    return JsonResponse(body, status=200 if healthy else 503)


def _may_read_health_details(request: HttpRequest) -> bool:
    token = settings.HEALTH_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    return bool(user.is_authenticated and user.is_staff)


@require_GET
def language_home(request: HttpRequest) -> HttpResponse:
    """`/` sends visitors to the home page in their browser's language (French by default)."""
    language = translation.get_language_from_request(request)
    response = redirect(f"/{language}/")
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_GET
def login_redirect(request: HttpRequest) -> HttpResponse:
    """`/accounts/login/`, where people and tools often look for a site's login page, leads
    to Agora's in the visitor's language (with its `next`, if any). Not a permanent
    redirect: where it leads depends on the visitor."""
    with translation.override(translation.get_language_from_request(request)):
        url = resolve_url(settings.LOGIN_URL)
    query = request.META.get("QUERY_STRING", "")
    response = redirect(f"{url}?{query}" if query else url)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    error = ""
    hits: Sequence[SearchHit] = []
    if len(query) > SEARCH_QUERY_MAX_LENGTH:
        error = _("Votre recherche est trop longue : %(max)d caractères au plus.") % {
            "max": SEARCH_QUERY_MAX_LENGTH
        }
    elif query:
        hits = search_everything(query, locale=Locale.get_active())
    page = Paginator(hits, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/search.html",
        {"query": query, "error": error, "results": page, "total": len(hits)},
        status=400 if error else 200,
    )


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "core/offline.html")


@require_GET
def theme_css(request: HttpRequest) -> HttpResponse:
    """The city's colours. Kept by browsers for a year under the address of this version;
    an address naming another version gets today's colours, but only for a minute."""
    branding = Branding.for_request(request)
    css = (
        ":root{"
        f"--colour-primary:{branding.primary_colour};"
        f"--colour-primary-dark:{darken(branding.primary_colour, 0.25)};"
        f"--colour-accent:{branding.accent_colour};"
        f"--colour-accent-dark:{darken(branding.accent_colour, 0.25)}"
        "}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if request.GET.get("v") == branding.version:
        patch_cache_control(response, public=True, max_age=60 * 60 * 24 * 365, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=60)
    return response


@require_GET
@cache_control(public=True, max_age=60 * 60)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: what makes the portal installable on a phone's home screen."""
    branding = Branding.for_request(request)
    language = translation.get_language()
    icons = [
        {
            "src": static(f"core/icons/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
        }
        for size in (192, 512)
    ]
    icons.append(
        {
            "src": static("core/icons/maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    data = {
        "name": branding.municipality_name,
        "short_name": branding.short_name,
        "description": _(
            "Le portail citoyen : participer, faire une requête, s'abonner aux alertes, services en ligne."
        ),
        "lang": "fr-CA" if language == "fr" else "en-CA",
        "start_url": f"/{language}/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": branding.primary_colour,
        "icons": icons,
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


def _shell_urls() -> list[str]:
    return [
        static("core/agora.css"),
        static("core/agora.js"),
        static("core/icons/icon.svg"),
        static("core/icons/icon-192.png"),
    ]


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request: HttpRequest) -> HttpResponse:
    """Caches the shell and answers with the offline page when the network is gone."""
    offline_urls = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            offline_urls[code] = reverse("offline")
    shell = _shell_urls()
    version = hashlib.sha256("|".join([__version__, *shell]).encode()).hexdigest()[:12]
    body = loader.render_to_string(
        "core/sw.js",
        {"version": version, "shell": shell, "offline_urls": offline_urls},
    )
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A refusal (`PermissionDenied`) no view answered itself. A member of the team refused a
    screen of /gestion/ reads the staff area's 403 page; anyone else gets the plain 403."""
    user = getattr(request, "user", None)
    in_staff_area = request.path.startswith(reverse("wagtailadmin_home"))
    if in_staff_area and user is not None and user.has_perm("wagtailadmin.access_admin"):
        return staff_refusal(request, exception)
    response: HttpResponse = defaults.permission_denied(request, exception or PermissionDenied())
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the database or any context processor: they may be what failed.
    body = loader.get_template("core/500.html").render(
        {"LANGUAGE_CODE": translation.get_language(), "stylesheet": static("core/agora.css")}
    )
    return HttpResponse(body, status=500)
