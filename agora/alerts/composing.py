"""Composing and sending an alert from /gestion/alertes/: the writes of the staff screens
(compose_views.py), each one named, atomic, checking its permission (rules.py) and writing
its audit row (core/audit.py) in the same transaction.

The life of an alert (`Alert.state`):

    draft ──submit──> approval ──approve──> draft, approved ──send──> sending ──> sent
      │                                        │
      └─────────────── schedule ───────────────┴──> scheduled ──(job, or send now)──> sending
                                                    scheduled ──cancel the schedule──> draft

- **Emergency** (`Alert.is_emergency`): severity Extreme or Severe, or urgency Immediate,
  or a mandatory topic (sécurité civile). When the alert settings say so (`AlertSettings.emergency_needs_approval`, on by default), an
  emergency is sent or scheduled only once approved by a second person: someone holding
  `alerts.approve_alerts` who did not write it. Any alert may be submitted and approved; an
  approval is forgotten as soon as the alert is changed.
- **Texts**: the headline and the description are required in both languages. The texts per
  channel (e-mail subject and body, text message, call script) may stay empty: the channel
  then says the headline, the description and the instructions (messages.py), so a chosen
  channel always has something to say in each language. A text written in one language is
  written in the other too (`PAIRED_TEXTS`): messages.py would send the French one to the
  English subscribers. The text message actually sent
  (written, or the headline and the public link) is checked: refused beyond
  `SMS_MAX_SEGMENTS` segments, a warning past `SMS_WARN_SEGMENTS` (CWTA: at most 2).
- **Update and cancellation** of a sent alert: a new draft (`message_type` Update or Cancel)
  whose `references` is the original, prefilled from it; its CAP message lists the chain
  (cap.py).
- **Test send**: the alert's e-mail, with its text message and call script, in both
  languages, to the staff member's own address only, its subject marked "TEST".
- **Scheduled sending**: `send_due_alerts`, a job of `manage.py run_scheduled` (every run,
  every few minutes), starts the scheduled alerts that are due, each once.

Refusals: `PermissionDenied` for who may not, `ValidationError` (with a message per field
when it has one) for the rest; either way nothing is written and nothing is logged.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.alerts import audit_actions, messages, sending, sms_text
from agora.alerts.models import (
    Alert,
    AlertSettings,
    AlertState,
    ContactChannel,
    MessageType,
    ResponseType,
    Zone,
)
from agora.alerts.rules import APPROVE_ALERTS, COMPOSE_ALERTS, SEND_ALERTS
from agora.alerts.staff_changes import Actor, changes, check_may
from agora.core import audit, geo
from agora.core.email import send_rendered_email

LANGUAGES = ("fr", "en")
# Beyond this a text message is refused; past the warning, staff are told it costs more and
# may arrive in pieces (the CWTA guidelines ask for at most 2 segments).
SMS_MAX_SEGMENTS = 4
SMS_WARN_SEGMENTS = 2

# What the form writes, and the audit log keeps (the polygon as its size and fingerprint).
CONTENT_FIELDS = (
    "topic",
    "cap_status",
    "severity",
    "urgency",
    "certainty",
    "response_type",
    "headline_fr",
    "headline_en",
    "description_fr",
    "description_en",
    "instruction_fr",
    "instruction_en",
    "send_email",
    "send_sms",
    "send_voice",
    "email_subject_fr",
    "email_subject_en",
    "email_body_fr",
    "email_body_en",
    "sms_text_fr",
    "sms_text_en",
    "voice_script_fr",
    "voice_script_en",
    "polygon",
    "effective_at",
    "expires_at",
)

# A text written in one language only would reach the other language's subscribers as is
# (messages.py falls back to French), so each of these is written in both or in neither.
PAIRED_TEXTS = ("instruction", "email_subject", "email_body", "sms_text", "voice_script")

NOT_ALLOWED = _(
    "Seuls un administrateur, l'équipe des communications et le commis rédigent les alertes."
)
NOT_ALLOWED_TO_SEND = _(
    "Seuls un administrateur, l'équipe des communications et le commis envoient les alertes."
)
NOT_ALLOWED_TO_APPROVE = _(
    "Seuls un administrateur et l'équipe des communications approuvent les alertes."
)
REQUIRED_TEXT = _("Ce texte est obligatoire, en français comme en anglais.")
ONE_LANGUAGE_ONLY = _(
    "Écrivez ce texte dans les deux langues, ou laissez-le vide dans les deux : sinon, les "
    "abonnés de l'autre langue recevraient le texte tel quel."
)
NO_TARGET = _("Choisissez au moins une zone ou tracez un secteur : l'alerte ne joindrait personne.")
NO_CHANNEL = _("Choisissez au moins un moyen d'envoi : courriel, texto ou appel automatisé.")
SMS_TOO_LONG = _(
    "Ce texto ferait %(segments)s messages : c'est plus que le maximum de %(maximum)s. "
    "Raccourcissez-le."
)
EXPIRES_BEFORE_EFFECTIVE = _("L'alerte doit expirer après son entrée en vigueur.")
EXPIRED = _("Cette date est passée : l'alerte serait déjà expirée.")
SCHEDULE_IN_PAST = _("L'envoi prévu doit être dans le futur.")
SCHEDULE_AFTER_EXPIRY = _("L'envoi prévu doit précéder l'expiration de l'alerte.")
NOT_EDITABLE = _("Seule une alerte pas encore envoyée ni planifiée se modifie.")
NOT_A_DRAFT = _("Seul un brouillon se soumet à l'approbation.")
NOT_AWAITING = _("Cette alerte n'attend pas d'approbation.")
SAME_PERSON = _(
    "Une alerte d'urgence est approuvée par une deuxième personne, pas par celle qui l'a rédigée."
)
NEEDS_APPROVAL = _(
    "Cette alerte d'urgence doit être approuvée par une deuxième personne avant l'envoi."
)
NOT_SENDABLE = _("Cette alerte a déjà été envoyée ou attend une approbation.")
NOT_SCHEDULED = _("Cette alerte n'est pas planifiée.")
NOT_SENT = _("Seule une alerte envoyée peut être mise à jour ou annulée.")
ALREADY_CANCELLED = _("Une annulation ne se met pas à jour et ne s'annule pas.")
NO_EMAIL = _("Votre compte n'a pas d'adresse courriel : l'essai ne peut pas vous être envoyé.")
WARN_SMS_SEGMENTS = _(
    "Le texto en %(language)s fera %(segments)s messages : au-delà de 2, il coûte plus cher et "
    "peut arriver en morceaux."
)


# Reads ------------------------------------------------------------------------------------


def alert_settings() -> AlertSettings:
    return AlertSettings.objects.order_by("pk").first() or AlertSettings()


def needs_second_person(alert: Alert) -> bool:
    return alert.is_emergency and alert_settings().emergency_needs_approval


def ready_to_send(alert: Alert) -> bool:
    """Approved by a second person when it has to be."""
    if not needs_second_person(alert):
        return True
    return alert.approved_by_id is not None and alert.approved_by_id != alert.created_by_id


def sms_texts(alert: Alert) -> dict[str, str]:
    """The text message each language's subscribers would get (written, or the headline and
    the public page's link), even before the alert is saved."""
    probe = alert
    if alert.pk is None:  # the link needs a number: the longest one the city will reach
        probe = copy.copy(alert)
        probe.pk = 999_999
    return {
        language: str(messages.payload(probe, ContactChannel.SMS, language)["text"])
        for language in LANGUAGES
    }


def sms_lengths(alert: Alert) -> dict[str, sms_text.SmsLength]:
    return {language: sms_text.sms_length(text) for language, text in sms_texts(alert).items()}


def language_name(language: str) -> str:
    return str(_("français") if language == "fr" else _("anglais"))


def warnings_of(alert: Alert) -> list[str]:
    """What is allowed but worth a second look: a text message of more than 2 segments."""
    if not alert.send_sms:
        return []
    return [
        str(WARN_SMS_SEGMENTS) % {"language": language_name(language), "segments": length.segments}
        for language, length in sms_lengths(alert).items()
        if SMS_WARN_SEGMENTS < length.segments <= SMS_MAX_SEGMENTS
    ]


# Validation -------------------------------------------------------------------------------


def _add(errors: dict[str, list[ValidationError]], field: str, message: Any, **params: Any) -> None:
    text = str(message) % params if params else message
    errors.setdefault(field, []).append(ValidationError(text, code=field))


def check_alert(alert: Alert, zones: Iterable[Zone]) -> None:
    """Raises a ValidationError, a message per field, when the alert cannot be kept as a
    draft (see the module's docstring)."""
    errors: dict[str, list[ValidationError]] = {}
    for field in ("headline", "description"):
        for language in LANGUAGES:
            if not str(getattr(alert, f"{field}_{language}", "")).strip():
                _add(errors, f"{field}_{language}", REQUIRED_TEXT)
    for field in PAIRED_TEXTS:
        written = {
            language: bool(getattr(alert, f"{field}_{language}").strip()) for language in LANGUAGES
        }
        for language, other in (("fr", "en"), ("en", "fr")):
            if written[other] and not written[language]:
                _add(errors, f"{field}_{language}", ONE_LANGUAGE_ONLY)
    if not list(zones) and not alert.polygon.strip():
        _add(errors, "zones", NO_TARGET)
    if alert.polygon.strip():
        try:
            geo.parse_polygons(alert.polygon)
        except geo.GeometryError as bad:
            _add(errors, "polygon", bad.message)
    if not sending.channels_of(alert):
        _add(errors, NON_FIELD_ERRORS, NO_CHANNEL)
    if alert.send_sms and not errors.keys() & {"headline_fr", "headline_en"}:
        for language, length in sms_lengths(alert).items():
            if length.segments > SMS_MAX_SEGMENTS:
                _add(
                    errors,
                    f"sms_text_{language}",
                    SMS_TOO_LONG,
                    segments=length.segments,
                    maximum=SMS_MAX_SEGMENTS,
                )
    if alert.effective_at and alert.expires_at and alert.expires_at <= alert.effective_at:
        _add(errors, "expires_at", EXPIRES_BEFORE_EFFECTIVE)
    try:
        alert.full_clean(exclude=[*errors, "zones", "references", "created_by", "approved_by"])
    except ValidationError as invalid:
        for field, problems in invalid.error_dict.items():
            errors.setdefault(field, []).extend(problems)
    if errors:
        raise ValidationError(errors)


def _check_can_leave(alert: Alert, *, now: datetime.datetime) -> None:
    """What sending and scheduling check on top of a draft's rules."""
    check_alert(alert, alert.zones.all())
    if alert.expires_at <= now:
        raise ValidationError({"expires_at": [ValidationError(EXPIRED, code="expires_at")]})
    if not ready_to_send(alert):
        raise ValidationError(NEEDS_APPROVAL, code="approval")


# Audit ------------------------------------------------------------------------------------


def _fingerprint(text: str) -> str:
    if not text.strip():
        return ""
    return f"{len(text)} caractères, sha256 {hashlib.sha256(text.encode()).hexdigest()[:12]}"


def _values(alert: Alert, zones: Iterable[Zone]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        value = getattr(alert, "topic_id" if name == "topic" else name)
        if isinstance(value, datetime.datetime):
            value = value.isoformat()
        values[name] = value
    values["polygon"] = _fingerprint(alert.polygon)
    values["zones"] = sorted(zone.code for zone in zones)
    values["message_type"] = alert.message_type
    values["references"] = alert.references_id
    return values


def _transition(
    alert: Alert,
    actor: Actor | None,
    action: str,
    fields: list[str],
    details: dict[str, Any] | None = None,
) -> Alert:
    before = Alert.objects.values_list("state", flat=True).get(pk=alert.pk)
    alert.updated_at = timezone.now()
    alert.save(update_fields=[*fields, "updated_at"])
    audit.record(
        actor=actor,
        action=action,
        target=alert,
        details={"state": {"before": before, "after": alert.state}, **(details or {})},
    )
    return alert


def _locked(alert: Alert) -> Alert:
    """The alert as stored, locked until the transaction ends: two people pressing "send"
    together send it once."""
    return Alert.objects.select_for_update().select_related("topic").get(pk=alert.pk)


# Drafts -----------------------------------------------------------------------------------


@transaction.atomic
def create_draft(*, actor: User, alert: Alert, zones: Iterable[Zone]) -> Alert:
    """Saves a new alert (`alert`, not saved yet) as a draft written by `actor`."""
    if alert.pk is not None:
        raise ValueError("create_draft saves a new alert; change_draft changes one.")
    check_may(actor, COMPOSE_ALERTS, NOT_ALLOWED)
    zones = list(zones)
    check_alert(alert, zones)
    alert.state = AlertState.DRAFT
    alert.created_by = actor
    alert.approved_by = None
    alert.created_at = alert.updated_at = timezone.now()
    alert.save()
    alert.zones.set(zones)
    audit.record(
        actor=actor,
        action=audit_actions.ALERT_CREATED,
        target=alert,
        details={"after": _values(alert, zones)},
    )
    return alert


@transaction.atomic
def change_draft(*, actor: User, alert: Alert, zones: Iterable[Zone]) -> Alert:
    """Saves the changes of a draft (or of an alert awaiting approval, which goes back to
    draft). A change forgets the approval; a change that changes nothing writes nothing."""
    if alert.pk is None:
        raise ValueError("change_draft changes a saved alert; create_draft creates one.")
    check_may(actor, COMPOSE_ALERTS, NOT_ALLOWED)
    stored = _locked(alert)
    if stored.state not in (AlertState.DRAFT, AlertState.AWAITING_APPROVAL):
        raise ValidationError(NOT_EDITABLE, code="state")
    zones = list(zones)
    check_alert(alert, zones)
    changed = changes(_values(stored, stored.zones.all()), _values(alert, zones))
    if not changed:
        return alert
    alert.state = AlertState.DRAFT
    alert.approved_by = None
    alert.updated_at = timezone.now()
    alert.save(update_fields=[*CONTENT_FIELDS, "state", "approved_by", "updated_at"])
    alert.zones.set(zones)
    audit.record(
        actor=actor,
        action=audit_actions.ALERT_CHANGED,
        target=alert,
        details={"changes": changed},
    )
    return alert


# Approval ---------------------------------------------------------------------------------


@transaction.atomic
def submit_alert(*, actor: User, alert: Alert) -> Alert:
    """Asks for a second person's approval."""
    check_may(actor, COMPOSE_ALERTS, NOT_ALLOWED)
    alert = _locked(alert)
    if alert.state != AlertState.DRAFT:
        raise ValidationError(NOT_A_DRAFT, code="state")
    check_alert(alert, alert.zones.all())
    alert.state = AlertState.AWAITING_APPROVAL
    alert.approved_by = None
    return _transition(alert, actor, audit_actions.ALERT_SUBMITTED, ["state", "approved_by"])


@transaction.atomic
def approve_alert(*, actor: User, alert: Alert) -> Alert:
    """Approves an alert awaiting approval: it is a draft again, ready to be sent or
    scheduled. An emergency that needs a second person is not approved by its author."""
    check_may(actor, APPROVE_ALERTS, NOT_ALLOWED_TO_APPROVE)
    alert = _locked(alert)
    if alert.state != AlertState.AWAITING_APPROVAL:
        raise ValidationError(NOT_AWAITING, code="state")
    if needs_second_person(alert) and alert.created_by_id == actor.pk:
        raise ValidationError(SAME_PERSON, code="same_person")
    alert.state = AlertState.DRAFT
    alert.approved_by = actor
    return _transition(alert, actor, audit_actions.ALERT_APPROVED, ["state", "approved_by"])


# Sending ----------------------------------------------------------------------------------


@transaction.atomic
def send_now(*, actor: User, alert: Alert, now: datetime.datetime | None = None) -> Alert:
    """Sends a draft ready to leave, or a scheduled alert before its time."""
    check_may(actor, SEND_ALERTS, NOT_ALLOWED_TO_SEND)
    now = now or timezone.now()
    alert = _locked(alert)
    if alert.state not in (AlertState.DRAFT, AlertState.SCHEDULED):
        raise ValidationError(NOT_SENDABLE, code="state")
    _check_can_leave(alert, now=now)
    before = alert.state
    counts = sending.recipient_counts(alert)
    sending.start_sending(alert, now=now)
    audit.record(
        actor=actor,
        action=audit_actions.ALERT_SENT,
        target=alert,
        details={"state": {"before": before, "after": alert.state}, "recipients": counts},
    )
    return alert


@transaction.atomic
def schedule_alert(
    *,
    actor: User,
    alert: Alert,
    scheduled_for: datetime.datetime,
    now: datetime.datetime | None = None,
) -> Alert:
    """Plans the sending of a draft ready to leave for `scheduled_for`."""
    check_may(actor, SEND_ALERTS, NOT_ALLOWED_TO_SEND)
    now = now or timezone.now()
    alert = _locked(alert)
    if alert.state != AlertState.DRAFT:
        raise ValidationError(NOT_SENDABLE, code="state")
    if scheduled_for <= now:
        raise ValidationError(
            {"scheduled_for": [ValidationError(SCHEDULE_IN_PAST, code="scheduled_for")]}
        )
    if scheduled_for >= alert.expires_at:
        raise ValidationError(
            {"scheduled_for": [ValidationError(SCHEDULE_AFTER_EXPIRY, code="scheduled_for")]}
        )
    _check_can_leave(alert, now=now)
    alert.state = AlertState.SCHEDULED
    alert.scheduled_for = scheduled_for
    return _transition(
        alert,
        actor,
        audit_actions.ALERT_SCHEDULED,
        ["state", "scheduled_for"],
        {"scheduled_for": scheduled_for.isoformat()},
    )


@transaction.atomic
def cancel_schedule(*, actor: User, alert: Alert) -> Alert:
    """Takes a scheduled alert back to draft (its approval stays)."""
    check_may(actor, SEND_ALERTS, NOT_ALLOWED_TO_SEND)
    alert = _locked(alert)
    if alert.state != AlertState.SCHEDULED:
        raise ValidationError(NOT_SCHEDULED, code="state")
    alert.state = AlertState.DRAFT
    alert.scheduled_for = None
    return _transition(
        alert, actor, audit_actions.ALERT_SCHEDULE_CANCELLED, ["state", "scheduled_for"]
    )


def send_due_alerts(now: datetime.datetime) -> str:
    """Starts the scheduled alerts that are due, each once (its state moves under a lock)."""
    started = 0
    due = Alert.objects.filter(state=AlertState.SCHEDULED, scheduled_for__lte=now)
    for alert_id in list(due.order_by("scheduled_for", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            alert = (
                Alert.objects.select_for_update()
                .select_related("topic")
                .filter(pk=alert_id, state=AlertState.SCHEDULED)
                .first()
            )
            if alert is None:
                continue
            counts = sending.recipient_counts(alert)
            sending.start_sending(alert, now=now)
            audit.record(
                actor=None,
                action=audit_actions.ALERT_SENT_ON_SCHEDULE,
                target=alert,
                details={
                    "state": {"before": AlertState.SCHEDULED, "after": alert.state},
                    "recipients": counts,
                },
            )
            started += 1
    return f"scheduled alerts started: {started}"


# Update and cancellation ------------------------------------------------------------------


def latest_of_chain(alert: Alert) -> Alert:
    """The newest message sent that follows `alert`, through its updates (`alert` itself when
    none was sent)."""
    current = alert
    seen = {alert.pk}
    while True:
        following = (
            current.followups.filter(state__in=(AlertState.SENDING, AlertState.SENT))
            .exclude(pk__in=seen)
            .order_by("-sent_at", "-pk")
            .first()
        )
        if following is None:
            return current
        seen.add(following.pk)
        current = following


@transaction.atomic
def start_followup(*, actor: User, original: Alert, message_type: str) -> Alert:
    """A new draft updating or cancelling the sent alert `original`, prefilled from it."""
    check_may(actor, COMPOSE_ALERTS, NOT_ALLOWED)
    if message_type not in (MessageType.UPDATE, MessageType.CANCEL):
        raise ValueError(f"Not a follow-up: {message_type!r}")
    if original.state not in (AlertState.SENDING, AlertState.SENT):
        raise ValidationError(NOT_SENT, code="state")
    # A follow-up follows the latest message sent of the chain, so that its CAP references
    # list them all (cap.chain).
    original = latest_of_chain(original)
    if original.message_type == MessageType.CANCEL:
        raise ValidationError(ALREADY_CANCELLED, code="message_type")
    now = timezone.now()
    followup = Alert(
        **{name: getattr(original, name) for name in CONTENT_FIELDS},
        message_type=message_type,
        references=original,
        state=AlertState.DRAFT,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    if message_type == MessageType.CANCEL:
        followup.response_type = ResponseType.ALL_CLEAR
        for language in LANGUAGES:
            with translation.override(language):
                prefix = gettext("Annulé : ")
            headline = f"{prefix}{getattr(original, f'headline_{language}')}"
            setattr(followup, f"headline_{language}", headline[:160])
            for field in ("email_subject", "sms_text", "voice_script", "email_body"):
                setattr(followup, f"{field}_{language}", "")
    followup.save()
    zones = list(original.zones.all())
    followup.zones.set(zones)
    audit.record(
        actor=actor,
        action=audit_actions.ALERT_FOLLOWUP_STARTED,
        target=followup,
        details={"after": _values(followup, zones)},
    )
    return followup


# Test send --------------------------------------------------------------------------------


def _test_text(alert: Alert, language: str) -> tuple[str, str]:
    email = messages.payload(alert, ContactChannel.EMAIL, language)
    with translation.override(language):
        subject = gettext("[TEST] %(subject)s") % {"subject": email["subject"]}
        parts = [
            gettext(
                "TEST : ce message n'a été envoyé qu'à vous, aucun abonné ne l'a reçu. Voici "
                "ce que diraient les moyens d'envoi choisis."
            ),
            str(email["text"]),
        ]
        if alert.send_sms:
            text = messages.payload(alert, ContactChannel.SMS, language)["text"]
            parts.append(f"-- {gettext('Texto')} --\n{text}")
        if alert.send_voice:
            script = messages.payload(alert, ContactChannel.VOICE, language)["script"]
            parts.append(f"-- {gettext('Appel automatisé')} --\n{script}")
    return subject, "\n\n".join(parts)


@transaction.atomic
def send_test_to_self(*, actor: User, alert: Alert) -> list[str]:
    """E-mails the alert, in French and in English, to `actor`'s own address only; returns
    the deliveries' keys (new ones at every test)."""
    check_may(actor, COMPOSE_ALERTS, NOT_ALLOWED)
    if not actor.email:
        raise ValidationError(NO_EMAIL, code="email")
    test = uuid.uuid4().hex
    keys = []
    for language in LANGUAGES:
        subject, text = _test_text(alert, language)
        delivery = send_rendered_email(
            to=actor.email,
            subject=subject,
            text=text,
            language=language,
            key=f"alert-test:{alert.pk}:{test}:{language}",
        )
        keys.append(delivery.key)
    audit.record(
        actor=actor,
        action=audit_actions.ALERT_TEST_SENT,
        target=alert,
        details={"languages": list(LANGUAGES)},
    )
    return keys
