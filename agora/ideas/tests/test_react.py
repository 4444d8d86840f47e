"""react and withdraw_reaction: one reaction per idea and participant, held by the database;
"disagree" only where the phase allows it; counters kept; closed phases and unpublished
ideas refused without writing anything."""

import pytest
from django.db import IntegrityError

from agora.core.audience import Audience
from agora.ideas.models import Idea, Reaction, Visibility
from agora.ideas.services import (
    ContributionRefusedError,
    Refusal,
    react,
    withdraw_reaction,
)
from agora.ideas.tests.factories import IdeaFactory
from agora.ideas.tests.writing import close_idea_box, project_with, written
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def counts(idea: Idea) -> tuple[int, int]:
    idea.refresh_from_db()
    return idea.support_count, idea.disagree_count


def test_a_participant_supports_an_idea(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    react(idea=idea, participant=ParticipantFactory.create(), kind=Reaction.Kind.SUPPORT)

    assert counts(idea) == (1, 0)
    assert Reaction.objects.get().kind == Reaction.Kind.SUPPORT


def test_a_second_support_is_refused_politely_and_counted_once(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()
    react(idea=idea, participant=participant, kind=Reaction.Kind.SUPPORT)

    with pytest.raises(ContributionRefusedError) as refused:
        react(idea=idea, participant=participant, kind=Reaction.Kind.SUPPORT)

    assert refused.value.reason == Refusal.ALREADY_REACTED
    assert str(refused.value.message) == "Vous avez déjà réagi à cette idée."
    assert counts(idea) == (1, 0)
    assert Reaction.objects.count() == 1


def test_one_reaction_per_idea_is_a_database_constraint(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()
    Reaction.objects.create(idea=idea, participant=participant, kind=Reaction.Kind.SUPPORT)

    with pytest.raises(IntegrityError):
        Reaction.objects.create(idea=idea, participant=participant, kind=Reaction.Kind.DISAGREE)


def test_support_then_disagree_is_still_one_reaction(project_index: ProjectIndexPage) -> None:
    project = project_with(project_index, allow_disagree=True)
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()
    react(idea=idea, participant=participant, kind=Reaction.Kind.SUPPORT)

    with pytest.raises(ContributionRefusedError):
        react(idea=idea, participant=participant, kind=Reaction.Kind.DISAGREE)

    assert counts(idea) == (1, 0)


def test_disagreeing_is_counted_where_the_phase_allows_it(project_index: ProjectIndexPage) -> None:
    project = project_with(project_index, allow_disagree=True)
    idea = IdeaFactory.create(project=project)

    react(idea=idea, participant=ParticipantFactory.create(), kind=Reaction.Kind.DISAGREE)

    assert counts(idea) == (0, 1)


def test_disagreeing_is_refused_where_the_phase_allows_only_support(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    with pytest.raises(ContributionRefusedError) as refused:
        react(idea=idea, participant=ParticipantFactory.create(), kind=Reaction.Kind.DISAGREE)

    assert refused.value.reason == Refusal.DISAGREE_NOT_ALLOWED
    assert Reaction.objects.count() == 0


def test_supports_from_several_participants_add_up(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)

    for _ in range(3):
        react(idea=idea, participant=ParticipantFactory.create(), kind=Reaction.Kind.SUPPORT)

    assert counts(idea) == (3, 0)


def test_reacting_in_a_closed_phase_is_refused_and_writes_nothing(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    close_idea_box(project)
    before = written()

    with pytest.raises(ContributionRefusedError) as refused:
        react(idea=idea, participant=ParticipantFactory.create(), kind=Reaction.Kind.SUPPORT)

    assert refused.value.reason == Refusal.CLOSED
    assert written() == before
    assert counts(idea) == (0, 0)


@pytest.mark.parametrize("visibility", [Visibility.PENDING, Visibility.HIDDEN])
def test_an_unpublished_idea_cannot_be_supported(
    project: ProjectPage, visibility: Visibility
) -> None:
    idea = IdeaFactory.create(project=project, visibility=visibility)

    with pytest.raises(ContributionRefusedError) as refused:
        react(idea=idea, participant=ParticipantFactory.create(), kind=Reaction.Kind.SUPPORT)

    assert refused.value.reason == Refusal.NOT_PUBLISHED
    assert Reaction.objects.count() == 0


def test_an_account_phase_refuses_an_anonymous_reaction(project_index: ProjectIndexPage) -> None:
    idea = IdeaFactory.create(project=project_with(project_index, audience=Audience.ACCOUNT))

    with pytest.raises(ContributionRefusedError) as refused:
        react(idea=idea, participant=ParticipantFactory.create(), kind=Reaction.Kind.SUPPORT)

    assert refused.value.reason == Refusal.NEEDS_ACCOUNT
    assert Reaction.objects.count() == 0


def test_a_participant_withdraws_their_support(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()
    react(idea=idea, participant=participant, kind=Reaction.Kind.SUPPORT)

    withdraw_reaction(idea=idea, participant=participant)

    assert counts(idea) == (0, 0)
    assert Reaction.objects.count() == 0


def test_after_withdrawing_one_may_support_again(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()
    react(idea=idea, participant=participant, kind=Reaction.Kind.SUPPORT)
    withdraw_reaction(idea=idea, participant=participant)

    react(idea=idea, participant=participant, kind=Reaction.Kind.SUPPORT)

    assert counts(idea) == (1, 0)


def test_withdrawing_without_a_reaction_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project, support_count=4)

    with pytest.raises(ContributionRefusedError) as refused:
        withdraw_reaction(idea=idea, participant=ParticipantFactory.create())

    assert refused.value.reason == Refusal.NOT_REACTED
    assert counts(idea) == (4, 0)


def test_withdrawing_takes_back_only_ones_own_reaction(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    mine, theirs = ParticipantFactory.create(), ParticipantFactory.create()
    react(idea=idea, participant=theirs, kind=Reaction.Kind.SUPPORT)

    with pytest.raises(ContributionRefusedError):
        withdraw_reaction(idea=idea, participant=mine)

    assert Reaction.objects.filter(participant=theirs).exists()


def test_withdrawing_in_a_closed_phase_is_refused(project: ProjectPage) -> None:
    idea = IdeaFactory.create(project=project)
    participant = ParticipantFactory.create()
    react(idea=idea, participant=participant, kind=Reaction.Kind.SUPPORT)
    close_idea_box(project)

    with pytest.raises(ContributionRefusedError) as refused:
        withdraw_reaction(idea=idea, participant=participant)

    assert refused.value.reason == Refusal.CLOSED
    assert counts(idea) == (1, 0)
