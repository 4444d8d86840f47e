from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import Consent, User


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
