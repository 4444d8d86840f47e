"""The desk's triage queue (/gestion/requetes/): its filters, sorting and pages, what each
person sees in it (a department manager their departments' requests only), the overdue
requests marked in words, the bulk assignment, and a number of queries that does not grow
with the number of requests."""

import datetime
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries
from wagtail.models import Site

from agora.accounts.models import User
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    administrator,
    client_of,
    department_manager,
)
from agora.citizen_requests import audit_actions, desk_selectors, workflow
from agora.citizen_requests.desk_selectors import QueueFilters
from agora.citizen_requests.models import (
    Channel,
    CitizenRequest,
    RequestSettings,
    RequestStatus,
)
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory, ThemeFactory
from agora.citizen_requests.tests.desk_factories import (
    clerk,
    many_requests,
    member_of,
    received,
    request_of,
    service_of,
    voice,
)
from agora.citizen_requests.tests.test_districts import TWO_DISTRICTS
from agora.core.models import AuditEntry
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

CLOCK = datetime.datetime(2026, 12, 20, 15, 0, tzinfo=datetime.UTC)
QUEUE = "/gestion/requetes/"


def days_ago(days: int) -> datetime.datetime:
    return CLOCK - datetime.timedelta(days=days)


@pytest.fixture
def agent() -> User:
    return clerk()


@pytest.fixture
def desk(home: HomePage, agent: User) -> Client:
    return client_of(agent)


def page(response: Any) -> str:
    return unescape(response.content.decode())


def numbers(user: Any, **filters: Any) -> list[str]:
    """The tracking numbers of the queue, in its order."""
    return [
        request.tracking_number
        for request in desk_selectors.queue(user, QueueFilters(**filters), now=CLOCK)
    ]


def test_the_queue_is_at_its_address_and_named(desk: Client) -> None:
    assert reverse("requests_desk:queue") == QUEUE
    request = request_of()
    response = desk.get(QUEUE)
    assert response.status_code == 200
    html = page(response)
    assert "File des requêtes" in html
    assert reverse("requests_desk:detail", args=[request.pk]) in html
    assert '<caption id="queue-caption">1 requête</caption>' in html


# Filters ----------------------------------------------------------------------------------


def test_the_open_requests_show_by_default(agent: User) -> None:
    new, acknowledged, resolved, rejected = (request_of() for _ in range(4))
    workflow.change_status(acknowledged, status=RequestStatus.ACKNOWLEDGED, actor=agent)
    workflow.change_status(resolved, status=RequestStatus.RESOLVED, actor=agent)
    workflow.change_status(rejected, status=RequestStatus.REJECTED, actor=agent, note="Non.")

    assert set(numbers(agent)) == {new.tracking_number, acknowledged.tracking_number}
    assert set(numbers(agent, status=desk_selectors.CLOSED)) == {
        resolved.tracking_number,
        rejected.tracking_number,
    }
    assert len(numbers(agent, status=desk_selectors.ALL)) == 4
    assert numbers(agent, status=RequestStatus.REJECTED) == [rejected.tracking_number]


def test_the_queue_is_filtered_by_service_and_by_theme(agent: User) -> None:
    roads = ThemeFactory.create()
    pothole = ServiceFactory.create(group=roads)
    lamp = ServiceFactory.create(group=roads)
    bins = ServiceFactory.create()
    first, second, third = (
        request_of(service=pothole),
        request_of(service=lamp),
        request_of(service=bins),
    )

    assert numbers(agent, service_id=pothole.pk) == [first.tracking_number]
    assert set(numbers(agent, theme_id=roads.pk)) == {
        first.tracking_number,
        second.tracking_number,
    }
    assert numbers(agent, theme_id=bins.group_id) == [third.tracking_number]


def test_the_queue_is_filtered_by_department_or_its_absence(agent: User) -> None:
    roads, parks = DepartmentFactory.create(), DepartmentFactory.create()
    ours, theirs, nobodys = request_of(roads), request_of(parks), request_of(None)

    assert numbers(agent, department_id=roads.pk) == [ours.tracking_number]
    assert numbers(agent, without_department=True) == [nobodys.tracking_number]
    assert len(numbers(agent)) == 3
    assert theirs.tracking_number in numbers(agent, department_id=parks.pk)


def test_the_queue_is_filtered_by_district(agent: User) -> None:
    north, south = request_of(), request_of()
    CitizenRequest.objects.filter(pk=north.pk).update(district="Vieux-Village")
    CitizenRequest.objects.filter(pk=south.pk).update(district="Les Prés")

    settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    settings.districts = TWO_DISTRICTS
    settings.save()

    assert numbers(agent, district="Vieux-Village") == [north.tracking_number]
    # The districts the city set, whether requests were filed in them or not.
    assert desk_selectors.filter_choices(agent).districts == ["Les Prés", "Vieux-Village"]


def test_the_queue_is_filtered_by_age(agent: User) -> None:
    recent, week, month = request_of(), request_of(), request_of()
    received(recent, days_ago(2))
    received(week, days_ago(10))
    received(month, days_ago(40))

    assert set(numbers(agent, older_than_days=7)) == {
        week.tracking_number,
        month.tracking_number,
    }
    assert numbers(agent, older_than_days=30) == [month.tracking_number]


def test_the_overdue_filter_keeps_open_requests_past_their_due_date(agent: User) -> None:
    late, on_time, late_but_closed = request_of(), request_of(), request_of()
    received(late, days_ago(10), days=7)
    received(on_time, days_ago(2), days=7)
    received(late_but_closed, days_ago(10), days=7)
    workflow.change_status(late_but_closed, status=RequestStatus.RESOLVED, actor=agent)

    assert numbers(agent, overdue=True) == [late.tracking_number]
    assert numbers(agent, overdue=True, status=desk_selectors.ALL) == [late.tracking_number]


def test_the_filters_come_from_the_address(desk: Client) -> None:
    roads = DepartmentFactory.create(name="Voirie")
    ours, other = request_of(roads), request_of()
    received(ours, days_ago(10))
    received(other, days_ago(10))

    html = page(desk.get(QUEUE, {"departement": str(roads.pk), "en_retard": "on"}))

    assert ours.tracking_number in html
    assert other.tracking_number not in html
    assert f'<option value="{roads.pk}" selected>Voirie</option>' in html
    # The filters stay open once used; folded away otherwise, so that a phone shows the list.
    assert '<details class="desk-filter-box" open>' in html
    assert '<details class="desk-filter-box">' in page(desk.get(QUEUE))


def test_a_filter_value_that_is_not_offered_is_ignored(desk: Client) -> None:
    request = request_of()
    response = desk.get(
        QUEUE, {"service": "abc", "departement": "x", "anciennete": "-3", "tri": "bizarre"}
    )
    assert response.status_code == 200
    assert request.tracking_number in page(response)


# Sorting and pages ------------------------------------------------------------------------


def test_the_queue_is_sorted_as_asked(agent: User) -> None:
    first, second, third = request_of(), request_of(), request_of()
    received(first, days_ago(10), days=30)  # due in 20 days
    received(second, days_ago(5), days=1)  # due 4 days ago
    received(third, days_ago(1), days=10)  # due in 9 days
    CitizenRequest.objects.filter(pk=first.pk).update(updated_at=days_ago(0))

    a, b, c = first.tracking_number, second.tracking_number, third.tracking_number
    assert numbers(agent) == [a, b, c]  # the oldest first, by default
    assert numbers(agent, sort=desk_selectors.NEWEST) == [c, b, a]
    assert numbers(agent, sort=desk_selectors.DUE) == [b, c, a]
    assert numbers(agent, sort=desk_selectors.UPDATED) == [a, c, b]


def test_the_sort_comes_from_the_address(desk: Client) -> None:
    first, second = request_of(), request_of()
    received(first, days_ago(10))
    received(second, days_ago(1))

    html = page(desk.get(QUEUE, {"tri": desk_selectors.NEWEST}))

    assert html.index(second.tracking_number) < html.index(first.tracking_number)


def test_the_queue_shows_fifty_requests_a_page(desk: Client) -> None:
    service = service_of(None)
    many_requests(51, service, days_ago(3))

    first = page(desk.get(QUEUE))
    second = page(desk.get(QUEUE, {"p": "2"}))

    assert first.count('name="demandes"') == 50
    assert second.count('name="demandes"') == 1
    assert "R-2026-000051" in second
    assert "R-2026-000051" not in first
    assert "51 requêtes \N{EN DASH} page 2 de 2" in second


# What each person sees --------------------------------------------------------------------


def test_a_department_manager_sees_their_departments_requests_only(home: HomePage) -> None:
    roads, parks, lights = (
        DepartmentFactory.create(name=n) for n in ("Voirie", "Parcs", "Éclairage")
    )
    manager = department_manager(roads)
    lights.managers.add(manager)
    ours, also_ours, theirs, nobodys = (
        request_of(roads),
        request_of(lights),
        request_of(parks),
        request_of(None),
    )

    html = page(client_of(manager).get(QUEUE))

    assert ours.tracking_number in html
    assert also_ours.tracking_number in html
    assert theirs.tracking_number not in html
    assert nobodys.tracking_number not in html
    assert "Les requêtes des services municipaux que vous gérez" in html
    filters = html[html.index('<select name="departement"') :]
    assert ">Parcs</option>" not in filters[: filters.index("</select>")]
    # An address naming another department shows none of its requests.
    assert theirs.tracking_number not in page(
        client_of(manager).get(QUEUE, {"departement": str(parks.pk)})
    )


def test_administrators_and_clerks_see_every_request(agent: User) -> None:
    roads = DepartmentFactory.create()
    ours, nobodys = request_of(roads), request_of(None)
    for person in (agent, administrator()):
        assert set(numbers(person)) == {ours.tracking_number, nobodys.tracking_number}


def test_overdue_requests_are_marked_in_words_and_style(desk: Client) -> None:
    late, on_time = request_of(), request_of()
    received(late, days_ago(10), days=7)
    received(on_time, days_ago(1), days=7)

    html = page(desk.get(QUEUE))

    assert html.count('<strong class="desk-overdue">En retard</strong>') == 1
    assert 'class="desk-row--overdue"' in _row(html, late.tracking_number)
    assert "En retard" in _row(html, late.tracking_number)
    assert "desk-row--overdue" not in _row(html, on_time.tracking_number)
    assert "10 jours" in html


def _row(html: str, number: str) -> str:
    start = html.rindex("<tr", 0, html.index(f">{number}<"))
    return html[start : html.index("</tr>", start)]


def test_the_queue_counts_the_voices(desk: Client) -> None:
    request = request_of()
    voice(request)
    voice(request)
    assert "<td>2</td>" in page(desk.get(QUEUE))


def test_requests_that_came_through_the_api_are_marked_in_the_queue(desk: Client) -> None:
    from_the_web = request_of()
    from_an_application = request_of()
    CitizenRequest.objects.filter(pk=from_an_application.pk).update(channel=Channel.API)

    html = page(desk.get(QUEUE))

    rows = {
        number: html.split(number, 1)[1].split("</th>", 1)[0]
        for number in (from_the_web.tracking_number, from_an_application.tracking_number)
    }
    assert "API Open311" in rows[from_an_application.tracking_number]
    assert "API Open311" not in rows[from_the_web.tracking_number]


# Query count ------------------------------------------------------------------------------


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE, {"tri": desk_selectors.DUE}).status_code == 200
    return len(queries)


@pytest.mark.postgresql
@pytest.mark.parametrize("count", [5, 50])
def test_the_number_of_queries_does_not_depend_on_the_number_of_requests(
    home: HomePage, count: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    roads = DepartmentFactory.create()
    manager = department_manager(roads)
    for number in range(count):
        service = service_of(roads)
        [request] = many_requests(1, service, days_ago(number % 40))
        CitizenRequest.objects.filter(pk=request.pk).update(
            assignee=member_of(roads) if number % 2 else manager, district=f"Quartier {number % 3}"
        )
        voice(request)
    client = client_of(manager)
    client.get(QUEUE)  # the session and Wagtail's caches settle

    # 24 today (session, roles, menu, filters, count, page, forms): not one per request.
    with django_assert_max_num_queries(26):
        response = client.get(QUEUE, {"tri": desk_selectors.DUE})

    assert page(response).count('name="demandes"') == count


def test_five_and_fifty_requests_take_the_same_queries(home: HomePage, agent: User) -> None:
    service = service_of(DepartmentFactory.create())
    client = client_of(agent)
    many_requests(5, service, days_ago(3))
    client.get(QUEUE)
    few = _queries(client)
    many_requests(45, service, days_ago(3))

    assert _queries(client) == few


# Bulk assignment --------------------------------------------------------------------------


def test_the_requests_ticked_are_given_to_a_department_and_an_agent(desk: Client) -> None:
    roads = DepartmentFactory.create(name="Voirie")
    worker = member_of(roads, first_name="Rita", last_name="Route")
    first, second, untouched = request_of(), request_of(), request_of()

    response = desk.post(
        f"{QUEUE}?tri=recentes",
        {
            "demandes": [str(first.pk), str(second.pk)],
            "department": str(roads.pk),
            "assignee": str(worker.pk),
        },
        follow=True,
    )

    assert response.redirect_chain == [(f"{QUEUE}?tri=recentes", 302)]
    assert "2 requêtes attribuées." in page(response)
    assert set(
        CitizenRequest.objects.filter(department=roads, assignee=worker).values_list(
            "pk", flat=True
        )
    ) == {first.pk, second.pk}
    assert CitizenRequest.objects.get(pk=untouched.pk).department_id is None
    assert AuditEntry.objects.filter(action=audit_actions.REQUEST_ASSIGNED).count() == 2


def test_closed_requests_ticked_are_named_and_left_alone(desk: Client, agent: User) -> None:
    roads = DepartmentFactory.create()
    open_one, closed = request_of(), request_of()
    workflow.change_status(closed, status=RequestStatus.RESOLVED, actor=agent)

    response = desk.post(
        QUEUE,
        {"demandes": [str(open_one.pk), str(closed.pk)], "department": str(roads.pk)},
        follow=True,
    )

    html = page(response)
    assert "1 requête attribuée." in html
    assert f"Non attribuées, car fermées (rouvrez-les d'abord) : {closed.tracking_number}." in html
    assert CitizenRequest.objects.get(pk=closed.pk).department_id is None


def _nothing_assigned() -> tuple[int, int]:
    return (
        CitizenRequest.objects.exclude(department=None).count(),
        AuditEntry.objects.count(),
    )


def test_nothing_ticked_is_refused_with_a_message(desk: Client) -> None:
    roads = DepartmentFactory.create()
    request_of()

    response = desk.post(QUEUE, {"department": str(roads.pk)})

    assert response.status_code == 400
    assert "Cochez au moins une requête." in page(response)
    assert _nothing_assigned() == (0, 0)


def test_an_agent_outside_the_department_chosen_is_refused(desk: Client) -> None:
    roads, parks = DepartmentFactory.create(), DepartmentFactory.create()
    gardener = member_of(parks, first_name="Gaby", last_name="Jardin")
    request = request_of()

    response = desk.post(
        QUEUE,
        {"demandes": [str(request.pk)], "department": str(roads.pk), "assignee": str(gardener.pk)},
    )

    html = page(response)
    assert response.status_code == 400
    assert "Gaby Jardin" in html
    assert "ne travaille pas pour ce service municipal." in html
    assert f'id="choisir-{request.pk}" checked' in html
    assert _nothing_assigned() == (0, 0)


def test_a_manager_cannot_assign_another_departments_requests_in_bulk(home: HomePage) -> None:
    roads, parks = DepartmentFactory.create(), DepartmentFactory.create()
    manager = department_manager(roads)
    ours, theirs = request_of(roads), request_of(parks)

    response = client_of(manager).post(
        QUEUE, {"demandes": [str(ours.pk), str(theirs.pk)], "department": str(roads.pk)}
    )

    assert response.status_code == 400
    assert "Vous ne pouvez pas traiter certaines des requêtes cochées." in page(response)
    assert CitizenRequest.objects.get(pk=theirs.pk).department_id == parks.pk
    assert not AuditEntry.objects.exists()


def test_a_manager_passes_their_requests_to_another_department(home: HomePage) -> None:
    roads, parks = DepartmentFactory.create(), DepartmentFactory.create()
    manager = department_manager(roads)
    ours = request_of(roads)

    response = client_of(manager).post(
        QUEUE, {"demandes": [str(ours.pk)], "department": str(parks.pk)}
    )

    assert response.status_code == 302
    assert CitizenRequest.objects.get(pk=ours.pk).department_id == parks.pk


def test_the_departments_of_the_filters_are_those_in_reach(agent: User) -> None:
    roads, parks = DepartmentFactory.create(name="Voirie"), DepartmentFactory.create(name="Parcs")
    manager = department_manager(roads)
    assert [name for _pk, name in desk_selectors.filter_choices(manager).departments] == ["Voirie"]
    assert {name for _pk, name in desk_selectors.filter_choices(agent).departments} == {
        "Voirie",
        "Parcs",
    }
    assert set(desk_selectors.desk_departments(manager)) == {roads}
    assert parks not in desk_selectors.desk_departments(manager)
