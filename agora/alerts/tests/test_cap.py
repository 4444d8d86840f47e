"""Each alert sent is a CAP 1.2 message valid against the OASIS schema (capvalidator) that
follows the Canadian profile's rules: both languages, the profile code, the event code, an
area per zone with its polygon and SGC geocode, references for updates and cancellations,
and dates the schema accepts."""

import datetime
import json
import re
from zoneinfo import ZoneInfo

import capvalidator
import pytest
from defusedxml.ElementTree import fromstring
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from agora.alerts import cap
from agora.alerts.models import Alert, AlertSettings, AlertState, CapStatus, MessageType
from agora.alerts.tests.factories import AlertFactory, ZoneFactory, square

pytestmark = pytest.mark.django_db

NS = {"cap": cap.CAP_NAMESPACE}


@pytest.fixture(autouse=True)
def city_geocode() -> None:
    AlertSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"sgc_code": "2467020", "contact": "450 555-0100"},
    )


def boil_water_notice(**fields: object) -> Alert:
    alert: Alert = AlertFactory.create(**fields)
    alert.zones.add(
        ZoneFactory.create(
            name_fr="Secteur du réservoir Nord",
            name_en="North reservoir sector",
            geojson=square(-73.53, 45.38, -73.51, 45.40),
        )
    )
    return alert


def valid(message: bytes) -> bool:
    result = capvalidator.check_schema(message)
    assert result.passed, result.message
    return True


def test_a_boil_water_notice_is_valid_cap_and_follows_the_canadian_profile() -> None:
    message = cap.render(boil_water_notice())

    assert valid(message)
    assert cap.cap_cp_problems(message) == []
    assert cap.cap_cp_recommendations(message) == []


def test_it_carries_one_info_per_language_with_the_same_event_code() -> None:
    root = fromstring(cap.render(boil_water_notice()))

    infos = root.findall("cap:info", NS)
    assert [info.findtext("cap:language", namespaces=NS) for info in infos] == ["fr-CA", "en-CA"]
    assert [info.findtext("cap:headline", namespaces=NS) for info in infos] == [
        "Avis d'ébullition préventif",
        "Precautionary boil-water advisory",
    ]
    for info in infos:
        assert info.findtext("cap:eventCode/cap:valueName", namespaces=NS) == cap.EVENT_VALUE_NAME
        assert info.findtext("cap:eventCode/cap:value", namespaces=NS) == "boilWater"
        assert info.findtext("cap:category", namespaces=NS) == "Health"
    assert root.findtext("cap:code", namespaces=NS) == "profile:CAP-CP:0.4"
    assert root.findtext("cap:scope", namespaces=NS) == "Public"


def test_each_zone_is_an_area_with_its_polygon_in_lat_lon_and_the_city_geocode() -> None:
    root = fromstring(cap.render(boil_water_notice()))

    area = root.find("cap:info/cap:area", NS)
    assert area is not None
    assert area.findtext("cap:areaDesc", namespaces=NS) == "Secteur du réservoir Nord"
    polygon = area.findtext("cap:polygon", namespaces=NS) or ""
    points = polygon.split(" ")
    assert points[0] == "45.380000,-73.530000"  # latitude first, as CAP says
    assert points[0] == points[-1]
    assert len(points) == 5
    assert area.findtext("cap:geocode/cap:valueName", namespaces=NS) == cap.LOCATION_VALUE_NAME
    assert area.findtext("cap:geocode/cap:value", namespaces=NS) == "2467020"
    english = root.findall("cap:info", NS)[1]
    assert english.findtext("cap:area/cap:areaDesc", namespaces=NS) == "North reservoir sector"


def test_a_zone_with_its_own_geocode_keeps_it_and_a_drawn_polygon_is_an_area_too() -> None:
    alert = boil_water_notice(
        polygon=json.dumps(
            {"type": "Feature", "geometry": json.loads(square(-73.5, 45.4, -73.49, 45.41))}
        )
    )
    alert.zones.add(
        ZoneFactory.create(sgc_code="2467025", geojson=square(-73.6, 45.3, -73.5, 45.4))
    )

    message = cap.render(alert)

    assert valid(message)
    descriptions = [
        area.findtext("cap:areaDesc", namespaces=NS)
        for area in fromstring(message).findall("cap:info[1]/cap:area", NS)
    ]
    assert "Secteur délimité sur la carte" in descriptions
    assert "2467025" in message.decode()
    assert cap.cap_cp_problems(message) == []


def test_dates_have_an_offset_and_whole_seconds_never_z() -> None:
    sent = datetime.datetime(2026, 7, 1, 14, 5, 9, 123456, tzinfo=datetime.UTC)
    message = cap.render(boil_water_notice(sent_at=sent)).decode()

    assert "<sent>2026-07-01T10:05:09-04:00</sent>" in message
    assert re.search(r"<expires>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d</expires>", message)
    assert "Z<" not in message
    with timezone.override(ZoneInfo("UTC")):
        assert cap.cap_datetime(sent) == "2026-07-01T14:05:09-00:00"


def test_an_update_and_a_cancel_reference_every_message_of_their_chain() -> None:
    first = boil_water_notice(sent_at=timezone.now() - datetime.timedelta(hours=5))
    update = boil_water_notice(
        message_type=MessageType.UPDATE,
        references=first,
        sent_at=timezone.now() - datetime.timedelta(hours=2),
    )
    cancel = boil_water_notice(message_type=MessageType.CANCEL, references=update)

    message = cap.render(cancel)

    assert valid(message)
    references = fromstring(message).findtext("cap:references", namespaces=NS) or ""
    triples = [triple.split(",") for triple in references.split(" ")]
    assert [identifier for _sender, identifier, _sent in triples] == [
        first.identifier,
        update.identifier,
    ]
    assert {sender for sender, _identifier, _sent in triples} == {cap.sender()}
    assert fromstring(message).findtext("cap:msgType", namespaces=NS) == "Cancel"
    assert cap.cap_cp_problems(message) == []


def test_the_profile_rules_catch_what_the_schema_lets_through() -> None:
    alert = boil_water_notice()
    alert.topic.cap_event_code = ""
    alert.topic.save()
    AlertSettings.objects.update(sgc_code="")

    message = cap.render(alert)

    assert valid(message)  # the schema alone is satisfied
    problems = cap.cap_cp_problems(message)
    assert "<info> fr-CA: no CAP-CP event code" in problems
    assert any("no CAP-CP location geocode" in problem for problem in problems)
    stripped = message.replace(b"<code>profile:CAP-CP:0.4</code>", b"")
    assert f"<code> does not name the profile {cap.PROFILE_CODE}" in cap.cap_cp_problems(stripped)


def test_an_update_without_references_breaks_the_profile() -> None:
    message = cap.render(boil_water_notice(message_type=MessageType.UPDATE))

    assert "an Update message lists no <references>" in cap.cap_cp_problems(message)


def test_the_message_is_served_as_application_cap_xml(client: Client) -> None:
    alert = boil_water_notice()

    response = client.get(f"/cap/{alert.identifier}.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/cap+xml; charset=utf-8"
    assert valid(response.content)


@pytest.mark.parametrize(
    "fields",
    [
        {"state": AlertState.DRAFT, "sent_at": None},
        {"state": AlertState.SCHEDULED, "sent_at": None},
        {"cap_status": CapStatus.EXERCISE},
    ],
    ids=["draft", "scheduled", "exercise"],
)
def test_a_draft_a_scheduled_alert_or_an_exercise_has_no_public_message(
    client: Client, fields: dict[str, object]
) -> None:
    alert = boil_water_notice(**fields)

    assert client.get(f"/cap/{alert.identifier}.xml").status_code == 404
    assert alert.identifier.encode() not in client.get("/cap/alertes.atom").content


def test_the_atom_index_links_each_message_as_cap() -> None:
    alert = boil_water_notice()

    response = Client().get("/cap/alertes.atom")

    assert response.status_code == 200
    feed = fromstring(response.content)
    atom = {"atom": "http://www.w3.org/2005/Atom"}
    links = [
        link.get("href", "")
        for link in feed.findall("atom:entry/atom:link", atom)
        if link.get("type") == "application/cap+xml"
    ]
    assert len(links) == 1
    assert links[0].endswith(f"/cap/{alert.identifier}.xml")
