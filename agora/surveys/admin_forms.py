"""Forms of the survey builder in /gestion/: a survey's settings, its sections and questions
(with their display conditions and their type's settings), the choices of a question, and
the excerpt of an open answer.

Each form keeps staff within their reach (the projects and departments they may choose) and
within the survey's integrity rules (building.py): what may no longer change once there are
responses is not offered, and a form that sends it anyway is refused with a message."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import Department, User
from agora.accounts.reach import staff_reach
from agora.core.models import Theme
from agora.participation.models import Phase, ProjectPage
from agora.surveys.builder_services import settings_problems
from agora.surveys.building import questions_before, questions_before_section
from agora.surveys.models import (
    Choice,
    ConditionOperator,
    Excerpt,
    Question,
    Section,
    Survey,
)
from agora.surveys.phases import SURVEY
from agora.surveys.questions import question_type, question_types

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
SETTING_PREFIX = "setting_"

SETTINGS_LOCKED = _(
    "Ce sondage a déjà des réponses : les réglages de cette question (échelle, minimum, "
    "maximum…) sont verrouillés pour que les réponses reçues restent valides."
)
CHOICE_VALUES_LOCKED = _("L'identifiant d'un choix ne change jamais : les réponses le nomment.")


def _datetime_input() -> forms.DateTimeInput:
    # The browser's own date and time picker: no JavaScript of ours.
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


# A survey's settings --------------------------------------------------------------------


class ProjectChoiceField(forms.ModelChoiceField[ProjectPage]):
    def label_from_instance(self, obj: ProjectPage) -> str:
        return str(obj.title)


class PhaseChoiceField(forms.ModelChoiceField[Phase]):
    def label_from_instance(self, obj: Phase) -> str:
        return f"{obj.project.title} — {obj.name}"


def projects_within_reach(user: User, current: int | None = None) -> QuerySet[ProjectPage]:
    """The projects (source pages) a person may attach a survey to, and the one it has."""
    projects: QuerySet[ProjectPage] = ProjectPage.objects.sources().within_reach(
        staff_reach(user), keeping=current
    )
    return projects


def departments_within_reach(user: User, current: int | None = None) -> QuerySet[Department]:
    """The departments a survey may belong to, and the one it has."""
    return Department.objects.within_reach(staff_reach(user), keeping=current)


def most_recent_moderated_project(user: User) -> int | None:
    """The project a moderator's new survey most likely belongs to: their only one, else the
    one changed most recently."""
    moderated = staff_reach(user).moderated_project_ids
    if not moderated:
        return None
    latest: int | None = (
        ProjectPage.objects.filter(pk__in=moderated)
        .order_by("-latest_revision_created_at", "-last_published_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return latest


class SurveyForm(forms.ModelForm[Survey]):
    project = ProjectChoiceField(
        label=_("Projet"),
        queryset=ProjectPage.objects.none(),
        required=False,
        empty_label=_("Aucun : sondage indépendant"),
        help_text=_("Un sondage peut être la composante d'une étape « Sondage » d'un projet."),
    )
    phase = PhaseChoiceField(
        label=_("Étape du projet"),
        queryset=Phase.objects.none(),
        required=False,
        empty_label=_("Aucune"),
        help_text=_(
            "Seules les étapes dont le mode de participation est « Sondage » sont offertes."
        ),
        error_messages={
            "invalid_choice": _("Choisissez une étape « Sondage » d'un projet que vous suivez.")
        },
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.order_by("name_fr"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Survey
        fields = [
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
            "themes",
            "department",
            "project",
            "phase",
        ]
        widgets = {
            "opens_at": _datetime_input(),
            "closes_at": _datetime_input(),
            "kind": forms.RadioSelect,
            "response_policy": forms.RadioSelect,
            "audience": forms.RadioSelect,
            "results_visibility": forms.RadioSelect,
            "summary_fr": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "slug": _(
                "La fin de l'adresse du sondage (lettres, chiffres et traits d'union). Laissez "
                "vide pour la tirer du titre."
            ),
            "opens_at": _("Obligatoire pour un sondage ponctuel."),
            "closes_at": _(
                "Obligatoire pour un sondage ponctuel; facultative pour un sondage continu."
            ),
            "response_policy": _("« Une par jour » ne convient qu'à un sondage continu."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        survey = self.instance
        self.fields["slug"].required = False
        for name in ("opens_at", "closes_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        projects = projects_within_reach(user, survey.project_id)
        project_field = self.fields["project"]
        assert isinstance(project_field, forms.ModelChoiceField)
        project_field.queryset = projects.order_by("title")
        phase_field = self.fields["phase"]
        assert isinstance(phase_field, forms.ModelChoiceField)
        phase_field.queryset = (
            Phase.objects.filter(method=SURVEY, project__in=projects)
            .select_related("project")
            .order_by("project__title", "sort_order")
        )
        departments = departments_within_reach(user, survey.department_id)
        department_field = self.fields["department"]
        assert isinstance(department_field, forms.ModelChoiceField)
        department_field.queryset = departments
        department_field.empty_label = str(_("Aucun"))
        if survey.pk is None and not staff_reach(user).is_admin and departments.count() == 1:
            self.initial.setdefault("department", departments.get().pk)
        if survey.pk is None:
            moderated = most_recent_moderated_project(user)
            if moderated is not None:
                self.initial.setdefault("project", moderated)

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data.get("slug") or ""
        if slug:
            return slug
        base = slugify(self.cleaned_data.get("title_fr") or "")[:70] or "sondage"
        others = Survey.objects.exclude(pk=self.instance.pk)
        slug, number = base, 2
        while others.filter(slug=slug).exists():
            slug = f"{base}-{number}"
            number += 1
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        problems = settings_problems(
            kind=cleaned.get("kind"),
            opens_at=cleaned.get("opens_at"),
            closes_at=cleaned.get("closes_at"),
            response_policy=cleaned.get("response_policy"),
            project=cleaned.get("project"),
            phase=cleaned.get("phase"),
        )
        for name, problem in problems.items():
            if name not in self.errors:
                self.add_error(name, problem)
        return cleaned


# Display conditions ---------------------------------------------------------------------


class ConditionQuestionField(forms.ModelChoiceField[Question]):
    def label_from_instance(self, obj: Question) -> str:
        return f"{obj.section.title_fr} — {obj.label_fr}"


def _type_or_none(kind: str) -> Any:
    try:
        return question_type(kind)
    except LookupError:
        return None


def condition_options(candidates: list[Question]) -> list[tuple[Question, list[tuple[str, str]]]]:
    """The answers a condition may expect, question by question: (question, [(value,
    label)]), for the questions whose type offers answers to choose from."""
    offered = []
    for question in candidates:
        question_type_ = _type_or_none(question.kind)
        options = question_type_.condition_options(question) if question_type_ else []
        if options:
            offered.append((question, options))
    return offered


def _expected_key(question_id: int | None, value: str) -> str:
    """The option of the "expected answer" list: the question and one of its answers."""
    return f"{question_id}:{value}"


class ConditionMixin(forms.ModelForm[Any]):
    """The three fields of a display condition, limited to the questions that come before.
    The expected answer is chosen from a list of "question — answer" pairs, grouped by
    question, so that it works in one step without JavaScript: nobody types an identifier."""

    def setup_condition(self, candidates: list[Question]) -> None:
        field = ConditionQuestionField(
            label=_("Afficher seulement si la question"),
            queryset=Question.objects.filter(pk__in=[q.pk for q in candidates])
            .select_related("section")
            .order_by("section__position", "section__pk", "position", "pk"),
            required=False,
            empty_label=_("Toujours afficher"),
            error_messages={
                "invalid_choice": _(
                    "Une condition ne peut porter que sur une question qui vient avant : "
                    "choisissez-en une dans la liste."
                )
            },
        )
        self.fields["condition_question"] = field
        self.fields["condition_operator"] = forms.ChoiceField(
            label=_("Condition"),
            choices=[("", "—"), *ConditionOperator.choices],
            required=False,
        )
        self.candidates = candidates
        self.offered = condition_options(candidates)
        self.fields["condition_value"] = forms.ChoiceField(
            label=_("Réponse attendue"),
            choices=[
                ("", _("Aucune (condition « a reçu une réponse »)")),
                *(
                    (
                        f"{question.section.title_fr} — {question.label_fr}",
                        [(_expected_key(question.pk, value), label) for value, label in options],
                    )
                    for question, options in self.offered
                ),
            ],
            required=False,
            help_text=_("Choisissez une réponse de la question de la condition."),
            error_messages={
                "invalid_choice": _(
                    "Choisissez la réponse attendue dans la liste des réponses de la question."
                )
            },
        )
        instance = self.instance
        if instance.condition_question_id and instance.condition_value:
            self.initial["condition_value"] = _expected_key(
                instance.condition_question_id, instance.condition_value
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        source: Question | None = cleaned.get("condition_question")
        operator = cleaned.get("condition_operator") or ""
        expected = cleaned.get("condition_value") or ""
        if "condition_question" in self.errors or "condition_value" in self.errors:
            return cleaned
        question_id, _sep, value = expected.partition(":")
        if source is None and expected:
            # The answer chosen names its question.
            source = next((q for q in self.candidates if str(q.pk) == question_id), None)
            cleaned["condition_question"] = source
        if source is None:
            if operator:
                self.add_error("condition_question", _("Choisissez la question de la condition."))
            cleaned["condition_operator"] = cleaned["condition_value"] = ""
            return cleaned
        if not operator:
            self.add_error("condition_operator", _("Choisissez une condition."))
            return cleaned
        if operator == ConditionOperator.ANSWERED:
            cleaned["condition_value"] = ""
            return cleaned
        offered = dict(self.offered).get(source, [])
        if not offered:
            self.add_error(
                "condition_operator",
                _(
                    "Cette question n'offre pas de réponses à choisir : seule la condition "
                    "« a reçu une réponse » lui convient."
                ),
            )
            return cleaned
        if not expected:
            self.add_error("condition_value", _("Choisissez la réponse attendue."))
            return cleaned
        if question_id != str(source.pk) or value not in dict(offered):
            self.add_error(
                "condition_value",
                _("Choisissez une réponse de la question « %(question)s » : %(answers)s.")
                % {
                    "question": source.label_fr,
                    "answers": ", ".join(label for _value, label in offered),
                },
            )
            return cleaned
        cleaned["condition_value"] = value
        return cleaned


CONDITION_FIELDS = ["condition_question", "condition_operator", "condition_value"]


class SectionForm(ConditionMixin):
    class Meta:
        model = Section
        fields = ["title_fr", "title_en", "introduction_fr", "introduction_en", *CONDITION_FIELDS]

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_condition(questions_before_section(survey, self.instance))


# Questions ------------------------------------------------------------------------------


class QuestionKindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de question"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, str(kind.label)) for key, kind in question_types().items()]


def _json_ready(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    return value


class QuestionForm(ConditionMixin):
    """A question's texts, its condition and its type's settings (fields `setting_<name>`).

    Before the survey has responses the type may change (its settings then start afresh);
    after, neither the type nor the settings can, and a form that tries is refused."""

    class Meta:
        model = Question
        fields = [
            "label_fr",
            "label_en",
            "help_text_fr",
            "help_text_en",
            "required",
            "hidden",
            *CONDITION_FIELDS,
        ]

    def __init__(
        self, *args: Any, section: Section, kind: str, locked: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.section = section
        self.locked = locked
        self.original_kind = kind
        self.kind = kind
        self.kind_changed = False
        if self.instance.pk is not None and not locked:
            self.fields["kind"] = forms.ChoiceField(
                label=_("Type de question"),
                choices=[(key, str(t.label)) for key, t in question_types().items()],
                initial=kind,
                help_text=_("Changer de type remet ses réglages à leurs valeurs de départ."),
            )
            asked = self.data.get("kind") if self.is_bound else None
            if asked in question_types() and asked != kind:
                self.kind, self.kind_changed = str(asked), True
        self.question_type = question_type(self.kind)
        self.setting_fields = self.question_type.settings_fields()
        if not locked and not self.kind_changed:
            stored = self.instance.settings or {}
            for name, field in self.setting_fields.items():
                if name in stored:
                    field.initial = stored[name]
                self.fields[SETTING_PREFIX + name] = field
        self.setup_condition(questions_before(section, self.instance))

    def setting_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(SETTING_PREFIX)]

    def locked_settings(self) -> list[tuple[str, Any]]:
        """The settings shown read-only once locked: (label, value)."""
        stored = self.instance.settings or {}
        return [
            (str(field.label or name), stored.get(name, field.initial))
            for name, field in self.setting_fields.items()
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.locked:
            asked = self.data.get("kind")
            if asked and asked != self.original_kind:
                raise ValidationError(
                    _(
                        "Cette question a déjà des réponses : son type ne peut plus changer. "
                        "Masquez-la et ajoutez une nouvelle question."
                    )
                )
            self._refuse_changed_settings()
        settings = self._settings_from(cleaned)
        if not self.locked and not self.kind_changed:
            try:
                settings = self.question_type.clean_settings(settings)
            except ValidationError as error:
                self.add_error(None, error)
        self.cleaned_settings = settings
        return cleaned

    def _refuse_changed_settings(self) -> None:
        stored = self.instance.settings or {}
        for name, field in self.setting_fields.items():
            key = SETTING_PREFIX + name
            if key not in self.data:
                continue
            try:
                value = field.clean(field.widget.value_from_datadict(self.data, self.files, key))
            except ValidationError:
                value = object()
            if _json_ready(value) != stored.get(name, field.initial):
                raise ValidationError(SETTINGS_LOCKED)

    def _settings_from(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        if self.locked:
            return dict(self.instance.settings or {})
        if self.kind_changed:
            return {
                name: _json_ready(field.initial)
                for name, field in self.setting_fields.items()
                if field.initial is not None
            }
        return {
            name: _json_ready(cleaned.get(SETTING_PREFIX + name))
            for name in self.setting_fields
            if SETTING_PREFIX + name in cleaned
        }

    def save(self, commit: bool = True) -> Question:
        question: Question = super().save(commit=False)
        question.kind = self.kind
        question.settings = self.cleaned_settings
        if commit:
            question.save()
        return question


class ChoiceForm(forms.ModelForm[Choice]):
    class Meta:
        model = Choice
        fields = ["label_fr", "label_en", "hidden"]


class BaseChoiceFormSet(forms.BaseModelFormSet[Choice, ChoiceForm]):
    """The options (or matrix rows) of a question. Once the survey has responses, a choice
    can be hidden but not deleted; its identifier (`value`) is never edited."""

    def __init__(self, *args: Any, locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locked = locked

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = 0
        for form in self.forms:
            deleting = self.can_delete and bool(form.cleaned_data.get("DELETE"))
            if deleting and form.instance.pk is not None and self.locked:
                raise ValidationError(
                    _(
                        "Ce sondage a déjà des réponses : un choix ne peut plus être supprimé, "
                        "seulement masqué."
                    )
                )
            posted_value = form.data.get(f"{form.prefix}-value")
            if form.instance.pk is not None and posted_value not in (None, form.instance.value):
                raise ValidationError(CHOICE_VALUES_LOCKED)
            has_label = form.instance.pk is not None or form.cleaned_data.get("label_fr")
            if has_label and not deleting and not form.cleaned_data.get("hidden"):
                kept += 1
        if kept == 0:
            raise ValidationError(_("Gardez au moins un choix visible."))


ChoiceFormSet = forms.modelformset_factory(
    Choice, form=ChoiceForm, formset=BaseChoiceFormSet, extra=3, can_delete=True
)


class ExcerptForm(forms.ModelForm[Excerpt]):
    class Meta:
        model = Excerpt
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "text": _(
                "Vous pouvez raccourcir la réponse et retirer ce qui permettrait de reconnaître "
                "quelqu'un (nom, adresse, détail personnel), sans changer ce qu'elle dit."
            )
        }


class ReviewForm(forms.Form):
    """The approver's decision on a survey waiting for approval: one of the two buttons
    (`decision`), with a comment the team reads (required to ask for changes)."""

    comment = forms.CharField(
        label=_("Commentaire pour l'équipe"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire pour demander des modifications; facultatif pour approuver."),
    )
