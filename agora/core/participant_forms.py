"""The one form a participant without an account fills to confirm an e-mail address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.core.antispam import HoneypotFormMixin


class EmailVerificationForm(HoneypotFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse courriel"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez votre adresse courriel."),
            "invalid": _("Indiquez une adresse courriel valide, comme nom@exemple.ca."),
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
