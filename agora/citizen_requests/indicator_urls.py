"""The public indicators of citizen requests, and the public map and list of requests."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
