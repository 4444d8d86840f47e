"""The citizen requests part of `seed_demo`: a catalogue of themes and services with their
questions, complete in French and in English, each service handled by a demo department; the
municipality's boundary around every place the demo shows on a map, tiled by six districts;
and a year of requests (demo_requests/) whose histories follow the desk's workflow, spread
over the months, the districts and the themes, some overdue, merged or rejected; seeding
again changes nothing and duplicates nothing, and keeps a boundary and districts staff pasted.

The database tests read the demo city seeded once for the run (`demo_city`); each test's
changes are rolled back. The data file's own checks need no database."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from agora.accounts.demo import DEMO_RESIDENT_EMAIL
from agora.accounts.models import Department
from agora.citizen_requests.boundary import contains, district_of, parse_boundary, parse_districts
from agora.citizen_requests.demo import (
    CATALOGUE,
    DISTRICTS_PATH,
    RESIDENT_EMAIL,
    Catalogue,
    seed,
)
from agora.citizen_requests.demo_requests import DATA_PATH as REQUESTS_FILE_PATH
from agora.citizen_requests.demo_requests import REQUESTS_FILE, RequestsFile
from agora.citizen_requests.filing import file_request
from agora.citizen_requests.models import (
    CHOICE_KINDS,
    OPEN_STATUSES,
    AttributeKind,
    Channel,
    CitizenRequest,
    EventKind,
    RequestEvent,
    RequestService,
    RequestSettings,
    RequestStatus,
    RequestSupporter,
    ServiceAttribute,
    ServiceGroup,
)
from agora.citizen_requests.workflow import MOVES, _assignee_fits
from agora.core.data_files import DataFileError, load
from agora.ideas.models import Idea
from agora.participation.models import ProjectPage
from agora.surveys.models import Answer
from tests.databases import SeededDemo

pytestmark = pytest.mark.postgresql


@pytest.fixture
def demo(db: None, demo_city: SeededDemo) -> SeededDemo:
    return demo_city


def catalogue_rows() -> dict[str, list[Any]]:
    return {
        "themes": list(ServiceGroup.objects.order_by("pk").values()),
        "services": list(RequestService.objects.order_by("pk").values()),
        "questions": list(ServiceAttribute.objects.order_by("pk").values()),
        "departments": list(Department.objects.order_by("pk").values()),
    }


def demo_boundary() -> str:
    boundary: str = RequestSettings.for_site(Site.objects.get(is_default_site=True)).boundary
    return boundary


def demo_places() -> list[tuple[float, float]]:
    """Every point the demo places on a map: projects, ideas, survey answers."""
    located: list[QuerySet[Any]] = [
        ProjectPage.objects.filter(latitude__isnull=False),
        Idea.objects.filter(latitude__isnull=False),
        Answer.objects.filter(latitude__isnull=False),
    ]
    return [
        (float(longitude), float(latitude))
        for queryset in located
        for longitude, latitude in queryset.values_list("longitude", "latitude")
    ]


def test_the_catalogue_has_at_least_six_themes_and_sixteen_services(demo: SeededDemo) -> None:
    assert ServiceGroup.objects.count() >= 6
    assert RequestService.objects.filter(active=True).count() >= 16
    assert not ServiceGroup.objects.filter(services=None).exists()
    assert set(RequestService.objects.values_list("code", flat=True)) == {
        service.code for service in CATALOGUE.services
    }


def test_every_theme_and_service_reads_in_both_languages(demo: SeededDemo) -> None:
    for group in ServiceGroup.objects.all():
        assert group.name_fr
        assert group.name_en
    for service in RequestService.objects.all():
        assert service.name_fr
        assert service.name_en
        assert service.description_fr
        assert service.description_en
        assert service.keywords_fr
        assert service.keywords_en
        assert service.description_fr != service.description_en, service.code


def test_every_question_reads_in_both_languages_and_passes_its_checks(demo: SeededDemo) -> None:
    questions = ServiceAttribute.objects.select_related("service")

    assert questions.count() >= 20
    for question in questions:
        question.full_clean()
        assert question.description_fr
        assert question.description_en
        assert bool(question.hint_fr) == bool(question.hint_en), question.code
        for value in question.values:
            assert set(value) == {"key", "name_fr", "name_en"}
            assert value["name_fr"]
            assert value["name_en"]


def test_every_service_and_theme_passes_its_checks(demo: SeededDemo) -> None:
    for group in ServiceGroup.objects.all():
        group.full_clean()
    for service in RequestService.objects.all():
        service.full_clean()


def test_choice_keys_are_unique_within_each_question(demo: SeededDemo) -> None:
    choice_questions = ServiceAttribute.objects.filter(kind__in=CHOICE_KINDS)

    assert choice_questions.count() >= 10
    for question in choice_questions:
        keys = [value["key"] for value in question.values]
        assert len(keys) >= 2
        assert len(set(keys)) == len(keys), question.code


def test_the_catalogue_asks_every_kind_of_question(demo: SeededDemo) -> None:
    kinds = set(ServiceAttribute.objects.values_list("kind", flat=True))

    assert kinds == set(AttributeKind.values)


def test_the_pothole_asks_its_size_and_the_missed_collection_its_bin_and_date(
    demo: SeededDemo,
) -> None:
    pothole = RequestService.objects.get(code="nid-de-poule")
    missed = RequestService.objects.get(code="bac-non-ramasse")
    size = pothole.attributes.get(code="taille")

    assert size.kind == AttributeKind.SINGLE
    assert size.required
    assert size.value_name("moins-30-cm") == "Moins de 30 cm"
    assert {value["key"] for value in missed.attributes.get(code="type-bac").values} == {
        "dechets",
        "recyclage",
        "compost",
    }
    assert missed.attributes.get(code="date-collecte").kind == AttributeKind.DATETIME
    assert pothole.public
    assert pothole.group.slug == "voirie"


def test_a_noise_complaint_is_private_and_asks_no_photo(demo: SeededDemo) -> None:
    noise = RequestService.objects.get(code="bruit")

    assert not noise.public
    assert noise.photo == "none"
    assert noise.attributes.filter(kind=AttributeKind.INFORMATION).exists()


def test_the_graffiti_service_explains_private_property_without_asking(
    demo: SeededDemo,
) -> None:
    information = RequestService.objects.get(code="graffiti").attributes.get(
        kind=AttributeKind.INFORMATION
    )

    assert not information.variable
    assert not information.required
    assert "propriété privée" in information.description_fr


def test_every_service_is_handled_by_a_demo_department(demo: SeededDemo) -> None:
    services = RequestService.objects.select_related("department")

    assert not services.filter(department=None).exists()
    assert services.filter(department__name="Travaux publics").count() >= 10
    assert {service.department.name for service in services if service.department} >= {
        "Travaux publics",
        "Loisirs et culture",
    }


def test_the_desk_has_standard_replies_in_both_languages(demo: SeededDemo) -> None:
    from agora.citizen_requests.models import ReplyTemplate

    replies = list(ReplyTemplate.objects.all())

    assert len(replies) >= 3
    assert all(reply.body_fr and reply.body_en for reply in replies)


def test_seeding_again_writes_nothing(demo: SeededDemo) -> None:
    before = catalogue_rows()
    boundary = demo_boundary()

    with CaptureQueriesContext(connection) as queries:
        seed([])

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert catalogue_rows() == before
    assert demo_boundary() == boundary


def test_seeding_again_restores_what_was_removed_or_changed(demo: SeededDemo) -> None:
    before = catalogue_rows()
    # A service that received requests cannot be deleted: its questions can.
    ServiceAttribute.objects.filter(service__code="graffiti").delete()
    RequestService.objects.filter(code="graffiti").update(name_fr="Tags", target_days=99)
    ServiceGroup.objects.filter(slug="voirie").update(name_en="Roads")
    ServiceAttribute.objects.filter(code="taille", service__code="nid-de-poule").update(values=[])

    seed([])

    after = catalogue_rows()
    graffiti = RequestService.objects.get(code="graffiti")
    assert len(after["services"]) == len(before["services"])
    assert len(after["questions"]) == len(before["questions"])
    assert ServiceGroup.objects.get(slug="voirie").name_en == "Streets and sidewalks"
    assert ServiceAttribute.objects.get(code="taille", service__code="nid-de-poule").values
    assert (graffiti.name_fr, graffiti.target_days) == ("Graffiti", 15)
    assert graffiti.attributes.count() == 3


def test_seeding_reports_the_catalogue_and_the_requests(demo: SeededDemo) -> None:
    report: list[str] = []

    seed(report)

    assert report[0] == (
        f"Citizen requests: {len(CATALOGUE.services)} services in {len(CATALOGUE.groups)} "
        f"themes, {ServiceAttribute.objects.count()} questions; the city's boundary has 31 "
        "points."
    )
    assert report[0] in demo.output
    # The rest counts what is overdue now, which changes with the time of day.
    counted = f"Citizen requests: {CitizenRequest.objects.count():,} requests in 6 districts, "
    assert len(report) == 2
    assert report[1].startswith(counted)
    assert counted in demo.output


def test_the_boundary_contains_every_place_the_demo_shows(demo: SeededDemo) -> None:
    polygons = parse_boundary(demo_boundary())
    places = demo_places()
    outer = polygons[0][0]

    assert len(polygons) == 1
    assert 20 <= len(outer) - 1 <= 40
    assert len(places) >= 5
    for longitude, latitude in places:
        assert contains(polygons, longitude, latitude), (longitude, latitude)
    assert not contains(polygons, -73.5673, 45.5017)  # downtown Montréal


def test_seeding_again_keeps_a_boundary_staff_pasted(demo: SeededDemo) -> None:
    request_settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    pasted = '{"type": "Polygon", "coordinates": [[[-74, 45], [-73, 45], [-73, 46], [-74, 45]]]}'
    request_settings.boundary = pasted
    request_settings.save()

    seed([])

    assert demo_boundary() == pasted


def test_seeding_sets_the_boundary_again_once_staff_emptied_it(demo: SeededDemo) -> None:
    request_settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    seeded = request_settings.boundary
    request_settings.boundary = ""
    request_settings.save()

    seed([])

    assert demo_boundary() == seeded


# Districts ---------------------------------------------------------------------------------


def demo_districts() -> str:
    districts: str = RequestSettings.for_site(Site.objects.get(is_default_site=True)).districts
    return districts


def test_six_named_districts_tile_the_boundary(demo: SeededDemo) -> None:
    districts = parse_districts(demo_districts())
    boundary = parse_boundary(demo_boundary())
    points = [(-73.552 + 0.0005 * x, 45.371 + 0.0005 * y) for x in range(100) for y in range(76)]

    assert [name for name, _polygons in districts] == [
        "Vieux-Village",
        "Secteur de la gare",
        "Les Berges",
        "Domaine-des-Pins",
        "Haut-Village",
        "Parc industriel",
    ]
    for longitude, latitude in points:
        holding = [name for name, polygons in districts if contains(polygons, longitude, latitude)]
        inside = contains(boundary, longitude, latitude)
        assert len(holding) == (1 if inside else 0), (longitude, latitude, holding)
    assert district_of(districts, -73.5124, 45.3912) == "Les Berges"  # the riverside park
    assert district_of(districts, -73.5223, 45.3868) == "Vieux-Village"  # the community centre


def test_seeding_again_keeps_districts_staff_pasted(demo: SeededDemo) -> None:
    request_settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    pasted = DISTRICTS_PATH.read_text().replace("Parc industriel", "Zone industrielle")
    request_settings.districts = pasted
    request_settings.save()

    seed([])

    assert demo_districts() == pasted


# A year of requests --------------------------------------------------------------------------


def histories() -> dict[int, list[RequestEvent]]:
    found: dict[int, list[RequestEvent]] = defaultdict(list)
    for event in RequestEvent.objects.order_by("created_at", "pk"):
        found[event.request_id].append(event)
    return found


def test_the_city_has_two_thousand_requests_over_the_last_twelve_months(
    demo: SeededDemo,
) -> None:
    now = timezone.now()
    year_ago = now - datetime.timedelta(days=366)
    dates = list(CitizenRequest.objects.values_list("created_at", flat=True))
    months = {(now - date).days * 12 // 366 for date in dates}

    assert len(dates) >= 2000
    assert all(year_ago < date < now for date in dates)
    assert months == set(range(12))


def test_every_district_and_every_theme_has_requests(demo: SeededDemo) -> None:
    districts = {name for name, _polygons in parse_districts(demo_districts())}
    requests = CitizenRequest.objects.all()

    assert set(requests.values_list("district", flat=True)) == districts
    assert not ServiceGroup.objects.exclude(services__requests__isnull=False).exists()
    assert not RequestService.objects.filter(requests=None).exists()


def test_every_request_is_inside_the_boundary_in_its_district(demo: SeededDemo) -> None:
    boundary = parse_boundary(demo_boundary())
    districts = parse_districts(demo_districts())

    for longitude, latitude, district in CitizenRequest.objects.values_list(
        "longitude", "latitude", "district"
    ):
        assert isinstance(longitude, Decimal)
        assert isinstance(latitude, Decimal)
        assert contains(boundary, float(longitude), float(latitude)), (longitude, latitude)
        assert district_of(districts, float(longitude), float(latitude)) == district


def test_every_history_is_a_path_the_workflow_allows(demo: SeededDemo) -> None:
    """Filed "new", then only `workflow.MOVES`, merges (an open request becomes a duplicate)
    and reopenings (a closed one goes back to "acknowledged"); the request's status, closing
    date and last update are those its history leaves."""
    events_of = histories()
    requests = CitizenRequest.objects.select_related("service")

    for request in requests:
        events = events_of[request.pk]
        assert events[0].kind == EventKind.FILED
        assert (events[0].status_after, events[0].created_at) == ("new", request.created_at)
        status, closed_at, updated = RequestStatus.NEW, None, request.created_at
        for event in events[1:]:
            assert event.created_at <= timezone.now()
            if event.kind != EventKind.STATUS:
                continue
            assert event.public
            assert event.status_before == status, request.tracking_number
            after = event.status_after
            legal = (
                after in MOVES.get(status, frozenset())
                or (after == RequestStatus.DUPLICATE and status in OPEN_STATUSES)
                or (after == RequestStatus.ACKNOWLEDGED and status not in OPEN_STATUSES)
            )
            assert legal, (request.tracking_number, status, after)
            status = RequestStatus(after)
            closed_at = None if status in OPEN_STATUSES else event.created_at
        for event in events:
            if event.kind in (EventKind.STATUS, EventKind.PUBLIC_NOTE, EventKind.ASSIGNED):
                updated = max(updated, event.created_at)
        assert request.status == status, request.tracking_number
        assert request.closed_at == closed_at, request.tracking_number
        assert request.updated_at >= updated
        assert request.due_at == request.created_at + datetime.timedelta(
            days=request.service.target_days
        )
        assert request.department_id == request.service.department_id
        assert request.public == request.service.public


def test_some_open_requests_are_overdue_and_some_resolved_ones_were_late(
    demo: SeededDemo,
) -> None:
    now = timezone.now()
    open_requests = CitizenRequest.objects.filter(status__in=OPEN_STATUSES)
    resolved = CitizenRequest.objects.filter(status=RequestStatus.RESOLVED)
    late = [
        request
        for request in resolved
        if request.closed_at is not None and request.closed_at > request.due_at
    ]

    assert open_requests.filter(due_at__lt=now).count() >= 10
    assert open_requests.filter(due_at__gte=now).exists()
    assert 0.05 < len(late) / resolved.count() < 0.4
    assert not CitizenRequest.objects.filter(status__in=OPEN_STATUSES, closed_at__isnull=False)
    assert not CitizenRequest.objects.exclude(status__in=OPEN_STATUSES).filter(closed_at=None)


def test_resolution_times_are_drawn_around_each_service_target(demo: SeededDemo) -> None:
    for service in RequestService.objects.all():
        days = [
            (closed - created).total_seconds() / 86400
            for created, closed in service.requests.filter(
                status=RequestStatus.RESOLVED
            ).values_list("created_at", "closed_at")
            if closed is not None
        ]
        assert len(days) >= 10, service.code
        assert 0.2 * service.target_days < statistics.median(days) < service.target_days


def test_merged_requests_repeat_an_earlier_open_request_of_the_same_service_nearby(
    demo: SeededDemo,
) -> None:
    duplicates = CitizenRequest.objects.filter(duplicate_of__isnull=False).select_related(
        "duplicate_of"
    )
    events_of = histories()

    assert duplicates.count() >= 40
    assert duplicates.count() == CitizenRequest.objects.filter(status="duplicate").count()
    for duplicate in duplicates:
        original = duplicate.duplicate_of
        assert original is not None
        assert duplicate.status == RequestStatus.DUPLICATE
        assert original.status != RequestStatus.DUPLICATE
        assert original.service_id == duplicate.service_id
        assert original.created_at < duplicate.created_at
        assert original.latitude is not None
        assert duplicate.latitude is not None
        assert abs(original.latitude - duplicate.latitude) < Decimal("0.002")
        merged = events_of[duplicate.pk][-1]
        assert original.tracking_number in merged.text
        notes = [event.text for event in events_of[original.pk]]
        assert f"{duplicate.tracking_number} a été fusionnée dans cette requête." in notes
        assert original.updated_at >= merged.created_at
    assert not RequestSupporter.objects.filter(request__status=RequestStatus.DUPLICATE).exists()


def test_rejected_and_referred_requests_say_why_in_public(demo: SeededDemo) -> None:
    for status in (RequestStatus.REJECTED, RequestStatus.REFERRED):
        closed = CitizenRequest.objects.filter(status=status)
        reasons = RequestEvent.objects.filter(
            request__in=closed, kind=EventKind.STATUS, status_after=status, public=True
        ).exclude(text="")

        assert closed.count() >= 30
        assert reasons.values("request").distinct().count() == closed.count()
    assert RequestEvent.objects.filter(
        status_after=RequestStatus.REFERRED, text__contains="Hydro-Québec"
    ).exists()


def test_assigned_requests_went_to_someone_working_for_their_department(
    demo: SeededDemo,
) -> None:
    assigned = CitizenRequest.objects.exclude(assignee=None).select_related(
        "assignee", "department"
    )
    people = {}

    assert assigned.count() >= 500
    for request in assigned:
        assert request.assignee is not None
        key = (request.assignee_id, request.department_id)
        if key not in people:
            people[key] = _assignee_fits(request.assignee, request.department)
        assert people[key], request.tracking_number
    assert len({request.assignee_id for request in assigned}) >= 3
    assert RequestEvent.objects.filter(kind=EventKind.INTERNAL_NOTE, public=False).count() >= 100


def test_residents_file_mostly_from_the_web_and_leave_made_up_contacts(
    demo: SeededDemo,
) -> None:
    requests = CitizenRequest.objects.all()
    total = requests.count()
    emails = set(requests.exclude(contact_email="").values_list("contact_email", flat=True))
    phones = set(requests.exclude(contact_phone="").values_list("contact_phone", flat=True))

    assert 0.8 < requests.filter(channel=Channel.WEB).count() / total < 0.97
    assert not requests.filter(channel=Channel.API, participant__isnull=False).exists()
    assert len(emails) >= 200
    assert all(email.endswith("@example.org") or email == DEMO_RESIDENT_EMAIL for email in emails)
    assert all(phone.startswith("450 555-01") for phone in phones)
    assert requests.filter(participant__user__email=DEMO_RESIDENT_EMAIL).count() >= 5
    assert RESIDENT_EMAIL == DEMO_RESIDENT_EMAIL


def test_popular_public_requests_have_voices_added_while_open(demo: SeededDemo) -> None:
    supported = CitizenRequest.objects.annotate(voices=Count("supporters")).filter(voices__gt=0)

    assert supported.count() >= 50
    assert supported.filter(voices__gte=5).exists()
    assert not supported.filter(public=False).exists()
    for voice in RequestSupporter.objects.select_related("request"):
        request = voice.request
        assert request.created_at < voice.created_at
        assert voice.participant_id != request.participant_id
    assert RequestEvent.objects.filter(kind=EventKind.SUPPORTER).count() == (
        RequestSupporter.objects.count()
    )


def test_requests_come_in_their_season(demo: SeededDemo) -> None:
    def months(code: str) -> list[int]:
        dates = CitizenRequest.objects.filter(service__code=code).values_list(
            "created_at", flat=True
        )
        return [timezone.localtime(date).month for date in dates]

    snow = months("deneigement")
    potholes = months("nid-de-poule")
    drains = months("puisard-bouche")

    assert set(snow) <= {11, 12, 1, 2, 3, 4}
    assert sum(month in (3, 4) for month in potholes) > 3 * sum(
        month in (7, 8) for month in potholes
    )
    assert sum(month in (10, 11) for month in drains) > 2 * sum(month in (6, 7) for month in drains)


def test_tracking_numbers_follow_the_filing_order_and_a_new_request_takes_the_next(
    demo: SeededDemo,
) -> None:
    numbers = list(CitizenRequest.objects.order_by("created_at").values_list("tracking_number"))
    by_year: dict[str, list[int]] = defaultdict(list)
    for (number,) in numbers:
        _r, year, sequence = number.split("-")
        by_year[year].append(int(sequence))
    year = str(timezone.localtime().year)
    pothole = RequestService.objects.get(code="nid-de-poule")

    filed = file_request(
        service=pothole,
        description="Un nid-de-poule devant l'école.",
        address="12, rue des Pins",
        answers={"taille": "moins-30-cm", "emplacement": "voie"},
    )

    for sequences in by_year.values():
        assert sequences == list(range(1, len(sequences) + 1))
    assert filed.request.tracking_number == f"R-{year}-{len(by_year[year]) + 1:06d}"


def test_seeding_again_adds_no_request(demo: SeededDemo) -> None:
    counts = (
        CitizenRequest.objects.count(),
        RequestEvent.objects.count(),
        RequestSupporter.objects.count(),
    )

    seed([])

    assert counts == (
        CitizenRequest.objects.count(),
        RequestEvent.objects.count(),
        RequestSupporter.objects.count(),
    )


def test_the_requests_file_describes_every_service_of_the_catalogue_and_every_district() -> None:
    districts = {name for name, _polygons in parse_districts(DISTRICTS_PATH.read_text())}

    assert {service.code for service in REQUESTS_FILE.services} == {
        service.code for service in CATALOGUE.services
    }
    assert {streets.district for streets in REQUESTS_FILE.streets} == districts
    assert REQUESTS_FILE.yearly_requests + REQUESTS_FILE.episode_requests >= 2000


def test_a_service_referred_elsewhere_without_saying_where_is_refused_by_the_data_file(
    tmp_path: Path,
) -> None:
    text = (
        Path(REQUESTS_FILE_PATH)
        .read_text()
        .replace(
            'referred = ["Transmise au contrôle animalier',
            'former = ["Transmise au contrôle animalier',
        )
    )
    path = tmp_path / "requests.toml"
    path.write_text(text)

    with pytest.raises(DataFileError) as refused:
        load(path, RequestsFile)

    assert refused.value.key.startswith("services[")


def test_the_data_file_lists_each_service_code_once() -> None:
    codes = [service.code for service in CATALOGUE.services]

    assert len(set(codes)) == len(codes)


def catalogue_file(tmp_path: Path, service: str) -> Path:
    path = tmp_path / "catalogue.toml"
    path.write_text(
        'groups = [{ slug = "voirie", name = { fr = "Voirie", en = "Roads" } }]\n'
        "[[services]]\n"
        'code = "nid-de-poule"\n'
        'department = "Travaux publics"\n'
        "target_days = 5\n"
        'location = "required"\n'
        'photo = "optional"\n'
        'name = { fr = "Nid-de-poule", en = "Pothole" }\n'
        'description = { fr = "Un trou.", en = "A hole." }\n'
        'keywords = { fr = "trou", en = "hole" }\n' + service
    )
    return path


def test_a_service_in_an_unknown_theme_is_refused_by_the_data_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as refused:
        load(catalogue_file(tmp_path, 'group = "parcs"\n'), Catalogue)

    assert refused.value.key == "services[0].group"


def test_a_question_with_two_choices_of_the_same_key_is_refused_by_the_data_file(
    tmp_path: Path,
) -> None:
    question = (
        'group = "voirie"\n'
        "[[services.attributes]]\n"
        'code = "taille"\n'
        'kind = "singlevaluelist"\n'
        'description = { fr = "Taille?", en = "Size?" }\n'
        "values = [\n"
        '  { key = "petit", name = { fr = "Petit", en = "Small" } },\n'
        '  { key = "petit", name = { fr = "Grand", en = "Large" } },\n'
        "]\n"
    )

    with pytest.raises(DataFileError) as refused:
        load(catalogue_file(tmp_path, question), Catalogue)

    assert refused.value.key == "services[0].attributes[0].values"
