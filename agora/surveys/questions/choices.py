"""What the choice question types share (single and multiple choice, age group, district):
offered options in the active language, "Autre (précisez)", storing one `Answer` per chosen
option, counting them, segments and export cells.

A session value is the chosen option's `value` (single choice) or a list of them (multiple
choice). When the resident picks "Autre (précisez)", the value becomes a dict that also
holds what they wrote: `{"choice": "_autre", "other": "…"}` or
`{"choices": ["parc", "_autre"], "other": "…"}`. "Autre" is stored as an `Answer` without a
choice, its text in `Answer.text`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agora.surveys.models import ConditionOperator
from agora.surveys.questions.base import (
    QuestionResults,
    QuestionType,
    StoredValue,
    Tally,
    options,
    percent,
    setting,
)
from agora.surveys.questions.common import excerpts

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agora.surveys.models import Answer, Question, Response

# A reserved value: builder slugs never start with "_" (slugify strips it).
OTHER = "_autre"
OTHER_LABEL = _("Autre (précisez)")
OTHER_TALLY = _("Autre")
OTHER_MAX_LENGTH = 200
INVALID_CHOICE = _("Choisissez une réponse parmi celles proposées.")


def chosen(value: Any) -> tuple[list[str], str]:
    """The chosen values of a session value, and the "Autre" text ("" when none)."""
    if isinstance(value, dict):
        values = value.get("choices")
        if values is None:
            values = [value.get("choice")]
        return [str(v) for v in values if v], str(value.get("other") or "")
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v], ""
    return ([str(value)] if value else []), ""


def check_count(count: int, minimum: int | None, maximum: int | None) -> None:
    if minimum and 0 < count < minimum:
        raise forms.ValidationError(
            ngettext(
                "Choisissez au moins %(n)s réponse.", "Choisissez au moins %(n)s réponses.", minimum
            )
            % {"n": minimum},
            code="too_few",
        )
    if maximum and count > maximum:
        raise forms.ValidationError(
            ngettext(
                "Choisissez au plus %(n)s réponse.", "Choisissez au plus %(n)s réponses.", maximum
            )
            % {"n": maximum},
            code="too_many",
        )


class BoundedMultipleChoiceField(forms.MultipleChoiceField):
    """Checkboxes with a minimum and a maximum number of choices."""

    def __init__(
        self, *, min_choices: int | None = None, max_choices: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.min_choices, self.max_choices = min_choices, max_choices

    def validate(self, value: Any) -> None:
        super().validate(value)
        check_count(len(value or []), self.min_choices, self.max_choices)


class ChoiceWithOtherWidget(forms.MultiWidget):
    """The options (radios, a drop-down or checkboxes), then a text input for "Autre"."""

    template_name = "surveys/widgets/choice_with_other.html"

    def __init__(self, choice_widget: forms.Widget, *, multiple: bool) -> None:
        self.multiple = multiple
        super().__init__([choice_widget, forms.TextInput(attrs={"maxlength": OTHER_MAX_LENGTH})])

    def decompress(self, value: Any) -> list[Any]:
        values, other = chosen(value)
        return [values if self.multiple else (values[0] if values else ""), other]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["other_label"] = _("Précisez votre réponse « Autre »")
        context["widget"]["choice_label"] = _("Votre choix")
        context["widget"]["is_select"] = isinstance(self.widgets[0], forms.Select)
        return context


class ChoiceWithOtherField(forms.MultiValueField):
    """An option, or "Autre (précisez)" with what the resident writes. Writing in the
    "Autre" box counts as choosing "Autre"."""

    def __init__(
        self,
        *,
        choice_field: forms.ChoiceField,
        choice_widget: forms.Widget,
        min_choices: int | None = None,
        max_choices: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.multiple = isinstance(choice_field, forms.MultipleChoiceField)
        self.min_choices, self.max_choices = min_choices, max_choices
        other = forms.CharField(
            required=False,
            max_length=OTHER_MAX_LENGTH,
            error_messages={
                "max_length": _("Précisez « Autre » en %(limit_value)d caractères au plus.")
            },
        )
        super().__init__(
            fields=(choice_field, other),
            widget=ChoiceWithOtherWidget(choice_widget, multiple=self.multiple),
            require_all_fields=False,
            **kwargs,
        )

    def compress(self, data_list: list[Any]) -> Any:
        if not data_list:
            return [] if self.multiple else ""
        picked, other = data_list[0], (data_list[1] or "").strip()
        values = list(picked) if self.multiple else ([picked] if picked else [])
        if other and OTHER not in values and (self.multiple or not values):
            values.append(OTHER)
        if OTHER in values and not other:
            raise forms.ValidationError(
                _("Précisez votre réponse « Autre »."), code="other_missing"
            )
        if self.multiple:
            check_count(len(values), self.min_choices, self.max_choices)
        if not values and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if OTHER not in values:
            return values if self.multiple else (values[0] if values else "")
        if self.multiple:
            return {"choices": values, "other": other}
        return {"choice": OTHER, "other": other}


class ChoiceQuestion(QuestionType):
    """The shared part of the choice types. Subclasses choose the widget (`form_field`)."""

    uses_choices = True
    trend = "choice"
    # Whether staff may add "Autre (précisez)" (not to a demographic question).
    allows_other: ClassVar[bool] = True

    def settings_fields(self) -> dict[str, forms.Field]:
        if not self.allows_other:
            return {}
        return {
            "allow_other": forms.BooleanField(
                label=_("Ajouter « Autre (précisez) »"),
                required=False,
                initial=False,
                help_text=_("Le répondant peut écrire sa propre réponse."),
            )
        }

    def has_other(self, question: Question) -> bool:
        return self.allows_other and bool(setting(question, "allow_other", False))

    def has_open_text(self, question: Question) -> bool:
        return self.has_other(question)

    def offered(self, question: Question) -> list[tuple[str, str]]:
        """The visible options as form choices, in the active language, "Autre" last."""
        offered = [(choice.value, choice.label) for choice in options(question)]
        if self.has_other(question):
            offered.append((OTHER, str(OTHER_LABEL)))
        return offered

    def with_other(
        self, question: Question, choice_field: forms.ChoiceField, **kwargs: Any
    ) -> forms.Field:
        """The field: `choice_field` alone, or with the "Autre" text box."""
        if not self.has_other(question):
            return choice_field
        choice_widget = choice_field.widget
        choice_field.required = False
        return ChoiceWithOtherField(
            choice_field=choice_field, choice_widget=choice_widget, **kwargs
        )

    # Answers ---------------------------------------------------------------------------

    def stored_values(self, question: Question, value: Any) -> list[StoredValue]:
        values, other = chosen(value)
        by_value = {choice.value: choice for choice in options(question, with_hidden=True)}
        stored = [
            StoredValue(choice_id=by_value[v].pk) for v in dict.fromkeys(values) if v in by_value
        ]
        if OTHER in values and other:
            stored.append(StoredValue(text=other[:OTHER_MAX_LENGTH]))
        return stored

    def condition_matches(
        self, question: Question, value: Any, operator: str, expected: str
    ) -> bool:
        values, _other = chosen(value)
        if operator == ConditionOperator.ANSWERED:
            return bool(values)
        if operator == ConditionOperator.EQUALS:
            return values == [expected]
        if operator == ConditionOperator.INCLUDES:
            return expected in values
        return False

    # Results ---------------------------------------------------------------------------

    def results(self, question: Question, responses: QuerySet[Response]) -> QuestionResults:
        answered, tallies = self.tallies(question, responses)
        results = QuestionResults(question=question, answered=answered, tallies=tallies)
        if self.has_open_text(question):
            results.excerpts = excerpts(question, responses)
        return results

    def tallies(self, question: Question, responses: QuerySet[Response]) -> tuple[int, list[Tally]]:
        """Respondents who answered, and the count of each option (hidden ones that were
        chosen still count), then "Autre": two queries, whatever the number of responses."""
        answers = self.answers(question, responses)
        answered = self.answered(answers)
        counts: dict[int | None, int] = dict(
            answers.values_list("choice_id").annotate(n=Count("id")).values_list("choice_id", "n")
        )
        tallies = [
            Tally(
                choice.label, counts.get(choice.pk, 0), percent(counts.get(choice.pk, 0), answered)
            )
            for choice in options(question, with_hidden=True)
            if not choice.hidden or counts.get(choice.pk)
        ]
        others = counts.get(None, 0)
        if self.has_other(question) or others:
            tallies.append(Tally(str(OTHER_TALLY), others, percent(others, answered)))
        return answered, tallies

    # Exports ---------------------------------------------------------------------------

    def export_headers(self, question: Question) -> list[str]:
        headers = [question.label]
        if self.has_other(question):
            headers.append(f"{question.label} — {OTHER_LABEL}")
        return headers

    def export_cells(self, question: Question, answers: list[Answer]) -> list[str]:
        labels = choice_labels(question)
        cells = ["; ".join(labels.get(a.choice_id, "") for a in answers if a.choice_id)]
        if self.has_other(question):
            cells.append(" ".join(a.text for a in answers if a.choice_id is None))
        return cells


def choice_labels(question: Question) -> dict[int | None, str]:
    return {choice.pk: choice.label for choice in question.choices.all()}
