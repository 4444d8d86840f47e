"""A project's dashboard counts the respondents of its survey phases as participants, and
their responses week after week."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from agora.accounts.tests.team_factories import client_of
from agora.core.models import Participant
from agora.core.tests.html import find_all, text_of
from agora.ideas.tests.factories import IdeaFactory
from agora.participation.dashboard import project_dashboard
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import (
    ParticipantFactory,
    ProjectPageFactory,
    idea_box_phase,
)
from agora.participation.tests.project_team import moderator_of
from agora.surveys.models import Response, Survey
from agora.surveys.phases import SURVEY
from agora.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

CITY = ZoneInfo("America/Toronto")


def at(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, 12, 0, tzinfo=CITY)


@pytest.fixture
def park(project_index: ProjectIndexPage) -> tuple[ProjectPage, Survey]:
    """A project with an idea box and a survey phase, and the survey of that phase."""
    project = ProjectPageFactory.create(
        parent=project_index,
        phases=[idea_box_phase(), idea_box_phase(name="Sondage", method=SURVEY)],
    )
    survey = SurveyFactory.create(project=project, phase=project.phases.get(method=SURVEY))
    return project, survey


def respond(survey: Survey, participant: Participant, when: datetime.datetime) -> Response:
    return Response.objects.create(
        survey=survey,
        participant=participant,
        submitted_at=when,
        policy_key=str(participant.pk),
    )


def test_survey_respondents_are_participants_of_the_project(
    park: tuple[ProjectPage, Survey],
) -> None:
    project, survey = park
    alice, bruno = ParticipantFactory.create(), ParticipantFactory.create()
    IdeaFactory.create(project=project, author=alice, created_at=at(2))
    respond(survey, alice, at(3))
    respond(survey, bruno, at(10))

    board = project_dashboard(project)

    assert board.totals.participants == 2
    assert board.totals.count("responses") == 2
    assert [week.count("responses") for week in board.weeks] == [1, 1]
    assert [week.participants for week in board.weeks] == [1, 1]


def test_a_survey_only_project_counts_its_respondents(project_index: ProjectIndexPage) -> None:
    project = ProjectPageFactory.create(
        parent=project_index, phases=[idea_box_phase(name="Sondage", method=SURVEY)]
    )
    survey = SurveyFactory.create(project=project, phase=project.phases.get())
    for day in (2, 3, 4):
        respond(survey, ParticipantFactory.create(), at(day))

    board = project_dashboard(project)

    assert board.totals.participants == 3
    assert [tally.key for tally in board.tallies] == ["responses"]


def test_the_dashboard_page_charts_the_responses(park: tuple[ProjectPage, Survey]) -> None:
    project, survey = park
    respond(survey, ParticipantFactory.create(), at(2))

    response = client_of(moderator_of(project)).get(
        f"/gestion/projets/{project.pk}/tableau-de-bord/"
    )

    assert response.status_code == 200
    captions = [text_of(caption) for caption in find_all(response.content, "figcaption")]
    assert "Réponses aux sondages par semaine" in captions
    assert "/export/reponses.csv" in response.content.decode()


def test_another_project_s_responses_are_not_counted(
    park: tuple[ProjectPage, Survey], project_index: ProjectIndexPage
) -> None:
    project, _survey = park
    other = ProjectPageFactory.create(
        parent=project_index, phases=[idea_box_phase(name="Sondage", method=SURVEY)]
    )
    respond(
        SurveyFactory.create(project=other, phase=other.phases.get()),
        ParticipantFactory.create(),
        at(2),
    )

    assert project_dashboard(project).totals.participants == 0


def test_the_responses_have_their_own_export_file(park: tuple[ProjectPage, Survey]) -> None:
    from agora.accounts.tests.team_factories import administrator

    project, survey = park
    respond(survey, ParticipantFactory.create(), at(2))

    response = client_of(administrator()).get(f"/gestion/projets/{project.pk}/export/reponses.csv")

    assert response.status_code == 200
    rows = response.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 2
    assert survey.title_fr in rows[1] or survey.title_en in rows[1]
