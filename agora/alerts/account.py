"""A signed-in resident's alerts on "Mon compte": their subscription (its contact points and
places), with the link to the page where they manage it (/fr/alertes/mon-abonnement/).

A subscription is a resident's when it was made while signed in; one made without an account
stays reachable by its private link only, so that an address typed by someone else never
shows a subscription in an account."""

from __future__ import annotations

from django.db.models import Prefetch

from agora.accounts import account_panels
from agora.accounts.account_panels import AccountPanel
from agora.accounts.models import User
from agora.alerts.models import ContactPoint, Subscriber


def panel(user: User) -> AccountPanel | None:
    """The current subscription, or nothing for a resident who has none."""
    subscriber = (
        Subscriber.objects.filter(user=user, unsubscribed_at=None)
        .prefetch_related(
            "places",
            Prefetch("contact_points", queryset=ContactPoint.objects.filter(opted_out_at=None)),
        )
        .first()
    )
    if subscriber is None:
        return None
    contacts = list(subscriber.contact_points.all())
    return AccountPanel(
        template="alerts/account/panel.html",
        context={
            "subscriber": subscriber,
            "contacts": contacts,
            "places": list(subscriber.places.all()),
            "reaches_someone": any(contact.is_active for contact in contacts),
        },
    )


def register() -> None:
    account_panels.register(panel)
