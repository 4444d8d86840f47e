"""Creating a survey and changing its settings, the builder's overview of a survey, and
publishing, unpublishing and closing it. The list of surveys is a Wagtail listing
(admin_viewsets.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agora.accounts.staff import require_permission, staff_user
from agora.surveys import approval, builder_services, building
from agora.surveys.admin_forms import SurveyForm
from agora.surveys.admin_views.common import breadcrumbs, page, preview_url, survey_for
from agora.surveys.models import SurveyKind
from agora.surveys.questions import question_types

# A survey's settings


def _refused(form: SurveyForm, refusal: Exception) -> None:
    """Shows a refusal of the service on the form, field by field where it names fields."""
    if isinstance(refusal, ValidationError):
        form.add_error(None, refusal)
    elif isinstance(refusal, building.BuilderRefusalError):
        form.add_error(None, refusal.message)


@require_http_methods(["GET", "POST"])
def survey_add(request: HttpRequest) -> HttpResponse:
    user = require_permission(request, "surveys.add_survey")
    form = SurveyForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            survey = builder_services.create_survey(
                actor=user, survey=form.save(commit=False), themes=form.cleaned_data["themes"]
            )
        except (ValidationError, building.BuilderRefusalError) as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("Le sondage est créé. Ajoutez-lui maintenant une section."))
            return redirect("surveys_admin:build", pk=survey.pk)
    return page(
        request,
        "survey_form.html",
        {
            "page_title": _("Nouveau sondage"),
            "header_icon": "plus",
            "breadcrumbs_items": breadcrumbs(None, (request.path, _("Nouveau sondage"))),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def survey_settings(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.change_survey")
    user = staff_user(request)
    form = SurveyForm(request.POST or None, instance=survey, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            builder_services.change_survey_settings(
                actor=user, survey=form.save(commit=False), themes=form.cleaned_data["themes"]
            )
        except (ValidationError, building.BuilderRefusalError) as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("Les réglages du sondage sont enregistrés."))
            return redirect("surveys_admin:build", pk=survey.pk)
    title = _("Réglages du sondage")
    return page(
        request,
        "survey_form.html",
        {
            "page_title": title,
            "page_subtitle": survey.title_fr,
            "header_icon": "cog",
            "breadcrumbs_items": breadcrumbs(survey, (request.path, title)),
            "form": form,
            "survey": survey,
            "settings_locked": (
                builder_services.PUBLISHED_SETTINGS_LOCKED
                if builder_services.settings_locked_for(user, survey)
                else ""
            ),
        },
    )


# The builder's overview of a survey


@require_GET
def survey_build(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.change_survey")
    user = staff_user(request)
    labels = {key: str(kind.label) for key, kind in question_types().items()}
    sections = [
        {
            "section": section,
            "questions": [
                {"question": question, "kind_label": labels.get(question.kind, question.kind)}
                for question in sorted(section.questions.all(), key=lambda q: (q.position, q.pk))
            ],
        }
        for section in survey.sections.order_by("position", "pk")
        .prefetch_related("questions__condition_question")
        .select_related("condition_question")
    ]
    responses = survey.responses.count()
    return page(
        request,
        "survey_build.html",
        {
            "page_title": survey.title_fr,
            "header_icon": "list-ul",
            "breadcrumbs_items": breadcrumbs(survey),
            "survey": survey,
            "status": building.STATUS_LABELS[building.status_of(survey)],
            "status_key": building.status_of(survey),
            "sections": sections,
            "responses": responses,
            "problems": building.publishing_problems(survey),
            "preview_url": preview_url(survey),
            "can_publish": user.has_perm("surveys.publish_survey", survey),
            "can_submit": user.has_perm(approval.SUBMIT, survey),
            "can_review": user.has_perm(approval.APPROVE, survey),
            "awaiting": approval.awaiting_label(survey),
            "can_view_results": user.has_perm("surveys.view_survey_results", survey),
            "is_one_off": survey.kind == SurveyKind.ONE_OFF,
        },
    )


# Publishing


@require_POST
def survey_publish(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.publish_survey")
    try:
        building.publish_survey(survey=survey, actor=staff_user(request))
    except building.BuilderRefusalError as refusal:
        messages.error(request, _("Le sondage n'est pas publié. %(why)s") % {"why": refusal})
    else:
        messages.success(request, _("Le sondage est publié."))
    return redirect("surveys_admin:build", pk=survey.pk)


@require_POST
def survey_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.publish_survey")
    building.unpublish_survey(survey=survey, actor=staff_user(request))
    messages.success(request, _("Le sondage n'est plus publié."))
    return redirect("surveys_admin:build", pk=survey.pk)


@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.publish_survey")
    try:
        building.close_survey(survey=survey, actor=staff_user(request))
    except building.BuilderRefusalError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Le sondage est fermé : il ne reçoit plus de réponses."))
    return redirect("surveys_admin:build", pk=survey.pk)
