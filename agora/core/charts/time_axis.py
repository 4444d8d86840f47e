"""A series in time: bars or a line over the periods, in an SVG without a viewBox, so that its
text keeps its size at any width (the drawing itself stretches, in a nested SVG). The axis
names every period it has room for: the labels that fit at each of `TICK_WIDTHS_REM` carry
its class, and charts.css shows those of the widest width the chart reaches (a container
query; a browser without them shows the narrowest's)."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Sequence

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from agora.core.charts.figure import INK, NARROWEST_REM, Series, coordinate, text_width_rem

# The axis 6:1 on white; the grid line is decoration.
AXIS = "#5f6368"
GRID = "#c4c7cc"
# In CSS pixels down; across, everything is a percentage of the width.
HEIGHT = 200
PLOT_TOP = 28
BASELINE = 148
TICK_Y = 170
# The first and last points of a line stand this far (a fraction of the width) from the edges.
LINE_INSET = 0.02
# A line marks each of its points when it has this many or fewer.
DOTS_UP_TO = 36
# The widths (rem) from which the axis shows more of its labels: charts.css holds the same
# list in its container queries.
TICK_WIDTHS_REM = (NARROWEST_REM, 20, 25, 30, 40, 48)
# The space kept between two labels (rem).
LABEL_GAP_REM = 0.75


def time_axis(
    series: Series, ticks: Sequence[str], write: Callable[[float], str], *, line: bool
) -> SafeString:
    """Bars or a line over the periods, the top of the value axis written above it and the
    periods' labels below it. The drawing stretches (a nested SVG without its proportions);
    the text, outside it, keeps its size."""
    if len(ticks) != len(series.values):
        raise ValueError("each category needs exactly one tick label")
    count = len(series.values)
    if line:
        positions = [
            LINE_INSET + (1 - 2 * LINE_INSET) * index / (count - 1) if count > 1 else 0.5
            for index in range(count)
        ]
    else:
        positions = [(index + 0.5) / count for index in range(count)]
    heights = [series.share(value) for value in series.values]
    drawing = _line(positions, heights) if line else _columns(heights)
    parts = [
        format_html('<text x="0" y="{}">{}</text>', PLOT_TOP - 10, write(series.top)),
        format_html(
            '<line x1="0" y1="{}" x2="100%" y2="{}" stroke="{}" stroke-dasharray="4 4"/>',
            PLOT_TOP,
            PLOT_TOP,
            GRID,
        ),
        format_html(
            '<svg y="{}" width="100%" height="{}" viewBox="0 0 100 100" '
            'preserveAspectRatio="none" overflow="visible">{}</svg>',
            PLOT_TOP,
            BASELINE - PLOT_TOP,
            drawing,
        ),
        format_html(
            '<line x1="0" y1="{}" x2="100%" y2="{}" stroke="{}"/>', BASELINE, BASELINE, AXIS
        ),
    ]
    if line and count <= DOTS_UP_TO:
        parts.extend(
            format_html(
                '<circle cx="{}%" cy="{}" r="3.5" fill="{}"/>',
                coordinate(100 * position),
                coordinate(BASELINE - (BASELINE - PLOT_TOP) * height),
                INK,
            )
            for position, height in zip(positions, heights, strict=True)
        )
    parts.append(_ticks(ticks, positions))
    return format_html(
        '<svg class="agora-chart__picture" width="100%" height="{}" aria-hidden="true" '
        'focusable="false">{}</svg>',
        HEIGHT,
        format_html_join("", "{}", ((part,) for part in parts)),
    )


def _columns(heights: Sequence[float]) -> SafeString:
    slot = 100 / max(len(heights), 1)
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        (
            (
                coordinate(slot * (index + 0.15), 3),
                coordinate(100 * (1 - height), 3),
                coordinate(slot * 0.7, 3),
                coordinate(100 * height, 3),
                INK,
            )
            for index, height in enumerate(heights)
            if height > 0
        ),
    )


def _line(positions: Sequence[float], heights: Sequence[float]) -> SafeString:
    points = " ".join(
        f"{coordinate(100 * x, 3)},{coordinate(100 * (1 - y), 3)}"
        for x, y in zip(positions, heights, strict=True)
    )
    return format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
        'stroke-linejoin="round" vector-effect="non-scaling-stroke"/>',
        points,
        INK,
    )


def _ticks(labels: Sequence[str], positions: Sequence[float]) -> SafeString:
    """The periods' labels, each with its mark on the axis. A label carries the classes of
    the widths at which it is shown (`agora-chart__tick--N`), or `--all`; charts.css shows
    those of the widest width the chart reaches."""
    shown_at: list[list[int]] = [[] for _label in labels]
    for tier, width in enumerate(TICK_WIDTHS_REM):
        for index in fitting_ticks(labels, positions, width):
            shown_at[index].append(tier)
    count = len(labels)
    marks = []
    for index, (label, position, tiers) in enumerate(zip(labels, positions, shown_at, strict=True)):
        if not tiers:
            continue
        if len(tiers) == len(TICK_WIDTHS_REM):
            classes = "agora-chart__tick--all"
        else:
            classes = " ".join(f"agora-chart__tick--{tier}" for tier in tiers)
        anchor, x = _anchor(index, count, position)
        first, *more = label.split("\n")
        marks.append(
            format_html(
                '<g class="agora-chart__tick {}"><line x1="{}%" y1="{}" x2="{}%" y2="{}" '
                'stroke="{}"/><text x="{}%" y="{}" text-anchor="{}">{}{}</text></g>',
                classes,
                coordinate(100 * position),
                BASELINE,
                coordinate(100 * position),
                BASELINE + 6,
                AXIS,
                coordinate(100 * x),
                TICK_Y,
                anchor,
                first,
                format_html_join(
                    "",
                    '<tspan x="{}%" dy="1.2em">{}</tspan>',
                    ((coordinate(100 * x), line) for line in more),
                ),
            )
        )
    return format_html_join("", "{}", ((mark,) for mark in marks))


def date_ticks(days: Sequence[datetime.date], day_format: str) -> list[str]:
    """The short names of periods on a time axis, each day in `day_format` ("j N" for weeks:
    "5 jan."; "N" for months: "jan."), with its year on a second line under the first, the
    last and each whose year is not the one before's."""
    ticks = []
    for index, day in enumerate(days):
        name = str(date_format(day, day_format))
        if index in (0, len(days) - 1) or day.year != days[index - 1].year:
            name = f"{name}\n{day.year}"
        ticks.append(name)
    return ticks


def fitting_ticks(labels: Sequence[str], positions: Sequence[float], width_rem: float) -> list[int]:
    """The labels a time axis `width_rem` wide shows: every one that has room, else every
    second, every third… always with the first and the last; the first alone when even
    those two would touch. `positions` place the periods, from 0 (left) to 1 (right)."""
    count = len(labels)
    if count <= 1:
        return list(range(count))
    for step in range(1, count):
        chosen = list(range(0, count, step))
        if chosen[-1] != count - 1:
            chosen.append(count - 1)
            if len(chosen) > 2 and not _apart(labels, positions, width_rem, chosen[-2], chosen[-1]):
                del chosen[-2]
        if len(chosen) >= 2 and all(
            _apart(labels, positions, width_rem, left, right)
            for left, right in itertools.pairwise(chosen)
        ):
            return chosen
    return [0]


def _anchor(index: int, count: int, position: float) -> tuple[str, float]:
    """How a label stands by its period: the first starts at the left edge, the last ends at
    the right one, the others are centred on theirs."""
    if count == 1:
        return "middle", position
    if index == 0:
        return "start", 0.0
    if index == count - 1:
        return "end", 1.0
    return "middle", position


def _extent(
    label: str, index: int, count: int, position: float, width_rem: float
) -> tuple[float, float]:
    """Where a label stands across the axis, in rem."""
    length = text_width_rem(label)
    anchor, x = _anchor(index, count, position)
    left = {"start": x * width_rem, "end": x * width_rem - length}.get(
        anchor, x * width_rem - length / 2
    )
    return left, left + length


def _apart(
    labels: Sequence[str], positions: Sequence[float], width_rem: float, left: int, right: int
) -> bool:
    count = len(labels)
    _start, end = _extent(labels[left], left, count, positions[left], width_rem)
    start, _end = _extent(labels[right], right, count, positions[right], width_rem)
    return start - end >= LABEL_GAP_REM
