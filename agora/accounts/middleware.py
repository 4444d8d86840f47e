"""Staff security: a second factor before any staff power, a clear refusal of /gestion/ to
residents, and sessions that end when idle.

A member of the team without a second factor (while `STAFF_MFA_REQUIRED`) is sent to set one
up under /gestion/; everywhere else, their session is a resident's: `withhold_staff_powers`
marks it, and every staff grant of the `rules.py` files asks `staff_powers_allowed` (through
the role predicates of `agora/accounts/rules.py`), so no public page or file can forget it.
"""

import time
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_backends, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.accounts.roles import ACCESS_ADMIN
from agora.core.refusals import staff_area_refusal_for_residents

BACK_OFFICE_PREFIX = "/gestion/"
LAST_ACTIVITY_KEY = "agora_last_activity"
# Set on the request's user: this session may not use its staff roles.
_POWERS_WITHHELD_ATTRIBUTE = "_agora_staff_powers_withheld"


def is_staff_member(user: Any) -> bool:
    return bool(user.is_authenticated) and (
        bool(user.is_staff) or bool(user.has_perm(ACCESS_ADMIN))
    )


def has_second_factor(user: Any) -> bool:
    return bool(
        Authenticator.objects.filter(
            user=user, type__in=(Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
        ).exists()
    )


def staff_powers_allowed(user: Any) -> bool:
    """Whether `user` may act with their staff roles: no when they are the user of a request
    whose session lacks the second factor it needs (see `withhold_staff_powers`). People
    the code reads about (a moderator being assigned, the actor of a scheduled job) are not
    a session, and keep their roles."""
    return not getattr(user, _POWERS_WITHHELD_ATTRIBUTE, False)


def _permission_from_backends(user: Any, perm: str, obj: Any = None) -> bool:
    return any(
        backend.has_perm(user, perm, obj)
        for backend in get_backends()
        if hasattr(backend, "has_perm")
    )


def withhold_staff_powers(user: Any) -> None:
    """Treats the session's user as a resident for this request. The rules answer no to their
    staff grants; a superuser's permissions, which Django grants before asking any backend,
    are asked of the backends like anyone's."""
    setattr(user, _POWERS_WITHHELD_ATTRIBUTE, True)
    if user.is_superuser:
        user.has_perm = lambda perm, obj=None: _permission_from_backends(user, perm, obj)


class StaffSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie nobody is logged in: the session is left unopened, so
        # public pages stay cacheable.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = request.user
        in_back_office = request.path.startswith(BACK_OFFICE_PREFIX)
        # Wagtail sends a signed-in person without access to its login page, which sends
        # them back: a resident reads a refusal instead of going round in circles.
        if in_back_office and user.is_authenticated and not user.has_perm(ACCESS_ADMIN):
            return staff_area_refusal_for_residents(request)
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
            if settings.STAFF_MFA_REQUIRED and not has_second_factor(user):
                if in_back_office:
                    messages.warning(
                        request,
                        _(
                            "Pour protéger les données des résidents, l'équipe de la Ville doit "
                            "activer une deuxième étape de connexion avant d'accéder à la gestion."
                        ),
                    )
                    return redirect("mfa_activate_totp")
                withhold_staff_powers(user)
        return self.get_response(request)
