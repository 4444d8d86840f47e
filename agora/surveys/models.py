"""Surveys: their sections, questions and choices, the responses residents submit, and the
excerpts of open answers staff choose to publish.

A survey stands alone or belongs to a project's survey phase. Texts exist in French (the
source) and English side by side (`title_fr`, `title_en`), so that one question, and every
answer to it, stays the same question whatever language it was answered in.

Integrity: a submitted response never changes. Once a survey has responses, texts may still
be corrected, but a choice (or a question) can only be hidden, never removed, so results stay
valid. Each question's behaviour (its form field, how an answer is stored and counted) is a
plug-in of `agora.surveys.questions`, named by `Question.kind`.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.core.audience import Audience
from agora.core.closing import Closing
from agora.core.languages import in_language
from agora.core.models import Participant, Theme
from agora.participation.models import Phase, ProjectPage

if TYPE_CHECKING:
    from agora.accounts.reach import StaffReach


class SurveyKind(models.TextChoices):
    ONE_OFF = "one_off", _("Ponctuel")
    CONTINUOUS = "continuous", _("Continu")


class ResponsePolicy(models.TextChoices):
    ONCE = "once", _("Une réponse par participant")
    DAILY = "daily", _("Une réponse par participant et par jour")
    UNLIMITED = "unlimited", _("Sans limite")


class ResultsVisibility(models.TextChoices):
    LIVE = "live", _("Publics en direct")
    AFTER_CLOSE = "after_close", _("Publics après la fermeture")
    PRIVATE = "private", _("Privés")


class ConditionOperator(models.TextChoices):
    EQUALS = "equals", _("est égale à")
    INCLUDES = "includes", _("comprend")
    ANSWERED = "answered", _("a reçu une réponse")


class ReviewState(models.TextChoices):
    """Where a survey stands on its way to residents: a moderator submits it, the managers of
    its department (or an administrator) approve it, which publishes it (approval.py)."""

    DRAFT = "draft", _("Brouillon")
    AWAITING_APPROVAL = "awaiting_approval", _("En attente d'approbation")
    PUBLISHED = "published", _("Publié")


class SurveyQuerySet(models.QuerySet["Survey"]):
    def published(self) -> SurveyQuerySet:
        return self.filter(published_at__isnull=False)

    def with_public_results(self, now: datetime.datetime | None = None) -> SurveyQuerySet:
        """Published surveys whose results residents may read now."""
        now = now or timezone.now()
        return self.published().filter(
            Q(results_visibility=ResultsVisibility.LIVE)
            | Q(
                results_visibility=ResultsVisibility.AFTER_CLOSE,
                closes_at__isnull=False,
                closes_at__lte=now,
            )
        )

    def within_reach(self, reach: StaffReach) -> SurveyQuerySet:
        """The surveys a person builds (`change_survey`): every one for an administrator,
        those of their departments (the survey's own or its project's) for a department
        manager, those of the projects assigned to them for a moderator."""
        if reach.is_admin:
            return self
        return self.filter(
            Q(department_id__in=reach.department_ids)
            | Q(project__department_id__in=reach.department_ids)
            | Q(project_id__in=reach.moderated_project_ids)
        )

    def followed_within(self, reach: StaffReach) -> SurveyQuerySet:
        """The surveys a person follows in /gestion/ (`view_survey_results`): every one for
        administrators and elected officials, else those they build."""
        if reach.reads_everything:
            return self
        return self.within_reach(reach)


class Survey(models.Model):
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=80, unique=True)
    summary_fr = models.TextField(_("résumé (français)"), max_length=300, blank=True)
    summary_en = models.TextField(_("résumé (anglais)"), max_length=300, blank=True)
    introduction_fr = models.TextField(_("introduction (français)"), blank=True)
    introduction_en = models.TextField(_("introduction (anglais)"), blank=True)
    thank_you_fr = models.TextField(_("message de remerciement (français)"), blank=True)
    thank_you_en = models.TextField(_("message de remerciement (anglais)"), blank=True)
    kind = models.CharField(
        _("type de sondage"), max_length=16, choices=SurveyKind.choices, default=SurveyKind.ONE_OFF
    )
    opens_at = models.DateTimeField(_("ouverture"), null=True, blank=True)
    closes_at = models.DateTimeField(
        _("fermeture"),
        null=True,
        blank=True,
        help_text=_("Laissez vide pour un sondage continu, toujours ouvert."),
    )
    response_policy = models.CharField(
        _("réponses permises"),
        max_length=16,
        choices=ResponsePolicy.choices,
        default=ResponsePolicy.ONCE,
    )
    audience = models.CharField(
        _("qui peut répondre"), max_length=16, choices=Audience.choices, default=Audience.ANYONE
    )
    results_visibility = models.CharField(
        _("résultats"),
        max_length=16,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_CLOSE,
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), blank=True)
    # A survey phase's component: the project's source page and its phase.
    project = models.ForeignKey(
        ProjectPage,
        verbose_name=_("projet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("étape du projet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("service municipal responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True, editable=False)
    review_state = models.CharField(
        _("approbation"),
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("soumis par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True, editable=False)
    # The approver's last request for changes, shown to the team until the next submission.
    review_comment = models.TextField(_("modifications demandées"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Renewed whenever one of the survey's sections, questions or choices changes
    # (agora/surveys/signals.py): the answering pages keep the survey's structure in memory
    # under it (`SurveyFlow.load`).
    structure_version = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("sondage")
        verbose_name_plural = _("sondages")
        ordering = ("-opens_at", "-created_at")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving a survey never writes back the structure version it was loaded with: a
        question changed since then has renewed it in the database."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "structure_version"
            ]
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def summary(self) -> str:
        return in_language(self, "summary")

    @property
    def introduction(self) -> str:
        return in_language(self, "introduction")

    @property
    def thank_you(self) -> str:
        return in_language(self, "thank_you")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_awaiting_approval(self) -> bool:
        return self.review_state == ReviewState.AWAITING_APPROVAL

    @property
    def is_continuous(self) -> bool:
        return self.kind == SurveyKind.CONTINUOUS

    def has_opened(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at is None or self.opens_at <= now

    def has_closed(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.closes_at is not None and self.closes_at <= now

    @property
    def closing(self) -> Closing | None:
        """When the survey closes, said as everywhere else: a survey closing at midnight after
        31 December is open "jusqu'au 31 décembre inclusivement" (None: always open)."""
        return Closing(self.closes_at) if self.closes_at else None

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """Residents may answer: published, opened, not yet closed."""
        return self.is_published and self.has_opened(now) and not self.has_closed(now)

    def results_are_public(self, now: datetime.datetime | None = None) -> bool:
        if not self.is_published:
            return False
        if self.results_visibility == ResultsVisibility.LIVE:
            return True
        return self.results_visibility == ResultsVisibility.AFTER_CLOSE and self.has_closed(now)

    @property
    def has_responses(self) -> bool:
        return self.responses.exists()


class Conditional(models.Model):
    """Shown only when an earlier question's answer meets the condition; always shown when
    no condition is set."""

    condition_question = models.ForeignKey(
        "Question",
        verbose_name=_("afficher seulement si la question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    condition_operator = models.CharField(
        _("condition"), max_length=16, choices=ConditionOperator.choices, blank=True
    )
    condition_value = models.CharField(
        _("valeur attendue"),
        max_length=200,
        blank=True,
        help_text=_("L'identifiant d'un choix, ou « oui » / « non »."),
    )

    class Meta:
        abstract = True

    @property
    def has_condition(self) -> bool:
        return self.condition_question_id is not None and bool(self.condition_operator)


class Section(Conditional):
    """A page of the survey, with its introduction."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"), default=0)
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    introduction_fr = models.TextField(_("introduction (français)"), blank=True)
    introduction_en = models.TextField(_("introduction (anglais)"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def introduction(self) -> str:
        return in_language(self, "introduction")


class Question(Conditional):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    # The key of a question type plug-in (agora.surveys.questions).
    kind = models.CharField(_("type de question"), max_length=32)
    label_fr = models.CharField(_("question (français)"), max_length=300)
    label_en = models.CharField(_("question (anglais)"), max_length=300, blank=True)
    help_text_fr = models.CharField(_("aide (français)"), max_length=300, blank=True)
    help_text_en = models.CharField(_("aide (anglais)"), max_length=300, blank=True)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    # The type's own settings (bounds, scale, widget…), validated by the plug-in.
    settings = models.JSONField(_("réglages"), default=dict, blank=True)
    hidden = models.BooleanField(
        _("masquée"),
        default=False,
        help_text=_("Une question qui a déjà des réponses ne peut qu'être masquée."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ("section__position", "position", "pk")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self, "label")

    @property
    def help_text(self) -> str:
        return in_language(self, "help_text")

    @property
    def type(self) -> Any:
        """The question type plug-in."""
        from agora.surveys.questions import question_type

        return question_type(self.kind)

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class ChoiceRole(models.TextChoices):
    OPTION = "option", _("Choix de réponse")
    ROW = "row", _("Ligne d'une grille")


class Choice(models.Model):
    """An offered answer, or a row of a matrix. `value` stays the same for life: answers and
    conditions name it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    role = models.CharField(max_length=8, choices=ChoiceRole.choices, default=ChoiceRole.OPTION)
    position = models.PositiveIntegerField(_("position"), default=0)
    value = models.SlugField(_("identifiant"), max_length=60)
    label_fr = models.CharField(_("libellé (français)"), max_length=200)
    label_en = models.CharField(_("libellé (anglais)"), max_length=200, blank=True)
    hidden = models.BooleanField(
        _("masqué"),
        default=False,
        help_text=_("Un choix déjà retenu dans des réponses ne peut qu'être masqué."),
    )

    class Meta:
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        ordering = ("position", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "role", "value"], name="one_value_per_question_choice"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self, "label")


class ChoiceLabelCorrection(models.Model):
    """A change of a choice's label in one language once its survey had responses: the answers
    already given then read under the new text, so the results page says it changed and what
    it read before (agora/surveys/choice_labels.py tells a correction from a change of
    meaning). Written by `builder_services.change_question` with its audit entry, never
    edited."""

    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="label_corrections")
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES)
    label_before = models.CharField(_("libellé avant"), max_length=200)
    label_after = models.CharField(_("libellé après"), max_length=200)
    # False for a correction (spelling, accents, case), which the survey's team may make;
    # True for a change only those who publish the survey may make.
    changes_meaning = models.BooleanField(_("change le sens"), default=False)
    changed_at = models.DateTimeField(_("date"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("correction du libellé d'un choix")
        verbose_name_plural = _("corrections des libellés des choix")
        ordering = ("changed_at", "pk")

    def __str__(self) -> str:
        return f"{self.label_before} → {self.label_after}"


class ResponseQuerySet(models.QuerySet["Response"]):
    """`of_survey` marks the queryset of all of a survey's responses, so that counting the
    answers of one of its questions needs no join with the responses (a million responses
    are then counted from the answers' index alone). Any further filter drops the mark."""

    whole_survey = False

    def of_survey(self, survey: Survey | int) -> ResponseQuerySet:
        responses = self.filter(survey=survey)
        responses.whole_survey = True
        return responses

    def _clone(self) -> ResponseQuerySet:
        clone: ResponseQuerySet = super()._clone()  # type: ignore[misc]
        clone.whole_survey = False
        return clone


class Response(models.Model):
    """One submitted response. It never changes once written."""

    # Found through the constraint and the index below, which both begin with the survey.
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=8, default="fr")
    # Enforces the response policy in the database: the participant for "once", the
    # participant and the day for "daily", a random value for "unlimited".
    policy_key = models.CharField(max_length=80, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "policy_key"], name="one_response_per_policy_key"
            )
        ]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="response_by_time")]

    def __str__(self) -> str:
        return str(_("Réponse"))

    @staticmethod
    def policy_key_for(
        survey: Survey, participant: Participant, day: datetime.date | None = None
    ) -> str:
        if survey.response_policy == ResponsePolicy.ONCE:
            return str(participant.pk)
        if survey.response_policy == ResponsePolicy.DAILY:
            return f"{participant.pk}:{(day or timezone.localdate()).isoformat()}"
        return f"unlimited:{uuid.uuid4()}"


def upload_path(instance: Answer, filename: str) -> str:
    """A random name: the resident's file name may say who they are."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"sondages/{instance.question.survey_id}/{uuid.uuid4().hex}.{extension}"


class Answer(models.Model):
    """One stored value of a response to a question. A choice question stores one row per
    chosen choice; a matrix one row per row (`choice`) with its scale point (`number`); a
    ranking one row per item with its rank; other types one row with their value."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # Found through the indexes below, which all begin with the question: one index less to
    # update for each of the twenty-odd rows a response writes.
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    file = models.FileField(upload_to=upload_path, blank=True)

    class Meta:
        verbose_name = _("valeur de réponse")
        verbose_name_plural = _("valeurs de réponse")
        indexes = [
            models.Index(fields=["question", "choice"], name="answer_by_choice"),
            models.Index(fields=["question", "number"], name="answer_by_number"),
            models.Index(fields=["question", "response"], name="answer_by_response"),
        ]

    def __str__(self) -> str:
        return str(_("Valeur de réponse"))


class Excerpt(models.Model):
    """An open answer staff chose to publish with the results, possibly shortened (never
    reworded) to remove what could identify someone."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="excerpts")
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="excerpt")
    text = models.TextField(_("extrait publié"), max_length=2000)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("extrait publié")
        verbose_name_plural = _("extraits publiés")
        ordering = ("published_at", "pk")

    def __str__(self) -> str:
        return self.text[:60]
