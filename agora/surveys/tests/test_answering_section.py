"""One page per section: answers kept in the session, conditional questions, and refused
posts (missing answers, values not offered, hidden questions, sections out of order)."""

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from agora.pages.models import HomePage
from agora.surveys.flow import SESSION_PREFIX
from agora.surveys.models import Answer, ConditionOperator, Question, Response
from agora.surveys.tests.answering_helpers import (
    ParkSurvey,
    answer_all,
    park_survey,
    section_url,
    submit_url,
    thanks_url,
)
from agora.surveys.tests.factories import QuestionFactory, SectionFactory

pytestmark = pytest.mark.django_db

# The site's shell (branding, menu, locales) and the survey's five: session, survey,
# sections, questions, choices.
SECTION_PAGE_QUERY_BOUND = 16


@pytest.fixture
def park(home: HomePage) -> ParkSurvey:
    return park_survey()


def _answers(response: Response) -> dict[int, list[tuple[Any, ...]]]:
    stored: dict[int, list[tuple[Any, ...]]] = {}
    for answer in Answer.objects.filter(response=response).order_by("pk"):
        stored.setdefault(answer.question_id, []).append(
            (answer.choice.value if answer.choice else None, answer.number, answer.text)
        )
    return stored


def test_a_resident_without_an_account_completes_a_two_section_survey(park: ParkSurvey) -> None:
    client = Client()
    first = client.get(section_url(park.survey, 1))
    assert first.status_code == 200
    assert "Section 1 sur 2" in first.content.decode()

    response = answer_all(client, park)

    assert response.status_code == 302
    assert response["Location"] == thanks_url(park.survey)
    stored = Response.objects.get()
    assert stored.participant is not None
    assert stored.participant.user is None
    assert stored.language == "fr"
    assert _answers(stored) == {
        park.visits.pk: [(None, 1.0, "")],
        park.how_often.pk: [("chaque-jour", None, "")],
        park.wish.pk: [(None, None, "Plus de bancs")],
        park.priority.pk: [("securite", None, "")],
    }
    assert "agora_participant" in response.cookies
    assert f"{SESSION_PREFIX}{park.survey.pk}" not in client.session


def test_nothing_is_written_before_the_last_step(park: ParkSurvey) -> None:
    client = Client()
    client.post(section_url(park.survey, 1), {park.visits.field_name: "non"})
    client.post(section_url(park.survey, 2), {park.priority.field_name: "proprete"})
    assert Response.objects.count() == 0
    review = client.get(submit_url(park.survey))
    assert review.status_code == 200
    page = review.content.decode()
    assert "Propreté" in page
    assert "Non" in page


def test_going_back_keeps_the_answers(park: ParkSurvey) -> None:
    client = Client()
    client.post(section_url(park.survey, 1), {park.visits.field_name: "oui"})
    client.post(
        section_url(park.survey, 1),
        {park.visits.field_name: "oui", park.how_often.field_name: "chaque-semaine"},
    )
    back = client.post(
        section_url(park.survey, 2),
        {park.wish.field_name: "Des fontaines", "precedent": ""},
    )
    assert back["Location"] == section_url(park.survey, 1)

    first = client.get(section_url(park.survey, 1)).content.decode()
    assert f'value="oui" required id="id_q{park.visits.pk}_0" checked' in first
    assert 'value="chaque-semaine"' in first
    assert "checked" in first.split("chaque-semaine")[1][:80]
    second = client.get(section_url(park.survey, 2)).content.decode()
    assert 'value="Des fontaines"' in second


def test_the_conditional_question_appears_only_after_the_right_answer(park: ParkSurvey) -> None:
    client = Client()
    page = client.get(section_url(park.survey, 1)).content.decode()
    assert "À quelle fréquence" not in page

    after_no = client.post(section_url(park.survey, 1), {park.visits.field_name: "non"})
    assert after_no["Location"] == section_url(park.survey, 2)

    after_yes = client.post(section_url(park.survey, 1), {park.visits.field_name: "oui"})
    assert after_yes.status_code == 200
    page = after_yes.content.decode()
    assert "Une question s&#x27;est ajoutée selon votre réponse." in page
    assert "À quelle fréquence" in page
    # The new question is not yet an error: the resident has not seen it.
    assert not after_yes.context["form"].errors


def test_an_answer_is_dropped_when_its_condition_is_undone(park: ParkSurvey) -> None:
    client = Client()
    client.post(section_url(park.survey, 1), {park.visits.field_name: "oui"})
    client.post(
        section_url(park.survey, 1),
        {park.visits.field_name: "oui", park.how_often.field_name: "chaque-jour"},
    )
    client.post(section_url(park.survey, 2), {park.priority.field_name: "securite"})
    # Back to the first section: "Non" now, with the (now hidden) answer still posted.
    changed = client.post(
        section_url(park.survey, 1),
        {park.visits.field_name: "non", park.how_often.field_name: "chaque-jour"},
    )
    assert changed["Location"] == section_url(park.survey, 2)
    client.post(section_url(park.survey, 2), {park.priority.field_name: "securite"})
    client.post(submit_url(park.survey), {})

    stored = _answers(Response.objects.get())
    assert park.how_often.pk not in stored
    assert stored[park.visits.pk] == [(None, 0.0, "")]


def test_a_missing_required_answer_is_shown_at_its_field_and_nothing_is_kept(
    park: ParkSurvey,
) -> None:
    client = Client()
    client.post(section_url(park.survey, 1), {park.visits.field_name: "non"})

    response = client.post(section_url(park.survey, 2), {park.wish.field_name: "Des arbres"})

    assert response.status_code == 200
    assert response.context["form"].errors[park.priority.field_name]
    page = response.content.decode()
    assert "Corrigez ce qui suit pour continuer" in page
    assert f'href="#id_{park.priority.field_name}_0"' in page
    assert f'id="id_{park.priority.field_name}_error"' in page
    assert client.get(submit_url(park.survey))["Location"] == section_url(park.survey, 2)
    assert Response.objects.count() == 0


def test_a_value_that_was_not_offered_is_refused_at_its_field(park: ParkSurvey) -> None:
    client = Client()
    client.post(section_url(park.survey, 1), {park.visits.field_name: "non"})

    response = client.post(section_url(park.survey, 2), {park.priority.field_name: "pistes"})

    assert response.status_code == 200
    assert response.context["form"].errors[park.priority.field_name]
    assert client.post(submit_url(park.survey), {}).status_code == 302
    assert Response.objects.count() == 0


def _assert_first_section_refuses(park: ParkSurvey, extra: Question, value: str) -> None:
    """The first section, answered "Non" plus `extra`, a question it does not ask, is refused
    as tampering: nothing is kept in the session nor written."""
    client = Client()
    response = client.post(
        section_url(park.survey, 1), {park.visits.field_name: "non", extra.field_name: value}
    )

    assert response.status_code == 400
    assert "une question qui ne vous était pas posée" in response.content.decode()
    assert f"{SESSION_PREFIX}{park.survey.pk}" not in client.session
    assert Response.objects.count() == 0


def test_an_answer_to_a_question_that_was_not_shown_is_refused(park: ParkSurvey) -> None:
    # "À quelle fréquence" is not shown before "Oui": posting it is tampering.
    _assert_first_section_refuses(park, park.how_often, "chaque-jour")


def test_an_answer_to_a_question_of_another_section_is_refused(park: ParkSurvey) -> None:
    _assert_first_section_refuses(park, park.priority, "securite")


def test_a_section_cannot_be_skipped(park: ParkSurvey) -> None:
    client = Client()

    jumped = client.post(section_url(park.survey, 2), {park.priority.field_name: "securite"})

    assert jumped.status_code == 302
    assert jumped["Location"] == section_url(park.survey, 1)
    assert any("les sections se suivent" in str(m) for m in get_messages(jumped.wsgi_request))
    assert f"{SESSION_PREFIX}{park.survey.pk}" not in client.session
    sent = client.post(submit_url(park.survey), {})
    assert sent["Location"] == section_url(park.survey, 1)
    assert Response.objects.count() == 0


def test_a_section_whose_condition_is_not_met_is_skipped_in_navigation_and_progress(
    park: ParkSurvey,
) -> None:
    extra = SectionFactory.create(
        survey=park.survey,
        position=3,
        title_fr="Vos visites en détail",
        condition_question=park.visits,
        condition_operator=ConditionOperator.EQUALS,
        condition_value="oui",
    )
    QuestionFactory.create(section=extra, kind="short_text", label_fr="Quand venez-vous ?")
    client = Client()

    client.post(section_url(park.survey, 1), {park.visits.field_name: "non"})
    second = client.get(section_url(park.survey, 2))
    assert "Section 2 sur 2" in second.content.decode()
    assert "Vérifier mes réponses" in second.content.decode()
    last = client.post(section_url(park.survey, 2), {park.priority.field_name: "securite"})
    assert last["Location"] == submit_url(park.survey)
    assert client.get(section_url(park.survey, 3))["Location"] == submit_url(park.survey)

    client.post(section_url(park.survey, 1), {park.visits.field_name: "oui"})
    client.post(
        section_url(park.survey, 1),
        {park.visits.field_name: "oui", park.how_often.field_name: "chaque-jour"},
    )
    client.post(section_url(park.survey, 2), {park.priority.field_name: "securite"})
    third = client.get(section_url(park.survey, 3))
    assert "Section 3 sur 3" in third.content.decode()


def _queries_of(client: Client, url: str, shows: str = "") -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    assert shows in page.content.decode()
    return len(queries)


def test_a_section_page_needs_a_bounded_number_of_queries(
    park: ParkSurvey, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    """However many questions a section has: once when the survey changed (its structure is
    read again, the new questions shown at once), and fewer while it stays the same."""
    client = Client()
    client.post(section_url(park.survey, 1), {park.visits.field_name: "non"})
    client.get(section_url(park.survey, 2))
    few = _queries_of(client, section_url(park.survey, 2))
    for index in range(10):
        QuestionFactory.create(
            section=park.priority.section,
            kind="single_choice",
            choices=["Un", "Deux", "Trois"],
            label_fr=f"Question {index} ?",
            condition_question=park.visits,
            condition_operator=ConditionOperator.ANSWERED,
        )
    with django_assert_max_num_queries(SECTION_PAGE_QUERY_BOUND):
        _queries_of(client, section_url(park.survey, 2), shows="Question 9 ?")
    assert _queries_of(client, section_url(park.survey, 2), shows="Question 9 ?") == few


def test_the_section_pages_are_never_cached(park: ParkSurvey) -> None:
    response = Client().get(section_url(park.survey, 1))
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_a_change_to_the_survey_shows_on_the_next_page_even_when_a_stale_copy_is_saved(
    park: ParkSurvey,
) -> None:
    """The answering pages keep a survey's structure in memory; a changed choice renews it,
    and saving a copy of the survey loaded before the change does not bring the old one back."""
    client = Client()
    client.post(section_url(park.survey, 1), {park.visits.field_name: "oui"})
    page = client.get(section_url(park.survey, 1)).content.decode()
    assert "Chaque semaine" in page
    stale = type(park.survey).objects.get(pk=park.survey.pk)

    weekly = park.how_often.choices.get(value="chaque-semaine")
    weekly.label_fr = "Une fois par semaine"
    weekly.save()
    stale.title_fr = "Le parc riverain, phase 2"
    stale.save()

    page = client.get(section_url(park.survey, 1)).content.decode()
    assert "Une fois par semaine" in page
    assert "Chaque semaine" not in page
    assert "Le parc riverain, phase 2" in page

    weekly.hidden = True
    weekly.save()
    refused = client.post(
        section_url(park.survey, 1),
        {park.visits.field_name: "oui", park.how_often.field_name: "chaque-semaine"},
    )
    assert refused.status_code == 200
    assert "Une fois par semaine" not in refused.content.decode()
    assert not Response.objects.exists()
