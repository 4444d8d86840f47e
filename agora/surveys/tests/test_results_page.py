"""A survey's results page: the respondents, each question's counts and percentages as the
responses gave them, every kind of question shown its own way, in French and in English."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from agora.core.tests.html import Element, find, find_all
from agora.pages.models import HomePage
from agora.participation.models import ProjectPage
from agora.surveys.models import Excerpt, ResultsVisibility, Survey, SurveyKind
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def results_url(survey: Survey, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("results:detail", args=[survey.slug])


def live_survey(**fields: Any) -> Survey:
    fields.setdefault("results_visibility", ResultsVisibility.LIVE)
    return SurveyFactory.create(**fields)


def table_rows(figure: Element) -> list[list[str]]:
    return [[cell.text for cell in find_all(row, "*") if cell.tag in ("th", "td")]
            for row in find_all(find(figure, "tbody"), "tr")]  # fmt: skip


def test_the_counts_and_percentages_match_the_responses(client: Client, home: HomePage) -> None:
    survey = live_survey(title_fr="Le parc riverain")
    question = QuestionFactory.create(
        section=SectionFactory.create(survey=survey), label_fr="Votre saison préférée ?",
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
    bars = find_all(find(section, "ul", class_="agora-bars"), "li")
    assert [find(bar, "span", class_="agora-bars__label").text for bar in bars] == [
        "Été", "Hiver", "Automne"
    ]  # fmt: skip
    assert [find(bar, "span", class_="agora-bars__value").text for bar in bars] == [
        "2 (66,7 %)", "1 (33,3 %)", "0 (0 %)"
    ]  # fmt: skip


def test_each_question_is_titled_once_by_its_heading(client: Client, home: HomePage) -> None:
    survey = live_survey()
    question = QuestionFactory.create(
        section=SectionFactory.create(survey=survey),
        label_fr="Quelle saison préférez-vous pour vous baigner au parc riverain ?",
        choices=["Été", "Hiver"],
    )
    respond(survey, {question: "ete"})

    page = client.get(results_url(survey)).content

    section = find(page, "section", aria_labelledby=f"question-{question.pk}")
    figure = find(section, "figure", class_="agora-chart")
    assert figure["aria-labelledby"] == f"question-{question.pk}"
    assert not find_all(section, "figcaption")
    assert not find_all(section, "caption")
    # The title is seen once: the table's group and its summary name it to screen readers.
    visible = [element for element in find_all(section, "*") if element.tag in ("h2", "h3")]
    assert [element.text for element in visible] == [question.label_fr]


def test_every_kind_of_question_is_shown_its_own_way(client: Client, home: HomePage) -> None:
    survey = live_survey()
    section = SectionFactory.create(survey=survey)
    matrix = QuestionFactory.create(
        section=section, kind="matrix", label_fr="Êtes-vous d'accord ?", rows=["Propre", "Sûr"]
    )
    ranking = QuestionFactory.create(
        section=section, kind="ranking", label_fr="Classez", choices=["Arbres", "Bancs"]
    )
    number = QuestionFactory.create(section=section, kind="number", label_fr="Combien de visites ?")
    text = QuestionFactory.create(section=section, kind="long_text", label_fr="Commentaires ?")
    silent = QuestionFactory.create(section=section, kind="short_text", label_fr="Autre chose ?")
    place = QuestionFactory.create(section=section, kind="map_point", label_fr="Où ?")
    respond(survey, {matrix: {"propre": 5, "sur": 4}, ranking: {"arbres": 1, "bancs": 2},
                     number: 3, text: "Plus d'arbres", place: {"latitude": 45.5, "longitude": -73.5}})  # fmt: skip
    second = respond(survey, {matrix: {"propre": 4}, ranking: {"arbres": 2, "bancs": 1},
                              number: 7, text: "Mon voisin Jean fait du bruit"})  # fmt: skip
    first_answer = second.answers.get(question=text)
    Excerpt.objects.create(question=text, answer=first_answer, text="Du bruit le soir")

    page = client.get(results_url(survey)).content

    matrix_section = find(page, "section", aria_labelledby=f"question-{matrix.pk}")
    matrix_table = find(matrix_section, "table", class_="agora-chart__table")
    assert [c.text for c in find_all(find(matrix_table, "thead"), "th")][-2:] == [
        "Moyenne", "Ont répondu"
    ]  # fmt: skip
    rows = table_rows(matrix_table)
    assert rows[0][0] == "Propre"
    assert rows[0][-3:] == ["1 (50 %)", "4,5", "2"]
    stacks = find_all(matrix_section, "svg", class_="agora-bars__stack")
    assert [stack["role"] for stack in stacks] == ["img", "img"]
    assert "Tout à fait d'accord : 50 %" in stacks[0]["aria-label"]
    assert "Plutôt d'accord : 100 %" in stacks[1]["aria-label"]
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


def test_hidden_questions_are_left_out(client: Client, home: HomePage) -> None:
    survey = live_survey()
    shown = QuestionFactory.create(
        section=SectionFactory.create(survey=survey), choices=["Oui", "Non"]
    )
    QuestionFactory.create(section=shown.section, label_fr="Question retirée", hidden=True)

    page = client.get(results_url(survey)).content.decode()

    assert shown.label_fr in page
    assert "Question retirée" not in page


def test_the_page_says_the_survey_state_dates_project_and_links(
    client: Client, home: HomePage, project: ProjectPage
) -> None:
    survey = live_survey(project=project, kind=SurveyKind.ONE_OFF)
    QuestionFactory.create(section=SectionFactory.create(survey=survey), choices=["Oui", "Non"])

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


def test_a_closed_survey_says_so(client: Client, home: HomePage) -> None:
    survey = live_survey(
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )

    page = client.get(results_url(survey)).content

    assert find(page, "span", class_="results-status").text == "Fermé"


def test_the_english_page_is_in_english(client: Client, english_home: HomePage) -> None:
    survey = live_survey(title_en="Riverside park survey")
    question = QuestionFactory.create(
        section=SectionFactory.create(survey=survey), choices=["Oui", "Non"]
    )
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
