"""A signed-in resident's requests: a panel on "Mon compte" with the latest ones, and the
page "Mes requêtes" listing all of them, newest first, each linking to its status page.

A resident's requests are those filed while signed in (their account's participant filed
them); those filed without an account stay reachable by their tracking number and private
link only, so that an address typed by someone else never shows a request in an account."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from agora.accounts import account_panels
from agora.accounts.account_panels import AccountPanel
from agora.accounts.models import User
from agora.citizen_requests.models import CitizenRequest

PANEL_SHOWN = 5
PER_PAGE = 20


def requests_of(user: User) -> QuerySet[CitizenRequest]:
    return (
        CitizenRequest.objects.filter(participant__user=user)
        .select_related("service")
        .annotate(voice_count=Count("supporters"))
        .order_by("-created_at", "-pk")
    )


def panel(user: User) -> AccountPanel | None:
    """The latest requests, or nothing for a resident who never filed one signed in."""
    latest = list(requests_of(user)[: PANEL_SHOWN + 1])
    if not latest:
        return None
    return AccountPanel(
        template="citizen_requests/account/panel.html",
        context={"requests": latest[:PANEL_SHOWN], "more": len(latest) > PANEL_SHOWN},
    )


@login_required
@never_cache
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required let only a signed-in person through
    page = Paginator(requests_of(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "citizen_requests/account/mine.html", {"page_obj": page})


def register() -> None:
    account_panels.register(panel)
