"""The thank-you page after sending a response."""

import pytest
from django.test import Client

from agora.pages.models import HomePage
from agora.participation.models import ProjectPage
from agora.surveys.models import ResultsVisibility
from agora.surveys.tests.answering_helpers import answer_all, park_survey, text, thanks_url

pytestmark = pytest.mark.django_db


def test_the_thank_you_page_shows_the_survey_s_own_message(home: HomePage) -> None:
    park = park_survey(thank_you_fr="Merci! Rendez-vous à la soirée du 12 mai.")
    client = Client()
    sent = answer_all(client, park, visits="non")
    page = text(client.get(sent["Location"]))
    assert "Rendez-vous à la soirée du 12 mai." in page


def test_without_a_message_of_its_own_the_page_thanks_in_default_words(home: HomePage) -> None:
    park = park_survey(results_visibility=ResultsVisibility.AFTER_CLOSE)
    page = text(Client().get(thanks_url(park.survey)))
    assert "Vos réponses au sondage « Le parc riverain » sont enregistrées." in page
    assert "Les résultats seront publiés après la fermeture du sondage." in page


def test_the_thank_you_page_leads_back_to_the_survey_s_project(project: ProjectPage) -> None:
    park = park_survey(project=project)
    page = text(Client().get(thanks_url(park.survey)))
    assert f'href="{project.url}"' in page
