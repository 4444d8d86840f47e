"""Short text: a line of free text. Its answers are never published whole: results show
how many answered and the excerpts staff chose to publish."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.surveys.questions.base import QuestionResults, QuestionType, StoredValue, setting
from agora.surveys.questions.common import excerpts, field_options

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agora.surveys.models import Answer, Question, Response


class ShortText(QuestionType):
    key = "short_text"
    label = _("Texte court")
    open_text = True
    default_max_length: ClassVar[int] = 200
    # The most staff may allow.
    limit: ClassVar[int] = 500

    def settings_fields(self) -> dict[str, forms.Field]:
        return {
            "max_length": forms.IntegerField(
                label=_("Nombre maximal de caractères"),
                min_value=1,
                max_value=self.limit,
                initial=self.default_max_length,
                required=False,
            )
        }

    def max_length(self, question: Question) -> int:
        try:
            length = int(setting(question, "max_length", self.default_max_length))
        except (TypeError, ValueError):
            length = self.default_max_length
        return max(1, min(length, self.limit))

    def widget(self, question: Question) -> forms.Widget:
        return forms.TextInput(attrs={"maxlength": self.max_length(question)})

    def form_field(self, question: Question) -> forms.Field:
        return forms.CharField(
            max_length=self.max_length(question),
            widget=self.widget(question),
            **field_options(
                question,
                max_length=_(
                    "Votre réponse compte %(show_value)d caractères; "
                    "elle peut en compter %(limit_value)d au plus."
                ),
            ),
        )

    def to_session(self, question: Question, cleaned: Any) -> Any:
        return str(cleaned or "").strip()

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        text = str(value or "").strip()[: self.max_length(question)]
        return [StoredValue(text=text)] if text else []

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        answered = self.answered(self.answers(question, responses))
        return QuestionResults(
            question=question, answered=answered, excerpts=excerpts(question, responses)
        )

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        return [answers[0].text if answers else ""]
