"""Publishing, unpublishing and closing a survey from /gestion/sondages/: the checks before
publishing, and the audit log."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from agora.accounts.models import User
from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.models import AuditEntry
from agora.core.tests.responses import ClientResponse
from agora.pages.models import HomePage
from agora.surveys.models import Survey, SurveyKind
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def post(user: User, survey: Survey, action: str) -> ClientResponse:
    return client_of(user).post(f"/gestion/sondages/{survey.pk}/{action}/", follow=True)


def test_a_survey_without_questions_is_not_published(home: HomePage) -> None:
    survey = SurveyFactory.create(published_at=None)
    SectionFactory.create(survey=survey)

    response = post(administrator(), survey, "publier")

    assert "Ajoutez au moins une section avec une question." in response.content.decode()
    survey.refresh_from_db()
    assert not survey.is_published
    assert not AuditEntry.objects.filter(action="survey.published").exists()


def test_a_one_off_survey_needs_its_dates_to_be_published(home: HomePage) -> None:
    survey = SurveyFactory.create(published_at=None, opens_at=None, kind=SurveyKind.ONE_OFF)
    QuestionFactory.create(section__survey=survey, kind="yes_no")

    response = post(administrator(), survey, "publier")

    assert "besoin de ses dates" in response.content.decode()
    survey.refresh_from_db()
    assert not survey.is_published


def test_a_complete_survey_is_published_and_audited(home: HomePage) -> None:
    survey = SurveyFactory.create(published_at=None)
    QuestionFactory.create(section__survey=survey, kind="yes_no")
    admin = administrator()

    response = post(admin, survey, "publier")

    assert "Le sondage est publié." in response.content.decode()
    survey.refresh_from_db()
    assert survey.is_published
    entry = AuditEntry.objects.get(action="survey.published")
    assert (entry.actor, entry.object_id) == (admin, str(survey.pk))


def test_unpublishing_is_audited(home: HomePage) -> None:
    survey = SurveyFactory.create()

    post(administrator(), survey, "depublier")

    survey.refresh_from_db()
    assert not survey.is_published
    assert AuditEntry.objects.filter(action="survey.unpublished").count() == 1


def test_closing_a_one_off_survey_now(home: HomePage) -> None:
    survey = SurveyFactory.create()

    post(administrator(), survey, "fermer")

    survey.refresh_from_db()
    assert survey.closes_at is not None
    assert survey.closes_at <= timezone.now()
    assert not survey.is_open()
    assert AuditEntry.objects.filter(action="survey.closed").count() == 1


def test_a_continuous_survey_is_not_closed_by_the_button(home: HomePage) -> None:
    survey = SurveyFactory.create(kind=SurveyKind.CONTINUOUS, closes_at=None)

    response = post(administrator(), survey, "fermer")

    assert "Un sondage continu reste ouvert" in response.content.decode()
    survey.refresh_from_db()
    assert survey.closes_at is None
    assert not AuditEntry.objects.exists()


def test_the_builder_page_says_what_is_missing_before_publishing(home: HomePage) -> None:
    survey = SurveyFactory.create(published_at=None, closes_at=None)

    html = client_of(administrator()).get(f"/gestion/sondages/{survey.pk}/").content.decode()

    assert "Avant de publier ce sondage" in html
    assert "besoin de ses dates" in html


def test_a_closed_survey_stays_closed_when_closed_again(home: HomePage) -> None:
    survey = SurveyFactory.create(closes_at=timezone.now() - datetime.timedelta(days=1))
    closed_at = survey.closes_at

    post(administrator(), survey, "fermer")

    survey.refresh_from_db()
    assert survey.closes_at == closed_at
    assert not AuditEntry.objects.exists()
