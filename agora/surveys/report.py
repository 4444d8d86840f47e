"""A survey's results as a printable PDF report: the survey, its respondents and dates, then
each question with its chart and data table (matrix and ranking as tables), and the excerpts
staff published; the municipality's name and the page numbers on every page.

The report is HTML turned into PDF by WeasyPrint through the poster's `render_pdf`, which lets
WeasyPrint fetch nothing: the style is inline and the charts are HTML with inline SVG bars, so
no text typed by staff or residents can make the server open an address. Its numbers come from the same
`SurveyResults` as the results page and the CSV/XLSX files, so all of them agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agora.core.charts import bar_chart
from agora.core.exports import ExportFile
from agora.participation.poster import render_pdf
from agora.surveys.exports import results_filename

if TYPE_CHECKING:
    from django.http import HttpRequest

    from agora.surveys.questions.base import QuestionResults, Tally
    from agora.surveys.results import SurveyResults


@dataclass
class QuestionBlock:
    """What the report shows for one question."""

    results: QuestionResults
    chart: SafeString | None = None
    # The scale points of a matrix, its table's columns.
    scale: list[str] = field(default_factory=list)

    @property
    def has_numbers(self) -> bool:
        # As on the results page: a yes/no's mean is only a share, shown as its tallies.
        return self.results.mean is not None and self.results.minimum is not None


def chart_of(label: str, tallies: list[Tally]) -> SafeString | None:
    if not tallies:
        return None
    return bar_chart(
        title=label,
        categories=[tally.label for tally in tallies],
        values=[tally.count for tally in tallies],
        category_heading=_("Réponse"),
        value_heading=_("Nombre"),
        horizontal=True,
    )


def question_block(results: QuestionResults) -> QuestionBlock:
    scale = [tally.label for tally in results.matrix[0].tallies] if results.matrix else []
    return QuestionBlock(
        results=results, chart=chart_of(results.question.label, results.tallies), scale=scale
    )


def report_context(results: SurveyResults, *, municipality: str, public: bool) -> dict[str, Any]:
    return {
        "results": results,
        "survey": results.survey,
        "blocks": [question_block(question) for question in results.questions],
        "municipality": municipality,
        "private": not public,
    }


def report_pdf(
    results: SurveyResults,
    *,
    municipality: str,
    public: bool,
    request: HttpRequest | None = None,
) -> ExportFile:
    html = render_to_string(
        "surveys/report.html",
        report_context(results, municipality=municipality, public=public),
        request=request,
    )
    return ExportFile(
        filename=results_filename(results.survey, "pdf"),
        content_type="application/pdf",
        content=render_pdf(html),
    )
