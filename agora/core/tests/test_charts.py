"""Charts drawn on the server: an SVG picture for the eye, the same numbers in a table for
everyone else, and nothing a resident typed can break out of either."""

import pytest
from django.utils import translation

from agora.core.charts import bar_chart, line_chart
from agora.core.tests.html import find, find_all, text_of


def chart(**overrides):
    arguments = {
        "title": "Idées par semaine",
        "categories": ["2 mars", "9 mars", "16 mars"],
        "values": [4, 0, 9],
        "category_heading": "Semaine",
        "value_heading": "Idées",
    }
    arguments.update(overrides)
    return arguments


def test_a_bar_chart_is_a_captioned_figure_with_a_hidden_picture_and_a_table():
    html = bar_chart(**chart())

    figure = find(html, "figure", class_="agora-chart")
    assert text_of(find(figure, "figcaption")) == "Idées par semaine"
    svg = find(figure, "svg")
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


def test_a_line_chart_joins_every_value():
    html = line_chart(**chart(values=[1, 3, 6]))

    points = find(html, "polyline")["points"].split()
    assert len(points) == 3
    assert len(find_all(html, "circle")) == 3
    # The highest value touches the top of the drawing, the lowest sits higher than zero.
    heights = [float(point.split(",")[1]) for point in points]
    assert heights[0] > heights[1] > heights[2]


def test_horizontal_bars_name_each_category_in_the_picture():
    html = bar_chart(
        **chart(categories=["Parcs", "Mobilité active et transport collectif"], values=[3, 5]),
        horizontal=True,
    )

    labels = [text_of(text) for text in find_all(find(html, "svg"), "text")]
    assert "Parcs" in labels
    assert any(label.startswith("Mobilité active") and label.endswith("…") for label in labels)
    assert "Mobilité active et transport collectif" in text_of(find(html, "table"))


def test_text_is_escaped():
    html = bar_chart(**chart(title="<script>alert(1)</script>", categories=["<b>", "x", "y"]))

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>" not in html


def test_all_zero_values_draw_an_empty_chart():
    html = bar_chart(**chart(values=[0, 0, 0]))

    assert not find_all(html, "rect")
    assert len(find_all(html, "tr")) == 4


def test_an_empty_series_draws_axes_and_an_empty_table():
    html = line_chart(**chart(categories=[], values=[]))

    assert find(html, "svg")
    assert not find_all(find(html, "tbody"), "tr")


def test_each_category_needs_a_value():
    with pytest.raises(ValueError, match="exactly one value"):
        bar_chart(**chart(values=[1, 2]))


def test_numbers_follow_the_language():
    with translation.override("fr"):
        french = text_of(find(bar_chart(**chart(values=[1200, 0, 3])), "tbody"))
    with translation.override("en"):
        english = text_of(find(bar_chart(**chart(values=[1200, 0, 3])), "tbody"))

    assert "1,200" in english
    assert "1,200" not in french


def test_the_table_class_can_be_chosen():
    html = bar_chart(**chart(), table_class="listing")

    assert find(html, "table")["class"] == "listing"


def test_a_long_table_folds_under_a_summary_the_reader_opens():
    weeks = [f"Semaine {n}" for n in range(1, 30)]

    html = bar_chart(**chart(categories=weeks, values=list(range(29))), data_label="Les données")

    details = find(html, "details")
    assert text_of(find(details, "summary")) == "Les données"
    assert len(find_all(find(details, "tbody"), "tr")) == 29


def test_a_short_table_stays_open():
    assert not find_all(bar_chart(**chart()), "details")
