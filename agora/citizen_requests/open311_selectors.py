"""What the Open311 API reads: the discovery document, the services, a service's definition
and the requests, as the plain structures open311_render.py writes in XML and JSON.

Texts are in the language of the API call (`Accept-Language`, French by default), like the
site's pages.

What anyone may read of a request is what the public status page shows
(agora/citizen_requests/selectors.py), never who filed it. Of a request of a private
service (a complaint about a neighbour, say) the API shows only its number, service,
status, responsible department and dates: its `description`, `address`, `lat`, `long`,
`media_url` and `status_notes` are empty (`null`). `status_notes` is the note of the
desk's last public status change or reply. `media_url` is the link an application gave
when filing, or else the first photo the desk showed to the public. `lat` and `long` are
the point as filed (a public request's address, which the status page shows, places it
as well). Agora has no `address_id` nor `zipcode`: they are always empty.

A list of requests is one query whatever its length (the department, the service, the last
public note and the first shown photo come in the same query): the list of 1,000 requests
must answer quickly.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db.models import Exists, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agora.citizen_requests import audit_actions
from agora.citizen_requests.models import (
    CHOICE_KINDS,
    OPEN_STATUSES,
    AttributeKind,
    CitizenRequest,
    EventKind,
    RequestEvent,
    RequestPhoto,
    RequestService,
    ServiceAttribute,
)
from agora.citizen_requests.open311_forms import CLOSED, OPEN, RequestQuery
from agora.citizen_requests.open311_render import Many
from agora.core.links import absolute
from agora.core.models import AuditEntry, Branding

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ("text/xml", "application/json")
# When the catalogue has no change in the audit log yet (a city set up by the demo loader).
FIRST_CHANGESET = datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC)
CATALOGUE_ACTIONS = (
    audit_actions.REQUEST_THEME_CREATED,
    audit_actions.REQUEST_THEME_CHANGED,
    audit_actions.REQUEST_THEME_DELETED,
    audit_actions.REQUEST_SERVICE_CREATED,
    audit_actions.REQUEST_SERVICE_CHANGED,
    audit_actions.REQUEST_SERVICE_DELETED,
    audit_actions.REQUEST_QUESTION_ADDED,
    audit_actions.REQUEST_QUESTION_CHANGED,
    audit_actions.REQUEST_QUESTION_DELETED,
    audit_actions.REQUEST_QUESTION_MOVED,
)
# What a service's code can be (a SlugField): anything else matches no service, and is not
# even sent to the database.
CODE = re.compile(r"^[-a-zA-Z0-9_]{1,60}\Z")
# The desk's lines that explain a request's status to the public.
NOTE_KINDS = (EventKind.STATUS, EventKind.PUBLIC_NOTE)


def w3c(value: datetime.datetime | None, zone: datetime.tzinfo | None = None) -> str | None:
    """A W3C datetime with the city's offset: 2026-03-05T10:15:00-05:00. A list passes the
    city's `zone`, looked up once."""
    if value is None:
        return None
    return value.astimezone(zone or timezone.get_current_timezone()).isoformat(timespec="seconds")


def _english() -> bool:
    return (translation.get_language() or "fr").startswith("en")


# Discovery ----------------------------------------------------------------------------------


def endpoint_url() -> str:
    """The API's address, as the discovery document gives it."""
    return absolute(reverse("open311:services", args=["xml"]).removesuffix("/services.xml"))


def _changeset() -> str:
    """When the catalogue last changed, in UTC so that the text sorts: clients refresh the
    services they keep when it moves."""
    changed = (
        AuditEntry.objects.filter(action__in=CATALOGUE_ACTIONS)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    moment = (changed or FIRST_CHANGESET).astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def discovery(request: HttpRequest, *, production: bool) -> dict[str, Any]:
    branding = Branding.for_request(request)
    contact = " · ".join(
        str(part) for part in (branding.municipality_name, branding.email, branding.phone) if part
    )
    changeset = _changeset()
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": _(
            "Les clés d'API sont émises par les administrateurs de la plateforme de la Ville : "
            "écrivez-leur pour en obtenir une. Lire ne demande pas de clé."
        ),
        "endpoints": Many(
            "endpoint",
            [
                {
                    "specification": SPECIFICATION,
                    "url": endpoint_url(),
                    "changeset": changeset,
                    "type": "production" if production else "test",
                    "formats": Many("format", list(FORMATS)),
                }
            ],
        ),
    }


# Services -----------------------------------------------------------------------------------


def offered_services() -> QuerySet[RequestService]:
    return RequestService.objects.filter(active=True)


def offered_service(code: str) -> RequestService | None:
    """The offered service `code`, or None."""
    if not CODE.match(code):
        return None
    return offered_services().filter(code=code).first()


def services() -> Many:
    """Every service offered, with whether it asks questions (`metadata`); one query."""
    found = (
        offered_services()
        .select_related("group")
        .annotate(asks=Exists(ServiceAttribute.objects.filter(service=OuterRef("pk"))))
    )
    return Many(
        "service",
        [
            {
                "service_code": service.code,
                "service_name": service.name,
                "description": service.description or None,
                "metadata": bool(getattr(service, "asks", False)),
                "type": "realtime",
                "keywords": service.keywords or None,
                "group": service.group.name,
            }
            for service in found
        ],
    )


def _attribute(attribute: ServiceAttribute, order: int) -> dict[str, Any]:
    variable = attribute.variable
    hint = attribute.hint
    if not hint and attribute.kind == AttributeKind.DATETIME:
        hint = _("Une date au format AAAA-MM-JJ.")
    shown: dict[str, Any] = {
        "variable": variable,
        "code": attribute.code,
        # An informational text has no datatype of its own in the standard: it is text.
        "datatype": attribute.kind if variable else AttributeKind.TEXT.value,
        "required": attribute.required,
        "datatype_description": hint or None,
        "order": order,
        "description": attribute.description,
    }
    if attribute.kind in CHOICE_KINDS:
        shown["values"] = Many(
            "value",
            [
                {
                    "key": str(value.get("key", "")),
                    "name": attribute.value_name(str(value.get("key", ""))),
                }
                for value in attribute.values
            ],
        )
    return shown


def service_definition(code: str) -> dict[str, Any] | None:
    """The questions of the offered service `code`, or None. `order` counts from 1 in the
    order staff set, so that it is positive and unique as the standard asks."""
    service = offered_service(code)
    if service is None:
        return None
    attributes = service.attributes.order_by("order", "pk")
    return {
        "service_code": service.code,
        "attributes": Many(
            "attribute",
            [_attribute(attribute, order) for order, attribute in enumerate(attributes, start=1)],
        ),
    }


# Requests -----------------------------------------------------------------------------------

ROW_FIELDS = (
    "tracking_number",
    "status",
    "public",
    "description",
    "address",
    "lat",
    "long",
    "media_url",
    "created_at",
    "updated_at",
    "closed_at",
    "due_at",
    "service__code",
    "service__name_fr",
    "service__name_en",
    "department__name",
    "status_notes",
    "shown_photo",
)


def _annotated(requests: QuerySet[CitizenRequest]) -> QuerySet[CitizenRequest]:
    """The last public note and the first shown photo, as subqueries of the one query."""
    notes = RequestEvent.objects.filter(
        request=OuterRef("pk"), public=True, kind__in=NOTE_KINDS
    ).order_by("-created_at", "-pk")
    photos = RequestPhoto.objects.filter(request=OuterRef("pk"), shown=True).order_by(
        "added_at", "pk"
    )
    return requests.annotate(
        status_notes=Subquery(notes.values("text")[:1]),
        shown_photo=Subquery(photos.values("pk")[:1]),
        # Floats straight from the database: no Decimal built for each row.
        lat=Cast("latitude", FloatField()),
        long=Cast("longitude", FloatField()),
    )


def _photo_url(number: str, photo_id: int) -> str:
    return absolute(
        reverse("citizen_requests:status_photo", kwargs={"tracking": number, "photo_id": photo_id})
    )


def _rows(requests: QuerySet[CitizenRequest]) -> list[dict[str, Any]]:
    name_field = "service__name_en" if _english() else "service__name_fr"
    zone = timezone.get_current_timezone()
    rows = []
    for row in _annotated(requests).values(*ROW_FIELDS):
        status = OPEN if row["status"] in OPEN_STATUSES else CLOSED
        closed_at = row["closed_at"]
        shown: dict[str, Any] = {
            "service_request_id": row["tracking_number"],
            "status": status,
            "status_notes": None,
            "service_name": row[name_field] or row["service__name_fr"],
            "service_code": row["service__code"],
            "description": None,
            "agency_responsible": row["department__name"],
            "service_notice": None,
            "requested_datetime": w3c(row["created_at"], zone),
            "updated_datetime": w3c(
                closed_at if status == CLOSED and closed_at is not None else row["updated_at"],
                zone,
            ),
            "expected_datetime": w3c(row["due_at"], zone),
            "address": None,
            "address_id": None,
            "zipcode": None,
            "lat": None,
            "long": None,
            "media_url": None,
        }
        if row["public"]:
            shown["status_notes"] = row["status_notes"] or None
            shown["description"] = row["description"] or None
            shown["address"] = row["address"] or None
            shown["lat"] = row["lat"]
            shown["long"] = row["long"]
            shown["media_url"] = row["media_url"] or (
                _photo_url(row["tracking_number"], row["shown_photo"])
                if row["shown_photo"] is not None
                else None
            )
        rows.append(shown)
    return rows


def matching_requests(query: RequestQuery) -> tuple[list[dict[str, Any]], bool]:
    """The page of requests `query` asks for, newest first, and whether another page
    follows. One query."""
    requests = CitizenRequest.objects.order_by("-created_at", "-pk")
    if query.numbers is not None:
        requests = requests.filter(tracking_number__in=query.numbers)
    else:
        if query.service_codes:
            codes = [code for code in query.service_codes if CODE.match(code)]
            requests = requests.filter(service__code__in=codes)
        if query.start is not None:
            requests = requests.filter(created_at__gte=query.start)
        if query.end is not None:
            requests = requests.filter(created_at__lte=query.end)
        if query.statuses == {OPEN}:
            requests = requests.filter(status__in=OPEN_STATUSES)
        elif query.statuses == {CLOSED}:
            requests = requests.filter(~Q(status__in=OPEN_STATUSES))
    rows = _rows(requests[query.offset : query.offset + query.page_size + 1])
    return rows[: query.page_size], len(rows) > query.page_size


def request_numbered(number: str) -> dict[str, Any] | None:
    """The request with this tracking number, or None. One query."""
    rows = _rows(CitizenRequest.objects.filter(tracking_number=number))
    return rows[0] if rows else None
