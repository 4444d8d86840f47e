"""The forms moderators fill in /gestion/: the reason for hiding or restoring a contribution,
and the city's answer to an idea. The services check the same things again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.ideas.feedback import EXPLANATION_MAX_LENGTH
from agora.ideas.models import IdeaStatus
from agora.ideas.moderation import REASON_MAX_LENGTH


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Affiché publiquement à la place d'un commentaire masqué, et envoyé à l'auteur "
            "s'il a laissé une adresse courriel."
        ),
        error_messages={
            "required": _("Indiquez le motif : il est affiché publiquement et envoyé à l'auteur.")
        },
    )


class RestoreForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (facultatif)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Gardé dans le journal de modération."),
    )


class IdeaStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Réponse de la Ville"), choices=IdeaStatus.choices)
    explanation = forms.CharField(
        label=_("Explication publique"),
        max_length=EXPLANATION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Publiée avec l'idée et envoyée par courriel aux personnes qui la suivent. "
            "Obligatoire pour toute réponse autre que « Reçue »."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        status = cleaned.get("status")
        if status and status != IdeaStatus.RECEIVED and not cleaned.get("explanation"):
            self.add_error(
                "explanation", _("Expliquez cette réponse : elle est publiée avec l'idée.")
            )
        return cleaned
