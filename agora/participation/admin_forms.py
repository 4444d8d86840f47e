"""Forms of the projects' screens in /gestion/."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.participation.models import ProjectPage
from agora.participation.moderators import moderator_candidates


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
