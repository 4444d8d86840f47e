"""Who may use the "Alertes" screens of /gestion/ (docs/roles.md), role by role and screen by
screen: administrators manage zones and topics, the communications team manages topics and
reads zones, the clerk reads both; everyone else is refused every screen. A refused write
writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

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
from agora.alerts.models import Topic, Zone
from agora.alerts.tests.factories import TopicFactory, ZoneFactory, square
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
