from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User


class SignupDetailsForm(forms.Form):
    """What a resident gives besides e-mail and password: the name others will see."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)

    def signup(self, request: HttpRequest, user: User) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])
