"""The zones alerts are sent to: which zones hold a point, what a zone's GeoJSON must be, and
the writes of /gestion/ (Alertes → Zones), each audited: creating, changing and deleting a zone,
and importing a GeoJSON file of zones.

A zone's outline is a GeoJSON Polygon or MultiPolygon, or a Feature holding one (longitude,
latitude), read by agora/core/geo.py; each fault gets its own sentence (not JSON, not a
polygon, a ring not closed, a coordinate out of range). `zones_at` reads each outline once per
version of it (the parsed shapes are cached by their text) and skips a zone whose outline,
written outside these services, cannot be read.

The import reads a FeatureCollection: each Feature creates the zone of its code, or updates
it. A file with one bad Feature is refused whole, with one message per fault naming the
Feature's number, and nothing is written; a good one is written in one transaction.

Refusals: `PermissionDenied` for someone who may not manage the zones (`alerts.manage_zones`,
administrators, docs/roles.md), `ValidationError` for what is not valid; either way nothing
is written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _

from agora.alerts import audit_actions
from agora.alerts.models import Zone, ZoneKind
from agora.alerts.rules import MANAGE_ZONES
from agora.alerts.staff_changes import (
    Actor,
    change_audited,
    check_may,
    create_audited,
    delete_audited,
)
from agora.core import audit, geo

logger = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_FEATURES = 500

# The fields a staff member sets, and those the audit log keeps (the outline as a summary).
ZONE_FIELDS = ("code", "name_fr", "name_en", "kind", "geojson", "sgc_code", "position", "active")

SGC_CODE = re.compile(r"\d{7}")

NOT_ALLOWED = _("Seul un administrateur peut modifier les zones d'alerte.")
ZONE_STILL_USED = _(
    "Des abonnés reçoivent les alertes de cette zone : décochez « offerte aux abonnés » pour "
    "la retirer plutôt que de la supprimer."
)
SGC_CODE_INVALID = _(
    "Le code géographique de Statistique Canada a 7 chiffres, par exemple 2467020."
)
A_COLLECTION = _(
    "C'est une FeatureCollection : collez une seule zone (un Polygon, un MultiPolygon ou une "
    "Feature), ou importez le fichier par « Importer un fichier GeoJSON »."
)
IMPORT_TOO_LARGE = _("Le fichier pèse %(size)s : un import accepte au plus %(limit)s.")
IMPORT_NOT_UTF8 = _(
    "Le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8, puis importez-le de nouveau."
)
IMPORT_NOT_A_COLLECTION = _(
    "Le fichier doit contenir une FeatureCollection GeoJSON : un objet dont « type » vaut "
    "« FeatureCollection » et dont la liste « features » donne les zones."
)
IMPORT_EMPTY = _("Le fichier ne contient aucune zone : sa liste « features » est vide.")
IMPORT_TOO_MANY = _("Le fichier contient %(count)s zones : un import en accepte au plus %(limit)s.")
FEATURE_ERROR = _("Élément %(number)s : %(message)s")
FEATURE_FIELD_ERROR = _("%(field)s : %(message)s")
NOT_A_FEATURE = _("Ce n'est pas une Feature GeoJSON.")
WITHOUT_CODE = _("Il manque le code de la zone : ajoutez une propriété « code » (ou « id »).")
BAD_CODE = _(
    "Le code « %(code)s » ne donne aucun identifiant : employez des lettres sans accents, "
    "des chiffres et des traits d'union."
)
CODE_REPEATED = _("Le code « %(code)s » est déjà celui de l'élément %(first)s.")
WITHOUT_NAME = _(
    "Il manque le nom de la zone : ajoutez une propriété « nom » (ou « name_fr », ou « name »)."
)
BAD_KIND = _(
    "Le type « %(kind)s » est inconnu : employez municipality, district, water, snow ou other."
)

# The words a file may use for a zone's kind, besides the kinds' own values.
KIND_WORDS: dict[str, str] = {
    **{kind.value: kind.value for kind in ZoneKind},
    "municipalite": ZoneKind.MUNICIPALITY,
    "municipalité": ZoneKind.MUNICIPALITY,
    "territoire": ZoneKind.MUNICIPALITY,
    "quartier": ZoneKind.DISTRICT,
    "aqueduc": ZoneKind.WATER,
    "eau": ZoneKind.WATER,
    "deneigement": ZoneKind.SNOW,
    "déneigement": ZoneKind.SNOW,
    "autre": ZoneKind.OTHER,
}


# Reading and checking an outline ------------------------------------------------------------


def validate_zone_geojson(text: str) -> None:
    """ValidationError with the sentence that says what is wrong with the outline."""
    try:
        data = geo.load_json(text)
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            raise ValidationError(A_COLLECTION, code="geojson")
        geo.shape_polygons(data)
    except geo.GeometryError as fault:
        raise ValidationError(str(fault.message), code="geojson") from None


def validate_sgc_code(code: str) -> None:
    if code and not SGC_CODE.fullmatch(code):
        raise ValidationError(SGC_CODE_INVALID, code="sgc_code")


@dataclass(frozen=True)
class Shape:
    polygons: list[geo.Polygon]
    box: geo.Box
    positions: int


@functools.lru_cache(maxsize=256)
def shape_of(geojson: str) -> Shape | None:
    """The parsed outline, once per text (a changed zone has a new text); None when it cannot
    be read."""
    try:
        polygons = geo.parse_shape(geojson)
    except geo.GeometryError:
        return None
    positions = sum(len(ring) for polygon in polygons for ring in polygon)
    return Shape(polygons, geo.bounding_box(polygons), positions)


def zones_at(
    latitude: float | Decimal, longitude: float | Decimal, zones: Iterable[Zone] | None = None
) -> list[Zone]:
    """The zones holding the point, among `zones` (the active zones by default), in their
    order."""
    longitude, latitude = float(longitude), float(latitude)
    found = []
    for zone in Zone.objects.filter(active=True) if zones is None else zones:
        shape = shape_of(zone.geojson)
        if shape is None:
            logger.warning("The outline of alert zone %s cannot be read: skipped.", zone.code)
            continue
        if geo.in_box(shape.box, longitude, latitude) and geo.contains(
            shape.polygons, longitude, latitude
        ):
            found.append(zone)
    return found


# Audited writes ------------------------------------------------------------------------------


def _outline_summary(geojson: str) -> str:
    """What the log keeps of an outline: its size and fingerprint, not its thousands of
    numbers."""
    digest = hashlib.sha256(geojson.encode()).hexdigest()[:12]
    shape = shape_of(geojson)
    positions = shape.positions if shape is not None else 0
    return f"{positions} positions, sha256 {digest}"


def zone_values(zone: Zone) -> dict[str, Any]:
    """What the audit log keeps of a zone (its outline as a size and a fingerprint)."""
    values = {name: getattr(zone, name) for name in ZONE_FIELDS}
    values["geojson"] = _outline_summary(zone.geojson)
    return values


def clean_zone(zone: Zone) -> None:
    """The model's checks, then the outline's and the SGC code's; ValidationError by field."""
    errors: dict[str, Any] = {}
    try:
        zone.full_clean()
    except ValidationError as invalid:
        errors = invalid.update_error_dict(errors)
    for name, check in (("geojson", validate_zone_geojson), ("sgc_code", validate_sgc_code)):
        if name in errors:
            continue
        try:
            check(getattr(zone, name))
        except ValidationError as invalid:
            errors[name] = invalid.error_list
    if errors:
        raise ValidationError(errors)


def _next_position() -> int:
    highest = Zone.objects.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def create_zone(*, actor: Actor, zone: Zone) -> Zone:
    """Saves a new zone (`zone`, not saved yet)."""
    if zone.pk is not None:
        raise ValueError("create_zone saves a new zone; change_zone changes one.")
    check_may(actor, MANAGE_ZONES, NOT_ALLOWED)
    clean_zone(zone)
    return create_audited(actor, zone, zone_values, audit_actions.ALERT_ZONE_CREATED)


@transaction.atomic
def change_zone(*, actor: Actor, zone: Zone) -> Zone:
    """Saves the changed fields of a zone."""
    if zone.pk is None:
        raise ValueError("change_zone changes a saved zone; create_zone creates one.")
    check_may(actor, MANAGE_ZONES, NOT_ALLOWED)
    clean_zone(zone)
    changed, _saved = change_audited(
        actor, zone, zone_values, audit_actions.ALERT_ZONE_CHANGED, ZONE_FIELDS
    )
    return changed


@transaction.atomic
def delete_zone(*, actor: Actor, zone: Zone) -> None:
    """Deletes a zone no subscriber's place is in (refused otherwise: it is withdrawn from the
    offer instead, unticking `active`)."""
    check_may(actor, MANAGE_ZONES, NOT_ALLOWED)
    if zone.places.exists():
        raise ValidationError(ZONE_STILL_USED)
    delete_audited(actor, zone, zone_values, audit_actions.ALERT_ZONE_DELETED)


# Importing a file of zones ------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[Zone] = field(default_factory=list)
    changed: list[Zone] = field(default_factory=list)
    unchanged: list[Zone] = field(default_factory=list)


def _text_property(properties: dict[str, Any], *names: str) -> str:
    for name in names:
        value = properties.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


class _FeatureReader:
    """Turns each Feature into its zone, new or updated in memory (nothing saved), and keeps
    every fault with the Feature's number."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.existing = {zone.code: zone for zone in Zone.objects.all()}
        self.first_with_code: dict[str, int] = {}
        self.position = _next_position()

    def fault(self, number: int, message: Any) -> None:
        self.errors.append(str(FEATURE_ERROR % {"number": number, "message": message}))

    def code(self, number: int, feature: dict[str, Any], properties: dict[str, Any]) -> str:
        raw = _text_property(properties, "code", "id")
        if not raw:
            raw = _text_property(feature, "id")
        if not raw:
            self.fault(number, WITHOUT_CODE)
            return ""
        code = slugify(raw)[:60]
        if not code:
            self.fault(number, BAD_CODE % {"code": raw})
            return ""
        if code in self.first_with_code:
            self.fault(number, CODE_REPEATED % {"code": code, "first": self.first_with_code[code]})
            return ""
        self.first_with_code[code] = number
        return code

    def zone(self, number: int, feature: Any) -> tuple[Zone, bool] | None:
        """The zone of the Feature and whether it is new; None after a fault."""
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            self.fault(number, NOT_A_FEATURE)
            return None
        properties = feature.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        faults = len(self.errors)
        code = self.code(number, feature, properties)
        name_fr = _text_property(properties, "nom", "name_fr", "name")
        if not name_fr:
            self.fault(number, WITHOUT_NAME)
        kind_word = _text_property(properties, "type", "kind")
        kind = KIND_WORDS.get(kind_word.lower()) if kind_word else None
        if kind_word and kind is None:
            self.fault(number, BAD_KIND % {"kind": kind_word})
        try:
            geo.feature_polygons(feature)
        except geo.GeometryError as fault:
            self.fault(number, fault.message)
        if len(self.errors) > faults:
            return None
        new = code not in self.existing
        zone = Zone(code=code, position=self.position) if new else self.existing[code]
        if new:
            self.position += 1
        zone.name_fr = name_fr
        zone.name_en = _text_property(properties, "name_en") or (zone.name_en or name_fr)
        if kind is not None:
            zone.kind = kind
        sgc = _text_property(properties, "sgc", "sgc_code")
        if sgc:
            zone.sgc_code = sgc
        zone.geojson = json.dumps(feature.get("geometry"), ensure_ascii=False)
        try:
            clean_zone(zone)
        except ValidationError as invalid:
            for name, messages in invalid.message_dict.items():
                # The outline's and the SGC code's sentences name what they are about.
                named = name in ("__all__", "geojson", "sgc_code")
                label = (
                    ""
                    if named
                    else capfirst(getattr(Zone._meta.get_field(name), "verbose_name", name))
                )
                for message in messages:
                    text = FEATURE_FIELD_ERROR % {"field": label, "message": message}
                    self.fault(number, text if label else message)
            return None
        return zone, new


def read_features(features: list[Any]) -> list[tuple[Zone, bool]]:
    """The zone of each Feature, new or updated in memory (nothing is saved), and whether it
    is new; ValidationError with every fault, by Feature number, when one is bad."""
    reader = _FeatureReader()
    read = [reader.zone(number, feature) for number, feature in enumerate(features, 1)]
    if reader.errors:
        raise ValidationError(reader.errors)
    return [zone for zone in read if zone is not None]


def _read_upload(upload: UploadedFile[bytes]) -> Any:
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(
            IMPORT_TOO_LARGE
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_IMPORT_BYTES)}
        )
    content = upload.read(MAX_IMPORT_BYTES + 1)
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError(
            IMPORT_TOO_LARGE
            % {"size": filesizeformat(len(content)), "limit": filesizeformat(MAX_IMPORT_BYTES)}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(IMPORT_NOT_UTF8) from None
    try:
        return geo.load_json(text)
    except geo.GeometryError as fault:
        raise ValidationError(str(fault.message)) from None


def import_zones(*, actor: Actor, upload: UploadedFile[bytes]) -> ImportResult:
    """Creates or updates the zone of every Feature of the file (by its code), all or none."""
    check_may(actor, MANAGE_ZONES, NOT_ALLOWED)
    data = _read_upload(upload)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(IMPORT_NOT_A_COLLECTION)
    features = data.get("features")
    if not isinstance(features, list):
        raise ValidationError(IMPORT_NOT_A_COLLECTION)
    if not features:
        raise ValidationError(IMPORT_EMPTY)
    if len(features) > MAX_IMPORT_FEATURES:
        raise ValidationError(
            IMPORT_TOO_MANY % {"count": len(features), "limit": MAX_IMPORT_FEATURES}
        )
    with transaction.atomic():
        result = ImportResult()
        for zone, new in read_features(features):
            if new:
                result.created.append(
                    create_audited(actor, zone, zone_values, audit_actions.ALERT_ZONE_CREATED)
                )
                continue
            _zone, saved = change_audited(
                actor, zone, zone_values, audit_actions.ALERT_ZONE_CHANGED, ZONE_FIELDS
            )
            (result.changed if saved else result.unchanged).append(zone)
        audit.record(
            actor=actor,
            action=audit_actions.ALERT_ZONES_IMPORTED,
            details={
                "file": (upload.name or "")[:200],
                "created": [zone.code for zone in result.created],
                "changed": [zone.code for zone in result.changed],
                "unchanged": [zone.code for zone in result.unchanged],
            },
        )
    return result
