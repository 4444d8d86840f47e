"""The survey results hub in the main menu, once a survey's results are public (the city
promised to publish them all)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from agora.core.navigation import MenuItem
from agora.surveys.models import Survey


def results_hub_item() -> MenuItem | None:
    if not Survey.objects.with_public_results().exists():
        return None
    return MenuItem(title=_("Résultats"), url=reverse("results:index"))
