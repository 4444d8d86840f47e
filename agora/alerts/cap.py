"""Alerts as CAP 1.2 messages with the Canadian profile (CAP-CP), and the profile's rules.

In Québec only the Ministère de la Sécurité publique and Environment Canada publish to the
national alerting system: a municipality asks them. So Agora does not publish to NAAD; it
serves each alert it sent as a CAP message (`/cap/<identifier>.xml`, listed in the Atom feed
`/cap/alertes.atom`) that the city can hand to the MSP and that other software can read.

A message has one `info` per language (fr-CA, then en-CA), the profile's code
(`profile:CAP-CP:0.4`), the topic's CAP-CP event code, and an `area` per zone with the zone's
polygons and its Statistics Canada geocode (the zone's own, else the municipality's), plus
one for a polygon drawn on the map. An update or a cancellation lists in `references` every
message of the chain it follows (`sender,identifier,sent`).

Dates follow the schema: seconds, no fraction, and an offset (`-00:00` for UTC, never `Z`).

`cap_cp_problems()` checks a message against the profile's rules the XSD cannot express
(Public Safety Canada, "CAP-CP Introduction and Rule Set"); `capvalidator` checks the XSD.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from defusedxml.ElementTree import fromstring as parse_xml
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from agora.alerts.models import Alert, AlertSettings, MessageType, Zone
from agora.core import geo
from agora.core.links import absolute, municipality_name

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_MIME_TYPE = "application/cap+xml"
PROFILE_CODE = "profile:CAP-CP:0.4"
EVENT_VALUE_NAME = "profile:CAP-CP:Event:0.4"
LOCATION_VALUE_NAME = "profile:CAP-CP:Location:0.3"
LANGUAGES = (("fr", "fr-CA"), ("en", "en-CA"))

DRAWN_AREA = _("Secteur délimité sur la carte")

ET.register_namespace("", CAP_NAMESPACE)


def cap_datetime(moment: datetime.datetime) -> str:
    """`2026-12-07T14:05:00-05:00`: in the city's time zone, whole seconds, an offset."""
    text = timezone.localtime(moment).replace(microsecond=0).isoformat()
    return text.removesuffix("+00:00") + "-00:00" if text.endswith("+00:00") else text


def sender() -> str:
    """Who sends the messages: the site's host name (CAP asks for a unique name)."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "agora.invalid"


@dataclass(frozen=True)
class Area:
    description_fr: str
    description_en: str
    polygons: list[str]  # CAP polygons: "lat,lon lat,lon ..." closed rings
    geocode: str  # a Statistics Canada SGC code, or ""


def cap_polygons(geojson: str) -> list[str]:
    """The CAP polygons of a GeoJSON text (longitude, latitude): each polygon's outer ring
    (CAP polygons have no holes) as closed "lat,lon" pairs; [] for a text that holds none."""
    if not geojson.strip():
        return []
    try:
        polygons = geo.parse_polygons(geojson)
    except geo.GeometryError:
        return []
    return [
        " ".join(f"{latitude:.6f},{longitude:.6f}" for longitude, latitude in outer)
        for outer, *_holes in polygons
    ]


def _areas(alert: Alert, municipality_geocode: str) -> list[Area]:
    zones: list[Zone] = list(alert.zones.all())
    areas = [
        Area(
            description_fr=zone.name_fr,
            description_en=zone.name_en or zone.name_fr,
            polygons=cap_polygons(zone.geojson),
            geocode=zone.sgc_code or municipality_geocode,
        )
        for zone in zones
    ]
    drawn = cap_polygons(alert.polygon)
    if drawn:
        descriptions = {}
        for language, _code in LANGUAGES:
            with translation.override(language):
                descriptions[language] = str(DRAWN_AREA)
        areas.append(
            Area(
                description_fr=descriptions["fr"],
                description_en=descriptions["en"],
                polygons=drawn,
                geocode=municipality_geocode,
            )
        )
    return areas


def chain(alert: Alert) -> list[Alert]:
    """The messages `alert` follows, oldest first: the first alert, then its updates."""
    previous = []
    seen = {alert.pk}
    current = alert.references
    while current is not None and current.pk not in seen:
        previous.append(current)
        seen.add(current.pk)
        current = current.references
    return list(reversed(previous))


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{CAP_NAMESPACE}}}{tag}")
    element.text = value
    return element


def _pair(parent: ET.Element, tag: str, name: str, value: str) -> None:
    element = ET.SubElement(parent, f"{{{CAP_NAMESPACE}}}{tag}")
    _text(element, "valueName", name)
    _text(element, "value", value)


def _info(
    root: ET.Element,
    alert: Alert,
    language: str,
    tag: str,
    areas: list[Area],
    names: dict[str, str],
) -> None:
    info = ET.SubElement(root, f"{{{CAP_NAMESPACE}}}info")
    _text(info, "language", tag)
    _text(info, "category", alert.topic.cap_category)
    _text(info, "event", alert.topic.name_en if language == "en" else alert.topic.name_fr)
    if alert.response_type:
        _text(info, "responseType", alert.response_type)
    _text(info, "urgency", alert.urgency)
    _text(info, "severity", alert.severity)
    _text(info, "certainty", alert.certainty)
    if alert.topic.cap_event_code:
        _pair(info, "eventCode", EVENT_VALUE_NAME, alert.topic.cap_event_code)
    if alert.effective_at is not None:
        _text(info, "effective", cap_datetime(alert.effective_at))
    _text(info, "expires", cap_datetime(alert.expires_at))
    _text(info, "senderName", names[language])
    _text(info, "headline", alert.localized("headline", language))
    _text(info, "description", alert.localized("description", language))
    instruction = alert.localized("instruction", language)
    if instruction:
        _text(info, "instruction", instruction)
    with translation.override(language):
        _text(info, "web", absolute(reverse("alert_notices:notice", args=[alert.pk])))
    if names["contact"]:
        _text(info, "contact", names["contact"])
    for area in areas:
        element = ET.SubElement(info, f"{{{CAP_NAMESPACE}}}area")
        _text(element, "areaDesc", area.description_en if language == "en" else area.description_fr)
        for polygon in area.polygons:
            _text(element, "polygon", polygon)
        if area.geocode:
            _pair(element, "geocode", LOCATION_VALUE_NAME, area.geocode)


def _sender_names() -> dict[str, str]:
    alert_settings = AlertSettings.objects.order_by("pk").first() or AlertSettings()
    city = municipality_name()
    return {
        "fr": alert_settings.sender_name_fr or city,
        "en": alert_settings.sender_name_en or alert_settings.sender_name_fr or city,
        "contact": alert_settings.contact,
        "geocode": alert_settings.sgc_code,
    }


def render(alert: Alert) -> bytes:
    """The alert's CAP message (UTF-8 XML). The alert must have been sent (`sent_at`)."""
    if alert.sent_at is None:
        raise ValueError("only a sent alert has a CAP message")
    names = _sender_names()
    root = ET.Element(f"{{{CAP_NAMESPACE}}}alert")
    _text(root, "identifier", alert.identifier)
    _text(root, "sender", sender())
    _text(root, "sent", cap_datetime(alert.sent_at))
    _text(root, "status", alert.cap_status)
    _text(root, "msgType", alert.message_type)
    _text(root, "scope", "Public")
    _text(root, "code", PROFILE_CODE)
    earlier = [message for message in chain(alert) if message.sent_at is not None]
    if alert.message_type != MessageType.ALERT and earlier:
        _text(
            root,
            "references",
            " ".join(
                f"{sender()},{message.identifier},{cap_datetime(message.sent_at)}"
                for message in earlier
                if message.sent_at is not None
            ),
        )
    areas = _areas(alert, names["geocode"])
    for language, tag in LANGUAGES:
        _info(root, alert, language, tag, areas, names)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


# The profile's rules ---------------------------------------------------------------------

_GEOCODE = re.compile(r"^\d{7}$")


def _tag(name: str) -> str:
    return f"{{{CAP_NAMESPACE}}}{name}"


def _pairs(parent: ET.Element, tag: str) -> list[tuple[str, str]]:
    return [
        (element.findtext(_tag("valueName"), ""), element.findtext(_tag("value"), ""))
        for element in parent.findall(_tag(tag))
    ]


def cap_cp_problems(message: bytes) -> list[str]:
    """What breaks a rule of CAP-CP (its errors, not its recommendations): [] when none."""
    root = parse_xml(message)
    problems = []
    if PROFILE_CODE not in [code.text for code in root.findall(_tag("code"))]:
        problems.append(f"<code> does not name the profile {PROFILE_CODE}")
    message_type = root.findtext(_tag("msgType"), "")
    if message_type in ("Update", "Cancel") and not root.findtext(_tag("references"), ""):
        problems.append(f"an {message_type} message lists no <references>")
    infos = root.findall(_tag("info"))
    if not infos and message_type not in ("Ack", "Error"):
        problems.append("no <info>")
    event_codes = {tuple(sorted(_pairs(info, "eventCode"))) for info in infos}
    if len(event_codes) > 1:
        problems.append("the <info> blocks do not carry the same event codes")
    for info in infos:
        language = info.findtext(_tag("language"), "")
        if not any(
            name.startswith("profile:CAP-CP:Event:") for name, _ in _pairs(info, "eventCode")
        ):
            problems.append(f"<info> {language}: no CAP-CP event code")
        areas = info.findall(_tag("area"))
        if not areas:
            problems.append(f"<info> {language}: no <area>")
        for area in areas:
            geocodes = [
                value
                for name, value in _pairs(area, "geocode")
                if name.startswith("profile:CAP-CP:Location")
            ]
            if not geocodes or not all(_GEOCODE.match(value) for value in geocodes):
                problems.append(
                    f"<area> {area.findtext(_tag('areaDesc'), '')!r} ({language}): no CAP-CP "
                    "location geocode of 7 digits"
                )
    return problems


def cap_cp_recommendations(message: bytes) -> list[str]:
    """The profile's recommendations a message does not follow: [] when it follows them."""
    root = parse_xml(message)
    languages = {info.findtext(_tag("language"), "") for info in root.findall(_tag("info"))}
    missing = []
    if not {"fr-CA", "en-CA"} <= languages:
        missing.append("an <info> in fr-CA and one in en-CA")
    for info in root.findall(_tag("info")):
        for tag in ("expires", "senderName"):
            if info.find(_tag(tag)) is None:
                missing.append(f"<{tag}> in every <info>")
    return missing
