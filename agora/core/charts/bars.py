"""Bars a row each: a category's name in full above its bar, its value at the bar's end; and
bars of 100 % whose segments are the points of a scale (a Likert matrix)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agora.core.charts.figure import (
    INK,
    NARROWEST_REM,
    TEXT,
    WHITE,
    Series,
    coordinate,
    number_text,
    percent_text,
    text_width_rem,
)
from agora.core.colours import contrast_ratio

BAR_HEIGHT = 18
# The longest bar in print, in CSS pixels (12 cm), where a bar cannot be a share of the line.
PRINT_BAR_WIDTH = 454
STACK_HEIGHT = 28
# The room left at the end of the bars for their values, in characters: the `--room-N`
# classes of charts.css.
VALUE_ROOMS = (8, 12, 16, 20)

# A scale's points, lowest first: warm below the middle, grey at it, blue above. Each keeps
# white text at 4.5:1 or more, so that a segment can say its percentage.
SCALE_LOW = ("#7a3e00", "#b35900")
SCALE_MIDDLE = "#6b6b6b"
SCALE_HIGH = ("#173f6e", "#2f6fb0")


def bars(series: Series, texts: Sequence[str]) -> SafeString:
    """Each category's name above its bar, its value at the bar's end: the bars are as long
    as their share of the largest, in the width the list keeps beside its longest value."""
    longest = max((len(text) for text in texts), default=0)
    room = next((room for room in VALUE_ROOMS if room >= longest), VALUE_ROOMS[-1])
    items = format_html_join(
        "",
        '<li class="agora-bars__item"><span class="agora-bars__label">{}</span>'
        '<span class="agora-bars__line">{}<span class="agora-bars__value">{}</span></span></li>',
        (
            (category, _bar(series.share(value)), text)
            for category, value, text in zip(series.categories, series.values, texts, strict=True)
        ),
    )
    return format_html('<ul class="agora-bars agora-bars--room-{}">{}</ul>', room, items)


def _bar(share: float) -> SafeString:
    """A bar `share` (0 to 1) of the line long; none for nothing. Its viewBox gives it a
    length where a percentage width means nothing (the PDF report: `PRINT_BAR_WIDTH` at most)."""
    if share <= 0:
        return SafeString("")
    return format_html(
        '<svg class="agora-bars__bar" width="{}%" height="{}" viewBox="0 0 {} {}" '
        'preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        '<rect width="100%" height="100%" fill="{}"/></svg>',
        coordinate(100 * share),
        BAR_HEIGHT,
        coordinate(PRINT_BAR_WIDTH * share),
        BAR_HEIGHT,
        INK,
    )


def stacked(
    categories: Sequence[str], parts: Sequence[str], counts: Sequence[Sequence[int]]
) -> SafeString:
    """The legend of the parts, then a bar per category, its name above it."""
    colours = scale_colours(len(parts))
    rows = format_html_join(
        "",
        '<li class="agora-bars__item"><span class="agora-bars__label">{}</span>{}</li>',
        (
            (category, _stack(parts, colours, row_counts, whole_percents(row_counts)))
            for category, row_counts in zip(categories, counts, strict=True)
        ),
    )
    legend = format_html_join(
        "",
        '<li><svg class="agora-legend__key" width="14" height="14" aria-hidden="true" '
        'focusable="false"><rect width="14" height="14" fill="{}"/></svg>{}</li>',
        zip(colours, parts, strict=True),
    )
    return format_html(
        '<ul class="agora-legend">{}</ul><ul class="agora-bars agora-bars--stacked">{}</ul>',
        legend,
        rows,
    )


def _stack(
    parts: Sequence[str], colours: Sequence[str], counts: Sequence[int], shares: Sequence[int]
) -> SafeString:
    total = sum(counts)
    if not total:
        return format_html('<span class="agora-bars__none">{}</span>', _("Aucune réponse"))
    described = ", ".join(
        _("%(part)s : %(percent)s") % {"part": part, "percent": percent_text(share)}
        for part, share in zip(parts, shares, strict=True)
    )
    segments = []
    labels = []
    start = 0
    running = 0
    for colour, count, share in zip(colours, counts, shares, strict=True):
        running += count
        # Boundaries in hundredths of a percent, the last at 100 %: the widths add up to 100.
        end = round(10_000 * running / total)
        if end > start:
            segments.append(
                format_html(
                    '<rect x="{}%" width="{}%" height="{}" fill="{}" stroke="{}" '
                    'stroke-width="2"/>',
                    _hundredths(start),
                    _hundredths(end - start),
                    STACK_HEIGHT,
                    colour,
                    WHITE,
                )
            )
            text = percent_text(share)
            ink = _text_colour_on(colour)
            if ink and _fits(text, (end - start) / 10_000):
                labels.append(
                    format_html(
                        '<text x="{}%" y="{}" text-anchor="middle" fill="{}">{}</text>',
                        _hundredths((start + end) / 2),
                        STACK_HEIGHT / 2 + 5,
                        ink,
                        text,
                    )
                )
        start = end
    return format_html(
        '<svg class="agora-bars__stack" width="100%" height="{}" role="img" aria-label="{}">'
        "{}{}</svg>",
        STACK_HEIGHT,
        described,
        format_html_join("", "{}", ((segment,) for segment in segments)),
        format_html_join("", "{}", ((label,) for label in labels)),
    )


def whole_percents(counts: Sequence[int]) -> list[int]:
    """Each count's share in whole percents that add up to 100 (largest remainders first)."""
    total = sum(counts)
    if not total:
        return [0 for _count in counts]
    exact = [100 * count / total for count in counts]
    shares = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - shares[i], reverse=True)
    for index in by_remainder[: 100 - sum(shares)]:
        shares[index] += 1
    return shares


def count_and_percent(counts: Sequence[int], index: int) -> str:
    total = sum(counts)
    share = round(100 * counts[index] / total, 1) if total else 0.0
    return f"{number_text(counts[index])} ({percent_text(share)})"


def scale_colours(count: int) -> list[str]:
    """The colours of a scale of `count` points, lowest first."""
    low = _ramp(*SCALE_LOW, count // 2)
    high = _ramp(*SCALE_HIGH, count // 2)
    middle = [SCALE_MIDDLE] if count % 2 else []
    return [*low, *middle, *reversed(high)]


def _ramp(outer: str, inner: str, count: int) -> list[str]:
    """`count` colours from `outer` to `inner` (only `outer` for one)."""
    if count <= 1:
        return [outer][:count]
    return [_mix(outer, inner, step / (count - 1)) for step in range(count)]


def _mix(first: str, second: str, amount: float) -> str:
    channels = (
        round(int(first[i : i + 2], 16) * (1 - amount) + int(second[i : i + 2], 16) * amount)
        for i in (1, 3, 5)
    )
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def _text_colour_on(fill: str) -> str:
    """White or near-black text, whichever is readable (4.5:1) on `fill`; "" if neither."""
    for ink in (WHITE, TEXT):
        if contrast_ratio(ink, fill) >= 4.5:
            return ink
    return ""


def _fits(text: str, share: float) -> bool:
    """Whether `text` fits in a segment of `share` of the narrowest chart."""
    return text_width_rem(text) + 0.5 <= share * NARROWEST_REM


def _hundredths(value: float) -> str:
    return coordinate(value / 100, 2)
