"""Reminders that residents are owed feedback.

Once the last participation phase of a project has closed, the project team is reminded by
e-mail, at most once every 7 days, until the accountability report ("Ce que nous avons
entendu" and "Décision") is published. The project's moderators get the reminder; the
managers of the project's department get it too once the promised feedback date has passed,
or when no moderator is assigned (somebody must hear of it). Each message gives the promised
date and the link to edit the page in /gestion/.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from agora.accounts.models import User
from agora.core.email import enqueue_email
from agora.core.links import absolute, page_link
from agora.participation.followers import language_of
from agora.participation.models import ProjectPage

if TYPE_CHECKING:
    from collections.abc import Iterable

REMINDER_EMAIL = "participation/email/feedback_reminder"
REMINDER_INTERVAL_DAYS = 7


@dataclass(frozen=True)
class Recipient:
    user: User
    as_manager: bool

    @property
    def language(self) -> str:
        profile = getattr(self.user, "wagtail_userprofile", None)
        return language_of(getattr(profile, "preferred_language", "") or "fr")


def awaiting_reminder(project: ProjectPage, today: datetime.date) -> bool:
    """Participation has closed, the report is not published, and the last reminder (if any)
    was at least 7 days ago."""
    if not project.awaiting_feedback(today):
        return False
    last = project.last_feedback_reminder_at
    return last is None or (today - timezone.localdate(last)).days >= REMINDER_INTERVAL_DAYS


def is_overdue(project: ProjectPage, today: datetime.date) -> bool:
    return project.feedback_due_date is not None and project.feedback_due_date < today


def _reachable(users: Iterable[User]) -> list[User]:
    return [user for user in users if user.is_active and user.deleted_at is None and user.email]


def recipients(project: ProjectPage, today: datetime.date) -> list[Recipient]:
    """The moderators of `project`, and its department's managers when the promised date has
    passed or no moderator is assigned; each person once."""
    users = User.objects.select_related("wagtail_userprofile").order_by("pk")
    moderators = _reachable(users.filter(moderated_projects__project=project))
    chosen = [Recipient(user, as_manager=False) for user in moderators]
    if project.department_id is not None and (is_overdue(project, today) or not moderators):
        known = {user.pk for user in moderators}
        managers = users.filter(managed_departments=project.department_id)
        chosen += [
            Recipient(user, as_manager=True)
            for user in _reachable(managers)
            if user.pk not in known
        ]
    return chosen


def send_feedback_reminders(*, now: datetime.datetime | None = None) -> int:
    """Reminds the team of every published project awaiting its feedback report. Returns the
    number of messages."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = (
        ProjectPage.objects.live()
        .filter(locale=Locale.get_default(), accountability_published_at__isnull=True)
        .prefetch_related("phases")
    )
    due = [project.pk for project in candidates if awaiting_reminder(project, today)]
    return sum(_remind(project_id, now) for project_id in due)


@transaction.atomic
def _remind(project_id: int, now: datetime.datetime) -> int:
    project = (
        ProjectPage.objects.select_for_update(of=("self",))
        .select_related("department")
        .prefetch_related("phases")
        .get(pk=project_id)
    )
    today = timezone.localdate(now)
    if not awaiting_reminder(project, today):  # another run got here first
        return 0
    chosen = recipients(project, today)
    if not chosen:
        return 0
    context = {
        "project_title": project.title,
        "project_link": page_link(project),
        "edit_link": absolute(reverse("wagtailadmin_pages:edit", args=[project.pk])),
        "closed_on": project.participation_closed_on(),
        "due_date": project.feedback_due_date,
        "overdue": is_overdue(project, today),
        "department": project.department.name if project.department else "",
    }
    for recipient in chosen:
        enqueue_email(
            to=recipient.user.email,
            template=REMINDER_EMAIL,
            context={**context, "as_manager": recipient.as_manager},
            language=recipient.language,
            key=f"feedback-reminder:{project.pk}:{today.isoformat()}:{recipient.user.pk}",
        )
    ProjectPage.objects.filter(pk=project.pk).update(last_feedback_reminder_at=now)
    return len(chosen)
