"""Charts drawn on the server, each with the table of its data: no JavaScript, no library,
and text that keeps its size on a 360 px phone (it never shrinks with the picture).

- `bar_chart(horizontal=True)`: categories with long names (answers of a survey, themes), a
  row each: the name in full above its bar, the value at the bar's end. Names and values are
  HTML text; each bar is a small SVG as wide as its share of the largest value (`bars.py`).
- `bar_chart()`, `line_chart()`: a series in time, in an SVG without a viewBox, placed in
  percentages across and in pixels down, so that its text keeps its size at any width. The
  time axis names every period it has room for: the server works out which labels fit at a
  few widths (`TICK_WIDTHS_REM`) and charts.css shows the set for the chart's own width (a
  container query; a browser without them shows the set of the narrowest) (`time_axis.py`).
- `stacked_bar_chart()`: a Likert matrix, one bar of 100 % per statement and a segment per
  point of its scale, with a legend, and the percentages in words for screen readers
  (`bars.py`).

The table says the same, exactly; it is what keyboards, screen readers, printers and
spreadsheets use. It folds into a `<details>` ("Voir les données") the reader opens, within a
region that scrolls sideways on its own (focusable, its first column fixed), so that a page
of charts stays short and never wider than the phone. The SVG pictures are hidden from
assistive technologies; the names, values and table say the same. Colours pass WCAG 2.1 AA
contrast on white, and the drawing uses attributes and classes, never inline styles, so it
works under the public pages' strict security policy. A page that shows charts links
`core/charts.css`.

    bar_chart(title="Idées par semaine", categories=["6 janv.", "13 janv."], values=[4, 9],
              category_heading="Semaine", value_heading="Idées")

Every function returns safe HTML, `<figure class="agora-chart">`, captioned by its title unless
`labelled_by` names the heading that already says it on the page (`figure.py`). The table has
the class `agora-chart__table` (pass `table_class` for another, the back office's `listing` for
instance).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.safestring import SafeString

from agora.core.charts.bars import bars, count_and_percent, scale_colours, stacked
from agora.core.charts.figure import (
    TABLE_CLASS,
    Column,
    Series,
    figure,
    number_text,
    percent_text,
    table,
    text_width_rem,
)
from agora.core.charts.time_axis import (
    LABEL_GAP_REM,
    TICK_WIDTHS_REM,
    date_ticks,
    fitting_ticks,
    time_axis,
)

__all__ = [
    "LABEL_GAP_REM",
    "TICK_WIDTHS_REM",
    "Column",
    "bar_chart",
    "date_ticks",
    "fitting_ticks",
    "line_chart",
    "number_text",
    "percent_text",
    "scale_colours",
    "stacked_bar_chart",
    "text_width_rem",
]


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    values: Sequence[float],
    category_heading: str,
    value_heading: str,
    horizontal: bool = False,
    value_texts: Sequence[str] | None = None,
    columns: Sequence[Column] = (),
    ticks: Sequence[str] | None = None,
    value_format: Callable[[float], str] | None = None,
    scale_max: float | None = None,
    labelled_by: str = "",
    table_class: str = TABLE_CLASS,
    data_label: str = "",
) -> SafeString:
    """Vertical bars for a series in time; `horizontal=True` for categories with long names
    (answers of a survey, themes): each name in full above its bar, and at the bar's end its
    value, or its `value_texts` ("234 (43,3 %)").

    `ticks` are the time axis's short labels (the categories by default; a line break
    starts a second line, see `date_ticks`), `value_format` writes each number
    (`percent_text` for percentages), `scale_max` is the top of the value axis (the largest
    value by default). The table has a column of the values, then
    `columns`; `data_label` is the summary that opens it ("Voir les données"). `labelled_by`
    is the id of the heading that already names the chart on the page: the figure shows no
    caption of its own."""
    series = Series(categories, values, scale_max)
    write = value_format or number_text
    if horizontal:
        texts = list(value_texts) if value_texts is not None else [write(v) for v in values]
        picture = bars(series, texts)
    else:
        picture = time_axis(series, ticks or categories, write, line=False)
    data = table(
        title=title,
        category_heading=category_heading,
        categories=categories,
        columns=[Column(value_heading, [write(v) for v in values]), *columns],
        table_class=table_class,
        data_label=data_label,
    )
    return figure(title=title, labelled_by=labelled_by, picture=picture, table=data)


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    values: Sequence[float],
    category_heading: str,
    value_heading: str,
    ticks: Sequence[str] | None = None,
    value_format: Callable[[float], str] | None = None,
    scale_max: float | None = None,
    labelled_by: str = "",
    table_class: str = TABLE_CLASS,
    data_label: str = "",
) -> SafeString:
    """A line through the values, for a total or a share that changes over time; the
    arguments are those of `bar_chart`."""
    series = Series(categories, values, scale_max)
    write = value_format or number_text
    data = table(
        title=title,
        category_heading=category_heading,
        categories=categories,
        columns=[Column(value_heading, [write(v) for v in values])],
        table_class=table_class,
        data_label=data_label,
    )
    picture = time_axis(series, ticks or categories, write, line=True)
    return figure(title=title, labelled_by=labelled_by, picture=picture, table=data)


def stacked_bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    parts: Sequence[str],
    counts: Sequence[Sequence[int]],
    category_heading: str,
    columns: Sequence[Column] = (),
    labelled_by: str = "",
    table_class: str = TABLE_CLASS,
    data_label: str = "",
) -> SafeString:
    """One bar of 100 % per category (a Likert matrix's statements), a segment per part (its
    scale's points, lowest first) sized by `counts[category][part]`. A legend names the parts;
    each bar says its percentages in words to screen readers, and in its segments wide
    enough for them. The table gives each part's count and percentage, then `columns`."""
    if any(len(row) != len(parts) for row in counts) or len(counts) != len(categories):
        raise ValueError("each category needs exactly one count per part")
    picture = stacked(categories, parts, counts)
    data = table(
        title=title,
        category_heading=category_heading,
        categories=categories,
        columns=[
            Column(part, [count_and_percent(row, index) for row in counts])
            for index, part in enumerate(parts)
        ]
        + list(columns),
        table_class=table_class,
        data_label=data_label,
    )
    return figure(title=title, labelled_by=labelled_by, picture=picture, table=data)
