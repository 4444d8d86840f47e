"""The residents' side of citizen requests, under /fr/requetes/ (/en/requests/): choosing a
service, placing and describing the problem (report_views.py), and following a request by
its tracking number or by the private link (follow_views.py)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from agora.citizen_requests import account, follow_views, report_views

app_name = "citizen_requests"
urlpatterns = [
    path("", report_views.choose, name="choose"),
    path(_("signaler/<slug:code>/"), report_views.place, name="place"),
    path(_("signaler/<slug:code>/precisions/"), report_views.details, name="details"),
    path(_("moi-aussi/<str:tracking>/"), report_views.add_voice, name="voice"),
    path("", include("agora.citizen_requests.indicator_urls")),
    path(_("mes-requetes/"), account.mine, name="mine"),
    path(_("suivi/"), follow_views.lookup, name="lookup"),
    path(_("suivi/<str:tracking>/"), follow_views.status, name="status"),
    path(_("suivi-prive/<str:token>/"), follow_views.private, name="private"),
    path(
        _("suivi/<str:tracking>/photos/<int:photo_id>/"),
        follow_views.status_photo,
        name="status_photo",
    ),
    path(
        _("suivi-prive/<str:token>/photos/<int:photo_id>/"),
        follow_views.private_photo,
        name="private_photo",
    ),
]
