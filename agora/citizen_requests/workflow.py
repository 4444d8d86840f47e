"""The desk's work on a request: one service function per act, the only code that changes a
request once it is filed.

The workflow has explicit states (models.RequestStatus):

    new ─► acknowledged ─► in progress ─► resolved
      └──────────┴──────────────┴───────► rejected (with a reason)
                                          duplicate of another request (merged)
                                          referred to another body (with its name)

A closed request (resolved, rejected, duplicate, referred) is reopened by `reopen`, with a
reason, and goes back to "acknowledged". Every function checks the move first and raises
`WorkflowError` (a message staff can read) with nothing written when it is illegal; otherwise
it writes the change, a line of the request's history and a row of the audit log in one
transaction, and tells the requester and everyone following the request (notifications.py)
once that transaction commits. The views check permissions (rules.py); these functions do
not, so that the demo and imports go through the same rules of the workflow.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import Department, User
from agora.accounts.roles import GROUP_NAMES, Role
from agora.citizen_requests import audit_actions
from agora.citizen_requests.models import (
    OPEN_STATUSES,
    CitizenRequest,
    EventKind,
    RequestEvent,
    RequestPhoto,
    RequestStatus,
    RequestSupporter,
)
from agora.citizen_requests.notifications import followers, notify_requester
from agora.core.audit import record

NOTE_MAX_LENGTH = 4000

# The moves the desk may make by changing a status (merging and reopening have their own
# functions: they change more than the status).
MOVES: dict[str, frozenset[str]] = {
    RequestStatus.NEW: frozenset(
        {
            RequestStatus.ACKNOWLEDGED,
            RequestStatus.IN_PROGRESS,
            RequestStatus.RESOLVED,
            RequestStatus.REJECTED,
            RequestStatus.REFERRED,
        }
    ),
    RequestStatus.ACKNOWLEDGED: frozenset(
        {
            RequestStatus.IN_PROGRESS,
            RequestStatus.RESOLVED,
            RequestStatus.REJECTED,
            RequestStatus.REFERRED,
        }
    ),
    RequestStatus.IN_PROGRESS: frozenset(
        {RequestStatus.RESOLVED, RequestStatus.REJECTED, RequestStatus.REFERRED}
    ),
}
# A status the requester must be told why: the public note is required.
NEEDS_A_REASON = frozenset({RequestStatus.REJECTED, RequestStatus.REFERRED})
CLOSED_STATUSES = frozenset(RequestStatus) - OPEN_STATUSES


class WorkflowError(ValidationError):
    """An act the workflow refuses, with a message staff can read; nothing was written."""


def allowed_moves(request: CitizenRequest) -> list[RequestStatus]:
    """The statuses `change_status` accepts for this request, in the workflow's order."""
    allowed = MOVES.get(request.status, frozenset())
    return [status for status in RequestStatus if status in allowed]


def _locked(request: CitizenRequest) -> CitizenRequest:
    # `of=("self",)`: the request's row only, not its service's (PostgreSQL would lock the
    # joined row too, making every act on requests of one service wait for the others).
    return (
        CitizenRequest.objects.select_for_update(of=("self",))
        .select_related("service")
        .get(pk=request.pk)
    )


def _note(text: str, *, required: bool = False) -> str:
    text = (text or "").strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise WorkflowError(
            _("Le texte compte %(count)d caractères : %(limit)d au plus."),
            params={"count": len(text), "limit": NOTE_MAX_LENGTH},
        )
    if required and not text:
        raise WorkflowError(_("Écrivez la raison : elle est envoyée au requérant."))
    return text


def _event(
    request: CitizenRequest,
    *,
    kind: str,
    actor: User | None,
    now: datetime.datetime,
    text: str = "",
    public: bool = False,
    status_before: str = "",
    status_after: str = "",
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        text=text,
        public=public,
        author=actor,
        status_before=status_before,
        status_after=status_after,
        created_at=now,
    )


def _tell_followers(request: CitizenRequest, event: RequestEvent) -> None:
    transaction.on_commit(lambda: notify_requester(request, event))


def _set_status(
    request: CitizenRequest,
    *,
    status: str,
    actor: User | None,
    note: str,
    now: datetime.datetime,
    action: str,
    details: dict[str, Any] | None = None,
) -> RequestEvent:
    before = request.status
    request.status = status
    request.updated_at = now
    request.closed_at = None if status in OPEN_STATUSES else now
    request.save(update_fields=["status", "updated_at", "closed_at", "duplicate_of"])
    event = _event(
        request,
        kind=EventKind.STATUS,
        actor=actor,
        now=now,
        text=note,
        public=True,
        status_before=before,
        status_after=status,
    )
    record(
        actor=actor,
        action=action,
        target=request,
        details={"from": before, "to": status, "note": note, **(details or {})},
    )
    _tell_followers(request, event)
    return event


@transaction.atomic
def change_status(
    request: CitizenRequest,
    *,
    status: str,
    actor: User | None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> RequestEvent:
    """Moves the request along the workflow with an optional public note (required to
    reject or refer: the reason, or the body it was referred to)."""
    locked = _locked(request)
    if status not in MOVES.get(locked.status, frozenset()):
        raise WorkflowError(
            _("Une requête « %(before)s » ne peut pas passer à « %(after)s »."),
            params={
                "before": RequestStatus(locked.status).label,
                "after": RequestStatus(status).label if status in RequestStatus else status,
            },
        )
    text = _note(note, required=status in NEEDS_A_REASON)
    event = _set_status(
        locked,
        status=status,
        actor=actor,
        note=text,
        now=now or timezone.now(),
        action=audit_actions.REQUEST_STATUS_CHANGED,
    )
    _refresh(request, locked)
    return event


@transaction.atomic
def reopen(
    request: CitizenRequest,
    *,
    actor: User | None,
    note: str,
    now: datetime.datetime | None = None,
) -> RequestEvent:
    """A closed request is taken up again ("acknowledged"), with the reason given to the
    requester; a duplicate stops pointing at the request it was merged into."""
    locked = _locked(request)
    if locked.status in OPEN_STATUSES:
        raise WorkflowError(_("Cette requête est déjà ouverte."))
    text = _note(note, required=True)
    merged_into = locked.duplicate_of_id
    locked.duplicate_of = None
    event = _set_status(
        locked,
        status=RequestStatus.ACKNOWLEDGED,
        actor=actor,
        note=text,
        now=now or timezone.now(),
        action=audit_actions.REQUEST_REOPENED,
        details={"was_duplicate_of": merged_into} if merged_into else None,
    )
    _refresh(request, locked)
    return event


@transaction.atomic
def merge_duplicate(
    request: CitizenRequest,
    *,
    into: CitizenRequest,
    actor: User | None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> RequestEvent:
    """`request` reports the same problem as `into`: it is closed as its duplicate, and
    everyone who followed it follows `into` from now on (its requester is told of `into`'s
    changes, its "moi aussi" voices move to `into`)."""
    if into.pk == request.pk:
        raise WorkflowError(_("Une requête ne peut pas être le doublon d'elle-même."))
    # Both rows locked in the order of their keys: two clerks merging crosswise wait.
    rows = {
        row.pk: row
        for row in CitizenRequest.objects.select_for_update(of=("self",))
        .select_related("service")
        .filter(pk__in=[request.pk, into.pk])
        .order_by("pk")
    }
    locked, target = rows[request.pk], rows[into.pk]
    if locked.status not in OPEN_STATUSES:
        raise WorkflowError(_("Seule une requête ouverte peut être fusionnée dans une autre."))
    if target.status == RequestStatus.DUPLICATE:
        raise WorkflowError(
            _("%(number)s est elle-même un doublon : fusionnez dans la requête d'origine."),
            params={"number": target.tracking_number},
        )
    text = _note(note)
    now = now or timezone.now()
    # Told of the merge before they follow `into`: the voices and the merged duplicates'
    # requesters (the requester is told by the status change itself).
    moved_followers = followers(locked)
    voices = RequestSupporter.objects.filter(request=locked).exclude(
        participant_id__in=RequestSupporter.objects.filter(request=target).values("participant_id")
    )
    moved = voices.update(request=target)
    RequestSupporter.objects.filter(request=locked).delete()
    # Earlier duplicates of this request now point at the one they are all about.
    CitizenRequest.objects.filter(duplicate_of=locked).update(duplicate_of=target)
    locked.duplicate_of = target
    event = _set_status(
        locked,
        status=RequestStatus.DUPLICATE,
        actor=actor,
        note=text,
        now=now,
        action=audit_actions.REQUEST_MERGED,
        details={"into": target.tracking_number, "voices_moved": moved},
    )
    if moved_followers:
        transaction.on_commit(lambda: notify_requester(locked, event, recipients=moved_followers))
    _event(
        target,
        kind=EventKind.INTERNAL_NOTE,
        actor=actor,
        now=now,
        text=str(_("%(number)s a été fusionnée dans cette requête."))
        % {"number": locked.tracking_number},
    )
    CitizenRequest.objects.filter(pk=target.pk).update(updated_at=now)
    _refresh(request, locked)
    return event


def _agents_q(department: Department | None) -> Q:
    """Who works on requests of `department`: its members and managers, the clerks and the
    administrators of the desk (who work for every department)."""
    desk = Q(groups__name__in=[GROUP_NAMES[Role.CLERK], GROUP_NAMES[Role.ADMINISTRATOR]])
    if department is not None:
        desk |= Q(departments=department) | Q(managed_departments=department)
    return desk


def _assignee_fits(assignee: User, department: Department | None) -> bool:
    """An agent is active staff (as `agents_for` offers them), or a superuser."""
    if not (assignee.is_active and assignee.is_staff):
        return False
    return assignee.is_superuser or (
        User.objects.filter(_agents_q(department), pk=assignee.pk).exists()
    )


def agents_for(department: Department | None) -> Iterable[User]:
    """Whom a request of `department` may be assigned to: its members and managers, the
    clerks and the administrators, active staff only, by name."""
    return (
        User.objects.filter(_agents_q(department), is_active=True, is_staff=True)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


@transaction.atomic
def assign(
    request: CitizenRequest,
    *,
    actor: User | None,
    department: Department | None,
    assignee: User | None = None,
    now: datetime.datetime | None = None,
) -> RequestEvent | None:
    """Gives the request to a department and, optionally, to one of its agents. None when
    nothing changes. A closed request is not reassigned."""
    locked = _locked(request)
    if locked.status not in OPEN_STATUSES:
        raise WorkflowError(_("Une requête fermée n'est plus attribuée : rouvrez-la d'abord."))
    if assignee is not None and not _assignee_fits(assignee, department):
        raise WorkflowError(
            _("%(person)s ne travaille pas pour ce service municipal."),
            params={"person": assignee.get_full_name() or assignee.email},
        )
    if locked.department_id == (department.pk if department else None) and (
        locked.assignee_id == (assignee.pk if assignee else None)
    ):
        return None
    now = now or timezone.now()
    before = {"department": str(locked.department or ""), "assignee": _name(locked.assignee)}
    after = {"department": str(department or ""), "assignee": _name(assignee)}
    locked.department = department
    locked.assignee = assignee
    locked.updated_at = now
    locked.save(update_fields=["department", "assignee", "updated_at"])
    text = " · ".join(value for value in after.values() if value)
    event = _event(locked, kind=EventKind.ASSIGNED, actor=actor, now=now, text=text)
    record(
        actor=actor,
        action=audit_actions.REQUEST_ASSIGNED,
        target=locked,
        details={"before": before, "after": after},
    )
    _refresh(request, locked)
    return event


def assign_many(
    requests: Iterable[CitizenRequest],
    *,
    actor: User | None,
    department: Department | None,
    assignee: User | None = None,
) -> tuple[int, list[str]]:
    """Bulk assignment from the queue: each request in its own transaction, so that one
    closed request does not hold back the others. Returns how many changed and the
    tracking numbers refused."""
    changed, refused = 0, []
    for request in requests:
        try:
            if assign(request, actor=actor, department=department, assignee=assignee):
                changed += 1
        except WorkflowError:
            refused.append(request.tracking_number)
    return changed, refused


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


@transaction.atomic
def add_note(
    request: CitizenRequest,
    *,
    actor: User | None,
    text: str,
    public: bool,
    now: datetime.datetime | None = None,
) -> RequestEvent:
    """An internal note (the desk alone reads it) or a public reply (on the status page,
    and sent to the requester and the followers)."""
    locked = _locked(request)
    body = _note(text)
    if not body:
        raise WorkflowError(_("Écrivez la note avant de l'enregistrer."))
    now = now or timezone.now()
    kind = EventKind.PUBLIC_NOTE if public else EventKind.INTERNAL_NOTE
    event = _event(locked, kind=kind, actor=actor, now=now, text=body, public=public)
    if public:
        locked.updated_at = now
        locked.save(update_fields=["updated_at"])
        record(
            actor=actor,
            action=audit_actions.REQUEST_PUBLIC_REPLY,
            target=locked,
            details={"text": body},
        )
        _tell_followers(locked, event)
    return event


@transaction.atomic
def ask_requester(
    request: CitizenRequest,
    *,
    actor: User | None,
    question: str,
    now: datetime.datetime | None = None,
) -> RequestEvent:
    """A question to the requester, who answers through their private link. Asked only of an
    open request someone can be reached about."""
    locked = _locked(request)
    if locked.status not in OPEN_STATUSES:
        raise WorkflowError(_("Une requête fermée ne reçoit plus de réponse du requérant."))
    body = _note(question)
    if not body:
        raise WorkflowError(_("Écrivez la question avant de l'envoyer."))
    now = now or timezone.now()
    event = _event(locked, kind=EventKind.QUESTION, actor=actor, now=now, text=body, public=True)
    locked.updated_at = now
    locked.save(update_fields=["updated_at"])
    record(
        actor=actor,
        action=audit_actions.REQUEST_QUESTION_ASKED,
        target=locked,
        details={"text": body},
    )
    _tell_followers(locked, event)
    return event


@transaction.atomic
def show_photo(photo: RequestPhoto, *, actor: User | None, shown: bool) -> None:
    """The desk lets the public see a photo of a request (or hides it again)."""
    locked = RequestPhoto.objects.select_for_update().get(pk=photo.pk)
    if locked.shown == shown:
        return
    locked.shown = shown
    locked.save(update_fields=["shown"])
    record(
        actor=actor,
        action=audit_actions.REQUEST_PHOTO_SHOWN if shown else audit_actions.REQUEST_PHOTO_HIDDEN,
        target=locked.request,
        details={"photo": locked.pk},
    )
    photo.shown = shown


def _refresh(request: CitizenRequest, locked: CitizenRequest) -> None:
    """The caller's object reads what was written."""
    for field in (
        "status",
        "updated_at",
        "closed_at",
        "duplicate_of_id",
        "department_id",
        "assignee_id",
    ):
        setattr(request, field, getattr(locked, field))
    for cached in ("duplicate_of", "department", "assignee"):
        request._state.fields_cache.pop(cached, None)
