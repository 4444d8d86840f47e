"""The writes of the survey builder's forms in /gestion/: creating a survey, changing its
settings, adding or changing a section or a question. Each one is atomic, checks that the
person keeps the survey within their reach (rules.py), refuses what would break the survey's
rules, and writes its row to the audit log with the old and new value of every field that
changed (`{"field": {"before": …, "after": …}}`, as accounts/services.py does); a change that
changes nothing writes nothing.

Once a survey is published, its settings change only with the publishing right
(`surveys.change_published_survey_settings`, docs/roles.md): its team still corrects its
sections, questions and choices, within the integrity rules of building.py. Once it has
responses, a choice's label is only corrected by its team; a change of meaning needs the
publishing right too (`surveys.change_answered_choice_meaning`, choice_labels.py), and each
change of a label is recorded for the results page (`ChoiceLabelCorrection`).

Refusals: `ValidationError` for settings or texts that are not valid (nothing is written),
`BuilderRefusalError` (building.py) for a change the survey's integrity or the person's reach
forbids, `PermissionDenied` for someone who may not build the survey at all."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.core import audit
from agora.core.models import Theme
from agora.participation.models import Phase, ProjectPage
from agora.surveys import audit_actions, building, choice_labels
from agora.surveys.building import (
    BuilderRefusalError,
    add_default_choices,
    bump_survey,
    ensure_kind_unchanged,
    next_position,
    reset_choices,
    save_choices,
)
from agora.surveys.models import (
    Choice,
    ChoiceLabelCorrection,
    Question,
    ResponsePolicy,
    ReviewState,
    Section,
    Survey,
    SurveyKind,
)
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
PUBLISHED_SETTINGS_LOCKED = _(
    "Ce sondage est publié : seuls les gestionnaires de son service ou un administrateur "
    "peuvent modifier ses réglages."
)
LABEL_MEANING_LOCKED = _(
    "Ce sondage a déjà des réponses : changer le choix « %(before)s » en « %(after)s » "
    "changerait le sens des réponses déjà données. Seule une personne qui peut publier le "
    "sondage (un gestionnaire de son service ou un administrateur) peut le faire. Vous pouvez "
    "corriger l'orthographe, les accents et les majuscules d'un choix, ou le masquer et en "
    "ajouter un nouveau."
)
LABEL_EXCHANGE_LOCKED = _(
    "Ce sondage a déjà des réponses : donner au choix « %(before)s » le libellé "
    "« %(after)s », celui d'un autre choix de la question, échangerait les réponses déjà "
    "données. Seule une personne qui peut publier le sondage (un gestionnaire de son service "
    "ou un administrateur) peut le faire."
)

CHANGE_PUBLISHED_SETTINGS = "surveys.change_published_survey_settings"
CHANGE_ANSWERED_CHOICE_MEANING = "surveys.change_answered_choice_meaning"

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
SECTION_FIELDS = (
    "title_fr",
    "title_en",
    "introduction_fr",
    "introduction_en",
    "condition_question_id",
    "condition_operator",
    "condition_value",
)
QUESTION_FIELDS = (
    "kind",
    "label_fr",
    "label_en",
    "help_text_fr",
    "help_text_en",
    "required",
    "hidden",
    "settings",
    "condition_question_id",
    "condition_operator",
    "condition_value",
)
CHOICE_FIELDS = ("role", "value", "label_fr", "label_en", "hidden")


# Old and new values for the audit log ------------------------------------------------------


def _logged(value: Any) -> Any:
    """A value as the log's JSON stores it: a moment in UTC, whichever zone it was typed in."""
    if isinstance(value, datetime.datetime):
        return (value.astimezone(datetime.UTC) if timezone.is_aware(value) else value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """`{"field": {"before": …, "after": …}}` for every field whose value differs."""
    return {
        name: {"before": _logged(before.get(name)), "after": _logged(value)}
        for name, value in after.items()
        if before.get(name) != value
    }


def _values(instance: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def _choices_of(question: Question) -> dict[int, dict[str, Any]]:
    return {
        values["pk"]: {name: values[name] for name in CHOICE_FIELDS}
        for values in Choice.objects.filter(question=question)
        .order_by("role", "position", "pk")
        .values("pk", *CHOICE_FIELDS)
    }


def _choice_changes(
    before: Mapping[int, dict[str, Any]], after: Mapping[int, dict[str, Any]]
) -> dict[str, Any]:
    """The choices added, removed and changed (with their old and new values), by key."""
    changes: dict[str, Any] = {}
    added = [{"choice": pk, **after[pk]} for pk in after if pk not in before]
    removed = [{"choice": pk, **before[pk]} for pk in before if pk not in after]
    changed = [
        {"choice": pk, "value": after[pk]["value"], "changes": _changes(before[pk], after[pk])}
        for pk in after
        if pk in before and before[pk] != after[pk]
    ]
    for key, items in (("added", added), ("removed", removed), ("changed", changed)):
        if items:
            changes[key] = items
    return changes


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


def settings_locked_for(actor: User, survey: Survey) -> bool:
    """The survey is published (or approved) and the person may not change its settings."""
    published = survey.published_at is not None or survey.review_state == ReviewState.PUBLISHED
    return published and not actor.has_perm(CHANGE_PUBLISHED_SETTINGS, survey)


def _theme_names(themes: Iterable[Theme]) -> list[str]:
    return sorted(theme.name_fr for theme in themes)


@transaction.atomic
def change_survey_settings(
    *, actor: User, survey: Survey, themes: Iterable[Theme] | None = None
) -> Survey:
    """Saves the changed settings of `survey` (and its themes, when given), with their old and
    new values in the audit log; nothing is written when nothing changed. Refused when the
    change would take the survey out of the person's reach, and, once the survey is
    published, for anyone without the publishing right (its closing date, audience or the
    visibility of its results are then the city's word to residents)."""
    if survey.pk is None:
        raise ValueError("change_survey_settings changes a saved survey; create_survey adds one.")
    stored = (
        Survey.objects.select_for_update()
        .filter(pk=survey.pk)
        .values(*SETTING_FIELDS, "published_at", "review_state")
        .get()
    )
    as_stored = Survey(pk=survey.pk, **stored)
    if not actor.has_perm("surveys.change_survey", as_stored):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce sondage."))
    changes = _changes(stored, _values(survey, SETTING_FIELDS))
    themes_before = _theme_names(survey.themes.all())
    themes_after = themes_before if themes is None else _theme_names(themes)
    changes.update(_changes({"themes": themes_before}, {"themes": themes_after}))
    if not changes:
        return survey
    if settings_locked_for(actor, as_stored):
        raise BuilderRefusalError(PUBLISHED_SETTINGS_LOCKED)
    _check_settings(survey, actor)
    survey.save()
    if themes is not None:
        survey.themes.set(list(themes))
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_SETTINGS_CHANGED,
        target=survey,
        details={"changes": changes},
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
    stored = Section.objects.filter(pk=section.pk).values(*SECTION_FIELDS).get()
    changes = _changes(stored, _values(section, SECTION_FIELDS))
    if not changes:
        return section
    section.save()
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_SECTION_CHANGED,
        target=survey,
        details={"section": section.pk, "title": section.title_fr, "changes": changes},
    )
    bump_survey(survey)
    return section


@transaction.atomic
def delete_section(*, actor: User, section: Section) -> None:
    """Deletes a section and its questions (refused once the survey has responses, if it has
    questions)."""
    survey = section.survey
    _check_may_build(actor, survey)
    details = {
        "section": section.pk,
        "before": _values(section, SECTION_FIELDS),
        "questions": [
            {"question": question.pk, "label_fr": question.label_fr}
            for question in section.questions.order_by("position", "pk")
        ],
    }
    building.delete_section(section=section)
    audit.record(
        actor=actor, action=audit_actions.SURVEY_SECTION_DELETED, target=survey, details=details
    )
    bump_survey(survey)


def _position_of(item: Any, siblings: Iterable[Any]) -> int:
    return [sibling.pk for sibling in siblings].index(item.pk)


def _audited_move(
    *,
    actor: User,
    survey: Survey,
    item: Section | Question,
    siblings: Callable[[], Iterable[Any]],
    move: Callable[[], None],
    action: str,
    details: dict[str, Any],
) -> None:
    """`move()`, recorded with the item's place before and after; nothing when it stayed."""
    _check_may_build(actor, survey)
    before = _position_of(item, siblings())
    move()
    after = _position_of(item, siblings())
    if before == after:
        return
    audit.record(
        actor=actor,
        action=action,
        target=survey,
        details={**details, "changes": _changes({"position": before}, {"position": after})},
    )
    bump_survey(survey)


@transaction.atomic
def move_section(*, actor: User, section: Section, direction: str) -> None:
    """Moves the section up or down one place (refused when a condition would then name a
    question that comes after)."""
    survey = section.survey
    _audited_move(
        actor=actor,
        survey=survey,
        item=section,
        siblings=lambda: survey.sections.order_by("position", "pk"),
        move=lambda: building.move_section(section=section, direction=direction),
        action=audit_actions.SURVEY_SECTION_MOVED,
        details={"section": section.pk, "title": section.title_fr},
    )


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
    added = _choice_changes({}, _choices_of(question))
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_QUESTION_ADDED,
        target=question.survey,
        details={
            "section": section.pk,
            "question": question.pk,
            "kind": question.kind,
            **({"choices": added} if added else {}),
        },
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
    stored = Question.objects.filter(pk=question.pk).values(*QUESTION_FIELDS).get()
    choices_before = _choices_of(question)
    kind_changed = question.kind != stored["kind"]
    if kind_changed:
        previous = Question(pk=question.pk, survey=question.survey, kind=stored["kind"])
        ensure_kind_unchanged(previous, question.kind)
    changes = _changes(stored, _values(question, QUESTION_FIELDS))
    if changes:
        question.save()
    if kind_changed:
        reset_choices(question=question)
    _save_choices(question, choices or {})
    choices_after = _choices_of(question)
    choice_changes = _choice_changes(choices_before, choices_after)
    if not changes and not choice_changes:
        return question
    labels = _record_label_changes(actor, question, choices_before, choices_after)
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_QUESTION_CHANGED,
        target=question.survey,
        details={
            "question": question.pk,
            "kind": question.kind,
            **({"changes": changes} if changes else {}),
            **({"choices": choice_changes} if choice_changes else {}),
            **({"label_corrections": labels} if labels else {}),
        },
    )
    bump_survey(question.survey)
    return question


def _record_label_changes(
    actor: User,
    question: Question,
    before: Mapping[int, dict[str, Any]],
    after: Mapping[int, dict[str, Any]],
) -> list[dict[str, Any]]:
    """Once the survey has responses, records each changed label of a choice (for the
    results page), and refuses a change of meaning to whoever may not publish the survey.
    Called inside `change_question`'s transaction once the choices are saved: a refusal
    undoes the whole edit. Returns the changes as the audit log keeps them."""
    changed = choice_labels.label_changes(before, after)
    if not changed or not question.survey.has_responses:
        return []
    classified = choice_labels.classify(changed, before=before, after=after)
    may_change_meaning = actor.has_perm(CHANGE_ANSWERED_CHOICE_MEANING, question.survey)
    for change, kind in classified:
        if kind != choice_labels.Kind.CORRECTION and not may_change_meaning:
            locked = (
                LABEL_EXCHANGE_LOCKED
                if kind == choice_labels.Kind.EXCHANGE
                else LABEL_MEANING_LOCKED
            )
            raise BuilderRefusalError(locked % {"before": change.before, "after": change.after})
    now = timezone.now()
    ChoiceLabelCorrection.objects.bulk_create(
        ChoiceLabelCorrection(
            choice_id=change.choice,
            language=change.language,
            label_before=change.before,
            label_after=change.after,
            changes_meaning=kind != choice_labels.Kind.CORRECTION,
            changed_at=now,
            changed_by=actor,
        )
        for change, kind in classified
    )
    return [
        {
            "choice": change.choice,
            "value": change.value,
            "language": change.language,
            "before": change.before,
            "after": change.after,
            "kind": str(kind),
        }
        for change, kind in classified
    ]


@transaction.atomic
def delete_question(*, actor: User, question: Question) -> None:
    """Deletes a question with its choices (refused once the survey has responses)."""
    survey = question.survey
    _check_may_build(actor, survey)
    details = {
        "question": question.pk,
        "section": question.section_id,
        "before": _values(question, QUESTION_FIELDS),
        "choices": [{"choice": pk, **values} for pk, values in _choices_of(question).items()],
    }
    building.delete_question(question=question)
    audit.record(
        actor=actor, action=audit_actions.SURVEY_QUESTION_DELETED, target=survey, details=details
    )
    bump_survey(survey)


@transaction.atomic
def move_question(*, actor: User, question: Question, direction: str) -> None:
    """Moves the question up or down one place within its section."""
    _audited_move(
        actor=actor,
        survey=question.survey,
        item=question,
        siblings=lambda: question.section.questions.order_by("position", "pk"),
        move=lambda: building.move_question(question=question, direction=direction),
        action=audit_actions.SURVEY_QUESTION_MOVED,
        details={"question": question.pk, "label": question.label_fr},
    )
