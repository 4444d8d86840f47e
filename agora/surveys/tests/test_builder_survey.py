"""Creating a survey and changing its settings in /gestion/sondages/, and the list of surveys:
what the form accepts, what it refuses (with the message at the field) and who may attach a
survey where."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from agora.accounts.tests.team_factories import DepartmentFactory, administrator, client_of
from agora.core.tests.html import find, find_all
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage
from agora.participation.models import Phase, ProjectPage
from agora.participation.tests.project_team import another_project, in_department, moderator_of
from agora.surveys.models import ResponsePolicy, Survey, SurveyKind
from agora.surveys.phases import SURVEY
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, respond

pytestmark = pytest.mark.django_db

ADD_URL = "/gestion/sondages/nouveau/"


def fields(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title_fr": "Vos parcs",
        "title_en": "Your parks",
        "slug": "",
        "summary_fr": "Dites-nous comment vous utilisez les parcs.",
        "kind": SurveyKind.ONE_OFF,
        "opens_at": "2026-05-01T08:00",
        "closes_at": "2026-05-31T20:00",
        "response_policy": ResponsePolicy.ONCE,
        "audience": "anyone",
        "results_visibility": "after_close",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def errors_of(response: ClientResponse) -> dict[str, str]:
    return {
        element.attrs.get("id", ""): element.text
        for element in find_all(response.content.decode(), "p", class_="error-message")
    }


def survey_with_phase(project: ProjectPage) -> Phase:
    phase: Phase = Phase.objects.create(
        project=project,
        name="Sondage sur le parc",
        start_date=timezone.localdate(),
        method=SURVEY,
        locale=project.locale,
    )
    return phase


def test_an_administrator_creates_a_one_off_survey_with_a_slug_from_its_title(
    home: HomePage,
) -> None:
    response = client_of(administrator()).post(ADD_URL, fields())

    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/gestion/sondages/{survey.pk}/"
    assert survey.slug == "vos-parcs"
    assert survey.title_en == "Your parks"
    assert survey.closes_at is not None
    assert survey.opens_at is not None
    assert survey.closes_at - survey.opens_at == datetime.timedelta(days=30, hours=12)
    assert not survey.is_published


def test_a_one_off_survey_needs_ordered_dates(home: HomePage) -> None:
    client = client_of(administrator())

    missing = client.post(ADD_URL, fields(opens_at="", closes_at=""))
    reversed_dates = client.post(ADD_URL, fields(closes_at="2026-04-01T08:00"))

    assert "Indiquez quand ce sondage ponctuel ouvre." in errors_of(missing)["id_opens_at-errors"]
    assert "Indiquez quand ce sondage ponctuel ferme." in errors_of(missing)["id_closes_at-errors"]
    assert (
        "La fermeture doit suivre l'ouverture." in errors_of(reversed_dates)["id_closes_at-errors"]
    )
    assert not Survey.objects.exists()


def test_a_continuous_survey_may_stay_open_and_take_one_response_a_day(home: HomePage) -> None:
    client_of(administrator()).post(
        ADD_URL,
        fields(kind=SurveyKind.CONTINUOUS, closes_at="", response_policy=ResponsePolicy.DAILY),
    )

    survey = Survey.objects.get()
    assert survey.closes_at is None
    assert survey.response_policy == ResponsePolicy.DAILY


def test_one_response_a_day_is_refused_for_a_one_off_survey(home: HomePage) -> None:
    response = client_of(administrator()).post(
        ADD_URL, fields(response_policy=ResponsePolicy.DAILY)
    )

    assert "ne convient qu'à un sondage continu" in errors_of(response)["id_response_policy-errors"]
    assert not Survey.objects.exists()


def test_the_phase_must_be_a_survey_phase_of_the_chosen_project(project: ProjectPage) -> None:
    phase = survey_with_phase(project)
    other = another_project(project)
    client = client_of(administrator())

    wrong_project = client.post(ADD_URL, fields(project=other.pk, phase=phase.pk))
    idea_box = client.post(
        ADD_URL, fields(project=project.pk, phase=project.phases.get(method="idea_box").pk)
    )

    assert "Choisissez une étape du projet choisi" in errors_of(wrong_project)["id_phase-errors"]
    assert "Choisissez une étape « Sondage »" in errors_of(idea_box)["id_phase-errors"]
    assert not Survey.objects.exists()


def test_a_survey_becomes_the_component_of_a_project_phase(project: ProjectPage) -> None:
    phase = survey_with_phase(project)

    client_of(administrator()).post(ADD_URL, fields(project=project.pk, phase=phase.pk))

    survey = Survey.objects.get()
    assert (survey.project_id, survey.phase_id) == (project.pk, phase.pk)


def test_a_moderator_creates_surveys_only_for_the_projects_they_moderate(
    project: ProjectPage,
) -> None:
    person = moderator_of(project)
    other = another_project(project)
    client = client_of(person)

    standalone = client.post(ADD_URL, fields())
    elsewhere = client.post(ADD_URL, fields(project=other.pk))
    own = client.post(ADD_URL, fields(project=project.pk, slug="parc"))

    assert "vous ne pourriez plus gérer ce sondage" in standalone.content.decode()
    assert "id_project-errors" in errors_of(elsewhere)
    assert own.status_code == 302
    assert Survey.objects.get().project_id == project.pk


def test_a_manager_cannot_move_a_survey_to_another_department(project: ProjectPage) -> None:
    from agora.participation.tests.project_team import manager_of

    department = in_department(project)
    manager = manager_of(project)
    survey = SurveyFactory.create(department=department)
    elsewhere = DepartmentFactory.create()

    response = client_of(manager).post(
        f"/gestion/sondages/{survey.pk}/reglages/",
        fields(slug=survey.slug, department=elsewhere.pk),
    )

    assert "id_department-errors" in errors_of(response)
    survey.refresh_from_db()
    assert survey.department_id == department.pk


def test_the_settings_correct_the_texts(home: HomePage) -> None:
    survey = SurveyFactory.create(title_fr="Vos pracs")

    response = client_of(administrator()).post(
        f"/gestion/sondages/{survey.pk}/reglages/", fields(title_fr="Vos parcs", slug=survey.slug)
    )

    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title_fr == "Vos parcs"


def test_the_list_shows_each_survey_with_its_status_and_responses(
    home: HomePage, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    now = timezone.now()
    open_survey = SurveyFactory.create(title_fr="Ouvert")
    question = QuestionFactory.create(section__survey=open_survey, kind="yes_no")
    respond(open_survey, {question: "oui"})
    respond(open_survey, {question: "non"})
    SurveyFactory.create(title_fr="Brouillon", published_at=None)
    SurveyFactory.create(title_fr="Fermé", closes_at=now - datetime.timedelta(hours=1))
    client = client_of(administrator())

    with django_assert_max_num_queries(25):
        response = client.get("/gestion/sondages/")

    html = response.content.decode()
    rows = {
        find(row, "th").text: [cell.text for cell in find_all(row, "td")]
        for row in find_all(find(find(html, "table", class_="listing"), "tbody"), "tr")
    }
    assert rows["Ouvert"][:3] == ["Ponctuel", "Ouvert", "2"]
    assert rows["Brouillon"][1] == "Brouillon"
    assert rows["Fermé"][1] == "Fermé"


def test_the_list_filters_by_status_and_says_when_nothing_matches(home: HomePage) -> None:
    SurveyFactory.create(title_fr="Brouillon", published_at=None)
    SurveyFactory.create(title_fr="Ouvert")
    client = client_of(administrator())

    drafts = client.get("/gestion/sondages/?etat=draft").content.decode()
    continuous = client.get("/gestion/sondages/?type=continuous").content.decode()

    assert "Brouillon" in drafts
    assert "Ouvert</a>" not in drafts
    assert "Aucun sondage ne correspond à ces filtres." in continuous


def test_an_empty_list_invites_to_create_the_first_survey(home: HomePage) -> None:
    html = client_of(administrator()).get("/gestion/sondages/").content.decode()

    assert "Aucun sondage pour le moment." in html
    assert ADD_URL in html
