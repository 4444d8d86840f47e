"""Charts drawn on the server: a picture whose text keeps its size on a phone, the same
numbers in a table for everyone else, and nothing a resident typed can break out of either."""

from typing import Any

import pytest
from django.utils import translation

from agora.core.charts import Column, bar_chart, line_chart
from agora.core.tests.html import find, find_all, text_of


def chart(**overrides: Any) -> dict[str, Any]:
    arguments = {
        "title": "Idées par semaine",
        "categories": ["2 mars", "9 mars", "16 mars"],
        "values": [4, 0, 9],
        "category_heading": "Semaine",
        "value_heading": "Idées",
    }
    arguments.update(overrides)
    return arguments


def test_a_bar_chart_is_a_captioned_figure_with_a_hidden_picture_and_a_table() -> None:
    html = bar_chart(**chart())

    figure = find(html, "figure", class_="agora-chart")
    assert text_of(find(figure, "figcaption")) == "Idées par semaine"
    svg = find(figure, "svg", class_="agora-chart__picture")
    assert svg["aria-hidden"] == "true"
    assert svg["focusable"] == "false"
    assert "style" not in svg.attrs
    assert len(find_all(svg, "rect")) == 2  # a week without ideas has no bar
    headings = [text_of(th) for th in find_all(figure, "th", scope="col")]
    assert headings == ["Semaine", "Idées"]
    rows = [
        (text_of(find(row, "th")), text_of(find(row, "td")))
        for row in find_all(find(figure, "tbody"), "tr")
    ]
    assert rows == [("2 mars", "4"), ("9 mars", "0"), ("16 mars", "9")]


def test_a_line_chart_joins_every_value() -> None:
    html = line_chart(**chart(values=[1, 3, 6]))

    points = find(html, "polyline")["points"].split()
    assert len(points) == 3
    assert len(find_all(html, "circle")) == 3
    # The highest value touches the top of the drawing, the lowest sits higher than zero.
    heights = [float(point.split(",")[1]) for point in points]
    assert heights[0] > heights[1] > heights[2]


def test_horizontal_bars_name_each_category_in_full_above_its_bar() -> None:
    long_name = "Mobilité active, transport collectif et aménagement des rues partagées"
    html = bar_chart(**chart(categories=["Parcs", long_name], values=[3, 5]), horizontal=True)

    items = find_all(find(html, "ul", class_="agora-bars"), "li")
    assert [text_of(find(item, "span", class_="agora-bars__label")) for item in items] == [
        "Parcs",
        long_name,
    ]
    assert "…" not in html
    assert long_name in text_of(find(html, "table"))


def test_each_bar_ends_with_its_value_and_is_as_long_as_its_share_of_the_largest() -> None:
    html = bar_chart(
        **chart(categories=["Parcs", "Rues", "Quais"], values=[3, 6, 0]), horizontal=True
    )

    items = find_all(find(html, "ul", class_="agora-bars"), "li")
    lines = [find(item, "span", class_="agora-bars__line") for item in items]
    assert [text_of(find(line, "span", class_="agora-bars__value")) for line in lines] == [
        "3",
        "6",
        "0",
    ]
    bars = [find_all(line, "svg", class_="agora-bars__bar") for line in lines]
    assert [bar[0]["width"] for bar in bars[:2]] == ["50%", "100%"]
    assert not bars[2]  # nothing to draw for nothing
    assert all(bar[0]["aria-hidden"] == "true" for bar in bars[:2])
    # The bar comes before its value: the value stands at the bar's end.
    assert lines[0].children[0] is bars[0][0]


def test_the_text_at_the_bars_end_and_more_columns_of_the_table_can_be_given() -> None:
    html = bar_chart(
        **chart(categories=["Oui", "Non"], values=[3, 1]),
        horizontal=True,
        value_texts=["3 (75 %)", "1 (25 %)"],
        columns=[Column("Pourcentage", ["75 %", "25 %"])],
    )

    values = [text_of(value) for value in find_all(html, "span", class_="agora-bars__value")]
    assert values == ["3 (75 %)", "1 (25 %)"]
    assert [text_of(th) for th in find_all(find(html, "thead"), "th")] == [
        "Semaine",
        "Idées",
        "Pourcentage",
    ]
    assert [text_of(td) for td in find_all(find(html, "tbody"), "td")] == ["3", "75 %", "1", "25 %"]


def test_a_chart_named_by_a_heading_of_the_page_shows_no_caption_of_its_own() -> None:
    html = bar_chart(**chart(), horizontal=True, labelled_by="question-7")

    figure = find(html, "figure", class_="agora-chart")
    assert figure["aria-labelledby"] == "question-7"
    assert not find_all(figure, "figcaption")
    assert html.count("Idées par semaine") == 2  # said only to screen readers, by the table


def test_text_is_escaped() -> None:
    html = bar_chart(**chart(title="<script>alert(1)</script>", categories=["<b>", "x", "y"]))

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>" not in html


def test_all_zero_values_draw_an_empty_chart() -> None:
    html = bar_chart(**chart(values=[0, 0, 0]))

    assert not find_all(html, "rect")
    assert len(find_all(html, "tr")) == 4


def test_an_empty_series_draws_axes_and_an_empty_table() -> None:
    html = line_chart(**chart(categories=[], values=[]))

    assert find(html, "svg", class_="agora-chart__picture")
    assert not find_all(find(html, "tbody"), "tr")


def test_each_category_needs_a_value() -> None:
    with pytest.raises(ValueError, match="exactly one value"):
        bar_chart(**chart(values=[1, 2]))


def test_numbers_follow_the_language() -> None:
    with translation.override("fr"):
        french = text_of(find(bar_chart(**chart(values=[1200, 0, 3])), "tbody"))
    with translation.override("en"):
        english = text_of(find(bar_chart(**chart(values=[1200, 0, 3])), "tbody"))

    assert "1,200" in english
    assert "1,200" not in french


def test_the_table_class_can_be_chosen() -> None:
    html = bar_chart(**chart(), table_class="listing")

    assert find(html, "table")["class"] == "listing"


def test_the_table_folds_under_a_summary_that_names_its_chart() -> None:
    weeks = [f"Semaine {n}" for n in range(1, 30)]

    html = bar_chart(**chart(categories=weeks, values=list(range(29))), data_label="Les données")

    details = find(html, "details", class_="agora-chart__data")
    summary = find(details, "summary")
    assert text_of(summary).startswith("Les données")
    assert text_of(find(summary, "span", class_="agora-chart__hidden")) == "(Idées par semaine)"
    assert len(find_all(find(details, "tbody"), "tr")) == 29


def test_a_short_table_folds_too_and_its_summary_says_see_the_data() -> None:
    details = find(bar_chart(**chart()), "details", class_="agora-chart__data")

    assert text_of(find(details, "summary")).startswith("Voir les données")


def test_the_table_scrolls_sideways_in_a_named_group_the_keyboard_reaches() -> None:
    html = bar_chart(**chart())

    scroll = find(html, "div", class_="agora-chart__scroll")
    assert scroll["tabindex"] == "0"
    assert scroll["role"] == "group"
    assert scroll["aria-label"] == "Idées par semaine"
    assert find(scroll, "table")
