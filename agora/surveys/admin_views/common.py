"""What every "Sondages" screen shares: the survey of the address with its permission checked,
the section or question found inside that survey only, the breadcrumbs and the addresses of
its public pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from agora.accounts.staff import object_or_refuse
from agora.surveys.models import Question, Section, Survey


def survey_for(request: HttpRequest, pk: int, permission: str) -> Survey:
    """The survey `pk`, once the member of the team may `permission` on it (else 403)."""
    return object_or_refuse(request, Survey, permission, pk=pk)


def section_of(survey: Survey, section_id: int) -> Section:
    """The section `section_id` of this survey; 404 for another survey's."""
    return get_object_or_404(Section, pk=section_id, survey=survey)


def question_of(survey: Survey, question_id: int) -> Question:
    """The question `question_id` of this survey; 404 for another survey's."""
    return get_object_or_404(
        Question.objects.select_related("section"), pk=question_id, survey=survey
    )


def breadcrumbs(survey: Survey | None = None, *items: tuple[str, str]) -> list[dict[str, str]]:
    crumbs = [
        {"url": reverse("wagtailadmin_home"), "label": _("Accueil")},
        {"url": reverse("surveys_admin:index"), "label": _("Sondages")},
    ]
    if survey is not None:
        crumbs.append(
            {"url": reverse("surveys_admin:build", args=[survey.pk]), "label": survey.title_fr}
        )
    return [*crumbs, *({"url": url, "label": label} for url, label in items)]


def page(request: HttpRequest, template: str, context: dict[str, Any]) -> TemplateResponse:
    # Under breadcrumbs, Wagtail's header names the screen (its <h1> and <title>) from
    # `header_title` only.
    context.setdefault("header_title", context.get("page_title", ""))
    return TemplateResponse(request, f"surveys/admin/{template}", context)


def preview_url(survey: Survey) -> str:
    try:
        return reverse("surveys:detail", args=[survey.slug])
    except NoReverseMatch:
        return ""


def public_results_url(survey: Survey) -> str:
    if not survey.results_are_public():
        return ""
    try:
        return reverse("results:detail", args=[survey.slug])
    except NoReverseMatch:
        return ""
