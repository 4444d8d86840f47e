"""Ville de Démo's citizen requests: the catalogue of themes, services and their questions, in
French and in English, as demo_data/catalogue.toml describes it, and the municipality's
boundary, demo_data/boundary.geojson, drawn around the demo's projects and ideas.

Idempotent: themes are found by slug, services by code, questions by service and code, and
brought back to what the file says (each checked with `full_clean()` first); an object that
already says so is not saved again. The boundary is set only while the site has none, so a
boundary pasted by staff stays. Each service's department is found by name, or created (the
nuisance and animal by-laws go to "Urbanisme et environnement", which agora/accounts/demo.py
does not create).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models
from wagtail.models import Site

from agora.accounts.models import Department
from agora.citizen_requests.boundary import parse_boundary
from agora.citizen_requests.models import (
    CHOICE_KINDS,
    AttributeKind,
    RequestService,
    RequestSettings,
    Requirement,
    ServiceAttribute,
    ServiceGroup,
)
from agora.core.data_files import RecordError, Text, load

DATA = Path(__file__).with_name("demo_data")
BOUNDARY_PATH = DATA / "boundary.geojson"


@dataclass(frozen=True)
class GroupRecord:
    slug: str
    name: Text


@dataclass(frozen=True)
class ChoiceRecord:
    key: str
    name: Text


@dataclass(frozen=True)
class AttributeRecord:
    code: str
    kind: AttributeKind
    description: Text
    required: bool = False
    hint: Text | None = None
    values: tuple[ChoiceRecord, ...] = ()

    def __post_init__(self) -> None:
        keys = [value.key for value in self.values]
        if len(set(keys)) != len(keys):
            raise RecordError("values", "two choices have the same key")
        if (self.kind in CHOICE_KINDS) != bool(self.values):
            raise RecordError("values", "choices go with the list kinds, and only with them")


@dataclass(frozen=True)
class ServiceRecord:
    code: str
    group: str  # a theme's slug
    department: str  # a department's name
    target_days: int
    location: Requirement
    photo: Requirement
    name: Text
    description: Text
    keywords: Text
    public: bool = True
    attributes: tuple[AttributeRecord, ...] = ()

    def __post_init__(self) -> None:
        codes = [attribute.code for attribute in self.attributes]
        if len(set(codes)) != len(codes):
            raise RecordError("attributes", "two questions have the same code")


@dataclass(frozen=True)
class Catalogue:
    """demo_data/catalogue.toml"""

    groups: tuple[GroupRecord, ...]
    services: tuple[ServiceRecord, ...]

    def __post_init__(self) -> None:
        slugs = {group.slug for group in self.groups}
        codes: set[str] = set()
        for number, service in enumerate(self.services):
            if service.group not in slugs:
                raise RecordError(f"services[{number}].group", "not the slug of a theme")
            if service.code in codes:
                raise RecordError(f"services[{number}].code", "another service has this code")
            codes.add(service.code)


CATALOGUE = load(DATA / "catalogue.toml", Catalogue)


def _bilingual(name: str, text: Text | None) -> dict[str, str]:
    return {
        f"{name}_fr": text.fr if text is not None else "",
        f"{name}_en": text.en if text is not None else "",
    }


def _ensure[M: models.Model](model: type[M], lookup: dict[str, Any], fields: dict[str, Any]) -> M:
    """The object `lookup` finds (or a new one) holding `fields`, checked and saved when it
    did not already hold them."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup)
    elif all(getattr(instance, name) == value for name, value in fields.items()):
        return instance
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


def _ensure_attribute(service: RequestService, order: int, record: AttributeRecord) -> None:
    values = [
        {"key": choice.key, "name_fr": choice.name.fr, "name_en": choice.name.en}
        for choice in record.values
    ]
    _ensure(
        ServiceAttribute,
        {"service": service, "code": record.code},
        {
            "order": order,
            "kind": record.kind,
            "required": record.required,
            **_bilingual("description", record.description),
            **_bilingual("hint", record.hint),
            "values": values,
        },
    )


def seed_catalogue() -> list[RequestService]:
    """The demo's themes, services and questions, as the data file describes them."""
    groups = {
        record.slug: _ensure(
            ServiceGroup,
            {"slug": record.slug},
            {**_bilingual("name", record.name), "position": position},
        )
        for position, record in enumerate(CATALOGUE.groups, start=1)
    }
    departments: dict[str, Department] = {}
    services = []
    positions = dict.fromkeys(groups, 0)
    for record in CATALOGUE.services:
        if record.department not in departments:
            departments[record.department] = Department.objects.get_or_create(
                name=record.department
            )[0]
        positions[record.group] += 1
        service = _ensure(
            RequestService,
            {"code": record.code},
            {
                **_bilingual("name", record.name),
                **_bilingual("description", record.description),
                **_bilingual("keywords", record.keywords),
                "group": groups[record.group],
                "department": departments[record.department],
                "target_days": record.target_days,
                "location": record.location,
                "photo": record.photo,
                "public": record.public,
                "position": positions[record.group],
            },
        )
        for order, attribute in enumerate(record.attributes, start=1):
            _ensure_attribute(service, order, attribute)
        services.append(service)
    return services


def seed_boundary(site: Site) -> RequestSettings:
    """The demo's boundary on the site, unless it already has one."""
    request_settings: RequestSettings = RequestSettings.for_site(site)
    if not request_settings.boundary.strip():
        request_settings.boundary = BOUNDARY_PATH.read_text()
        request_settings.full_clean()
        request_settings.save(update_fields=["boundary"])
    return request_settings


def seed(report: list[str]) -> None:
    services = seed_catalogue()
    site = Site.objects.get(is_default_site=True)
    polygons = parse_boundary(seed_boundary(site).boundary)
    points = sum(len(ring) - 1 for polygon in polygons for ring in polygon)
    report.append(
        f"Citizen requests: {len(services)} services in {len(CATALOGUE.groups)} themes, "
        f"{ServiceAttribute.objects.count()} questions; the city's boundary has {points} points."
    )
