from typing import Any

from django import forms
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from agora.accounts.models import Consent, User
from agora.accounts.services import may_change_superuser


class SignupDetailsForm(forms.Form):
    """What a resident gives besides e-mail and password: the name others will see."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)

    def signup(self, request: HttpRequest, user: User) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])


class NameForm(forms.Form):
    """The resident corrects the name shown with what they publish."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)


class DeleteAccountForm(forms.Form):
    """The resident types their address to show they mean it and are on the right account."""

    email = forms.EmailField(
        label=_("Votre adresse courriel"),
        help_text=_("Tapez l'adresse de votre compte pour confirmer la suppression."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if email.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(
                _(
                    "Cette adresse n'est pas celle de votre compte. Rien n'a été supprimé : "
                    "vérifiez l'adresse et recommencez."
                ),
                code="wrong_email",
            )
        return email


class ConsentForm(forms.Form):
    """Gives or withdraws one consent: one small form, one button, per purpose."""

    GRANT = "grant"
    WITHDRAW = "withdraw"

    purpose = forms.TypedChoiceField(
        choices=Consent.Purpose.choices, coerce=Consent.Purpose, widget=forms.HiddenInput
    )
    decision = forms.ChoiceField(
        choices=[(GRANT, _("Donner mon consentement")), (WITHDRAW, _("Retirer mon consentement"))],
        widget=forms.HiddenInput,
    )


# Wagtail's Users screens (/gestion/users/)

ACCOUNT_FIELDS = {"email", "first_name", "last_name"}


class _AccessFieldsMixin(forms.Form):
    """Wagtail's user form, whose roles and superuser flag the view hands to
    `services.change_access` (which checks and audits them) instead of writing them itself.
    The superuser checkbox is offered to superusers only; a field not offered ignores what
    is posted under its name."""

    groups = forms.ModelMultipleChoiceField(
        label=_("Groupes"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, for_user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_change_superuser(for_user):
            self.fields.pop("is_superuser", None)

    def access(self) -> dict[str, Any]:
        """The keyword arguments of `change_access` for what the form offered."""
        data = self.cleaned_data
        access: dict[str, Any] = {"groups": data["groups"]}
        if "is_superuser" in self.fields:
            access["is_superuser"] = data["is_superuser"]
        return access


class AgoraUserCreationForm(_AccessFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ACCOUNT_FIELDS  # what the form writes; the access goes through the service


class AgoraUserEditForm(_AccessFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = {*ACCOUNT_FIELDS, "is_active"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("groups", list(self.instance.groups.all()))
