"""Following an idea without an account: the form under the idea, the confirmation link and
the one-click unsubscribe link of every message (core's subscription link pages, with the
idea: a GET never changes anything, and the unsubscribe address takes a mail program's
one-click POST).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from agora.core.antispam import HoneypotFormMixin, rate_limit
from agora.core.subscription_views import ConfirmSubscriptionView, UnsubscribeView
from agora.ideas import email_links, feedback
from agora.ideas.models import Idea, IdeaFollower
from agora.participation.models import ProjectPage

FOLLOW_LIMIT = 10  # requests per client address and hour


class FollowIdeaForm(HoneypotFormMixin):
    email = forms.EmailField(
        label=_("Votre adresse courriel"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Elle sert seulement à vous écrire quand la Ville répond à cette idée. Vous pourrez "
            "vous désabonner en un clic depuis chaque courriel."
        ),
    )

    field_order = ["email"]


def _language() -> str:
    return (translation.get_language() or "fr")[:2]


@require_http_methods(["GET", "POST"])
def idea_follow(request: HttpRequest, page: ProjectPage, idea_id: int) -> HttpResponse:
    idea = get_object_or_404(Idea.objects.of_project(page).published(), pk=idea_id)
    context = {
        "page": page,
        "idea": idea,
        "idea_url": page.subpage_url("idea", idea_id=idea.pk),
    }
    form = FollowIdeaForm(request.POST or None)
    if request.method == "POST":
        if not rate_limit(request, scope="idea-follow", limit=FOLLOW_LIMIT, period_seconds=3600):
            return render(
                request,
                "ideas/idea_follow.html",
                {**context, "form": form, "too_many": True},
                status=429,
            )
        if form.is_valid():
            feedback.follow_idea(idea=idea, email=form.cleaned_data["email"], language=_language())
            # The same answer whether the address already follows the idea or not.
            return render(request, "ideas/idea_follow_sent.html", context)
    return render(request, "ideas/idea_follow.html", {**context, "form": form})


# The links sent by e-mail

UNKNOWN_LINK_TEMPLATE = "ideas/idea_follow_unknown.html"


def _link_context(follower: IdeaFollower) -> dict[str, Any]:
    return {"idea": follower.idea, "idea_url": email_links.idea_link(follower.idea, _language())}


class FollowConfirmView(ConfirmSubscriptionView[IdeaFollower]):
    """The link of the confirmation message: a button that confirms."""

    template_name = "ideas/idea_follow_confirm.html"
    done_template_name = "ideas/idea_follow_confirmed.html"
    unknown_template_name = UNKNOWN_LINK_TEMPLATE
    context_object_name = "follower"

    def find(self, token: str) -> IdeaFollower:
        return feedback.follower_for(token)

    def context(self, subscription: IdeaFollower) -> dict[str, Any]:
        return _link_context(subscription)


class FollowUnsubscribeView(UnsubscribeView[IdeaFollower]):
    """The link of every message: one button, and nothing to log in to."""

    template_name = "ideas/idea_follow_unsubscribe.html"
    done_template_name = "ideas/idea_follow_unsubscribed.html"
    unknown_template_name = UNKNOWN_LINK_TEMPLATE
    context_object_name = "follower"

    def find(self, token: str) -> IdeaFollower:
        return feedback.follower_for(token)

    def context(self, subscription: IdeaFollower) -> dict[str, Any]:
        return _link_context(subscription)
