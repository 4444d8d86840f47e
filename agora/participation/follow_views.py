"""Following a project by e-mail: the form under a project page (`suivre/`, `follow/`), and
the confirmation and unsubscribe links sent by e-mail (/fr/abonnements/projets/…).

The form lives on a page of its own, never on the project page: its CSRF cookie would keep
the project page out of the shared page cache.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from agora.core.antispam import HoneypotFormMixin, rate_limit
from agora.core.subscription_views import ConfirmSubscriptionView, UnsubscribeView
from agora.participation import followers
from agora.participation.models import ProjectFollower, ProjectPage

# Requests to follow a project, per visitor (by keyed hash of their address) and hour.
FOLLOW_LIMIT = 10
FOLLOW_PERIOD_SECONDS = 3600


class FollowForm(HoneypotFormMixin):
    email = forms.EmailField(
        label=gettext_lazy("Votre adresse courriel"),
        max_length=254,
        help_text=gettext_lazy(
            "Elle sert seulement à vous écrire au sujet de ce projet. Chaque message contient "
            "un lien pour vous désabonner en un clic."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", "site_web"]


@never_cache
@require_http_methods(["GET", "POST"])
def follow_project(request: HttpRequest, page: ProjectPage) -> HttpResponse:
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = FollowForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not rate_limit(
            request,
            scope="project-follow",
            limit=FOLLOW_LIMIT,
            period_seconds=FOLLOW_PERIOD_SECONDS,
        ):
            form.add_error(
                None,
                _(
                    "Vous avez fait beaucoup de demandes en peu de temps. Rien n'a été "
                    "enregistré : réessayez dans une heure."
                ),
            )
            return _follow_page(request, page, form, status=429)
        if form.is_valid():
            try:
                result = followers.request_follow(
                    project=page,
                    email=form.cleaned_data["email"],
                    language=get_language(),
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(request, _success_message(result))
                return redirect(page.url)
    return _follow_page(request, page, form)


def _follow_page(
    request: HttpRequest, page: ProjectPage, form: FollowForm, status: int = 200
) -> HttpResponse:
    return render(
        request, "participation/follow_project.html", {"page": page, "form": form}, status=status
    )


def _success_message(result: followers.FollowResult) -> str:
    if result == followers.FollowResult.FOLLOWING:
        return _(
            "Vous suivez ce projet. Vous recevrez un résumé par courriel quand il y aura du "
            "nouveau."
        )
    # The same words whatever the address's state: nobody learns who follows what.
    return _(
        "Merci. Si cette adresse peut recevoir nos messages, un courriel vous y attend : "
        "ouvrez le lien qu'il contient pour confirmer votre abonnement."
    )


# The links sent by e-mail (core's subscription link pages, with the project)

UNKNOWN_LINK_TEMPLATE = "participation/follow_link_unknown.html"


def _link_context(follower: ProjectFollower) -> dict[str, Any]:
    return {"project": followers.project_in(follower.project, get_language())}


class ConfirmFollowView(ConfirmSubscriptionView[ProjectFollower]):
    """The confirmation link: a button that starts the subscription; the same page then says
    it is confirmed."""

    template_name = "participation/follow_confirm.html"
    unknown_template_name = UNKNOWN_LINK_TEMPLATE
    context_object_name = "follower"

    def find(self, token: str) -> ProjectFollower:
        return followers.follower_for(token)

    def context(self, subscription: ProjectFollower) -> dict[str, Any]:
        return _link_context(subscription)


class UnsubscribeFollowView(UnsubscribeView[ProjectFollower]):
    """The unsubscribe link of every message: a button (or a mail program's one-click
    request) that ends the subscription; the same page then says so."""

    template_name = "participation/follow_unsubscribe.html"
    unknown_template_name = UNKNOWN_LINK_TEMPLATE
    context_object_name = "follower"

    def find(self, token: str) -> ProjectFollower:
        return followers.follower_for(token)

    def context(self, subscription: ProjectFollower) -> dict[str, Any]:
        return _link_context(subscription)
