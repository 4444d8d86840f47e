"""Who may use the "Alertes" screens of /gestion/ (docs/roles.md), role by role and screen by
screen: administrators manage zones and topics, the communications team manages topics and
reads zones, the clerk reads both; everyone else is refused every screen. A refused write
writes nothing."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    client_of,
    department_manager,
    resident,
)
from agora.alerts.models import Alert, AlertState, Topic, Zone
from agora.alerts.tests.factories import (
    AlertFactory,
    DraftAlertFactory,
    TopicFactory,
    ZoneFactory,
    square,
)
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PEOPLE: dict[str, Callable[[], User | None]] = {
    "administrator": administrator,
    "communications": lambda: UserFactory.create(roles=[Role.COMMUNICATIONS]),
    "clerk": lambda: UserFactory.create(roles=[Role.CLERK]),
    "department manager": lambda: department_manager(DepartmentFactory.create()),
    "project moderator": lambda: UserFactory.create(roles=[Role.PROJECT_MODERATOR]),
    "elected official": lambda: UserFactory.create(roles=[Role.ELECTED_OFFICIAL]),
    "resident": resident,
    "visitor": lambda: None,
}

# action -> the people who may do it; everyone else is refused.
MATRIX: dict[str, set[str]] = {
    "list the zones": {"administrator", "communications", "clerk"},
    "read a zone": {"administrator", "communications", "clerk"},
    "add a zone": {"administrator"},
    "change a zone": {"administrator"},
    "delete a zone": {"administrator"},
    "import a file of zones": {"administrator"},
    "list the topics": {"administrator", "communications", "clerk"},
    "read a topic": {"administrator", "communications", "clerk"},
    "add a topic": {"administrator", "communications"},
    "change a topic": {"administrator", "communications"},
    "delete a topic": {"administrator", "communications"},
}


def _zone_file() -> SimpleUploadedFile:
    feature = {
        "type": "Feature",
        "properties": {"code": "importee", "nom": "Importée"},
        "geometry": json.loads(square(-73.55, 45.39, -73.50, 45.41)),
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    return SimpleUploadedFile("zones.geojson", text.encode())


def _attempt(client: Client, action: str, zone: Zone, topic: Topic) -> int:
    """The status of the screen of `action` (a write posts valid data)."""
    zone_data = {
        "name_fr": "Changée",
        "name_en": "Changed",
        "code": "changee",
        "kind": "district",
        "geojson": zone.geojson,
        "sgc_code": "",
        "position": "0",
        "active": "on",
    }
    topic_data = {
        "name_fr": "Changé",
        "name_en": "Changed",
        "code": "change",
        "cap_category": "Other",
        "cap_event_code": "",
        "position": "0",
        "active": "on",
    }
    requests: dict[str, Callable[[], object]] = {
        "list the zones": lambda: client.get(reverse("alert_zones:index")),
        "read a zone": lambda: client.get(reverse("alert_zones:inspect", args=[zone.pk])),
        "add a zone": lambda: client.post(
            reverse("alert_zones:add"), {**zone_data, "code": "nouvelle"}
        ),
        "change a zone": lambda: client.post(
            reverse("alert_zones:edit", args=[zone.pk]), zone_data
        ),
        "delete a zone": lambda: client.post(reverse("alert_zones:delete", args=[zone.pk])),
        "import a file of zones": lambda: client.post(
            reverse("alert_zones:import"), {"file": _zone_file()}
        ),
        "list the topics": lambda: client.get(reverse("alert_topics:index")),
        "read a topic": lambda: client.get(reverse("alert_topics:inspect", args=[topic.pk])),
        "add a topic": lambda: client.post(
            reverse("alert_topics:add"), {**topic_data, "code": "nouveau"}
        ),
        "change a topic": lambda: client.post(
            reverse("alert_topics:edit", args=[topic.pk]), topic_data
        ),
        "delete a topic": lambda: client.post(reverse("alert_topics:delete", args=[topic.pk])),
    }
    response = requests[action]()
    return int(response.status_code)  # type: ignore[attr-defined]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", MATRIX)
def test_each_role_may_do_exactly_what_the_matrix_says(person: str, action: str) -> None:
    user = PEOPLE[person]()
    zone, topic = ZoneFactory.create(), TopicFactory.create()
    zones_before = list(Zone.objects.values_list("pk", "code", "name_fr"))
    topics_before = list(Topic.objects.values_list("pk", "code", "name_fr"))

    status = _attempt(client_of(user) if user else Client(), action, zone, topic)

    if person in MATRIX[action]:
        assert status in (200, 302), status
        if action.startswith(("add", "change", "delete", "import")):
            assert AuditEntry.objects.exists()
    else:
        # The visitor is sent to the login page, the others get the staff area's 403 page.
        assert status == (302 if user is None else 403), status
        assert list(Zone.objects.values_list("pk", "code", "name_fr")) == zones_before
        assert list(Topic.objects.values_list("pk", "code", "name_fr")) == topics_before
        assert not AuditEntry.objects.exists()


def test_who_only_reads_gets_no_button_that_changes_something() -> None:
    zone = ZoneFactory.create()
    client = client_of(UserFactory.create(roles=[Role.CLERK]))

    zones_page = client.get(reverse("alert_zones:index")).content.decode()
    topics_page = client.get(reverse("alert_topics:index")).content.decode()

    assert reverse("alert_zones:add") not in zones_page
    assert reverse("alert_zones:import") not in zones_page
    assert reverse("alert_zones:edit", args=[zone.pk]) not in zones_page
    assert reverse("alert_zones:inspect", args=[zone.pk]) in zones_page
    assert reverse("alert_topics:add") not in topics_page
    detail = client.get(reverse("alert_zones:inspect", args=[zone.pk])).content.decode()
    assert "Offerte aux abonnés" in detail
    assert "oui" in detail
    assert "True" not in detail


@pytest.mark.parametrize("person", ["department manager", "project moderator", "elected official"])
def test_the_rest_of_the_team_does_not_see_the_alerts_menu(person: str) -> None:
    user = PEOPLE[person]()
    assert user is not None
    html = client_of(user).get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("alert_zones:index") not in html
    assert reverse("alert_topics:index") not in html


@pytest.mark.parametrize("person", ["administrator", "communications", "clerk"])
def test_who_may_read_sees_the_alerts_menu(person: str) -> None:
    user = PEOPLE[person]()
    assert user is not None
    html = client_of(user).get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("alert_zones:index") in html
    assert reverse("alert_topics:index") in html


# Composing and sending alerts (composing.py, compose_views.py) ----------------------------

COMPOSE_MATRIX: dict[str, set[str]] = {
    "list the alerts": {"administrator", "communications", "clerk"},
    "read an alert": {"administrator", "communications", "clerk"},
    "write an alert": {"administrator", "communications", "clerk"},
    "change a draft": {"administrator", "communications", "clerk"},
    "submit an alert for approval": {"administrator", "communications", "clerk"},
    "approve an alert": {"administrator", "communications"},
    "send an alert": {"administrator", "communications", "clerk"},
    "schedule an alert": {"administrator", "communications", "clerk"},
    "cancel a schedule": {"administrator", "communications", "clerk"},
    "send oneself a test": {"administrator", "communications", "clerk"},
    "start an update": {"administrator", "communications", "clerk"},
    "start a cancellation": {"administrator", "communications", "clerk"},
    "listen to the voice preview": {"administrator", "communications", "clerk"},
}


def _compose_data(zone: Zone, topic: Topic) -> dict[str, object]:
    return {
        "topic": topic.pk,
        "cap_status": "Actual",
        "severity": "Moderate",
        "urgency": "Expected",
        "certainty": "Observed",
        "headline_fr": "Travaux",
        "headline_en": "Roadwork",
        "description_fr": "Rue fermée.",
        "description_en": "Street closed.",
        "send_email": "on",
        "zones": [zone.pk],
        "expires_at": (timezone.localtime() + datetime.timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
    }


def _compose_attempt(client: Client, action: str, zone: Zone, topic: Topic) -> int:
    author = UserFactory.create(roles=[Role.COMMUNICATIONS])
    draft = DraftAlertFactory.create(zones=[zone], topic=topic, created_by=author)
    later = timezone.now() + datetime.timedelta(days=1)
    sent = AlertFactory.create(topic=topic)
    sent.zones.add(zone)

    def act(alert: Alert, name: str, data: dict[str, str] | None = None) -> object:
        return client.post(reverse("alerts_compose:action", args=[alert.pk, name]), data or {})

    def awaiting() -> Alert:
        alert: Alert = DraftAlertFactory.create(
            zones=[zone], topic=topic, created_by=author, state=AlertState.AWAITING_APPROVAL
        )
        return alert

    def scheduled() -> Alert:
        alert: Alert = DraftAlertFactory.create(
            zones=[zone], topic=topic, state=AlertState.SCHEDULED, scheduled_for=later
        )
        return alert

    requests: dict[str, Callable[[], object]] = {
        "list the alerts": lambda: client.get(reverse("alerts_compose:list")),
        "read an alert": lambda: client.get(reverse("alerts_compose:detail", args=[draft.pk])),
        "write an alert": lambda: client.post(
            reverse("alerts_compose:add"), _compose_data(zone, topic)
        ),
        "change a draft": lambda: client.post(
            reverse("alerts_compose:edit", args=[draft.pk]), _compose_data(zone, topic)
        ),
        "submit an alert for approval": lambda: act(draft, "soumettre"),
        "approve an alert": lambda: act(awaiting(), "approuver"),
        "send an alert": lambda: act(draft, "envoyer"),
        "schedule an alert": lambda: act(
            draft,
            "planifier",
            {"scheduled_for": timezone.localtime(later).strftime("%Y-%m-%dT%H:%M")},
        ),
        "cancel a schedule": lambda: act(scheduled(), "annuler-planification"),
        "send oneself a test": lambda: act(draft, "essai"),
        "start an update": lambda: act(sent, "mettre-a-jour"),
        "start a cancellation": lambda: act(sent, "annuler"),
        "listen to the voice preview": lambda: client.get(
            reverse("alerts_compose:voice", args=[draft.pk, "fr"])
        ),
    }
    AuditEntry.objects.all().delete()
    response = requests[action]()
    return int(response.status_code)  # type: ignore[attr-defined]


def _alerts_as_stored() -> list[tuple[object, ...]]:
    return list(
        Alert.objects.order_by("pk").values_list("pk", "state", "headline_fr", "approved_by_id")
    )


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", COMPOSE_MATRIX)
def test_each_role_composes_and_sends_exactly_what_the_matrix_says(
    person: str, action: str
) -> None:
    user = PEOPLE[person]()
    zone, topic = ZoneFactory.create(), TopicFactory.create()
    client = client_of(user) if user else Client()

    before = Alert.objects.count()
    status = _compose_attempt(client, action, zone, topic)

    if person in COMPOSE_MATRIX[action]:
        reads = ("list the alerts", "read an alert", "listen to the voice preview")
        # A read shows its page; a write is done and goes back to the alert.
        assert status == (200 if action in reads else 302), status
        assert AuditEntry.objects.exists() is (action not in reads), action
    else:
        assert status == (302 if user is None else 403), status
        assert not AuditEntry.objects.exists()
        assert Alert.objects.count() >= before
        assert not Alert.objects.filter(state=AlertState.SENDING).exists()
        assert not Alert.objects.exclude(message_type="Alert").exists()
