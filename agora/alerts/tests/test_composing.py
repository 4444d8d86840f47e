"""The writes of composing.py: drafts, approval by a second person, sending now or on
schedule, updates and cancellations linked to their original, and the test send to oneself.
Every refusal says why, writes nothing and logs nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory, administrator
from agora.alerts import audit_actions, cap, composing
from agora.alerts.models import Alert, AlertSettings, AlertState, MessageType, Zone
from agora.alerts.tests.factories import (
    AlertFactory,
    ContactPointFactory,
    DraftAlertFactory,
    SubscriberFactory,
    TopicFactory,
    ZoneFactory,
    square,
)
from agora.core import scheduling
from agora.core.models import AuditEntry, Delivery

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 8, 15, 0, tzinfo=datetime.UTC)


def communications() -> User:
    user: User = UserFactory.create(roles=[Role.COMMUNICATIONS])
    return user


def clerk(**fields: Any) -> User:
    user: User = UserFactory.create(roles=[Role.CLERK], **fields)
    return user


def new_alert(**fields: Any) -> Alert:
    """An alert as the form hands it to the services: not saved."""
    values: dict[str, Any] = {
        "topic": TopicFactory.create(),
        "severity": "Moderate",
        "urgency": "Expected",
        "certainty": "Observed",
        "headline_fr": "Collecte des encombrants reportée",
        "headline_en": "Bulky-item collection postponed",
        "description_fr": "La collecte de lundi aura lieu mardi.",
        "description_en": "Monday's collection will take place on Tuesday.",
        "expires_at": timezone.now() + datetime.timedelta(days=1),
        "send_email": True,
        "send_sms": True,
    }
    values.update(fields)
    return Alert(**values)


def emergency(author: User) -> Alert:
    alert: Alert = DraftAlertFactory.create(
        severity="Extreme", urgency="Immediate", created_by=author
    )
    return alert


def nothing_logged() -> bool:
    return not AuditEntry.objects.exists()


# Drafts -----------------------------------------------------------------------------------


def test_a_clerk_writes_a_draft_and_the_log_keeps_its_texts_and_zones() -> None:
    author, zone = clerk(), ZoneFactory.create(code="nord")

    alert = composing.create_draft(actor=author, alert=new_alert(), zones=[zone])

    alert.refresh_from_db()
    assert (alert.state, alert.created_by, list(alert.zones.all())) == (
        AlertState.DRAFT,
        author,
        [zone],
    )
    entry = AuditEntry.objects.get(action=audit_actions.ALERT_CREATED)
    assert entry.details["after"]["zones"] == ["nord"]
    assert entry.details["after"]["headline_fr"] == "Collecte des encombrants reportée"


def _refusal(errors: ValidationError) -> str:
    return " ".join(str(message) for message in errors.messages)


@pytest.mark.parametrize(
    ("fields", "zones", "field", "words"),
    [
        ({}, [], "zones", "au moins une zone"),
        ({"send_email": False, "send_sms": False}, None, "__all__", "au moins un moyen"),
        ({"headline_en": ""}, None, "headline_en", "obligatoire, en français comme en anglais"),
        ({"description_fr": "  "}, None, "description_fr", "obligatoire"),
        ({"sms_text_fr": "é" * 700, "sms_text_en": "Short"}, None, "sms_text_fr", "maximum de 4"),
        ({"sms_text_fr": "Court", "sms_text_en": "ê" * 300}, None, "sms_text_en", "5 messages"),
        ({"sms_text_fr": "Court"}, None, "sms_text_en", "dans les deux langues"),
        ({"instruction_en": "Stay home."}, None, "instruction_fr", "dans les deux langues"),
        (
            {
                "effective_at": timezone.now() + datetime.timedelta(days=2),
            },
            None,
            "expires_at",
            "expirer après son entrée en vigueur",
        ),
        ({"polygon": "{pas du json"}, None, "polygon", "JSON valide"),
        ({"polygon": '{"type": "Point", "coordinates": [1, 2]}'}, None, "polygon", "Polygon"),
    ],
)
def test_a_draft_that_breaks_a_rule_is_refused_with_a_clear_message_and_nothing_written(
    fields: dict[str, Any], zones: list[Zone] | None, field: str, words: str
) -> None:
    alert = new_alert(**fields)
    chosen = [ZoneFactory.create()] if zones is None else zones

    with pytest.raises(ValidationError) as refused:
        composing.create_draft(actor=clerk(), alert=alert, zones=chosen)

    assert field in refused.value.message_dict
    assert words in " ".join(refused.value.message_dict[field])
    assert not Alert.objects.exists()
    assert nothing_logged()


def test_a_drawn_polygon_alone_is_a_target() -> None:
    alert = new_alert(polygon=square(-73.53, 45.38, -73.51, 45.39))

    composing.create_draft(actor=clerk(), alert=alert, zones=[])

    assert Alert.objects.get().polygon


def test_per_channel_texts_may_stay_empty_since_the_headline_and_description_say_it() -> None:
    alert = composing.create_draft(
        actor=clerk(), alert=new_alert(send_voice=True), zones=[ZoneFactory.create()]
    )

    texts = composing.sms_texts(alert)
    assert texts["fr"].startswith("Collecte des encombrants reportée")
    assert texts["en"].startswith("Bulky-item collection postponed")


def test_a_text_message_of_three_segments_is_kept_with_a_warning() -> None:
    alert = composing.create_draft(
        actor=clerk(),
        alert=new_alert(sms_text_fr="a" * 400, sms_text_en="Short"),
        zones=[ZoneFactory.create()],
    )

    [warning] = composing.warnings_of(alert)
    assert "3 messages" in warning
    assert "français" in warning


def test_who_may_not_compose_is_refused_and_nothing_is_written() -> None:
    moderator = UserFactory.create(roles=[Role.PROJECT_MODERATOR])

    with pytest.raises(PermissionDenied):
        composing.create_draft(actor=moderator, alert=new_alert(), zones=[ZoneFactory.create()])

    assert not Alert.objects.exists()
    assert nothing_logged()


def test_changing_a_draft_logs_what_changed_and_forgets_an_approval() -> None:
    alert: Alert = DraftAlertFactory.create(approved_by=administrator())
    zone = alert.zones.get()
    alert.headline_fr = "Travaux prolongés"

    composing.change_draft(actor=clerk(), alert=alert, zones=[zone])

    alert.refresh_from_db()
    assert alert.approved_by is None
    entry = AuditEntry.objects.get(action=audit_actions.ALERT_CHANGED)
    assert entry.details["changes"] == {
        "headline_fr": {"before": "Travaux rue Principale", "after": "Travaux prolongés"}
    }


def test_a_change_that_changes_nothing_writes_nothing() -> None:
    alert: Alert = DraftAlertFactory.create()

    composing.change_draft(actor=clerk(), alert=alert, zones=list(alert.zones.all()))

    assert nothing_logged()


def test_a_sent_alert_cannot_be_changed() -> None:
    alert: Alert = AlertFactory.create()
    alert.headline_fr = "Autre"

    with pytest.raises(ValidationError, match="pas encore envoyée"):
        composing.change_draft(actor=clerk(), alert=alert, zones=[ZoneFactory.create()])

    assert Alert.objects.get().headline_fr == "Avis d'ébullition préventif"
    assert nothing_logged()


# Approval ---------------------------------------------------------------------------------


def test_an_emergency_is_approved_by_a_second_person_before_it_is_sent(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    author, approver = communications(), administrator()
    alert = emergency(author)
    assert alert.is_emergency

    with pytest.raises(ValidationError, match="deuxième personne"):
        composing.send_now(actor=author, alert=alert)
    composing.submit_alert(actor=author, alert=alert)
    with pytest.raises(ValidationError, match="pas par celle qui l'a rédigée"):
        composing.approve_alert(actor=author, alert=alert)
    composing.approve_alert(actor=approver, alert=alert)
    with django_capture_on_commit_callbacks(execute=True):
        composing.send_now(actor=author, alert=alert)

    alert.refresh_from_db()
    assert (alert.state, alert.approved_by) == (AlertState.SENT, approver)
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "actor_id")) == [
        (audit_actions.ALERT_SUBMITTED, author.pk),
        (audit_actions.ALERT_APPROVED, approver.pk),
        (audit_actions.ALERT_SENT, author.pk),
    ]


def test_when_the_settings_say_so_an_emergency_goes_without_a_second_person(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    AlertSettings.objects.create(site_id=1, emergency_needs_approval=False)
    author = communications()
    alert = emergency(author)

    with django_capture_on_commit_callbacks(execute=True):
        composing.send_now(actor=author, alert=alert)

    assert Alert.objects.get().state == AlertState.SENT


def test_a_clerk_cannot_approve() -> None:
    alert = emergency(communications())
    composing.submit_alert(actor=alert.created_by, alert=alert)  # type: ignore[arg-type]

    with pytest.raises(PermissionDenied):
        composing.approve_alert(actor=clerk(), alert=alert)

    assert Alert.objects.get().state == AlertState.AWAITING_APPROVAL
    assert not AuditEntry.objects.filter(action=audit_actions.ALERT_APPROVED).exists()


def test_an_urgency_immediate_alert_is_an_emergency_too() -> None:
    alert: Alert = DraftAlertFactory.create(severity="Minor", urgency="Immediate")

    assert composing.needs_second_person(alert)
    assert not composing.ready_to_send(alert)


# Sending and scheduling -------------------------------------------------------------------


def test_sending_now_reaches_the_subscribers_of_the_zone(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    alert: Alert = DraftAlertFactory.create()
    subscriber = SubscriberFactory.create()
    subscriber.topics.add(alert.topic)
    subscriber.places.create(label="Maison").zones.add(alert.zones.get())
    ContactPointFactory.create(subscriber=subscriber, address="voisin@exemple.ca")

    with django_capture_on_commit_callbacks(execute=True):
        composing.send_now(actor=clerk(), alert=alert)

    assert [message.to for message in mail.outbox] == [["voisin@exemple.ca"]]
    entry = AuditEntry.objects.get(action=audit_actions.ALERT_SENT)
    assert entry.details["recipients"] == {"email": 1, "sms": 0}


def test_an_expired_alert_is_not_sent() -> None:
    alert: Alert = DraftAlertFactory.create(expires_at=timezone.now() - datetime.timedelta(hours=1))

    with pytest.raises(ValidationError, match="déjà expirée"):
        composing.send_now(actor=clerk(), alert=alert)

    assert Alert.objects.get().state == AlertState.DRAFT
    assert nothing_logged()


@pytest.mark.parametrize(
    ("later", "words"),
    [(-datetime.timedelta(minutes=5), "dans le futur"), (datetime.timedelta(days=5), "précéder")],
)
def test_a_schedule_in_the_past_or_after_expiry_is_refused(
    later: datetime.timedelta, words: str
) -> None:
    alert: Alert = DraftAlertFactory.create(expires_at=NOW + datetime.timedelta(days=2))

    with pytest.raises(ValidationError) as refused:
        composing.schedule_alert(actor=clerk(), alert=alert, scheduled_for=NOW + later, now=NOW)

    assert words in " ".join(refused.value.message_dict["scheduled_for"])
    assert Alert.objects.get().state == AlertState.DRAFT
    assert nothing_logged()


def test_the_scheduled_job_starts_a_due_alert_once(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    alert: Alert = DraftAlertFactory.create(expires_at=NOW + datetime.timedelta(days=2))
    composing.schedule_alert(
        actor=clerk(), alert=alert, scheduled_for=NOW + datetime.timedelta(hours=1), now=NOW
    )

    assert composing.send_due_alerts(NOW) == "scheduled alerts started: 0"
    later = NOW + datetime.timedelta(hours=1, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = composing.send_due_alerts(later)
    second = composing.send_due_alerts(later)

    assert (first, second) == ("scheduled alerts started: 1", "scheduled alerts started: 0")
    alert.refresh_from_db()
    assert (alert.state, alert.sent_at) == (AlertState.SENT, later)
    assert AuditEntry.objects.filter(action=audit_actions.ALERT_SENT_ON_SCHEDULE).count() == 1
    assert scheduling.job_named("alerts-scheduled-sending").period is scheduling.Period.EVERY_RUN


def test_a_cancelled_schedule_sends_nothing() -> None:
    alert: Alert = DraftAlertFactory.create(expires_at=NOW + datetime.timedelta(days=2))
    composing.schedule_alert(
        actor=clerk(), alert=alert, scheduled_for=NOW + datetime.timedelta(hours=1), now=NOW
    )

    composing.cancel_schedule(actor=clerk(), alert=alert)
    composing.send_due_alerts(NOW + datetime.timedelta(hours=2))

    alert.refresh_from_db()
    assert (alert.state, alert.scheduled_for, alert.sent_at) == (AlertState.DRAFT, None, None)


# Update and cancellation ------------------------------------------------------------------


@pytest.mark.parametrize("message_type", [MessageType.UPDATE, MessageType.CANCEL])
def test_an_update_or_cancellation_is_a_new_draft_referencing_the_original(
    message_type: MessageType,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    zone = ZoneFactory.create(sgc_code="2467020")
    original: Alert = AlertFactory.create()
    original.zones.add(zone)
    author = communications()

    followup = composing.start_followup(actor=author, original=original, message_type=message_type)

    assert (followup.references, followup.message_type, followup.state) == (
        original,
        message_type,
        AlertState.DRAFT,
    )
    assert followup.identifier != original.identifier
    assert list(followup.zones.all()) == [zone]
    assert followup.description_en == original.description_en
    composing.submit_alert(actor=author, alert=followup)
    composing.approve_alert(actor=administrator(), alert=followup)
    with django_capture_on_commit_callbacks(execute=True):
        composing.send_now(actor=author, alert=followup)
    followup.refresh_from_db()
    message = cap.render(followup)
    assert original.identifier.encode() in message
    assert not cap.cap_cp_problems(message)


def test_a_cancellation_says_so_in_its_headline_in_both_languages() -> None:
    original: Alert = AlertFactory.create()

    followup = composing.start_followup(
        actor=communications(), original=original, message_type=MessageType.CANCEL
    )

    assert followup.headline_fr.startswith("Annulé")
    assert followup.headline_en == f"Cancelled: {original.headline_en}"
    assert followup.response_type == "AllClear"


def test_a_followup_follows_the_latest_message_sent_so_its_cap_lists_the_whole_chain() -> None:
    original: Alert = AlertFactory.create()
    update: Alert = AlertFactory.create(message_type=MessageType.UPDATE, references=original)
    AlertFactory.create(message_type=MessageType.UPDATE, references=update, state="draft")

    cancel = composing.start_followup(
        actor=communications(), original=original, message_type=MessageType.CANCEL
    )

    assert cancel.references == update
    assert cap.chain(cancel) == [original, update]
    cancelled = AlertFactory.create(message_type=MessageType.CANCEL, references=update)
    assert composing.latest_of_chain(original) == cancelled
    with pytest.raises(ValidationError, match="annulation"):
        composing.start_followup(
            actor=communications(), original=original, message_type=MessageType.UPDATE
        )


def test_a_draft_cannot_be_updated_nor_a_cancellation_cancelled() -> None:
    draft: Alert = DraftAlertFactory.create()
    cancellation: Alert = AlertFactory.create(message_type=MessageType.CANCEL)

    for original, words in ((draft, "envoyée"), (cancellation, "annulation")):
        with pytest.raises(ValidationError, match=words):
            composing.start_followup(
                actor=communications(), original=original, message_type=MessageType.UPDATE
            )
    assert Alert.objects.count() == 2
    assert nothing_logged()


# Test send --------------------------------------------------------------------------------


def test_the_test_send_reaches_only_its_author_in_both_languages(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    author = clerk(email="commis@ville.example")
    alert: Alert = DraftAlertFactory.create(send_voice=True)
    subscriber = SubscriberFactory.create()
    subscriber.places.create(label="Maison").zones.add(alert.zones.get())
    ContactPointFactory.create(subscriber=subscriber, address="voisin@exemple.ca")

    with django_capture_on_commit_callbacks(execute=True):
        keys = composing.send_test_to_self(actor=author, alert=alert)
    with django_capture_on_commit_callbacks(execute=True):
        again = composing.send_test_to_self(actor=author, alert=alert)

    assert {message.to[0] for message in mail.outbox} == {"commis@ville.example"}
    assert len(mail.outbox) == 4  # two tests, each in French and English
    assert all(message.subject.startswith("[TEST]") for message in mail.outbox)
    assert "aucun abonné" in mail.outbox[0].body
    assert set(keys).isdisjoint(again)
    assert Delivery.objects.filter(recipient="voisin@exemple.ca").count() == 0
    assert Alert.objects.get().state == AlertState.DRAFT
    assert AuditEntry.objects.filter(action=audit_actions.ALERT_TEST_SENT).count() == 2


def test_no_test_send_without_an_address() -> None:
    author = UserFactory.create(roles=[Role.CLERK], email="")

    with pytest.raises(ValidationError, match="adresse courriel"):
        composing.send_test_to_self(actor=author, alert=DraftAlertFactory.create())

    assert not Delivery.objects.exists()
    assert nothing_logged()


def _refused_state_moves() -> list[Callable[[User, Alert], object]]:
    return [
        lambda user, alert: composing.submit_alert(actor=user, alert=alert),
        lambda user, alert: composing.approve_alert(actor=user, alert=alert),
        lambda user, alert: composing.cancel_schedule(actor=user, alert=alert),
        lambda user, alert: composing.send_now(actor=user, alert=alert),
    ]


@pytest.mark.parametrize("move", range(4))
def test_a_move_from_the_wrong_state_is_refused(move: int) -> None:
    alert: Alert = AlertFactory.create()
    alert.zones.add(ZoneFactory.create())

    with pytest.raises(ValidationError):
        _refused_state_moves()[move](administrator(), alert)

    assert Alert.objects.get().state == AlertState.SENT
    assert nothing_logged()
