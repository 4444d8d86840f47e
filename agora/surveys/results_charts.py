"""How each question's results are drawn on the results pages: accessible SVG charts from
`agora.core.charts`, each beside the table of its data (counts and percentages), and the
trends of continuous surveys.

The templates (`surveys/includes/results_question.html`) decide nothing: they show what
`question_display` prepared, whatever the question's type.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Protocol

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agora.core import charts
from agora.core.maps import FeatureCollection, feature_collection, point_feature
from agora.surveys.questions.base import QuestionResults, Tally
from agora.surveys.results import WEEK, Breakdown, ChoiceTrend, Trends


def percent_label(value: float) -> str:
    """ "33,3 %" in French, "33.3%" in English."""
    shown = int(value) if float(value).is_integer() else value
    return _("%(percent)s %%") % {"percent": formats.number_format(shown, decimal_pos=None)}


def number_label(value: float | None) -> str:
    if value is None:
        return "—"
    shown = int(value) if float(value).is_integer() else round(value, 2)
    return str(formats.number_format(shown, force_grouping=True))


def tally_figure(
    *, title: str, tallies: list[Tally], category_heading: str, value_heading: str = ""
) -> SafeString:
    """Horizontal bars of the counts, with a table of counts and percentages."""
    # charts.bar_chart's table has one value column; this one adds the percentages, and
    # draws the same picture (a public option in charts.py would spare the private names).
    data = charts._Data(
        title=title,
        categories=[tally.label for tally in tallies],
        values=[tally.count for tally in tallies],
        category_heading=category_heading,
        value_heading=value_heading or _("Répondants"),
        table_class="agora-chart__table",
    )
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
        (
            (tally.label, number_label(tally.count), percent_label(tally.percent))
            for tally in tallies
        ),
    )
    table = format_html(
        '<table class="agora-chart__table"><thead><tr><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        category_heading,
        data.value_heading,
        _("Pourcentage"),
        rows,
    )
    if len(tallies) > charts.LONG_TABLE_ROWS:
        table = format_html(
            '<details class="agora-chart__data"><summary>{}</summary>{}</details>',
            _("Voir les données"),
            table,
        )
    return format_html(
        '<figure class="agora-chart"><figcaption class="agora-chart__title">{}</figcaption>'
        "{}{}</figure>",
        title,
        charts._horizontal_bars(data),
        table,
    )


def _count_and_share(tally: Tally) -> str:
    return f"{number_label(tally.count)} ({percent_label(tally.percent)})"


@dataclass
class QuestionDisplay:
    """One question's results ready for the page."""

    results: QuestionResults
    chart: SafeString | None = None
    matrix_chart: SafeString | None = None
    # The matrix's scale points, its table's column headings.
    scale: list[str] = field(default_factory=list)
    # Each row of a matrix: its label, "count (percent)" per scale point, mean, answered.
    matrix_rows: list[tuple[str, list[str], str, str]] = field(default_factory=list)
    ranking_rows: list[tuple[str, str, str]] = field(default_factory=list)
    # Mean, minimum and maximum of numbers (not of yes/no, whose mean is its "yes" share).
    stats: list[tuple[str, str]] = field(default_factory=list)
    map_features: FeatureCollection | None = None

    @property
    def map_id(self) -> str:
        return f"carte-question-{self.results.question.pk}"

    @property
    def open_text(self) -> bool:
        return bool(self.results.question.type.open_text)

    @property
    def has_figures(self) -> bool:
        result = self.results
        return bool(
            result.tallies
            or result.matrix
            or result.ranking
            or result.points
            or result.mean is not None
        )


def question_display(results: QuestionResults) -> QuestionDisplay:
    question = results.question
    display = QuestionDisplay(results=results)
    if results.tallies:
        display.chart = tally_figure(
            title=question.label, tallies=results.tallies, category_heading=_("Réponse")
        )
    if results.matrix:
        display.scale = [tally.label for tally in results.matrix[0].tallies]
        display.matrix_rows = [
            (
                row.label,
                [_count_and_share(tally) for tally in row.tallies],
                number_label(row.mean),
                number_label(row.answered),
            )
            for row in results.matrix
        ]
        display.matrix_chart = charts.bar_chart(
            title=_("Moyenne par énoncé : %(question)s") % {"question": question.label},
            categories=[row.label for row in results.matrix],
            values=[row.mean or 0 for row in results.matrix],
            category_heading=_("Énoncé"),
            value_heading=_("Moyenne"),
            horizontal=True,
        )
    display.ranking_rows = [
        (item.label, number_label(item.mean_rank), number_label(item.first_place))
        for item in results.ranking
    ]
    if results.mean is not None and results.minimum is not None:
        display.stats = [
            (_("Moyenne"), number_label(results.mean)),
            (_("Minimum"), number_label(results.minimum)),
            (_("Maximum"), number_label(results.maximum)),
        ]
    if results.points:
        display.map_features = feature_collection(
            [
                point_feature(latitude=latitude, longitude=longitude, title=question.label)
                for latitude, longitude in results.points
            ]
        )
    return display


# Trends ----------------------------------------------------------------------------------


def period_label(day: datetime.date, period: str) -> str:
    if period == WEEK:
        return _("Semaine du %(date)s") % {"date": formats.date_format(day, "SHORT_DATE_FORMAT")}
    return str(formats.date_format(day, "YEAR_MONTH_FORMAT"))


@dataclass
class ChoiceTrendDisplay:
    trend: ChoiceTrend
    chart: SafeString | None
    rows: list[tuple[str, list[str], int]]


@dataclass
class TrendsDisplay:
    trends: Trends
    respondents_chart: SafeString
    mean_charts: list[SafeString]
    choice_trends: list[ChoiceTrendDisplay]


def trends_display(trends: Trends) -> TrendsDisplay:
    labels = [period_label(day, trends.period) for day in trends.periods]
    heading = _("Semaine") if trends.period == WEEK else _("Mois")
    respondents = charts.bar_chart(
        title=_("Répondants par semaine") if trends.period == WEEK else _("Répondants par mois"),
        categories=labels,
        values=trends.respondents,
        category_heading=heading,
        value_heading=_("Répondants"),
    )
    mean_charts = []
    for mean in trends.means:
        # A period without an answer has no mean: it is left out rather than drawn at zero.
        shown = [(label, value) for label, value in zip(labels, mean.means, strict=True)]
        kept = [(label, value) for label, value in shown if value is not None]
        mean_charts.append(
            charts.line_chart(
                title=_("Moyenne par période : %(question)s") % {"question": mean.question.label},
                categories=[label for label, _value in kept],
                values=[value for _label, value in kept if value is not None],
                category_heading=heading,
                value_heading=_("Moyenne"),
            )
        )
    choice_trends = []
    for trend in trends.choices:
        leading = trend.leading
        chart = None
        if leading is not None:
            chart = charts.line_chart(
                title=_("Part de « %(choice)s » (la réponse la plus fréquente) : %(question)s")
                % {"choice": trend.labels[leading], "question": trend.question.label},
                categories=labels,
                values=[row[leading] for row in trend.shares],
                category_heading=heading,
                value_heading=_("Pourcentage"),
            )
        rows = [
            (label, [percent_label(share) for share in shares], answered)
            for label, shares, answered in zip(labels, trend.shares, trend.answered, strict=True)
        ]
        choice_trends.append(ChoiceTrendDisplay(trend=trend, chart=chart, rows=rows))
    return TrendsDisplay(
        trends=trends,
        respondents_chart=respondents,
        mean_charts=mean_charts,
        choice_trends=choice_trends,
    )


# Segments --------------------------------------------------------------------------------


@dataclass
class BreakdownTable:
    """One question compared across the segments shown: a row per answer, a column per
    segment."""

    caption: str
    row_heading: str
    rows: list[tuple[str, list[str]]]


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


def _by_label[Item: _Labelled](
    per_segment: list[list[Item]],
) -> list[tuple[str, list[Item | None]]]:
    """Each label that any segment has, in the order first met, with each segment's item of
    that label (None where the segment has none)."""
    labels = dict.fromkeys(item.label for items in per_segment for item in items)
    return [
        (
            label,
            [next((item for item in items if item.label == label), None) for items in per_segment],
        )
        for label in labels
    ]


def breakdown_tables(breakdown: Breakdown) -> list[BreakdownTable]:
    shown = breakdown.shown
    if not shown:
        return []
    tables = []
    for index, question in enumerate(breakdown.questions):
        per_segment = [segment.questions[index] for segment in shown]
        rows: list[tuple[str, list[str]]] = []
        first = per_segment[0]
        if first.tallies:
            for label, tallies in _by_label([result.tallies for result in per_segment]):
                cells = [_count_and_share(tally or Tally(label, 0, 0.0)) for tally in tallies]
                rows.append((label, cells))
        elif first.matrix:
            for label, matrix_rows in _by_label([result.matrix for result in per_segment]):
                means = [row.mean if row is not None else None for row in matrix_rows]
                rows.append(
                    (_("%(row)s (moyenne)") % {"row": label}, [number_label(m) for m in means])
                )
        elif first.ranking:
            for label, items in _by_label([result.ranking for result in per_segment]):
                ranks = [item.mean_rank if item is not None else None for item in items]
                rows.append(
                    (_("%(item)s (rang moyen)") % {"item": label}, [number_label(r) for r in ranks])
                )
        elif any(result.mean is not None for result in per_segment):
            rows.append((_("Moyenne"), [number_label(result.mean) for result in per_segment]))
        rows.append((_("Ont répondu"), [number_label(result.answered) for result in per_segment]))
        tables.append(BreakdownTable(caption=question.label, row_heading=_("Réponse"), rows=rows))
    return tables
