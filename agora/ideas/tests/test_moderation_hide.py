"""hide(): a contribution is hidden with a reason the public and the author read."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.core.models import AuditEntry
from agora.ideas.models import Comment, Flag, FlagReason, Idea, ModerationEvent, Visibility
from agora.ideas.moderation import hide
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.moderation_people import moderator_of, reachable_author
from agora.participation.models import ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

REASON = "Propos injurieux envers un voisin."


def test_a_published_idea_is_hidden_with_its_reason_logged_and_audited(
    project: ProjectPage,
) -> None:
    moderator = moderator_of(project)
    idea = IdeaFactory.create(project=project)

    hide(moderator=moderator, idea=idea, reason=f"  {REASON}  ")

    idea.refresh_from_db()
    assert (idea.visibility, idea.moderation_reason) == (Visibility.HIDDEN, REASON)
    assert not Idea.objects.of_project(project).published().exists()
    event = ModerationEvent.objects.get()
    assert (event.action, event.reason, event.moderator) == (
        ModerationEvent.Action.HIDDEN,
        REASON,
        moderator,
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.details["reason"]) == ("idea.hidden", REASON)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required_and_nothing_is_written_without_one(
    project: ProjectPage, reason: str
) -> None:
    idea = IdeaFactory.create(project=project)

    with pytest.raises(ValidationError) as error:
        hide(moderator=moderator_of(project), idea=idea, reason=reason)

    assert "reason" in error.value.message_dict
    assert Idea.objects.get().visibility == Visibility.PUBLISHED
    assert not ModerationEvent.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_author_is_told_why_their_comment_was_hidden(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project, title="Des bancs au parc")
    comment = CommentFactory.create(idea=idea, author=reachable_author("auteure@example.org"))
    Idea.objects.filter(pk=idea.pk).update(comment_count=1)

    with django_capture_on_commit_callbacks(execute=True):
        hide(moderator=moderator_of(project), comment=comment, reason=REASON)

    [message] = mail.outbox
    assert message.to == ["auteure@example.org"]
    assert REASON in message.body
    assert "Des bancs au parc" in message.body
    assert f"/fr/projets/parc-riverain/idees/{idea.pk}/" in message.body
    comment.refresh_from_db()
    assert (comment.visibility, comment.moderation_reason) == (Visibility.HIDDEN, REASON)
    assert Idea.objects.get().comment_count == 0


def test_the_author_of_a_hidden_idea_is_sent_to_the_project_page(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project, author=reachable_author())

    with django_capture_on_commit_callbacks(execute=True):
        hide(moderator=moderator_of(project), idea=idea, reason=REASON)

    [message] = mail.outbox
    assert REASON in message.body
    assert "/fr/projets/parc-riverain/\n" in message.body
    assert f"/idees/{idea.pk}/" not in message.body


def test_a_signed_in_author_is_written_to_at_their_account_address(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from agora.accounts.tests.team_factories import resident

    user = resident(email="compte@example.org")
    idea = IdeaFactory.create(project=project, author=ParticipantFactory.create(user=user))

    with django_capture_on_commit_callbacks(execute=True):
        hide(moderator=moderator_of(project), idea=idea, reason=REASON)

    assert [m.to for m in mail.outbox] == [["compte@example.org"]]


def test_an_author_with_an_unverified_address_is_not_written_to(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(
        project=project, author=ParticipantFactory.create(email="pas-verifie@example.org")
    )

    with django_capture_on_commit_callbacks(execute=True):
        hide(moderator=moderator_of(project), idea=idea, reason=REASON)

    assert mail.outbox == []


def test_confirming_the_hiding_of_content_hidden_by_flags_reviews_them(
    project: ProjectPage,
) -> None:
    comment = CommentFactory.create(idea=IdeaFactory.create(project=project), flag_count=3)
    for _ in range(3):
        Flag.objects.create(comment=comment, participant=ParticipantFactory.create(), reason="spam")
    Comment.objects.filter(pk=comment.pk).update(visibility=Visibility.HIDDEN)

    hide(moderator=moderator_of(project), comment=comment, reason=REASON)

    comment.refresh_from_db()
    assert (comment.visibility, comment.moderation_reason, comment.flag_count) == (
        Visibility.HIDDEN,
        REASON,
        0,
    )
    assert not Flag.objects.filter(reviewed_at__isnull=True).exists()
    assert Flag.objects.filter(reason=FlagReason.SPAM).count() == 3


def test_a_pending_idea_can_be_hidden_rather_than_approved(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, visibility=Visibility.PENDING)

    hide(moderator=moderator_of(project), idea=idea, reason="Hors sujet.")

    assert Idea.objects.get().visibility == Visibility.HIDDEN


def test_exactly_one_idea_or_comment_is_moderated(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    with pytest.raises(TypeError):
        hide(moderator=moderator_of(project), reason=REASON)
    with pytest.raises(TypeError):
        hide(
            moderator=moderator_of(project),
            idea=idea,
            comment=CommentFactory.create(idea=idea),
            reason=REASON,
        )
