"""Following a request, at /fr/requetes/suivi/ (/en/requests/…): finding it by its tracking
number (`lookup`), its public status page (`status`), and the requester's private page
(`private`, the link of the confirmation e-mail) where they add a precision or a photo.

The public never reads who reported a request, and of a request of a private service only
its number, service, status and dates. The private link's token is a password in the
address: its pages are never cached, send no Referer, ask search engines to stay away and
are kept out of the server's log of failed requests.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from agora.citizen_requests import filing, selectors
from agora.citizen_requests.filing import ADDITIONS_CLOSED, MAX_PHOTOS, RequestClosedError
from agora.citizen_requests.follow_forms import PhotoForm, PrecisionForm
from agora.citizen_requests.models import RequestPhoto
from agora.citizen_requests.selectors import Followed
from agora.core.antispam import rate_limit
from agora.core.private_pages import keep_private

UNKNOWN_TEMPLATE = "citizen_requests/follow/unknown.html"
# Additions through the private link, per connection and hour.
ADDITION_LIMIT = 10
HOUR = 60 * 60
PUBLIC_PHOTO_MAX_AGE = 5 * 60


def _unknown(request: HttpRequest, number: str = "") -> HttpResponse:
    return render(request, UNKNOWN_TEMPLATE, {"number": number.strip()[:40]}, status=404)


@require_safe
@never_cache
def lookup(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("numero", "")
    if not number.strip():
        return render(request, "citizen_requests/follow/lookup.html")
    followed = selectors.request_for_public(number)
    if followed is None:
        return _unknown(request, number)
    return HttpResponseRedirect(
        reverse("citizen_requests:status", args=[followed.request.tracking_number])
    )


@require_safe
@never_cache
def status(request: HttpRequest, tracking: str) -> HttpResponse:
    followed = selectors.request_for_public(tracking)
    if followed is None:
        return _unknown(request, tracking)
    return render(request, "citizen_requests/follow/status.html", {"followed": followed})


# The private link ------------------------------------------------------------------------


def _private_page(
    request: HttpRequest,
    followed: Followed,
    token: str,
    *,
    precision_form: PrecisionForm | None = None,
    photo_form: PhotoForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "followed": followed,
        "token": token,
        "answers": selectors.answers_of(followed.request),
        "precision_form": precision_form or PrecisionForm(prefix="precision"),
        "photo_form": photo_form or PhotoForm(prefix="photo", request=followed.request),
        "notice": notice,
        "max_photos": MAX_PHOTOS,
    }
    return render(request, "citizen_requests/follow/private.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def private(request: HttpRequest, token: str) -> HttpResponse:
    followed = selectors.request_for_token(token)
    if followed is None:
        return keep_private(_unknown(request))
    if request.method != "POST":
        return keep_private(_private_page(request, followed, token))
    return keep_private(_add(request, followed, token))


def _add(request: HttpRequest, followed: Followed, token: str) -> HttpResponse:
    if not followed.request.is_open:
        return _private_page(request, followed, token, notice=str(ADDITIONS_CLOSED), status=409)
    if not rate_limit(request, scope="request-follow", limit=ADDITION_LIMIT, period_seconds=HOUR):
        notice = _(
            "Trop d'ajouts ont été envoyés depuis votre connexion. Réessayez dans une heure."
        )
        return _private_page(request, followed, token, notice=notice, status=429)
    adding_photo = request.POST.get("ajout") == "photo"
    form: PrecisionForm | PhotoForm = (
        PhotoForm(request.POST, request.FILES, prefix="photo", request=followed.request)
        if adding_photo
        else PrecisionForm(request.POST, prefix="precision")
    )
    if form.is_valid():
        try:
            if isinstance(form, PhotoForm):
                filing.add_photo(request=followed.request, image=form.cleaned_data["photo"])
                done = _("Votre photo est ajoutée. La Ville la regarde avant de la montrer.")
            else:
                filing.add_precision(request=followed.request, text=form.cleaned_data["text"])
                done = _("Votre précision est ajoutée à la requête.")
        except RequestClosedError:
            return _private_page(request, followed, token, notice=str(ADDITIONS_CLOSED), status=409)
        except forms.ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("citizen_requests:private", args=[token]))
    forms_shown: dict[str, Any] = (
        {"photo_form": form} if isinstance(form, PhotoForm) else {"precision_form": form}
    )
    return _private_page(request, followed, token, status=400, **forms_shown)


# Photos -------------------------------------------------------------------------------------
# Request photos live under MEDIA_ROOT/requests/, which the web server does not serve: these
# views check who may see each one, then send the re-encoded file as it is.


def _photo_response(photo: RequestPhoto) -> HttpResponseBase:
    try:
        file = photo.image.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(file)


@require_safe
def status_photo(request: HttpRequest, tracking: str, photo_id: int) -> HttpResponseBase:
    photo = selectors.public_photo(tracking, photo_id)
    if photo is None:
        raise Http404
    response = _photo_response(photo)
    # Short: a photo the desk hides again stops being served soon.
    patch_cache_control(response, public=True, max_age=PUBLIC_PHOTO_MAX_AGE)
    return response


@require_safe
def private_photo(request: HttpRequest, token: str, photo_id: int) -> HttpResponseBase:
    photo = selectors.requester_photo(token, photo_id)
    response = HttpResponse(status=404) if photo is None else _photo_response(photo)
    patch_cache_control(response, private=True)
    return keep_private(response)
