"""The team's results page of a survey in /gestion/sondages/: links to the public results and
the raw exports, the open answers newest first, and the excerpts staff publish and remove."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.models import AuditEntry
from agora.pages.models import HomePage
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import moderator_of
from agora.surveys import building
from agora.surveys.models import Answer, Excerpt, Question, ResultsVisibility, Survey
from agora.surveys.results import survey_results
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_question(home: HomePage) -> Question:
    survey = SurveyFactory.create(results_visibility=ResultsVisibility.PRIVATE)
    return QuestionFactory.create(section__survey=survey, kind="long_text", label_fr="Vos idées?")


def answers_url(question: Question) -> str:
    return f"/gestion/sondages/{question.survey_id}/resultats/{question.pk}/reponses/"


def test_the_results_page_counts_respondents_and_links_the_exports(open_question: Question) -> None:
    respond(open_question.survey, {open_question: "Plus de bancs."})

    html = (
        client_of(administrator())
        .get(f"/gestion/sondages/{open_question.survey_id}/resultats/")
        .content.decode()
    )

    assert "Les résultats de ce sondage sont privés" in html
    assert f"/gestion/sondages/{open_question.survey_id}/export.csv" in html
    assert f"/gestion/sondages/{open_question.survey_id}/export.xlsx" in html
    assert answers_url(open_question) in html


def test_open_answers_are_listed_newest_first(open_question: Question) -> None:
    start = timezone.now()
    for days, text in ((0, "Plus de bancs."), (1, "Des fontaines, svp.")):
        with time_machine.travel(start + datetime.timedelta(days=days)):
            respond(open_question.survey, {open_question: text})

    html = client_of(administrator()).get(answers_url(open_question)).content.decode()

    assert html.index("Des fontaines, svp.") < html.index("Plus de bancs.")
    assert "Publier un extrait" in html


def test_an_excerpt_is_published_shortened_and_audited(open_question: Question) -> None:
    respond(open_question.survey, {open_question: "Plus de bancs près de chez moi au 12 rue X."})
    answer = Answer.objects.get()
    admin = administrator()
    url = f"/gestion/sondages/{open_question.survey_id}/reponses/{answer.pk}/extrait/"
    client = client_of(admin)

    form = client.get(url).content.decode()
    response = client.post(url, {"text": "Plus de bancs près de chez moi."})

    assert "Plus de bancs près de chez moi au 12 rue X." in form
    assert response["Location"] == answers_url(open_question)
    excerpt = Excerpt.objects.get()
    assert (excerpt.text, excerpt.question, excerpt.published_by) == (
        "Plus de bancs près de chez moi.",
        open_question,
        admin,
    )
    assert AuditEntry.objects.get(action="survey.excerpt_published").actor == admin
    answer.refresh_from_db()
    assert answer.text == "Plus de bancs près de chez moi au 12 rue X."


def test_an_empty_excerpt_is_refused(open_question: Question) -> None:
    respond(open_question.survey, {open_question: "Plus de bancs."})
    answer = Answer.objects.get()

    response = client_of(administrator()).post(
        f"/gestion/sondages/{open_question.survey_id}/reponses/{answer.pk}/extrait/", {"text": "  "}
    )

    assert response.status_code == 200
    assert not Excerpt.objects.exists()


def test_an_excerpt_is_removed_and_audited(open_question: Question) -> None:
    respond(open_question.survey, {open_question: "Plus de bancs."})
    answer = Answer.objects.get()
    excerpt = Excerpt.objects.create(question=open_question, answer=answer, text="Plus de bancs.")
    client = client_of(administrator())

    response = client.post(
        f"/gestion/sondages/{open_question.survey_id}/extraits/{excerpt.pk}/retirer/"
    )

    assert response.status_code == 302
    assert not Excerpt.objects.exists()
    assert AuditEntry.objects.filter(action="survey.excerpt_removed").count() == 1


def test_a_moderator_of_the_project_publishes_excerpts_of_its_survey(project: ProjectPage) -> None:
    survey = SurveyFactory.create(project=project)
    question = QuestionFactory.create(section__survey=survey, kind="short_text")
    respond(survey, {question: "Un parc à chiens."})
    answer = Answer.objects.get()

    response = client_of(moderator_of(project)).post(
        f"/gestion/sondages/{survey.pk}/reponses/{answer.pk}/extrait/",
        {"text": "Un parc à chiens."},
    )

    assert response.status_code == 302
    assert Excerpt.objects.get().answer == answer


def test_answers_to_a_question_without_free_text_have_no_excerpts(home: HomePage) -> None:
    survey = SurveyFactory.create()
    question = QuestionFactory.create(section__survey=survey, kind="yes_no")

    response = client_of(administrator()).get(answers_url(question), follow=True)

    assert response.status_code == 404


def test_the_raw_export_is_refused_without_the_permission(project: ProjectPage) -> None:
    from agora.accounts.roles import Role
    from agora.participation.tests.project_team import role

    survey = SurveyFactory.create(project=project)

    response = client_of(role(Role.ELECTED_OFFICIAL)).get(
        f"/gestion/sondages/{survey.pk}/export.csv"
    )

    assert response.status_code == 403


def test_the_raw_export_is_served_from_the_back_office(open_question: Question) -> None:
    respond(open_question.survey, {open_question: "Plus de bancs."})

    response = client_of(administrator()).get(
        f"/gestion/sondages/{open_question.survey_id}/export.csv"
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_results_counted_before_a_staff_edit_show_the_corrected_text() -> None:
    question = QuestionFactory.create(kind="single_choice", choices=["Oui", "Non"])
    survey = question.survey
    respond(survey, {question: "oui"})
    assert survey_results(survey).questions[0].question.label_fr == question.label_fr

    question.label_fr = "Question corrigée ?"
    question.save()
    building.bump_survey(survey)

    again = survey_results(Survey.objects.get(pk=survey.pk))
    assert again.questions[0].question.label_fr == "Question corrigée ?"
    assert again.questions[0].tallies[0].count == 1
