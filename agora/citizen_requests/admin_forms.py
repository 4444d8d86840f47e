"""The form of a service's question in /gestion/: its choices are typed one per line,
"clé | libellé français | libellé anglais", and stored as `ServiceAttribute.values`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.citizen_requests.catalogue import format_choices, parse_choices
from agora.citizen_requests.models import ServiceAttribute


class AttributeForm(forms.ModelForm[ServiceAttribute]):
    values = forms.CharField(
        label=_("Choix"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Pour une question à choix seulement : un choix par ligne, « clé | libellé "
            "français | libellé anglais », par exemple « profond | Plus de 10 cm | Deeper than "
            "10 cm ». La clé (lettres sans accents, chiffres, traits d'union) est ce que l'API "
            "et les requêtes reçues nomment : gardez-la telle quelle une fois le service offert."
        ),
    )

    class Meta:
        model = ServiceAttribute
        fields = [
            "kind",
            "description_fr",
            "description_en",
            "hint_fr",
            "hint_en",
            "required",
            "values",
            "code",
        ]
        help_texts = {
            "code": _(
                "L'identifiant de la question dans l'API Open311 et dans les requêtes reçues "
                "(lettres sans accents, chiffres, traits d'union) : gardez-le tel quel une fois "
                "le service offert."
            ),
            "description_fr": _("Pour un texte d'information, le texte affiché aux résidents."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.values:
            self.initial["values"] = format_choices(self.instance.values)

    def clean_values(self) -> list[dict[str, str]]:
        return parse_choices(self.cleaned_data.get("values") or "")
