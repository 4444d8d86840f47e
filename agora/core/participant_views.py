"""Confirming a participant's e-mail address, where taking part is open to verified
addresses only (`agora.core.audience`).

The resident gives an address and receives a link; following it (within two days) lets them
take part from this browser. No account is created and nothing else is asked."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from agora.core import participants
from agora.core.antispam import rate_limit
from agora.core.participant_forms import EmailVerificationForm

VERIFY_LIMIT = 5  # links sent per hour per keyed hash of the client address


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    """Where to go back to: an address on this site, or the home page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return f"/{get_language() or 'fr'}/"


@never_cache
@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if participants.may_use_verified_email(request, participants.current_participant(request)):
        messages.info(request, _("Votre adresse courriel est déjà confirmée."))
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated:
        # A signed-in resident confirms the address of their account, where accounts do.
        return render(request, "core/participant_verify_account.html")
    form = EmailVerificationForm(
        request.POST if request.method == "POST" else None, initial={"next": next_url}
    )
    if request.method == "POST" and form.is_valid():
        if not rate_limit(
            request, scope="participant-verify", limit=VERIFY_LIMIT, period_seconds=3600
        ):
            return render(
                request,
                "core/participant_verify.html",
                {"form": form, "too_many": True},
                status=429,
            )
        response = render(
            request,
            "core/participant_verify_sent.html",
            {"email": form.cleaned_data["email"], "next_url": next_url},
        )
        participant = participants.participant_for(request, response)
        participants.request_email_verification(
            participant=participant,
            email=form.cleaned_data["email"],
            next_url=next_url,
            language=get_language() or "fr",
        )
        return response
    return render(request, "core/participant_verify.html", {"form": form})


@never_cache
@require_GET
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        participant = participants.confirm_email(token=token)
    except participants.InvalidVerificationLinkError:
        return render(request, "core/participant_verify_invalid.html", status=400)
    response = HttpResponseRedirect(_safe_next(request, request.GET.get("next")))
    participants.remember_participant(response, participant)
    messages.success(
        request, _("Votre adresse courriel est confirmée. Vous pouvez maintenant participer.")
    )
    return response
