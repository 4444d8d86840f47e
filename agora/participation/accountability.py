"""The accountability report: what the city heard and what it decided, published once.

The participation framework promises residents a feedback date. The report is the two
sections of the project page, "Ce que nous avons entendu" and "Décision". The first time the
French page is published with both filled, the report counts as published: the date is kept
on the page and its translations (`accountability_published_at`), the audit log records who
published it, the
feedback reminders to the project team stop, and followers read it in their next digest.

Every publication of a project page calls `publish_accountability` (`publishing_hooks.py`,
on Wagtail's `page_published` signal: the editor, an approved workflow, a scheduled
publication). The daily `send_participation_emails` also runs `publish_completed_reports`
first, a safety net for pages published while the signal could not run.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Locale

from agora.core import audit
from agora.core.cache import bump_content_version
from agora.participation import audit_actions
from agora.participation.models import ProjectPage

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agora.accounts.models import User

ACTION = audit_actions.PROJECT_ACCOUNTABILITY_PUBLISHED


def is_filled(rich_text: str) -> bool:
    """True when rich text holds words, not only empty paragraphs."""
    return bool(strip_tags(rich_text or "").replace("&nbsp;", " ").strip())


def has_report(page: ProjectPage) -> bool:
    return is_filled(page.what_we_heard) and is_filled(page.decision)


@transaction.atomic
def publish_accountability(
    *,
    project: ProjectPage,
    actor: User | AnonymousUser | None,
    now: datetime.datetime | None = None,
) -> bool:
    """Marks the project's report published if its published French page has both sections
    and it was not marked before. True when it did; publishing again changes nothing."""
    source = (
        ProjectPage.objects.select_for_update(of=("self",)).filter(pk=project.source.pk).first()
    )
    # The page's own row holds what is published (drafts live in revisions).
    if (
        source is None
        or not source.live
        or source.accountability_published_at is not None
        or not has_report(source)
    ):
        return False
    now = now or timezone.now()
    ProjectPage.objects.filter(translation_key=source.translation_key).update(
        accountability_published_at=now
    )
    source.accountability_published_at = now
    details: dict[str, Any] = {"published_at": now.isoformat()}
    staff = actor if actor is not None and actor.is_authenticated else None
    if staff is None:
        details["noticed_by"] = "send_participation_emails"
    audit.record(actor=staff, action=ACTION, target=source, details=details)
    # The page says "Rétroaction attendue le …" until now: cached copies must renew.
    transaction.on_commit(bump_content_version)
    return True


def publish_completed_reports(*, now: datetime.datetime | None = None) -> int:
    """Publishes the reports of projects whose French page went live with both sections
    without passing through the editor's hook (workflow approval, scheduled publication)."""
    pending = ProjectPage.objects.live().filter(
        locale=Locale.get_default(), accountability_published_at__isnull=True
    )
    return sum(
        publish_accountability(project=project, actor=None, now=now)
        for project in pending.exclude(what_we_heard="").exclude(decision="")
    )
