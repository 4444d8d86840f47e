"""Addresses of the participation module that do not hang under a project page: the links
sent to people who follow a project (/fr/abonnements/…, /en/subscriptions/…)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from agora.participation import follow_views

app_name = "participation"
urlpatterns: list[URLPattern] = [
    path(
        _("projets/confirmer/<slug:token>/"),
        follow_views.ConfirmFollowView.as_view(),
        name="follow_confirm",
    ),
    path(
        _("projets/desabonnement/<slug:token>/"),
        follow_views.UnsubscribeFollowView.as_view(),
        name="unsubscribe",
    ),
]
