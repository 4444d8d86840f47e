"""Number: a number between optional bounds, whole or not. Results give the mean, the
smallest and the largest answers, and how many fall in each of a few equal-width bins, all
counted by the database."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Avg, Case, Count, IntegerField, Max, Min, Value, When
from django.utils.translation import gettext_lazy as _

from agora.surveys.models import ConditionOperator
from agora.surveys.questions.base import (
    QuestionResults,
    QuestionType,
    StoredValue,
    Tally,
    percent,
    setting,
)
from agora.surveys.questions.common import as_float, field_options, number_text

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agora.surveys.models import Answer, Question, Response

BINS = 5


class Number(QuestionType):
    key = "number"
    label = _("Nombre")
    trend = "mean"

    def settings_fields(self) -> dict[str, forms.Field]:
        return {
            "minimum": forms.FloatField(label=_("Minimum"), required=False),
            "maximum": forms.FloatField(label=_("Maximum"), required=False),
            "integer": forms.BooleanField(
                label=_("Nombres entiers seulement"), required=False, initial=False
            ),
        }

    def clean_settings(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        low, high = cleaned.get("minimum"), cleaned.get("maximum")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("Le minimum dépasse le maximum."))
        return cleaned

    def bounds(self, question: Question) -> tuple[float | None, float | None]:
        return (
            as_float(setting(question, "minimum", None)),
            as_float(setting(question, "maximum", None)),
        )

    def integer_only(self, question: Question) -> bool:
        return bool(setting(question, "integer", False))

    def form_field(self, question: Question) -> forms.Field:
        low, high = self.bounds(question)
        integer = self.integer_only(question)
        if integer:
            low = math.ceil(low) if low is not None else None
            high = math.floor(high) if high is not None else None
        options = field_options(
            question,
            min_value=_("Entrez un nombre d'au moins %(n)s.") % {"n": number_text(low)},
            max_value=_("Entrez un nombre d'au plus %(n)s.") % {"n": number_text(high)},
        )
        if integer:
            options["error_messages"]["invalid"] = _("Entrez un nombre entier, par exemple 12.")
            return forms.IntegerField(
                min_value=None if low is None else int(low),
                max_value=None if high is None else int(high),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                **options,
            )
        options["error_messages"]["invalid"] = _("Entrez un nombre, par exemple 12,5.")
        return forms.FloatField(
            min_value=low,
            max_value=high,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **options,
        )

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        number = as_float(value) if value not in (None, "") else None
        return [StoredValue(number=number)] if number is not None else []

    def condition_matches(
        self, question: Question, value: Any, operator: str, expected: str
    ) -> bool:
        if operator == ConditionOperator.EQUALS:
            number = as_float(value) if self.is_answered(value) else None
            return number is not None and number == as_float(expected)
        return super().condition_matches(question, value, operator, expected)

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        answers = self.answers(question, responses).filter(number__isnull=False)
        summary = answers.aggregate(
            answered=Count("id"), mean=Avg("number"), minimum=Min("number"), maximum=Max("number")
        )
        results = QuestionResults(
            question=question,
            answered=summary["answered"],
            mean=summary["mean"],
            minimum=summary["minimum"],
            maximum=summary["maximum"],
        )
        if summary["answered"]:
            low, high = self.bounds(question)
            edges = bin_edges(
                low if low is not None else summary["minimum"],
                high if high is not None else summary["maximum"],
                integer=self.integer_only(question),
            )
            results.tallies = bin_tallies(answers, edges, summary["answered"])
        return results

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        return [number_text(answers[0].number, localized=False) if answers else ""]


def bin_edges(low: float, high: float, *, integer: bool) -> list[tuple[float, float]]:
    """At most `BINS` ranges of equal width from `low` to `high` (each range holds its
    start, not its end, except the last), on whole numbers for whole answers."""
    high = max(low, high)
    if integer:
        first, last = math.floor(low), math.ceil(high)
        step = max(1, math.ceil((last - first + 1) / BINS))
        return [(start, min(start + step - 1, last)) for start in range(first, last + 1, step)]
    if high <= low:
        return [(low, high)]
    width = (high - low) / BINS
    return [
        (low + i * width, high if i == BINS - 1 else low + (i + 1) * width) for i in range(BINS)
    ]


def bin_tallies(
    answers: QuerySet[Answer], edges: list[tuple[float, float]], answered: int
) -> list[Tally]:
    """How many answers fall in each range, counted in one query. Answers outside every
    range (a bound changed after they were given) fall in the first or the last."""
    last = len(edges) - 1
    integer = all(float(start).is_integer() and float(end).is_integer() for start, end in edges)
    whens = [
        When(
            **{"number__lte" if integer or index == last else "number__lt": end}, then=Value(index)
        )
        for index, (_start, end) in enumerate(edges)
    ]
    counts = dict(
        answers.annotate(bin=Case(*whens, default=Value(last), output_field=IntegerField()))
        .values_list("bin")
        .annotate(n=Count("id"))
        .values_list("bin", "n")
    )
    tallies = []
    for index, (start, end) in enumerate(edges):
        count = counts.get(index, 0)
        label = (
            number_text(start)
            if start == end
            else _("%(start)s à %(end)s") % {"start": number_text(start), "end": number_text(end)}
        )
        tallies.append(Tally(str(label), count, percent(count, answered)))
    return tallies
