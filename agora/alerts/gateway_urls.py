"""Callbacks of the SMS and voice gateways (delivery reports, inbound messages): not localised."""

from django.urls import URLPattern, URLResolver, path

from agora.alerts import gateway_views

app_name = "alerts_gateways"

urlpatterns: list[URLPattern | URLResolver] = [
    path("kannel/rapport/", gateway_views.kannel_report, name="kannel-report"),
    path("kannel/sms-entrant/", gateway_views.kannel_inbound, name="kannel-inbound"),
]
