"""Invitations to the city's team and organisation profiles."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from agora.accounts import team_views

urlpatterns: list[URLPattern] = [
    path(_("invitation/<str:token>/"), team_views.invitation_accept, name="invitation_accept"),
    path(_("organisations/"), team_views.organisation_list, name="organisation_list"),
    path(_("organisations/nouvelle/"), team_views.organisation_create, name="organisation_create"),
    path(
        _("organisations/<int:pk>/modifier/"),
        team_views.organisation_edit,
        name="organisation_edit",
    ),
]
