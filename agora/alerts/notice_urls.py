"""The public alerts, under /fr/alertes/ (/en/alerts/)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from agora.alerts import notice_views

app_name = "alert_notices"

urlpatterns = [
    path(_("avis/"), notice_views.notice_list, name="list"),
    path(_("avis/<int:pk>/"), notice_views.notice, name="notice"),
    path(_("avis/flux-rss/"), notice_views.NoticesFeed(), name="rss"),
    path(_("avis/flux-atom/"), notice_views.NoticesAtomFeed(), name="atom"),
]
