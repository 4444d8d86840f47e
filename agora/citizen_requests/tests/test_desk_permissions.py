"""Who may use the desk's screens (docs/roles.md), role by role over every address of
/gestion/requetes/: administrators and clerks handle every request, a department manager the
requests of the departments they manage; every other member of the team gets the staff area's
403 page, a resident the public refusal page, a visitor the login page, and nothing is
written for any of them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agora.accounts.models import Department, User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    client_of,
    department_manager,
    resident,
)
from agora.citizen_requests import workflow
from agora.citizen_requests.models import (
    CitizenRequest,
    ReplyTemplate,
    RequestEvent,
    RequestPhoto,
    RequestStatus,
)
from agora.citizen_requests.tests.desk_factories import clerk, request_of
from agora.citizen_requests.tests.test_follow_status import photo
from agora.core.models import AuditEntry
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db


@dataclass
class World:
    roads: Department
    parks: Department
    roads_manager: User
    parks_manager: User
    request: CitizenRequest  # of Voirie, with a photo
    duplicate: CitizenRequest  # of Voirie, merged into `request`
    closed: CitizenRequest  # of Voirie, resolved, reopened
    bulk: CitizenRequest  # of Voirie, assigned in bulk
    photo: RequestPhoto


@pytest.fixture
def world(home: HomePage) -> World:
    roads = DepartmentFactory.create(name="Voirie")
    parks = DepartmentFactory.create(name="Parcs")
    roads_manager = department_manager(roads, first_name="Rita", last_name="Route")
    request = request_of(roads, photos=[photo()])
    closed = request_of(roads)
    workflow.change_status(closed, status=RequestStatus.RESOLVED, actor=None)
    return World(
        roads=roads,
        parks=parks,
        roads_manager=roads_manager,
        parks_manager=department_manager(parks),
        request=request,
        duplicate=request_of(roads),
        closed=closed,
        bulk=request_of(roads),
        photo=RequestPhoto.objects.get(request=request),
    )


PEOPLE: dict[str, Callable[[World], User | None]] = {
    "administrator": lambda w: administrator(),
    "clerk": lambda w: clerk(),
    "manager of the request's department": lambda w: w.roads_manager,
    "manager of another department": lambda w: w.parks_manager,
    "project moderator": lambda w: UserFactory.create(roles=[Role.PROJECT_MODERATOR]),
    "elected official": lambda w: UserFactory.create(roles=[Role.ELECTED_OFFICIAL]),
    "resident": lambda w: resident(),
    "anonymous": lambda w: None,
}
HANDLE_EVERY_REQUEST = {"administrator", "clerk"}
HANDLE_THIS_REQUEST = HANDLE_EVERY_REQUEST | {"manager of the request's department"}
SEE_THE_QUEUE = HANDLE_THIS_REQUEST | {"manager of another department"}


def _url(name: str, *args: Any) -> str:
    return reverse(f"requests_desk:{name}", args=args)


def _screens(w: World) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(action, method, address, data) of every screen of the desk, in an order in which
    each act is still possible after the ones before it."""
    pk = w.request.pk
    return [
        ("queue", "get", _url("queue"), {}),
        ("request", "get", _url("detail", pk), {}),
        ("photo", "get", _url("photo", pk, w.photo.pk), {}),
        ("photo", "post", _url("photo_visibility", pk, w.photo.pk), {"visible": "1"}),
        (
            "note",
            "post",
            _url("note", pk),
            {"note-visibility": "interne", "note-text": "Vu.", "action": "enregistrer"},
        ),
        ("question", "post", _url("question", pk), {"question-question": "Quelle taille?"}),
        (
            "assign",
            "post",
            _url("assign", pk),
            {
                "attribution-department": str(w.roads.pk),
                "attribution-assignee": str(w.roads_manager.pk),
            },
        ),
        ("status", "post", _url("status", pk), {"etat-status": "in_progress"}),
        (
            "merge",
            "post",
            _url("merge", w.duplicate.pk),
            {"fusion-number": w.request.tracking_number},
        ),
        ("reopen", "post", _url("reopen", w.closed.pk), {"reouverture-note": "Revenu."}),
        (
            "bulk",
            "post",
            _url("queue"),
            {
                "demandes": [str(w.bulk.pk)],
                "department": str(w.roads.pk),
                "assignee": str(w.roads_manager.pk),
            },
        ),
    ]


def _state() -> tuple[Any, ...]:
    return (
        list(
            CitizenRequest.objects.order_by("pk").values_list(
                "status", "department_id", "assignee_id", "duplicate_of_id"
            )
        ),
        list(RequestPhoto.objects.values_list("shown", flat=True)),
        RequestEvent.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("role", PEOPLE)
def test_each_role_uses_exactly_the_desk_screens_its_rights_give(world: World, role: str) -> None:
    person = PEOPLE[role](world)
    client = client_of(person) if person is not None else Client()
    before = _state()
    wrong = []
    for action, method, url, data in _screens(world):
        response = getattr(client, method)(url, data)
        if person is None:
            expected, ok = (
                "the login page",
                response.status_code == 302
                and ("connexion" in response["Location"] or "login" in response["Location"]),
            )
        elif role in HANDLE_THIS_REQUEST or (action == "queue" and role in SEE_THE_QUEUE):
            expected = "the screen"
            ok = response.status_code == (200 if method == "get" else 302)
        elif action == "bulk" and role in SEE_THE_QUEUE:
            expected = "the queue refusing their choice"
            ok = response.status_code == 400
        else:
            expected, ok = "a 403", response.status_code == 403
        if not ok:
            wrong.append(
                f"{role}, {action} ({method} {url}): {response.status_code}, not {expected}"
            )
    assert not wrong, "\n".join(wrong)
    if role in HANDLE_THIS_REQUEST:
        assert CitizenRequest.objects.get(pk=world.request.pk).status == RequestStatus.IN_PROGRESS
        assert CitizenRequest.objects.get(pk=world.duplicate.pk).duplicate_of_id == world.request.pk
        assert CitizenRequest.objects.get(pk=world.closed.pk).status == RequestStatus.ACKNOWLEDGED
        assert CitizenRequest.objects.get(pk=world.bulk.pk).assignee_id == world.roads_manager.pk
    else:
        assert _state() == before


def test_a_manager_of_another_department_sees_none_of_these_requests_in_the_queue(
    world: World,
) -> None:
    html = client_of(world.parks_manager).get(_url("queue")).content.decode()
    for request in (world.request, world.duplicate, world.bulk):
        assert request.tracking_number not in html


@pytest.mark.parametrize("role", ["project moderator", "elected official"])
def test_the_refusal_is_the_staff_areas_page(world: World, role: str) -> None:
    person = PEOPLE[role](world)
    assert person is not None
    response = client_of(person).get(_url("detail", world.request.pk))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("administrator", True),
        ("clerk", True),
        ("manager of the request's department", True),
        ("manager of another department", True),
        ("project moderator", False),
        ("elected official", False),
    ],
)
def test_the_requests_menu_offers_the_queue_to_those_who_may_see_it(
    world: World, role: str, shown: bool
) -> None:
    person = PEOPLE[role](world)
    assert person is not None
    html = client_of(person).get(reverse("wagtailadmin_home")).content.decode()
    assert ('"url": "/gestion/requetes/"' in html) is shown


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("administrator", True),
        ("clerk", True),
        ("manager of the request's department", False),
        ("project moderator", False),
        ("elected official", False),
        ("resident", False),
    ],
)
def test_the_standard_replies_are_the_clerks_and_the_administrators(
    world: World, role: str, allowed: bool
) -> None:
    person = PEOPLE[role](world)
    assert person is not None
    client = client_of(person)
    template = ReplyTemplate.objects.create(title="Merci", body_fr="Merci.", body_en="Thanks.")
    data = {"title": "Passage", "body_fr": "Nous passons.", "body_en": "We come.", "position": 1}

    responses = [
        client.get(reverse("reply_templates:index")),
        client.post(reverse("reply_templates:add"), data),
        client.post(reverse("reply_templates:edit", args=[template.pk]), {**data, "title": "Vu"}),
        client.post(reverse("reply_templates:delete", args=[template.pk])),
    ]

    expected = [200, 302, 302, 302] if allowed else [403, 403, 403, 403]
    assert [response.status_code for response in responses] == expected
    if not allowed:
        assert list(ReplyTemplate.objects.values_list("title", flat=True)) == ["Merci"]
        assert not AuditEntry.objects.filter(object_type="citizen_requests.replytemplate").exists()
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert ('"url": "/gestion/requetes/reponses-types/"' in html) is allowed
