"""Modération → Contributions retenues in /gestion/: the ideas and surveys on which anonymous
contributions are held as possibly stuffed (agora/core/held.py), with how many, why and
since when, and two buttons per item: count them, or discard them. Each person sees the
items they decide on; the services check it again and write the audit log. The buttons are
POST forms that work without JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, include, path, reverse_lazy
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem

from agora.core import held
from agora.core.refusals import staff_screens

NAMESPACE = "held_contributions"


def _reviewer(request: HttpRequest) -> Any:
    """The person deciding; /gestion/ already let only the city's team (with its second
    factor) this far, and each kind's rules say who decides what."""
    user = request.user
    if not user.is_authenticated or not held.reviews_some(user):
        raise PermissionDenied
    return user


def held_contributions(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    return render(
        request,
        "core/admin/held_contributions.html",
        {"items": held.items_for(user)},
    )


def _target(kind_name: str, target_id: int) -> tuple[held.HeldKind, Any]:
    try:
        kind = held.kind_named(kind_name)
    except KeyError:
        raise Http404 from None
    target = kind.model._default_manager.filter(pk=target_id).first()
    if target is None:
        raise Http404
    return kind, target


@require_POST
def count(request: HttpRequest, kind_name: str, target_id: int) -> HttpResponse:
    user = _reviewer(request)
    kind, target = _target(kind_name, target_id)
    counted, dropped = held.release(actor=user, kind_name=kind.name, target=target)
    message = ngettext(
        "%(count)d contribution comptée.", "%(count)d contributions comptées.", counted
    ) % {"count": counted}
    if dropped:
        message += " " + ngettext(
            "%(count)d ne pouvait plus l'être (la même personne l'avait déjà fait).",
            "%(count)d ne pouvaient plus l'être (la même personne l'avait déjà fait).",
            dropped,
        ) % {"count": dropped}
    messages.success(request, message)
    return redirect(f"{NAMESPACE}:index")


@require_POST
def discard(request: HttpRequest, kind_name: str, target_id: int) -> HttpResponse:
    user = _reviewer(request)
    kind, target = _target(kind_name, target_id)
    discarded = held.discard(actor=user, kind_name=kind.name, target=target)
    messages.success(
        request,
        ngettext(
            "%(count)d contribution écartée : elle ne sera pas comptée.",
            "%(count)d contributions écartées : elles ne seront pas comptées.",
            discarded,
        )
        % {"count": discarded},
    )
    return redirect(f"{NAMESPACE}:index")


def admin_urls() -> list[URLPattern | URLResolver]:
    """For the `register_admin_urls` hook."""
    screens = staff_screens(
        [
            path("", held_contributions, name="index"),
            path("<str:kind_name>/<int:target_id>/compter/", count, name="count"),
            path("<str:kind_name>/<int:target_id>/ecarter/", discard, name="discard"),
        ]
    )
    return [path("contributions-retenues/", include((screens, NAMESPACE), namespace=NAMESPACE))]


class HeldContributionsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.is_authenticated and held.reviews_some(request.user)


def menu_item() -> MenuItem:
    """For the `register_admin_menu_item` hook: beside Modération."""
    return HeldContributionsMenuItem(
        gettext_lazy("Contributions retenues"),
        reverse_lazy(f"{NAMESPACE}:index"),
        name="held-contributions",
        icon_name="warning",
        order=206,
    )
