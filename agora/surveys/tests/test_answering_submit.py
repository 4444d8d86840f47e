"""The last step: the response policy, a closed survey, the audience, and staff previews."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from agora.accounts.tests.team_factories import administrator, resident
from agora.core.audience import Audience
from agora.core.models import HeldContribution
from agora.pages.models import HomePage
from agora.surveys.models import Response, ResponsePolicy
from agora.surveys.tests.answering_helpers import (
    answer_all,
    detail_url,
    park_survey,
    section_url,
    submit_url,
    text,
    thanks_url,
)

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

ALREADY = "Vous avez déjà répondu à ce sondage."


def test_a_second_response_is_refused_under_the_once_policy(home: HomePage) -> None:
    park = park_survey(response_policy=ResponsePolicy.ONCE)
    client = Client()
    answer_all(client, park)

    again = client.get(section_url(park.survey, 1))
    assert ALREADY in text(again)
    assert ALREADY in text(client.get(detail_url(park.survey)))
    sent = client.post(submit_url(park.survey), {})
    assert sent.status_code == 409
    assert ALREADY in text(sent)
    assert Response.objects.count() == 1


def test_a_second_response_the_same_day_is_refused_under_the_daily_policy(home: HomePage) -> None:
    morning = timezone.make_aware(datetime.datetime(2030, 3, 10, 9, 0))
    park = park_survey(
        response_policy=ResponsePolicy.DAILY,
        kind="continuous",
        opens_at=morning - datetime.timedelta(days=30),
        closes_at=None,
    )
    client = Client()
    with time_machine.travel(morning, tick=False):
        answer_all(client, park, visits="non")
    with time_machine.travel(morning + datetime.timedelta(hours=8), tick=False):
        refused = client.get(section_url(park.survey, 1))
        assert "aujourd'hui" in text(refused)
        assert client.post(submit_url(park.survey), {}).status_code == 409
    with time_machine.travel(morning + datetime.timedelta(days=1), tick=False):
        sent = answer_all(client, park, visits="non")
        assert sent["Location"] == thanks_url(park.survey)
    assert Response.objects.count() == 2
    assert Response.objects.values("participant").distinct().count() == 1


def test_responses_are_accepted_again_and_again_under_the_unlimited_policy(home: HomePage) -> None:
    park = park_survey(response_policy=ResponsePolicy.UNLIMITED)
    client = Client()
    for _time in range(3):
        assert answer_all(client, park, visits="non")["Location"] == thanks_url(park.survey)
    assert Response.objects.count() == 3


def test_a_closed_survey_explains_itself_and_refuses_answers(home: HomePage) -> None:
    park = park_survey(closes_at=timezone.now() - datetime.timedelta(hours=1))
    client = Client()

    page = client.get(section_url(park.survey, 1))
    assert page.status_code == 200
    assert "Ce sondage est fermé" in text(page)
    posted = client.post(section_url(park.survey, 1), {park.visits.field_name: "non"})
    assert posted.status_code == 403
    assert client.post(submit_url(park.survey), {}).status_code == 403
    assert Response.objects.count() == 0


def test_a_survey_not_yet_open_says_when_it_opens(home: HomePage) -> None:
    park = park_survey(opens_at=timezone.now() + datetime.timedelta(days=3))
    page = Client().get(section_url(park.survey, 1))
    assert "Ce sondage n'est pas encore ouvert" in text(page)
    assert Client().post(submit_url(park.survey), {}).status_code == 403


def test_the_survey_closing_while_answering_refuses_the_response(home: HomePage) -> None:
    park = park_survey()
    client = Client()
    client.post(section_url(park.survey, 1), {park.visits.field_name: "non"})
    client.post(section_url(park.survey, 2), {park.priority.field_name: "securite"})
    park.survey.closes_at = timezone.now()
    park.survey.save()

    sent = client.post(submit_url(park.survey), {})

    assert sent.status_code == 403
    assert "Ce sondage est fermé" in text(sent)
    assert Response.objects.count() == 0


def test_a_survey_for_account_holders_sends_others_to_sign_in_first(home: HomePage) -> None:
    park = park_survey(audience=Audience.ACCOUNT)
    start = Client().get(section_url(park.survey, 1))
    assert start.status_code == 302
    assert start["Location"].startswith("/fr/compte/")

    client = Client()
    client.force_login(resident())
    answer_all(client, park, visits="non")
    response = Response.objects.get()
    assert response.participant is not None
    assert response.participant.user is not None


def test_a_filled_honeypot_is_refused(home: HomePage) -> None:
    park = park_survey()
    client = Client()
    client.post(section_url(park.survey, 1), {park.visits.field_name: "non"})
    client.post(section_url(park.survey, 2), {park.priority.field_name: "securite"})

    sent = client.post(submit_url(park.survey), {"site_web": "http://spam.example"})

    assert sent.status_code == 200
    assert sent.context["form"].errors["site_web"]
    assert Response.objects.count() == 0


def test_too_many_responses_from_one_address_are_refused(
    home: HomePage, settings: Settings
) -> None:
    park = park_survey(response_policy=ResponsePolicy.UNLIMITED)
    client = Client()
    for _time in range(10):
        answer_all(client, park, visits="non")
    refused = answer_all(client, park, visits="non")
    assert refused.status_code == 429
    # Past INTEGRITY_PER_CONNECTION_PER_DAY, the accepted ones wait for the survey's team.
    counted = settings.INTEGRITY_PER_CONNECTION_PER_DAY
    assert Response.objects.count() == counted
    assert HeldContribution.objects.count() == 10 - counted


def test_an_administrator_previews_an_unpublished_survey_and_nothing_is_written(
    home: HomePage,
) -> None:
    park = park_survey()
    park.survey.published_at = None
    park.survey.save()
    assert Client().get(detail_url(park.survey)).status_code == 404
    assert Client().get(section_url(park.survey, 1)).status_code == 404
    client = Client()
    client.force_login(administrator())

    intro = client.get(detail_url(park.survey))
    assert intro.status_code == 200
    assert "Aperçu" in text(intro)
    review = client.get(section_url(park.survey, 1))
    assert "Aperçu" in text(review)
    sent = answer_all(client, park)

    assert sent["Location"] == thanks_url(park.survey)
    thanks = text(client.get(thanks_url(park.survey)))
    assert "aucune réponse n'a été enregistrée" in thanks
    assert Response.objects.count() == 0
