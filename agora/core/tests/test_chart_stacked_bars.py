"""A Likert matrix drawn as bars of 100 %: a segment per point of the scale, whose widths add
up to 100, a legend in the scale's colours, the percentages in words for screen readers, and
the table of counts and percentages."""

import re

import pytest
from django.utils import translation

from agora.core.charts import Column, scale_colours, stacked_bar_chart
from agora.core.colours import contrast_ratio
from agora.core.tests.html import Element, find, find_all, text_of

SCALE = ["Pas du tout", "Plutôt non", "Sans avis", "Plutôt oui", "Tout à fait"]


def matrix(counts: list[list[int]]) -> str:
    with translation.override("fr"):
        return stacked_bar_chart(
            title="Êtes-vous d'accord ?",
            categories=[f"Énoncé {number}" for number in range(1, len(counts) + 1)],
            parts=SCALE,
            counts=counts,
            category_heading="Énoncé",
            columns=[Column("Ont répondu", [str(sum(row)) for row in counts])],
            labelled_by="question-3",
        )


def percent(value: str) -> float:
    assert value.endswith("%"), value
    return float(value.removesuffix("%"))


def segments(stack: Element) -> list[Element]:
    return find_all(stack, "rect")


def test_each_statement_is_a_bar_whose_segments_add_up_to_100_percent() -> None:
    html = matrix([[1, 1, 1, 0, 0], [3, 0, 2, 7, 9], [0, 0, 0, 0, 13]])

    stacks = find_all(html, "svg", class_="agora-bars__stack")
    assert len(stacks) == 3
    for stack in stacks:
        widths = [percent(rect["width"]) for rect in segments(stack)]
        assert sum(widths) == pytest.approx(100, abs=0.001)
        starts = [percent(rect["x"]) for rect in segments(stack)]
        assert starts == sorted(starts)
        assert starts[0] == 0
    assert [percent(rect["width"]) for rect in segments(stacks[2])] == [100]


def test_the_percentages_in_words_add_up_to_100_and_name_every_point() -> None:
    html = matrix([[1, 1, 1, 0, 0], [3, 0, 2, 7, 9]])

    described = [stack["aria-label"] for stack in find_all(html, "svg", class_="agora-bars__stack")]

    assert described[0] == (
        "Pas du tout : 34 %, Plutôt non : 33 %, Sans avis : 33 %, Plutôt oui : 0 %, "
        "Tout à fait : 0 %"
    )
    for words in described:
        assert sum(int(share) for share in re.findall(r"(\d+) %", words)) == 100
    stack = find_all(html, "svg", class_="agora-bars__stack")[1]
    assert stack["role"] == "img"


def test_each_statement_is_named_in_full_above_its_bar() -> None:
    html = matrix([[1, 0, 0, 0, 1]])

    item = find(find(html, "ul", class_="agora-bars--stacked"), "li")
    assert text_of(find(item, "span", class_="agora-bars__label")) == "Énoncé 1"
    assert find(html, "figure")["aria-labelledby"] == "question-3"


def test_the_legend_names_each_point_in_its_segment_s_colour() -> None:
    html = matrix([[1, 2, 3, 4, 5]])

    legend = find_all(find(html, "ul", class_="agora-legend"), "li")
    assert [text_of(item) for item in legend] == SCALE
    keys = [find(item, "rect")["fill"] for item in legend]
    assert keys == [
        rect["fill"] for rect in segments(find(html, "svg", class_="agora-bars__stack"))
    ]
    assert keys == scale_colours(len(SCALE))


def test_a_wide_segment_says_its_percentage_in_a_readable_colour() -> None:
    html = matrix([[0, 1, 0, 1, 8]])

    stack = find(html, "svg", class_="agora-bars__stack")
    labels = find_all(stack, "text")
    assert [text_of(label) for label in labels] == ["80 %"]  # the 10 % ones are too narrow
    fill = segments(stack)[-1]["fill"]
    assert contrast_ratio(labels[0]["fill"], fill) >= 4.5


@pytest.mark.parametrize("count", range(2, 12))
def test_the_scale_s_colours_are_distinct_and_pass_aa_on_white(count: int) -> None:
    colours = scale_colours(count)

    assert len(colours) == len(set(colours)) == count
    # 4.5:1 on white: the segments stand out (3:1 for graphics) and keep white text readable.
    assert all(contrast_ratio(colour, "#ffffff") >= 4.5 for colour in colours)


def test_a_statement_nobody_rated_says_so() -> None:
    html = matrix([[0, 0, 0, 0, 0], [1, 0, 0, 0, 0]])

    items = find_all(find(html, "ul", class_="agora-bars--stacked"), "li")
    assert text_of(find(items[0], "span", class_="agora-bars__none")) == "Aucune réponse"
    assert not find_all(items[0], "svg")


def test_the_table_gives_each_point_s_count_and_percentage_then_more_columns() -> None:
    html = matrix([[1, 1, 0, 0, 2]])

    details = find(html, "details", class_="agora-chart__data")
    assert [text_of(th) for th in find_all(find(details, "thead"), "th")] == [
        "Énoncé",
        *SCALE,
        "Ont répondu",
    ]
    row = find(find(details, "tbody"), "tr")
    assert [text_of(cell) for cell in find_all(row, "*") if cell.tag in ("th", "td")] == [
        "Énoncé 1",
        "1 (25 %)",
        "1 (25 %)",
        "0 (0 %)",
        "0 (0 %)",
        "2 (50 %)",
        "4",
    ]


def test_each_statement_needs_a_count_per_point() -> None:
    with pytest.raises(ValueError, match="one count per part"):
        matrix([[1, 2]])
