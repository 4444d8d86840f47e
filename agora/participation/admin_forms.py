"""Forms of the projects' screens in /gestion/."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.participation.models import ProjectPage
from agora.participation.moderators import moderator_candidates
from agora.participation.updates import (
    IMAGE_DESCRIPTION_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)


class ModeratorChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        # Staff choose among colleagues: the address tells two people of the same name apart.
        return f"{obj} ({obj.email})"


class AssignModeratorForm(forms.Form):
    """Choose a member of the team with the project-moderator role who does not moderate the
    project yet; any other id (tampered with) is refused as an invalid choice."""

    user = ModeratorChoiceField(
        label=_("Modérateur à ajouter"),
        queryset=User.objects.none(),
        empty_label=_("Choisissez une personne"),
        help_text=_(
            "Seules les personnes qui ont le rôle de modérateur de projet sont proposées. "
            "Invitez d'abord quelqu'un avec ce rôle depuis Équipe → Invitations."
        ),
    )

    def __init__(self, *args: Any, project: ProjectPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            moderator_candidates()
            .exclude(moderated_projects__project=project.source)
            .order_by("last_name", "first_name", "email")
        )


def _today() -> datetime.date:
    return timezone.localdate()


class ProjectUpdateForm(forms.Form):
    """ "Publier une mise à jour": the few fields of an update, checked again by the service
    (updates.py), which reports its refusals on the same fields."""

    title = forms.CharField(
        label=_("Titre"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Donnez un titre à la mise à jour.")},
    )
    date = forms.DateField(
        label=_("Date"),
        initial=_today,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("La date que la page du projet affiche pour cette mise à jour."),
        error_messages={
            "required": _("Indiquez la date de la mise à jour."),
            "invalid": _("Indiquez une date valide, par exemple 2026-05-14."),
        },
    )
    text = forms.CharField(
        label=_("Texte"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Chaque ligne devient un paragraphe."),
        error_messages={"required": _("Écrivez le texte de la mise à jour.")},
    )
    image = forms.FileField(
        label=_("Image (facultatif)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("Une photo JPEG, PNG ou WebP. Ses métadonnées (lieu, appareil) sont retirées."),
    )
    image_description = forms.CharField(
        label=_("Description de l'image"),
        required=False,
        max_length=IMAGE_DESCRIPTION_MAX_LENGTH,
        help_text=_("Ce que montre l'image, pour les personnes qui ne la voient pas."),
    )
