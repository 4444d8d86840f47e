"""The "Alertes" menu of /gestion/: an administrator manages zones (and imports a file of them)
and topics through the screens, every save goes through zones.py or topics.py and is in the
audit log, bad input is explained on the form with nothing written, and the screens read in
French and in English."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory, administrator, client_of
from agora.alerts import audit_actions
from agora.alerts.models import CapCategory, Topic, Zone, ZoneKind
from agora.alerts.tests.factories import (
    SubscriberFactory,
    TopicFactory,
    ZoneFactory,
    square,
)
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _zone_data(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_fr": "District du Vieux-Village",
        "name_en": "Vieux-Village district",
        "code": "vieux-village",
        "kind": ZoneKind.DISTRICT,
        "geojson": square(-73.53, 45.38, -73.51, 45.39),
        "sgc_code": "2467020",
        "position": "1",
        "active": "on",
    }
    data.update(fields)
    return data


def _topic_data(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_fr": "Avis d'ébullition",
        "name_en": "Boil-water advisory",
        "code": "avis-ebullition",
        "description_fr": "",
        "description_en": "",
        "mandatory": "on",
        "cap_category": CapCategory.HEALTH,
        "cap_event_code": "drinkingWate",
        "position": "1",
        "active": "on",
    }
    data.update(fields)
    return data


# Zones


def test_an_administrator_adds_a_zone_and_the_log_says_so() -> None:
    response = client_of(administrator()).post(reverse("alert_zones:add"), _zone_data())

    assert response.status_code == 302
    zone = Zone.objects.get()
    assert (zone.code, zone.sgc_code, zone.kind) == ("vieux-village", "2467020", "district")
    entry = AuditEntry.objects.get(action=audit_actions.ALERT_ZONE_CREATED)
    assert entry.object_id == str(zone.pk)
    assert entry.details["after"]["name_fr"] == "District du Vieux-Village"
    # The outline is logged as its size and fingerprint, not its numbers.
    assert entry.details["after"]["geojson"].startswith("5 positions, sha256 ")


@pytest.mark.parametrize(
    ("geojson", "message"),
    [
        ("{ pas du json", "Ce n'est pas du JSON valide"),
        (json.dumps({"type": "Point", "coordinates": [-73.5, 45.3]}), "Polygon ou un MultiPolygon"),
        (
            json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}),
            "n'est pas fermé",
        ),
        (
            json.dumps(
                {"type": "Polygon", "coordinates": [[[45, -73], [46, -73], [46, -200], [45, -73]]]}
            ),
            "hors limites",
        ),
        (
            json.dumps({"type": "FeatureCollection", "features": []}),
            "Importer un fichier GeoJSON",
        ),
    ],
)
def test_a_bad_outline_is_explained_on_the_form_and_nothing_is_written(
    geojson: str, message: str
) -> None:
    response = client_of(administrator()).post(
        reverse("alert_zones:add"), _zone_data(geojson=geojson)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["geojson"]
    assert any(message in error for error in errors), errors
    assert not Zone.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_bad_sgc_code_is_explained_on_the_form() -> None:
    response = client_of(administrator()).post(
        reverse("alert_zones:add"), _zone_data(sgc_code="24670")
    )

    assert response.status_code == 200
    assert "7 chiffres" in str(response.context["form"].errors["sgc_code"])
    assert not Zone.objects.exists()


def test_an_edit_of_a_zone_is_logged_with_what_changed() -> None:
    zone = ZoneFactory.create(code="gare", name_fr="Gare", name_en="Station", sgc_code="")
    client = client_of(administrator())

    response = client.post(
        reverse("alert_zones:edit", args=[zone.pk]),
        _zone_data(
            code="gare",
            name_fr="Secteur de la gare",
            name_en="Station",
            geojson=zone.geojson,
            sgc_code="",
        ),
    )

    assert response.status_code == 302
    changes = AuditEntry.objects.get(action=audit_actions.ALERT_ZONE_CHANGED).details["changes"]
    assert changes["name_fr"] == {"before": "Gare", "after": "Secteur de la gare"}
    assert "geojson" not in changes


def test_an_unused_zone_is_deleted_and_a_used_one_is_not() -> None:
    unused, used = ZoneFactory.create(), ZoneFactory.create()
    place = SubscriberFactory.create().places.create(label="Maison")
    place.zones.add(used)
    client = client_of(administrator())

    refused = client.post(reverse("alert_zones:delete", args=[used.pk]), follow=True)
    deleted = client.post(reverse("alert_zones:delete", args=[unused.pk]))

    assert "décochez « offerte aux abonnés »" in refused.content.decode()
    assert deleted.status_code == 302
    assert list(Zone.objects.all()) == [used]
    assert AuditEntry.objects.filter(action=audit_actions.ALERT_ZONE_DELETED).count() == 1


def test_the_zones_list_shows_kind_and_sgc_code_and_offers_the_import() -> None:
    ZoneFactory.create(name_fr="Réseau d'aqueduc : nord", kind=ZoneKind.WATER, sgc_code="2467020")
    html = client_of(administrator()).get(reverse("alert_zones:index")).content.decode()

    assert "Réseau d&#x27;aqueduc : nord" in html
    assert "secteur du réseau d&#x27;aqueduc" in html
    assert "2467020" in html
    assert reverse("alert_zones:import") in html


def test_html_typed_in_a_zone_name_is_shown_as_text() -> None:
    ZoneFactory.create(name_fr="<script>alert(1)</script>")
    html = client_of(administrator()).get(reverse("alert_zones:index")).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_a_file_of_zones_is_imported_through_the_screen() -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "nord", "nom": "Secteur nord", "type": "water"},
                "geometry": json.loads(square(-73.55, 45.39, -73.50, 45.41)),
            }
        ],
    }
    upload = SimpleUploadedFile("zones.geojson", json.dumps(collection).encode())

    response = client_of(administrator()).post(
        reverse("alert_zones:import"), {"file": upload}, follow=True
    )

    assert Zone.objects.get().kind == ZoneKind.WATER
    assert "1 zone créée" in response.content.decode()
    assert AuditEntry.objects.filter(action=audit_actions.ALERT_ZONES_IMPORTED).exists()


def test_a_bad_file_is_explained_feature_by_feature_and_nothing_is_written() -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "nord", "nom": "Secteur nord"},
                "geometry": json.loads(square(-73.55, 45.39, -73.50, 45.41)),
            },
            {"type": "Feature", "properties": {"code": "sud"}, "geometry": {"type": "Point"}},
        ],
    }
    upload = SimpleUploadedFile("zones.geojson", json.dumps(collection).encode())

    response = client_of(administrator()).post(reverse("alert_zones:import"), {"file": upload})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Élément 2 : Il manque le nom de la zone" in html
    assert "aucune zone n'a changé" in html
    assert not Zone.objects.exists()
    assert not AuditEntry.objects.exists()


# Topics


def test_an_administrator_adds_a_mandatory_topic_and_the_log_says_so() -> None:
    response = client_of(administrator()).post(reverse("alert_topics:add"), _topic_data())

    assert response.status_code == 302
    topic = Topic.objects.get()
    assert (topic.mandatory, topic.cap_category, topic.cap_event_code) == (
        True,
        "Health",
        "drinkingWate",
    )
    assert AuditEntry.objects.filter(action=audit_actions.ALERT_TOPIC_CREATED).count() == 1


def test_communications_changes_a_topic_and_the_log_keeps_before_and_after() -> None:
    topic = TopicFactory.create(code="travaux", name_fr="Travaux", name_en="Works")
    client = client_of(UserFactory.create(roles=[Role.COMMUNICATIONS]))

    response = client.post(
        reverse("alert_topics:edit", args=[topic.pk]),
        _topic_data(code="travaux", name_fr="Travaux", name_en="Public works", mandatory=""),
    )

    assert response.status_code == 302
    changes = AuditEntry.objects.get(action=audit_actions.ALERT_TOPIC_CHANGED).details["changes"]
    assert changes["name_en"] == {"before": "Works", "after": "Public works"}


def test_a_bad_cap_event_code_is_explained_on_the_form_and_nothing_is_written() -> None:
    response = client_of(administrator()).post(
        reverse("alert_topics:add"), _topic_data(cap_event_code="eau potable!")
    )

    assert response.status_code == 200
    assert "lettres sans accents" in str(response.context["form"].errors["cap_event_code"])
    assert not Topic.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_topic_subscribers_chose_is_not_deleted() -> None:
    topic = TopicFactory.create()
    SubscriberFactory.create().topics.add(topic)

    response = client_of(administrator()).post(
        reverse("alert_topics:delete", args=[topic.pk]), follow=True
    )

    assert "décochez « offert aux abonnés »" in response.content.decode()
    assert Topic.objects.filter(pk=topic.pk).exists()
    assert not AuditEntry.objects.exists()


# Languages


@pytest.mark.parametrize(
    ("language", "words"), [("fr", ("Alertes", "Ajouter")), ("en", ("Alerts", "Add"))]
)
def test_the_screens_render_in_french_and_in_english(language: str, words: tuple[str, ...]) -> None:
    zone, topic = ZoneFactory.create(), TopicFactory.create()
    client = client_of(administrator())
    urls = [
        reverse("alert_zones:index"),
        reverse("alert_zones:add"),
        reverse("alert_zones:edit", args=[zone.pk]),
        reverse("alert_zones:delete", args=[zone.pk]),
        reverse("alert_zones:import"),
        reverse("alert_topics:index"),
        reverse("alert_topics:add"),
        reverse("alert_topics:edit", args=[topic.pk]),
    ]
    with translation.override(language):
        pages = [client.get(url, HTTP_ACCEPT_LANGUAGE=language) for url in urls]

    for url, page in zip(urls, pages, strict=True):
        assert page.status_code == 200, url
        assert f'lang="{language}"' in page.content.decode(), url
    index = pages[0].content.decode()
    assert all(word in index for word in words)
