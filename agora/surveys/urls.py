"""Answering a survey: /fr/sondages/<slug>/ and /en/surveys/<slug>/."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from agora.surveys import views

app_name = "surveys"
urlpatterns: list[URLPattern] = [
    path("<slug:slug>/", views.survey_detail, name="detail"),
    path(_("<slug:slug>/section/<int:number>/"), views.survey_section, name="section"),
    path(_("<slug:slug>/envoi/"), views.survey_submit, name="submit"),
    path(_("<slug:slug>/merci/"), views.survey_thanks, name="thanks"),
]
