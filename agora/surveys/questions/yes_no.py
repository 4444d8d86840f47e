"""Yes or no. Stored as the number 1 (oui) or 0 (non), so that the mean of a continuous
survey's answers is the share of "oui"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from agora.surveys.models import ConditionOperator
from agora.surveys.questions.base import (
    QuestionResults,
    QuestionType,
    StoredValue,
    Tally,
    percent,
)
from agora.surveys.questions.common import field_options

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agora.surveys.models import Answer, Question, Response

YES, NO = "oui", "non"
# What a display condition may expect, in either language.
SPELLINGS = {"oui": YES, "yes": YES, "1": YES, "non": NO, "no": NO, "0": NO}


def yes_or_no(value: Any) -> str:
    """ "oui", "non" or "" from a session value (or True/False, 1/0)."""
    if isinstance(value, bool):
        return YES if value else NO
    return SPELLINGS.get(str(value).strip().casefold(), "")


class YesNo(QuestionType):
    key = "yes_no"
    label = _("Oui ou non")
    trend = "mean"
    trend_share_of = _("Oui")

    def form_field(self, question: Question) -> forms.Field:
        return forms.ChoiceField(
            choices=[(YES, _("Oui")), (NO, _("Non"))],
            widget=forms.RadioSelect,
            **field_options(question, invalid_choice=_("Répondez « Oui » ou « Non ».")),
        )

    def is_answered(self, value: Any) -> bool:
        return bool(yes_or_no(value))

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        answer = yes_or_no(value)
        return [StoredValue(number=1 if answer == YES else 0)] if answer else []

    def condition_matches(
        self, question: Question, value: Any, operator: str, expected: str
    ) -> bool:
        if operator == ConditionOperator.ANSWERED:
            return self.is_answered(value)
        return bool(yes_or_no(value)) and yes_or_no(value) == yes_or_no(expected)

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        counts = dict(
            self.answers(question, responses)
            .values_list("number")
            .annotate(n=Count("id"))
            .values_list("number", "n")
        )
        yes, no = counts.get(1.0, 0), counts.get(0.0, 0)
        answered = yes + no
        return QuestionResults(
            question=question,
            answered=answered,
            tallies=[
                Tally(str(_("Oui")), yes, percent(yes, answered)),
                Tally(str(_("Non")), no, percent(no, answered)),
            ],
            mean=yes / answered if answered else None,
        )

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        numbers = [a.number for a in answers if a.number is not None]
        if not numbers:
            return [""]
        return [str(_("Oui")) if numbers[0] else str(_("Non"))]
