"""The time axis of a chart: every period named when there is room, else a subset that keeps
the first and the last, never two labels over each other, and text that keeps its size
however wide the chart is drawn."""

import datetime
import itertools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from agora.core import charts
from agora.core.charts import (
    bar_chart,
    date_ticks,
    fitting_ticks,
    line_chart,
    percent_text,
    text_width_rem,
)
from agora.core.tests.html import Element, find, find_all, text_of

CHARTS_CSS = Path(charts.__file__).parents[1] / "static" / "core" / "charts.css"
MONTHS = ["jan.\n2026", "fév.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
          "nov.", "déc.\n2026"]  # fmt: skip


def bar_positions(count: int) -> list[float]:
    return [(index + 0.5) / count for index in range(count)]


def extents(labels: Sequence[str], positions: Sequence[float], chosen: Sequence[int],
            width_rem: float) -> list[tuple[float, float]]:  # fmt: skip
    """Where the chosen labels stand (rem): the first from the left edge, the last up to the
    right one, the others centred on their period."""
    found = []
    for index in chosen:
        length = text_width_rem(labels[index])
        if index == 0:
            left = 0.0
        elif index == len(labels) - 1:
            left = width_rem - length
        else:
            left = positions[index] * width_rem - length / 2
        found.append((left, left + length))
    return found


def monthly(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "title": "Répondants par mois",
        "categories": [f"{month} (mois entier)" for month in MONTHS],
        "values": [4, 9, 0, 3, 5, 8, 2, 6, 7, 1, 4, 9],
        "category_heading": "Mois",
        "value_heading": "Répondants",
        "ticks": MONTHS,
    }
    arguments.update(overrides)
    return arguments


def ticks_of(html: str) -> list[Element]:
    return find_all(html, "g", class_="agora-chart__tick")


def test_a_few_periods_are_all_named_at_every_width() -> None:
    html = bar_chart(**monthly(categories=MONTHS[:2], values=[4, 9], ticks=MONTHS[:2]))

    ticks = ticks_of(html)
    assert [text_of(find(tick, "text")) for tick in ticks] == [
        "jan.2026",
        "fév.",
    ]  # two lines: "jan." above "2026"
    assert all("agora-chart__tick--all" in tick["class"].split() for tick in ticks)


@pytest.mark.parametrize("width", charts.TICK_WIDTHS_REM)
def test_the_labels_shown_never_touch_and_keep_the_first_and_last(width: float) -> None:
    weeks = [f"{day} jan." for day in range(1, 53)]
    positions = bar_positions(len(weeks))

    chosen = fitting_ticks(weeks, positions, width)

    assert chosen[0] == 0
    assert chosen[-1] == len(weeks) - 1
    stands = extents(weeks, positions, chosen, width)
    assert all(left >= 0 and right <= width for left, right in stands)
    assert all(
        following[0] - previous[1] >= charts.LABEL_GAP_REM
        for previous, following in itertools.pairwise(stands)
    )


def test_a_wider_chart_names_more_periods_up_to_all_of_them() -> None:
    positions = bar_positions(len(MONTHS))

    shown = [len(fitting_ticks(MONTHS, positions, width)) for width in charts.TICK_WIDTHS_REM]

    assert shown == sorted(shown)
    assert shown[0] >= 2
    assert shown[-1] == len(MONTHS)  # every month on the widest chart


def test_each_label_says_at_which_widths_it_is_shown() -> None:
    html = bar_chart(**monthly())

    ticks = ticks_of(html)
    assert len(ticks) == len(MONTHS)  # each has room at some width
    positions = bar_positions(len(MONTHS))
    for tier, width in enumerate(charts.TICK_WIDTHS_REM):
        expected = [MONTHS[index] for index in fitting_ticks(MONTHS, positions, width)]
        shown = [
            MONTHS[ticks.index(tick)]
            for tick in ticks
            if {f"agora-chart__tick--{tier}", "agora-chart__tick--all"} & set(tick["class"].split())
        ]
        assert shown == expected
    assert find(ticks[0], "text")["text-anchor"] == "start"
    assert find(ticks[-1], "text")["text-anchor"] == "end"


def test_the_stylesheet_shows_the_labels_of_the_same_widths() -> None:
    css = CHARTS_CSS.read_text()

    queries = [float(width) for width in re.findall(r"@container \(min-width: ([\d.]+)rem\)", css)]
    assert queries == list(charts.TICK_WIDTHS_REM[1:])
    for tier in range(1, len(charts.TICK_WIDTHS_REM)):
        assert f".agora-chart__tick--{tier} {{ display: inline; }}" in css


def test_the_text_keeps_its_size_while_the_drawing_stretches() -> None:
    html = line_chart(**monthly())

    picture = find(html, "svg", class_="agora-chart__picture")
    assert "viewbox" not in picture.attrs  # no scale: its text is drawn at the page's size
    assert picture["width"] == "100%"
    drawing = find(picture, "svg")
    assert drawing["preserveaspectratio"] == "none"
    assert not find_all(drawing, "text")
    assert find(drawing, "polyline")["vector-effect"] == "non-scaling-stroke"


def test_a_share_is_written_in_percent_on_an_axis_up_to_100() -> None:
    html = line_chart(
        **monthly(
            categories=MONTHS[:3],
            ticks=MONTHS[:3],
            values=[82, 50.5, 0],
            value_heading="% de « Oui »",
        ),
        value_format=percent_text,
        scale_max=100,
    )

    picture = find(html, "svg", class_="agora-chart__picture")
    assert text_of(find_all(picture, "text")[0]) == "100 %"
    assert [text_of(td) for td in find_all(find(html, "tbody"), "td")] == ["82 %", "50,5 %", "0 %"]
    heights = [float(point.split(",")[1]) for point in find(html, "polyline")["points"].split()]
    assert heights == [18, 49.5, 100]  # from the top of the drawing, 100 % at 0


def test_the_ticks_need_one_label_per_period() -> None:
    with pytest.raises(ValueError, match="one tick label"):
        bar_chart(**monthly(ticks=MONTHS[:3]))


def test_a_period_s_year_is_written_below_the_first_the_last_and_each_new_year() -> None:
    months = [datetime.date(2025, month, 1) for month in (10, 11, 12)] + [
        datetime.date(2026, month, 1) for month in (1, 2, 3)
    ]

    with translation.override("fr"):
        ticks = date_ticks(months, "N")

    assert ticks == ["oct.\n2025", "nov.", "déc.", "jan.\n2026", "fév.", "mars\n2026"]


def test_a_label_of_two_lines_is_drawn_as_two_lines() -> None:
    html = bar_chart(**monthly())

    first = find(ticks_of(html)[0], "text")
    assert first.children[0] == "jan."
    year = find(first, "tspan")
    assert (text_of(year), year["x"], year["dy"]) == ("2026", first["x"], "1.2em")
