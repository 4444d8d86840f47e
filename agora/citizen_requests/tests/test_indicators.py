"""The figures of the request indicators (indicators/figures.py and period.py), each checked against requests made by
hand: counts per theme, service, month, district and status, the median and 90th-percentile
resolution times, the share resolved by the due date, the backlog by age, the departments,
the choice of the period with its messages, and the minute-long cache. Every figure is
computed by the database, so the module runs on PostgreSQL too."""

import datetime
import itertools
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone, translation
from pytest_django import DjangoAssertNumQueries

from agora.accounts.models import Department
from agora.accounts.tests.team_factories import DepartmentFactory
from agora.citizen_requests.indicators.figures import (
    Tally,
    backlog,
    cached_indicators,
    indicators,
    per_department,
    per_district,
    per_month,
    per_service,
    per_status,
    per_theme,
    resolution,
)
from agora.citizen_requests.indicators.period import (
    IndicatorForm,
    Period,
    Scope,
    StaffIndicatorForm,
)
from agora.citizen_requests.models import CitizenRequest, RequestService, RequestStatus
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory, ThemeFactory
from agora.citizen_requests.tests.test_follow_status import file

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

# Monday 7 December 2026, 10 h in Montréal.
NOW = datetime.datetime(2026, 12, 7, 15, 0, tzinfo=datetime.UTC)
CLOCK = NOW
TODAY = datetime.date(2026, 12, 7)
YEAR = Scope(Period(datetime.date(2026, 1, 1), TODAY))
DAY = datetime.timedelta(days=1)

_numbers = itertools.count(1)


def local(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_default_timezone())


def made(
    service: RequestService,
    *,
    created: datetime.datetime,
    status: str = RequestStatus.NEW,
    closed: datetime.datetime | None = None,
    due_days: int = 10,
    **fields: Any,
) -> CitizenRequest:
    """A request as the desk would have left it, written directly (no filing, no history)."""
    number = next(_numbers)
    fields.setdefault("department", service.department)
    fields.setdefault("description", "Un problème.")
    return CitizenRequest.objects.create(
        tracking_number=f"R-{created.year}-{number:06d}",
        follow_up_token_hash=f"{number:064x}",
        service=service,
        status=status,
        created_at=created,
        updated_at=closed or created,
        due_at=created + due_days * DAY,
        closed_at=closed,
        **fields,
    )


def resolved(
    service: RequestService, *, closed: datetime.datetime, days: float, due_days: int = 5
) -> CitizenRequest:
    return made(
        service,
        created=closed - days * DAY,
        closed=closed,
        status=RequestStatus.RESOLVED,
        due_days=due_days,
    )


@pytest.fixture
def catalogue() -> dict[str, RequestService]:
    roads = ThemeFactory.create(name_fr="Voirie", name_en="Roads", position=1)
    collections = ThemeFactory.create(name_fr="Collectes", name_en="Collections", position=2)
    return {
        "pothole": ServiceFactory.create(group=roads, name_fr="Nid-de-poule", name_en="Pothole"),
        "lamp": ServiceFactory.create(group=roads, name_fr="Lampadaire éteint", name_en=""),
        "bin": ServiceFactory.create(group=collections, name_fr="Bac non ramassé"),
    }


def counts(tallies: list[Tally]) -> list[tuple[str, int]]:
    return [(tally.name, tally.count) for tally in tallies]


# The period ------------------------------------------------------------------------------


def test_the_default_period_is_the_twelve_calendar_months_up_to_today() -> None:
    period = Period.ending(TODAY)

    assert (period.start, period.end) == (datetime.date(2026, 1, 1), TODAY)
    assert period.months() == [datetime.date(2026, month, 1) for month in range(1, 13)]
    assert Period.ending(datetime.date(2027, 2, 28)).start == datetime.date(2026, 3, 1)


def test_the_period_runs_from_midnight_to_midnight_in_montreal(
    catalogue: dict[str, RequestService],
) -> None:
    pothole = catalogue["pothole"]
    # 23 h 59 on 31 December 2025 in Montréal is 4 h 59 UTC on 1 January.
    made(pothole, created=datetime.datetime(2026, 1, 1, 4, 59, tzinfo=datetime.UTC))
    made(pothole, created=datetime.datetime(2026, 1, 1, 5, 0, tzinfo=datetime.UTC))
    made(pothole, created=local(2026, 1, 31, 23))
    made(pothole, created=local(2026, 2, 1, 0))

    scope = Scope(Period(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)))

    assert counts(per_service(scope)) == [("Nid-de-poule", 2)]
    assert [(m.month, m.count) for m in per_month(scope)] == [(datetime.date(2026, 1, 1), 2)]


# Counts ----------------------------------------------------------------------------------


def test_requests_are_counted_per_theme_and_service_without_duplicates_or_other_periods(
    catalogue: dict[str, RequestService],
) -> None:
    pothole, lamp, bin_ = catalogue["pothole"], catalogue["lamp"], catalogue["bin"]
    for day in (3, 4, 5):
        made(pothole, created=local(2026, 6, day))
    made(pothole, created=local(2026, 6, 6), status=RequestStatus.DUPLICATE, closed=NOW)
    made(pothole, created=local(2025, 12, 15))  # before the period
    made(lamp, created=local(2026, 7, 1), status=RequestStatus.REJECTED, closed=NOW)
    made(bin_, created=local(2026, 8, 1), public=False)  # private: counted all the same
    made(bin_, created=local(2026, 8, 2), status=RequestStatus.RESOLVED, closed=NOW)

    assert counts(per_theme(YEAR)) == [("Voirie", 4), ("Collectes", 2)]
    assert counts(per_service(YEAR)) == [
        ("Nid-de-poule", 3),
        ("Bac non ramassé", 2),
        ("Lampadaire éteint", 1),
    ]


def test_names_are_given_in_english_when_staff_wrote_them(
    catalogue: dict[str, RequestService],
) -> None:
    made(catalogue["pothole"], created=local(2026, 6, 3))
    made(catalogue["lamp"], created=local(2026, 6, 3))

    with translation.override("en"):
        assert counts(per_theme(YEAR)) == [("Roads", 2)]
        assert sorted(counts(per_service(YEAR))) == [("Lampadaire éteint", 1), ("Pothole", 1)]


def test_requests_are_counted_per_month_with_every_month_of_the_period(
    catalogue: dict[str, RequestService],
) -> None:
    pothole = catalogue["pothole"]
    made(pothole, created=local(2026, 1, 2))
    made(pothole, created=local(2026, 1, 30))
    made(pothole, created=local(2026, 3, 15))
    for hour in (1, 9, 23):
        made(pothole, created=local(2026, 12, 1, hour))

    months = per_month(YEAR)

    assert len(months) == 12
    assert [m.count for m in months] == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3]
    assert months[0].month == datetime.date(2026, 1, 1)


def test_requests_are_counted_per_district_those_without_one_last(
    catalogue: dict[str, RequestService],
) -> None:
    pothole = catalogue["pothole"]
    for district in ("Centre", "Centre", "Nord", "", "", ""):
        made(pothole, created=local(2026, 5, 1), district=district)

    assert [(t.name_fr, t.count) for t in per_district(YEAR)] == [
        ("Centre", 2),
        ("Nord", 1),
        ("", 3),
    ]


def test_open_and_closed_requests_are_counted_per_status_duplicates_apart(
    catalogue: dict[str, RequestService],
) -> None:
    pothole = catalogue["pothole"]
    created = local(2026, 4, 1)
    for status in (
        RequestStatus.NEW,
        RequestStatus.ACKNOWLEDGED,
        RequestStatus.IN_PROGRESS,
        RequestStatus.RESOLVED,
        RequestStatus.RESOLVED,
        RequestStatus.REJECTED,
        RequestStatus.REFERRED,
        RequestStatus.DUPLICATE,
    ):
        closed = None if status in ("new", "acknowledged", "in_progress") else NOW
        made(pothole, created=created, status=status, closed=closed)

    statuses, duplicates = per_status(YEAR)
    figures = indicators(YEAR)

    assert [(s.status, s.count) for s in statuses] == [
        ("new", 1),
        ("acknowledged", 1),
        ("in_progress", 1),
        ("resolved", 2),
        ("rejected", 1),
        ("referred", 1),
    ]
    assert duplicates == 1
    assert (figures.received, figures.still_open, figures.closed) == (7, 3, 4)


# Resolution times ------------------------------------------------------------------------


def test_the_median_and_ninetieth_percentile_are_over_requests_resolved_in_the_period(
    catalogue: dict[str, RequestService],
) -> None:
    pothole = catalogue["pothole"]
    for days in (1, 2, 3, 4):
        resolved(pothole, closed=local(2026, 6, 10), days=days)
    # Received before the period, resolved in it: counted.
    resolved(pothole, closed=local(2026, 1, 5), days=10)
    # Resolved before the period, refused, referred or a duplicate in it: not resolution times.
    resolved(pothole, closed=local(2025, 12, 20), days=1)
    for status in (RequestStatus.REJECTED, RequestStatus.REFERRED, RequestStatus.DUPLICATE):
        made(pothole, created=local(2026, 2, 1), closed=local(2026, 9, 1), status=status)

    figures = resolution(YEAR)

    assert (figures.resolved, figures.on_time) == (5, 4)
    assert figures.median == 3 * DAY
    # Between the 4th and 5th of five durations, 60 % of the way: 4 + 0.6 * 6 days.
    assert figures.ninetieth == datetime.timedelta(days=7, hours=14, minutes=24)
    assert figures.on_time_percent == 80.0


def test_percentiles_are_interpolated_between_the_two_nearest_durations(
    catalogue: dict[str, RequestService],
) -> None:
    pothole = catalogue["pothole"]
    for days in (4, 1, 3, 2):
        resolved(pothole, closed=local(2026, 6, 10), days=days)

    figures = resolution(YEAR)

    assert figures.median == datetime.timedelta(days=2, hours=12)
    assert figures.ninetieth == datetime.timedelta(days=3, hours=16, minutes=48)


def test_one_resolved_request_is_its_own_median_and_none_gives_no_figure(
    catalogue: dict[str, RequestService],
) -> None:
    nothing = resolution(YEAR)
    assert (nothing.resolved, nothing.median, nothing.ninetieth) == (0, None, None)
    assert nothing.on_time_percent is None

    resolved(catalogue["pothole"], closed=local(2026, 6, 10), days=6, due_days=5)
    one = resolution(YEAR)

    assert one.median == one.ninetieth == 6 * DAY
    assert (one.resolved, one.on_time, one.on_time_percent) == (1, 0, 0.0)


def test_a_request_resolved_exactly_at_its_due_date_is_on_time(
    catalogue: dict[str, RequestService],
) -> None:
    resolved(catalogue["pothole"], closed=local(2026, 6, 10), days=5, due_days=5)

    assert resolution(YEAR).on_time == 1


# The backlog -----------------------------------------------------------------------------


def test_the_backlog_counts_requests_open_now_by_age_whatever_the_period(
    catalogue: dict[str, RequestService],
) -> None:
    pothole = catalogue["pothole"]
    made(pothole, created=NOW - 2 * DAY)
    made(pothole, created=NOW - 11 * DAY, status=RequestStatus.ACKNOWLEDGED)
    made(pothole, created=NOW - 40 * DAY, status=RequestStatus.IN_PROGRESS, due_days=60)
    made(pothole, created=NOW - 100 * DAY)
    made(pothole, created=NOW - 400 * DAY)  # before the period: waiting all the same
    made(pothole, created=NOW - 50 * DAY, status=RequestStatus.RESOLVED, closed=NOW - DAY)

    waiting = backlog(Scope(Period(datetime.date(2026, 11, 1), TODAY)), NOW)

    assert waiting.open == 5
    assert waiting.ages == (1, 1, 1, 2)
    # Due 10 days after receipt, except the one given 60: three are late.
    assert waiting.overdue == 3
    assert waiting.oldest == NOW - 400 * DAY


def test_an_age_limit_falls_in_the_older_group(catalogue: dict[str, RequestService]) -> None:
    made(catalogue["pothole"], created=NOW - 7 * DAY)

    assert backlog(YEAR, NOW).ages == (0, 1, 0, 0)


# Narrowing -------------------------------------------------------------------------------


def test_a_theme_or_a_department_narrows_every_figure(
    catalogue: dict[str, RequestService],
) -> None:
    works = DepartmentFactory.create(name="Travaux publics")
    pothole, bin_ = catalogue["pothole"], catalogue["bin"]
    made(pothole, created=local(2026, 3, 1), department=works)
    made(pothole, created=NOW - DAY)
    resolved(pothole, closed=local(2026, 6, 10), days=2)
    made(bin_, created=local(2026, 3, 1), department=works)
    resolved(bin_, closed=local(2026, 6, 10), days=8)

    roads = Scope(YEAR.period, theme=pothole.group)
    by_works = Scope(YEAR.period, department=works)

    assert indicators(roads).received == 3
    assert resolution(roads).median == 2 * DAY
    assert backlog(roads, NOW).open == 2
    assert counts(per_service(by_works)) == [("Bac non ramassé", 1), ("Nid-de-poule", 1)]
    assert resolution(by_works).resolved == 0


def test_each_department_has_its_received_open_resolved_on_time_and_overdue_requests(
    catalogue: dict[str, RequestService],
) -> None:
    works = DepartmentFactory.create(name="Travaux publics")
    leisure = DepartmentFactory.create(name="Loisirs")
    pothole = catalogue["pothole"]
    made(pothole, created=local(2026, 3, 1), department=works)  # open, overdue
    made(pothole, created=local(2026, 3, 2), department=works, status=RequestStatus.DUPLICATE)
    made(pothole, created=local(2025, 3, 1), department=works)  # overdue, received before
    made(
        pothole,
        created=local(2026, 5, 1),
        closed=local(2026, 5, 3),
        status=RequestStatus.RESOLVED,
        department=works,
    )
    made(pothole, created=local(2026, 4, 1), department=leisure, status=RequestStatus.REJECTED)
    made(pothole, created=NOW - DAY, department=None)

    rows = per_department(YEAR, NOW)

    assert [
        (row.name, row.received, row.still_open, row.resolved, row.on_time, row.overdue)
        for row in rows
    ] == [
        ("Travaux publics", 2, 1, 1, 1, 2),
        ("Loisirs", 1, 0, 0, 0, 0),
        ("", 1, 1, 0, 0, 0),
    ]


def test_requests_filed_by_residents_are_counted_with_their_due_date(
    catalogue: dict[str, RequestService],
) -> None:
    filed = file(catalogue["pothole"])
    filed.request.status = RequestStatus.RESOLVED
    filed.request.closed_at = NOW + 3 * datetime.timedelta(hours=1)
    filed.request.save(update_fields=["status", "closed_at"])

    with time_machine.travel(NOW + datetime.timedelta(hours=3), tick=False):
        figures = indicators(YEAR)

    assert figures.received == 1
    assert figures.resolution.median == datetime.timedelta(hours=3)
    assert figures.resolution.on_time == 1


# The form ----------------------------------------------------------------------------------


def scope_of(**data: str) -> tuple[Scope, dict[str, list[str]]]:
    form = IndicatorForm(data)
    scope = form.scope()
    return scope, {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def test_without_dates_the_form_gives_the_last_twelve_months() -> None:
    scope, errors = scope_of()

    assert scope == YEAR
    assert errors == {}


def test_the_chosen_dates_give_the_period(catalogue: dict[str, RequestService]) -> None:
    theme = catalogue["pothole"].group

    scope, errors = scope_of(du="2025-03-15", au="2025-09-30", theme=theme.slug)

    assert errors == {}
    assert scope == Scope(Period(datetime.date(2025, 3, 15), datetime.date(2025, 9, 30)), theme)


def test_a_missing_date_is_filled_from_the_other() -> None:
    assert scope_of(au="2025-06-10")[0].period == Period(
        datetime.date(2024, 7, 1), datetime.date(2025, 6, 10)
    )
    assert scope_of(du="2026-11-01")[0].period == Period(datetime.date(2026, 11, 1), TODAY)


def test_dates_in_the_french_way_are_understood() -> None:
    assert scope_of(du="15/03/2025", au="30/09/2025")[0].period == Period(
        datetime.date(2025, 3, 15), datetime.date(2025, 9, 30)
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"du": "2026-13-45"}, "du", "Écrivez une date valide, par exemple 2026-01-31."),
        ({"au": "hier"}, "au", "Écrivez une date valide, par exemple 2026-12-31."),
        (
            {"du": "2026-06-01", "au": "2026-05-01"},
            "du",
            "La date de début ne peut pas suivre la date de fin.",
        ),
        ({"au": "2026-12-08"}, "au", "La date de fin ne peut pas être dans l'avenir."),
        ({"du": "2026-12-08"}, "du", "La date de début ne peut pas suivre la date de fin."),
        ({"du": "2021-12-06"}, "du", "Choisissez une période de cinq ans au plus."),
        ({"au": "1999-12-31"}, "au", "Choisissez une date à partir de 2000."),
        ({"du": "0001-01-01"}, "du", "Choisissez une date à partir de 2000."),
        ({"theme": "inconnu"}, "theme", "Choisissez un thème de la liste."),
    ],
)
def test_a_wrong_choice_is_said_and_the_last_twelve_months_are_shown(
    data: dict[str, str], field: str, message: str
) -> None:
    scope, errors = scope_of(**data)

    assert errors == {field: [message]}
    assert scope == YEAR


def test_five_years_exactly_is_allowed() -> None:
    scope, errors = scope_of(du="2021-12-07")

    assert errors == {}
    assert scope.period.start == datetime.date(2021, 12, 7)


def test_the_staff_form_narrows_to_a_department() -> None:
    works = DepartmentFactory.create(name="Travaux publics")

    form = StaffIndicatorForm({"service_municipal": str(works.pk)})
    wrong = StaffIndicatorForm({"service_municipal": "999999"})

    assert form.scope() == Scope(YEAR.period, department=works)
    assert wrong.scope() == YEAR
    assert wrong.errors == {"service_municipal": ["Choisissez un service municipal de la liste."]}
    assert isinstance(form.scope().department, Department)


# Queries and cache -----------------------------------------------------------------------


@pytest.mark.parametrize("many", [False, True])
def test_the_figures_take_the_same_few_queries_however_many_requests(
    catalogue: dict[str, RequestService],
    django_assert_max_num_queries: DjangoAssertNumQueries,
    many: bool,
) -> None:
    for index in range(40 if many else 4):
        service = list(catalogue.values())[index % 3]
        made(service, created=local(2026, 1 + index % 12, 1 + index % 28), district=f"Q{index % 5}")
        resolved(service, closed=local(2026, 6, 10), days=1 + index % 9)

    with django_assert_max_num_queries(10):
        indicators(YEAR, departments=True)


def test_the_figures_are_kept_a_minute(
    catalogue: dict[str, RequestService], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    pothole = catalogue["pothole"]
    made(pothole, created=local(2026, 6, 1))
    assert cached_indicators(YEAR).received == 1
    made(pothole, created=local(2026, 6, 2))

    with django_assert_num_queries(0):
        assert cached_indicators(YEAR).received == 1
    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        assert cached_indicators(YEAR).received == 2


def test_another_choice_is_computed_on_its_own(catalogue: dict[str, RequestService]) -> None:
    pothole = catalogue["pothole"]
    made(pothole, created=local(2026, 6, 1))
    made(catalogue["bin"], created=local(2026, 6, 1))

    assert cached_indicators(YEAR).received == 2
    assert cached_indicators(Scope(YEAR.period, theme=pothole.group)).received == 1
    assert cached_indicators(YEAR, departments=True).received == 2


def test_coordinates_do_not_change_the_counts(catalogue: dict[str, RequestService]) -> None:
    made(
        catalogue["pothole"],
        created=local(2026, 6, 1),
        latitude=Decimal("45.391234"),
        longitude=Decimal("-73.515678"),
    )

    assert indicators(YEAR).received == 1
