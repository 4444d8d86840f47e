"""Following an idea without an account: the form under the idea, the confirmation link and
the one-click unsubscribe link of every message.

Links in e-mails are opened by mail clients and security scanners before the person reads
them, so a GET never changes anything: it shows a button that posts. The unsubscribe address
also takes the POST that mail clients send on their own (RFC 8058, List-Unsubscribe-Post),
which carries no CSRF token: the secret token in the address is the proof.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from agora.core.antispam import HoneypotFormMixin, rate_limit
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


def _link_page(request: HttpRequest, follower: IdeaFollower | None, template: str) -> HttpResponse:
    if follower is None:
        return render(request, "ideas/idea_follow_unknown.html", status=404)
    return render(
        request,
        template,
        {
            "follower": follower,
            "idea": follower.idea,
            "idea_url": email_links.idea_link(follower.idea, _language()),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation message: a button that confirms."""
    try:
        if request.method == "POST":
            follower = feedback.confirm_follow(token=token)
            return _link_page(request, follower, "ideas/idea_follow_confirmed.html")
        follower = feedback.follower_for(token)
    except feedback.UnknownFollowLinkError:
        return _link_page(request, None, "")
    return _link_page(request, follower, "ideas/idea_follow_confirm.html")


@never_cache
@csrf_exempt  # mail clients unsubscribe with a POST of their own (RFC 8058)
@require_http_methods(["GET", "POST"])
def follow_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link of every message: one button, and nothing to log in to."""
    try:
        if request.method == "POST":
            follower = feedback.unsubscribe(token=token)
            return _link_page(request, follower, "ideas/idea_follow_unsubscribed.html")
        follower = feedback.follower_for(token)
    except feedback.UnknownFollowLinkError:
        return _link_page(request, None, "")
    return _link_page(request, follower, "ideas/idea_follow_unsubscribe.html")
