"""Reads of the clerk's desk in /gestion/requetes/: the triage queue with its filters, sorting
and pages, and one request with everything the desk may read of it.

Who sees what (rules.py, docs/roles.md): administrators and clerks see every request; a
department manager sees the requests of the departments they manage (`Department.managers`,
with the department manager role), and nothing else; anyone else sees none. The queue's
query count does not depend on the number of requests: the service, its theme, the
department and the agent come in the same query, and the voices are counted by a subquery.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from agora.accounts.models import Department, User
from agora.accounts.reach import staff_reach
from agora.accounts.roles import GROUP_NAMES, Role
from agora.accounts.rules import is_administrator, is_clerk
from agora.citizen_requests.boundary import parse_districts
from agora.citizen_requests.models import (
    OPEN_STATUSES,
    CitizenRequest,
    EventKind,
    RequestEvent,
    RequestPhoto,
    RequestService,
    RequestSettings,
    RequestStatus,
    RequestSupporter,
    ServiceGroup,
)
from agora.citizen_requests.selectors import Answer, answers_of, normalized_tracking_number

VIEW_DESK = "citizen_requests.view_desk"
HANDLE_REQUEST = "citizen_requests.handle_request"
QUEUE_PAGE_SIZE = 50

# The status filter: the open requests (the default), the closed ones, all, or one status.
OPEN = "ouvertes"
CLOSED = "fermees"
ALL = "toutes"
STATUS_GROUPS = (OPEN, CLOSED, ALL)

# The sorting of the queue.
OLDEST = "anciennes"
NEWEST = "recentes"
DUE = "echeance"
UPDATED = "mises-a-jour"
ORDERINGS: dict[str, tuple[str, ...]] = {
    OLDEST: ("created_at", "pk"),
    NEWEST: ("-created_at", "-pk"),
    DUE: ("due_at", "pk"),
    UPDATED: ("-updated_at", "-pk"),
}
SORT_LABELS = {
    OLDEST: gettext_lazy("Les plus anciennes d'abord"),
    NEWEST: gettext_lazy("Les plus récentes d'abord"),
    DUE: gettext_lazy("Échéance la plus proche d'abord"),
    UPDATED: gettext_lazy("Modifiées récemment d'abord"),
}
# The age filter: received more than this many days ago.
AGES = (7, 30, 90)


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is narrowed to. `department_id` and `without_department` exclude each
    other; `status` is one of STATUS_GROUPS or a RequestStatus."""

    service_id: int | None = None
    theme_id: int | None = None
    status: str = OPEN
    department_id: int | None = None
    without_department: bool = False
    district: str = ""
    older_than_days: int | None = None
    overdue: bool = False
    sort: str = OLDEST


# Who sees which requests -------------------------------------------------------------------


def sees_every_request(user: Any) -> bool:
    """Administrators and clerks work on every department's requests."""
    return bool(user.has_perm(VIEW_DESK)) and bool(is_administrator(user) or is_clerk(user))


def desk_requests(user: Any) -> QuerySet[CitizenRequest]:
    """The requests `user` sees at the desk: all of them for an administrator or a clerk,
    those of the departments they manage for a department manager, none for anyone else."""
    requests = CitizenRequest.objects.all()
    if not user.has_perm(VIEW_DESK):
        return requests.none()
    if sees_every_request(user):
        return requests
    return requests.filter(department_id__in=staff_reach(user).department_ids)


def desk_departments(user: Any) -> QuerySet[Department]:
    """The departments whose requests `user` sees: the queue's department filter offers
    these."""
    if sees_every_request(user):
        return Department.objects.all()
    if not user.has_perm(VIEW_DESK):
        return Department.objects.none()
    return Department.objects.filter(pk__in=staff_reach(user).department_ids)


# The queue -------------------------------------------------------------------------------


def _voices() -> Coalesce:
    counted = (
        RequestSupporter.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(voices=Count("pk"))
        .values("voices")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def overdue_q(now: datetime.datetime) -> Q:
    """An open request past its due date."""
    return Q(status__in=OPEN_STATUSES, due_at__lt=now)


def queue(
    user: Any, filters: QueueFilters, *, now: datetime.datetime | None = None
) -> QuerySet[CitizenRequest]:
    """The requests of the queue, filtered and sorted, with their service, theme, department,
    agent and `voice_count`: one query whatever their number."""
    now = now or timezone.now()
    requests = desk_requests(user)
    if filters.status == OPEN:
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif filters.status == CLOSED:
        requests = requests.exclude(status__in=OPEN_STATUSES)
    elif filters.status in RequestStatus.values:
        requests = requests.filter(status=filters.status)
    if filters.service_id is not None:
        requests = requests.filter(service_id=filters.service_id)
    if filters.theme_id is not None:
        requests = requests.filter(service__group_id=filters.theme_id)
    if filters.without_department:
        requests = requests.filter(department__isnull=True)
    elif filters.department_id is not None:
        requests = requests.filter(department_id=filters.department_id)
    if filters.district:
        requests = requests.filter(district=filters.district)
    if filters.older_than_days is not None:
        requests = requests.filter(
            created_at__lt=now - datetime.timedelta(days=filters.older_than_days)
        )
    if filters.overdue:
        requests = requests.filter(overdue_q(now))
    return (
        requests.select_related("service", "service__group", "department", "assignee")
        .annotate(voice_count=_voices())
        .order_by(*ORDERINGS.get(filters.sort, ORDERINGS[OLDEST]))
    )


@dataclass(frozen=True)
class QueueRow:
    request: CitizenRequest
    age_days: int
    overdue: bool
    voices: int


def queue_row(request: CitizenRequest, now: datetime.datetime) -> QueueRow:
    return QueueRow(
        request=request,
        age_days=max((now - request.created_at).days, 0),
        overdue=request.is_open and request.due_at < now,
        voices=getattr(request, "voice_count", 0),
    )


@dataclass(frozen=True)
class Choices:
    """What the queue's filters offer, read once per page."""

    services: list[tuple[int, str]]
    themes: list[tuple[int, str]]
    departments: list[tuple[int, str]]
    districts: list[str]


def filter_choices(user: Any) -> Choices:
    """The services, themes, departments and districts the filters offer `user` (four
    queries, whatever the number of requests)."""
    services = RequestService.objects.select_related("group").order_by(
        "group__position", "position", "name_fr"
    )
    # The districts the city set (RequestSettings), not a scan of every request's.
    setting = RequestSettings.objects.order_by("pk").first()
    districts = (
        sorted(name for name, _polygons in parse_districts(setting.districts))
        if setting is not None and setting.districts.strip()
        else []
    )
    return Choices(
        services=[(service.pk, service.name) for service in services],
        themes=[(theme.pk, theme.name) for theme in ServiceGroup.objects.all()],
        departments=[(department.pk, department.name) for department in desk_departments(user)],
        districts=list(districts),
    )


def possible_agents() -> QuerySet[User]:
    """Everyone a request may be assigned to in some department: the clerks and the
    administrators, and the members and managers of every department (active staff). The
    bulk assignment offers them; workflow.agents_for says who fits the department chosen."""
    desk_roles = [GROUP_NAMES[Role.CLERK], GROUP_NAMES[Role.ADMINISTRATOR]]
    return (
        User.objects.filter(
            Q(groups__name__in=desk_roles)
            | Q(departments__isnull=False)
            | Q(managed_departments__isnull=False),
            is_active=True,
            is_staff=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


# One request -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskEvent:
    """A line of the history, with the statuses of a status change by name."""

    event: RequestEvent
    status_before: str
    status_after: str


@dataclass(frozen=True)
class DeskRequest:
    """A request as the desk reads it: all of its history (internal notes included), all its
    photos (shown or not), its voices, and the requests merged into it."""

    request: CitizenRequest
    events: list[RequestEvent]
    photos: list[RequestPhoto]
    voices: int
    duplicates: list[CitizenRequest]
    answers: list[Answer] = field(default_factory=list)
    overdue: bool = False

    @property
    def history(self) -> list[DeskEvent]:
        return [
            DeskEvent(
                event=event,
                status_before=status_label(event.status_before) if event.status_before else "",
                status_after=(
                    status_label(event.status_after)
                    if event.kind == EventKind.STATUS and event.status_after
                    else ""
                ),
            )
            for event in self.events
        ]


def read_for_desk(request: CitizenRequest, *, now: datetime.datetime | None = None) -> DeskRequest:
    """Everything the desk reads of `request` (a handful of queries)."""
    now = now or timezone.now()
    return DeskRequest(
        request=request,
        events=list(request.events.select_related("author").order_by("created_at", "pk")),
        photos=list(request.photos.all()),
        voices=request.supporters.count(),
        duplicates=list(request.duplicates.order_by("created_at", "pk")),
        answers=answers_of(request),
        overdue=request.is_open and request.due_at < now,
    )


def request_by_tracking_number(number: str) -> CitizenRequest | None:
    """The request with this tracking number (any case, spaces around ignored), or None."""
    tracking = normalized_tracking_number(number)
    if not tracking:
        return None
    return CitizenRequest.objects.filter(tracking_number=tracking).first()


def status_label(status: str) -> str:
    return str(RequestStatus(status).label) if status in RequestStatus.values else status
