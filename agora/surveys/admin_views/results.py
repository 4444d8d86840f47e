"""A survey's results for the team: the open answers of each question, the excerpts
published from them, and the raw responses as a file."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agora.accounts.staff import staff_user
from agora.surveys import building
from agora.surveys.admin_forms import ExcerptForm
from agora.surveys.admin_views.common import (
    breadcrumbs,
    page,
    public_results_url,
    question_of,
    survey_for,
)
from agora.surveys.models import Answer, Excerpt, Question, ResultsVisibility, Survey
from agora.surveys.questions import question_types

ANSWERS_PER_PAGE = 50


def _open_text_questions(survey: Survey) -> list[Question]:
    types = question_types()
    return [
        question
        for question in building.ordered_questions(survey)
        if question.kind in types and types[question.kind].has_open_text(question)
    ]


@require_GET
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.view_survey_results")
    user = staff_user(request)
    questions = _open_text_questions(survey)
    answer_counts = dict(
        Answer.objects.filter(question__in=questions)
        .exclude(text="")
        .values_list("question_id")
        .annotate(n=Count("id"))
        .values_list("question_id", "n")
    )
    excerpts = building.excerpt_counts(questions)
    title = _("Résultats")
    return page(
        request,
        "survey_results.html",
        {
            "page_title": title,
            "page_subtitle": survey.title_fr,
            "header_icon": "view",
            "breadcrumbs_items": breadcrumbs(survey, (request.path, title)),
            "survey": survey,
            "respondents": survey.responses.count(),
            "public_results_url": public_results_url(survey),
            "is_private": survey.results_visibility == ResultsVisibility.PRIVATE,
            "can_change": user.has_perm("surveys.change_survey", survey),
            "can_export": user.has_perm("surveys.export_raw", survey),
            "questions": [
                {
                    "question": question,
                    "answers": answer_counts.get(question.pk, 0),
                    "excerpts": excerpts.get(question.pk, 0),
                }
                for question in questions
            ],
        },
    )


@require_GET
def open_answers(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.view_survey_results")
    question = question_of(survey, question_id)
    if question not in _open_text_questions(survey):
        raise Http404
    page_obj = Paginator(building.open_answers(question), ANSWERS_PER_PAGE).get_page(
        request.GET.get("p")
    )
    title = question.label_fr
    return page(
        request,
        "open_answers.html",
        {
            "page_title": _("Réponses écrites"),
            "page_subtitle": title,
            "header_icon": "doc-full",
            "breadcrumbs_items": breadcrumbs(
                survey,
                (reverse("surveys_admin:results", args=[survey.pk]), _("Résultats")),
                (request.path, title),
            ),
            "survey": survey,
            "question": question,
            "page_obj": page_obj,
            "can_publish": staff_user(request).has_perm("surveys.publish_excerpt", survey),
        },
    )


@require_http_methods(["GET", "POST"])
def excerpt_publish(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.publish_excerpt")
    answer = get_object_or_404(
        Answer.objects.select_related("question", "response"), pk=answer_id, question__survey=survey
    )
    if answer.question not in _open_text_questions(survey) or not answer.text:
        raise Http404
    existing = Excerpt.objects.filter(answer=answer).first()
    form = ExcerptForm(
        request.POST or None,
        instance=existing,
        initial={} if existing else {"text": answer.text},
    )
    if request.method == "POST" and form.is_valid():
        try:
            building.publish_excerpt(
                answer=answer, text=form.cleaned_data["text"], actor=staff_user(request)
            )
        except building.BuilderRefusalError as refusal:
            form.add_error("text", refusal.message)
        else:
            messages.success(request, _("L'extrait est publié avec les résultats."))
            return redirect("surveys_admin:answers", pk=survey.pk, question_id=answer.question_id)
    title = _("Publier un extrait")
    return page(
        request,
        "excerpt_form.html",
        {
            "page_title": title,
            "page_subtitle": answer.question.label_fr,
            "header_icon": "openquote",
            "breadcrumbs_items": breadcrumbs(
                survey,
                (reverse("surveys_admin:results", args=[survey.pk]), _("Résultats")),
                (
                    reverse("surveys_admin:answers", args=[survey.pk, answer.question_id]),
                    answer.question.label_fr,
                ),
                (request.path, title),
            ),
            "survey": survey,
            "answer": answer,
            "form": form,
        },
    )


@require_POST
def excerpt_remove(request: HttpRequest, pk: int, excerpt_id: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.publish_excerpt")
    excerpt = get_object_or_404(Excerpt, pk=excerpt_id, question__survey=survey)
    question_id = excerpt.question_id
    building.remove_excerpt(excerpt=excerpt, actor=staff_user(request))
    messages.success(request, _("L'extrait est retiré des résultats."))
    return redirect("surveys_admin:answers", pk=survey.pk, question_id=question_id)


@require_GET
def raw_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponseBase:
    """The raw responses, written by export_views.py (imported when asked, so that these
    addresses load before that module exists)."""
    survey = survey_for(request, pk, "surveys.export_raw")
    if file_format not in ("csv", "xlsx"):
        raise Http404
    view = import_string("agora.surveys.export_views.raw_export")
    response: HttpResponseBase = view(request, survey.pk, file_format)
    return response
