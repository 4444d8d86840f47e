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

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from agora.participation.admin_viewsets import project_listing
from agora.participation.approval import submission_message
from agora.participation.home import add_my_projects, leave_out_page_counts
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


def back_to_dashboard_after_submission(request: HttpRequest, page: Any) -> HttpResponse | None:
    """A moderator who submits their project for approval goes back to its dashboard, told
    who will approve it, rather than to Wagtail's page explorer."""
    if "action-submit" not in request.POST or page.specific_class is not ProjectPage:
        return None
    # Fetched again: the editor's page remembers it had no workflow before this submission.
    project = ProjectPage.objects.filter(pk=page.pk).first()
    if project is None or not project.workflow_in_progress:
        return None
    forget_wagtail_submission_message(request, page)
    messages.success(request, submission_message(project))
    if not request.user.has_perm("participation.view_project_dashboard", project):
        return None
    return redirect("participation_admin:dashboard", page.pk)


# The editor's own words once a page is submitted (edit, then create): Agora's message says
# the same and who will approve.
WAGTAIL_SUBMISSION_MESSAGES = (
    "Page '%(page_title)s' has been submitted for moderation.",
    "Page '%(page_title)s' created and submitted for moderation.",
)


def forget_wagtail_submission_message(request: HttpRequest, page: Any) -> None:
    """Takes back the message Wagtail's editor queued in this request for the submission."""
    title = {"page_title": page.get_admin_display_title()}
    said = [gettext(message) % title for message in WAGTAIL_SUBMISSION_MESSAGES]
    # With its buttons, the message is HTML: the text is there escaped.
    said += [str(escape(text)) for text in said]
    storage = messages.get_messages(request)
    queued = getattr(storage, "_queued_messages", None)
    if queued is not None:
        queued[:] = [
            message for message in queued if not any(text in str(message.message) for text in said)
        ]


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
hooks.register("after_create_page", back_to_dashboard_after_submission)
hooks.register("after_edit_page", back_to_dashboard_after_submission)
hooks.register("register_page_header_buttons", page_header_buttons)
hooks.register("register_page_listing_more_buttons", page_listing_more_buttons)
hooks.register("construct_homepage_panels", add_my_projects)
# Last, after Wagtail's own apps have added their counts.
hooks.register("construct_homepage_summary_items", leave_out_page_counts, order=100)
