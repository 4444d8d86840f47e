"""The first screen of a project's page: its image, what is open now and until when, how many
have taken part and one button to the open participation; then why residents are consulted
and what the city promises. A phase or survey that closes on 31 December is open all of that
day in Toronto, and the call to action, the timeline and the survey's introduction say so in
the same words."""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format
from time_machine import TimeMachineFixture

from agora.core.closing import end_of_day
from agora.core.tests.html import Element, find, find_all, text_of
from agora.ideas.tests.factories import IdeaFactory
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import (
    ParticipantFactory,
    ProjectPageFactory,
    idea_box_phase,
)
from agora.surveys.models import Response, Survey
from agora.surveys.phases import SURVEY
from agora.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

LAST_DAY = datetime.date(2026, 12, 31)
UNTIL = "Jusqu'au 31 décembre 2026 inclusivement."
LAST_MINUTE = "2026-12-31 23:59:00-05:00"
NEXT_MIDNIGHT = "2027-01-01 00:00:00-05:00"


def survey_project(parent: ProjectIndexPage) -> tuple[ProjectPage, Survey]:
    """A survey phase that ends on 31 December, its survey closing at midnight after it, and
    an idea box that runs on into January."""
    project = ProjectPageFactory.create(
        parent=parent,
        title="Parc riverain",
        slug="parc-riverain",
        phases=[
            idea_box_phase(
                name="Sondage sur l'accès à l'eau",
                method=SURVEY,
                start_date=datetime.date(2026, 12, 1),
                end_date=LAST_DAY,
            ),
            idea_box_phase(
                name="Boîte à idées",
                start_date=datetime.date(2026, 12, 1),
                end_date=datetime.date(2027, 1, 20),
            ),
        ],
    )
    survey = SurveyFactory.create(
        slug="acces-eau",
        project=project,
        phase=project.phases.get(method=SURVEY),
        opens_at=end_of_day(datetime.date(2026, 11, 30)),
        closes_at=end_of_day(LAST_DAY),
    )
    return project, survey


def header(client: Client, project: ProjectPage) -> Element:
    return find(client.get(project.url).content, "header", class_="project__header")


def current_steps(client: Client, project: ProjectPage) -> list[str]:
    steps = find_all(client.get(project.url).content, "li", class_="timeline__step--current")
    return [text_of(step) for step in steps]


def survey_introduction(client: Client, survey: Survey) -> str:
    return text_of(client.get(reverse("surveys:detail", kwargs={"slug": survey.slug})).content)


def test_on_the_last_minute_of_the_closing_day_the_three_places_say_the_same(
    client: Client, project_index: ProjectIndexPage, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LAST_MINUTE, tick=False)
    project, survey = survey_project(project_index)

    first_screen = text_of(header(client, project))
    steps = current_steps(client, project)

    assert f"Sondage sur l'accès à l'eau : {UNTIL} Dernier jour aujourd'hui" in first_screen
    assert UNTIL in steps[0]
    assert "Dernier jour aujourd'hui" in steps[0]
    assert UNTIL in survey_introduction(client, survey)


def test_every_phase_open_today_is_current(
    client: Client, project_index: ProjectIndexPage, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LAST_MINUTE, tick=False)
    project, _survey = survey_project(project_index)

    steps = current_steps(client, project)

    assert len(steps) == 2
    assert "Il reste 21 jours" in steps[1]


def test_at_midnight_the_survey_phase_and_its_survey_have_closed(
    client: Client, project_index: ProjectIndexPage, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LAST_MINUTE, tick=False)
    project, survey = survey_project(project_index)
    time_machine.move_to(NEXT_MIDNIGHT, tick=False)

    first_screen = text_of(header(client, project))

    assert "Sondage sur l'accès à l'eau" not in first_screen
    assert "Boîte à idées : Jusqu'au 20 janvier 2027 inclusivement. Il reste 20 jours" in (
        first_screen
    )
    assert [
        step.startswith("Étape en cours Boîte à idées") for step in current_steps(client, project)
    ] == [True]
    assert UNTIL not in survey_introduction(client, survey)
    assert not survey.is_open()


def test_the_button_leads_to_the_first_open_participation(
    client: Client, project_index: ProjectIndexPage, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LAST_MINUTE, tick=False)
    project, survey = survey_project(project_index)

    buttons = find_all(header(client, project), "a", class_="button")

    assert [(b.text, b.attrs["href"]) for b in buttons] == [
        ("Répondre au sondage", reverse("surveys:detail", kwargs={"slug": survey.slug}))
    ]


def test_the_first_screen_shows_the_image_and_how_many_took_part(
    client: Client, project_index: ProjectIndexPage, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LAST_MINUTE, tick=False)
    project, survey = survey_project(project_index)
    IdeaFactory.create(project=project)
    for _ in range(2):
        Response.objects.create(
            survey=survey, participant=ParticipantFactory.create(), policy_key=uuid.uuid4().hex
        )

    screen = header(client, project)

    image = find(screen, "img", class_="project__image")
    assert image.attrs["width"]
    assert image.attrs["height"]
    assert "480w" in image.attrs["srcset"]
    assert text_of(find(screen, "ul", class_="participation-counts")) == (
        "3 participants 1 idée 2 réponses aux sondages"
    )


def test_then_why_residents_are_consulted_and_what_the_city_promises(
    client: Client, project_index: ProjectIndexPage, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(LAST_MINUTE, tick=False)
    project, _survey = survey_project(project_index)

    headings = [text_of(h) for h in find_all(client.get(project.url).content, "h2")]
    assert project.feedback_due_date is not None
    promised = date_format(project.feedback_due_date, "DATE_FORMAT")

    assert headings[:2] == [
        "Pourquoi on vous consulte",
        f"Ce que la Ville fera de vos idées, d'ici le {promised}",
    ]


def test_tools_for_sites_and_media_are_folded_away(client: Client, project: ProjectPage) -> None:
    details = find(client.get(project.url).content, "details", class_="project-tools")

    assert "open" not in details.attrs
    assert find(details, "summary").text == "Outils pour les sites et les médias"
    assert find_all(details, "a", type="text/calendar")
    assert find_all(details, "textarea", id="code-integration")


def test_without_javascript_the_location_is_a_link_to_a_map(
    client: Client, project_index: ProjectIndexPage
) -> None:
    project = ProjectPageFactory.create(
        parent=project_index,
        location_name="Rue du Quai",
        latitude="45.391200",
        longitude="-73.512400",
    )

    links = find_all(
        client.get(project.url).content,
        "a",
        href="https://www.openstreetmap.org/?mlat=45.391200&mlon=-73.512400#map=17/45.391200/-73.512400",
    )

    assert [link.text for link in links] == ["Voir le lieu sur OpenStreetMap"]
