"""The public results hub: /fr/resultats/ and /en/results/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from agora.surveys import results_views

app_name = "results"
urlpatterns = [
    path("", results_views.index, name="index"),
    path("<slug:slug>/", results_views.detail, name="detail"),
    path(_("<slug:slug>/integrer/"), results_views.embed, name="embed"),
    path(_("<slug:slug>/image.png"), results_views.og_image_view, name="og_image"),
    path(_("<slug:slug>/exporter/<str:file_format>/"), results_views.export, name="export"),
]
