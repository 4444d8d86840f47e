"""flag: residents report an idea or a comment once each; the third flag hides it until a
moderator reviews it, writes the moderation log and tells the project's moderators."""

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.tests.team_factories import UserFactory
from agora.core.audience import Audience
from agora.ideas.models import (
    Flag,
    FlagReason,
    ModerationEvent,
    Visibility,
)
from agora.ideas.services import ContributionRefusedError, Refusal, comment, flag
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.ideas.tests.writing import close_idea_box, project_with
from agora.participation.models import ProjectIndexPage, ProjectModerator, ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

FLAGS_TO_HIDE = settings.FLAGS_TO_HIDE


def flagged_by_many(count: int, **target: Any) -> None:
    for _ in range(count):
        flag(participant=ParticipantFactory.create(), reason=FlagReason.SPAM, **target)


def test_a_flag_is_counted_on_the_idea(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    flag(participant=ParticipantFactory.create(), reason=FlagReason.OFF_TOPIC, idea=idea)

    idea.refresh_from_db()
    assert idea.flag_count == 1
    assert idea.visibility == Visibility.PUBLISHED
    assert Flag.objects.get().reason == FlagReason.OFF_TOPIC


def test_a_participant_flags_the_same_content_once(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()
    flag(participant=participant, reason=FlagReason.SPAM, idea=idea)

    with pytest.raises(ContributionRefusedError) as refused:
        flag(participant=participant, reason=FlagReason.OFFENSIVE, idea=idea)

    assert refused.value.reason == Refusal.ALREADY_FLAGGED
    idea.refresh_from_db()
    assert idea.flag_count == 1
    assert Flag.objects.count() == 1


def test_one_flag_per_participant_is_a_database_constraint(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()
    Flag.objects.create(idea=idea, participant=participant, reason=FlagReason.SPAM)

    with pytest.raises(IntegrityError):
        Flag.objects.create(idea=idea, participant=participant, reason=FlagReason.SPAM)


def test_the_third_flag_hides_the_idea_and_logs_it(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    flagged_by_many(FLAGS_TO_HIDE - 1, idea=idea)
    idea.refresh_from_db()
    assert idea.visibility == Visibility.PUBLISHED

    flagged_by_many(1, idea=idea)

    idea.refresh_from_db()
    assert idea.visibility == Visibility.HIDDEN
    event = ModerationEvent.objects.get()
    assert event.action == ModerationEvent.Action.AUTO_HIDDEN
    assert event.idea == idea
    assert event.comment is None
    assert event.project == project
    assert event.moderator is None


def test_the_third_flag_hides_a_comment_and_uncounts_it(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    target = comment(
        idea=idea, participant=ParticipantFactory.create(), body="Achetez ici!", language="fr"
    )

    flagged_by_many(FLAGS_TO_HIDE, comment=target)

    target.refresh_from_db()
    idea.refresh_from_db()
    assert target.visibility == Visibility.HIDDEN
    assert idea.comment_count == 0
    assert idea.visibility == Visibility.PUBLISHED
    event = ModerationEvent.objects.get()
    assert event.comment == target
    assert event.action == ModerationEvent.Action.AUTO_HIDDEN


def test_moderators_of_the_project_are_told_when_content_is_hidden(
    project: ProjectPage,
    project_index: ProjectIndexPage,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    moderator = UserFactory.create(email="moderatrice@example.org")
    ProjectModerator.objects.create(project=project, user=moderator)
    elsewhere = project_with(project_index)
    ProjectModerator.objects.create(
        project=elsewhere, user=UserFactory.create(email="autre@example.org")
    )
    idea = IdeaFactory.create(project=project, title="Vendez vos bijoux")

    with django_capture_on_commit_callbacks(execute=True):
        flagged_by_many(FLAGS_TO_HIDE, idea=idea)

    assert [message.to for message in mail.outbox] == [["moderatrice@example.org"]]
    assert "Vendez vos bijoux" in mail.outbox[0].body
    assert "Parc riverain" in mail.outbox[0].subject
    assert f"/gestion/moderation/{project.pk}/?liste=signalements" in mail.outbox[0].body


def test_nobody_is_told_before_the_content_is_hidden(
    project: ProjectPage, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    ProjectModerator.objects.create(project=project, user=UserFactory.create())
    idea = IdeaFactory.create(project=project)

    with django_capture_on_commit_callbacks(execute=True):
        flagged_by_many(FLAGS_TO_HIDE - 1, idea=idea)

    assert mail.outbox == []


def test_hidden_content_cannot_be_flagged_again(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, visibility=Visibility.HIDDEN, flag_count=3)

    with pytest.raises(ContributionRefusedError) as refused:
        flag(participant=ParticipantFactory.create(), reason=FlagReason.SPAM, idea=idea)

    assert refused.value.reason == Refusal.NOT_PUBLISHED
    assert Flag.objects.count() == 0


def test_a_comment_of_a_hidden_idea_cannot_be_flagged(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, visibility=Visibility.HIDDEN)
    target = CommentFactory.create(idea=idea)

    with pytest.raises(ContributionRefusedError):
        flag(participant=ParticipantFactory.create(), reason=FlagReason.SPAM, comment=target)

    assert Flag.objects.count() == 0


def test_content_can_still_be_flagged_after_the_phase_closes(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    close_idea_box(project)

    flag(participant=ParticipantFactory.create(), reason=FlagReason.OFFENSIVE, idea=idea)

    assert Flag.objects.count() == 1


def test_the_phase_audience_applies_to_flags(project_index: ProjectIndexPage) -> None:
    idea = IdeaFactory.create(project=project_with(project_index, audience=Audience.ACCOUNT))

    with pytest.raises(ContributionRefusedError) as refused:
        flag(participant=ParticipantFactory.create(), reason=FlagReason.SPAM, idea=idea)

    assert refused.value.reason == Refusal.NEEDS_ACCOUNT
    assert Flag.objects.count() == 0


def test_an_unknown_reason_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    with pytest.raises(ContributionRefusedError):
        flag(participant=ParticipantFactory.create(), reason="boring", idea=idea)

    assert Flag.objects.count() == 0


def test_a_flag_needs_exactly_one_target(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    with pytest.raises(ValueError, match="either"):
        flag(
            participant=ParticipantFactory.create(),
            reason=FlagReason.SPAM,
            idea=idea,
            comment=CommentFactory.create(idea=idea),
        )


def test_the_audience_still_applies_to_flags_after_the_phase_closes(
    project_index: ProjectIndexPage,
) -> None:
    project = project_with(project_index, audience=Audience.ACCOUNT)
    idea = IdeaFactory.create(project=project)
    close_idea_box(project)

    with pytest.raises(ContributionRefusedError) as refused:
        flag(participant=ParticipantFactory.create(), reason=FlagReason.SPAM, idea=idea)

    assert refused.value.reason == Refusal.NEEDS_ACCOUNT
