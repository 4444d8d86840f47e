"""The "Requêtes" section of the main menu, while the city offers services to report to."""

from django.urls import reverse
from django.utils.translation import gettext as _

from agora.citizen_requests.models import RequestService
from agora.core import navigation
from agora.core.navigation import MenuItem


def requests_item() -> MenuItem | None:
    if not RequestService.objects.filter(active=True).exists():
        return None
    return MenuItem(title=_("Requêtes"), url=reverse("citizen_requests:choose"))


def register() -> None:
    navigation.register(requests_item)
