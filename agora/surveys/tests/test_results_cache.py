"""The results are cached, yet exact: at once after a response for a small survey, at most
about 30 s behind for a survey whose counting is expensive, and never forgetting a response
that committed out of order."""

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks, Settings

from agora.core.tests.html import find
from agora.pages.models import HomePage
from agora.surveys import results
from agora.surveys.models import Question, Response, ResultsVisibility, Survey
from agora.surveys.results import SETTLE_SECONDS, STALE_SECONDS, survey_results
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

START = datetime.datetime(2026, 5, 12, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def survey(clock: time_machine.Traveller) -> Survey:
    return SurveyFactory.create(results_visibility=ResultsVisibility.LIVE)


@pytest.fixture
def question(survey: Survey) -> Question:
    return QuestionFactory.create(
        section=SectionFactory.create(survey=survey), choices=["Oui", "Non"]
    )


@pytest.fixture
def expensive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every computation counts as expensive, as on a survey of a million responses."""
    monkeypatch.setattr(results, "EXPENSIVE_SECONDS", -1.0)


def later(clock: time_machine.Traveller, seconds: float) -> None:
    clock.shift(datetime.timedelta(seconds=seconds))


def counted(survey: Survey) -> int:
    return survey_results(survey).respondents


def test_a_small_survey_counts_a_new_response_at_once(
    clock: time_machine.Traveller, survey: Survey, question: Question
) -> None:
    respond(survey, {question: "oui"})
    assert counted(survey) == 1

    respond(survey, {question: "non"})

    assert counted(survey) == 2
    assert survey_results(survey).questions[0].tallies[1].count == 1


def test_unchanged_results_are_served_from_the_cache(
    clock: time_machine.Traveller,
    survey: Survey,
    question: Question,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    respond(survey, {question: "oui"})
    later(clock, SETTLE_SECONDS + 1)
    counted(survey)

    with django_assert_max_num_queries(1):  # the latest response's id
        assert counted(survey) == 1


def test_an_expensive_survey_is_at_most_thirty_seconds_behind(
    clock: time_machine.Traveller, expensive: None, survey: Survey, question: Question
) -> None:
    respond(survey, {question: "oui"})
    assert counted(survey) == 1
    later(clock, 5)

    respond(survey, {question: "non"})

    assert counted(survey) == 1  # the copy counted 5 s ago
    later(clock, STALE_SECONDS - 6)
    assert counted(survey) == 1
    later(clock, 2)
    assert counted(survey) == 2  # the copy was 31 s old: counted again


def test_while_one_request_recounts_the_others_serve_the_copy(
    clock: time_machine.Traveller, expensive: None, survey: Survey, question: Question
) -> None:
    respond(survey, {question: "oui"})
    counted(survey)
    respond(survey, {question: "non"})
    later(clock, STALE_SECONDS + 1)
    lock = f"{results._key(survey, 'all')}:lock"
    cache.add(lock, 1)

    assert counted(survey) == 1

    cache.delete(lock)
    assert counted(survey) == 2


def test_a_response_committed_out_of_order_is_counted_within_seconds(
    clock: time_machine.Traveller, survey: Survey, question: Question
) -> None:
    # A response takes its id, then commits only after a later one was counted.
    slow = Response.objects.create(survey=SurveyFactory.create(), policy_key="lent")
    respond(survey, {question: "oui"})
    assert counted(survey) == 1
    Response.objects.filter(pk=slow.pk).update(survey=survey)  # now visible

    assert counted(survey) == 1  # counted less than SETTLE_SECONDS after the latest
    later(clock, SETTLE_SECONDS + 1)
    assert counted(survey) == 2


def test_the_page_is_renewed_by_a_response_and_not_kept_while_behind(
    client: Client,
    home: HomePage,
    settings: Settings,
    clock: time_machine.Traveller,
    survey: Survey,
    question: Question,
    expensive: None,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.PAGE_CACHE_SECONDS = 300
    url = reverse("results:detail", args=[survey.slug])

    def respondents() -> str:
        return find(client.get(url).content, "dd", class_="results-facts__respondents").text

    with django_capture_on_commit_callbacks(execute=True):
        respond(survey, {question: "oui"})
    client.get(url)  # the city's branding settings are created on the first visit
    assert respondents() == "1"
    assert client.get(url)["X-Agora-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        respond(survey, {question: "oui"})

    stale = client.get(url)
    assert "no-cache" in stale["Cache-Control"]
    later(clock, STALE_SECONDS + 1)
    assert respondents() == "2"
