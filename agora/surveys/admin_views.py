"""The "Sondages" screens of /gestion/: the surveys a person follows, building one (settings,
sections, questions, choices, conditions), publishing and closing it, and its results for the
team (raw exports, open answers and the excerpts published from them).

Wagtail serves these addresses behind its back-office access check (wagtail_hooks.py); each
view then asks rules.py about the survey, and refuses with 403. The changes themselves are the
functions of building.py, which keep the survey's integrity once it has responses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agora.accounts.models import User
from agora.surveys import building
from agora.surveys.admin_forms import (
    ChoiceFormSet,
    ExcerptForm,
    QuestionForm,
    QuestionKindForm,
    SectionForm,
    SurveyForm,
    condition_values,
)
from agora.surveys.models import (
    Answer,
    Choice,
    ChoiceRole,
    Excerpt,
    Question,
    ResultsVisibility,
    Section,
    Survey,
    SurveyKind,
)
from agora.surveys.questions import question_types

SURVEYS_PER_PAGE = 50
ANSWERS_PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "the back office requires a logged-in user"
    return user


def _forbidden(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "surveys/admin/forbidden.html",
        {"page_title": _("Accès refusé"), "header_icon": "warning"},
        status=403,
    )


def _survey_for(request: HttpRequest, pk: int, permission: str) -> Survey | HttpResponse:
    survey = get_object_or_404(Survey, pk=pk)
    if not _user(request).has_perm(permission, survey):
        return _forbidden(request)
    return survey


def _breadcrumbs(survey: Survey | None = None, *items: tuple[str, str]) -> list[dict[str, str]]:
    crumbs = [
        {"url": reverse("wagtailadmin_home"), "label": _("Accueil")},
        {"url": reverse("surveys_admin:index"), "label": _("Sondages")},
    ]
    if survey is not None:
        crumbs.append(
            {"url": reverse("surveys_admin:build", args=[survey.pk]), "label": survey.title_fr}
        )
    return [*crumbs, *({"url": url, "label": label} for url, label in items)]


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> TemplateResponse:
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


# The surveys a person follows

KIND_FILTERS = dict(SurveyKind.choices)


@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_perm("surveys.list_surveys"):
        return _forbidden(request)
    surveys = building.surveys_followed_by(user)
    kind = request.GET.get("type", "")
    status = request.GET.get("etat", "")
    if kind in KIND_FILTERS:
        surveys = surveys.filter(kind=kind)
    if status in building.STATUS_LABELS:
        surveys = surveys.filter(building.status_filter(status))
    surveys = surveys.annotate(response_count=Count("responses")).order_by("-created_at", "-pk")
    page = Paginator(surveys, SURVEYS_PER_PAGE).get_page(request.GET.get("p"))
    rows = [
        {
            "survey": survey,
            "status": building.STATUS_LABELS[building.status_of(survey)],
            "can_change": user.has_perm("surveys.change_survey", survey),
            "can_view_results": user.has_perm("surveys.view_survey_results", survey),
        }
        for survey in page
    ]
    filters = {"type": kind if kind in KIND_FILTERS else "", "etat": status}
    query = "&".join(f"{name}={value}" for name, value in filters.items() if value)
    return _page(
        request,
        "survey_list.html",
        {
            "page_title": _("Sondages"),
            "header_icon": "list-ul",
            "rows": rows,
            "page_obj": page,
            "kinds": SurveyKind.choices,
            "statuses": list(building.STATUS_LABELS.items()),
            "filters": filters,
            "filter_query": f"&{query}" if query else "",
            "filtered": bool(query),
            "can_add": user.has_perm("surveys.add_survey"),
        },
    )


# A survey's settings

OUT_OF_REACH = _(
    "Avec ce projet et ce service, vous ne pourriez plus gérer ce sondage : choisissez un "
    "projet que vous modérez ou un service que vous gérez."
)


@require_http_methods(["GET", "POST"])
def survey_add(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_perm("surveys.add_survey"):
        return _forbidden(request)
    form = SurveyForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        if not user.has_perm("surveys.change_survey", form.instance):
            form.add_error(None, OUT_OF_REACH)
        else:
            form.instance.created_by = user
            survey = form.save()
            messages.success(request, _("Le sondage est créé. Ajoutez-lui maintenant une section."))
            return redirect("surveys_admin:build", pk=survey.pk)
    return _page(
        request,
        "survey_form.html",
        {
            "page_title": _("Nouveau sondage"),
            "header_icon": "plus",
            "breadcrumbs_items": _breadcrumbs(None, (request.path, _("Nouveau sondage"))),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def survey_settings(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.change_survey")
    if isinstance(survey, HttpResponse):
        return survey
    user = _user(request)
    form = SurveyForm(request.POST or None, instance=survey, user=user)
    if request.method == "POST" and form.is_valid():
        if not user.has_perm("surveys.change_survey", form.instance):
            form.add_error(None, OUT_OF_REACH)
        else:
            form.save()
            building.bump_survey(survey)
            messages.success(request, _("Les réglages du sondage sont enregistrés."))
            return redirect("surveys_admin:build", pk=survey.pk)
    title = _("Réglages du sondage")
    return _page(
        request,
        "survey_form.html",
        {
            "page_title": title,
            "page_subtitle": survey.title_fr,
            "header_icon": "cog",
            "breadcrumbs_items": _breadcrumbs(survey, (request.path, title)),
            "form": form,
            "survey": survey,
        },
    )


# The builder: a survey's sections and questions


@require_GET
def survey_build(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.change_survey")
    if isinstance(survey, HttpResponse):
        return survey
    user = _user(request)
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
    return _page(
        request,
        "survey_build.html",
        {
            "page_title": survey.title_fr,
            "header_icon": "list-ul",
            "breadcrumbs_items": _breadcrumbs(survey),
            "survey": survey,
            "status": building.STATUS_LABELS[building.status_of(survey)],
            "status_key": building.status_of(survey),
            "sections": sections,
            "responses": responses,
            "problems": building.publishing_problems(survey),
            "preview_url": preview_url(survey),
            "can_publish": user.has_perm("surveys.publish_survey", survey),
            "can_view_results": user.has_perm("surveys.view_survey_results", survey),
            "is_one_off": survey.kind == SurveyKind.ONE_OFF,
        },
    )


@require_POST
def survey_publish(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.publish_survey")
    if isinstance(survey, HttpResponse):
        return survey
    try:
        building.publish_survey(survey=survey, actor=_user(request))
    except building.BuilderRefusalError as refusal:
        messages.error(request, _("Le sondage n'est pas publié. %(why)s") % {"why": refusal})
    else:
        messages.success(request, _("Le sondage est publié."))
    return redirect("surveys_admin:build", pk=survey.pk)


@require_POST
def survey_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.publish_survey")
    if isinstance(survey, HttpResponse):
        return survey
    building.unpublish_survey(survey=survey, actor=_user(request))
    messages.success(request, _("Le sondage n'est plus publié."))
    return redirect("surveys_admin:build", pk=survey.pk)


@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.publish_survey")
    if isinstance(survey, HttpResponse):
        return survey
    try:
        building.close_survey(survey=survey, actor=_user(request))
    except building.BuilderRefusalError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Le sondage est fermé : il ne reçoit plus de réponses."))
    return redirect("surveys_admin:build", pk=survey.pk)


# Sections


def _section(survey: Survey, section_id: int) -> Section:
    return get_object_or_404(Section, pk=section_id, survey=survey)


@require_http_methods(["GET", "POST"])
def section_form(request: HttpRequest, pk: int, section_id: int | None = None) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.change_survey")
    if isinstance(survey, HttpResponse):
        return survey
    section = _section(survey, section_id) if section_id else Section(survey=survey)
    form = SectionForm(request.POST or None, instance=section, survey=survey)
    if request.method == "POST" and form.is_valid():
        section = form.save(commit=False)
        if section.pk is None:
            section.position = building.next_position(survey.sections.all())
        section.save()
        building.bump_survey(survey)
        messages.success(request, _("La section est enregistrée."))
        return redirect("surveys_admin:build", pk=survey.pk)
    title = _("Modifier la section") if section.pk else _("Nouvelle section")
    return _page(
        request,
        "section_form.html",
        {
            "page_title": title,
            "page_subtitle": survey.title_fr,
            "header_icon": "doc-empty",
            "breadcrumbs_items": _breadcrumbs(survey, (request.path, title)),
            "survey": survey,
            "form": form,
            "condition_values": condition_values(form.candidates),
        },
    )


@require_http_methods(["GET", "POST"])
def section_delete(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.change_survey")
    if isinstance(survey, HttpResponse):
        return survey
    section = _section(survey, section_id)

    def delete() -> None:
        building.delete_section(section=section)
        building.bump_survey(survey)

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
    survey = _survey_for(request, pk, "surveys.change_survey")
    if isinstance(survey, HttpResponse):
        return survey
    section = _section(survey, section_id)

    def move(direction: str) -> None:
        building.move_section(section=section, direction=direction)

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
    return _confirm_delete(request, survey, name, question_count)


def _confirm_delete(
    request: HttpRequest, survey: Survey, name: str, question_count: int = 0
) -> HttpResponse:
    title = _("Supprimer « %(name)s »") % {"name": name}
    return _page(
        request,
        "confirm_delete.html",
        {
            "page_title": title,
            "header_icon": "bin",
            "breadcrumbs_items": _breadcrumbs(survey, (request.path, title)),
            "survey": survey,
            "name": name,
            "question_count": question_count,
            "has_responses": survey.has_responses,
        },
    )


# Questions


def _question(survey: Survey, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("section"), pk=question_id, survey=survey
    )


@require_GET
def question_kind(request: HttpRequest, pk: int, section_id: int) -> HttpResponse:
    """The first step of adding a question: its type (a form sent by GET, without JS)."""
    survey = _survey_for(request, pk, "surveys.change_survey")
    if isinstance(survey, HttpResponse):
        return survey
    section = _section(survey, section_id)
    kind = request.GET.get("kind")
    if kind in question_types():
        return redirect(
            "surveys_admin:question_add", pk=survey.pk, section_id=section.pk, kind=kind
        )
    title = _("Nouvelle question")
    return _page(
        request,
        "question_kind.html",
        {
            "page_title": title,
            "page_subtitle": section.title_fr,
            "header_icon": "plus",
            "breadcrumbs_items": _breadcrumbs(survey, (request.path, title)),
            "survey": survey,
            "section": section,
            "form": QuestionKindForm(request.GET if kind is not None else None),
        },
    )


@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, pk: int, section_id: int, kind: str) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.change_survey")
    if isinstance(survey, HttpResponse):
        return survey
    section = _section(survey, section_id)
    if kind not in question_types():
        raise Http404
    question = Question(survey=survey, section=section, kind=kind)
    return _question_page(request, survey, section, question)


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.change_survey")
    if isinstance(survey, HttpResponse):
        return survey
    question = _question(survey, question_id)
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
        _save_question(form, formsets)
        building.bump_survey(survey)
        if form.kind_changed:
            messages.success(
                request, _("Le type de la question a changé : vérifiez ses réglages et ses choix.")
            )
            return redirect("surveys_admin:question", pk=survey.pk, question_id=form.instance.pk)
        messages.success(request, _("La question est enregistrée."))
        return redirect(
            reverse("surveys_admin:build", args=[survey.pk]) + f"#question-{form.instance.pk}"
        )
    title = _("Modifier la question") if question.pk else _("Nouvelle question")
    return _page(
        request,
        "question_form.html",
        {
            "page_title": title,
            "page_subtitle": f"{form.question_type.label} — {section.title_fr}",
            "header_icon": "help",
            "breadcrumbs_items": _breadcrumbs(survey, (request.path, title)),
            "survey": survey,
            "section": section,
            "question": question,
            "form": form,
            "locked": locked,
            "formsets": list(formsets.values()),
            "has_formset_errors": any(f.total_error_count() for f in formsets.values()),
            "option_formset": formsets.get(ChoiceRole.OPTION),
            "row_formset": formsets.get(ChoiceRole.ROW),
            "condition_values": condition_values(form.candidates),
        },
    )


@transaction.atomic
def _save_question(form: QuestionForm, formsets: dict[str, Any]) -> None:
    adding = form.instance.pk is None
    question = form.save(commit=False)
    if adding:
        building.add_question(question=question)
    else:
        question.save()
        if form.kind_changed:
            building.reset_choices(question=question)
    for role, formset in formsets.items():
        building.save_choices(question=question, role=role, formset=formset)


@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.change_survey")
    if isinstance(survey, HttpResponse):
        return survey
    question = _question(survey, question_id)

    def delete() -> None:
        building.delete_question(question=question)
        building.bump_survey(survey)

    return _delete_or_confirm(
        request, survey, delete, deleted=_("La question est supprimée."), name=question.label_fr
    )


@require_POST
def question_move(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.change_survey")
    if isinstance(survey, HttpResponse):
        return survey
    question = _question(survey, question_id)

    def move(direction: str) -> None:
        building.move_question(question=question, direction=direction)

    return _move(request, survey, move, anchor=f"#question-{question.pk}")


# Results for the team


def _open_text_questions(survey: Survey) -> list[Question]:
    types = question_types()
    return [
        question
        for question in building.ordered_questions(survey)
        if question.kind in types and types[question.kind].has_open_text(question)
    ]


@require_GET
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.view_survey_results")
    if isinstance(survey, HttpResponse):
        return survey
    user = _user(request)
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
    return _page(
        request,
        "survey_results.html",
        {
            "page_title": title,
            "page_subtitle": survey.title_fr,
            "header_icon": "view",
            "breadcrumbs_items": _breadcrumbs(survey, (request.path, title)),
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
    survey = _survey_for(request, pk, "surveys.view_survey_results")
    if isinstance(survey, HttpResponse):
        return survey
    question = _question(survey, question_id)
    if question not in _open_text_questions(survey):
        raise Http404
    page = Paginator(building.open_answers(question), ANSWERS_PER_PAGE).get_page(
        request.GET.get("p")
    )
    title = question.label_fr
    return _page(
        request,
        "open_answers.html",
        {
            "page_title": _("Réponses écrites"),
            "page_subtitle": title,
            "header_icon": "doc-full",
            "breadcrumbs_items": _breadcrumbs(
                survey,
                (reverse("surveys_admin:results", args=[survey.pk]), _("Résultats")),
                (request.path, title),
            ),
            "survey": survey,
            "question": question,
            "page_obj": page,
            "can_publish": _user(request).has_perm("surveys.publish_excerpt", survey),
        },
    )


@require_http_methods(["GET", "POST"])
def excerpt_publish(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    survey = _survey_for(request, pk, "surveys.publish_excerpt")
    if isinstance(survey, HttpResponse):
        return survey
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
                answer=answer, text=form.cleaned_data["text"], actor=_user(request)
            )
        except building.BuilderRefusalError as refusal:
            form.add_error("text", refusal.message)
        else:
            messages.success(request, _("L'extrait est publié avec les résultats."))
            return redirect("surveys_admin:answers", pk=survey.pk, question_id=answer.question_id)
    title = _("Publier un extrait")
    return _page(
        request,
        "excerpt_form.html",
        {
            "page_title": title,
            "page_subtitle": answer.question.label_fr,
            "header_icon": "openquote",
            "breadcrumbs_items": _breadcrumbs(
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
    survey = _survey_for(request, pk, "surveys.publish_excerpt")
    if isinstance(survey, HttpResponse):
        return survey
    excerpt = get_object_or_404(Excerpt, pk=excerpt_id, question__survey=survey)
    question_id = excerpt.question_id
    building.remove_excerpt(excerpt=excerpt, actor=_user(request))
    messages.success(request, _("L'extrait est retiré des résultats."))
    return redirect("surveys_admin:answers", pk=survey.pk, question_id=question_id)


@require_GET
def raw_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponseBase:
    """The raw responses, written by export_views.py (imported when asked, so that these
    addresses load before that module exists)."""
    survey = _survey_for(request, pk, "surveys.export_raw")
    if isinstance(survey, HttpResponse):
        return survey
    if file_format not in ("csv", "xlsx"):
        raise Http404
    view = import_string("agora.surveys.export_views.raw_export")
    response: HttpResponseBase = view(request, survey.pk, file_format)
    return response
