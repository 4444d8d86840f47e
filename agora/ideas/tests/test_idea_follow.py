"""follow_idea(), confirm_follow(), unsubscribe(): following an idea by e-mail without an
account."""

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.ideas.feedback import UnknownFollowLinkError, confirm_follow, follow_idea, unsubscribe
from agora.ideas.models import IdeaFollower
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.moderation_people import follower
from agora.participation.models import ProjectPage

pytestmark = pytest.mark.django_db


def test_following_creates_an_unconfirmed_subscription_and_sends_a_link(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project, title="Des bancs au parc")

    with django_capture_on_commit_callbacks(execute=True):
        follow_idea(idea=idea, email=" Suzanne@Example.org ", language="fr")

    subscription = IdeaFollower.objects.get()
    assert (subscription.email, subscription.language, subscription.is_active) == (
        "suzanne@example.org",
        "fr",
        False,
    )
    [message] = mail.outbox
    assert message.to == ["suzanne@example.org"]
    assert "Des bancs au parc" in message.subject
    assert f"/fr/idees/suivi/{subscription.token}/confirmer/" in message.body


def test_confirming_activates_the_subscription_and_a_second_confirmation_changes_nothing(
    project: ProjectPage,
) -> None:
    subscription = follower(IdeaFactory.create(project=project), "a@example.org", verified_at=None)

    confirm_follow(token=subscription.token)
    subscription.refresh_from_db()
    confirmed_at = subscription.verified_at
    confirm_follow(token=subscription.token)

    subscription.refresh_from_db()
    assert subscription.is_active
    assert subscription.verified_at == confirmed_at


def test_following_twice_makes_one_subscription_and_one_message(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project)

    with django_capture_on_commit_callbacks(execute=True):
        follow_idea(idea=idea, email="a@example.org", language="fr")
        follow_idea(idea=idea, email="A@example.org", language="fr")

    assert IdeaFollower.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_address_that_already_follows_gets_no_message(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project)
    follower(idea, "a@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        follow_idea(idea=idea, email="a@example.org", language="fr")

    assert mail.outbox == []
    assert IdeaFollower.objects.get().is_active


def test_following_again_after_unsubscribing_needs_a_new_confirmation(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project)
    old = follower(idea, "a@example.org", unsubscribed_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        follow_idea(idea=idea, email="a@example.org", language="en")

    subscription = IdeaFollower.objects.get()
    assert not subscription.is_active
    assert subscription.token != old.token
    with pytest.raises(UnknownFollowLinkError):
        confirm_follow(token=old.token)  # an old link does not subscribe again
    [message] = mail.outbox
    assert f"/{subscription.token}/" in message.body

    confirm_follow(token=subscription.token)

    subscription.refresh_from_db()
    assert subscription.is_active
    assert subscription.language == "en"


def test_unsubscribing_works_once_and_again_without_error(project: ProjectPage) -> None:
    subscription = follower(IdeaFactory.create(project=project), "a@example.org")

    unsubscribe(token=subscription.token)
    subscription.refresh_from_db()
    first = subscription.unsubscribed_at
    unsubscribe(token=subscription.token)

    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.unsubscribed_at == first


@pytest.mark.parametrize("token", ["", "inconnu"])
def test_an_unknown_token_is_refused(db: None, token: str) -> None:
    with pytest.raises(UnknownFollowLinkError):
        unsubscribe(token=token)
    with pytest.raises(UnknownFollowLinkError):
        confirm_follow(token=token)
