"""How many have taken part in a project, as its page and card say it: distinct participants
across what residents can see of every phase component, published ideas, survey responses;
the same few queries for one project as for a page of them."""

import uuid
from typing import Any

import pytest
from django.utils import translation
from pytest_django import DjangoAssertNumQueries

from agora.core.cache import bump_content_version
from agora.core.models import Participant
from agora.ideas.models import Reaction, Visibility
from agora.ideas.tests.factories import CommentFactory, IdeaFactory
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.selectors import ParticipationCounts, participation_counts
from agora.participation.tests.factories import (
    ParticipantFactory,
    ProjectPageFactory,
    idea_box_phase,
)
from agora.surveys.models import Response, Survey
from agora.surveys.phases import SURVEY
from agora.surveys.tests.factories import SurveyFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def answer(survey: Survey, participant: Participant) -> Response:
    response: Response = Response.objects.create(
        survey=survey, participant=participant, policy_key=uuid.uuid4().hex
    )
    return response


def project_with_two_components(parent: ProjectIndexPage) -> tuple[ProjectPage, Survey]:
    project = ProjectPageFactory.create(
        parent=parent,
        phases=[idea_box_phase(), idea_box_phase(name="Sondage", method=SURVEY)],
    )
    phase = project.phases.get(method=SURVEY)
    return project, SurveyFactory.create(project=project, phase=phase)


def counts_of(project: ProjectPage) -> ParticipationCounts:
    return participation_counts([project])[project.translation_key]


def test_each_participant_counts_once_whatever_they_did(
    project_index: ProjectIndexPage,
) -> None:
    project, survey = project_with_two_components(project_index)
    ideas_author, supporter, respondent = ParticipantFactory.create_batch(3)
    idea = IdeaFactory.create(project=project, author=ideas_author)
    IdeaFactory.create(project=project, author=ideas_author)
    CommentFactory.create(idea=idea, author=ideas_author)
    Reaction.objects.create(idea=idea, participant=supporter, kind=Reaction.Kind.SUPPORT)
    answer(survey, respondent)
    answer(survey, ideas_author)

    counts = counts_of(project)

    assert counts.participants == 3
    assert [number for number, _noun in counts.tallies] == [2, 2]
    assert [noun for _number, noun in counts.tallies] == ["idées", "réponses aux sondages"]


def test_only_what_residents_can_see_is_counted(project_index: ProjectIndexPage) -> None:
    project, _survey = project_with_two_components(project_index)
    IdeaFactory.create(project=project, visibility=Visibility.HIDDEN)
    IdeaFactory.create(project=project, visibility=Visibility.PENDING)
    unpublished = SurveyFactory.create(project=project, published_at=None)
    answer(unpublished, ParticipantFactory.create())

    counts = counts_of(project)

    assert counts.participants == 0
    assert [number for number, _noun in counts.tallies] == [0, 0]


def test_the_english_page_counts_what_was_sent_to_the_french_one(
    project: ProjectPage, english_project: ProjectPage
) -> None:
    IdeaFactory.create(project=project)

    assert participation_counts([english_project])[english_project.translation_key] == (
        counts_of(project)
    )
    assert counts_of(project).participants == 1


def test_counting_a_page_of_projects_costs_the_same_queries_as_one(
    project_index: ProjectIndexPage, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    projects = [project_with_two_components(project_index)[0] for _ in range(4)]
    for project in projects:
        IdeaFactory.create(project=project)

    # One count per kind shown (ideas, responses), one for the participants.
    with django_assert_num_queries(3):
        participation_counts(projects[:1])
    with django_assert_num_queries(3):
        counts = participation_counts(projects)

    assert [counts[p.translation_key].participants for p in projects] == [1, 1, 1, 1]


def test_kept_counts_are_served_without_a_query_until_staff_publish(
    project_index: ProjectIndexPage,
    django_assert_num_queries: DjangoAssertNumQueries,
    settings: Any,
) -> None:
    settings.PARTICIPATION_COUNTS_SECONDS = 60
    projects = [project_with_two_components(project_index)[0] for _ in range(2)]
    IdeaFactory.create(project=projects[0])
    counts_of(projects[0])

    IdeaFactory.create(project=projects[0])
    with django_assert_num_queries(0):
        kept = participation_counts(projects[:1])
    with django_assert_num_queries(3):  # the project not kept yet is counted
        participation_counts(projects)
    bump_content_version()

    assert kept[projects[0].translation_key].tallies[0][0] == 1
    assert counts_of(projects[0]).tallies[0][0] == 2


def test_kept_counts_speak_the_visitor_s_language(
    project_index: ProjectIndexPage, settings: Any
) -> None:
    settings.PARTICIPATION_COUNTS_SECONDS = 60
    project, _survey = project_with_two_components(project_index)
    IdeaFactory.create_batch(2, project=project)

    with translation.override("fr"):
        french = counts_of(project).tallies[0]
    with translation.override("en"):
        english = counts_of(project).tallies[0]

    assert french == (2, "idées")
    assert english == (2, "ideas")
