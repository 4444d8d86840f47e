"""The idea box's reads: orders with stable tie-breaks, filters, visibility, the state of the
idea box, the themes offered, comment threads in one query, and the shared idea count."""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from agora.core.models import Participant
from agora.ideas import selectors
from agora.ideas.models import Idea, IdeaStatus, Reaction, Visibility
from agora.ideas.selectors import IdeaFilters, IdeaSort
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import (
    ParticipantFactory,
    ProjectPageFactory,
    ThemeFactory,
    idea_box_phase,
    information_phase,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

TODAY = datetime.date(2026, 5, 12)


def titles(ideas: Iterable[Idea]) -> list[str]:
    return [idea.title for idea in ideas]


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_ideas_of_the_same_date_and_count_keep_a_stable_order(project: ProjectPage) -> None:
    moment = timezone.now()
    first = IdeaFactory.create(
        project=project, title="Première", created_at=moment, support_count=2
    )
    second = IdeaFactory.create(
        project=project, title="Seconde", created_at=moment, support_count=2
    )

    for sort in IdeaSort:
        ideas = selectors.ideas_for_list(project=project, viewer=None, participant=None, sort=sort)
        assert [idea.pk for idea in ideas] == [second.pk, first.pk]


def test_the_list_reads_only_what_a_card_shows(
    project: ProjectPage, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    theme = ThemeFactory.create()
    IdeaFactory.create(project=project, theme=theme, description="Un long texte. " * 100)

    ideas = list(selectors.ideas_for_list(project=project, viewer=None, participant=None))
    with django_assert_num_queries(0):
        [idea] = ideas
        assert idea.theme.name == theme.name_fr
        assert idea.display_name == "Participant anonyme"
        assert len(idea.excerpt) == selectors.EXCERPT_LENGTH
        assert idea.get_status_display() == "Reçue"
    assert "description" in idea.get_deferred_fields()


def test_filters_narrow_by_theme_and_status(project: ProjectPage) -> None:
    theme = ThemeFactory.create()
    IdeaFactory.create(project=project, title="Thème", theme=theme)
    IdeaFactory.create(project=project, title="Retenue", status=IdeaStatus.ACCEPTED)
    IdeaFactory.create(project=project, title="Les deux", theme=theme, status=IdeaStatus.ACCEPTED)

    def listed(**filters: Any) -> list[str]:
        ideas = selectors.ideas_for_list(project=project, viewer=None, participant=None, **filters)
        return sorted(titles(ideas))

    assert listed(theme=theme) == ["Les deux", "Thème"]
    assert listed(status=IdeaStatus.ACCEPTED) == ["Les deux", "Retenue"]
    assert listed(theme=theme, status=IdeaStatus.ACCEPTED) == ["Les deux"]


def test_a_participant_sees_their_pending_ideas_and_nobody_sees_hidden_ones(
    project: ProjectPage,
) -> None:
    author = ParticipantFactory.create()
    IdeaFactory.create(project=project, title="Publiée")
    IdeaFactory.create(project=project, title="À moi", author=author, visibility=Visibility.PENDING)
    IdeaFactory.create(project=project, title="Pas à moi", visibility=Visibility.PENDING)
    IdeaFactory.create(
        project=project, title="Masquée", author=author, visibility=Visibility.HIDDEN
    )

    anonymous = selectors.ideas_for_list(project=project, viewer=None, participant=None)
    own = selectors.ideas_for_list(project=project, viewer=None, participant=author)

    assert titles(anonymous) == ["Publiée"]
    assert sorted(titles(own)) == ["Publiée", "À moi"]


def test_the_query_string_gives_the_filters_and_ignores_unknown_values() -> None:
    theme = ThemeFactory.create(slug="parcs")

    chosen = IdeaFilters.from_query({"tri": "appuis", "theme": "parcs", "statut": "done"}, [theme])
    unknown = IdeaFilters.from_query({"tri": "au-hasard", "statut": "approved"}, [theme])
    unknown_theme = IdeaFilters.from_query({"theme": "autre"}, [theme])

    assert chosen == IdeaFilters(sort=IdeaSort.SUPPORTED, theme=theme, status=IdeaStatus.DONE)
    assert chosen.active
    assert unknown == IdeaFilters()
    assert not unknown.active
    assert unknown_theme == IdeaFilters(unknown_theme=True)
    assert unknown_theme.active


def test_the_themes_offered_are_those_the_visible_ideas_carry(project: ProjectPage) -> None:
    parks = ThemeFactory.create(name_fr="Parcs")
    roads = ThemeFactory.create(name_fr="Rues")
    ThemeFactory.create(name_fr="Culture")
    author = ParticipantFactory.create()
    IdeaFactory.create(project=project, theme=parks)
    IdeaFactory.create(project=project, theme=roads, author=author, visibility=Visibility.PENDING)

    assert selectors.idea_themes(project) == [parks]
    assert selectors.idea_themes(project, participant=author) == [parks, roads]


def test_the_idea_box_is_open_closed_since_or_opening_on(project_index: ProjectIndexPage) -> None:
    open_box = ProjectPageFactory.create(parent=project_index)
    closed = ProjectPageFactory.create(
        parent=project_index,
        phases=[
            idea_box_phase(
                start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 4, 30)
            )
        ],
    )
    upcoming = ProjectPageFactory.create(
        parent=project_index,
        phases=[
            idea_box_phase(
                start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 3, 31)
            ),
            idea_box_phase(
                start_date=datetime.date(2026, 6, 1), end_date=datetime.date(2026, 6, 30)
            ),
        ],
    )
    information = ProjectPageFactory.create(parent=project_index, phases=[information_phase()])

    today = timezone.localdate()
    assert selectors.idea_box_state(open_box, today).is_open
    assert selectors.idea_box_state(closed, TODAY).closed_on == datetime.date(2026, 4, 30)
    state = selectors.idea_box_state(upcoming, TODAY)
    assert (state.is_open, state.closed_on, state.opens_on) == (
        False,
        None,
        datetime.date(2026, 6, 1),
    )
    assert selectors.idea_box_state(information, TODAY) == selectors.IdeaBoxState(None)


def test_comment_threads_come_in_one_query_oldest_first(
    project: ProjectPage, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    idea = IdeaFactory.create(project=project)
    first = CommentFactory.create(idea=idea, body="Premier", created_at=ago(3))
    second = CommentFactory.create(idea=idea, body="Second", created_at=ago(2))
    CommentFactory.create(idea=idea, parent=first, body="Réponse tardive", created_at=ago(1))
    CommentFactory.create(idea=idea, parent=first, body="Réponse", created_at=ago(2))

    with django_assert_num_queries(1):
        threads = selectors.comment_threads(idea, viewer=None, participant=None)
        shown = [
            (thread.comment.body, [reply.body for reply in thread.replies]) for thread in threads
        ]

    assert shown == [("Premier", ["Réponse", "Réponse tardive"]), (second.body, [])]


def test_comment_threads_keep_hidden_comments_and_drop_others_pending_ones(
    project: ProjectPage,
) -> None:
    author = ParticipantFactory.create()
    idea = IdeaFactory.create(project=project)
    hidden = CommentFactory.create(
        idea=idea, visibility=Visibility.HIDDEN, moderation_reason="Hors sujet"
    )
    CommentFactory.create(idea=idea, parent=hidden, body="Sous un masqué")
    pending = CommentFactory.create(idea=idea, visibility=Visibility.PENDING, body="En attente")
    CommentFactory.create(idea=idea, parent=pending, body="Sous une attente")
    CommentFactory.create(idea=idea, author=author, visibility=Visibility.PENDING, body="La mienne")
    CommentFactory.create(idea=IdeaFactory.create(project=project), body="Ailleurs")

    anonymous = selectors.comment_threads(idea, viewer=None, participant=None)
    own = selectors.comment_threads(idea, viewer=None, participant=author)

    assert [(t.comment.pk, [r.body for r in t.replies]) for t in anonymous] == [
        (hidden.pk, ["Sous un masqué"])
    ]
    assert [t.comment.body for t in own][-1] == "La mienne"


def test_idea_for_detail_refuses_another_projects_idea_and_invisible_ones(
    project: ProjectPage, project_index: ProjectIndexPage
) -> None:
    other = ProjectPageFactory.create(parent=project_index)
    here = IdeaFactory.create(project=project)
    elsewhere = IdeaFactory.create(project=other)
    hidden = IdeaFactory.create(project=project, visibility=Visibility.HIDDEN)

    def found(idea_id: int) -> Idea | None:
        return selectors.idea_for_detail(
            project=project, idea_id=idea_id, viewer=None, participant=None
        )

    assert found(here.pk) == here
    assert found(elsewhere.pk) is None
    assert found(hidden.pk) is None


def test_the_reaction_of_a_participant_is_read_once(project: ProjectPage) -> None:
    participant = ParticipantFactory.create()
    idea = IdeaFactory.create(project=project)
    Reaction.objects.create(idea=idea, participant=participant, kind=Reaction.Kind.SUPPORT)

    assert selectors.reaction_of(idea, participant) == "support"
    assert selectors.reaction_of(idea, ParticipantFactory.create()) is None
    assert selectors.reaction_of(idea, None) is None


def test_the_public_count_is_shared_but_a_participants_count_is_their_own(
    project: ProjectPage, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    author = ParticipantFactory.create()
    IdeaFactory.create(project=project)
    IdeaFactory.create(project=project, author=author, visibility=Visibility.PENDING)
    filters = IdeaFilters()

    def counter(participant: Participant | None) -> Callable[[], int]:
        ideas = selectors.ideas_for_list(project=project, viewer=None, participant=participant)

        def count() -> int:
            page = selectors.paginate_ideas(
                ideas, project=project, participant=participant, filters=filters, page_number="1"
            )
            return int(page.paginator.count)

        return count

    public, own = counter(None), counter(author)
    assert public() == 1
    IdeaFactory.create(project=project)
    with django_assert_num_queries(0):
        assert public() == 1  # reused until the project's scope is bumped
    assert own() == 3
