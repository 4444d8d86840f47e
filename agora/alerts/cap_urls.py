"""CAP messages and their Atom index, at /cap/."""

from django.urls import path

from agora.alerts import cap_views

app_name = "alert_cap"

urlpatterns = [
    path("alertes.atom", cap_views.CapAtomFeed(), name="feed"),
    path("<str:identifier>.xml", cap_views.cap_message, name="message"),
]
