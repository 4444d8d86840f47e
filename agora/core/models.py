import datetime
import secrets
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from agora.core.colours import HEX_COLOUR, contrast_ratio
from agora.core.languages import in_language

WHITE = "#ffffff"
MINIMUM_TEXT_CONTRAST = 4.5


def validate_colour_under_white_text(value: str) -> None:
    """White text sits on the city's colours (header, buttons): it must stay readable."""
    if not HEX_COLOUR.match(value):
        raise ValidationError(_("Entrez une couleur au format #RRGGBB, par exemple #005a8c."))
    ratio = contrast_ratio(value, WHITE)
    if ratio < MINIMUM_TEXT_CONTRAST:
        raise ValidationError(
            _(
                "Cette couleur est trop pâle : le texte blanc n'aurait qu'un contraste de "
                "%(ratio).1f:1, il faut au moins 4,5:1 (WCAG 2.1 AA). Choisissez une teinte "
                "plus foncée."
            ),
            params={"ratio": ratio},
        )


@register_setting(icon="site")
class Branding(BaseSiteSetting):
    """How the portal presents the city: name, logo, colours, contact details, social links.

    Every city brands its portal here, in /gestion/, without touching code.
    """

    municipality_name = models.CharField(
        _("nom de la municipalité"), max_length=120, default="Ville de Démo"
    )
    short_name = models.CharField(
        _("nom court"),
        max_length=12,
        default="Agora",
        help_text=_(
            "Sous l'icône de l'application installée sur un téléphone (12 caractères au plus)."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("couleur principale"),
        max_length=7,
        default="#00558c",
        validators=[validate_colour_under_white_text],
        help_text=_(
            "En-tête, liens et boutons. Format #RRGGBB. Le texte blanc doit y rester lisible."
        ),
    )
    accent_colour = models.CharField(
        _("couleur d'accent"),
        max_length=7,
        default="#7a3e00",
        validators=[validate_colour_under_white_text],
        help_text=_("Boutons d'action et mises en évidence. Format #RRGGBB."),
    )
    address = models.TextField(_("adresse de l'hôtel de ville"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    x_url = models.URLField(_("X"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("municipality_name"), FieldPanel("short_name"), FieldPanel("logo")],
            heading=_("Identité"),
        ),
        MultiFieldPanel(
            [FieldPanel("primary_colour"), FieldPanel("accent_colour")], heading=_("Couleurs")
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("Coordonnées"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("x_url"),
                FieldPanel("youtube_url"),
                FieldPanel("linkedin_url"),
            ],
            heading=_("Réseaux sociaux"),
        ),
    ]

    class Meta:
        verbose_name = _("image de marque")
        verbose_name_plural = _("image de marque")

    def social_links(self) -> list[tuple[str, str]]:
        links = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("X", self.x_url),
            ("YouTube", self.youtube_url),
            ("LinkedIn", self.linkedin_url),
        ]
        return [(name, url) for name, url in links if url]

    @property
    def version(self) -> str:
        """Changes whenever the colours change, so browsers fetch the new theme."""
        return f"{self.pk or 0}-{self.primary_colour[1:]}{self.accent_colour[1:]}"


class AuditEntry(models.Model):
    """Who did what, when, to which object: every staff action on roles, invitations,
    publishing and settings. Written by services, never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("nom de la personne"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("type d'objet"), max_length=100, blank=True)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    object_repr = models.CharField(_("objet"), max_length=200, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
        )


class ScheduledRun(models.Model):
    """One run of a scheduled job for one period (agora/core/scheduling.py). The unique
    (job, period) row is what makes a job run once per period: a run claims it before it
    starts, so a second `run_scheduled` at the same moment leaves the job alone. It holds no
    personal data: `error` keeps the exception's type and where it was raised, not its
    message."""

    job = models.CharField(_("tâche"), max_length=100)
    period_key = models.CharField(_("période"), max_length=32)
    attempts = models.PositiveSmallIntegerField(_("essais"), default=1)
    started_at = models.DateTimeField(_("début"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("exécution planifiée")
        verbose_name_plural = _("exécutions planifiées")
        constraints = [
            models.UniqueConstraint(fields=["job", "period_key"], name="core_scheduledrun_once")
        ]
        indexes = [models.Index(fields=["started_at"], name="core_schedrun_started")]

    def __str__(self) -> str:
        return f"{self.job} {self.period_key}"

    @property
    def succeeded(self) -> bool:
        return self.finished_at is not None and not self.error


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def due(self, now: datetime.datetime) -> "DeliveryQuerySet":
        """Pending deliveries whose next attempt time has come."""
        return self.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)

    def to_any_of(self, addresses: Iterable[str]) -> "DeliveryQuerySet":
        """Deliveries addressed to one of `addresses`, whatever their case."""
        matches = models.Q(pk__in=[])
        for address in addresses:
            matches |= models.Q(recipient__iexact=address)
        return self.filter(matches)


class Delivery(models.Model):
    """One outgoing message (an e-mail today; a text message, a call or a webhook later),
    rendered when it was decided and sent by a task (agora/core/deliveries.py).

    Its `key` names the message ("idea-status:<idea>:<follower>:<status change>"): deciding
    the same message twice creates it once. A failed attempt is retried with backoff; a
    message is sent at most once even when its task runs twice."""

    class State(models.TextChoices):
        PENDING = "pending", _("en attente")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("refusé")
        ABANDONED = "abandoned", _("abandonné")

    key = models.CharField(_("clé"), max_length=255, unique=True)
    channel = models.CharField(_("canal"), max_length=20)
    recipient = models.CharField(_("destinataire"), max_length=320)
    language = models.CharField(_("langue"), max_length=8, blank=True)
    payload = models.JSONField(_("contenu"), default=dict, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    next_attempt_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, db_index=True)
    # What the provider says afterwards (a text message gateway's delivery report, a call's
    # status callback): its own reference for the message, its last word ("delivered",
    # "undelivered", "busy", "no-answer"...) and when it said it.
    provider_reference = models.CharField(
        _("référence du fournisseur"), max_length=100, blank=True, db_index=True
    )
    report = models.CharField(_("rapport du fournisseur"), max_length=20, blank=True)
    reported_at = models.DateTimeField(_("rapport reçu le"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("envoi de message")
        verbose_name_plural = _("envois de messages")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="core_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.key}"


# The resident layer every module builds on: the anonymous participant, the e-mail
# subscriptions residents verify by a link, and the themes contributions are filed under.
# Their tables keep the names they were created with.


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Participant(models.Model):
    """Someone taking part, known to Agora only by a random id kept in a signed, HttpOnly
    cookie (or linked to their account). No IP address, no name unless they give one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participant",
    )
    # Given by a participant who wants to hear back or where taking part asks for it.
    email = models.EmailField(_("adresse courriel"), blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, default="fr")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "participation_participant"
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return str(_("Participant anonyme"))

    @property
    def has_verified_email(self) -> bool:
        if self.user_id is not None and self.user is not None:
            return True
        return bool(self.email) and self.email_verified_at is not None

    @property
    def reachable_email(self) -> str:
        """Where this participant can be told about their contribution, if anywhere."""
        if self.user is not None and self.user.deleted_at is None:
            return self.user.email
        if self.email and self.email_verified_at is not None:
            return self.email
        return ""


class EmailVerification(models.Model):
    """A link sent to a participant to prove an address, until it is followed or expires
    (agora/core/participants.py). The link carries only a random token, so that the address
    never lands in server or proxy logs; the row keeps the token's SHA-256, so that a copy of
    the database holds no usable link."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="email_verifications"
    )
    email = models.EmailField(_("adresse courriel"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("confirmation d'adresse courriel en attente")
        verbose_name_plural = _("confirmations d'adresse courriel en attente")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class EmailSubscription(models.Model):
    """An e-mail address that asked to hear about something, verified by a link, with a
    one-click unsubscribe token in every message (agora/core/subscriptions.py)."""

    email = models.EmailField(_("adresse courriel"))
    language = models.CharField(_("langue"), max_length=8, default="fr")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.verified_at is not None and self.unsubscribed_at is None


class Theme(models.Model):
    """A theme shared by projects, ideas and surveys ("Environnement", "Mobilité", …), named
    in both languages so that contributions keep their theme whatever language they are read
    in."""

    name_fr = models.CharField(_("nom (français)"), max_length=80, unique=True)
    name_en = models.CharField(_("nom (anglais)"), max_length=80)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=80, unique=True)

    panels = [FieldPanel("name_fr"), FieldPanel("name_en"), FieldPanel("slug")]

    class Meta:
        db_table = "participation_theme"
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ("name_fr",)

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class SearchSynonymGroup(models.Model):
    """Words residents use for the same thing ("vidanges, ordures, poubelle, déchets"): a
    search for one finds pages that use another. Applied to each search as it runs, so an
    edit counts at once."""

    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    terms = models.TextField(
        _("termes équivalents"),
        max_length=1000,
        help_text=_(
            "Séparés par des virgules, par exemple : bac brun, compost, matières organiques."
        ),
    )

    panels = [FieldPanel("language"), FieldPanel("terms")]

    class Meta:
        verbose_name = _("groupe de synonymes")
        verbose_name_plural = _("synonymes de la recherche")
        ordering = ("language", "terms")

    def __str__(self) -> str:
        return self.terms.replace("\n", ", ")


class SearchDocument(models.Model):
    """One thing residents may find, in one language, as the search index knows it: which
    source registered it (agora/core/search.py) and its key there. Its terms are its words as
    search compares them (agora/core/search_text.py)."""

    source = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    language = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "key", "language"], name="one_search_document_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.key} ({self.language})"


class SearchTerm(models.Model):
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=60)
    in_title = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "term"], name="one_search_term_each")
        ]
        indexes = [models.Index(fields=["term", "document"], name="search_term_lookup")]

    def __str__(self) -> str:
        return self.term


class HeldContribution(models.Model):
    """An anonymous contribution (an idea's support, a survey's response) that looked stuffed
    (agora/core/integrity.py) and waits for a moderator: counted once released, dropped if
    discarded (agora/core/held.py). `payload` is what the contribution's own service needs
    to record it then; it holds no address."""

    class Reason(models.TextChoices):
        SAME_CONNECTION = "same_connection", _("Beaucoup d'envois depuis la même connexion")
        BURST = "burst", _("Afflux inhabituel en quelques minutes")

    kind = models.CharField(max_length=40)
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, default="fr")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    held_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contribution retenue")
        verbose_name_plural = _("contributions retenues")
        indexes = [models.Index(fields=["target_type", "target_id"], name="held_by_target")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.target_id}"
