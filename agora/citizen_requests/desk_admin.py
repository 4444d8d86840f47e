"""The clerk's desk in /gestion/requetes/ (issue 13, item 4): its URLs, its item first in the
"Requêtes" menu for those who may use the desk (`citizen_requests.view_desk`), and the
standard replies' screens (reply_template_admin.py) beside it."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path, reverse_lazy
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from agora.citizen_requests import desk_views
from agora.citizen_requests.admin_viewsets import REQUESTS_MENU_HOOK
from agora.citizen_requests.desk_selectors import VIEW_DESK
from agora.citizen_requests.desk_views import NAMESPACE
from agora.citizen_requests.reply_template_admin import reply_template_viewset
from agora.core.refusals import staff_screens
from agora.core.viewsets import PermissionMenuItem

REQUEST = "<int:pk>/"
PHOTO = f"{REQUEST}photos/<int:photo_id>/"


def admin_urls() -> list[URLPattern | URLResolver]:
    """For the `register_admin_urls` hook."""
    screens = staff_screens(
        [
            path("", desk_views.queue, name="queue"),
            path(REQUEST, desk_views.detail, name="detail"),
            path(f"{REQUEST}etat/", desk_views.change_status, name="status"),
            path(f"{REQUEST}attribuer/", desk_views.assign, name="assign"),
            path(f"{REQUEST}note/", desk_views.note, name="note"),
            path(f"{REQUEST}question/", desk_views.ask, name="question"),
            path(f"{REQUEST}fusion/", desk_views.merge, name="merge"),
            path(f"{REQUEST}reouverture/", desk_views.reopen, name="reopen"),
            path(PHOTO, desk_views.photo, name="photo"),
            path(f"{PHOTO}visibilite/", desk_views.photo_visibility, name="photo_visibility"),
        ]
    )
    return [path("requetes/", include((screens, NAMESPACE), namespace=NAMESPACE))]


def menu_item() -> MenuItem:
    """For the "Requêtes" menu's hook: first, before the catalogue's items."""
    return PermissionMenuItem(
        gettext_lazy("File des requêtes"),
        reverse_lazy(f"{NAMESPACE}:queue"),
        name="requests-desk",
        icon_name="tasks",
        order=-2,
        permission=VIEW_DESK,
    )


# Registered by call: Wagtail's hook registry has no type hints (see core/wagtail_hooks.py).
hooks.register("register_admin_urls", admin_urls)
hooks.register(REQUESTS_MENU_HOOK, menu_item)
hooks.register("register_admin_viewset", reply_template_viewset)
