"""Addresses a participant without an account uses to confirm their e-mail address."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from agora.core import participant_views

app_name = "participants"
urlpatterns: list[URLPattern] = [
    path(_("courriel/"), participant_views.verify_email, name="verify"),
    path(_("courriel/<str:token>/"), participant_views.confirm_email, name="confirm"),
]
