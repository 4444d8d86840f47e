"""What the drawer works with (the catalogue's services, the desk's people, the city's map),
what it draws (requests with their history and voices), and `save_drawn`, which writes them
with bulk_create."""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from agora.citizen_requests.boundary import District, Polygon
from agora.citizen_requests.demo_requests.texts import (
    REQUESTS_FILE,
    CommonTexts,
    RequestsFile,
    ServiceTexts,
)
from agora.citizen_requests.models import (
    AttributeKind,
    CitizenRequest,
    RequestEvent,
    RequestService,
    RequestStatus,
    RequestSupporter,
)

# Services whose target is this many days or fewer are handled any day, at any hour.
ON_CALL_TARGET_DAYS = 2


@dataclass(frozen=True)
class Question:
    code: str
    kind: str
    required: bool
    keys: tuple[str, ...]


@dataclass(frozen=True)
class DrawnService:
    """A service of the catalogue, as the drawer needs it."""

    pk: int
    code: str
    target_days: int
    public: bool
    department_id: int | None
    department_name: str
    questions: tuple[Question, ...]
    texts: ServiceTexts

    @property
    def on_call(self) -> bool:
        return self.target_days <= ON_CALL_TARGET_DAYS


def drawn_services(texts: RequestsFile = REQUESTS_FILE) -> list[DrawnService]:
    """The offered services that the file describes, with their questions (two queries)."""
    by_code = {service.code: service for service in texts.services}
    services = (
        RequestService.objects.filter(active=True, code__in=by_code)
        .select_related("department")
        .prefetch_related("attributes")
        .order_by("pk")
    )
    return [
        DrawnService(
            pk=service.pk,
            code=service.code,
            target_days=service.target_days,
            public=service.public,
            department_id=service.department_id,
            department_name=service.department.name if service.department else "",
            questions=tuple(
                Question(
                    code=attribute.code,
                    kind=attribute.kind,
                    required=attribute.required,
                    keys=tuple(str(value.get("key")) for value in attribute.values),
                )
                for attribute in service.attributes.all()
                if attribute.kind != AttributeKind.INFORMATION
            ),
            texts=by_code[service.code],
        )
        for service in services
    ]


@dataclass(frozen=True)
class Desk:
    """Who works the requests: `clerks` acknowledge, assign, reject, refer and merge;
    `agents` (by department id) are whom requests are assigned to, and who resolve them."""

    clerks: tuple[int, ...]
    agents: dict[int | None, tuple[int, ...]]
    names: dict[int, str]


def demo_desk(services: Sequence[DrawnService]) -> Desk:
    """The city's staff as workflow.agents_for sees them (the demo's team)."""
    from agora.accounts.models import Department, User
    from agora.accounts.roles import GROUP_NAMES, Role
    from agora.citizen_requests.workflow import agents_for

    clerks = list(
        User.objects.filter(
            groups__name=GROUP_NAMES[Role.CLERK], is_active=True, is_staff=True
        ).order_by("pk")
    ) or list(agents_for(None))
    agents: dict[int | None, tuple[int, ...]] = {}
    names = {user.pk: user.get_full_name() or user.email for user in clerks}
    departments = {service.department_id for service in services if service.department_id}
    for department in [*Department.objects.filter(pk__in=departments), None]:
        people = list(agents_for(department))
        agents[department.pk if department else None] = tuple(user.pk for user in people)
        names.update({user.pk: user.get_full_name() or user.email for user in people})
    return Desk(clerks=tuple(user.pk for user in clerks), agents=agents, names=names)


@dataclass(frozen=True)
class City:
    boundary: list[Polygon]
    districts: list[District]


@dataclass(slots=True)
class Event:
    kind: str
    at: datetime.datetime
    status_before: str = ""
    status_after: str = ""
    text: str = ""
    public: bool = False
    author: int | None = None


@dataclass(slots=True)
class Voice:
    participant: uuid.UUID
    at: datetime.datetime
    email: str


@dataclass(slots=True, eq=False)
class Drawn:
    """A request as drawn, with its history; `pk` is set once written."""

    tracking_number: str
    service: DrawnService
    created_at: datetime.datetime
    channel: str
    longitude: float
    latitude: float
    district: str
    address: str = ""
    description: str = ""
    answers: dict[str, object] = field(default_factory=dict)
    participant: uuid.UUID | None = None
    contact_email: str = ""
    contact_phone: str = ""
    token_hash: str = ""
    status: str = RequestStatus.NEW
    updated_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None
    assignee: int | None = None
    original: Drawn | None = None
    events: list[Event] = field(default_factory=list)
    voices: list[Voice] = field(default_factory=list)
    pk: int | None = None

    @property
    def due_at(self) -> datetime.datetime:
        return self.created_at + datetime.timedelta(days=self.service.target_days)

    @property
    def last_update(self) -> datetime.datetime:
        return self.updated_at or self.created_at


def made_up_email(rng: random.Random, common: CommonTexts) -> str:
    """An address at example.org, which no one receives mail at."""
    return f"{rng.choice(common.emails)}.{rng.randrange(1, 10000)}@example.org"


# Writing ----------------------------------------------------------------------------------


def save_drawn(batch: Sequence[Drawn]) -> tuple[int, int]:
    """Writes drawn requests with their history and voices, with `bulk_create`: the requests
    a batch repeats first (they are in it or were written before), then their duplicates.
    Returns the events and voices written."""
    for group in (
        [request for request in batch if request.original is None],
        [request for request in batch if request.original is not None],
    ):
        rows = [_request_row(request) for request in group]
        CitizenRequest.objects.bulk_create(rows, batch_size=500)
        for request, row in zip(group, rows, strict=True):
            request.pk = row.pk
    events = [
        RequestEvent(
            request_id=_written(request),
            kind=event.kind,
            status_before=event.status_before,
            status_after=event.status_after,
            text=event.text,
            public=event.public,
            author_id=event.author,
            created_at=event.at,
        )
        for request in batch
        for event in request.events
    ]
    RequestEvent.objects.bulk_create(events, batch_size=1000)
    voices = [
        RequestSupporter(
            request_id=_written(request),
            participant_id=voice.participant,
            contact_email=voice.email,
            created_at=voice.at,
        )
        for request in batch
        for voice in request.voices
    ]
    RequestSupporter.objects.bulk_create(voices, batch_size=1000)
    return len(events), len(voices)


def _written(request: Drawn) -> int:
    assert request.pk is not None, "written before its history"
    return request.pk


def _request_row(request: Drawn) -> CitizenRequest:
    service = request.service
    return CitizenRequest(
        tracking_number=request.tracking_number,
        service_id=service.pk,
        status=request.status,
        description=request.description,
        address=request.address,
        latitude=Decimal(f"{request.latitude:.6f}"),
        longitude=Decimal(f"{request.longitude:.6f}"),
        answers=request.answers,
        public=service.public,
        channel=request.channel,
        district=request.district,
        language="fr",
        participant_id=request.participant,
        contact_email=request.contact_email,
        contact_phone=request.contact_phone,
        follow_up_token_hash=request.token_hash,
        department_id=service.department_id,
        assignee_id=request.assignee,
        duplicate_of_id=_written(request.original) if request.original is not None else None,
        created_at=request.created_at,
        updated_at=request.last_update,
        due_at=request.due_at,
        closed_at=request.closed_at,
    )
