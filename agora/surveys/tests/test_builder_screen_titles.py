"""Every screen of a survey in /gestion/sondages/ names itself: under its breadcrumbs, one <h1>
(Wagtail shows it to screen readers only) and the document's <title> say which screen it is."""

from __future__ import annotations

import pytest

from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.tests.html import find, find_all
from agora.pages.models import HomePage
from agora.surveys.models import Question
from agora.surveys.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

SCREENS = {
    "builder": "/gestion/sondages/{survey}/",
    "settings": "/gestion/sondages/{survey}/reglages/",
    "results": "/gestion/sondages/{survey}/resultats/",
    "section": "/gestion/sondages/{survey}/sections/{section}/",
    "question": "/gestion/sondages/{survey}/questions/{question}/",
    "question kinds": "/gestion/sondages/{survey}/sections/{section}/questions/nouvelle/",
    "new survey": "/gestion/sondages/nouveau/",
}


@pytest.fixture
def question(home: HomePage) -> Question:
    return QuestionFactory.create(section__survey__title_fr="Le parc", label_fr="Vos idées?")


@pytest.mark.parametrize("screen", SCREENS)
def test_a_survey_screen_has_one_heading_that_its_title_repeats(
    question: Question, screen: str
) -> None:
    address = SCREENS[screen].format(
        survey=question.survey_id, section=question.section_id, question=question.pk
    )

    response = client_of(administrator()).get(address)

    assert response.status_code == 200
    headings = find_all(response.content, "h1")
    assert len(headings) == 1
    assert headings[0].text
    assert find(response.content, "title").text.startswith(headings[0].text)
