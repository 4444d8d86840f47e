"""What every chart shares: its figure and its table, its numbers, and the measures of its
text, which charts.css draws at `TEXT_REM` whatever the width."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

TABLE_CLASS = "agora-chart__table"
# 6.9:1 on white.
INK = "#1f5c99"
TEXT = "#1b1b1b"
WHITE = "#ffffff"
# The size of a chart's text (rem, in charts.css), a character's width at most (em), and the
# narrowest chart expected (rem: a 320 px phone, or an embedded frame).
TEXT_REM = 0.875
CHARACTER_EM = 0.62
NARROWEST_REM = 15


@dataclass(frozen=True)
class Column:
    """A column of a chart's table: its heading and one cell per category."""

    heading: str
    cells: Sequence[str]


@dataclass(frozen=True)
class Series:
    """The values a chart draws, one per category, on an axis from 0 to its top."""

    categories: Sequence[str]
    values: Sequence[float]
    scale_max: float | None = None

    def __post_init__(self) -> None:
        if len(self.categories) != len(self.values):
            raise ValueError("each category needs exactly one value")

    @property
    def top(self) -> float:
        """The value at the top of the axis: `scale_max`, else the largest, or 1 when all
        are zero."""
        return self.scale_max or max([*self.values, 0]) or 1

    def share(self, value: float) -> float:
        """How much of the axis `value` takes, from 0 to 1."""
        return min(max(value / self.top, 0.0), 1.0)


def figure(*, title: str, labelled_by: str, picture: SafeString, table: SafeString) -> SafeString:
    if labelled_by:
        return format_html(
            '<figure class="agora-chart" aria-labelledby="{}">{}{}</figure>',
            labelled_by,
            picture,
            table,
        )
    return format_html(
        '<figure class="agora-chart"><figcaption class="agora-chart__title">{}</figcaption>'
        "{}{}</figure>",
        title,
        picture,
        table,
    )


def table(
    *,
    title: str,
    category_heading: str,
    categories: Sequence[str],
    columns: Sequence[Column],
    table_class: str,
    data_label: str,
) -> SafeString:
    """The data, folded under a summary that names its chart to screen readers, in a region
    that scrolls sideways on its own (focusable, so that the keyboard scrolls it)."""
    headings = format_html_join("", '<th scope="col">{}</th>', ((c.heading,) for c in columns))
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (
                category,
                format_html_join("", "<td>{}</td>", ((column.cells[index],) for column in columns)),
            )
            for index, category in enumerate(categories)
        ),
    )
    return format_html(
        '<details class="agora-chart__data"><summary>{}<span class="agora-chart__hidden"> ({})'
        '</span></summary><div class="agora-chart__scroll" role="group" aria-label="{}" '
        'tabindex="0"><table class="{}"><thead><tr><th scope="col">{}</th>{}</tr></thead>'
        "<tbody>{}</tbody></table></div></details>",
        data_label or _("Voir les données"),
        title,
        title,
        table_class,
        category_heading,
        headings,
        rows,
    )


def number_text(value: float) -> str:
    """ "1 234" in French, "1,234" in English; a whole number without decimals."""
    shown = int(value) if float(value).is_integer() else value
    return str(number_format(shown, force_grouping=True))


def percent_text(value: float) -> str:
    """ "33,3 %" in French, "33.3%" in English."""
    shown = int(value) if float(value).is_integer() else value
    return _("%(percent)s %%") % {"percent": number_format(shown, decimal_pos=None)}


def text_width_rem(text: str) -> float:
    """The width a chart's text takes at most, in rem (its longest line's)."""
    return max(len(line) for line in text.split("\n")) * CHARACTER_EM * TEXT_REM


def coordinate(value: float, decimals: int = 1) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
