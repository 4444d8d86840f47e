"""The "Sondages" menu of /gestion/ and its screens (admin_urls.py, admin_views.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from agora.core.refusals import staff_screens
from agora.surveys import admin_urls


def register_urls() -> list[URLPattern | URLResolver]:
    return staff_screens(
        [
            path(
                "sondages/",
                include(
                    (admin_urls.urlpatterns, admin_urls.app_name), namespace=admin_urls.app_name
                ),
            )
        ]
    )


class SurveysMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("surveys.list_surveys"))


def surveys_menu_item() -> Any:
    return SurveysMenuItem(
        _("Sondages"),
        reverse_lazy("surveys_admin:index"),
        name="surveys",
        icon_name="list-ul",
        order=160,
    )


# Registered by call: Wagtail's hook registry has no type hints (see core/wagtail_hooks.py).
hooks.register("register_admin_urls", register_urls)
hooks.register("register_admin_menu_item", surveys_menu_item)
