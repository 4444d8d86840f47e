"""Addresses a participant without an account uses to confirm their e-mail address."""

from django.urls import URLPattern

app_name = "participants"
urlpatterns: list[URLPattern] = []
