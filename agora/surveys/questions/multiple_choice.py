"""Multiple choice: checkboxes, with a minimum and a maximum number of choices, possibly
with "Autre (précisez)"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.surveys.questions.base import setting
from agora.surveys.questions.choices import (
    INVALID_CHOICE,
    BoundedMultipleChoiceField,
    ChoiceQuestion,
)
from agora.surveys.questions.common import field_options

if TYPE_CHECKING:
    from agora.surveys.models import Question


class MultipleChoice(ChoiceQuestion):
    """Stores one `Answer` per chosen option. A tally's percentage is of the respondents who
    answered, so the percentages add up to more than 100."""

    key = "multiple_choice"
    one_row_per_response = False
    label = _("Choix multiples")
    # A trend of shares needs one answer per response.
    trend = ""

    def settings_fields(self) -> dict[str, forms.Field]:
        return {
            "min_choices": forms.IntegerField(
                label=_("Nombre minimal de choix"),
                required=False,
                min_value=1,
                help_text=_("Laissez vide pour aucun minimum."),
            ),
            "max_choices": forms.IntegerField(
                label=_("Nombre maximal de choix"),
                required=False,
                min_value=1,
                help_text=_("Laissez vide pour aucun maximum."),
            ),
            **super().settings_fields(),
        }

    def clean_settings(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        low, high = cleaned.get("min_choices"), cleaned.get("max_choices")
        if low and high and low > high:
            raise forms.ValidationError(_("Le nombre minimal de choix dépasse le nombre maximal."))
        return cleaned

    def form_field(self, question: Question) -> forms.Field:
        bounds = {
            "min_choices": setting(question, "min_choices", None),
            "max_choices": setting(question, "max_choices", None),
        }
        options = field_options(
            question, invalid_choice=INVALID_CHOICE, invalid_list=INVALID_CHOICE
        )
        choice_field = BoundedMultipleChoiceField(
            choices=self.offered(question),
            widget=forms.CheckboxSelectMultiple,
            **(bounds if not self.has_other(question) else {}),
            **options,
        )
        return self.with_other(question, choice_field, **bounds, **options)
