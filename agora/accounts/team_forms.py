"""Forms of the team pages: organisation profiles for residents; invitations and departments
in /gestion/. They parse input only; the services in invitations.py, organisations.py and
departments.py decide and write."""

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agora.accounts.invitations import departments_open_to, roles_open_to
from agora.accounts.models import Department, Organisation, User


class OrganisationForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ("name", "kind", "description", "website")
        labels = {
            "name": _("Nom de l'organisation"),
            "kind": _("Type d'organisation"),
            "description": _("Description"),
            "website": _("Site web"),
        }
        help_texts = {
            "description": _(
                "Sa mission, son territoire, ses activités (2000 caractères au plus)."
            ),
            "website": _("Adresse complète, par exemple https://www.mon-organisme.org"),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = Organisation.Kind.choices  # radio buttons need no empty choice


class InvitationForm(forms.Form):
    """Who to invite, to which role and department: only the roles and departments the
    inviter may invite to are offered."""

    email = forms.EmailField(label=_("Adresse courriel de la personne invitée"))
    role = forms.ChoiceField(label=_("Rôle"))
    department = forms.ModelChoiceField(
        label=_("Service municipal"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Obligatoire pour un gestionnaire de service ou un modérateur de projet."),
    )

    def __init__(self, *args: Any, inviter: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = cast(forms.ChoiceField, self.fields["role"])
        role.choices = [(role.value, role.label) for role in roles_open_to(inviter)]
        department = cast(forms.ModelChoiceField[Department], self.fields["department"])
        department.queryset = departments_open_to(inviter)


def _team_members() -> QuerySet[User]:
    return User.objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)


class DepartmentForm(forms.ModelForm[Department]):
    class Meta:
        model = Department
        fields = ("name", "managers", "members")
        widgets = {
            "managers": forms.CheckboxSelectMultiple,
            "members": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "managers": _(
                "Membres de l'équipe qui gèrent ce service. Pour ajouter quelqu'un à l'équipe, "
                "invitez-le (Équipe → Invitations)."
            ),
            "members": _("Membres de l'équipe qui travaillent dans ce service."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        for name in ("managers", "members"):
            field = cast(forms.ModelMultipleChoiceField[User], self.fields[name])
            field.queryset = _team_members()
