"""Single choice: one option among those offered, as radio buttons or a drop-down list,
possibly with "Autre (précisez)"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.surveys.questions.base import setting
from agora.surveys.questions.choices import INVALID_CHOICE, ChoiceQuestion
from agora.surveys.questions.common import field_options

if TYPE_CHECKING:
    from agora.surveys.models import Question

RADIO, SELECT = "radio", "select"


class SingleChoice(ChoiceQuestion):
    """Stores one `Answer` with the chosen option (or, for "Autre", with the text)."""

    key = "single_choice"
    label = _("Choix unique")

    def settings_fields(self) -> dict[str, forms.Field]:
        return {
            "widget": forms.ChoiceField(
                label=_("Présentation"),
                choices=[
                    (RADIO, _("Boutons radio (tous les choix visibles)")),
                    (SELECT, _("Liste déroulante (pour une longue liste)")),
                ],
                initial=RADIO,
            ),
            **super().settings_fields(),
        }

    def form_field(self, question: Question) -> forms.Field:
        offered = self.offered(question)
        widget: forms.Widget
        if setting(question, "widget", RADIO) == SELECT:
            offered = [("", str(_("— Choisissez —"))), *offered]
            widget = forms.Select()
        else:
            widget = forms.RadioSelect()
        options = field_options(question, invalid_choice=INVALID_CHOICE)
        choice_field = forms.ChoiceField(choices=offered, widget=widget, **options)
        return self.with_other(question, choice_field, **options)
