"""How each question's results are drawn on the results pages: charts from
`agora.core.charts` (bars named in full, a matrix as bars of 100 %), each with the table of
its data (counts and percentages), and the trends of continuous surveys.

The templates (`surveys/includes/results_question.html`) decide nothing: they show what
`question_display` prepared, whatever the question's type.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agora.core import charts
from agora.core.maps import FeatureCollection, feature_collection, point_feature
from agora.surveys.questions.base import MatrixRow, QuestionResults, Tally
from agora.surveys.results import WEEK, Breakdown, ChoiceTrend, LabelNote, MeanTrend, Trends


def percent_label(value: float) -> str:
    """ "33,3 %" in French, "33.3%" in English."""
    return charts.percent_text(value)


def number_label(value: float | None) -> str:
    if value is None:
        return "—"
    shown = int(value) if float(value).is_integer() else round(value, 2)
    return str(formats.number_format(shown, force_grouping=True))


def tally_figure(
    *,
    title: str,
    tallies: list[Tally],
    category_heading: str,
    value_heading: str = "",
    labelled_by: str = "",
) -> SafeString:
    """A bar per answer, named in full, its count and percentage at its end; the table has
    the counts and the percentages."""
    return charts.bar_chart(
        title=title,
        categories=[tally.label for tally in tallies],
        values=[tally.count for tally in tallies],
        category_heading=category_heading,
        value_heading=value_heading or _("Répondants"),
        horizontal=True,
        value_texts=[_count_and_share(tally) for tally in tallies],
        columns=[charts.Column(_("Pourcentage"), [percent_label(t.percent) for t in tallies])],
        labelled_by=labelled_by,
    )


def _count_and_share(tally: Tally) -> str:
    return f"{number_label(tally.count)} ({percent_label(tally.percent)})"


@dataclass
class QuestionDisplay:
    """One question's results ready for the page."""

    results: QuestionResults
    # The answers' bars, or a matrix's bars of 100 %, each with its table.
    chart: SafeString | None = None
    ranking_rows: list[tuple[str, str, str]] = field(default_factory=list)
    # Mean, minimum and maximum of numbers (not of yes/no, whose mean is its "yes" share).
    stats: list[tuple[str, str]] = field(default_factory=list)
    map_features: FeatureCollection | None = None
    # Its choices' labels changed since the first response ("Libellé corrigé le …").
    label_notes: Sequence[LabelNote] = ()

    @property
    def heading_id(self) -> str:
        """The id of the question's heading, which also names its chart."""
        return f"question-{self.results.question.pk}"

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


def question_display(
    results: QuestionResults, label_notes: Sequence[LabelNote] = ()
) -> QuestionDisplay:
    question = results.question
    display = QuestionDisplay(results=results, label_notes=label_notes)
    if results.tallies:
        display.chart = tally_figure(
            title=question.label,
            tallies=results.tallies,
            category_heading=_("Réponse"),
            labelled_by=display.heading_id,
        )
    if results.matrix:
        display.chart = matrix_figure(
            title=question.label, matrix=results.matrix, labelled_by=display.heading_id
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


def matrix_figure(*, title: str, matrix: list[MatrixRow], labelled_by: str = "") -> SafeString:
    """A bar of 100 % per statement, a segment per point of the scale; the table adds each
    statement's mean and the number who rated it."""
    return charts.stacked_bar_chart(
        title=title,
        categories=[row.label for row in matrix],
        parts=[tally.label for tally in matrix[0].tallies],
        counts=[[tally.count for tally in row.tallies] for row in matrix],
        category_heading=_("Énoncé"),
        columns=[
            charts.Column(_("Moyenne"), [number_label(row.mean) for row in matrix]),
            charts.Column(_("Ont répondu"), [number_label(row.answered) for row in matrix]),
        ],
        labelled_by=labelled_by,
    )


# Trends ----------------------------------------------------------------------------------


def period_label(day: datetime.date, period: str) -> str:
    if period == WEEK:
        return _("Semaine du %(date)s") % {"date": formats.date_format(day, "SHORT_DATE_FORMAT")}
    return str(formats.date_format(day, "YEAR_MONTH_FORMAT"))


def period_ticks(days: list[datetime.date], period: str) -> list[str]:
    """The periods' short names on a time axis: "5 jan." for a week, "jan." for a month,
    with the year below the first, the last and each January."""
    return charts.date_ticks(days, "j N" if period == WEEK else "N")


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
    ticks = period_ticks(trends.periods, trends.period)
    heading = _("Semaine") if trends.period == WEEK else _("Mois")
    respondents = charts.bar_chart(
        title=_("Répondants par semaine") if trends.period == WEEK else _("Répondants par mois"),
        categories=labels,
        values=trends.respondents,
        category_heading=heading,
        value_heading=_("Répondants"),
        ticks=ticks,
    )
    mean_charts = [mean_chart(mean, trends) for mean in trends.means]
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
                ticks=ticks,
                value_format=percent_label,
                scale_max=100,
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


def mean_chart(mean: MeanTrend, trends: Trends) -> SafeString:
    """A question's mean per period; for a yes/no question, whose mean is the share of
    "Oui", that share in percent ("82 %", not 0,82)."""
    # A period without an answer has no mean: it is left out rather than drawn at zero.
    kept = [
        (day, value)
        for day, value in zip(trends.periods, mean.means, strict=True)
        if value is not None
    ]
    days = [day for day, _value in kept]
    values = [value for _day, value in kept]
    categories = [period_label(day, trends.period) for day in days]
    heading = _("Semaine") if trends.period == WEEK else _("Mois")
    question = mean.question
    answer = question.type.trend_share_of
    if answer:
        return charts.line_chart(
            title=_("Part de « %(answer)s » par période : %(question)s")
            % {"answer": answer, "question": question.label},
            categories=categories,
            values=[round(100 * value, 1) for value in values],
            category_heading=heading,
            value_heading=_("%% de « %(answer)s »") % {"answer": answer},
            ticks=period_ticks(days, trends.period),
            value_format=percent_label,
            scale_max=100,
        )
    return charts.line_chart(
        title=_("Moyenne par période : %(question)s") % {"question": question.label},
        categories=categories,
        values=values,
        category_heading=heading,
        value_heading=_("Moyenne"),
        ticks=period_ticks(days, trends.period),
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
