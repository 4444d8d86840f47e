"""Addresses of the participation module that do not hang under a project page."""

from django.urls import URLPattern

app_name = "participation"
urlpatterns: list[URLPattern] = []
