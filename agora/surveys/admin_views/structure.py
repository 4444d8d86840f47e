"""A survey's structure in the builder: its sections and questions (with their type's
settings, their choices and their display conditions), their order, and deleting them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agora.accounts.staff import staff_user
from agora.surveys import builder_services, building
from agora.surveys.admin_forms import (
    ChoiceFormSet,
    QuestionForm,
    QuestionKindForm,
    SectionForm,
)
from agora.surveys.admin_views.common import (
    breadcrumbs,
    page,
    question_of,
    section_of,
    survey_for,
)
from agora.surveys.models import Choice, ChoiceRole, Question, Section, Survey
from agora.surveys.questions import question_types

# Sections


@require_http_methods(["GET", "POST"])
def section_form(request: HttpRequest, pk: int, section_id: int | None = None) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.change_survey")
    section = section_of(survey, section_id) if section_id else Section(survey=survey)
    form = SectionForm(request.POST or None, instance=section, survey=survey)
    if request.method == "POST" and form.is_valid():
        section = form.save(commit=False)
        save = builder_services.change_section if section.pk else builder_services.add_section
        try:
            save(actor=staff_user(request), section=section)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("La section est enregistrée."))
            return redirect("surveys_admin:build", pk=survey.pk)
    title = _("Modifier la section") if section.pk else _("Nouvelle section")
    return page(
        request,
        "section_form.html",
        {
            "page_title": title,
            "page_subtitle": survey.title_fr,
            "header_icon": "doc-empty",
            "breadcrumbs_items": breadcrumbs(survey, (request.path, title)),
            "survey": survey,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def section_delete(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.change_survey")
    section = section_of(survey, section_id)

    def delete() -> None:
        builder_services.delete_section(actor=staff_user(request), section=section)

    return _delete_or_confirm(
        request,
        survey,
        delete,
        deleted=_("La section est supprimée."),
        name=section.title_fr,
        question_count=section.questions.count(),
    )


@require_POST
def section_move(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.change_survey")
    section = section_of(survey, section_id)

    def move(direction: str) -> None:
        builder_services.move_section(
            actor=staff_user(request), section=section, direction=direction
        )

    return _move(request, survey, move, anchor=f"#section-{section.pk}")


def _move(
    request: HttpRequest, survey: Survey, move: Callable[[str], None], anchor: str
) -> HttpResponse:
    """Moves a section or question up or down (the POST's `direction`), then back to it in
    the builder; a refusal is shown there."""
    try:
        move(_direction(request))
    except building.BuilderRefusalError as refusal:
        messages.error(request, refusal.message)
    return redirect(reverse("surveys_admin:build", args=[survey.pk]) + anchor)


def _direction(request: HttpRequest) -> str:
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        raise Http404
    return direction


def _delete_or_confirm(
    request: HttpRequest,
    survey: Survey,
    delete: Callable[[], None],
    *,
    deleted: str,
    name: str,
    question_count: int = 0,
) -> HttpResponse:
    """A POST deletes (a refusal is shown in the builder, else `deleted`) and returns to the
    builder; a GET asks first."""
    if request.method == "POST":
        try:
            delete()
        except building.BuilderRefusalError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, deleted)
        return redirect("surveys_admin:build", pk=survey.pk)
    title = _("Supprimer « %(name)s »") % {"name": name}
    return page(
        request,
        "confirm_delete.html",
        {
            "page_title": title,
            "header_icon": "bin",
            "breadcrumbs_items": breadcrumbs(survey, (request.path, title)),
            "survey": survey,
            "name": name,
            "question_count": question_count,
            "has_responses": survey.has_responses,
        },
    )


# Questions


@require_GET
def question_kind(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    """The first step of adding a question: its type (a form sent by GET, without JS)."""
    survey = survey_for(request, pk, "surveys.change_survey")
    section = section_of(survey, section_id)
    kind = request.GET.get("kind")
    if kind in question_types():
        return redirect(
            "surveys_admin:question_add", pk=survey.pk, section_id=section.pk, kind=kind
        )
    title = _("Nouvelle question")
    return page(
        request,
        "question_kind.html",
        {
            "page_title": title,
            "page_subtitle": section.title_fr,
            "header_icon": "plus",
            "breadcrumbs_items": breadcrumbs(survey, (request.path, title)),
            "survey": survey,
            "section": section,
            "form": QuestionKindForm(request.GET if kind is not None else None),
        },
    )


@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, pk: int, section_id: int, kind: str) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.change_survey")
    section = section_of(survey, section_id)
    if kind not in question_types():
        raise Http404
    question = Question(survey=survey, section=section, kind=kind)
    return _question_page(request, survey, section, question)


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.change_survey")
    question = question_of(survey, question_id)
    return _question_page(request, survey, question.section, question)


def _choice_formsets(
    request: HttpRequest, question: Question, question_type: Any, locked: bool
) -> dict[str, Any]:
    """The formsets of the question's options and rows, for the types that use them. A new
    question of a type with default choices gets those, to edit afterwards."""
    data = request.POST or None
    adding_with_defaults = question.pk is None and bool(question_type.default_choices)
    formsets: dict[str, Any] = {}
    for role, prefix, used in (
        (ChoiceRole.OPTION, "choix", question_type.uses_choices and not adding_with_defaults),
        (ChoiceRole.ROW, "lignes", question_type.uses_rows),
    ):
        if not used:
            continue
        queryset = (
            Choice.objects.filter(question=question, role=role).order_by("position", "pk")
            if question.pk
            else Choice.objects.none()
        )
        formsets[str(role)] = ChoiceFormSet(data, queryset=queryset, prefix=prefix, locked=locked)
    return formsets


def _question_page(
    request: HttpRequest, survey: Survey, section: Section, question: Question
) -> HttpResponse:
    locked = question.pk is not None and survey.has_responses
    form = QuestionForm(
        request.POST or None, instance=question, section=section, kind=question.kind, locked=locked
    )
    formsets = (
        {} if form.kind_changed else _choice_formsets(request, question, form.question_type, locked)
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and all(f.is_valid() for f in formsets.values())
    ):
        adding = form.instance.pk is None
        save = builder_services.add_question if adding else builder_services.change_question
        try:
            save(actor=staff_user(request), question=form.save(commit=False), choices=formsets)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        except building.BuilderRefusalError as refusal:
            form.add_error(None, refusal.message)
        else:
            if form.kind_changed:
                messages.success(
                    request,
                    _("Le type de la question a changé : vérifiez ses réglages et ses choix."),
                )
                return redirect(
                    "surveys_admin:question", pk=survey.pk, question_id=form.instance.pk
                )
            messages.success(request, _("La question est enregistrée."))
            return redirect(
                reverse("surveys_admin:build", args=[survey.pk]) + f"#question-{form.instance.pk}"
            )
    title = _("Modifier la question") if question.pk else _("Nouvelle question")
    return page(
        request,
        "question_form.html",
        {
            "page_title": title,
            "page_subtitle": f"{form.question_type.label} — {section.title_fr}",
            "header_icon": "help",
            "breadcrumbs_items": breadcrumbs(survey, (request.path, title)),
            "survey": survey,
            "section": section,
            "question": question,
            "form": form,
            "locked": locked,
            "formsets": list(formsets.values()),
            "has_formset_errors": any(f.total_error_count() for f in formsets.values()),
            "option_formset": formsets.get(ChoiceRole.OPTION),
            "row_formset": formsets.get(ChoiceRole.ROW),
        },
    )


@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.change_survey")
    question = question_of(survey, question_id)

    def delete() -> None:
        builder_services.delete_question(actor=staff_user(request), question=question)

    return _delete_or_confirm(
        request, survey, delete, deleted=_("La question est supprimée."), name=question.label_fr
    )


@require_POST
def question_move(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    survey = survey_for(request, pk, "surveys.change_survey")
    question = question_of(survey, question_id)

    def move(direction: str) -> None:
        builder_services.move_question(
            actor=staff_user(request), question=question, direction=direction
        )

    return _move(request, survey, move, anchor=f"#question-{question.pk}")
