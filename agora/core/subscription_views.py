"""The pages of the links an e-mail subscription sends: the confirmation link, and the
one-click unsubscribe link of every message. Each module subclasses them with its own lookup,
templates and context:

    class ConfirmFollowView(ConfirmSubscriptionView[ProjectFollower]):
        template_name = "participation/follow_confirm.html"
        unknown_template_name = "participation/follow_link_unknown.html"
        context_object_name = "follower"

        def find(self, token: str) -> ProjectFollower: ...
        def context(self, subscription: ProjectFollower) -> dict[str, Any]: ...

Mail clients and security scanners open links before the person reads them, so a GET never
changes anything: it shows a button that posts. The unsubscribe address also takes the POST
that mail clients send on their own (RFC 8058, List-Unsubscribe-Post), which carries no CSRF
token: the secret token in the address is the proof.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from agora.core import subscriptions
from agora.core.models import EmailSubscription


@method_decorator(never_cache, name="dispatch")
class SubscriptionLinkView[Subscription: EmailSubscription](View):
    """A link's page: `template_name` with a button on GET, `done_template_name` (or
    `template_name` again, which then shows the new state) once the button is pressed,
    `unknown_template_name` with a 404 for a token that names no subscription. The
    templates find the subscription under `context_object_name`."""

    http_method_names = ["get", "post"]
    template_name = ""
    done_template_name = ""
    unknown_template_name = ""
    context_object_name = "subscription"

    def find(self, token: str) -> Subscription:
        """The subscription of `token`; raises `UnknownSubscriptionLinkError` when none."""
        raise NotImplementedError

    def context(self, subscription: Subscription) -> dict[str, Any]:
        """What the module's templates show beside `subscription`."""
        return {}

    def act(self, subscription: Subscription) -> Subscription:
        raise NotImplementedError

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            subscription = self.find(token)
        except subscriptions.UnknownSubscriptionLinkError:
            return self.unknown(request)
        return self.page(request, self.template_name, subscription)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            with transaction.atomic():
                subscription = self.act(self.find(token))
        except subscriptions.UnknownSubscriptionLinkError:
            return self.unknown(request)
        return self.page(request, self.done_template_name or self.template_name, subscription)

    def page(self, request: HttpRequest, template: str, subscription: Subscription) -> HttpResponse:
        context = {self.context_object_name: subscription, **self.context(subscription)}
        return render(request, template, context)

    def unknown(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.unknown_template_name, status=404)


class ConfirmSubscriptionView[Subscription: EmailSubscription](SubscriptionLinkView[Subscription]):
    """The confirmation link: pressing its button starts the subscription."""

    def act(self, subscription: Subscription) -> Subscription:
        return subscriptions.confirm(subscription)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView[Subscription: EmailSubscription](SubscriptionLinkView[Subscription]):
    """The unsubscribe link: its button, or a mail program's one-click POST, ends the
    subscription at once."""

    def act(self, subscription: Subscription) -> Subscription:
        return subscriptions.end(subscription)
