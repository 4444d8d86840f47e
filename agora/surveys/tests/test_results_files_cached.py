"""The public results files (PDF report, CSV, XLSX) are generated once per version of the
results, whatever the query string or cookies; the team's private files are never kept; and
an address that has too many generated in a minute gets a 429, with nothing generated."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.exports import ExportFile
from agora.core.models import Branding
from agora.surveys import exports, report
from agora.surveys.models import Question, ResultsVisibility, Survey
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, respond

pytestmark = pytest.mark.django_db

# Every test runs with the clock stopped here, early in a minute (the rate limit's window).
CLOCK = "2026-05-01 12:00:05-04:00"
VISITOR = "203.0.113.7"


class Generations:
    """Stands in for the generators of the three files and counts their calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        monkeypatch.setattr(report, "report_pdf", self._generator("pdf", "application/pdf"))
        monkeypatch.setattr(exports, "aggregate_csv", self._generator("csv", "text/csv"))
        monkeypatch.setattr(exports, "aggregate_xlsx", self._generator("xlsx", "application/x"))

    def _generator(self, file_format: str, content_type: str) -> Any:
        def generate(results: Any, **options: Any) -> ExportFile:
            self.calls.append((file_format, options))
            return ExportFile(
                filename=f"resultats.{file_format}",
                content_type=content_type,
                content=f"{file_format} {len(self.calls)} {translation.get_language()}".encode(),
            )

        return generate

    def __len__(self) -> int:
        return len(self.calls)


@pytest.fixture
def generations(monkeypatch: pytest.MonkeyPatch) -> Generations:
    return Generations(monkeypatch)


@pytest.fixture
def question(branding: Branding) -> Question:
    """A survey of public results with a response, on a site whose branding exists (the PDF
    reads it; creating it would publish a new content version, hence a new file)."""
    survey = SurveyFactory.create(slug="parcs", results_visibility=ResultsVisibility.LIVE)
    question = QuestionFactory.create(section__survey=survey, choices=["Oui", "Non"])
    respond(survey, {question: "oui"})
    return question


@pytest.fixture
def survey(question: Question) -> Survey:
    return question.survey


def file_url(survey: Survey, file_format: str, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("results:export", args=[survey.slug, file_format])


def test_a_public_pdf_is_generated_once_whatever_the_query_string_or_cookies(
    client: Client, survey: Survey, generations: Generations
) -> None:
    first = client.get(file_url(survey, "pdf"))
    client.cookies["sessionid"] = "pas-une-vraie-session"  # skips the page cache
    again = [client.get(file_url(survey, "pdf") + f"?x={n}") for n in range(5)]

    assert first.status_code == 200
    assert len(generations) == 1
    assert {response.content for response in again} == {first.content}
    assert {response["Content-Type"] for response in again} == {"application/pdf"}


def test_each_format_and_language_is_its_own_file(
    client: Client, survey: Survey, generations: Generations
) -> None:
    for _ in range(2):
        client.get(file_url(survey, "pdf"))
        client.get(file_url(survey, "pdf", "en"))
        client.get(file_url(survey, "csv"))
        client.get(file_url(survey, "xlsx"))

    assert sorted(file_format for file_format, _options in generations.calls) == [
        "csv",
        "pdf",
        "pdf",
        "xlsx",
    ]
    assert client.get(file_url(survey, "pdf", "en")).content.endswith(b" en")


def test_a_new_response_generates_the_file_again(
    client: Client,
    question: Question,
    generations: Generations,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    survey = question.survey
    before = client.get(file_url(survey, "csv"))

    with django_capture_on_commit_callbacks(execute=True):
        respond(survey, {question: "non"})
    after = client.get(file_url(survey, "csv"))

    assert len(generations) == 2
    assert after.content != before.content
    assert client.get(file_url(survey, "csv")).content == after.content
    assert len(generations) == 2


def test_the_teams_private_file_is_never_kept_nor_given_to_a_visitor(
    client: Client, survey: Survey, generations: Generations
) -> None:
    survey.results_visibility = ResultsVisibility.PRIVATE
    survey.save()
    team = client_of(administrator())

    for _ in range(2):
        assert team.get(file_url(survey, "pdf")).status_code == 200
    anonymous = client.get(file_url(survey, "pdf"))

    assert anonymous.status_code == 404
    assert len(generations) == 2
    assert [options["public"] for _format, options in generations.calls] == [False, False]


def test_a_file_kept_while_public_is_not_served_once_the_results_are_private(
    client: Client, survey: Survey, generations: Generations
) -> None:
    assert client.get(file_url(survey, "pdf")).status_code == 200

    survey.results_visibility = ResultsVisibility.PRIVATE
    survey.save()

    assert client.get(file_url(survey, "pdf")).status_code == 404
    assert client_of(administrator()).get(file_url(survey, "pdf")).status_code == 200
    assert [options["public"] for _format, options in generations.calls] == [True, False]


def test_too_many_generations_from_one_address_get_a_429_and_nothing_is_generated(
    survey: Survey, generations: Generations, settings: Settings
) -> None:
    settings.RESULTS_FILE_GENERATIONS_PER_MINUTE = 2
    visitor = Client(REMOTE_ADDR=VISITOR)
    assert visitor.get(file_url(survey, "csv")).status_code == 200
    assert visitor.get(file_url(survey, "xlsx")).status_code == 200

    refused = visitor.get(file_url(survey, "pdf"))

    assert refused.status_code == 429
    assert "trop de fichiers de résultats" in refused.content.decode()
    assert refused["Retry-After"] == "55"  # the end of the current minute
    assert "no-store" in refused["Cache-Control"]
    assert len(generations) == 2
    # Files already generated still come, from the cache; another address is not held back.
    assert visitor.get(file_url(survey, "csv") + "?encore=1").status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.4").get(file_url(survey, "pdf")).status_code == 200
    assert len(generations) == 3
