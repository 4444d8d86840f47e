"""What staff do to a survey in /gestion/: its structure (sections, questions, choices, their
order and conditions), publishing and closing it, and the excerpts of open answers they
publish with the results.

Integrity: once a survey has responses, texts may be corrected, but a question or a choice can
only be hidden, a question keeps its type and settings, and a choice keeps its `value`. The
functions here refuse the rest with `BuilderRefusalError`, whose message staff read.

Publishing, unpublishing, closing and every excerpt action are written to the audit log."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.accounts.models import User
from agora.accounts.reach import staff_reach
from agora.core import audit
from agora.core.cache import bump_content_version
from agora.core.page_cache import bump_scope
from agora.surveys import audit_actions
from agora.surveys.models import (
    Answer,
    Choice,
    ChoiceRole,
    Excerpt,
    Question,
    ReviewState,
    Section,
    Survey,
    SurveyKind,
)
from agora.surveys.results import forget_results
from agora.surveys.services import survey_scope


class BuilderRefusalError(Exception):
    """The change would break the survey or its results; `message` says why, for staff."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


HAS_RESPONSES = gettext_lazy(
    "Ce sondage a déjà des réponses : pour que ses résultats restent justes, une question ou "
    "un choix ne peut plus être supprimé, seulement masqué."
)


# Status ---------------------------------------------------------------------------------

STATUS_LABELS = {
    "draft": gettext_lazy("Brouillon"),
    "awaiting": gettext_lazy("En attente d'approbation"),
    "published": gettext_lazy("Publié, pas encore ouvert"),
    "open": gettext_lazy("Ouvert"),
    "closed": gettext_lazy("Fermé"),
}


def status_of(survey: Survey, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    if not survey.is_published:
        return "awaiting" if survey.is_awaiting_approval else "draft"
    if survey.has_closed(now):
        return "closed"
    if not survey.has_opened(now):
        return "published"
    return "open"


def status_filter(status: str, now: datetime.datetime | None = None) -> Q:
    """The surveys in `status` (see `status_of`), as a database condition."""
    now = now or timezone.now()
    published = Q(published_at__isnull=False)
    closed = Q(closes_at__isnull=False, closes_at__lte=now)
    opened = Q(opens_at__isnull=True) | Q(opens_at__lte=now)
    awaiting = Q(review_state=ReviewState.AWAITING_APPROVAL)
    return {
        "draft": Q(published_at__isnull=True) & ~awaiting,
        "awaiting": Q(published_at__isnull=True) & awaiting,
        "closed": published & closed,
        "published": published & ~closed & ~opened,
        "open": published & ~closed & opened,
    }.get(status, Q())


# Who follows which surveys --------------------------------------------------------------


def surveys_followed_by(user: Any) -> QuerySet[Survey]:
    """The surveys a member of the team sees in the list: all of them for administrators and
    elected officials (who read results), those of their departments for managers, those of
    the projects they moderate for moderators."""
    return Survey.objects.followed_within(staff_reach(user))


# Order and conditions -------------------------------------------------------------------


def ordered_questions(survey: Survey) -> list[Question]:
    """Every question in the order residents meet them."""
    return list(
        Question.objects.filter(survey=survey)
        .select_related("section")
        .order_by("section__position", "section__pk", "position", "pk")
    )


def questions_before_section(survey: Survey, section: Section | None) -> list[Question]:
    """The questions a section's condition may name: those of the sections before it (all of
    them for a section not yet added, which goes last)."""
    if section is None or section.pk is None:
        return ordered_questions(survey)
    sections = list(survey.sections.order_by("position", "pk").values_list("pk", flat=True))
    earlier = set(sections[: sections.index(section.pk)])
    return [q for q in ordered_questions(survey) if q.section_id in earlier]


def questions_before(section: Section, question: Question | None) -> list[Question]:
    """The questions a question's condition may name: those of earlier sections and those
    before it in its section (all of its section's for a new question, which goes last)."""
    order = ordered_questions(section.survey)
    if question is not None and question.pk is not None:
        return order[: [q.pk for q in order].index(question.pk)]
    sections = list(section.survey.sections.order_by("position", "pk").values_list("pk", flat=True))
    later = set(sections[sections.index(section.pk) + 1 :])
    return [q for q in order if q.section_id not in later]


def condition_problems(survey: Survey) -> list[str]:
    """Conditions that name a question that does not come before: the order must not let a
    section or question depend on an answer not given yet."""
    questions = ordered_questions(survey)
    rank = {question.pk: index for index, question in enumerate(questions)}
    sections = list(survey.sections.order_by("position", "pk"))
    section_rank = {section.pk: index for index, section in enumerate(sections)}
    problems = []
    for section in sections:
        source = section.condition_question_id
        if source is not None and source in rank:
            source_section = next(q.section_id for q in questions if q.pk == source)
            if section_rank[source_section] >= section_rank[section.pk]:
                problems.append(
                    _("La section « %(section)s » dépend d'une question qui ne la précède pas.")
                    % {"section": section.title_fr}
                )
    for question in questions:
        source = question.condition_question_id
        if source is not None and source in rank and rank[source] >= rank[question.pk]:
            problems.append(
                _("La question « %(question)s » dépend d'une question qui ne la précède pas.")
                % {"question": question.label_fr}
            )
    return problems


def _renumber(items: Iterable[Any]) -> list[Any]:
    ordered = list(items)
    for index, item in enumerate(ordered):
        if item.position != index:
            item.position = index
            item.save(update_fields=["position"])
    return ordered


def _swap(items: list[Any], item: Any, direction: str) -> None:
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(items):
        return
    first, second = items[index], items[other]
    first.position, second.position = second.position, first.position
    first.save(update_fields=["position"])
    second.save(update_fields=["position"])


def _refuse_broken_conditions(survey: Survey) -> None:
    problems = condition_problems(survey)
    if problems:
        raise BuilderRefusalError(
            _("Ce déplacement est refusé : %(problem)s Changez d'abord la condition.")
            % {"problem": problems[0]}
        )


@transaction.atomic
def move_section(*, section: Section, direction: str) -> None:
    """Moves the section up or down one place; refused when a condition would then name a
    question that comes after."""
    sections = _renumber(section.survey.sections.order_by("position", "pk"))
    _swap(sections, section, direction)
    _refuse_broken_conditions(section.survey)


@transaction.atomic
def move_question(*, question: Question, direction: str) -> None:
    """Moves the question up or down one place within its section."""
    questions = _renumber(question.section.questions.order_by("position", "pk"))
    _swap(questions, question, direction)
    _refuse_broken_conditions(question.survey)


# Structure ------------------------------------------------------------------------------


def next_position(items: QuerySet[Any]) -> int:
    highest = items.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def new_choice_value(question: Question, role: str, label: str) -> str:
    """A stable identifier from the French label, unique among the question's choices."""
    base = slugify(label)[:50] or "choix"
    taken = set(Choice.objects.filter(question=question, role=role).values_list("value", flat=True))
    value, number = base, 2
    while value in taken:
        value = f"{base}-{number}"
        number += 1
    return value


def add_default_choices(question: Question) -> None:
    """Gives a new question (or one that changed type) its type's default choices."""
    for index, default in enumerate(question.type.default_choices):
        Choice.objects.create(
            question=question,
            role=ChoiceRole.OPTION,
            position=index,
            value=new_choice_value(question, ChoiceRole.OPTION, default.value),
            label_fr=default.label_fr,
            label_en=default.label_en,
        )


@transaction.atomic
def reset_choices(*, question: Question) -> None:
    """After a change of type (only before any response): drops the choices the new type does
    not use, and gives it its default choices."""
    if question.survey.has_responses:
        raise BuilderRefusalError(HAS_RESPONSES)
    question_type = question.type
    if not question_type.uses_choices:
        question.choices.filter(role=ChoiceRole.OPTION).delete()
    if not question_type.uses_rows:
        question.choices.filter(role=ChoiceRole.ROW).delete()
    if not question.choices.filter(role=ChoiceRole.OPTION).exists():
        add_default_choices(question)


@transaction.atomic
def save_choices(*, question: Question, role: str, formset: Any) -> None:
    """Saves a question's edited choices (a valid `ChoiceFormSet`): new ones go last with an
    identifier drawn from their French label, which they keep for life."""
    choices = formset.save(commit=False)
    if formset.deleted_objects and question.survey.has_responses:
        raise BuilderRefusalError(HAS_RESPONSES)
    for deleted in formset.deleted_objects:
        deleted.delete()
    position = next_position(question.choices.filter(role=role))
    for choice in choices:
        if choice.pk is None:
            choice.question = question
            choice.role = role
            choice.position = position
            choice.value = new_choice_value(question, role, choice.label_fr)
            position += 1
        choice.save()


def bump_survey(survey: Survey) -> None:
    """The survey's public pages, and its results counted with the old texts and excerpts,
    show the change at once."""
    forget_results(survey)
    transaction.on_commit(lambda: bump_scope(survey_scope(survey.pk)))


@transaction.atomic
def delete_question(*, question: Question) -> None:
    if question.survey.has_responses or question.answers.exists():
        raise BuilderRefusalError(HAS_RESPONSES)
    Section.objects.filter(condition_question=question).update(
        condition_operator="", condition_value=""
    )
    Question.objects.filter(condition_question=question).update(
        condition_operator="", condition_value=""
    )
    question.delete()


@transaction.atomic
def delete_section(*, section: Section) -> None:
    if section.questions.exists() and section.survey.has_responses:
        raise BuilderRefusalError(HAS_RESPONSES)
    for question in section.questions.all():
        delete_question(question=question)
    section.delete()


def ensure_kind_unchanged(question: Question, kind: str) -> None:
    if kind != question.kind and question.survey.has_responses:
        raise BuilderRefusalError(
            _(
                "Cette question a déjà des réponses : son type ne peut plus changer. Masquez-la "
                "et ajoutez une nouvelle question."
            )
        )


# Publishing -----------------------------------------------------------------------------


def publishing_problems(survey: Survey) -> list[str]:
    """What keeps the survey from being published, in staff's words."""
    problems = []
    has_question = Section.objects.filter(survey=survey, questions__hidden=False).exists()
    if not has_question:
        problems.append(_("Ajoutez au moins une section avec une question."))
    if survey.kind == SurveyKind.ONE_OFF and (survey.opens_at is None or survey.closes_at is None):
        problems.append(_("Un sondage ponctuel a besoin de ses dates d'ouverture et de fermeture."))
    problems.extend(condition_problems(survey))
    return problems


@transaction.atomic
def publish_survey(*, survey: Survey, actor: User) -> Survey:
    problems = publishing_problems(survey)
    if problems:
        raise BuilderRefusalError(" ".join(problems))
    if survey.is_published:
        return survey
    survey.published_at = timezone.now()
    survey.review_state = ReviewState.PUBLISHED
    return _save_and_record(
        survey,
        ["published_at", "review_state"],
        actor=actor,
        action=audit_actions.SURVEY_PUBLISHED,
    )


@transaction.atomic
def unpublish_survey(*, survey: Survey, actor: User) -> Survey:
    if not survey.is_published:
        return survey
    survey.published_at = None
    survey.review_state = ReviewState.DRAFT
    return _save_and_record(
        survey,
        ["published_at", "review_state"],
        actor=actor,
        action=audit_actions.SURVEY_UNPUBLISHED,
    )


@transaction.atomic
def close_survey(*, survey: Survey, actor: User) -> Survey:
    """Closes a one-off survey now: it takes no more responses."""
    now = timezone.now()
    if survey.kind != SurveyKind.ONE_OFF:
        raise BuilderRefusalError(
            _("Un sondage continu reste ouvert : modifiez sa date de fermeture au besoin.")
        )
    if survey.has_closed(now):
        return survey
    survey.closes_at = now
    if survey.opens_at is not None and survey.opens_at > now:
        survey.opens_at = now
    return _save_and_record(
        survey, ["closes_at", "opens_at"], actor=actor, action=audit_actions.SURVEY_CLOSED
    )


def _save_and_record(survey: Survey, fields: list[str], *, actor: User, action: str) -> Survey:
    """Saves the survey's changed `fields`, records who did it and refreshes its public pages;
    publishing, unpublishing and closing also change the results hub and the menu, which
    every page shows."""
    survey.save(update_fields=[*fields, "updated_at"])
    audit.record(actor=actor, action=action, target=survey)
    bump_survey(survey)
    transaction.on_commit(bump_content_version)
    return survey


# Excerpts -------------------------------------------------------------------------------


def open_answers(question: Question) -> QuerySet[Answer]:
    """A question's written answers, newest first, with their excerpt if one is published."""
    return (
        Answer.objects.filter(question=question)
        .exclude(text="")
        .select_related("response", "excerpt")
        .order_by("-response__submitted_at", "-pk")
    )


def excerpt_counts(questions: Iterable[Question]) -> dict[int, int]:
    return dict(
        Excerpt.objects.filter(question__in=list(questions))
        .values_list("question_id")
        .annotate(n=Count("id"))
        .values_list("question_id", "n")
    )


@transaction.atomic
def publish_excerpt(*, answer: Answer, text: str, actor: User) -> Excerpt:
    """Publishes (or corrects) the excerpt of an open answer shown with the results."""
    text = text.strip()
    if not text:
        raise BuilderRefusalError(_("Un extrait ne peut pas être vide."))
    excerpt, created = Excerpt.objects.update_or_create(
        answer=answer,
        defaults={
            "question": answer.question,
            "text": text,
            "published_by": actor if getattr(actor, "pk", None) else None,
            "published_at": timezone.now(),
        },
    )
    audit.record(
        actor=actor,
        action=(
            audit_actions.SURVEY_EXCERPT_PUBLISHED
            if created
            else audit_actions.SURVEY_EXCERPT_CHANGED
        ),
        target=answer.question.survey,
        details={"question": answer.question_id, "excerpt": excerpt.pk},
    )
    transaction.on_commit(lambda: bump_scope(survey_scope(answer.question.survey_id)))
    return excerpt


@transaction.atomic
def remove_excerpt(*, excerpt: Excerpt, actor: User) -> None:
    survey = excerpt.question.survey
    details = {"question": excerpt.question_id, "excerpt": excerpt.pk}
    excerpt.delete()
    audit.record(
        actor=actor, action=audit_actions.SURVEY_EXCERPT_REMOVED, target=survey, details=details
    )
    bump_survey(survey)
