"""The projects in /gestion/: the page permission policy that knows moderators
(page_permissions.py), the "Projets" list and its screens (admin_viewsets.py, admin_views.py),
links to a project's dashboard and moderators from Wagtail's page screens, and the creator of
a project becoming its moderator.

Why hooks: Wagtail's page editor is not our service, and `after_create_page` /
`after_copy_page` run in the request of the person who created the page, right after it, with
`request.user` at hand; `make_creator_moderator` then writes the assignment and its audit row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from agora.participation.admin_viewsets import project_listing
from agora.participation.models import ProjectPage
from agora.participation.moderators import make_creator_moderator
from agora.participation.page_permissions import ProjectPagePermissionPolicy

# Before anything asks Wagtail about pages: moderators' rights on their projects (see
# page_permissions.py).
register_permission_policy(Page, ProjectPagePermissionPolicy())


def creator_moderates_new_project(request: HttpRequest, page: Any) -> None:
    if isinstance(page.specific, ProjectPage):
        make_creator_moderator(project=page.specific, creator=request.user)


def creator_moderates_copied_project(request: HttpRequest, page: Any, new_page: Any) -> None:
    creator_moderates_new_project(request, new_page)


def project_buttons(page: Any, user: Any, priority: int) -> Iterator[Button]:
    if page.specific_class is not ProjectPage:
        return
    project = page.specific_deferred
    if user.has_perm("participation.view_project_dashboard", project):
        yield Button(
            _("Tableau de bord"),
            reverse("participation_admin:dashboard", args=[page.pk]),
            icon_name="view",
            priority=priority,
        )
    if user.has_perm("participation.assign_moderators", project):
        yield Button(
            _("Modérateurs"),
            reverse("participation_admin:moderators", args=[page.pk]),
            icon_name="group",
            priority=priority + 1,
        )


def page_header_buttons(
    page: Any, user: Any, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    yield from project_buttons(page, user, priority=40)


def page_listing_more_buttons(
    page: Any, user: Any, next_url: str | None = None
) -> Iterator[Button]:
    yield from project_buttons(page, user, priority=45)


# Registered by call: Wagtail's hook registry has no type hints (see core/wagtail_hooks.py).
hooks.register("register_admin_viewset", project_listing)
hooks.register("after_create_page", creator_moderates_new_project)
hooks.register("after_copy_page", creator_moderates_copied_project)
hooks.register("register_page_header_buttons", page_header_buttons)
hooks.register("register_page_listing_more_buttons", page_listing_more_buttons)
