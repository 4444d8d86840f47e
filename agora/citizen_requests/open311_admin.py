"""The Open311 API keys in /gestion/ (Paramètres → Clés d'API Open311): the list of keys,
issuing one (the key is shown once, on the page that follows) and revoking one. Only
administrators may (`citizen_requests.manage_open311_keys`); the writes are
open311_keys.py's, which write the audit log. Every button that changes something is a form
that posts, so the screens work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, include, path, reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from agora.accounts.staff import require_permission
from agora.citizen_requests import open311_keys
from agora.citizen_requests.models import Open311Key
from agora.core.refusals import staff_screens
from agora.core.viewsets import PermissionMenuItem

NAMESPACE = "open311_keys"
MANAGE_KEYS = "citizen_requests.manage_open311_keys"
TEMPLATES = "citizen_requests/open311"


class IssueKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Application"),
        max_length=open311_keys.NAME_MAX_LENGTH,
        help_text=gettext_lazy(
            "Qui utilisera cette clé : « Centre d'appels 311 », « Application mobile »…"
        ),
    )


def _page(
    request: HttpRequest, template: str, title: str, context: dict[str, Any]
) -> TemplateResponse:
    keys_title = _("Clés d'API Open311")
    crumbs = [{"url": reverse("wagtailadmin_home"), "label": _("Accueil")}]
    if template != "keys.html":
        crumbs.append({"url": reverse(f"{NAMESPACE}:index"), "label": keys_title})
    crumbs.append({"url": "", "label": title})
    context.update(
        page_title=title, header_title=title, header_icon="key", breadcrumbs_items=crumbs
    )
    return TemplateResponse(request, f"{TEMPLATES}/{template}", context)


def keys(request: HttpRequest) -> HttpResponse:
    require_permission(request, MANAGE_KEYS)
    listed = Open311Key.objects.select_related("created_by").annotate(
        request_count=Count("requests")
    )
    return _page(request, "keys.html", _("Clés d'API Open311"), {"keys": listed})


def issue(request: HttpRequest) -> HttpResponse:
    user = require_permission(request, MANAGE_KEYS)
    form = IssueKeyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = open311_keys.issue_key(actor=user, name=form.cleaned_data["name"])
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            # Shown once, on this page: neither kept nor cached anywhere.
            response = _page(
                request,
                "key_issued.html",
                _("Clé émise"),
                {"key": issued.key, "secret": issued.secret},
            )
            add_never_cache_headers(response)
            return response
    return _page(request, "key_form.html", _("Émettre une clé"), {"form": form})


def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_permission(request, MANAGE_KEYS)
    key = get_object_or_404(Open311Key, pk=pk)
    if request.method == "POST":
        open311_keys.revoke_key(actor=user, key=key)
        messages.success(
            request,
            _("La clé de « %(name)s » est révoquée : elle n'ouvre plus rien.") % {"name": key.name},
        )
        return redirect(f"{NAMESPACE}:index")
    return _page(request, "key_revoke.html", _("Révoquer une clé"), {"key": key})


def admin_urls() -> list[URLPattern | URLResolver]:
    """For the `register_admin_urls` hook."""
    screens = staff_screens(
        [
            path("", keys, name="index"),
            path("nouvelle/", issue, name="issue"),
            path("<int:pk>/revoquer/", revoke, name="revoke"),
        ]
    )
    return [path("cles-open311/", include((screens, NAMESPACE), namespace=NAMESPACE))]


def menu_item() -> MenuItem:
    """For the `register_settings_menu_item` hook."""
    return PermissionMenuItem(
        gettext_lazy("Clés d'API Open311"),
        reverse_lazy(f"{NAMESPACE}:index"),
        name="open311-keys",
        icon_name="key",
        order=900,
        permission=MANAGE_KEYS,
    )


# Registered by call: Wagtail's hook registry has no type hints (see core/wagtail_hooks.py).
hooks.register("register_admin_urls", admin_urls)
hooks.register("register_settings_menu_item", menu_item)
