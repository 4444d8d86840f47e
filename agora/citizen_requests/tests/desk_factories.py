"""People and requests as the desk's tests need them: clerks, requests of a department, a
"moi aussi" voice, and a request placed at a given age."""

import datetime
from typing import Any

from agora.accounts.models import Department, User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory
from agora.citizen_requests.models import (
    CitizenRequest,
    RequestService,
    RequestSupporter,
)
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory
from agora.citizen_requests.tests.test_follow_status import file
from agora.participation.tests.factories import ParticipantFactory


def clerk(**fields: Any) -> User:
    fields.setdefault("first_name", "Claire")
    fields.setdefault("last_name", "Préposée")
    return UserFactory.create(roles=[Role.CLERK], **fields)


def member_of(department: Department, **fields: Any) -> User:
    """An agent of the department: staff, member of it, without a role of the desk."""
    user = UserFactory.create(roles=[Role.PROJECT_MODERATOR], **fields)
    department.members.add(user)
    return user


def service_of(department: Department | None, **fields: Any) -> RequestService:
    fields.setdefault("target_days", 7)
    return ServiceFactory.create(department=department, **fields)


def request_of(
    department: Department | None = None,
    *,
    service: RequestService | None = None,
    **fields: Any,
) -> CitizenRequest:
    """A request filed on 7 December 2026 (test_follow_status.NOW), due a week later, in
    `department` (its service's)."""
    return file(service or service_of(department), **fields).request


def received(request: CitizenRequest, when: datetime.datetime, *, days: int = 7) -> None:
    """Places the request as received at `when`, due `days` later."""
    CitizenRequest.objects.filter(pk=request.pk).update(
        created_at=when, updated_at=when, due_at=when + datetime.timedelta(days=days)
    )
    request.refresh_from_db()


def voice(request: CitizenRequest, email: str = "", participant: Any = None) -> RequestSupporter:
    return RequestSupporter.objects.create(
        request=request,
        participant=participant or ParticipantFactory.create(),
        contact_email=email,
    )


def many_requests(
    count: int, service: RequestService, when: datetime.datetime, **fields: Any
) -> list[CitizenRequest]:
    """`count` requests of `service` received at `when`, written at once (the queue's tests
    need many; `file_request`'s checks are tested elsewhere)."""
    start = CitizenRequest.objects.count()
    return CitizenRequest.objects.bulk_create(
        CitizenRequest(
            tracking_number=f"R-2026-{start + number:06d}",
            service=service,
            department=service.department,
            description="Un lampadaire éteint.",
            follow_up_token_hash=f"{start + number:064d}",
            created_at=when,
            updated_at=when,
            due_at=when + datetime.timedelta(days=service.target_days),
            **fields,
        )
        for number in range(1, count + 1)
    )
