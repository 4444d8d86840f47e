"""Who is alerted, where and about what: zones (polygons staff draw or import), topics
(some mandatory), and subscribers, each with contact points confirmed one by one (a link
by e-mail, a code by SMS or by an automated call), the places they want to be alerted for,
and the record of the consent they gave.

A subscriber needs no account: a private management link (only its hash is kept) lets them
change or end their subscription; a signed-in resident manages theirs from "Mon compte".
No IP address is kept anywhere here.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


def new_identifier() -> str:
    """A CAP identifier: unique to this sender, without spaces, commas or < and &."""
    return f"agora-{uuid.uuid4().hex}"


class ZoneKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("territoire de la municipalité")
    DISTRICT = "district", _("district")
    WATER = "water", _("secteur du réseau d'aqueduc")
    SNOW = "snow", _("secteur de déneigement")
    OTHER = "other", _("autre secteur")


class Zone(models.Model):
    """An area alerts are sent to: a GeoJSON Polygon or MultiPolygon (longitude, latitude)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_fr = models.CharField(_("nom (français)"), max_length=120)
    name_en = models.CharField(_("nom (anglais)"), max_length=120)
    kind = models.CharField(
        _("type"), max_length=20, choices=ZoneKind.choices, default=ZoneKind.DISTRICT
    )
    geojson = models.TextField(
        _("contour (GeoJSON)"),
        help_text=_(
            "Un Polygon ou un MultiPolygon GeoJSON (longitude, latitude), ou une Feature qui "
            "en contient un."
        ),
    )
    sgc_code = models.CharField(
        _("code géographique de Statistique Canada"),
        max_length=7,
        blank=True,
        help_text=_(
            "La subdivision de recensement (7 chiffres, par exemple 2467020) : le géocode des "
            "messages CAP envoyés à cette zone."
        ),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("offerte aux abonnés"), default=True)

    class Meta:
        verbose_name = _("zone d'alerte")
        verbose_name_plural = _("zones d'alerte")
        ordering = ["position", "name_fr"]

    def __str__(self) -> str:
        return self.name_fr


class CapCategory(models.TextChoices):
    GEO = "Geo", _("géophysique")
    MET = "Met", _("météo")
    SAFETY = "Safety", _("sécurité publique")
    SECURITY = "Security", _("sûreté")
    RESCUE = "Rescue", _("sauvetage")
    FIRE = "Fire", _("incendie")
    HEALTH = "Health", _("santé")
    ENV = "Env", _("environnement")
    TRANSPORT = "Transport", _("transport")
    INFRA = "Infra", _("infrastructures")
    CBRNE = "CBRNE", _("matières dangereuses")
    OTHER = "Other", _("autre")


class Topic(models.Model):
    """What an alert is about. A mandatory topic (sécurité civile) reaches every subscriber
    of the zone; the others only those who chose them."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_fr = models.CharField(_("nom (français)"), max_length=120)
    name_en = models.CharField(_("nom (anglais)"), max_length=120)
    description_fr = models.CharField(_("description (français)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (anglais)"), max_length=300, blank=True)
    mandatory = models.BooleanField(
        _("obligatoire"),
        default=False,
        help_text=_(
            "Les alertes de sécurité civile (évacuation, avis d'ébullition, coupure d'eau "
            "majeure) joignent tous les abonnés de la zone."
        ),
    )
    cap_category = models.CharField(
        _("catégorie CAP"), max_length=12, choices=CapCategory.choices, default=CapCategory.OTHER
    )
    cap_event_code = models.CharField(
        _("code d'événement CAP-CP"),
        max_length=40,
        blank=True,
        help_text=_("Tiré de la liste des événements CAP-CP, par exemple « waterQuality »."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("offert aux abonnés"), default=True)

    class Meta:
        verbose_name = _("sujet d'alerte")
        verbose_name_plural = _("sujets d'alerte")
        ordering = ["-mandatory", "position", "name_fr"]

    def __str__(self) -> str:
        return self.name_fr


class SubscriberSource(models.TextChoices):
    WEB = "web", _("en ligne")
    PHONE = "phone", _("par téléphone, à l'hôtel de ville")
    IMPORT = "import", _("importé")


class Subscriber(models.Model):
    """A person who asked to be alerted, with or without an account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alert_subscriber",
    )
    language = models.CharField(_("langue"), max_length=8, default="fr")
    topics = models.ManyToManyField(
        Topic, verbose_name=_("sujets choisis"), blank=True, related_name="subscribers"
    )
    manage_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    source = models.CharField(
        _("inscrit"), max_length=10, choices=SubscriberSource.choices, default=SubscriberSource.WEB
    )
    consent_text_version = models.CharField(_("version du texte de consentement"), max_length=20)
    consent_at = models.DateTimeField(_("consentement donné le"), default=timezone.now)
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    unsubscribed_at = models.DateTimeField(_("désabonné le"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonné aux alertes")
        verbose_name_plural = _("abonnés aux alertes")

    def __str__(self) -> str:
        return f"{_('abonné')} {self.pk}"


class SubscriberPlace(models.Model):
    """An address the subscriber wants to be alerted for (home, work, a parent's home), and
    the zones it falls in: from its point when it has one, or as the subscriber chose them."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="places", verbose_name=_("abonné")
    )
    label = models.CharField(_("nom du lieu"), max_length=80, blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    zones = models.ManyToManyField(Zone, verbose_name=_("zones"), related_name="places")

    class Meta:
        verbose_name = _("lieu d'un abonné")
        verbose_name_plural = _("lieux des abonnés")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label or self.address or str(_("lieu"))


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("courriel")
    SMS = "sms", _("texto (SMS)")
    VOICE = "voice", _("appel automatisé")


class OptOutSource(models.TextChoices):
    STOP = "stop", _("réponse STOP ou ARRET")
    LINK = "link", _("lien de désabonnement")
    ACCOUNT = "account", _("Mon compte")
    STAFF = "staff", _("personnel de la Ville")
    BOUNCE = "bounce", _("adresse invalide")


class ContactPoint(models.Model):
    """One way to reach a subscriber, in their order of preference. Alerts go only to contact
    points confirmed (`verified_at`) and not opted out."""

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.CASCADE,
        related_name="contact_points",
        verbose_name=_("abonné"),
    )
    channel = models.CharField(_("moyen"), max_length=10, choices=ContactChannel.choices)
    # An e-mail address (lower case) or a phone number in E.164 (+15145550123).
    address = models.CharField(_("adresse ou numéro"), max_length=320)
    priority = models.PositiveSmallIntegerField(_("ordre de préférence"), default=1)
    verified_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    verification_code_hash = models.CharField(max_length=128, blank=True, editable=False)
    verification_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    verification_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    opted_out_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    opt_out_source = models.CharField(
        _("retiré par"), max_length=10, choices=OptOutSource.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("moyen de contact")
        verbose_name_plural = _("moyens de contact")
        ordering = ["priority", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "channel", "address"], name="alerts_contact_once"
            ),
        ]
        indexes = [models.Index(fields=["channel", "address"], name="alerts_contact_address")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.verified_at is not None and self.opted_out_at is None


class ConsentRecord(models.Model):
    """What a subscriber agreed to and when, per contact point confirmed (or withdrawn): the
    text's version, the date and the channel. No IP address."""

    class Action(models.TextChoices):
        GIVEN = "given", _("donné")
        WITHDRAWN = "withdrawn", _("retiré")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consents", verbose_name=_("abonné")
    )
    channel = models.CharField(_("moyen"), max_length=10, choices=ContactChannel.choices)
    action = models.CharField(_("geste"), max_length=10, choices=Action.choices)
    text_version = models.CharField(_("version du texte"), max_length=20)
    recorded_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.recorded_at:%Y-%m-%d}"


@register_setting(icon="warning")
class AlertSettings(BaseSiteSetting):
    """How the city signs its alerts, and whether an emergency needs a second person."""

    sender_name_fr = models.CharField(
        _("émetteur (français)"),
        max_length=120,
        blank=True,
        help_text=_(
            "Le nom qui signe les alertes, par exemple « Ville de Démo ». Vide : le nom du site."
        ),
    )
    sender_name_en = models.CharField(_("émetteur (anglais)"), max_length=120, blank=True)
    sgc_code = models.CharField(
        _("code géographique de la municipalité"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^\d{7}$", _("Sept chiffres, par exemple 2467020."))],
        help_text=_(
            "La subdivision de recensement de Statistique Canada (7 chiffres) : le géocode de "
            "chaque zone des messages CAP, sauf pour une zone qui a le sien."
        ),
    )
    contact = models.CharField(
        _("pour joindre la Ville"),
        max_length=120,
        blank=True,
        help_text=_("Un numéro de téléphone, dit à la fin des appels et écrit dans les messages."),
    )
    emergency_needs_approval = models.BooleanField(
        _("une alerte d'urgence demande l'approbation d'une deuxième personne"), default=True
    )

    class Meta:
        verbose_name = _("réglages des alertes")


class MessageType(models.TextChoices):
    ALERT = "Alert", _("alerte")
    UPDATE = "Update", _("mise à jour")
    CANCEL = "Cancel", _("annulation")


class CapStatus(models.TextChoices):
    ACTUAL = "Actual", _("réelle")
    EXERCISE = "Exercise", _("exercice")
    TEST = "Test", _("test")


class Severity(models.TextChoices):
    EXTREME = "Extreme", _("extrême")
    SEVERE = "Severe", _("grave")
    MODERATE = "Moderate", _("modérée")
    MINOR = "Minor", _("mineure")
    UNKNOWN = "Unknown", _("inconnue")


class Urgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("immédiate")
    EXPECTED = "Expected", _("attendue sous peu")
    FUTURE = "Future", _("à venir")
    PAST = "Past", _("passée")
    UNKNOWN = "Unknown", _("inconnue")


class Certainty(models.TextChoices):
    OBSERVED = "Observed", _("observée")
    LIKELY = "Likely", _("probable")
    POSSIBLE = "Possible", _("possible")
    UNLIKELY = "Unlikely", _("peu probable")
    UNKNOWN = "Unknown", _("inconnue")


class ResponseType(models.TextChoices):
    SHELTER = "Shelter", _("se mettre à l'abri")
    EVACUATE = "Evacuate", _("évacuer")
    PREPARE = "Prepare", _("se préparer")
    EXECUTE = "Execute", _("suivre les consignes")
    AVOID = "Avoid", _("éviter le secteur")
    MONITOR = "Monitor", _("rester à l'écoute")
    ASSESS = "Assess", _("évaluer la situation")
    ALL_CLEAR = "AllClear", _("fin de la menace")
    NONE = "None", _("aucune consigne")


class AlertState(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    AWAITING_APPROVAL = "approval", _("en attente d'approbation")
    SCHEDULED = "scheduled", _("planifiée")
    SENDING = "sending", _("en cours d'envoi")
    SENT = "sent", _("envoyée")


class Alert(models.Model):
    """An alert, its update or its cancellation (`message_type`, `references`): the CAP
    fields, the texts in both languages with one text per channel, where it goes (zones, a
    polygon) and when."""

    identifier = models.CharField(
        _("identifiant CAP"), max_length=100, unique=True, default=new_identifier, editable=False
    )
    message_type = models.CharField(
        _("type de message"), max_length=10, choices=MessageType.choices, default=MessageType.ALERT
    )
    references = models.ForeignKey(
        "self",
        verbose_name=_("alerte mise à jour ou annulée"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("sujet"), on_delete=models.PROTECT, related_name="alerts"
    )
    cap_status = models.CharField(
        _("nature"), max_length=10, choices=CapStatus.choices, default=CapStatus.ACTUAL
    )
    severity = models.CharField(
        _("gravité"), max_length=10, choices=Severity.choices, default=Severity.MODERATE
    )
    urgency = models.CharField(
        _("urgence"), max_length=10, choices=Urgency.choices, default=Urgency.EXPECTED
    )
    certainty = models.CharField(
        _("certitude"), max_length=10, choices=Certainty.choices, default=Certainty.OBSERVED
    )
    response_type = models.CharField(
        _("consigne"), max_length=10, choices=ResponseType.choices, blank=True
    )
    headline_fr = models.CharField(_("titre (français)"), max_length=160)
    headline_en = models.CharField(_("titre (anglais)"), max_length=160)
    description_fr = models.TextField(_("description (français)"), max_length=4000)
    description_en = models.TextField(_("description (anglais)"), max_length=4000)
    instruction_fr = models.TextField(_("consignes (français)"), max_length=2000, blank=True)
    instruction_en = models.TextField(_("consignes (anglais)"), max_length=2000, blank=True)
    send_email = models.BooleanField(_("par courriel"), default=True)
    send_sms = models.BooleanField(_("par texto"), default=True)
    send_voice = models.BooleanField(_("par appel automatisé"), default=False)
    email_subject_fr = models.CharField(
        _("objet du courriel (français)"), max_length=200, blank=True
    )
    email_subject_en = models.CharField(
        _("objet du courriel (anglais)"), max_length=200, blank=True
    )
    email_body_fr = models.TextField(_("courriel (français)"), max_length=8000, blank=True)
    email_body_en = models.TextField(_("courriel (anglais)"), max_length=8000, blank=True)
    sms_text_fr = models.TextField(_("texto (français)"), max_length=640, blank=True)
    sms_text_en = models.TextField(_("texto (anglais)"), max_length=640, blank=True)
    voice_script_fr = models.TextField(_("message vocal (français)"), max_length=2000, blank=True)
    voice_script_en = models.TextField(_("message vocal (anglais)"), max_length=2000, blank=True)
    zones = models.ManyToManyField(Zone, verbose_name=_("zones"), blank=True, related_name="alerts")
    polygon = models.TextField(
        _("secteur tracé (GeoJSON)"),
        blank=True,
        help_text=_("Un Polygon GeoJSON tracé sur la carte, en plus des zones choisies."),
    )
    effective_at = models.DateTimeField(_("en vigueur dès"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"))
    scheduled_for = models.DateTimeField(_("envoi prévu le"), null=True, blank=True)
    state = models.CharField(
        _("état"), max_length=10, choices=AlertState.choices, default=AlertState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rédigée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approuvée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True, db_index=True)
    # The last contact point whose delivery was written (agora/alerts/sending.py): a fan-out
    # interrupted starts again after it.
    fanned_out_to = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["-sent_at", "-created_at"]
        indexes = [models.Index(fields=["state", "sent_at"], name="alerts_alert_public")]

    def __str__(self) -> str:
        return self.headline_fr

    @property
    def is_emergency(self) -> bool:
        """An emergency: a mandatory topic (sécurité civile), an extreme or severe alert, or
        one of immediate urgency. It may need a second person's approval before it is sent
        (AlertSettings), and its e-mails carry no one-click unsubscribe (RFC 8058) that a mail
        program could press for the resident: it must reach everyone subscribed."""
        return (
            self.topic.mandatory
            or self.severity in (Severity.EXTREME, Severity.SEVERE)
            or self.urgency == Urgency.IMMEDIATE
        )

    def localized(self, field: str, language: str) -> str:
        """`headline`, `description`... in `language` ("fr" or "en"), French when empty."""
        text: str = getattr(self, f"{field}_{'en' if language.startswith('en') else 'fr'}")
        return text or str(getattr(self, f"{field}_fr"))
