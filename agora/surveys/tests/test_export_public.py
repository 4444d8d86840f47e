"""The public results as files: CSV and XLSX (one tidy table after a summary), and the PDF
report, for whoever may read the results page, in the reader's language, with no formula a
spreadsheet would run."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from agora.accounts.tests.team_factories import administrator, client_of, resident
from agora.core.models import Branding
from agora.core.tests.responses import ClientResponse
from agora.surveys.models import Answer, Excerpt, Question, ResultsVisibility, Survey
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, respond
from agora.surveys.tests.pdf_text import pdf_text

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

NOW = "2026-05-01 12:00:00-04:00"


# Every test runs with the clock stopped here (the root conftest.py stops it).
CLOCK = NOW


def export_url(survey: Survey, file_format: str, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("results:export", kwargs={"slug": survey.slug, "file_format": file_format})


def csv_rows(response: ClientResponse) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def table_of(rows: list[list[str]]) -> list[dict[str, str]]:
    """The results table of a CSV: records by heading, after the summary block."""
    start = rows.index([]) + 1
    header = rows[start]
    return [dict(zip(header, row, strict=True)) for row in rows[start + 1 :]]


@pytest.fixture
def survey() -> Survey:
    survey = SurveyFactory.create(
        title_fr="Parcs et espaces verts",
        title_en="Parks and green spaces",
        slug="parcs",
        results_visibility=ResultsVisibility.LIVE,
    )
    transport = QuestionFactory.create(
        section__survey=survey,
        label_fr="Comment venez-vous au parc ?",
        label_en="How do you come to the park?",
        choices=["À pied", "À vélo", "En auto"],
    )
    activities = QuestionFactory.create(
        section=transport.section,
        kind="multiple_choice",
        label_fr="Vos activités",
        label_en="Your activities",
        choices=["Marche", "Pique-nique"],
    )
    idea = QuestionFactory.create(
        section=transport.section,
        kind="short_text",
        label_fr="Une idée ?",
        label_en="An idea?",
    )
    for mode, chosen, text in [
        ("a-pied", ["marche"], "Plus de bancs"),
        ("a-pied", ["marche", "pique-nique"], ""),
        ("a-velo", ["pique-nique"], "Des fontaines"),
        ("a-pied", [], ""),
    ]:
        values: dict[Question, str | list[str]] = {transport: mode, idea: text}
        if chosen:
            values[activities] = chosen
        respond(survey, values)
    answer = Answer.objects.get(question=idea, text="Plus de bancs")
    Excerpt.objects.create(question=idea, answer=answer, text="Plus de bancs à l'ombre")
    return survey


def test_the_csv_starts_with_the_survey_its_respondents_and_the_time_computed(
    client: Client, survey: Survey
) -> None:
    response = client.get(export_url(survey, "csv"))

    assert response.status_code == 200
    rows = csv_rows(response)
    assert rows[0] == ["Sondage", "Parcs et espaces verts"]
    assert rows[1] == ["Répondants", "4"]
    assert ["Résultats calculés le", "2026-05-01 12:00:00"] in rows[:6]


def test_the_csv_has_a_row_per_answer_with_its_count_and_percentage(
    client: Client, survey: Survey
) -> None:
    records = table_of(csv_rows(client.get(export_url(survey, "csv"))))

    by_answer = {
        (record["Question"], record["Réponse"]): record for record in records if record["Réponse"]
    }
    walking = by_answer[("Comment venez-vous au parc ?", "À pied")]
    assert (walking["Nombre"], walking["Pourcentage (%)"], walking["Répondants"]) == (
        "3",
        "75.0",
        "4",
    )
    assert by_answer[("Comment venez-vous au parc ?", "En auto")]["Nombre"] == "0"
    picnic = by_answer[("Vos activités", "Pique-nique")]
    assert (picnic["Nombre"], picnic["Pourcentage (%)"], picnic["Répondants"]) == (
        "2",
        "66.7",
        "3",
    )
    excerpts = [record["Extrait publié"] for record in records if record["Extrait publié"]]
    assert excerpts == ["Plus de bancs à l'ombre"]
    assert "Des fontaines" not in str(records)  # open answers only as published excerpts


def test_the_workbook_has_a_summary_and_the_results_with_numbers_as_numbers(
    client: Client, survey: Survey
) -> None:
    response = client.get(export_url(survey, "xlsx"))

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Résumé", "Résultats"]
    summary = {row[0]: row[1] for row in book["Résumé"].iter_rows(values_only=True)}
    assert summary["Sondage"] == "Parcs et espaces verts"
    assert summary["Répondants"] == 4
    assert summary["Résultats calculés le"] == datetime.datetime(2026, 5, 1, 12, 0)
    rows = list(book["Résultats"].iter_rows(values_only=True))
    header = list(rows[0])
    walking = next(dict(zip(header, row, strict=True)) for row in rows if row[3] == "À pied")
    assert walking["Nombre"] == 3
    assert walking["Pourcentage (%)"] == 75.0


def test_the_pdf_report_names_the_city_the_survey_and_its_counts(
    client: Client, survey: Survey, branding: Branding
) -> None:
    response = client.get(export_url(survey, "pdf"))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "VILLE DE SAINT-ESSAI" in text.upper()
    assert "Parcs et espaces verts" in text
    assert "Répondants 4" in text
    assert "Comment venez-vous au parc ?" in text
    assert "À pied 3 75,0 %" in text
    assert "Pique-nique 2 66,7 %" in text
    assert "Plus de bancs à l'ombre" in text
    assert "1 / 1" in text  # the page number


@pytest.mark.parametrize(
    ("file_format", "content_type", "disposition"),
    [
        ("csv", "text/csv; charset=utf-8", 'attachment; filename="resultats-parcs.csv"'),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            'attachment; filename="resultats-parcs.xlsx"',
        ),
        ("pdf", "application/pdf", 'inline; filename="resultats-parcs.pdf"'),
    ],
)
def test_each_file_has_its_type_and_name(
    client: Client, survey: Survey, file_format: str, content_type: str, disposition: str
) -> None:
    response = client.get(export_url(survey, file_format))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition


def test_an_unknown_format_is_not_found(client: Client, survey: Survey) -> None:
    url = export_url(survey, "csv").replace(".csv", ".odt").replace("/csv", "/odt")
    assert client.get(url).status_code == 404


def test_a_label_or_an_excerpt_starting_a_formula_stays_text(
    client: Client, survey: Survey
) -> None:
    question = survey.questions.get(label_fr="Comment venez-vous au parc ?")
    question.choices.filter(value="en-auto").update(label_fr='=HYPERLINK("http://x")')
    Excerpt.objects.update(text="=1+2")

    rows = csv_rows(client.get(export_url(survey, "csv")))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'=1+2" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)

    book = load_workbook(io.BytesIO(client.get(export_url(survey, "xlsx")).content))
    values = [
        value
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]
    assert "'=1+2" in values
    assert not any(value.startswith(("=", "+", "@")) for value in values)


def test_the_english_files_speak_english(client: Client, survey: Survey) -> None:
    rows = csv_rows(client.get(export_url(survey, "csv", "en")))

    assert rows[0] == ["Survey", "Parks and green spaces"]
    assert any(
        record["Question"] == "How do you come to the park?" and "À pied (en)" in record.values()
        for record in table_of(rows)
    )
    book = load_workbook(io.BytesIO(client.get(export_url(survey, "xlsx", "en")).content))
    assert next(book.worksheets[0].iter_rows(values_only=True)) == (
        "Survey",
        "Parks and green spaces",
    )
    text = pdf_text(client.get(export_url(survey, "pdf", "en")).content)
    assert "Parks and green spaces" in text
    assert "How do you come to the park?" in text
    assert "À pied (en)" in text


@pytest.mark.parametrize("visibility", [ResultsVisibility.PRIVATE, ResultsVisibility.AFTER_CLOSE])
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "pdf"])
def test_results_not_yet_public_are_not_found(
    client: Client, survey: Survey, visibility: ResultsVisibility, file_format: str
) -> None:
    survey.results_visibility = visibility
    survey.save()

    assert client.get(export_url(survey, file_format)).status_code == 404
    assert client_of(resident()).get(export_url(survey, file_format)).status_code == 404


def test_results_public_after_closing_can_be_downloaded_once_closed(
    client: Client, survey: Survey
) -> None:
    survey.results_visibility = ResultsVisibility.AFTER_CLOSE
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.save()

    assert client.get(export_url(survey, "csv")).status_code == 200


def test_the_team_downloads_private_results(survey: Survey) -> None:
    survey.results_visibility = ResultsVisibility.PRIVATE
    survey.save()

    response = client_of(administrator()).get(export_url(survey, "pdf"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Résultats privés" in pdf_text(response.content)


def test_an_unknown_survey_is_not_found(client: Client, survey: Survey) -> None:
    url = export_url(survey, "csv").replace("parcs", "inconnu")
    assert client.get(url).status_code == 404
