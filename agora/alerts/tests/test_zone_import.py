"""Importing a GeoJSON file of zones (zones.import_zones): each Feature creates or updates the
zone of its code, in one transaction and with its audit rows; a bad file gets one sentence
per fault, naming the Feature, and writes nothing at all."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory, administrator
from agora.alerts import audit_actions, zones
from agora.alerts.models import Zone, ZoneKind
from agora.alerts.tests.factories import ZoneFactory, square
from agora.core import audit
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NORTH = json.loads(square(-73.55, 45.39, -73.50, 45.41))
SOUTH = json.loads(square(-73.55, 45.37, -73.50, 45.39))


def _feature(geometry: Any = None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry or NORTH}


def _file(*features: Any, name: str = "zones.geojson") -> SimpleUploadedFile:
    text = json.dumps({"type": "FeatureCollection", "features": list(features)})
    return SimpleUploadedFile(name, text.encode())


def _import(upload: SimpleUploadedFile) -> zones.ImportResult:
    return zones.import_zones(actor=administrator(), upload=upload)


def _refusal(upload: SimpleUploadedFile) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        _import(upload)
    return refused.value.messages


def test_each_feature_creates_its_zone_with_its_properties() -> None:
    result = _import(
        _file(
            _feature(
                code="nord", nom="Secteur nord", name_en="North sector", type="water", sgc="2467020"
            ),
            _feature(SOUTH, id=7, name="Sud"),
            _feature(SOUTH, name_fr="Déneigement est", kind="déneigement", code="Déneigement Est"),
        )
    )

    north, south, snow = (Zone.objects.get(code=code) for code in ("nord", "7", "deneigement-est"))
    assert (north.name_en, north.kind, north.sgc_code) == (
        "North sector",
        ZoneKind.WATER,
        "2467020",
    )
    assert (south.name_fr, south.name_en, south.kind) == ("Sud", "Sud", ZoneKind.DISTRICT)
    assert snow.kind == ZoneKind.SNOW
    assert json.loads(north.geojson) == NORTH
    assert [zone.code for zone in result.created] == ["nord", "7", "deneigement-est"]
    assert zones.zones_at(45.40, -73.52) == [north]
    assert AuditEntry.objects.filter(action=audit_actions.ALERT_ZONE_CREATED).count() == 3
    summary = AuditEntry.objects.get(action=audit_actions.ALERT_ZONES_IMPORTED)
    assert summary.details == {
        "file": "zones.geojson",
        "created": ["nord", "7", "deneigement-est"],
        "changed": [],
        "unchanged": [],
    }


def test_a_zone_of_the_same_code_is_updated_and_an_unchanged_one_left_alone() -> None:
    kept = ZoneFactory.create(
        code="nord",
        name_fr="Nord",
        name_en="North",
        geojson=json.dumps(NORTH),
        sgc_code="",
        kind=ZoneKind.WATER,
        active=False,
    )
    other = ZoneFactory.create(
        code="sud", name_fr="Sud", name_en="South", geojson=json.dumps(SOUTH)
    )

    result = _import(
        _file(
            _feature(code="nord", nom="Nord", name_en="North"),
            _feature(SOUTH, code="sud", nom="Secteur sud"),
        )
    )

    kept.refresh_from_db()
    other.refresh_from_db()
    # What the file does not say stays as staff set it.
    assert (kept.kind, kept.active, kept.name_en) == (ZoneKind.WATER, False, "North")
    assert (other.name_fr, other.name_en) == ("Secteur sud", "South")
    assert (result.unchanged, result.changed) == ([kept], [other])
    change = AuditEntry.objects.get(action=audit_actions.ALERT_ZONE_CHANGED)
    assert change.details["changes"] == {"name_fr": {"before": "Sud", "after": "Secteur sud"}}


def test_a_bad_file_names_every_bad_feature_and_writes_nothing() -> None:
    ZoneFactory.create(code="nord", name_fr="Nord")
    bad_ring = {
        "type": "Polygon",
        "coordinates": [[[-73.5, 45.3], [-73.4, 45.3], [-73.4, 45.4], [-73.5, 45.4]]],
    }
    out_of_range = {
        "type": "Polygon",
        "coordinates": [[[45.3, -73.5], [45.3, -173.5], [45.4, -73.4], [45.3, -73.5]]],
    }

    messages = _refusal(
        _file(
            _feature(code="nord", nom="Nord renommé"),
            _feature(nom="Sans code"),
            _feature(
                code="a", nom="Point", geometry={"type": "Point", "coordinates": [-73.5, 45.4]}
            ),
            _feature(bad_ring, code="b", nom="Ouvert"),
            _feature(out_of_range, code="c", nom="Inversé"),
            _feature(code="d"),
            _feature(code="e", nom="E", type="parc"),
            _feature(code="nord", nom="Encore nord"),
            "pas une feature",
            _feature(code="f", nom="F", sgc="123"),
            _feature(code="!!!", nom="G"),
        )
    )

    assert messages == [
        "Élément 2 : Il manque le code de la zone : ajoutez une propriété « code » (ou « id »).",
        "Élément 3 : La géométrie doit être un Polygon ou un MultiPolygon (ou une Feature qui "
        "en contient un).",
        "Élément 4 : Un anneau du contour n'est pas fermé : sa dernière position doit répéter "
        "la première.",
        "Élément 5 : Une coordonnée est hors limites : la longitude va de -180 à 180 et la "
        "latitude de -90 à 90 (la longitude vient en premier).",
        "Élément 6 : Il manque le nom de la zone : ajoutez une propriété « nom » (ou « name_fr "
        "», ou « name »).",
        "Élément 7 : Le type « parc » est inconnu : employez municipality, district, water, "
        "snow ou other.",
        "Élément 8 : Le code « nord » est déjà celui de l'élément 1.",
        "Élément 9 : Ce n'est pas une Feature GeoJSON.",
        "Élément 10 : Le code géographique de Statistique Canada a 7 chiffres, par exemple "
        "2467020.",
        "Élément 11 : Le code « !!! » ne donne aucun identifiant : employez des lettres sans "
        "accents, des chiffres et des traits d'union.",
    ]
    assert list(Zone.objects.values_list("code", "name_fr")) == [("nord", "Nord")]
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{ pas du json", "Ce n'est pas du JSON valide"),
        ("é".encode("latin-1") + b"{}", "pas encodé en UTF-8"),
        (json.dumps({"type": "Polygon", "coordinates": []}).encode(), "FeatureCollection GeoJSON"),
        (
            json.dumps({"type": "FeatureCollection", "features": {}}).encode(),
            "FeatureCollection GeoJSON",
        ),
        (json.dumps({"type": "FeatureCollection", "features": []}).encode(), "aucune zone"),
    ],
)
def test_a_file_that_is_no_collection_of_zones_is_refused(content: bytes, message: str) -> None:
    messages = _refusal(SimpleUploadedFile("zones.geojson", content))

    assert message in messages[0]
    assert not Zone.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_file_may_start_with_a_byte_order_mark() -> None:
    text = json.dumps({"type": "FeatureCollection", "features": [_feature(code="n", nom="N")]})
    _import(SimpleUploadedFile("zones.geojson", text.encode("utf-8-sig")))

    assert Zone.objects.get().code == "n"


def test_a_file_too_large_is_refused_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zones, "MAX_IMPORT_BYTES", 100)
    messages = _refusal(_file(_feature(code="n", nom="N")))

    assert "un import accepte au plus 100" in messages[0]
    assert not Zone.objects.exists()


def test_too_many_features_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zones, "MAX_IMPORT_FEATURES", 2)
    messages = _refusal(_file(*(_feature(code=f"z{n}", nom=f"Z{n}") for n in range(3))))

    assert messages == ["Le fichier contient 3 zones : un import en accepte au plus 2."]
    assert not Zone.objects.exists()


def test_a_failure_while_writing_leaves_nothing_written(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(**kwargs: Any) -> None:
        raise RuntimeError("disque plein")

    monkeypatch.setattr(audit, "record", fail)
    with pytest.raises(RuntimeError):
        _import(_file(_feature(code="a", nom="A"), _feature(code="b", nom="B")))

    assert not Zone.objects.exists()


@pytest.mark.parametrize("role", [Role.COMMUNICATIONS, Role.CLERK, None])
def test_only_an_administrator_imports(role: Role | None) -> None:
    person = UserFactory.create(roles=[role] if role else [])

    with pytest.raises(PermissionDenied):
        zones.import_zones(actor=person, upload=_file(_feature(code="n", nom="N")))

    assert not Zone.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_field_the_model_refuses_is_named_with_the_feature() -> None:
    messages = _refusal(_file(_feature(code="long", nom="x" * 200)))

    # The English name, missing, is the French one: too long as well.
    assert [message[: message.index(") : ") + 4] for message in messages] == [
        "Élément 1 : Nom (français) : ",
        "Élément 1 : Nom (anglais) : ",
    ]
    assert not Zone.objects.exists()
