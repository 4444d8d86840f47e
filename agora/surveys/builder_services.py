"""The writes of the survey builder's forms in /gestion/: creating a survey, changing its
settings, adding or changing a section or a question. Each one is atomic, checks that the
person keeps the survey within their reach (rules.py), refuses what would break the survey's
rules, and writes its row to the audit log.

Refusals: `ValidationError` for settings or texts that are not valid (nothing is written),
`BuilderRefusalError` (building.py) for a change the survey's integrity or the person's reach
forbids, `PermissionDenied` for someone who may not build the survey at all."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.core import audit
from agora.core.models import Theme
from agora.participation.models import Phase, ProjectPage
from agora.surveys import audit_actions
from agora.surveys.building import (
    BuilderRefusalError,
    add_default_choices,
    bump_survey,
    ensure_kind_unchanged,
    next_position,
    reset_choices,
    save_choices,
)
from agora.surveys.models import Question, ResponsePolicy, Section, Survey, SurveyKind
from agora.surveys.questions import question_types

OUT_OF_REACH = _(
    "Avec ce projet et ce service, vous ne pourriez plus gérer ce sondage : choisissez un "
    "projet que vous modérez ou un service que vous gérez."
)
OPENS_AT_MISSING = _("Indiquez quand ce sondage ponctuel ouvre.")
CLOSES_AT_MISSING = _("Indiquez quand ce sondage ponctuel ferme.")
CLOSES_BEFORE_OPENING = _("La fermeture doit suivre l'ouverture.")
DAILY_NEEDS_CONTINUOUS = _("« Une réponse par jour » ne convient qu'à un sondage continu.")
PHASE_OF_ANOTHER_PROJECT = _("Choisissez une étape du projet choisi ci-dessus.")
UNKNOWN_QUESTION_TYPE = _("Ce type de question n'existe pas.")

# The settings whose change the audit log names.
SETTING_FIELDS = (
    "title_fr",
    "title_en",
    "slug",
    "summary_fr",
    "summary_en",
    "introduction_fr",
    "introduction_en",
    "thank_you_fr",
    "thank_you_en",
    "kind",
    "opens_at",
    "closes_at",
    "response_policy",
    "audience",
    "results_visibility",
    "department_id",
    "project_id",
    "phase_id",
)


# A survey's settings ----------------------------------------------------------------------


def settings_problems(
    *,
    kind: str | None,
    opens_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
    response_policy: str | None,
    project: ProjectPage | None,
    phase: Phase | None,
) -> dict[str, Any]:
    """What is wrong with a survey's settings taken together, by field, in staff's words."""
    problems: dict[str, Any] = {}
    if kind == SurveyKind.ONE_OFF:
        if opens_at is None:
            problems["opens_at"] = OPENS_AT_MISSING
        if closes_at is None:
            problems["closes_at"] = CLOSES_AT_MISSING
    if opens_at and closes_at and closes_at <= opens_at:
        problems["closes_at"] = CLOSES_BEFORE_OPENING
    if kind == SurveyKind.ONE_OFF and response_policy == ResponsePolicy.DAILY:
        problems["response_policy"] = DAILY_NEEDS_CONTINUOUS
    if phase is not None and (project is None or phase.project_id != project.pk):
        problems["phase"] = PHASE_OF_ANOTHER_PROJECT
    return problems


def _check_settings(survey: Survey, actor: User) -> None:
    problems = settings_problems(
        kind=survey.kind,
        opens_at=survey.opens_at,
        closes_at=survey.closes_at,
        response_policy=survey.response_policy,
        project=survey.project,
        phase=survey.phase,
    )
    if problems:
        raise ValidationError(problems)
    survey.full_clean(exclude=["created_by"])
    if not actor.has_perm("surveys.change_survey", survey):
        raise BuilderRefusalError(OUT_OF_REACH)


@transaction.atomic
def create_survey(*, actor: User, survey: Survey, themes: Iterable[Theme] = ()) -> Survey:
    """Saves a new survey from its settings (`survey`, not saved yet) with its themes. The
    survey must stay within the person's reach: a project they moderate or a department they
    manage (every one for an administrator)."""
    if survey.pk is not None:
        raise ValueError("create_survey saves a new survey; change_survey_settings changes one.")
    if not actor.has_perm("surveys.add_survey"):
        raise PermissionDenied(_("Vous ne pouvez pas créer de sondage."))
    _check_settings(survey, actor)
    survey.created_by = actor
    survey.save()
    survey.themes.set(list(themes))
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_CREATED,
        target=survey,
        details={
            "slug": survey.slug,
            "project": survey.project_id,
            "department": survey.department_id,
        },
    )
    return survey


@transaction.atomic
def change_survey_settings(
    *, actor: User, survey: Survey, themes: Iterable[Theme] | None = None
) -> Survey:
    """Saves the changed settings of `survey` (and its themes, when given). Refused when the
    change would take the survey out of the person's reach."""
    if survey.pk is None:
        raise ValueError("change_survey_settings changes a saved survey; create_survey adds one.")
    stored = Survey.objects.select_for_update().filter(pk=survey.pk).values(*SETTING_FIELDS).get()
    if not actor.has_perm("surveys.change_survey", Survey(**stored)):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce sondage."))
    _check_settings(survey, actor)
    survey.save()
    if themes is not None:
        survey.themes.set(list(themes))
    changed = [name for name in SETTING_FIELDS if getattr(survey, name) != stored[name]]
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_SETTINGS_CHANGED,
        target=survey,
        details={"changed": changed},
    )
    bump_survey(survey)
    return survey


# Sections ---------------------------------------------------------------------------------


def _check_may_build(actor: User, survey: Survey) -> None:
    if not actor.has_perm("surveys.change_survey", survey):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce sondage."))


@transaction.atomic
def add_section(*, actor: User, section: Section) -> Section:
    """Saves a new section (`section`, not saved yet, with its survey) at the end of the
    survey."""
    if section.pk is not None:
        raise ValueError("add_section saves a new section; change_section changes one.")
    survey = section.survey
    _check_may_build(actor, survey)
    section.position = next_position(survey.sections.all())
    section.full_clean()
    section.save()
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_SECTION_ADDED,
        target=survey,
        details={"section": section.pk, "title": section.title_fr},
    )
    bump_survey(survey)
    return section


@transaction.atomic
def change_section(*, actor: User, section: Section) -> Section:
    """Saves the changed texts and display condition of a section."""
    if section.pk is None:
        raise ValueError("change_section changes a saved section; add_section adds one.")
    survey = section.survey
    _check_may_build(actor, survey)
    section.full_clean()
    section.save()
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_SECTION_CHANGED,
        target=survey,
        details={"section": section.pk, "title": section.title_fr},
    )
    bump_survey(survey)
    return section


# Questions --------------------------------------------------------------------------------


def _check_question(question: Question) -> None:
    if question.kind not in question_types():
        raise ValidationError({"kind": UNKNOWN_QUESTION_TYPE})
    question.full_clean()


def _save_choices(question: Question, choices: Mapping[str, Any]) -> None:
    for role, formset in choices.items():
        save_choices(question=question, role=role, formset=formset)


@transaction.atomic
def add_question(
    *, actor: User, question: Question, choices: Mapping[str, Any] | None = None
) -> Question:
    """Saves a new question (`question`, not saved yet, with its section) at the end of its
    section, with its type's default choices, then the choices staff typed (`choices`: a
    valid `ChoiceFormSet` by choice role)."""
    if question.pk is not None:
        raise ValueError("add_question saves a new question; change_question changes one.")
    section = question.section
    question.survey = section.survey
    _check_may_build(actor, question.survey)
    _check_question(question)
    question.position = next_position(section.questions.all())
    question.save()
    add_default_choices(question)
    _save_choices(question, choices or {})
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_QUESTION_ADDED,
        target=question.survey,
        details={"section": section.pk, "question": question.pk, "kind": question.kind},
    )
    bump_survey(question.survey)
    return question


@transaction.atomic
def change_question(
    *, actor: User, question: Question, choices: Mapping[str, Any] | None = None
) -> Question:
    """Saves a question's changed texts, condition, type and settings, then its edited
    choices. Once the survey has responses its type can no longer change; a change of type
    before that gives the question the new type's default choices."""
    if question.pk is None:
        raise ValueError("change_question changes a saved question; add_question adds one.")
    _check_may_build(actor, question.survey)
    _check_question(question)
    stored_kind = Question.objects.values_list("kind", flat=True).get(pk=question.pk)
    kind_changed = question.kind != stored_kind
    if kind_changed:
        stored = Question(pk=question.pk, survey=question.survey, kind=stored_kind)
        ensure_kind_unchanged(stored, question.kind)
    question.save()
    if kind_changed:
        reset_choices(question=question)
    _save_choices(question, choices or {})
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_QUESTION_CHANGED,
        target=question.survey,
        details={
            "question": question.pk,
            "kind": question.kind,
            **({"previous_kind": stored_kind} if kind_changed else {}),
        },
    )
    bump_survey(question.survey)
    return question
