"""The "Alertes" item of the main menu, once the city offers at least one topic."""

from django.urls import reverse
from django.utils.translation import gettext as _

from agora.alerts.models import Topic
from agora.core import navigation
from agora.core.navigation import MenuItem


def alerts_item() -> MenuItem | None:
    if not Topic.objects.filter(active=True).exists():
        return None
    return MenuItem(title=_("Alertes"), url=reverse("alerts:subscribe"))


def register() -> None:
    navigation.register(alerts_item)
