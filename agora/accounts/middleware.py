"""Staff security: a second factor before the back-office, and sessions that end when idle."""

import time
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

BACK_OFFICE_PREFIX = "/gestion/"
LAST_ACTIVITY_KEY = "agora_last_activity"


def is_staff_member(user: Any) -> bool:
    return bool(user.is_authenticated) and (
        bool(user.is_staff) or bool(user.has_perm("wagtailadmin.access_admin"))
    )


def has_second_factor(user: Any) -> bool:
    return bool(
        Authenticator.objects.filter(
            user=user, type__in=(Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
        ).exists()
    )


class StaffSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie nobody is logged in: the session is left unopened, so
        # public pages stay cacheable.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = request.user
        if is_staff_member(user):
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY, now)
            if now - last > settings.STAFF_SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    _("Votre session a pris fin après une période d'inactivité. Reconnectez-vous."),
                )
                return redirect(f"{reverse('account_login')}?next={request.path}")
            request.session[LAST_ACTIVITY_KEY] = now
            if (
                settings.STAFF_MFA_REQUIRED
                and request.path.startswith(BACK_OFFICE_PREFIX)
                and not has_second_factor(user)
            ):
                messages.warning(
                    request,
                    _(
                        "Pour protéger les données des résidents, l'équipe de la Ville doit activer "
                        "une deuxième étape de connexion avant d'accéder à la gestion."
                    ),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
