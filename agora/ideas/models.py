"""The idea box: ideas, comments (one level of replies), reactions, flags, moderation and the
city's official feedback.

Ideas belong to a project's source page and to an idea-box phase, found in any language by
the phase's `translation_key`. Everything a resident sees goes through `visible_to`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel

from agora.core.audience import Audience
from agora.core.models import EmailSubscription, Participant, Theme
from agora.participation.models import Phase, ProjectPage


class Visibility(models.TextChoices):
    PENDING = "pending", _("En attente d'approbation")
    PUBLISHED = "published", _("Publiée")
    HIDDEN = "hidden", _("Masquée par la modération")


class IdeaStatus(models.TextChoices):
    """The city's official answer to an idea, explained publicly."""

    RECEIVED = "received", _("Reçue")
    UNDER_STUDY = "under_study", _("À l'étude")
    ACCEPTED = "accepted", _("Retenue")
    PLANNED = "planned", _("Planifiée")
    DONE = "done", _("Réalisée")
    REJECTED = "rejected", _("Non retenue")


class ModerationMode(models.TextChoices):
    POST = "post", _("Après publication (les contributions paraissent tout de suite)")
    PRE = "pre", _("Avant publication (les contributions attendent l'approbation)")


class IdeaBoxSettings(models.Model):
    """How an idea-box phase runs, edited with the phase in the project page's editor. A
    phase without a row runs with the defaults (`settings_of` in phases.py)."""

    phase = ParentalKey(Phase, on_delete=models.CASCADE, related_name="idea_box_settings")
    audience = models.CharField(
        _("qui peut participer"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.ANYONE,
    )
    moderation = models.CharField(
        _("modération"),
        max_length=8,
        choices=ModerationMode.choices,
        default=ModerationMode.POST,
    )
    allow_disagree = models.BooleanField(
        _("permettre de se dire en désaccord"),
        default=False,
        help_text=_("En plus de l'appui, les participants peuvent indiquer leur désaccord."),
    )

    panels = [FieldPanel("audience"), FieldPanel("moderation"), FieldPanel("allow_disagree")]

    class Meta:
        verbose_name = _("réglages de la boîte à idées")
        verbose_name_plural = _("réglages de la boîte à idées")
        constraints = [
            models.UniqueConstraint(fields=["phase"], name="one_idea_box_settings_per_phase")
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @property
    def pre_moderated(self) -> bool:
        return self.moderation == ModerationMode.PRE


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Pourriel")
    OFFENSIVE = "offensive", _("Propos offensants")
    OFF_TOPIC = "off_topic", _("Hors sujet")


class ContributionQuerySet(models.QuerySet[Any]):
    def published(self) -> ContributionQuerySet:
        return self.filter(visibility=Visibility.PUBLISHED)

    def visible_to(self, viewer: Any, participant: Participant | None = None) -> Any:
        """Published contributions, plus the viewer's own that wait for approval. Moderators
        see everything through the moderation views, not here."""
        own = Q(pk__in=[])
        if participant is not None:
            own = Q(author=participant, visibility=Visibility.PENDING)
        return self.filter(Q(visibility=Visibility.PUBLISHED) | own)


class IdeaQuerySet(ContributionQuerySet):
    def of_project(self, project: ProjectPage) -> IdeaQuerySet:
        return self.filter(project=project.source)


class Contribution(models.Model):
    """What ideas and comments share: a pseudonymous author, moderation state and flags."""

    author = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="%(class)ss", editable=False
    )
    # Shown with the contribution; empty means "Participant anonyme".
    author_name = models.CharField(_("nom affiché"), max_length=120, blank=True)
    # The author deleted their account: the contribution stays, signed "Ancien participant".
    by_former_participant = models.BooleanField(
        _("d'un ancien participant"), default=False, editable=False
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("au nom de l'organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
    )
    created_at = models.DateTimeField(_("publiée le"), default=timezone.now, db_index=True)
    visibility = models.CharField(
        _("visibilité"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    flag_count = models.PositiveIntegerField(default=0)
    # When a moderator last restored it or dismissed its flags: from then on residents' flags
    # bring it back to the moderation queue but never hide it again.
    kept_by_moderator_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderation_reason = models.TextField(_("motif de la modération"), blank=True)
    # The language it was written in, shown with it on both sides of the site: screen
    # readers pronounce it in that language (WCAG 3.1.2, language of parts).
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default="fr", editable=False
    )

    class Meta:
        abstract = True

    @property
    def person_name(self) -> str:
        """Who wrote it: the name they gave, "Participant anonyme" when they gave none, and
        "Ancien participant" once they deleted their account."""
        if self.by_former_participant:
            return str(_("Ancien participant"))
        return self.author_name or str(_("Participant anonyme"))

    @property
    def display_name(self) -> str:
        """What the contribution is signed with: the organisation it speaks for, else its
        author."""
        if self.organisation is not None:
            return self.organisation.name
        return self.person_name


class Idea(Contribution):
    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="ideas")
    phase_key = models.UUIDField(_("étape"), db_index=True)
    title = models.CharField(_("titre"), max_length=140)
    description = models.TextField(_("description"), max_length=5000)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("thème"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    location_name = models.CharField(_("lieu"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    image = models.ImageField(_("image"), upload_to="ideas/%Y/%m/", blank=True)
    image_description = models.CharField(_("description de l'image"), max_length=200, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=IdeaStatus.choices, default=IdeaStatus.RECEIVED
    )
    status_explanation = models.TextField(_("explication de la Ville"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Counters kept by the services so lists sort without counting rows.
    support_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idée")
        verbose_name_plural = _("idées")
        indexes = [
            models.Index(fields=["project", "visibility", "-created_at"], name="idea_recent"),
            models.Index(fields=["project", "visibility", "-support_count"], name="idea_support"),
            models.Index(fields=["project", "visibility", "-comment_count"], name="idea_discussed"),
            # The theme filter offers the themes in use (selectors.idea_themes): one probe a theme.
            models.Index(fields=["project", "theme", "visibility"], name="idea_theme"),
        ]

    def __str__(self) -> str:
        return self.title


class Comment(Contribution):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("commentaire"), max_length=2000)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.body[:60]


# The kind under which reactions wait for a moderator (agora/core/held.py).
HELD_REACTION = "ideas.reaction"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        SUPPORT = "support", _("J'appuie")
        DISAGREE = "disagree", _("Je suis en désaccord")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="reactions")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("réaction")
        verbose_name_plural = _("réactions")
        constraints = [
            # One reaction per idea per participant, whatever its kind.
            models.UniqueConstraint(
                fields=["idea", "participant"], name="one_reaction_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.idea_id}"


class Flag(models.Model):
    """A resident's report that an idea or a comment is spam, offensive or off topic."""

    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("motif"), max_length=12, choices=FlagReason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Whether it counts toward hiding the content: only a participant who existed before
    # this flag (a cookie or an account) does, so that cookieless requests cannot hide.
    counts_toward_hiding = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [
            models.CheckConstraint(
                condition=Q(idea__isnull=False, comment__isnull=True)
                | Q(idea__isnull=True, comment__isnull=False),
                name="flag_targets_idea_or_comment",
            ),
            models.UniqueConstraint(
                fields=["idea", "participant"], name="one_flag_per_idea_and_participant"
            ),
            models.UniqueConstraint(
                fields=["comment", "participant"], name="one_flag_per_comment_and_participant"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_reason_display())


class ModerationEvent(models.Model):
    """The moderation log: who approved, hid or restored what, and why."""

    class Action(models.TextChoices):
        APPROVED = "approved", _("Approuvée")
        HIDDEN = "hidden", _("Masquée")
        RESTORED = "restored", _("Rétablie")
        AUTO_HIDDEN = "auto_hidden", _("Masquée après signalements")
        FLAGS_DISMISSED = "flags_dismissed", _("Signalements rejetés")

    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    reason = models.TextField(blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("décision de modération")
        verbose_name_plural = _("journal de modération")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return str(self.get_action_display())


class StatusChange(models.Model):
    """The public history of the city's answers to an idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=12, choices=IdeaStatus.choices)
    explanation = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("réponse de la Ville")
        verbose_name_plural = _("réponses de la Ville")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return str(self.get_status_display())


class IdeaFollower(EmailSubscription):
    """Hears by e-mail when the city answers the idea (the author follows their own idea when
    they can be reached)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="followers")

    class Meta:
        verbose_name = _("abonné à l'idée")
        verbose_name_plural = _("abonnés à l'idée")
        constraints = [
            models.UniqueConstraint(fields=["idea", "email"], name="one_follow_per_idea_and_email")
        ]
