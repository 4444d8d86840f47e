"""Before sending, a resident reads every answer back in words: the chosen options, each row
of a matrix with its point on the scale, a ranking from first to last."""

from __future__ import annotations

import pytest
from django.utils import translation

from agora.surveys.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def test_a_matrix_reads_back_each_row_with_its_point_in_words() -> None:
    question = QuestionFactory.create(kind="matrix", rows=["Pistes cyclables", "Trottoirs"])

    lines = question.type.in_words(question, {"pistes-cyclables": 5, "trottoirs": 2})

    assert lines == ["Pistes cyclables : Tout à fait d'accord", "Trottoirs : Plutôt en désaccord"]


def test_a_ranking_reads_back_from_first_to_last() -> None:
    question = QuestionFactory.create(kind="ranking", choices=["Quai", "Plage", "Rampe"])

    lines = question.type.in_words(question, {"quai": 3, "plage": 1, "rampe": 2})

    assert lines == ["1. Plage", "2. Rampe", "3. Quai"]


def test_a_choice_reads_back_its_label_in_the_reader_s_language() -> None:
    question = QuestionFactory.create(kind="single_choice", choices=["Quai", "Plage"])

    with translation.override("en"):
        lines = question.type.in_words(question, "plage")

    assert lines == ["Plage (en)"]
