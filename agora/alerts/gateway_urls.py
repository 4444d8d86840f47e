"""Callbacks of the SMS and voice gateways (delivery reports, inbound messages): not localised."""

from django.urls import URLPattern, URLResolver, path

from agora.alerts import gateway_views, twilio_views

app_name = "alerts_gateways"

urlpatterns: list[URLPattern | URLResolver] = [
    path("kannel/rapport/", gateway_views.kannel_report, name="kannel-report"),
    path("kannel/sms-entrant/", gateway_views.kannel_inbound, name="kannel-inbound"),
    path("twilio/sms/statut/", twilio_views.twilio_sms_status, name="twilio-sms-status"),
    path("twilio/sms-entrant/", twilio_views.twilio_inbound, name="twilio-inbound"),
    path("twilio/appel/", twilio_views.twilio_call, name="twilio-call"),
    path("twilio/appel/statut/", twilio_views.twilio_call_status, name="twilio-call-status"),
]
