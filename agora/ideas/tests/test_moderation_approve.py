"""approve(): a contribution waiting for approval is published, logged, and its author told."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.core.models import AuditEntry
from agora.ideas.models import Idea, ModerationEvent, Visibility
from agora.ideas.moderation import approve
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.moderation_people import moderator_of, reachable_author
from agora.participation.models import ProjectPage

pytestmark = pytest.mark.django_db


def test_a_pending_idea_is_published_logged_and_audited(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    moderator = moderator_of(project)
    idea = IdeaFactory.create(project=project, visibility=Visibility.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        approve(moderator=moderator, idea=idea)

    idea.refresh_from_db()
    assert idea.visibility == Visibility.PUBLISHED
    event = ModerationEvent.objects.get()
    assert (event.action, event.idea, event.comment, event.moderator, event.project) == (
        ModerationEvent.Action.APPROVED,
        idea,
        None,
        moderator,
        project,
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id) == ("idea.approved", str(idea.pk))


def test_the_author_who_can_be_reached_is_told_in_their_language(
    project: ProjectPage,
    english_project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    author = reachable_author("author@example.org", language="en")
    idea = IdeaFactory.create(project=project, author=author, visibility=Visibility.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        approve(moderator=moderator_of(project), idea=idea)

    [message] = mail.outbox
    assert message.to == ["author@example.org"]
    assert "Riverside park" in message.body  # the project's English title
    assert f"/en/projects/riverside-park/ideas/{idea.pk}/" in message.body


def test_an_author_who_left_no_address_is_not_written_to(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project, visibility=Visibility.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        approve(moderator=moderator_of(project), idea=idea)

    assert mail.outbox == []


def test_an_approved_comment_counts_among_the_ideas_comments(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    comment = CommentFactory.create(idea=idea, visibility=Visibility.PENDING)

    approve(moderator=moderator_of(project), comment=comment)

    comment.refresh_from_db()
    assert comment.visibility == Visibility.PUBLISHED
    assert Idea.objects.get().comment_count == 1
    event = ModerationEvent.objects.get()
    assert (event.comment, event.idea) == (comment, idea)
    assert AuditEntry.objects.get().action == "comment.approved"


@pytest.mark.parametrize("visibility", [Visibility.PUBLISHED, Visibility.HIDDEN])
def test_only_a_pending_contribution_can_be_approved(
    project: ProjectPage, visibility: Visibility
) -> None:
    idea = IdeaFactory.create(project=project, visibility=visibility)

    with pytest.raises(ValidationError):
        approve(moderator=moderator_of(project), idea=idea)

    assert Idea.objects.get().visibility == visibility
    assert not ModerationEvent.objects.exists()


def test_approving_renews_the_projects_cached_pages(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from django.core.cache import cache

    idea = IdeaFactory.create(project=project, visibility=Visibility.PENDING)
    before = cache.get(f"agora:scope:project:{project.pk}")

    with django_capture_on_commit_callbacks(execute=True):
        approve(moderator=moderator_of(project), idea=idea)

    assert cache.get(f"agora:scope:project:{project.pk}") != before
