"""A survey's results page: the respondents, each question's counts and percentages as the
responses gave them, every kind of question shown its own way, in French and in English."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from agora.core.tests.html import find, find_all
from agora.surveys.models import Excerpt, ResultsVisibility, SurveyKind
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def results_url(survey, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("results:detail", args=[survey.slug])


def live_survey(**fields):
    fields.setdefault("results_visibility", ResultsVisibility.LIVE)
    return SurveyFactory(**fields)


def table_rows(figure) -> list[list[str]]:
    return [[cell.text for cell in find_all(row, "*") if cell.tag in ("th", "td")]
            for row in find_all(find(figure, "tbody"), "tr")]  # fmt: skip


def test_the_counts_and_percentages_match_the_responses(client, home):
    survey = live_survey(title_fr="Le parc riverain")
    question = QuestionFactory(
        section=SectionFactory(survey=survey), label_fr="Votre saison préférée ?",
        choices=["Été", "Hiver", "Automne"],
    )  # fmt: skip
    for value in ["ete", "ete", "hiver"]:
        respond(survey, {question: value})

    response = client.get(results_url(survey))

    assert response.status_code == 200
    assert find(response.content, "dd", class_="results-facts__respondents").text == "3"
    section = find(response.content, "section", aria_labelledby=f"question-{question.pk}")
    assert "3 personnes ont répondu à cette question." in section.text
    assert table_rows(find(section, "figure")) == [
        ["Été", "2", "66,7 %"],
        ["Hiver", "1", "33,3 %"],
        ["Automne", "0", "0 %"],
    ]
    assert find(section, "svg", aria_hidden="true") is not None


def test_every_kind_of_question_is_shown_its_own_way(client, home):
    survey = live_survey()
    section = SectionFactory(survey=survey)
    matrix = QuestionFactory(
        section=section, kind="matrix", label_fr="Êtes-vous d'accord ?", rows=["Propre", "Sûr"]
    )
    ranking = QuestionFactory(
        section=section, kind="ranking", label_fr="Classez", choices=["Arbres", "Bancs"]
    )
    number = QuestionFactory(section=section, kind="number", label_fr="Combien de visites ?")
    text = QuestionFactory(section=section, kind="long_text", label_fr="Commentaires ?")
    silent = QuestionFactory(section=section, kind="short_text", label_fr="Autre chose ?")
    place = QuestionFactory(section=section, kind="map_point", label_fr="Où ?")
    respond(survey, {matrix: {"propre": 5, "sur": 4}, ranking: {"arbres": 1, "bancs": 2},
                     number: 3, text: "Plus d'arbres", place: {"latitude": 45.5, "longitude": -73.5}})  # fmt: skip
    second = respond(survey, {matrix: {"propre": 4}, ranking: {"arbres": 2, "bancs": 1},
                              number: 7, text: "Mon voisin Jean fait du bruit"})  # fmt: skip
    first_answer = second.answers.get(question=text)
    Excerpt.objects.create(question=text, answer=first_answer, text="Du bruit le soir")

    page = client.get(results_url(survey)).content

    matrix_section = find(page, "section", aria_labelledby=f"question-{matrix.pk}")
    matrix_table = find(matrix_section, "table", class_="results-table")
    assert [c.text for c in find_all(find(matrix_table, "thead"), "th")][-2:] == [
        "Moyenne", "Ont répondu"
    ]  # fmt: skip
    rows = table_rows(matrix_table)
    assert rows[0][0] == "Propre"
    assert rows[0][-2:] == ["4,5", "2"]
    ranking_section = find(page, "section", aria_labelledby=f"question-{ranking.pk}")
    assert table_rows(find(ranking_section, "table")) == [
        ["Arbres", "1,5", "1"], ["Bancs", "1,5", "1"]
    ]  # fmt: skip
    number_section = find(page, "section", aria_labelledby=f"question-{number.pk}")
    stats = [d.text for d in find_all(find(number_section, "dl"), "dd")]
    assert stats == ["5", "3", "7"]
    text_section = find(page, "section", aria_labelledby=f"question-{text.pk}")
    assert [q.text for q in find_all(text_section, "blockquote")] == ["Du bruit le soir"]
    assert "Plus d'arbres" not in page.decode()
    silent_section = find(page, "section", aria_labelledby=f"question-{silent.pk}")
    assert "Aucun extrait publié pour le moment." in silent_section.text
    place_section = find(page, "section", aria_labelledby=f"question-{place.pk}")
    assert "1 lieu indiqué sur la carte." in place_section.text


def test_hidden_questions_are_left_out(client, home):
    survey = live_survey()
    shown = QuestionFactory(section=SectionFactory(survey=survey), choices=["Oui", "Non"])
    QuestionFactory(section=shown.section, label_fr="Question retirée", hidden=True)

    page = client.get(results_url(survey)).content.decode()

    assert shown.label_fr in page
    assert "Question retirée" not in page


def test_the_page_says_the_survey_state_dates_project_and_links(client, home, project):
    survey = live_survey(project=project, kind=SurveyKind.ONE_OFF)
    QuestionFactory(section=SectionFactory(survey=survey), choices=["Oui", "Non"])

    response = client.get(results_url(survey))
    page = response.content

    assert find(page, "span", class_="results-status").text == "Ouvert"
    assert find(page, "a", href=project.url).text == "Parc riverain"
    for file_format in ("csv", "xlsx", "pdf"):
        assert find(page, "a", href=reverse("results:export", args=[survey.slug, file_format]))
    og_image = find(page, "meta", property="og:image")["content"]
    assert og_image.endswith(reverse("results:og_image", args=[survey.slug]))
    assert find(page, "section", class_="share") is not None
    assert "results/" not in find(page, "textarea")["class"]
    assert reverse("results:embed", args=[survey.slug]) in find(page, "textarea").text


def test_a_closed_survey_says_so(client, home):
    survey = live_survey(
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )

    page = client.get(results_url(survey)).content

    assert find(page, "span", class_="results-status").text == "Fermé"


def test_the_english_page_is_in_english(client, english_home):
    survey = live_survey(title_en="Riverside park survey")
    question = QuestionFactory(section=SectionFactory(survey=survey), choices=["Oui", "Non"])
    respond(survey, {question: "oui"})

    response = client.get(results_url(survey, "en"))
    page = response.content

    assert response.status_code == 200
    assert find(page, "h1").text == "Riverside park survey"
    assert find(page, "html")["lang"].startswith("en")
    section = find(page, "section", aria_labelledby=f"question-{question.pk}")
    assert find(section, "h3").text == question.label_en
    assert table_rows(find(section, "figure"))[0][:2] == ["Oui (en)", "1"]
    with translation.override("en"):
        hub = reverse("results:index")
    assert hub.startswith("/en/")
    assert find(find(page, "p", class_="back-link"), "a")["href"] == hub
