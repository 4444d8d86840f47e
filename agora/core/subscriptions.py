"""Confirming and ending an e-mail subscription, the same in every module that lets residents
follow something by e-mail (a project, an idea): the link in the message is the only key,
and following it again changes nothing. The pages of those links are `subscription_views`."""

from django.utils import timezone

from agora.core.models import EmailSubscription


class UnknownSubscriptionLinkError(Exception):
    """The link's token names no subscription (mistyped, or replaced by a newer one)."""


def confirm[Subscription: EmailSubscription](subscription: Subscription) -> Subscription:
    if not subscription.is_active:
        subscription.verified_at = subscription.verified_at or timezone.now()
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["verified_at", "unsubscribed_at"])
    return subscription


def end[Subscription: EmailSubscription](subscription: Subscription) -> Subscription:
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription
