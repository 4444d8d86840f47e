"""dismiss_flags(): unfounded flags are reviewed; residents and the author see no change."""

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.core.models import AuditEntry
from agora.ideas.models import Flag, Idea, ModerationEvent, Visibility
from agora.ideas.moderation import dismiss_flags
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.moderation_people import moderator_of, reachable_author
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _flagged(project: ProjectPage, count: int = 2, **fields: Any) -> Idea:
    idea = IdeaFactory.create(project=project, flag_count=count, **fields)
    for _ in range(count):
        Flag.objects.create(idea=idea, participant=ParticipantFactory.create(), reason="off_topic")
    return idea


def test_the_flags_are_reviewed_and_the_idea_stays_published(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    moderator = moderator_of(project)
    idea = _flagged(project, author=reachable_author())

    with django_capture_on_commit_callbacks(execute=True):
        dismiss_flags(moderator=moderator, idea=idea)

    idea.refresh_from_db()
    assert (idea.visibility, idea.flag_count) == (Visibility.PUBLISHED, 0)
    assert Flag.objects.filter(reviewed_at__isnull=False).count() == 2
    event = ModerationEvent.objects.get()
    assert (event.action, event.moderator) == (ModerationEvent.Action.FLAGS_DISMISSED, moderator)
    assert AuditEntry.objects.get().action == "idea.flags_dismissed"
    assert mail.outbox == []


def test_content_without_flags_to_review_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    with pytest.raises(ValidationError):
        dismiss_flags(moderator=moderator_of(project), idea=idea)

    assert not ModerationEvent.objects.exists()


def test_hidden_content_is_restored_or_confirmed_instead(project: ProjectPage) -> None:
    idea = _flagged(project, count=3, visibility=Visibility.HIDDEN)

    with pytest.raises(ValidationError):
        dismiss_flags(moderator=moderator_of(project), idea=idea)

    assert Idea.objects.get().visibility == Visibility.HIDDEN
    assert Flag.objects.filter(reviewed_at__isnull=True).count() == 3
