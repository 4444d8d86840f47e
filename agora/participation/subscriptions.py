"""Confirming and ending an e-mail subscription, the same for a project's followers and an
idea's: the link in the message is the only key, and following it again changes nothing."""

from django.utils import timezone

from agora.participation.models import EmailSubscription


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
