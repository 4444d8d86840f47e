"""The "Modération" menu of /gestion/: each project's queues, the city's answers to ideas and
the moderation log (agora/ideas/admin_views.py). The menu shows to administrators and to the
moderators of at least one project; every screen checks the project's permission again."""

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from agora.core.refusals import staff_screens
from agora.ideas import admin_views
from agora.ideas.moderation_queue import moderates_any_project

CONTRIBUTION = "<int:project_id>/<slug:kind>/<int:pk>"

moderation_urlpatterns = [
    path("", admin_views.moderation_index, name="index"),
    path("<int:project_id>/", admin_views.moderation_queue, name="queue"),
    path("<int:project_id>/journal/", admin_views.log, name="log"),
    path("<int:project_id>/idees/", admin_views.ideas, name="ideas"),
    path(
        "<int:project_id>/idees/<int:idea_id>/reponse/",
        admin_views.idea_status,
        name="idea_status",
    ),
    path(f"{CONTRIBUTION}/approuver/", admin_views.approve, name="approve"),
    path(f"{CONTRIBUTION}/masquer/", admin_views.hide, name="hide"),
    path(f"{CONTRIBUTION}/retablir/", admin_views.restore, name="restore"),
    path(f"{CONTRIBUTION}/rejeter-signalements/", admin_views.dismiss_flags, name="dismiss_flags"),
]


def moderation_urls() -> list[URLPattern | URLResolver]:
    return staff_screens(
        [path("moderation/", include((moderation_urlpatterns, "ideas_moderation")))]
    )


class ModerationMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return moderates_any_project(request.user)


def moderation_menu_item() -> Any:
    return ModerationMenuItem(
        _("Modération"),
        reverse_lazy("ideas_moderation:index"),
        name="moderation",
        icon_name="comment",
        order=205,
    )


hooks.register("register_admin_urls", moderation_urls)
hooks.register("register_admin_menu_item", moderation_menu_item)
