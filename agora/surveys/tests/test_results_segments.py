"""Results broken down by a demographic answer: groups of at least 5 respondents are shown,
smaller ones are masked, and no group can be found by subtracting the others from the
whole."""

import pytest
from django.test import Client
from django.urls import reverse

from agora.core.tests.html import find, find_all
from agora.pages.models import HomePage
from agora.surveys.models import Question, ResultsVisibility, Survey
from agora.surveys.results import MIN_CELL, segment_results
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory, respond

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

MASKED = "Moins de 5 répondants : masqué pour protéger l'anonymat"


@pytest.fixture
def survey() -> Survey:
    return SurveyFactory.create(results_visibility=ResultsVisibility.LIVE)


@pytest.fixture
def district(survey: Survey) -> Question:
    return QuestionFactory.create(
        section=SectionFactory.create(survey=survey), kind="district", label_fr="Votre quartier ?",
        choices=["Nord", "Sud", "Est", "Ouest"],
    )  # fmt: skip


@pytest.fixture
def opinion(district: Question) -> Question:
    return QuestionFactory.create(
        section=district.section, label_fr="Le parc vous plaît ?", choices=["Oui", "Non"]
    )


def answers(
    survey: Survey, district: Question, opinion: Question, groups: dict[str, list[str]]
) -> None:
    for place, opinions in groups.items():
        for value in opinions:
            respond(survey, {district: place, opinion: value})


def test_groups_of_five_are_shown_and_smaller_ones_masked(
    survey: Survey, district: Question, opinion: Question
) -> None:
    answers(survey, district, opinion, {
        "nord": ["oui"] * 4 + ["non"], "sud": ["non"] * 5, "est": ["oui"] * 3, "ouest": ["non"] * 3,
    })  # fmt: skip

    breakdown = segment_results(survey, district)

    sizes = {segment.label: segment.respondents for segment in breakdown.segments}
    assert sizes == {"Nord": MIN_CELL, "Sud": MIN_CELL, "Est": None, "Ouest": None}
    nord = next(segment for segment in breakdown.segments if segment.key == "nord")
    assert [(t.label, t.count) for t in nord.questions[0].tallies] == [("Oui", 4), ("Non", 1)]
    masked = next(segment for segment in breakdown.segments if segment.key == "est")
    assert masked.questions == []


def test_a_group_is_masked_too_when_the_rest_would_reveal_a_small_one(
    survey: Survey, district: Question, opinion: Question
) -> None:
    answers(survey, district, opinion, {
        "nord": ["oui"] * 5, "sud": ["non"] * 6, "est": ["oui"] * 2,
    })  # fmt: skip

    breakdown = segment_results(survey, district)

    sizes = {segment.label: segment.respondents for segment in breakdown.segments}
    assert sizes == {"Nord": None, "Sud": 6, "Est": None, "Ouest": None}


def test_the_page_compares_the_groups_shown_and_names_the_masked_ones(
    client: Client, home: HomePage, survey: Survey, district: Question, opinion: Question
) -> None:
    answers(survey, district, opinion, {
        "nord": ["oui"] * 4 + ["non"], "sud": ["non"] * 5, "est": ["oui"] * 3, "ouest": ["non"] * 3,
    })  # fmt: skip
    url = reverse("results:detail", args=[survey.slug])

    response = client.get(url, {"segment": district.pk})

    section = find(response.content, "section", class_="results-breakdown")
    segments = [item.text for item in find_all(find(section, "ul"), "li")]
    assert segments == [
        "Nord : 5 répondants", "Sud : 5 répondants", f"Est : {MASKED}", f"Ouest : {MASKED}"
    ]  # fmt: skip
    table = find(section, "table")
    assert [th.text for th in find_all(find(table, "thead"), "th")] == ["Réponse", "Nord", "Sud"]
    rows = [[cell.text for cell in find_all(row, "td")] for row in find_all(table, "tr")[1:]]
    assert rows[0] == ["4 (80 %)", "0 (0 %)"]
    assert rows[1] == ["1 (20 %)", "5 (100 %)"]
    assert "Est" not in find(table, "thead").text
    assert "13" not in section.text  # no total to subtract from


def test_the_breakdown_form_works_without_javascript(
    client: Client, home: HomePage, survey: Survey, district: Question, opinion: Question
) -> None:
    url = reverse("results:detail", args=[survey.slug])

    form = find(client.get(url).content, "form", class_="results-segment")

    assert form["method"] == "get"
    select = find(form, "select", name="segment")
    assert find(select, "option", value=str(district.pk)).text == "Votre quartier ?"
    assert [label.attrs["for"] for label in find_all(form, "label")] == [select["id"]]
    assert find(form, "button", type="submit")


def test_an_unknown_segment_shows_the_overall_results(
    client: Client, home: HomePage, survey: Survey, district: Question, opinion: Question
) -> None:
    response = client.get(reverse("results:detail", args=[survey.slug]), {"segment": "999"})

    assert response.status_code == 200
    assert b"results-breakdown" not in response.content
