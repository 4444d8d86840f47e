"""The desk's workflow (agora/citizen_requests/workflow.py): every function moves a request
only along the workflow, refuses an illegal act with a readable reason and nothing written,
writes a line of history and an audit row with the old and new values, and tells the
requester and the followers once the transaction commits."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks

from agora.accounts.models import Department, User
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    department_manager,
)
from agora.citizen_requests import audit_actions, workflow
from agora.citizen_requests.models import (
    CitizenRequest,
    EventKind,
    RequestEvent,
    RequestPhoto,
    RequestStatus,
    RequestSupporter,
)
from agora.citizen_requests.tests.desk_factories import (
    clerk,
    member_of,
    request_of,
    service_of,
    voice,
)
from agora.citizen_requests.tests.test_follow_status import photo
from agora.citizen_requests.workflow import WorkflowError
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db

Capture = DjangoCaptureOnCommitCallbacks


@pytest.fixture
def agent() -> User:
    return clerk()


def _snapshot(request: CitizenRequest) -> tuple[Any, ...]:
    """What a refused act must leave as it was."""
    fresh = CitizenRequest.objects.get(pk=request.pk)
    return (
        fresh.status,
        fresh.department_id,
        fresh.assignee_id,
        fresh.duplicate_of_id,
        fresh.updated_at,
        fresh.closed_at,
        RequestEvent.objects.count(),
        AuditEntry.objects.count(),
        RequestSupporter.objects.count(),
    )


def _refused(act: Callable[[], Any], request: CitizenRequest, message: str) -> None:
    before = _snapshot(request)
    with pytest.raises(WorkflowError) as refusal:
        act()
    assert message in " ".join(refusal.value.messages)
    assert _snapshot(request) == before


def _recipients(outbox: list[Any]) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


# Status changes ---------------------------------------------------------------------------


def test_a_request_goes_from_new_to_acknowledged_to_in_progress_to_resolved(agent: User) -> None:
    request = request_of()

    for status in (RequestStatus.ACKNOWLEDGED, RequestStatus.IN_PROGRESS):
        workflow.change_status(request, status=status, actor=agent)
        assert request.status == status
        assert request.closed_at is None
    event = workflow.change_status(
        request, status=RequestStatus.RESOLVED, actor=agent, note="Le trou est bouché."
    )

    stored = CitizenRequest.objects.get(pk=request.pk)
    assert stored.status == RequestStatus.RESOLVED
    assert stored.closed_at is not None
    assert (event.kind, event.public, event.author) == (EventKind.STATUS, True, agent)
    assert (event.status_before, event.status_after) == (
        RequestStatus.IN_PROGRESS,
        RequestStatus.RESOLVED,
    )
    assert event.text == "Le trou est bouché."
    entries = AuditEntry.objects.filter(action=audit_actions.REQUEST_STATUS_CHANGED).order_by("pk")
    assert [(e.details["from"], e.details["to"]) for e in entries] == [
        ("new", "acknowledged"),
        ("acknowledged", "in_progress"),
        ("in_progress", "resolved"),
    ]
    assert entries.last().actor_id == agent.pk  # type: ignore[union-attr]


def test_the_moves_offered_are_the_legal_ones_in_the_workflows_order() -> None:
    request = request_of()
    assert workflow.allowed_moves(request) == [
        RequestStatus.ACKNOWLEDGED,
        RequestStatus.IN_PROGRESS,
        RequestStatus.RESOLVED,
        RequestStatus.REJECTED,
        RequestStatus.REFERRED,
    ]
    request.status = RequestStatus.IN_PROGRESS
    assert workflow.allowed_moves(request) == [
        RequestStatus.RESOLVED,
        RequestStatus.REJECTED,
        RequestStatus.REFERRED,
    ]
    request.status = RequestStatus.RESOLVED
    assert workflow.allowed_moves(request) == []


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (RequestStatus.NEW, RequestStatus.NEW),
        (RequestStatus.NEW, RequestStatus.DUPLICATE),
        (RequestStatus.IN_PROGRESS, RequestStatus.ACKNOWLEDGED),
        (RequestStatus.RESOLVED, RequestStatus.IN_PROGRESS),
        (RequestStatus.REJECTED, RequestStatus.RESOLVED),
        (RequestStatus.REFERRED, RequestStatus.ACKNOWLEDGED),
    ],
)
def test_an_illegal_move_is_refused_and_nothing_is_written(
    agent: User, start: str, target: str
) -> None:
    request = request_of()
    CitizenRequest.objects.filter(pk=request.pk).update(status=start)
    request.refresh_from_db()

    _refused(
        lambda: workflow.change_status(request, status=target, actor=agent, note="Pourquoi pas"),
        request,
        "ne peut pas passer à",
    )


def test_an_unknown_status_is_refused(agent: User) -> None:
    request = request_of()
    _refused(
        lambda: workflow.change_status(request, status="archived", actor=agent),
        request,
        "« archived »",
    )


@pytest.mark.parametrize("status", [RequestStatus.REJECTED, RequestStatus.REFERRED])
def test_rejecting_or_referring_needs_a_reason(agent: User, status: str) -> None:
    request = request_of()
    _refused(
        lambda: workflow.change_status(request, status=status, actor=agent, note="   "),
        request,
        "Écrivez la raison",
    )

    workflow.change_status(
        request, status=status, actor=agent, note="Relève du ministère des Transports."
    )

    assert CitizenRequest.objects.get(pk=request.pk).status == status
    entry = AuditEntry.objects.get(action=audit_actions.REQUEST_STATUS_CHANGED)
    assert entry.details["note"] == "Relève du ministère des Transports."


def test_a_note_longer_than_the_limit_is_refused(agent: User) -> None:
    request = request_of()
    _refused(
        lambda: workflow.change_status(
            request, status=RequestStatus.RESOLVED, actor=agent, note="x" * 4001
        ),
        request,
        "4001 caractères",
    )


def test_a_status_change_tells_the_requester_and_the_followers_with_an_address(
    agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    request = request_of()
    voice(request, "voisin@example.org")
    voice(request)  # no address: not told
    voice(request, "SUZANNE@example.org")  # the requester's own address: told once

    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_status(
            request, status=RequestStatus.RESOLVED, actor=agent, note="Le trou est bouché."
        )

    assert _recipients(mail.outbox) == ["suzanne@example.org", "voisin@example.org"]
    assert all("Le trou est bouché." in message.body for message in mail.outbox)


def test_nobody_is_told_before_the_transaction_commits(
    agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    request = request_of()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.change_status(request, status=RequestStatus.ACKNOWLEDGED, actor=agent)

    assert len(callbacks) == 1
    assert mail.outbox == []


# Reopening --------------------------------------------------------------------------------


def test_a_closed_request_is_reopened_with_a_reason(
    agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    request = request_of()
    workflow.change_status(request, status=RequestStatus.RESOLVED, actor=agent)

    with django_capture_on_commit_callbacks(execute=True):
        event = workflow.reopen(request, actor=agent, note="Le trou s'est rouvert.")

    stored = CitizenRequest.objects.get(pk=request.pk)
    assert (stored.status, stored.closed_at) == (RequestStatus.ACKNOWLEDGED, None)
    assert (event.status_before, event.status_after, event.public) == (
        RequestStatus.RESOLVED,
        RequestStatus.ACKNOWLEDGED,
        True,
    )
    entry = AuditEntry.objects.get(action=audit_actions.REQUEST_REOPENED)
    assert (entry.details["from"], entry.details["to"]) == ("resolved", "acknowledged")
    assert entry.details["note"] == "Le trou s'est rouvert."
    assert _recipients(mail.outbox) == ["suzanne@example.org"]


def test_an_open_request_is_not_reopened(agent: User) -> None:
    request = request_of()
    _refused(lambda: workflow.reopen(request, actor=agent, note="Encore"), request, "déjà ouverte")


def test_reopening_needs_a_reason(agent: User) -> None:
    request = request_of()
    workflow.change_status(request, status=RequestStatus.RESOLVED, actor=agent)
    _refused(lambda: workflow.reopen(request, actor=agent, note=""), request, "Écrivez la raison")


def test_a_reopened_duplicate_stops_pointing_at_the_original(agent: User) -> None:
    original, duplicate = request_of(), request_of()
    workflow.merge_duplicate(duplicate, into=original, actor=agent)

    workflow.reopen(duplicate, actor=agent, note="Ce n'était pas le même trou.")

    stored = CitizenRequest.objects.get(pk=duplicate.pk)
    assert (stored.status, stored.duplicate_of_id) == (RequestStatus.ACKNOWLEDGED, None)
    entry = AuditEntry.objects.get(action=audit_actions.REQUEST_REOPENED)
    assert entry.details["was_duplicate_of"] == original.pk


# Merging duplicates -------------------------------------------------------------------------


def test_a_duplicate_is_closed_into_the_original_and_its_voices_move(agent: User) -> None:
    original, duplicate = request_of(), request_of()
    shared = voice(original, "deja@example.org")
    voice(duplicate, "deja@example.org", participant=shared.participant)  # already there
    moved = voice(duplicate, "voisine@example.org")

    event = workflow.merge_duplicate(duplicate, into=original, actor=agent, note="Même trou.")

    stored = CitizenRequest.objects.get(pk=duplicate.pk)
    assert (stored.status, stored.duplicate_of_id) == (RequestStatus.DUPLICATE, original.pk)
    assert stored.closed_at is not None
    assert (event.status_after, event.text) == (RequestStatus.DUPLICATE, "Même trou.")
    assert set(original.supporters.values_list("pk", flat=True)) == {shared.pk, moved.pk}
    assert not duplicate.supporters.exists()
    note = RequestEvent.objects.get(request=original, kind=EventKind.INTERNAL_NOTE)
    assert duplicate.tracking_number in note.text
    assert not note.public
    entry = AuditEntry.objects.get(action=audit_actions.REQUEST_MERGED)
    assert entry.details == {
        "from": "new",
        "to": "duplicate",
        "note": "Même trou.",
        "into": original.tracking_number,
        "voices_moved": 1,
    }


def test_earlier_duplicates_follow_the_merge(agent: User) -> None:
    original, middle, first = request_of(), request_of(), request_of()
    workflow.merge_duplicate(first, into=middle, actor=agent)

    workflow.merge_duplicate(middle, into=original, actor=agent)

    assert set(original.duplicates.values_list("pk", flat=True)) == {middle.pk, first.pk}


def test_after_a_merge_the_original_tells_every_follower_of_both(
    agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    original = request_of(contact_email="premiere@example.org")
    duplicate = request_of(contact_email="seconde@example.org")
    voice(original, "voisin@example.org")
    voice(duplicate, "voisine@example.org")
    voice(duplicate)  # without an address

    with django_capture_on_commit_callbacks(execute=True):
        workflow.merge_duplicate(duplicate, into=original, actor=agent)
    # The merged request's requester, and its voice with an address, learn which request
    # they follow from now on.
    assert _recipients(mail.outbox) == ["seconde@example.org", "voisine@example.org"]
    assert all(original.tracking_number in message.body for message in mail.outbox)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_status(original, status=RequestStatus.RESOLVED, actor=agent, note="Réparé.")

    assert _recipients(mail.outbox) == [
        "premiere@example.org",
        "seconde@example.org",
        "voisin@example.org",
        "voisine@example.org",
    ]


def test_a_request_is_not_its_own_duplicate(agent: User) -> None:
    request = request_of()
    _refused(
        lambda: workflow.merge_duplicate(request, into=request, actor=agent),
        request,
        "d'elle-même",
    )


def test_a_closed_request_is_not_merged(agent: User) -> None:
    original, duplicate = request_of(), request_of()
    voice(duplicate, "voisine@example.org")
    workflow.change_status(duplicate, status=RequestStatus.RESOLVED, actor=agent)
    _refused(
        lambda: workflow.merge_duplicate(duplicate, into=original, actor=agent),
        duplicate,
        "Seule une requête ouverte",
    )


def test_nothing_is_merged_into_a_duplicate(agent: User) -> None:
    original, duplicate, third = request_of(), request_of(), request_of()
    workflow.merge_duplicate(duplicate, into=original, actor=agent)
    _refused(
        lambda: workflow.merge_duplicate(third, into=duplicate, actor=agent),
        third,
        "est elle-même un doublon",
    )


# Assignment -------------------------------------------------------------------------------


def test_a_request_is_given_to_a_department_and_one_of_its_agents(agent: User) -> None:
    roads, parks = DepartmentFactory.create(name="Voirie"), DepartmentFactory.create(name="Parcs")
    request = request_of(roads)
    gardener = member_of(parks, first_name="Gaby", last_name="Jardin")

    event = workflow.assign(request, actor=agent, department=parks, assignee=gardener)

    stored = CitizenRequest.objects.get(pk=request.pk)
    assert (stored.department_id, stored.assignee_id) == (parks.pk, gardener.pk)
    assert (request.department_id, request.assignee_id) == (parks.pk, gardener.pk)
    assert event is not None
    assert (event.kind, event.public) == (EventKind.ASSIGNED, False)
    assert event.text == "Parcs · Gaby Jardin"
    entry = AuditEntry.objects.get(action=audit_actions.REQUEST_ASSIGNED)
    assert entry.details == {
        "before": {"department": "Voirie", "assignee": ""},
        "after": {"department": "Parcs", "assignee": "Gaby Jardin"},
    }


def test_an_assignment_that_changes_nothing_writes_nothing(agent: User) -> None:
    roads = DepartmentFactory.create()
    request = request_of(roads)
    before = _snapshot(request)

    assert workflow.assign(request, actor=agent, department=roads) is None
    assert _snapshot(request) == before


def test_the_agent_must_work_for_the_department(agent: User) -> None:
    roads, parks = DepartmentFactory.create(), DepartmentFactory.create()
    request = request_of(roads)
    outsider = department_manager(parks, first_name="Paul", last_name="Parcs")
    _refused(
        lambda: workflow.assign(request, actor=agent, department=roads, assignee=outsider),
        request,
        "Paul Parcs ne travaille pas pour ce service municipal.",
    )


def test_a_person_who_left_is_not_assigned(agent: User) -> None:
    roads = DepartmentFactory.create()
    request = request_of(roads)
    gone = member_of(roads, first_name="Ancien", last_name="Employé")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    gone.refresh_from_db()

    _refused(
        lambda: workflow.assign(request, actor=agent, department=roads, assignee=gone),
        request,
        "ne travaille pas pour ce service municipal",
    )
    assert gone not in workflow.agents_for(roads)


def test_clerks_and_administrators_take_requests_of_any_department(agent: User) -> None:
    roads = DepartmentFactory.create()
    request = request_of(roads)
    admin = administrator()

    workflow.assign(request, actor=agent, department=roads, assignee=admin)
    workflow.assign(request, actor=agent, department=None, assignee=agent)

    stored = CitizenRequest.objects.get(pk=request.pk)
    assert (stored.department_id, stored.assignee_id) == (None, agent.pk)


def test_a_closed_request_is_not_assigned(agent: User) -> None:
    roads = DepartmentFactory.create()
    request = request_of()
    workflow.change_status(request, status=RequestStatus.RESOLVED, actor=agent)
    _refused(
        lambda: workflow.assign(request, actor=agent, department=roads),
        request,
        "rouvrez-la d'abord",
    )


def test_the_agents_of_a_department_are_its_people_and_the_desk(agent: User) -> None:
    roads, parks = DepartmentFactory.create(), DepartmentFactory.create()
    member = member_of(roads)
    manager = department_manager(roads)
    admin = administrator()
    department_manager(parks)
    UserFactory.create()  # a resident

    assert set(workflow.agents_for(roads)) == {agent, member, manager, admin}
    assert set(workflow.agents_for(None)) == {agent, admin}


def test_bulk_assignment_counts_what_changed_and_names_what_was_refused(agent: User) -> None:
    roads = DepartmentFactory.create()
    first, second, closed = request_of(), request_of(), request_of()
    workflow.assign(second, actor=agent, department=roads)
    workflow.change_status(closed, status=RequestStatus.RESOLVED, actor=agent)

    changed, refused = workflow.assign_many([first, second, closed], actor=agent, department=roads)

    assert (changed, refused) == (1, [closed.tracking_number])
    assert set(CitizenRequest.objects.filter(department=roads).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }


# Notes, questions, photos -------------------------------------------------------------------


def test_an_internal_note_is_kept_for_the_desk_only(
    agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    request = request_of()
    voice(request, "voisin@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        event = workflow.add_note(request, actor=agent, text="Voir avec la voirie.", public=False)

    assert (event.kind, event.public, event.author) == (EventKind.INTERNAL_NOTE, False, agent)
    assert mail.outbox == []
    assert not AuditEntry.objects.exists()


def test_a_public_reply_reaches_the_requester_and_the_followers(
    agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    request = request_of()
    voice(request, "voisin@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        event = workflow.add_note(request, actor=agent, text="Nous passons mardi.", public=True)

    assert (event.kind, event.public) == (EventKind.PUBLIC_NOTE, True)
    assert _recipients(mail.outbox) == ["suzanne@example.org", "voisin@example.org"]
    entry = AuditEntry.objects.get(action=audit_actions.REQUEST_PUBLIC_REPLY)
    assert entry.details == {"text": "Nous passons mardi."}


def test_an_empty_note_is_refused(agent: User) -> None:
    request = request_of()
    _refused(
        lambda: workflow.add_note(request, actor=agent, text="  ", public=True),
        request,
        "Écrivez la note",
    )


def test_a_question_goes_to_the_requester_alone(
    agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    request = request_of()
    voice(request, "voisin@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        event = workflow.ask_requester(request, actor=agent, question="Quelle profondeur?")

    assert (event.kind, event.public, event.text) == (
        EventKind.QUESTION,
        True,
        "Quelle profondeur?",
    )
    assert _recipients(mail.outbox) == ["suzanne@example.org"]
    assert AuditEntry.objects.get(action=audit_actions.REQUEST_QUESTION_ASKED).details == {
        "text": "Quelle profondeur?"
    }


def test_no_question_for_a_closed_request_nor_an_empty_one(agent: User) -> None:
    request = request_of()
    _refused(
        lambda: workflow.ask_requester(request, actor=agent, question=""),
        request,
        "Écrivez la question",
    )
    workflow.change_status(request, status=RequestStatus.RESOLVED, actor=agent)
    _refused(
        lambda: workflow.ask_requester(request, actor=agent, question="Toujours là?"),
        request,
        "Une requête fermée",
    )


def test_the_desk_shows_and_hides_a_photo_once(agent: User) -> None:
    request = request_of(photos=[photo()])
    found = RequestPhoto.objects.get(request=request)

    workflow.show_photo(found, actor=agent, shown=True)
    workflow.show_photo(found, actor=agent, shown=True)
    assert RequestPhoto.objects.get(pk=found.pk).shown
    workflow.show_photo(found, actor=agent, shown=False)

    assert not RequestPhoto.objects.get(pk=found.pk).shown
    assert list(AuditEntry.objects.order_by("pk").values_list("action", "details")) == [
        (audit_actions.REQUEST_PHOTO_SHOWN, {"photo": found.pk}),
        (audit_actions.REQUEST_PHOTO_HIDDEN, {"photo": found.pk}),
    ]


def test_the_workflow_acts_without_a_department(agent: User) -> None:
    request = request_of(service=service_of(None))
    assert request.department is None
    workflow.change_status(request, status=RequestStatus.ACKNOWLEDGED, actor=agent)
    assert Department.objects.count() == 0
