"""Who may change a survey's settings at /gestion/sondages/<id>/reglages/ once it is published:
the attack of a project moderator who reopens a closed survey or makes its private results
public, replayed through the screen, is refused with nothing written; the department's
managers and the administrators (the publishing right) change them, and the audit log keeps
the old and new values; a draft stays its moderator's to set up."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from agora.accounts.models import User
from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.models import AuditEntry
from agora.participation.models import ProjectPage
from agora.participation.tests.project_team import (
    another_project,
    in_department,
    manager_of,
    moderator_of,
)
from agora.surveys import audit_actions
from agora.surveys.models import ResultsVisibility, ReviewState, Survey, SurveyKind
from agora.surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

FORM_FIELDS = (
    "title_fr",
    "title_en",
    "slug",
    "summary_fr",
    "summary_en",
    "introduction_fr",
    "introduction_en",
    "thank_you_fr",
    "thank_you_en",
    "kind",
    "response_policy",
    "audience",
    "results_visibility",
)
LOCKED = (
    "Ce sondage est publié : seuls les gestionnaires de son service ou un administrateur "
    "peuvent modifier ses réglages."
)


def _minute(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(second=0, microsecond=0)


def _local(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


def settings_of(survey: Survey, **changes: Any) -> dict[str, Any]:
    """The settings form as the screen shows it for `survey`, with `changes` typed in."""
    values: dict[str, Any] = {name: getattr(survey, name) for name in FORM_FIELDS}
    values.update(
        opens_at=_local(survey.opens_at),
        closes_at=_local(survey.closes_at),
        department=survey.department_id or "",
        project=survey.project_id or "",
        phase="",
    )
    values.update(changes)
    return values


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat()


def url(survey: Survey) -> str:
    return f"/gestion/sondages/{survey.pk}/reglages/"


def closed_private_survey(project: ProjectPage, **fields: Any) -> Survey:
    """A published one-off survey of `project` that closed yesterday, with private results."""
    now = _minute(timezone.now())
    fields.setdefault("published_at", now - datetime.timedelta(days=30))
    survey: Survey = SurveyFactory.create(
        project=project,
        kind=SurveyKind.ONE_OFF,
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=1),
        results_visibility=ResultsVisibility.PRIVATE,
        **fields,
    )
    return survey


def stored(survey: Survey) -> dict[str, Any]:
    return dict(Survey.objects.filter(pk=survey.pk).values().get())


@pytest.fixture
def survey(project: ProjectPage) -> Survey:
    in_department(project)
    return closed_private_survey(project)


def test_a_moderator_cannot_reopen_a_closed_published_survey(
    project: ProjectPage, survey: Survey
) -> None:
    before = stored(survey)
    reopened = timezone.now() + datetime.timedelta(days=30)

    response = client_of(moderator_of(project)).post(
        url(survey), settings_of(survey, closes_at=_local(reopened))
    )

    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert stored(survey) == before
    assert not AuditEntry.objects.exists()


def test_a_moderator_cannot_make_the_private_results_of_a_published_survey_public(
    project: ProjectPage, survey: Survey
) -> None:
    before = stored(survey)

    response = client_of(moderator_of(project)).post(
        url(survey), settings_of(survey, results_visibility=ResultsVisibility.LIVE)
    )

    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert stored(survey) == before
    assert not AuditEntry.objects.exists()


def test_a_moderator_cannot_change_an_approved_survey_whose_date_is_not_set(
    project: ProjectPage,
) -> None:
    in_department(project)
    survey = closed_private_survey(project, published_at=None, review_state=ReviewState.PUBLISHED)
    before = stored(survey)

    response = client_of(moderator_of(project)).post(
        url(survey), settings_of(survey, audience="anyone", response_policy="unlimited")
    )

    assert LOCKED in response.content.decode()
    assert stored(survey) == before
    assert not AuditEntry.objects.exists()


def test_the_moderator_reads_on_the_settings_of_a_published_survey_who_may_change_them(
    project: ProjectPage, survey: Survey
) -> None:
    html = client_of(moderator_of(project)).get(url(survey)).content.decode()

    assert LOCKED in html


def test_sending_the_settings_of_a_published_survey_unchanged_writes_nothing(
    project: ProjectPage, survey: Survey
) -> None:
    before = stored(survey)

    response = client_of(moderator_of(project)).post(url(survey), settings_of(survey))

    assert response.status_code == 302
    assert stored(survey) == before
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["manager of its department", "administrator"])
def test_whoever_may_publish_reopens_the_survey_and_the_audit_log_keeps_old_and_new_values(
    project: ProjectPage, survey: Survey, who: str
) -> None:
    person: User = manager_of(project) if who == "manager of its department" else administrator()
    old_closing = survey.closes_at
    assert old_closing is not None
    new_closing = _minute(timezone.now() + datetime.timedelta(days=30))

    response = client_of(person).post(
        url(survey),
        settings_of(
            survey, closes_at=_local(new_closing), results_visibility=ResultsVisibility.LIVE
        ),
    )

    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.closes_at == new_closing
    assert survey.results_visibility == ResultsVisibility.LIVE
    entry = AuditEntry.objects.get()
    assert entry.action == audit_actions.SURVEY_SETTINGS_CHANGED
    assert entry.actor == person
    assert entry.details == {
        "changes": {
            "closes_at": {"before": utc(old_closing), "after": utc(new_closing)},
            "results_visibility": {"before": "private", "after": "live"},
        }
    }


def test_a_moderator_keeps_setting_up_a_draft_survey_and_it_is_audited(
    project: ProjectPage,
) -> None:
    in_department(project)
    survey = closed_private_survey(project, published_at=None)
    moderator = moderator_of(project)

    response = client_of(moderator).post(
        url(survey), settings_of(survey, results_visibility=ResultsVisibility.AFTER_CLOSE)
    )

    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.results_visibility == ResultsVisibility.AFTER_CLOSE
    entry = AuditEntry.objects.get()
    assert entry.actor == moderator
    assert entry.details == {
        "changes": {"results_visibility": {"before": "private", "after": "after_close"}}
    }


def test_a_moderator_cannot_reach_the_settings_of_another_projects_survey(
    project: ProjectPage, survey: Survey
) -> None:
    response = client_of(moderator_of(another_project(project))).post(
        url(survey), settings_of(survey, results_visibility=ResultsVisibility.LIVE)
    )

    assert response.status_code == 403
    assert not AuditEntry.objects.exists()
