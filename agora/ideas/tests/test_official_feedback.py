"""set_status(): the city's answer to an idea, kept in its public history and sent to the
people who follow it."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from agora.core.models import AuditEntry
from agora.ideas.feedback import set_status
from agora.ideas.models import Idea, IdeaFollower, IdeaStatus, StatusChange, Visibility
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.moderation_people import (
    ALLOWED_TO_MODERATE,
    ROLES,
    follower,
    moderator_of,
    reachable_author,
)
from agora.participation.models import ProjectPage

pytestmark = pytest.mark.django_db

EXPLANATION = "Le budget 2027 prévoit trois nouveaux bancs."


def test_the_answer_updates_the_idea_and_its_public_history(
    project: ProjectPage, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-05-04 10:00:00-04:00", tick=False)
    staff = moderator_of(project)
    idea = IdeaFactory.create(project=project)

    change = set_status(staff=staff, idea=idea, status=IdeaStatus.PLANNED, explanation=EXPLANATION)

    idea.refresh_from_db()
    assert (idea.status, idea.status_explanation, idea.status_changed_at) == (
        IdeaStatus.PLANNED,
        EXPLANATION,
        timezone.now(),
    )
    assert list(StatusChange.objects.values_list("status", "explanation", "changed_by")) == [
        (IdeaStatus.PLANNED, EXPLANATION, staff.pk)
    ]
    assert change.created_at == timezone.now()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.details["from"], entry.details["to"]) == (
        "idea.status_changed",
        IdeaStatus.RECEIVED,
        IdeaStatus.PLANNED,
    )


@pytest.mark.parametrize("status", [s for s in IdeaStatus.values if s != IdeaStatus.RECEIVED])
def test_every_status_but_received_needs_an_explanation(project: ProjectPage, status: str) -> None:
    idea = IdeaFactory.create(project=project)

    with pytest.raises(ValidationError) as error:
        set_status(staff=moderator_of(project), idea=idea, status=status, explanation="  ")

    assert "explanation" in error.value.message_dict
    assert Idea.objects.get().status == IdeaStatus.RECEIVED
    assert not StatusChange.objects.exists()


def test_received_needs_no_explanation(project: ProjectPage) -> None:
    idea = IdeaFactory.create(
        project=project, status=IdeaStatus.UNDER_STUDY, status_explanation="x"
    )

    set_status(staff=moderator_of(project), idea=idea, status=IdeaStatus.RECEIVED, explanation="")

    assert Idea.objects.get().status == IdeaStatus.RECEIVED


def test_every_active_follower_is_told_in_their_language_with_an_unsubscribe_link(
    project: ProjectPage,
    english_project: ProjectPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    idea = IdeaFactory.create(project=project, title="Des bancs au parc")
    follower(idea, "suzanne@example.org")
    english = follower(idea, "john@example.org", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        set_status(
            staff=moderator_of(project),
            idea=idea,
            status=IdeaStatus.PLANNED,
            explanation=EXPLANATION,
        )

    assert sorted(m.to[0] for m in mail.outbox) == ["john@example.org", "suzanne@example.org"]
    french = next(m for m in mail.outbox if m.to == ["suzanne@example.org"])
    assert "Des bancs au parc" in french.subject
    assert "Planifiée" in french.subject
    assert EXPLANATION in french.body
    assert f"/fr/projets/parc-riverain/idees/{idea.pk}/" in french.body
    to_john = next(m for m in mail.outbox if m.to == ["john@example.org"])
    assert f"/en/projects/riverside-park/ideas/{idea.pk}/" in to_john.body
    assert f"/{english.token}/" in to_john.body
    for message in mail.outbox:
        assert re.search(
            r"https?://\S+/(suivi|follow)/\S+/(desabonnement|unsubscribe)/", str(message.body)
        )


def test_unconfirmed_and_unsubscribed_followers_get_nothing(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project)
    follower(idea, "actif@example.org")
    follower(idea, "pas-confirme@example.org", verified_at=None)
    follower(idea, "parti@example.org", unsubscribed_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        set_status(
            staff=moderator_of(project), idea=idea, status=IdeaStatus.DONE, explanation=EXPLANATION
        )

    assert [m.to for m in mail.outbox] == [["actif@example.org"]]


def test_the_author_who_can_be_reached_hears_the_answer_once(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project, author=reachable_author("auteure@example.org"))
    follower(idea, "auteure@example.org")  # as the idea box leaves it on submission

    with django_capture_on_commit_callbacks(execute=True):
        set_status(
            staff=moderator_of(project),
            idea=idea,
            status=IdeaStatus.ACCEPTED,
            explanation=EXPLANATION,
        )

    assert [m.to for m in mail.outbox] == [["auteure@example.org"]]


def test_an_author_who_unsubscribed_is_not_written_to(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project, author=reachable_author("auteure@example.org"))
    follower(idea, "auteure@example.org", unsubscribed_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        set_status(
            staff=moderator_of(project),
            idea=idea,
            status=IdeaStatus.ACCEPTED,
            explanation=EXPLANATION,
        )

    assert mail.outbox == []
    assert IdeaFollower.objects.get().unsubscribed_at is not None


def test_nothing_is_sent_when_the_answer_is_refused(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    idea = IdeaFactory.create(project=project)
    follower(idea, "actif@example.org")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        set_status(staff=moderator_of(project), idea=idea, status=IdeaStatus.DONE, explanation="")

    assert mail.outbox == []


@pytest.mark.parametrize("visibility", [Visibility.PENDING, Visibility.HIDDEN])
def test_only_a_published_idea_gets_an_answer(project: ProjectPage, visibility: Visibility) -> None:
    idea = IdeaFactory.create(project=project, visibility=visibility)

    with pytest.raises(ValidationError):
        set_status(
            staff=moderator_of(project), idea=idea, status=IdeaStatus.DONE, explanation=EXPLANATION
        )

    assert not StatusChange.objects.exists()


def test_the_same_answer_twice_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    staff = moderator_of(project)
    set_status(staff=staff, idea=idea, status=IdeaStatus.DONE, explanation=EXPLANATION)

    with pytest.raises(ValidationError):
        set_status(staff=staff, idea=idea, status=IdeaStatus.DONE, explanation=EXPLANATION)

    assert StatusChange.objects.count() == 1


def test_an_unknown_status_is_refused(project: ProjectPage) -> None:
    with pytest.raises(ValidationError):
        set_status(
            staff=moderator_of(project),
            idea=IdeaFactory.create(project=project),
            status="maybe",
            explanation=EXPLANATION,
        )


@pytest.mark.parametrize("role", ROLES)
def test_the_project_team_and_administrators_answer(project: ProjectPage, role: str) -> None:
    user = ROLES[role](project)
    idea = IdeaFactory.create(project=project)

    if role in ALLOWED_TO_MODERATE:
        set_status(staff=user, idea=idea, status=IdeaStatus.UNDER_STUDY, explanation=EXPLANATION)
        assert Idea.objects.get().status == IdeaStatus.UNDER_STUDY
    else:
        with pytest.raises(PermissionDenied):
            set_status(
                staff=user, idea=idea, status=IdeaStatus.UNDER_STUDY, explanation=EXPLANATION
            )
        assert not StatusChange.objects.exists()
        assert not AuditEntry.objects.exists()


def test_anonymous_visitors_cannot_answer(project: ProjectPage) -> None:
    with pytest.raises(PermissionDenied):
        set_status(
            staff=AnonymousUser(),
            idea=IdeaFactory.create(project=project),
            status=IdeaStatus.DONE,
            explanation=EXPLANATION,
        )
