"""Archiving a project: the last step of its life. An archived project stays readable; the
listing shows it under "Archivés" only when asked, and it takes no more contributions
(its phases are over). Archiving is undone the same way. Every translation follows."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.core import audit
from agora.core.cache import bump_content_version
from agora.participation import audit_actions
from agora.participation.models import ProjectPage


@transaction.atomic
def set_archived(*, project: ProjectPage, archived: bool, actor: User) -> ProjectPage:
    """Archives (or brings back) the project in every language. Refused to anyone who may
    not edit it; asking for the state it is already in changes nothing."""
    source = project.source
    if not actor.has_perm("participation.edit_project", source):
        raise PermissionDenied
    if (source.archived_at is not None) == archived:
        return source
    source.archived_at = timezone.now() if archived else None
    ProjectPage.objects.filter(translation_key=source.translation_key).update(
        archived_at=source.archived_at
    )
    audit.record(
        actor=actor,
        action=(audit_actions.PROJECT_ARCHIVED if archived else audit_actions.PROJECT_UNARCHIVED),
        target=source,
    )
    transaction.on_commit(bump_content_version)
    return source
