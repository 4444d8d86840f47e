"""The catalogue of citizen requests: the services residents report problems to ("Nid-de-poule",
"Bac non ramassé", …), grouped by theme, with the questions each asks (Open311 GeoReport v2:
`service`, `group`, `service_definition` and its `attributes`), and the municipality's
boundary that places a request inside the city.

A service's `code` and an attribute's `code` and choice keys are what the API and stored
requests name: they stay the same for life; names and texts change freely in both languages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from agora.accounts.models import Department
from agora.citizen_requests.boundary import validate_boundary, validate_districts
from agora.core.languages import in_language


class ServiceGroup(models.Model):
    """A theme of the catalogue ("Voirie", "Collectes", …): Open311's `group`, and the theme
    the indicators count requests by."""

    name_fr = models.CharField(_("nom (français)"), max_length=80, unique=True)
    name_en = models.CharField(_("nom (anglais)"), max_length=80)
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thème des requêtes")
        verbose_name_plural = _("thèmes des requêtes")
        ordering = ("position", "name_fr")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class Requirement(models.TextChoices):
    REQUIRED = "required", _("Obligatoire")
    OPTIONAL = "optional", _("Facultative")
    NONE = "none", _("Non demandée")


class RequestService(models.Model):
    """What a resident can report: Open311's `service`."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_(
            "L'identifiant du service dans l'API Open311 et dans les requêtes reçues : il ne "
            "change plus une fois des requêtes reçues."
        ),
    )
    name_fr = models.CharField(_("nom (français)"), max_length=120)
    name_en = models.CharField(_("nom (anglais)"), max_length=120)
    description_fr = models.TextField(_("description (français)"), max_length=1000, blank=True)
    description_en = models.TextField(_("description (anglais)"), max_length=1000, blank=True)
    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("thème"), on_delete=models.PROTECT, related_name="services"
    )
    keywords_fr = models.CharField(
        _("mots-clés (français)"),
        max_length=300,
        blank=True,
        help_text=_("Séparés par des virgules : ce que les résidents pourraient chercher."),
    )
    keywords_en = models.CharField(_("mots-clés (anglais)"), max_length=300, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("service municipal responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request_services",
    )
    target_days = models.PositiveSmallIntegerField(
        _("délai visé (jours)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Le délai de traitement visé, en jours : la date d'échéance de chaque requête."
        ),
    )
    location = models.CharField(
        _("lieu"),
        max_length=10,
        choices=[
            (Requirement.REQUIRED, _("Obligatoire")),
            (Requirement.OPTIONAL, _("Facultatif")),
        ],
        default=Requirement.REQUIRED,
    )
    photo = models.CharField(
        _("photo"), max_length=10, choices=Requirement.choices, default=Requirement.OPTIONAL
    )
    public = models.BooleanField(
        _("requêtes publiques"),
        default=True,
        help_text=_(
            "Les requêtes de ce service paraissent sur la carte et la liste publiques (sans "
            "les renseignements personnels). Décochez pour une plainte sur un voisin, par "
            "exemple."
        ),
    )
    active = models.BooleanField(
        _("offert"),
        default=True,
        help_text=_("Un service retiré ne reçoit plus de requêtes; les siennes restent."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("service de requêtes")
        verbose_name_plural = _("services de requêtes")
        ordering = ("group__position", "position", "name_fr")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")

    @property
    def description(self) -> str:
        return in_language(self, "description")

    @property
    def keywords(self) -> str:
        return in_language(self, "keywords")


class AttributeKind(models.TextChoices):
    """Open311's attribute `datatype`s, and the informational text (`variable` false)."""

    STRING = "string", _("Texte court")
    TEXT = "text", _("Texte long")
    NUMBER = "number", _("Nombre")
    DATETIME = "datetime", _("Date")
    SINGLE = "singlevaluelist", _("Choix unique")
    MULTIPLE = "multivaluelist", _("Choix multiples")
    INFORMATION = "information", _("Texte d'information (sans réponse)")


CHOICE_KINDS = frozenset({AttributeKind.SINGLE, AttributeKind.MULTIPLE})


class ServiceAttribute(models.Model):
    """A question a service asks beyond the description and the place: Open311's
    `attribute`. The list kinds carry their choices in `values`, a list of
    `{"key", "name_fr", "name_en"}` whose keys stay the same for life."""

    service = models.ForeignKey(RequestService, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("ordre"), default=1)
    kind = models.CharField(_("type"), max_length=20, choices=AttributeKind.choices)
    required = models.BooleanField(_("obligatoire"), default=False)
    description_fr = models.CharField(_("question (français)"), max_length=300)
    description_en = models.CharField(_("question (anglais)"), max_length=300, blank=True)
    hint_fr = models.CharField(_("aide (français)"), max_length=300, blank=True)
    hint_en = models.CharField(_("aide (anglais)"), max_length=300, blank=True)
    values = models.JSONField(_("choix"), default=list, blank=True)

    class Meta:
        verbose_name = _("question d'un service")
        verbose_name_plural = _("questions d'un service")
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="one_code_per_service"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def description(self) -> str:
        return in_language(self, "description")

    @property
    def hint(self) -> str:
        return in_language(self, "hint")

    @property
    def variable(self) -> bool:
        """Open311: false for an informational text, which takes no answer."""
        return self.kind != AttributeKind.INFORMATION

    def clean(self) -> None:
        if self.kind in CHOICE_KINDS and not self.values:
            raise ValidationError({"values": _("Une question à choix propose au moins un choix.")})
        if self.kind not in CHOICE_KINDS and self.values:
            raise ValidationError({"values": _("Seule une question à choix propose des choix.")})
        if self.kind == AttributeKind.INFORMATION and self.required:
            raise ValidationError(
                {"required": _("Un texte d'information ne demande pas de réponse.")}
            )

    def value_name(self, key: str) -> str:
        for value in self.values:
            if value.get("key") == key:
                return in_language(_Named(value), "name")
        return key


class _Named:
    """A choice of `values` as `in_language` reads it."""

    def __init__(self, value: dict[str, Any]) -> None:
        self.name_fr = str(value.get("name_fr", ""))
        self.name_en = str(value.get("name_en", ""))


@register_setting(icon="site")
class RequestSettings(BaseSiteSetting):
    """Where the municipality is: a request's point must fall inside this boundary."""

    boundary = models.TextField(
        _("limites de la municipalité (GeoJSON)"),
        blank=True,
        validators=[validate_boundary],
        help_text=_(
            "Un Polygon ou MultiPolygon GeoJSON en longitude, latitude (WGS84), par exemple "
            "exporté du portail de données ouvertes de la Ville. Vide : tout point est accepté."
        ),
    )

    districts = models.TextField(
        _("quartiers (GeoJSON)"),
        blank=True,
        validators=[validate_districts],
        help_text=_(
            "Une FeatureCollection GeoJSON dont chaque Feature est un quartier, avec sa "
            "propriété « name » : chaque requête placée sur la carte est comptée dans son "
            "quartier par les indicateurs. Vide : pas de quartiers."
        ),
    )

    class Meta:
        verbose_name = _("réglages des requêtes")


# Requests ----------------------------------------------------------------------------------


class RequestStatus(models.TextChoices):
    """The desk's workflow (agora/citizen_requests/workflow.py). Open311 reads the first three
    as `open`, the others as `closed`."""

    NEW = "new", _("Reçue")
    ACKNOWLEDGED = "acknowledged", _("Prise en charge")
    IN_PROGRESS = "in_progress", _("En cours")
    RESOLVED = "resolved", _("Résolue")
    REJECTED = "rejected", _("Refusée")
    DUPLICATE = "duplicate", _("En double")
    REFERRED = "referred", _("Transmise à un autre organisme")


OPEN_STATUSES = frozenset(
    {RequestStatus.NEW, RequestStatus.ACKNOWLEDGED, RequestStatus.IN_PROGRESS}
)


class Channel(models.TextChoices):
    WEB = "web", _("Site Web")
    API = "api", _("API Open311")


class CitizenRequest(models.Model):
    """A problem a resident reported. What the public sees of it (the status page, the map
    of public services' requests) never names who reported it: `participant`, `contact_email`
    and `contact_phone` are for the desk and for keeping the requester informed."""

    tracking_number = models.CharField(_("numéro de suivi"), max_length=16, unique=True)
    service = models.ForeignKey(
        RequestService,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    status = models.CharField(
        _("état"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    description = models.TextField(_("description"), max_length=4000)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # The answers to the service's questions, by question code: text, or a list of keys.
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    # Copied from the service when filed: a service made private later keeps its past public.
    public = models.BooleanField(_("publique"), default=True)
    channel = models.CharField(
        _("canal"), max_length=8, choices=Channel.choices, default=Channel.WEB
    )
    # The Open311 key a request arrived with (`channel` "api").
    api_key = models.ForeignKey(
        "citizen_requests.Open311Key",
        verbose_name=_("clé d'API"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    # The district holding the point (RequestSettings.districts), when both exist.
    district = models.CharField(_("quartier"), max_length=80, blank=True)
    # Open311's `media_url`: a link to a photo elsewhere, kept as given, never fetched.
    media_url = models.URLField(_("lien vers une photo"), max_length=500, blank=True)
    language = models.CharField(max_length=8, default="fr")
    participant = models.ForeignKey(
        "core.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_email = models.EmailField(_("courriel pour être tenu au courant"), blank=True)
    contact_phone = models.CharField(
        _("téléphone pour être tenu au courant"), max_length=30, blank=True
    )
    # Open311's `first_name` and `last_name`, when an application gives them.
    contact_name = models.CharField(_("nom du requérant"), max_length=160, blank=True)
    # The SHA-256 of the private follow-up link's token: a copy of the table opens nothing.
    follow_up_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    department = models.ForeignKey(
        Department,
        verbose_name=_("service municipal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citizen_requests",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_citizen_requests",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("doublon de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    created_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("échéance"))
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("requête")
        verbose_name_plural = _("requêtes")
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=["service", "status", "created_at"], name="request_by_service"),
            models.Index(fields=["status", "created_at"], name="request_by_status"),
            models.Index(fields=["department", "status", "created_at"], name="request_by_dept"),
            models.Index(fields=["created_at"], name="request_by_date"),
            models.Index(fields=["updated_at"], name="request_by_update"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TrackingCounter(models.Model):
    """The last tracking number given in a year: taken under the row's lock, so that two
    requests filed at once get consecutive numbers without reading the whole table."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur des numéros de suivi")
        verbose_name_plural = _("compteurs des numéros de suivi")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class RequestPhoto(models.Model):
    """A photo of a request, re-encoded without its metadata when received. The public sees
    it once the desk has looked at it (`shown`)."""

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="requests/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    shown = models.BooleanField(_("visible au public"), default=False)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo d'une requête")
        verbose_name_plural = _("photos des requêtes")
        ordering = ("added_at", "pk")

    def __str__(self) -> str:
        return self.image.name or ""


class EventKind(models.TextChoices):
    FILED = "filed", _("Requête reçue")
    STATUS = "status", _("Changement d'état")
    PUBLIC_NOTE = "public_note", _("Réponse publique")
    INTERNAL_NOTE = "internal_note", _("Note interne")
    QUESTION = "question", _("Question au requérant")
    REQUESTER = "requester", _("Précision du requérant")
    ASSIGNED = "assigned", _("Attribution")
    SUPPORTER = "supporter", _("Moi aussi")


class RequestEvent(models.Model):
    """One line of a request's history. `public` lines show on the status page; the desk
    reads all of them."""

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    status_before = models.CharField(max_length=16, blank=True)
    status_after = models.CharField(max_length=16, blank=True)
    text = models.TextField(max_length=4000, blank=True)
    public = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("événement d'une requête")
        verbose_name_plural = _("événements des requêtes")
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.get_kind_display()


class RequestSupporter(models.Model):
    """A resident who reported the same problem and added their voice ("moi aussi") instead
    of filing a duplicate: counted, and kept informed if they left an address."""

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="supporters")
    participant = models.ForeignKey("core.Participant", on_delete=models.CASCADE, related_name="+")
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("appui d'une requête")
        verbose_name_plural = _("appuis des requêtes")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "participant"], name="one_voice_per_participant"
            )
        ]

    def __str__(self) -> str:
        return str(self.request)


class ReplyTemplate(models.Model):
    """A standard reply the desk starts from ("Merci, l'équipe passera cette semaine…"),
    in both languages: the reply is sent in the request's language."""

    title = models.CharField(_("titre"), max_length=120, unique=True)
    body_fr = models.TextField(_("texte (français)"), max_length=4000)
    body_en = models.TextField(_("texte (anglais)"), max_length=4000)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("réponse type")
        verbose_name_plural = _("réponses types")
        ordering = ("position", "title")

    def __str__(self) -> str:
        return self.title

    def body_in(self, language: str) -> str:
        return self.body_en if language.startswith("en") and self.body_en else self.body_fr


class Open311Key(models.Model):
    """A key an application (the city's call centre, a mobile app) files requests through
    the Open311 API with. Only its SHA-256 is kept; `prefix` lets staff tell keys apart."""

    name = models.CharField(
        _("application"),
        max_length=120,
        help_text=_("Qui utilise cette clé : « Centre d'appels 311 », « Application mobile »…"),
    )
    prefix = models.CharField(_("début de la clé"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("émise le"), default=timezone.now)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("clé d'API Open311")
        verbose_name_plural = _("clés d'API Open311")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
