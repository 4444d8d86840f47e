"""Published excerpts carry the language their response was written in, and the results
pages, the embedded results and the PDF report of the other language mark them with it
(`lang`), so that screen readers pronounce them right (WCAG 3.1.2, language of parts)."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agora.core.tests.html import Element, find, find_all
from agora.pages.models import HomePage
from agora.surveys.models import Excerpt, Question, ResultsVisibility, Survey
from agora.surveys.report import report_context
from agora.surveys.results import survey_results
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

ENGLISH = "More shade near the benches"
FRENCH = "Plus d'ombre près des bancs"


@pytest.fixture
def question() -> Question:
    """A survey's open question with one excerpt published from a response in each language."""
    survey = SurveyFactory.create(results_visibility=ResultsVisibility.LIVE, slug="parc")
    question = QuestionFactory.create(
        section=SectionFactory.create(survey=survey), kind="long_text", label_fr="Une idée ?"
    )
    for text, language in [(ENGLISH, "en"), (FRENCH, "fr")]:
        response = respond(survey, {question: text}, language=language)
        Excerpt.objects.create(question=question, answer=response.answers.get(), text=text)
    return question


def quotes(page: bytes | str | Element, question: Question) -> dict[str, str | None]:
    """Each excerpt of the question's results, with its `lang` (None when it has none)."""
    section = find(page, "section", aria_labelledby=f"question-{question.pk}")
    return {quote.text: quote.attrs.get("lang") for quote in find_all(section, "blockquote")}


def url(name: str, survey: Survey, language: str) -> str:
    with translation.override(language):
        return reverse(name, args=[survey.slug])


def test_an_english_excerpt_is_marked_on_the_french_results_page(
    client: Client, home: HomePage, question: Question
) -> None:
    page = client.get(url("results:detail", question.survey, "fr")).content

    assert quotes(page, question) == {ENGLISH: "en-CA", FRENCH: None}


def test_a_french_excerpt_is_marked_on_the_english_results_page(
    client: Client, english_home: HomePage, question: Question
) -> None:
    page = client.get(url("results:detail", question.survey, "en")).content

    assert quotes(page, question) == {ENGLISH: None, FRENCH: "fr-CA"}


def test_an_english_excerpt_is_marked_in_the_embedded_results(
    client: Client, home: HomePage, question: Question
) -> None:
    page = client.get(url("results:embed", question.survey, "fr")).content

    assert quotes(page, question) == {ENGLISH: "en-CA", FRENCH: None}


def test_an_english_excerpt_is_marked_in_the_french_report(question: Question) -> None:
    with translation.override("fr"):
        context = report_context(
            survey_results(question.survey), municipality="Saint-Essai", public=True
        )
        html = render_to_string("surveys/report.html", context)

    blockquotes = find_all(find(html, "ul", class_="excerpts"), "blockquote")
    assert {quote.text: quote.attrs.get("lang") for quote in blockquotes} == {
        ENGLISH: "en-CA",
        FRENCH: None,
    }
