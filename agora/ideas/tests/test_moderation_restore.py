"""restore(): a hidden contribution is published again and its flags are reviewed."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.core.models import AuditEntry
from agora.ideas.models import Comment, Flag, Idea, ModerationEvent, Visibility
from agora.ideas.moderation import restore
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.moderation_people import moderator_of, reachable_author
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _hidden_by_flags(comment: Comment) -> None:
    for _ in range(3):
        Flag.objects.create(comment=comment, participant=ParticipantFactory.create(), reason="spam")
    Comment.objects.filter(pk=comment.pk).update(visibility=Visibility.HIDDEN, flag_count=3)
    Idea.objects.filter(pk=comment.idea_id).update(comment_count=0)


def test_a_comment_hidden_by_flags_is_restored_and_its_flags_reviewed(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    moderator = moderator_of(project)
    comment = CommentFactory.create(
        idea=IdeaFactory.create(project=project), author=reachable_author()
    )
    _hidden_by_flags(comment)

    with django_capture_on_commit_callbacks(execute=True):
        restore(moderator=moderator, comment=comment, reason="Critique légitime.")

    comment.refresh_from_db()
    assert (comment.visibility, comment.flag_count, comment.moderation_reason) == (
        Visibility.PUBLISHED,
        0,
        "",
    )
    assert not Flag.objects.filter(reviewed_at__isnull=True).exists()
    assert Idea.objects.get().comment_count == 1
    event = ModerationEvent.objects.get()
    assert (event.action, event.reason, event.moderator) == (
        ModerationEvent.Action.RESTORED,
        "Critique légitime.",
        moderator,
    )
    assert AuditEntry.objects.get().action == "comment.restored"
    [message] = mail.outbox
    assert message.to == ["auteure@example.org"]
    assert "Critique légitime." in message.body


def test_a_reason_is_optional(project: ProjectPage) -> None:
    idea = IdeaFactory.create(
        project=project, visibility=Visibility.HIDDEN, moderation_reason="Erreur"
    )

    restore(moderator=moderator_of(project), idea=idea)

    idea.refresh_from_db()
    assert (idea.visibility, idea.moderation_reason) == (Visibility.PUBLISHED, "")
    assert ModerationEvent.objects.get().reason == ""


@pytest.mark.parametrize("visibility", [Visibility.PUBLISHED, Visibility.PENDING])
def test_only_hidden_content_is_restored(project: ProjectPage, visibility: Visibility) -> None:
    idea = IdeaFactory.create(project=project, visibility=visibility)

    with pytest.raises(ValidationError):
        restore(moderator=moderator_of(project), idea=idea)

    assert Idea.objects.get().visibility == visibility
    assert not ModerationEvent.objects.exists()
