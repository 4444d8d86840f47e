"""The public indicators of citizen requests, and the public map and list of requests."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from agora.citizen_requests import indicator_views

urlpatterns: list[URLPattern] = [
    path(_("indicateurs/"), indicator_views.indicators_page, name="indicators"),
    path(
        _("indicateurs/donnees.<str:file_format>"),
        indicator_views.indicators_export,
        name="indicators_export",
    ),
    path(_("publiques/"), indicator_views.public_list, name="public_list"),
]
