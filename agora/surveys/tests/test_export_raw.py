"""The raw responses for the city's team: a row per response, no participant, only for those
`surveys.export_raw` allows, every export in the audit log, read in chunks of bounded
queries."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponseBase
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from time_machine import TimeMachineFixture

from agora.accounts.models import User
from agora.accounts.tests.team_factories import administrator, resident
from agora.core.models import AuditEntry
from agora.core.tests.responses import streamed
from agora.surveys import exports
from agora.surveys.export_views import raw_export
from agora.surveys.models import Survey
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, respond

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

NOW = "2026-05-01 12:00:00-04:00"


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def survey() -> Survey:
    survey = SurveyFactory.create(slug="parcs")
    mode = QuestionFactory.create(
        section__survey=survey,
        label_fr="Comment venez-vous ?",
        choices=["À pied", "À vélo"],
    )
    idea = QuestionFactory.create(section=mode.section, kind="short_text", label_fr="Une idée ?")
    respond(survey, {mode: "a-pied", idea: "Plus de bancs"})
    respond(survey, {mode: "a-velo"}, language="en")
    respond(survey, {idea: '=HYPERLINK("http://x")'})
    return survey


def download(
    user: User | AnonymousUser, survey: Survey, file_format: str = "csv"
) -> HttpResponseBase:
    request = RequestFactory().get(f"/gestion/sondages/{survey.pk}/reponses.{file_format}")
    request.user = user
    request.session = SessionBase()
    return raw_export(request, survey.pk, file_format)


def csv_rows(response: HttpResponseBase) -> list[list[str]]:
    content = streamed(response)
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_an_administrator_gets_a_row_per_response_without_the_participant(survey: Survey) -> None:
    response = download(administrator(), survey)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="reponses-parcs-2026-05-01.csv"'
    )
    header, *rows = csv_rows(response)
    assert header == [
        "Numéro de réponse",
        "Soumise le",
        "Langue",
        "Comment venez-vous ?",
        "Une idée ?",
    ]
    assert [row[2:] for row in rows] == [
        ["fr", "À pied", "Plus de bancs"],
        ["en", "À vélo", ""],
        ["fr", "", '\'=HYPERLINK("http://x")'],  # a formula stays text
    ]
    assert {row[1] for row in rows} == {"2026-05-01 12:00:00"}  # Toronto time
    participants = {str(response.participant_id) for response in survey.responses.all()}
    assert not participants & {cell for row in rows for cell in row}


def test_the_rows_follow_the_submission_time_in_toronto(survey: Survey) -> None:
    last = survey.responses.order_by("pk").last()
    assert last is not None
    last.submitted_at = timezone.now() - datetime.timedelta(hours=1)
    last.save()

    _header, *rows = csv_rows(download(administrator(), survey))

    assert rows[0][:2] == [str(last.pk), "2026-05-01 11:00:00"]


def test_the_workbook_holds_the_same_rows(survey: Survey) -> None:
    response = download(administrator(), survey, "xlsx")

    assert response["Content-Disposition"] == (
        'attachment; filename="reponses-parcs-2026-05-01.xlsx"'
    )
    book = load_workbook(io.BytesIO(streamed(response)))
    header, *rows = book["Réponses"].iter_rows(values_only=True)
    assert header[:4] == ("Numéro de réponse", "Soumise le", "Langue", "Comment venez-vous ?")
    assert rows[0][1] == datetime.datetime(2026, 5, 1, 12, 0)
    assert isinstance(rows[0][0], int)
    assert [row[3] for row in rows] == ["À pied", "À vélo", None]


def test_every_raw_export_is_in_the_audit_log(survey: Survey) -> None:
    admin = administrator()
    streamed(download(admin, survey))
    streamed(download(admin, survey, "xlsx"))

    entries = AuditEntry.objects.filter(action=exports.RAW_EXPORTED).order_by("pk")
    assert [(entry.actor, entry.object_id, entry.details) for entry in entries] == [
        (admin, str(survey.pk), {"format": "csv", "responses": 3}),
        (admin, str(survey.pk), {"format": "xlsx", "responses": 3}),
    ]


def test_a_resident_is_refused_and_nothing_is_logged(survey: Survey) -> None:
    with pytest.raises(PermissionDenied):
        download(resident(), survey)

    assert not AuditEntry.objects.filter(action=exports.RAW_EXPORTED).exists()


def test_an_anonymous_visitor_is_sent_to_log_in(survey: Survey) -> None:
    response = download(AnonymousUser(), survey)

    assert response.status_code == 302
    assert "next=" in response["Location"]
    assert not AuditEntry.objects.filter(action=exports.RAW_EXPORTED).exists()


def test_an_unknown_format_is_not_found(survey: Survey) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        download(administrator(), survey, "pdf")


def test_each_chunk_of_responses_costs_the_same_two_queries(survey: Survey) -> None:
    question = survey.questions.get(kind="single_choice")
    for _ in range(9):
        respond(survey, {question: "a-pied"})
    questions = exports.raw_questions(survey)

    def queries(chunk_size: int) -> int:
        rows = exports.raw_rows(survey, questions, until=timezone.now(), chunk_size=chunk_size)
        with CaptureQueriesContext(connection) as captured:
            count = sum(1 for _row in rows)
        assert count == 13  # the heading and 12 responses
        return len(captured)

    # 12 responses: 3 full chunks of 4 and an empty last look, or 2 full chunks of 5 and 2.
    assert queries(4) == 2 * 3 + 1
    assert queries(5) == 2 * 3
    assert queries(100) == 2
