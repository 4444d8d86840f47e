"""The two subscription link pages wired the way a module wires them, over a project's
followers, with plain templates (agora/core/tests/templates/test_subscription/)."""

from typing import Any

from django.urls import URLPattern, path

from agora.core.subscription_views import ConfirmSubscriptionView, UnsubscribeView
from agora.core.subscriptions import UnknownSubscriptionLinkError
from agora.participation.models import ProjectFollower


def _follower(token: str) -> ProjectFollower:
    follower = ProjectFollower.objects.filter(token=token).first()
    if follower is None:
        raise UnknownSubscriptionLinkError
    return follower


class ConfirmView(ConfirmSubscriptionView[ProjectFollower]):
    template_name = "test_subscription/link.html"
    done_template_name = "test_subscription/done.html"
    unknown_template_name = "test_subscription/unknown.html"

    def find(self, token: str) -> ProjectFollower:
        return _follower(token)

    def context(self, subscription: ProjectFollower) -> dict[str, Any]:
        return {"subject": subscription.project.title}


class EndView(UnsubscribeView[ProjectFollower]):
    template_name = "test_subscription/link.html"
    unknown_template_name = "test_subscription/unknown.html"

    def find(self, token: str) -> ProjectFollower:
        return _follower(token)


urlpatterns: list[URLPattern] = [
    path("confirmer/<str:token>/", ConfirmView.as_view()),
    path("desabonnement/<str:token>/", EndView.as_view()),
]
