"""The idea-box part of `seed_demo`: the riverside park's ideas, comments, reactions, the
city's answer and a moderated comment, with counters that match the rows, built once. The city
is seeded once for the module (`demo_city`); each test's changes are rolled back."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from agora.accounts.demo import DEMO_RESIDENT_EMAIL, DEMO_TEAM
from agora.accounts.roles import Role
from agora.core.models import Participant
from agora.ideas.models import (
    Comment,
    Flag,
    Idea,
    IdeaQuerySet,
    IdeaStatus,
    ModerationEvent,
    Reaction,
    StatusChange,
    Visibility,
)
from agora.participation.demo import IDEA_BOX_PROJECT_SLUG

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]

MODERATOR_EMAIL = next(
    email for role, email, *_names in DEMO_TEAM if role == Role.PROJECT_MODERATOR
)


def seed_demo() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def demo_ideas() -> IdeaQuerySet:
    return Idea.objects.filter(
        project__slug=IDEA_BOX_PROJECT_SLUG, project__locale__language_code="fr"
    )


def counts() -> dict[str, int]:
    return {
        "ideas": Idea.objects.count(),
        "comments": Comment.objects.count(),
        "reactions": Reaction.objects.count(),
        "participants": Participant.objects.count(),
        "status changes": StatusChange.objects.count(),
        "moderation events": ModerationEvent.objects.count(),
        "flags": Flag.objects.count(),
    }


def test_the_idea_box_holds_a_dozen_ideas_from_anonymous_and_named_residents() -> None:
    ideas = demo_ideas()

    assert 10 <= ideas.count() <= 15
    assert ideas.filter(author_name="").exists()
    assert ideas.exclude(author_name="").exists()
    assert ideas.filter(author__user__email=DEMO_RESIDENT_EMAIL).exists()
    assert ideas.filter(visibility=Visibility.PUBLISHED).count() == ideas.count()
    assert ideas.values("theme").distinct().count() >= 3


def test_every_counter_matches_its_rows() -> None:

    ideas = demo_ideas().annotate(
        supports=Count("reactions", filter=Q(reactions__kind=Reaction.Kind.SUPPORT), distinct=True),
        disagreements=Count(
            "reactions", filter=Q(reactions__kind=Reaction.Kind.DISAGREE), distinct=True
        ),
        readable=Count(
            "comments", filter=Q(comments__visibility=Visibility.PUBLISHED), distinct=True
        ),
    )
    for idea in ideas:
        assert (idea.support_count, idea.disagree_count, idea.comment_count) == (
            idea.supports,
            idea.disagreements,
            idea.readable,
        ), idea.title
    assert sum(idea.disagree_count for idea in ideas) > 0


def test_the_english_idea_and_comment_are_in_english() -> None:
    ideas = demo_ideas()
    comments = Comment.objects.filter(idea__in=ideas)

    assert list(ideas.filter(language="en").values_list("title", flat=True)) == [
        "Winter skating loop along the river"
    ]
    assert list(comments.filter(language="en").values_list("body", flat=True)) == [
        "Great idea. Skates could be rented at the chalet."
    ]
    assert ideas.filter(language="fr").count() == ideas.count() - 1


def test_one_idea_is_retained_with_the_citys_explanation() -> None:

    retained = demo_ideas().get(status=IdeaStatus.ACCEPTED)
    assert retained.status_explanation
    assert retained.status_changed_at is not None
    change = retained.status_changes.get()
    assert change.status == IdeaStatus.ACCEPTED
    assert change.explanation == retained.status_explanation
    assert change.changed_by.email == MODERATOR_EMAIL


def test_comments_have_a_reply_and_the_moderator_hid_one() -> None:
    comments = Comment.objects.filter(idea__in=demo_ideas())

    assert comments.filter(parent__isnull=False).exists()
    hidden = comments.get(visibility=Visibility.HIDDEN)
    assert hidden.moderation_reason
    event = ModerationEvent.objects.get(comment=hidden)
    assert event.action == ModerationEvent.Action.HIDDEN
    assert event.moderator is not None
    assert event.moderator.email == MODERATOR_EMAIL


def test_contributions_are_spread_over_the_open_phase() -> None:
    ideas = demo_ideas()
    first = ideas.first()
    assert first is not None
    project = first.project
    phase = project.phases.get(translation_key=first.phase_key)

    dates = {idea.created_at.date() for idea in ideas}
    assert len(dates) >= 8
    assert min(dates) >= phase.start_date


def test_running_it_again_duplicates_nothing() -> None:
    before = counts()

    seed_demo()

    assert counts() == before
