"""Addresses of the idea box that do not hang under a project page: the links of the e-mails
sent to people who follow an idea."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from agora.ideas import feedback_views

app_name = "ideas"
urlpatterns = [
    path(
        _("suivi/<str:token>/confirmer/"),
        feedback_views.FollowConfirmView.as_view(),
        name="follow_confirm",
    ),
    path(
        _("suivi/<str:token>/desabonnement/"),
        feedback_views.FollowUnsubscribeView.as_view(),
        name="follow_unsubscribe",
    ),
]
