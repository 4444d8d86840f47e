import json
from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from rules import permissions as rules_permissions

from agora.accounts import services
from agora.accounts.account_panels import panels_for
from agora.accounts.forms import ConsentForm, DeleteAccountForm, NameForm
from agora.accounts.models import Consent, User

EXPORT_FILENAME = "mes-donnees-agora.json"

# django-rules' own check, without Django's shortcut that grants a superuser every permission.
_rule_allows = cast(Callable[[str, User], bool], rules_permissions.has_perm)


def _resident(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required let only a logged-in person through
    return user


def _consent_statuses(user: User) -> list[tuple[Consent.Purpose, Consent | None]]:
    """Each purpose, with the consent in force for it or None."""
    active = {consent.purpose: consent for consent in user.consents.active()}
    return [(purpose, active.get(purpose)) for purpose in Consent.Purpose]


def _may_delete_own_account(user: User) -> bool:
    # Asked of django-rules itself: Django's User.has_perm grants every permission to a
    # superuser, and this one exists precisely to refuse administrators.
    return _rule_allows("accounts.delete_own_account", user)


@login_required
@never_cache
def account_home(request: HttpRequest) -> HttpResponse:
    """ "Mon compte": the resident's name, address, security, data and consents, and what
    the other parts of Agora add (account_panels.py)."""
    user = _resident(request)
    return render(
        request,
        "accounts/account_home.html",
        {
            "consents": _consent_statuses(user),
            "organisations": user.organisations.order_by("name"),
            "may_delete_account": _may_delete_own_account(user),
            "panels": panels_for(user),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def change_name(request: HttpRequest) -> HttpResponse:
    user = _resident(request)
    initial = {"first_name": user.first_name, "last_name": user.last_name}
    form = NameForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_name(user=user, **form.cleaned_data)
        messages.success(request, _("Votre nom est corrigé."))
        return redirect("account_home")
    return render(request, "accounts/change_name.html", {"form": form})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def consents(request: HttpRequest) -> HttpResponse:
    """Each purpose with its own small form to give or withdraw consent."""
    user = _resident(request)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            purpose = form.cleaned_data["purpose"]
            if form.cleaned_data["decision"] == ConsentForm.GRANT:
                services.grant_consent(user=user, purpose=purpose)
                messages.success(request, _("Votre consentement est enregistré."))
            else:
                services.withdraw_consent(user=user, purpose=purpose)
                messages.success(request, _("Votre consentement est retiré."))
            return redirect("account_consents")
        messages.error(request, _("Ce choix n'existe pas. Rien n'a été changé."))
    return render(request, "accounts/consents.html", {"consents": _consent_statuses(user)})


@login_required
@never_cache
@require_GET
def download_personal_data(request: HttpRequest) -> HttpResponse:
    """A copy of everything Agora holds about the resident, as a JSON file."""
    data = services.export_personal_data(user=_resident(request))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """Asks the resident to type their address, then deletes the account and logs out."""
    user = _resident(request)
    if not _may_delete_own_account(user):
        status = 403 if request.method == "POST" else 200
        return render(request, "accounts/delete_account_refused.html", status=status)
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=user)
        logout(request)
        return redirect("account_deleted")
    return render(request, "accounts/delete_account.html", {"form": form})


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account_deleted.html")
