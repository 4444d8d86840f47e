"""The results page, the CSV, the XLSX and the PDF report agree on every count and percentage,
and those are the counts of the responses given (issue 5, integrity).

Thirty varied responses to a survey of every counted kind (single and multiple choice, yes/no,
rating, matrix, ranking); each file is read back the way its reader would: the page's data
tables, the CSV and the workbook's cells, the PDF's text (`pdf_text` says which reader).
"""

import csv
import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from agora.core.models import Branding
from agora.core.tests.html import Element, find_all
from agora.surveys.models import Question, ResultsVisibility, Survey
from agora.surveys.results import compute_results
from agora.surveys.tests.factories import QuestionFactory, SurveyFactory, respond
from agora.surveys.tests.pdf_text import pdf_text

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

RESPONSES = 30
MODES = ["a-pied", "a-velo", "en-bus", "en-auto"]
ACTIVITIES = ["marche", "pique-nique", "jeux", "lecture"]
ITEMS = ["parc", "piscine", "bibliotheque"]
ORDERS = [
    ["parc", "piscine", "bibliotheque"],
    ["piscine", "parc", "bibliotheque"],
    ["bibliotheque", "parc", "piscine"],
    ["parc", "bibliotheque", "piscine"],
    ["piscine", "bibliotheque", "parc"],
]

# A key of a figure: (question, matrix row or "", answer); its value: (count, percent).
Figures = dict[tuple[str, str, str], tuple[int, float]]
# (question, item) → (mean rank, first places).
Ranks = dict[tuple[str, str], tuple[float, int]]


@dataclass(frozen=True)
class AnsweredSurvey:
    """The survey and its questions by name (`mode`, `activities`, …)."""

    survey: Survey
    questions: dict[str, Question]


def the_values(index: int) -> dict[str, Any]:
    """Response `index`'s answers: every kind varies, some questions are left unanswered."""
    values: dict[str, Any] = {
        "mode": MODES[(index * 7) % 4] if index % 6 else None,
        "activities": [a for n, a in enumerate(ACTIVITIES) if (index >> n) & 1],
        "yes_no": "oui" if index % 3 else "non",
        "rating": (index * 3) % 5 + 1 if index % 4 else None,
        "matrix": {"proprete": index % 5 + 1, "securite": (index * 2) % 5 + 1},
        "ranking": dict(zip(ORDERS[index % 5], [1, 2, 3], strict=True)) if index % 7 else None,
    }
    if index % 5 == 0:
        del values["matrix"]["securite"]
    return values


@pytest.fixture
def answered() -> AnsweredSurvey:
    survey = SurveyFactory.create(
        title_fr="Nos parcs", slug="nos-parcs", results_visibility=ResultsVisibility.LIVE
    )
    questions = {
        "mode": QuestionFactory.create(
            section__survey=survey,
            label_fr="Comment venez-vous ?",
            choices=["À pied", "À vélo", "En bus", "En auto"],
        )
    }
    section = questions["mode"].section
    questions["activities"] = QuestionFactory.create(
        section=section,
        kind="multiple_choice",
        label_fr="Vos activités",
        choices=["Marche", "Pique-nique", "Jeux", "Lecture"],
    )
    questions["yes_no"] = QuestionFactory.create(
        section=section, kind="yes_no", label_fr="Y venez-vous l'hiver ?"
    )
    questions["rating"] = QuestionFactory.create(
        section=section, kind="rating", label_fr="Votre satisfaction"
    )
    questions["matrix"] = QuestionFactory.create(
        section=section,
        kind="matrix",
        label_fr="Êtes-vous d'accord ?",
        rows=["Propreté", "Sécurité"],
    )
    questions["ranking"] = QuestionFactory.create(
        section=section,
        kind="ranking",
        label_fr="Vos priorités",
        choices=["Parc", "Piscine", "Bibliothèque"],
    )
    for index in range(RESPONSES):
        values = the_values(index)
        respond(
            survey,
            {questions[name]: value for name, value in values.items() if value},
        )
    return AnsweredSurvey(survey, questions)


def number(text: str) -> float:
    """A number as any of the files writes it: "1 234", "66,7 %", "66.7"."""
    cleaned = re.sub(r"[\s\u00a0\u202f%]", "", str(text)).replace(",", ".")
    return float(cleaned)


# What the responses say, counted here in Python -----------------------------------------


def expected_figures(answered: AnsweredSurvey) -> tuple[Figures, Ranks]:
    """The figures counted from `the_values`, labelled with the results' own labels."""
    results = {r.question.pk: r for r in compute_results(answered.survey).questions}
    questions = answered.questions
    given = [the_values(index) for index in range(RESPONSES)]
    figures: Figures = {}

    def add(name: str, counts: list[int], total: int, row: str = "") -> None:
        label = questions[name].label
        tallies = (
            next(r.tallies for r in results[questions[name].pk].matrix if r.label == row)
            if row
            else results[questions[name].pk].tallies
        )
        assert len(tallies) == len(counts)
        for tally, count in zip(tallies, counts, strict=True):
            figures[(label, row, tally.label)] = (count, round(100 * count / total, 1))

    modes = [v["mode"] for v in given if v["mode"]]
    add("mode", [modes.count(m) for m in MODES], len(modes))
    chose = [v["activities"] for v in given if v["activities"]]
    add("activities", [sum(a in c for c in chose) for a in ACTIVITIES], len(chose))
    yes = sum(v["yes_no"] == "oui" for v in given)
    add("yes_no", [yes, RESPONSES - yes], RESPONSES)
    ratings = Counter(v["rating"] for v in given if v["rating"])
    add("rating", [ratings[p] for p in range(1, 6)], sum(ratings.values()))
    for row, value in [("Propreté", "proprete"), ("Sécurité", "securite")]:
        points = Counter(v["matrix"][value] for v in given if value in v["matrix"])
        add("matrix", [points[p] for p in range(1, 6)], sum(points.values()), row=row)

    ranks: Ranks = {}
    rankings = [v["ranking"] for v in given if v["ranking"]]
    for item, label in zip(ITEMS, ["Parc", "Piscine", "Bibliothèque"], strict=True):
        mean = sum(r[item] for r in rankings) / len(rankings)
        first = sum(r[item] == 1 for r in rankings)
        ranks[(questions["ranking"].label, label)] = (round(mean, 2), first)
    return figures, ranks


# Each file, read back --------------------------------------------------------------------


def csv_figures(content: bytes) -> tuple[Figures, Ranks, int]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    respondents = int(rows[1][1])
    start = rows.index([]) + 1
    records = [dict(zip(rows[start], row, strict=True)) for row in rows[start + 1 :]]
    return (*_records_figures(records), respondents)


def xlsx_figures(content: bytes) -> tuple[Figures, Ranks, int]:
    book = load_workbook(io.BytesIO(content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    header, *rows = book.worksheets[1].iter_rows(values_only=True)
    records = [
        {key: "" if value is None else value for key, value in zip(header, row, strict=True)}
        for row in rows
    ]
    for record in records:
        assert record["Nombre"] == "" or isinstance(record["Nombre"], int)
    return (*_records_figures(records), summary["Répondants"])


def _records_figures(records: Sequence[Mapping[str, Any]]) -> tuple[Figures, Ranks]:
    figures: Figures = {}
    ranks: Ranks = {}
    for record in records:
        if record["Pourcentage (%)"] != "":
            key = (record["Question"], record["Ligne"], record["Réponse"])
            figures[key] = (int(record["Nombre"]), number(record["Pourcentage (%)"]))
        elif record["Rang moyen"] != "":
            ranks[(record["Question"], record["Réponse"])] = (
                number(record["Rang moyen"]),
                int(record["Premières places"]),
            )
    return figures, ranks


def html_figures(content: bytes) -> tuple[Figures, Ranks]:
    """The data tables of each question's section on the results page."""
    figures: Figures = {}
    ranks: Ranks = {}
    for section in find_all(content, "section", class_="results-question"):
        heading = next(e for e in section.descendants() if e.tag in ("h2", "h3"))
        question = heading.text
        for table in find_all(section, "table"):
            headings = [cell.text for cell in find_all(table, "th", scope="col")]
            for row in _body_rows(table):
                label, cells = row[0], row[1:]
                if len(headings) == 3 and "%" in cells[-1]:  # answer, count, percent
                    figures[(question, "", label)] = (int(number(cells[0])), number(cells[1]))
                elif len(headings) == 3:  # ranking: item, mean rank, first places
                    ranks[(question, label)] = (number(cells[0]), int(number(cells[1])))
                elif len(headings) > 3:  # matrix: row, scale points, mean, answered
                    for point, cell in zip(headings[1:-2], cells[:-2], strict=True):
                        match = re.fullmatch(r"(.+?) \((.+)\)", cell)
                        assert match is not None, cell
                        count, share = match.groups()
                        figures[(question, label, point)] = (int(number(count)), number(share))
    return figures, ranks


def _body_rows(table: Element) -> list[list[str]]:
    rows = []
    for tbody in find_all(table, "tbody"):
        for row in find_all(tbody, "tr"):
            rows.append([cell.text for cell in row.children if isinstance(cell, Element)])
    return rows


# A count, its digits grouped by non-breaking spaces past 999 ("1 234").
COUNT = r"(\d{1,3}(?:[\u00a0\u202f]\d{3})*)(?![\d,])"
SHARE = r"(\d+(?:,\d+)?) ?%"


def pdf_figures(text: str, expected: Figures, ranks: Ranks) -> tuple[Figures, Ranks]:
    """The figures the PDF shows for each expected key, read from its text: each question's
    part runs from its numbered heading to the next."""
    questions = list(dict.fromkeys(key[0] for key in [*expected, *ranks]))
    starts = {q: text.index(f"{n}. {q}") for n, q in enumerate(questions, start=1)}
    parts = {}
    for question in questions:
        later = [start for start in starts.values() if start > starts[question]]
        parts[question] = text[starts[question] : min(later, default=len(text))]
    figures: Figures = {}
    for question, row, answer in expected:
        part = parts[question]
        if row:
            cells = re.search(re.escape(row) + r"((?: " + COUNT + r" \(" + SHARE + r"\))+)", part)
            assert cells is not None, (question, row)
            points = [point for (q, r, point) in expected if (q, r) == (question, row)]
            pairs = re.findall(COUNT + r" \(" + SHARE + r"\)", cells[1])
            found = dict(zip(points, pairs, strict=True))[answer]
        else:
            found = re.findall(re.escape(answer) + " " + COUNT + " " + SHARE, part)[-1]
        figures[(question, row, answer)] = (int(number(found[0])), number(found[1]))
    found_ranks: Ranks = {}
    for question, item in ranks:
        mean, first = re.findall(re.escape(item) + r" (\d+(?:,\d+)?) " + COUNT, parts[question])[-1]
        found_ranks[(question, item)] = (number(mean), int(number(first)))
    return figures, found_ranks


def test_the_page_the_files_and_the_report_agree_with_the_responses(
    client: Client, answered: AnsweredSurvey, branding: Branding
) -> None:
    survey = answered.survey
    figures, ranks = expected_figures(answered)
    assert len(figures) == 4 + 4 + 2 + 5 + 2 * 5

    def url(file_format: str) -> str:
        return reverse("results:export", kwargs={"slug": survey.slug, "file_format": file_format})

    csv_found = csv_figures(client.get(url("csv")).content)
    xlsx_found = xlsx_figures(client.get(url("xlsx")).content)
    assert csv_found == (figures, ranks, RESPONSES)
    assert xlsx_found == (figures, ranks, RESPONSES)

    text = pdf_text(client.get(url("pdf")).content)
    assert f"Répondants {RESPONSES}" in text
    assert pdf_figures(text, figures, ranks) == (figures, ranks)

    page = client.get(reverse("results:detail", kwargs={"slug": survey.slug}))
    assert page.status_code == 200
    assert html_figures(page.content) == (figures, ranks)
