"""Ville de Démo's citizen requests: the catalogue of themes, services and their questions, in
French and in English, as demo_data/catalogue.toml describes it; the municipality's
boundary, demo_data/boundary.geojson, drawn around the demo's projects and ideas, and its six
districts, demo_data/districts.geojson, which tile it; and a year of requests residents
filed, with what the desk did about them (demo_requests/, from demo_data/requests.toml).

Idempotent: themes are found by slug, services by code, questions by service and code, and
brought back to what the file says (each checked with `full_clean()` first); an object that
already says so is not saved again. The boundary and the districts are set only while the
site has none, so those pasted by staff stay. Each service's department is found by name, or
created (the nuisance and animal by-laws go to "Urbanisme et environnement", which
agora/accounts/demo.py does not create). The year of requests is written once, into a city
that has no request yet: seeding again leaves the requests as they are, those filed since
included.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models
from django.utils import timezone
from wagtail.models import Site

from agora.accounts.models import Department, User
from agora.citizen_requests import demo_requests
from agora.citizen_requests.boundary import parse_boundary, parse_districts
from agora.citizen_requests.filing import sync_tracking_counters
from agora.citizen_requests.models import (
    CHOICE_KINDS,
    OPEN_STATUSES,
    AttributeKind,
    Channel,
    CitizenRequest,
    RequestService,
    RequestSettings,
    RequestStatus,
    Requirement,
    ServiceAttribute,
    ServiceGroup,
)
from agora.core.data_files import RecordError, Text, load
from agora.core.models import Participant

DATA = Path(__file__).with_name("demo_data")
BOUNDARY_PATH = DATA / "boundary.geojson"
DISTRICTS_PATH = DATA / "districts.geojson"
# The year of requests: the same every time it is drawn (at the same date).
REQUESTS_SEED = 311
# Residents who file from the web form and say "moi aussi"; some file several a year.
RESIDENTS = 700
RESIDENTS_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://ville-demo.test/requetes")
# Requests of the demo resident, filed while signed in: their account is
# agora/accounts/demo_data/people.toml's (not imported: accounts' demo builds pages).
RESIDENT_REQUESTS = 6
RESIDENT_EMAIL = "resident@ville-demo.test"


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


def seed_districts(site: Site) -> RequestSettings:
    """The demo's districts on the site, unless it already has some."""
    request_settings: RequestSettings = RequestSettings.for_site(site)
    if not request_settings.districts.strip():
        request_settings.districts = DISTRICTS_PATH.read_text()
        request_settings.full_clean()
        request_settings.save(update_fields=["districts"])
    return request_settings


def demo_residents() -> list[uuid.UUID]:
    return [uuid.uuid5(RESIDENTS_NAMESPACE, f"resident:{number}") for number in range(RESIDENTS)]


def seed_requests(request_settings: RequestSettings) -> int:
    """A year of requests, drawn once into a city without requests; how many were written
    (0 when the city had requests already)."""
    if CitizenRequest.objects.exists() or not request_settings.boundary.strip():
        return 0
    services = demo_requests.drawn_services()
    if not services:
        return 0
    now = timezone.now()
    residents = demo_residents()
    Participant.objects.bulk_create(
        [Participant(id=pk, created_at=now - datetime.timedelta(days=400)) for pk in residents],
        ignore_conflicts=True,
    )
    rng = random.Random(REQUESTS_SEED)  # noqa: S311 - made-up requests, not a secret
    drawer = demo_requests.RequestDrawer(
        services=services,
        city=demo_requests.City(
            boundary=parse_boundary(request_settings.boundary),
            districts=(
                parse_districts(request_settings.districts)
                if request_settings.districts.strip()
                else []
            ),
        ),
        desk=demo_requests.demo_desk(services),
        participants=residents,
        rng=rng,
        now=now,
    )
    texts = demo_requests.REQUESTS_FILE
    drawn = list(drawer.draw(texts.yearly_requests + texts.episode_requests))
    _give_to_the_demo_resident(drawn, rng)
    demo_requests.save_drawn(drawn)
    # Written without the counters: the next request filed takes the next number.
    sync_tracking_counters()
    return len(drawn)


def _give_to_the_demo_resident(drawn: list[demo_requests.Drawn], rng: random.Random) -> None:
    """A few requests filed by the demo resident while signed in, one of them still open,
    so that their account lists them."""
    resident = User.objects.filter(email=RESIDENT_EMAIL).first()
    if resident is None:
        return
    participant, _created = Participant.objects.get_or_create(user=resident)
    filed = [
        request
        for request in drawn
        if request.channel == Channel.WEB and request.original is None and request.service.public
    ]
    still_open = [request for request in filed if request.status in OPEN_STATUSES]
    if not still_open:
        return
    chosen = {rng.choice(still_open[-50:]), *rng.sample(filed, RESIDENT_REQUESTS - 1)}
    for request in chosen:
        request.participant = participant.pk
        request.contact_email = resident.email


def requests_summary() -> str:
    requests = CitizenRequest.objects.all()
    now = timezone.now()
    open_requests = requests.filter(status__in=OPEN_STATUSES)
    districts = requests.exclude(district="").values("district").distinct().count()
    return (
        f"Citizen requests: {requests.count():,} requests in {districts} districts, "
        f"{open_requests.count():,} open ({open_requests.filter(due_at__lt=now).count():,} "
        f"overdue), {requests.filter(status=RequestStatus.DUPLICATE).count():,} merged, "
        f"{requests.filter(status=RequestStatus.REJECTED).count():,} rejected."
    )


def seed(report: list[str]) -> None:
    services = seed_catalogue()
    site = Site.objects.get(is_default_site=True)
    seed_boundary(site)
    request_settings = seed_districts(site)
    polygons = parse_boundary(request_settings.boundary)
    points = sum(len(ring) - 1 for polygon in polygons for ring in polygon)
    report.append(
        f"Citizen requests: {len(services)} services in {len(CATALOGUE.groups)} themes, "
        f"{ServiceAttribute.objects.count()} questions; the city's boundary has {points} points."
    )
    seed_requests(request_settings)
    report.append(requests_summary())
    seed_reply_templates()


def seed_reply_templates() -> list[Any]:
    """The desk's standard replies of the demo, in both languages (found by title)."""
    from agora.citizen_requests.models import ReplyTemplate

    replies = [
        (
            "Intervention prévue",
            "Merci de votre signalement. Une équipe a été avisée et interviendra dans les "
            "prochains jours, selon les priorités et la météo.",
            "Thank you for your report. A crew has been notified and will take care of it in "
            "the coming days, depending on priorities and the weather.",
        ),
        (
            "Problème réglé",
            "Merci de votre signalement. L'équipe est passée et le problème est réglé. "
            "Écrivez-nous de nouveau s'il réapparaît.",
            "Thank you for your report. The crew came by and the problem is fixed. Write to us "
            "again if it comes back.",
        ),
        (
            "Transmise à un autre organisme",
            "Merci de votre signalement. Ce problème relève d'un autre organisme, à qui nous "
            "l'avons transmis : il vous tiendra au courant de la suite.",
            "Thank you for your report. This matter is another body's responsibility: we have "
            "forwarded it to them, and they will keep you informed.",
        ),
    ]
    return [
        _ensure(
            ReplyTemplate,
            {"title": title},
            {"body_fr": body_fr, "body_en": body_en, "position": position},
        )
        for position, (title, body_fr, body_en) in enumerate(replies, start=1)
    ]
