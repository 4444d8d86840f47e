"""A survey's results as files: the public aggregate (CSV and XLSX, the same numbers as the
results page, since both read one `SurveyResults`) and the raw responses for the city's team.

The aggregate is one tidy table, a row per (question, answer), after a short block that names
the survey, its respondents and when the results were computed. Matrix rows, ranked items,
numeric summaries and published excerpts have their own columns in the same table.

The raw export has a row per response: its number, when it was submitted (America/Toronto),
its language, then the cells each question type gives (`QuestionType.export_cells`). It holds
no participant and no address. Responses are read in chunks (two queries a chunk), so a
survey with a million responses streams in bounded memory; every raw export is written to the
audit log. Residents type the texts: every cell goes through the formula guard of the
participation exports.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from agora.accounts.models import User
from agora.core import audit
from agora.core.exports import (
    CSV_TYPE,
    XLSX_TYPE,
    ExportFile,
    csv_bytes,
    csv_stream,
    write_rows,
    xlsx_file,
)
from agora.surveys import audit_actions
from agora.surveys.models import Answer, Question, Response, Survey

if TYPE_CHECKING:
    from agora.surveys.questions.base import QuestionResults
    from agora.surveys.results import SurveyResults

FileFormat = Literal["csv", "xlsx"]
RAW_EXPORTED = audit_actions.SURVEY_RAW_RESPONSES_EXPORTED
# Responses read per query: two queries (responses, then their answers) for each.
RAW_CHUNK_SIZE = 500
DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class RawExport:
    """A raw export on its way: `stream` is CSV bytes in pieces, or an XLSX temporary file."""

    filename: str
    content_type: str
    stream: Iterator[bytes] | IO[bytes]


def local_time(value: datetime.datetime) -> datetime.datetime:
    """Toronto time without its offset (spreadsheets have no time zones), to the second."""
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def results_filename(survey: Survey, extension: str) -> str:
    return f"{_('resultats')}-{survey.slug}.{extension}"


# The aggregate ---------------------------------------------------------------------------


def aggregate_headings() -> list[str]:
    return [
        _("Question"),
        _("Répondants"),
        _("Ligne"),
        _("Réponse"),
        _("Nombre"),
        _("Pourcentage (%)"),
        _("Moyenne"),
        _("Minimum"),
        _("Maximum"),
        _("Rang moyen"),
        _("Premières places"),
        _("Extrait publié"),
    ]


def _line(
    question: str,
    respondents: int,
    *,
    row: str = "",
    answer: str = "",
    count: int | None = None,
    percent: float | None = None,
    mean: float | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    mean_rank: float | None = None,
    first_places: int | None = None,
    excerpt: str = "",
) -> list[Any]:
    return [
        question,
        respondents,
        row,
        answer,
        count,
        percent,
        _rounded(mean),
        minimum,
        maximum,
        _rounded(mean_rank),
        first_places,
        excerpt,
    ]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def question_lines(results: QuestionResults) -> Iterator[list[Any]]:
    """The rows of one question: its answers, matrix rows, ranked items, numeric summary and
    excerpts; a single row with its respondents when it has none of those."""
    label = results.question.label
    answered = results.answered
    lines: list[list[Any]] = []
    for tally in results.tallies:
        lines.append(
            _line(label, answered, answer=tally.label, count=tally.count, percent=tally.percent)
        )
    # A numeric summary when the type gives one (a yes/no's mean is only a share: left out,
    # as on the results page).
    if results.mean is not None and results.minimum is not None:
        lines.append(
            _line(
                label,
                answered,
                answer=_("Toutes les réponses"),
                count=answered,
                mean=results.mean,
                minimum=results.minimum,
                maximum=results.maximum,
            )
        )
    for matrix_row in results.matrix:
        for tally in matrix_row.tallies:
            lines.append(
                _line(
                    label,
                    matrix_row.answered,
                    row=matrix_row.label,
                    answer=tally.label,
                    count=tally.count,
                    percent=tally.percent,
                    mean=matrix_row.mean,
                )
            )
    for item in results.ranking:
        lines.append(
            _line(
                label,
                answered,
                answer=item.label,
                mean_rank=item.mean_rank,
                first_places=item.first_place,
            )
        )
    for excerpt in results.excerpts:
        lines.append(_line(label, answered, excerpt=excerpt.text))
    yield from lines or [_line(label, answered)]


def summary_lines(results: SurveyResults) -> list[list[Any]]:
    survey = results.survey
    return [
        [_("Sondage"), survey.title],
        [_("Répondants"), results.respondents],
        [_("Ouverture"), local_time(survey.opens_at) if survey.opens_at else ""],
        [_("Fermeture"), local_time(survey.closes_at) if survey.closes_at else ""],
        [_("Résultats calculés le"), local_time(results.computed_at)],
    ]


def aggregate_table(results: SurveyResults) -> Iterator[list[Any]]:
    yield aggregate_headings()
    for question_results in results.questions:
        yield from question_lines(question_results)


def aggregate_csv(results: SurveyResults) -> ExportFile:
    rows = [*summary_lines(results), [], *aggregate_table(results)]
    return ExportFile(
        filename=results_filename(results.survey, "csv"),
        content_type=CSV_TYPE,
        content=csv_bytes(rows),
    )


def aggregate_xlsx(results: SurveyResults) -> ExportFile:
    """A summary sheet, then the results sheet: the CSV's two parts, numbers as numbers."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = _("Résumé")
    write_rows(summary, summary_lines(results))
    for (cell,) in summary.iter_rows(min_col=2, max_col=2):
        if isinstance(cell.value, datetime.datetime):
            cell.number_format = DATE_TIME_FORMAT
    summary.column_dimensions["A"].width = 24
    summary.column_dimensions["B"].width = 60
    sheet = workbook.create_sheet(_("Résultats"))
    write_rows(sheet, aggregate_table(results))
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["D"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ExportFile(
        filename=results_filename(results.survey, "xlsx"),
        content_type=XLSX_TYPE,
        content=buffer.getvalue(),
    )


# The raw responses -----------------------------------------------------------------------


def raw_questions(survey: Survey) -> list[Question]:
    """Every question, hidden ones too (their answers are part of the responses), in order."""
    return list(
        Question.objects.filter(survey=survey)
        .prefetch_related("choices")
        .order_by("section__position", "section_id", "position", "pk")
    )


def raw_headings(questions: list[Question]) -> list[str]:
    headings = [_("Numéro de réponse"), _("Soumise le"), _("Langue")]
    for question in questions:
        headings.extend(question.type.export_headers(question))
    return headings


def response_chunks(
    survey: Survey, *, until: datetime.datetime, chunk_size: int = RAW_CHUNK_SIZE
) -> Iterator[list[Response]]:
    """The responses submitted up to `until`, oldest first, `chunk_size` at a time with their
    answers: two queries a chunk, whatever the number of responses."""
    responses = (
        Response.objects.filter(survey=survey, submitted_at__lte=until)
        .only("pk", "submitted_at", "language", "survey_id")
        .order_by("submitted_at", "pk")
    )
    answers = Prefetch("answers", queryset=Answer.objects.select_related("choice").order_by("pk"))
    after: Response | None = None
    while True:
        page = responses
        if after is not None:
            page = page.filter(
                Q(submitted_at__gt=after.submitted_at)
                | Q(submitted_at=after.submitted_at, pk__gt=after.pk)
            )
        chunk = list(page[:chunk_size].prefetch_related(answers))
        if chunk:
            yield chunk
        if len(chunk) < chunk_size:
            return
        after = chunk[-1]


def raw_rows(
    survey: Survey,
    questions: list[Question],
    *,
    until: datetime.datetime,
    chunk_size: int = RAW_CHUNK_SIZE,
) -> Iterator[list[Any]]:
    """The heading row, then one row per response."""
    yield raw_headings(questions)
    widths = {question.pk: len(question.type.export_headers(question)) for question in questions}
    for chunk in response_chunks(survey, until=until, chunk_size=chunk_size):
        for response in chunk:
            by_question: dict[int, list[Answer]] = defaultdict(list)
            for answer in response.answers.all():
                by_question[answer.question_id].append(answer)
            row: list[Any] = [response.pk, local_time(response.submitted_at), response.language]
            for question in questions:
                given = by_question.get(question.pk)
                if given:
                    row.extend(question.type.export_cells(question, given))
                else:
                    row.extend([""] * widths[question.pk])
            yield row


def export_raw(
    *,
    survey: Survey,
    actor: User,
    file_format: FileFormat,
    chunk_size: int = RAW_CHUNK_SIZE,
) -> RawExport:
    """The survey's responses for `actor`, who needs `surveys.export_raw` on it; recorded in
    the audit log before the first byte leaves."""
    if not actor.has_perm("surveys.export_raw", survey):
        raise PermissionDenied(_("Vous ne pouvez pas exporter les réponses de ce sondage."))
    until = timezone.now()
    questions = raw_questions(survey)
    count = Response.objects.filter(survey=survey, submitted_at__lte=until).count()
    audit.record(
        actor=actor,
        action=RAW_EXPORTED,
        target=survey,
        details={"format": file_format, "responses": count},
    )
    rows = raw_rows(survey, questions, until=until, chunk_size=chunk_size)
    filename = f"{_('reponses')}-{survey.slug}-{timezone.localdate().isoformat()}"
    if file_format == "csv":
        return RawExport(f"{filename}.csv", CSV_TYPE, csv_stream(rows))
    return RawExport(f"{filename}.xlsx", XLSX_TYPE, xlsx_file(_("Réponses"), rows))
