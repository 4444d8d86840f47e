"""Ranking: the resident puts the options in order. Without JavaScript each item has a
drop-down list of its rank, 1 to n; each rank serves once.

A session value maps each item's `value` to its rank: `{"parc": 1, "piscine": 2}`. Each
becomes one `Answer` (choice = the item, number = the rank)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from agora.surveys.questions.base import (
    QuestionResults,
    QuestionType,
    RankedItem,
    StoredValue,
    options,
)
from agora.surveys.questions.common import REQUIRED, number_text

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agora.surveys.models import Answer, Choice, Question, Response


class RankingWidget(forms.MultiWidget):
    template_name = "surveys/widgets/ranking.html"

    def __init__(self, item_labels: list[str], item_values: list[str]) -> None:
        self.item_labels, self.item_values = item_labels, item_values
        size = len(item_values)
        choices = [("", str(_("— Rang —")))] + [(str(r), str(r)) for r in range(1, size + 1)]
        super().__init__([forms.Select(choices=choices) for _item in item_values])

    def decompress(self, value: Any) -> list[Any]:
        ranks = value if isinstance(value, dict) else {}
        return [str(ranks[item]) if item in ranks else "" for item in self.item_values]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["items"] = list(
            zip(self.item_labels, context["widget"]["subwidgets"], strict=True)
        )
        return context


class RankingField(forms.MultiValueField):
    """Every item ranked, each rank used once (or, when optional, no item ranked)."""

    def __init__(self, *, items: list[Choice], **kwargs: Any) -> None:
        self.item_values = [item.value for item in items]
        labels = [item.label for item in items]
        ranks = [(str(r), str(r)) for r in range(1, len(items) + 1)]
        fields = [
            forms.TypedChoiceField(
                choices=ranks,
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={
                    "invalid_choice": _("Choisissez un rang de 1 à %(n)s.") % {"n": len(items)}
                },
            )
            for _item in items
        ]
        super().__init__(
            fields=fields,
            widget=RankingWidget(labels, self.item_values),
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list: list[Any]) -> dict[str, int]:
        ranks = {
            item: rank
            for item, rank in zip(self.item_values, data_list, strict=False)
            if rank is not None
        }
        if not ranks:
            return {}
        if len(ranks) < len(self.item_values):
            raise forms.ValidationError(
                _("Donnez un rang à chaque élément de la liste."), code="incomplete"
            )
        repeated = sorted(rank for rank, n in Counter(ranks.values()).items() if n > 1)
        if repeated:
            raise forms.ValidationError(
                ngettext(
                    "Chaque rang ne sert qu'une fois : le rang %(ranks)s est donné à plus "
                    "d'un élément.",
                    "Chaque rang ne sert qu'une fois : les rangs %(ranks)s sont donnés à plus "
                    "d'un élément.",
                    len(repeated),
                )
                % {"ranks": ", ".join(str(rank) for rank in repeated)},
                code="repeated_rank",
            )
        return ranks


class Ranking(QuestionType):
    key = "ranking"
    one_row_per_response = False
    label = pgettext_lazy("type de question", "Classement")
    uses_choices = True

    def form_field(self, question: Question) -> forms.Field:
        return RankingField(
            items=options(question),
            label=question.label,
            help_text=question.help_text
            or _("Donnez le rang 1 à ce qui compte le plus pour vous, puis 2, et ainsi de suite."),
            required=question.required,
            error_messages={"required": REQUIRED},
        )

    def in_words(self, question: Question, value: Any) -> list[str]:
        """The items from first to last: "1. Un quai"."""
        labels = {item.pk: item.label for item in options(question, with_hidden=True)}
        ranked = sorted(
            (int(stored.number), labels[stored.choice_id])
            for stored in self.stored_values(question, value)
            if stored.choice_id in labels and stored.number is not None
        )
        return [_("%(rank)s. %(item)s") % {"rank": rank, "item": item} for rank, item in ranked]

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        ranks = value if isinstance(value, dict) else {}
        return [
            StoredValue(choice_id=item.pk, number=int(ranks[item.value]))
            for item in options(question, with_hidden=True)
            if isinstance(ranks.get(item.value), int)
        ]

    def condition_matches(
        self, question: Question, value: Any, operator: str, expected: str
    ) -> bool:
        """ "equals" and "includes" an item: the item ranked first."""
        if isinstance(value, dict) and operator != "answered":
            first = [item for item, rank in value.items() if rank == 1]
            return first == [expected]
        return super().condition_matches(question, value, operator, expected)

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        """One query: each item's mean rank and first places. Every ranking a respondent
        gives has exactly one first place, so the first places add up to the respondents."""
        answers = self.answers(question, responses).filter(choice__isnull=False)
        by_item = {
            row["choice_id"]: row
            for row in answers.values("choice_id").annotate(
                mean=Avg("number"), first=Count("id", filter=Q(number=1))
            )
        }
        ranking = [
            RankedItem(
                label=item.label,
                mean_rank=by_item[item.pk]["mean"] if item.pk in by_item else None,
                first_place=by_item[item.pk]["first"] if item.pk in by_item else 0,
            )
            for item in options(question, with_hidden=True)
            if not item.hidden or item.pk in by_item
        ]
        ranking.sort(key=lambda item: (item.mean_rank is None, item.mean_rank or 0))
        answered = sum(row["first"] for row in by_item.values())
        return QuestionResults(question=question, answered=answered, ranking=ranking)

    def export_headers(self, question: Question) -> list[str]:
        return [f"{question.label} — {item.label}" for item in options(question, with_hidden=True)]

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        ranks = {answer.choice_id: answer.number for answer in answers}
        return [
            number_text(ranks.get(item.pk), localized=False)
            for item in options(question, with_hidden=True)
        ]
