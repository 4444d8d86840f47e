"""The picture of a survey's main chart that social networks show: a 1200 by 630 PNG, kept
in the cache until the results change."""

import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from agora.pages.models import HomePage
from agora.surveys import og_image
from agora.surveys.models import ResultsVisibility, Survey
from agora.surveys.results import survey_results
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey() -> Survey:
    survey = SurveyFactory.create(
        results_visibility=ResultsVisibility.LIVE, title_fr="Le parc riverain"
    )
    QuestionFactory.create(section=SectionFactory.create(survey=survey), kind="long_text")
    question = QuestionFactory.create(
        section=SectionFactory.create(survey=survey), choices=["Oui", "Non", "Je ne sais pas"]
    )
    for value in ["oui", "oui", "non"]:
        respond(survey, {question: value})
    return survey


def test_the_image_is_a_1200_by_630_png(client: Client, home: HomePage, survey: Survey) -> None:
    response = client.get(reverse("results:og_image", args=[survey.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "PNG"
    assert picture.size == (1200, 630)


def test_the_main_chart_is_the_first_question_with_choices(survey: Survey) -> None:
    main = survey_results(survey).main_question()

    assert main is not None
    assert [tally.label for tally in main.tallies] == ["Oui", "Non", "Je ne sais pas"]


def test_the_image_is_drawn_once_until_the_results_change(
    survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = survey_results(survey)
    first = og_image.results_image(results, "Ville de Saint-Essai")
    monkeypatch.setattr(og_image, "draw_results_image", lambda *args: pytest.fail("redrawn"))

    assert og_image.results_image(results, "Ville de Saint-Essai") == first


def test_a_survey_without_choices_still_has_its_picture(home: HomePage) -> None:
    survey = SurveyFactory.create(results_visibility=ResultsVisibility.LIVE)

    picture = og_image.draw_results_image(survey_results(survey), "Ville de Saint-Essai")

    assert Image.open(io.BytesIO(picture)).size == (1200, 630)


def test_the_picture_falls_back_to_pillow_s_font(
    survey: Survey, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(og_image, "FONT_DIRECTORY", tmp_path)

    picture = og_image.draw_results_image(survey_results(survey), "Ville de Saint-Essai")

    assert Image.open(io.BytesIO(picture)).size == (1200, 630)
