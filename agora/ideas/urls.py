"""Addresses of the idea box that do not hang under a project page: the links of the e-mails
sent to people who follow an idea, and the support buttons of the (cached) idea list."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from agora.ideas import contribute_views, feedback_views

app_name = "ideas"
urlpatterns = [
    path(
        _("<int:idea_id>/appui/"),
        contribute_views.idea_react_from_list,
        name="react_from_list",
    ),
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
