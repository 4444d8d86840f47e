"""Charts drawn on the server: an SVG bar or line chart with the table of its data beside it.

No JavaScript and no third-party library: the chart is a picture of the table, which is what
screen readers, keyboards, printers and spreadsheets use. The picture is therefore hidden from
assistive technologies (the table says the same, exactly); the figure's caption names both.
Colours pass WCAG 2.1 AA contrast on white, and the drawing uses SVG attributes only, never
inline styles, so it also works under the public pages' strict security policy.

    bar_chart(title="Idées par semaine", categories=["6 janv.", "13 janv."], values=[4, 9],
              category_heading="Semaine", value_heading="Idées")

Every function returns safe HTML: `<figure class="agora-chart">` with the SVG and a
`<table class="agora-chart__table">` (pass `table_class` to use another class, the back
office's `listing` for instance). A table longer than `LONG_TABLE_ROWS` (a year of weeks)
folds into a `<details>` the reader opens, so that a page of charts stays readable; it works
without JavaScript and with the keyboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 640
HEIGHT = 240
MARGIN_LEFT = 48
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 32
ROW_HEIGHT = 28
LONG_TABLE_ROWS = 12
LABEL_WIDTH = 200
LABEL_CHARACTERS = 28
# 6.3:1 on white; axes 4.8:1.
INK = "#1f5c99"
AXIS = "#5f6368"


@dataclass(frozen=True)
class _Data:
    title: str
    categories: Sequence[str]
    values: Sequence[float]
    category_heading: str
    value_heading: str
    table_class: str
    data_label: str = ""

    def __post_init__(self) -> None:
        if len(self.categories) != len(self.values):
            raise ValueError("each category needs exactly one value")

    @property
    def top(self) -> float:
        """The value at the top of the axis: the largest, or 1 when all are zero."""
        return max([*self.values, 0]) or 1


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    values: Sequence[float],
    category_heading: str,
    value_heading: str,
    horizontal: bool = False,
    table_class: str = "agora-chart__table",
    data_label: str = "",
) -> SafeString:
    """Vertical bars for a series in time; `horizontal=True` for categories with long names
    (answers of a survey, themes), one labelled bar a row. `data_label` names the folded
    table of a long series ("Voir les données")."""
    data = _Data(
        title, categories, values, category_heading, value_heading, table_class, data_label
    )
    svg = _horizontal_bars(data) if horizontal else _vertical_bars(data)
    return _figure(data, svg)


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    values: Sequence[float],
    category_heading: str,
    value_heading: str,
    table_class: str = "agora-chart__table",
    data_label: str = "",
) -> SafeString:
    """A line through the values, for a total that grows over time."""
    data = _Data(
        title, categories, values, category_heading, value_heading, table_class, data_label
    )
    return _figure(data, _line(data))


def _figure(data: _Data, svg: SafeString) -> SafeString:
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td></tr>',
        (
            (category, _number(value))
            for category, value in zip(data.categories, data.values, strict=True)
        ),
    )
    table = format_html(
        '<table class="{}"><thead><tr><th scope="col">{}</th><th scope="col">{}</th></tr>'
        "</thead><tbody>{}</tbody></table>",
        data.table_class,
        data.category_heading,
        data.value_heading,
        rows,
    )
    if len(data.values) > LONG_TABLE_ROWS:
        table = format_html(
            '<details class="agora-chart__data"><summary>{}</summary>{}</details>',
            data.data_label or _("Voir les données"),
            table,
        )
    return format_html(
        '<figure class="agora-chart"><figcaption class="agora-chart__title">{}</figcaption>'
        "{}{}</figure>",
        data.title,
        svg,
        table,
    )


def _svg(height: float, content: SafeString) -> SafeString:
    return format_html(
        '<svg class="agora-chart__picture" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false" '
        'font-family="sans-serif" font-size="12">{}</svg>',
        WIDTH,
        _coordinate(height),
        content,
    )


def _plot_height() -> float:
    return HEIGHT - MARGIN_TOP - MARGIN_BOTTOM


def _plot_width() -> float:
    return WIDTH - MARGIN_LEFT - MARGIN_RIGHT


def _y(value: float, data: _Data) -> float:
    return MARGIN_TOP + _plot_height() * (1 - value / data.top)


def _axes(data: _Data) -> SafeString:
    """The value axis with 0 and the top value, the baseline, and the first and last
    categories under it."""
    bottom = MARGIN_TOP + _plot_height()
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            MARGIN_LEFT,
            _coordinate(bottom),
            WIDTH - MARGIN_RIGHT,
            _coordinate(bottom),
            AXIS,
        ),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            MARGIN_LEFT,
            MARGIN_TOP,
            MARGIN_LEFT,
            _coordinate(bottom),
            AXIS,
        ),
        _text(MARGIN_LEFT - 6, bottom + 4, _number(0), anchor="end"),
        _text(MARGIN_LEFT - 6, MARGIN_TOP + 4, _number(data.top), anchor="end"),
    ]
    if data.categories:
        parts.append(_text(MARGIN_LEFT, bottom + 20, data.categories[0], anchor="start"))
    if len(data.categories) > 1:
        parts.append(_text(WIDTH - MARGIN_RIGHT, bottom + 20, data.categories[-1], anchor="end"))
    return format_html_join("", "{}", ((part,) for part in parts))


def _vertical_bars(data: _Data) -> SafeString:
    count = max(len(data.values), 1)
    slot = _plot_width() / count
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        (
            (
                _coordinate(MARGIN_LEFT + slot * index + slot * 0.1),
                _coordinate(_y(value, data)),
                _coordinate(max(slot * 0.8, 1)),
                _coordinate(MARGIN_TOP + _plot_height() - _y(value, data)),
                INK,
            )
            for index, value in enumerate(data.values)
            if value > 0
        ),
    )
    return _svg(HEIGHT, format_html("{}{}", _axes(data), bars))


def _line(data: _Data) -> SafeString:
    count = len(data.values)
    step = _plot_width() / (count - 1) if count > 1 else 0
    points = [
        (MARGIN_LEFT + step * index if count > 1 else MARGIN_LEFT + _plot_width() / 2, _y(v, data))
        for index, v in enumerate(data.values)
    ]
    line = format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
        " ".join(f"{_coordinate(x)},{_coordinate(y)}" for x, y in points),
        INK,
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
        ((_coordinate(x), _coordinate(y), INK) for x, y in points),
    )
    return _svg(HEIGHT, format_html("{}{}{}", _axes(data), line, dots))


def _horizontal_bars(data: _Data) -> SafeString:
    bar_area = WIDTH - LABEL_WIDTH - MARGIN_RIGHT - 48
    rows = []
    for index, (category, value) in enumerate(zip(data.categories, data.values, strict=True)):
        top = MARGIN_TOP + index * ROW_HEIGHT
        width = bar_area * value / data.top
        rows.append(_text(LABEL_WIDTH - 8, top + 17, _shorten(category), anchor="end"))
        if width > 0:
            rows.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    LABEL_WIDTH,
                    _coordinate(top + 4),
                    _coordinate(max(width, 1)),
                    ROW_HEIGHT - 8,
                    INK,
                )
            )
        rows.append(_text(LABEL_WIDTH + width + 6, top + 17, _number(value), anchor="start"))
    height = MARGIN_TOP * 2 + ROW_HEIGHT * max(len(data.values), 1)
    return _svg(height, format_html_join("", "{}", ((row,) for row in rows)))


def _text(x: float, y: float, text: str, *, anchor: str) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" fill="currentColor">{}</text>',
        _coordinate(x),
        _coordinate(y),
        anchor,
        text,
    )


def _shorten(text: str) -> str:
    return text if len(text) <= LABEL_CHARACTERS else f"{text[: LABEL_CHARACTERS - 1]}…"


def _coordinate(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _number(value: float) -> str:
    shown = int(value) if float(value).is_integer() else value
    return str(number_format(shown, force_grouping=True))
