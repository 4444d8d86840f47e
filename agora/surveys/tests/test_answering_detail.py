"""A survey's introduction: what residents learn before they start, and when they cannot."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from pytest_django import Settings

from agora.accounts.tests.team_factories import administrator
from agora.core.audience import Audience
from agora.pages.models import HomePage
from agora.surveys.models import ResponsePolicy, ResultsVisibility
from agora.surveys.tests.answering_helpers import (
    answer_all,
    detail_url,
    park_survey,
    section_url,
    text,
)

pytestmark = pytest.mark.django_db


def _results_address(slug: str) -> str | None:
    try:
        return reverse("results:detail", kwargs={"slug": slug})
    except NoReverseMatch:
        return None


def test_the_introduction_says_what_to_expect_and_how_to_start(home: HomePage) -> None:
    park = park_survey(introduction_fr="La Ville réaménage le parc.")
    response = Client().get(detail_url(park.survey))
    page = text(response)
    assert response.status_code == 200
    assert "Le parc riverain" in page
    assert "La Ville réaménage le parc." in page
    assert "2 sections" in page
    assert "environ 2 minutes" in page
    assert "Une réponse par personne." in page
    assert "votre adresse IP ne sont pas enregistrés" in page
    assert f'href="{section_url(park.survey, 1)}"' in page
    assert "Commencer" in page


def test_the_introduction_can_be_kept_by_the_page_cache_for_visitors_without_a_session(
    home: HomePage, settings: Settings
) -> None:
    settings.PAGE_CACHE_SECONDS = 300
    park = park_survey()
    Client().get(detail_url(park.survey))  # the site's branding is created on a first visit
    cache.clear()
    first = Client().get(detail_url(park.survey))
    assert first["X-Agora-Cache"] == "miss"
    assert "Cookie" not in first.get("Vary", "")
    assert Client().get(detail_url(park.survey))["X-Agora-Cache"] == "hit"


def test_a_closed_survey_explains_itself_and_links_to_its_public_results(home: HomePage) -> None:
    park = park_survey(
        closes_at=timezone.now() - datetime.timedelta(days=1),
        results_visibility=ResultsVisibility.AFTER_CLOSE,
    )
    page = text(Client().get(detail_url(park.survey)))
    assert "Ce sondage est fermé" in page
    assert "Commencer" not in page
    results = _results_address(park.survey.slug)
    if results is not None:
        assert f'href="{results}"' in page


def test_a_survey_not_yet_open_says_when_it_opens(home: HomePage) -> None:
    opens = timezone.now() + datetime.timedelta(days=5)
    park = park_survey(opens_at=opens)
    page = text(Client().get(detail_url(park.survey)))
    assert "Ce sondage n'est pas encore ouvert" in page
    assert "Commencer" not in page


def test_a_participant_who_already_answered_is_told_so(home: HomePage) -> None:
    park = park_survey(response_policy=ResponsePolicy.ONCE)
    client = Client()
    answer_all(client, park, visits="non")
    page = text(client.get(detail_url(park.survey)))
    assert "Vous avez déjà répondu à ce sondage." in page
    assert "Commencer" not in page


def test_the_audience_is_stated_in_plain_words(home: HomePage) -> None:
    park = park_survey(audience=Audience.ACCOUNT)
    page = text(Client().get(detail_url(park.survey)))
    assert "Les personnes qui ont un compte" in page


def test_an_unpublished_survey_does_not_exist_for_residents(home: HomePage) -> None:
    park = park_survey()
    park.survey.published_at = None
    park.survey.save()
    assert Client().get(detail_url(park.survey)).status_code == 404


def test_an_administrator_sees_a_closed_survey_as_a_preview(home: HomePage) -> None:
    park = park_survey(closes_at=timezone.now() - datetime.timedelta(days=1))
    client = Client()
    client.force_login(administrator())
    page = text(client.get(detail_url(park.survey)))
    assert "Aperçu" in page
    assert "Commencer" in page


def test_the_english_pages_are_in_english(home: HomePage) -> None:
    park = park_survey()
    with translation.override("en"):
        intro_url = detail_url(park.survey)
        first_url = section_url(park.survey, 1)
    assert intro_url.startswith("/en/")

    intro = text(Client().get(intro_url))
    section = text(Client().get(first_url))

    assert '<html lang="en' in intro
    assert "Riverside park" in intro
    assert "Le parc riverain" not in intro
    assert "Your visits" in section
    assert "Do you visit the park?" in section
