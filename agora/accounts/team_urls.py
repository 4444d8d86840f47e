"""Invitations to the city's team and organisation profiles."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
