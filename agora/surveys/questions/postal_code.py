"""Postal code prefix: a demographic question that results can be broken down by. The
resident types a Canadian postal code (H2X 1Y4) or its first three characters (the forward
sortation area, H2X); only those three are ever kept, so that no answer points to a street.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from agora.surveys.models import ConditionOperator
from agora.surveys.questions.base import (
    QuestionResults,
    QuestionType,
    Segment,
    StoredValue,
    Tally,
    percent,
)
from agora.surveys.questions.common import field_options

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agora.surveys.models import Answer, Question, Response

# Canada Post: no D, F, I, O, Q or U anywhere; no W or Z first.
POSTAL_CODE = re.compile(
    r"^([ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z])(?:[0-9][ABCEGHJ-NPRSTV-Z][0-9])?$"
)
BAD_POSTAL_CODE = _(
    "Entrez un code postal canadien, par exemple H2X 1Y4, ou ses trois premiers "
    "caractères, par exemple H2X."
)


def prefix_of(text: Any) -> str:
    """The forward sortation area ("H2X") of a postal code or prefix, "" if it is none."""
    match = POSTAL_CODE.match(re.sub(r"\s+", "", str(text or "")).upper())
    return match.group(1) if match else ""


class PostalCodePrefixField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_length=10,
            widget=forms.TextInput(
                attrs={"autocomplete": "postal-code", "size": 8, "maxlength": 10}
            ),
            **kwargs,
        )

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        prefix = prefix_of(text)
        if not prefix:
            raise forms.ValidationError(BAD_POSTAL_CODE, code="invalid")
        return prefix


class PostalCodePrefix(QuestionType):
    key = "postal_code"
    label = _("Code postal, trois premiers caractères (démographie)")
    segmentable = True

    def form_field(self, question: Question) -> forms.Field:
        return PostalCodePrefixField(
            **field_options(
                question,
                max_length=BAD_POSTAL_CODE,
            )
        )

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        prefix = prefix_of(value)
        return [StoredValue(text=prefix)] if prefix else []

    def condition_matches(
        self, question: Question, value: Any, operator: str, expected: str
    ) -> bool:
        if operator in (ConditionOperator.EQUALS, ConditionOperator.INCLUDES):
            prefix = prefix_of(value)
            return bool(prefix) and prefix == prefix_of(expected)
        return super().condition_matches(question, value, operator, expected)

    def prefix_counts(
        self, question: Question, responses: QuerySet[Response]
    ) -> list[tuple[str, int]]:
        """Each prefix given and how many gave it, the most frequent first: one query."""
        return list(
            self.answers(question, responses)
            .exclude(text="")
            .values_list("text")
            .annotate(n=Count("id"))
            .order_by("-n", "text")
            .values_list("text", "n")
        )

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        counts = self.prefix_counts(question, responses)
        answered = sum(n for _prefix, n in counts)
        return QuestionResults(
            question=question,
            answered=answered,
            tallies=[Tally(prefix, n, percent(n, answered)) for prefix, n in counts],
        )

    def segments(self, question: Question, responses: QuerySet[Response]) -> list[Segment]:
        return [
            Segment(
                prefix,
                prefix,
                responses.filter(answers__question=question, answers__text=prefix),
            )
            for prefix, _n in self.prefix_counts(question, responses)
        ]

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        return [answers[0].text if answers else ""]
