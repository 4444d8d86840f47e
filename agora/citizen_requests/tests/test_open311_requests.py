"""Reading requests through Open311 (GET /open311/v2/requests and requests/<number>): the
standard's fields in XML and our schema in JSON, what a private request hides, the status
and its note, the filters (numbers, services, dates within 90 days, status) and pages, the
standard's 400 for each bad argument, and one query whatever the number of requests."""

import datetime
import gzip
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import DjangoAssertNumQueries, Settings

from agora.accounts.tests.team_factories import DepartmentFactory
from agora.citizen_requests import workflow
from agora.citizen_requests.filing import file_request
from agora.citizen_requests.models import (
    CitizenRequest,
    RequestPhoto,
    RequestService,
    RequestStatus,
)
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory
from agora.citizen_requests.tests.open311_support import (
    REQUEST_FIELDS,
    as_text,
    assert_fields,
    assert_matches,
    spark,
    xml_of,
)
from agora.core.tests.crafted_images import phone_photo

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 7, 15, 0, tzinfo=datetime.UTC)
CLOCK = NOW


@pytest.fixture
def pothole() -> RequestService:
    service: RequestService = ServiceFactory.create(
        code="nid-de-poule",
        name_fr="Nid-de-poule",
        name_en="Pothole",
        target_days=7,
        department=DepartmentFactory.create(name="Travaux publics"),
    )
    return service


@pytest.fixture
def neighbour() -> RequestService:
    """A private service: its requests are complaints about a neighbour."""
    service: RequestService = ServiceFactory.create(
        code="nuisance", name_fr="Nuisance", public=False
    )
    return service


def filed(service: RequestService, *, days_ago: float = 0, **fields: Any) -> CitizenRequest:
    values: dict[str, Any] = {
        "description": "Un trou profond devant le 12.",
        "address": "12, rue des Érables",
        "latitude": "45.390000",
        "longitude": "-73.515000",
        "contact_email": "suzanne@example.org",
        "contact_name": "Suzanne Tremblay",
    }
    values.update(fields)
    now = NOW - datetime.timedelta(days=days_ago)
    return file_request(service=service, now=now, **values).request


def _get(path: str, *, language: str = "") -> Any:
    headers = {"Accept-Language": language} if language else None
    return Client().get(f"/open311/v2/{path}", headers=headers)


def _json(path: str) -> Any:
    response = _get(path)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def _numbers(path: str) -> list[str]:
    return [request["service_request_id"] for request in _json(path)]


def _errors(path: str) -> list[str]:
    response = _get(path)
    assert response.status_code == 400, response.content
    errors = json.loads(response.content)
    assert_matches("errors", errors)
    return [error["description"] for error in errors]


# What a request shows ---------------------------------------------------------------------


def test_a_request_in_xml_has_the_standards_fields_in_order(pothole: RequestService) -> None:
    request = filed(pothole, media_url="https://photos.example.org/trou.jpg")

    root = xml_of(_get("requests.xml").content)

    assert root.tag == "service_requests"
    [entry] = root
    assert entry.tag == "request"
    assert_fields(entry, REQUEST_FIELDS)
    assert entry.findtext("service_request_id") == request.tracking_number
    assert entry.findtext("status") == "open"
    assert entry.findtext("service_code") == "nid-de-poule"
    assert entry.findtext("service_name") == "Nid-de-poule"
    assert entry.findtext("description") == "Un trou profond devant le 12."
    assert entry.findtext("agency_responsible") == "Travaux publics"
    assert entry.findtext("requested_datetime") == "2026-12-07T10:00:00-05:00"
    assert entry.findtext("expected_datetime") == "2026-12-14T10:00:00-05:00"
    assert entry.findtext("address") == "12, rue des Érables"
    assert (entry.findtext("lat"), entry.findtext("long")) == ("45.39", "-73.515")
    assert entry.findtext("media_url") == "https://photos.example.org/trou.jpg"


def test_a_request_in_json_follows_our_schema_with_the_same_values(
    pothole: RequestService,
) -> None:
    filed(pothole, media_url="https://photos.example.org/trou.jpg")

    requests = _json("requests.json")

    assert_matches("service_requests", requests)
    [request] = requests
    assert request["lat"] == 45.39
    assert request["service_notice"] is None
    assert spark(xml_of(_get("requests.xml").content)) == as_text(requests)


def test_the_requester_is_never_shown(pothole: RequestService) -> None:
    filed(pothole, contact_phone="450 555-0199")

    for fmt in ("xml", "json"):
        content = _get(f"requests.{fmt}").content.decode()
        assert "suzanne" not in content.lower()
        assert "Tremblay" not in content
        assert "555-0199" not in content


def test_a_private_request_shows_only_its_number_service_status_department_and_dates(
    neighbour: RequestService,
) -> None:
    neighbour.department = DepartmentFactory.create(name="Urbanisme")
    neighbour.save()
    request = filed(neighbour, media_url="https://photos.example.org/voisin.jpg")
    workflow.add_note(request, actor=None, text="Inspection prévue chez le voisin.", public=True)

    [shown] = _json("requests.json")

    assert shown["service_request_id"] == request.tracking_number
    assert (shown["service_code"], shown["status"]) == ("nuisance", "open")
    assert shown["agency_responsible"] == "Urbanisme"
    assert shown["requested_datetime"] == "2026-12-07T10:00:00-05:00"
    for hidden in ("description", "address", "lat", "long", "media_url", "status_notes"):
        assert shown[hidden] is None, hidden
    content = _get("requests.xml").content.decode()
    assert "Érables" not in content
    assert "voisin" not in content


def test_a_closed_request_is_closed_with_its_close_time_and_the_desks_note(
    pothole: RequestService,
) -> None:
    request = filed(pothole, days_ago=3)
    two_days_ago = NOW - datetime.timedelta(days=2)
    workflow.add_note(
        request, actor=None, text="L'équipe passera cette semaine.", public=True, now=two_days_ago
    )
    workflow.add_note(request, actor=None, text="Note interne : béton commandé.", public=False)
    workflow.change_status(
        request,
        status=RequestStatus.RESOLVED,
        actor=None,
        note="Trou rebouché.",
        now=NOW - datetime.timedelta(days=1),
    )
    other = filed(pothole)
    workflow.change_status(other, status=RequestStatus.ACKNOWLEDGED, actor=None)

    closed, still_open = (
        _json(f"requests.json?service_request_id={request.tracking_number}")[0],
        _json(f"requests.json?service_request_id={other.tracking_number}")[0],
    )

    assert closed["status"] == "closed"
    assert closed["status_notes"] == "Trou rebouché."
    assert closed["updated_datetime"] == "2026-12-06T10:00:00-05:00"
    assert still_open["status"] == "open"
    assert still_open["status_notes"] is None


def test_a_duplicate_or_a_rejection_is_closed(pothole: RequestService) -> None:
    request = filed(pothole)
    workflow.change_status(
        request, status=RequestStatus.REJECTED, actor=None, note="Terrain privé."
    )

    [shown] = _json("requests.json")

    assert (shown["status"], shown["status_notes"]) == ("closed", "Terrain privé.")


def test_a_photo_the_desk_showed_is_the_media_url_of_a_request_without_a_link(
    pothole: RequestService,
) -> None:
    request = filed(pothole)
    RequestPhoto.objects.create(
        request=request,
        image=SimpleUploadedFile("cache.jpg", phone_photo(), "image/jpeg"),
        shown=False,
    )
    shown = RequestPhoto.objects.create(
        request=request,
        image=SimpleUploadedFile("trou.jpg", phone_photo(), "image/jpeg"),
        shown=True,
    )

    [entry] = _json("requests.json")

    assert entry["media_url"].endswith(
        f"/fr/requetes/suivi/{request.tracking_number}/photos/{shown.pk}/"
    )
    assert entry["media_url"].startswith("http")


# Filters and pages ------------------------------------------------------------------------


def test_the_last_90_days_by_default_newest_first(pothole: RequestService) -> None:
    old = filed(pothole, days_ago=91)
    recent = filed(pothole, days_ago=89)
    today = filed(pothole)

    assert _numbers("requests.json") == [today.tracking_number, recent.tracking_number]
    assert old.tracking_number in _numbers("requests.json?start_date=2026-09-01")


def test_the_dates_filter_on_when_requests_were_filed(pothole: RequestService) -> None:
    in_october = filed(pothole, days_ago=60)
    in_november = filed(pothole, days_ago=30)
    filed(pothole)

    assert _numbers(
        "requests.json?start_date=2026-10-01T00:00:00Z&end_date=2026-10-31T23:59:59-04:00"
    ) == [in_october.tracking_number]
    assert _numbers("requests.json?start_date=2026-11-07&end_date=2026-11-07") == [
        in_november.tracking_number
    ]
    assert _numbers("requests.json?end_date=2026-11-30") == [
        in_november.tracking_number,
        in_october.tracking_number,
    ]


def test_the_service_and_status_filters_take_comma_lists(
    pothole: RequestService, neighbour: RequestService
) -> None:
    hole = filed(pothole)
    complaint = filed(neighbour)
    fixed = filed(pothole)
    workflow.change_status(fixed, status=RequestStatus.RESOLVED, actor=None)
    ServiceFactory.create(code="graffiti")

    assert _numbers("requests.json?service_code=nuisance") == [complaint.tracking_number]
    assert set(_numbers("requests.json?service_code=nid-de-poule,graffiti,inconnu")) == {
        hole.tracking_number,
        fixed.tracking_number,
    }
    assert _numbers("requests.json?status=closed") == [fixed.tracking_number]
    assert set(_numbers("requests.json?status=open")) == {
        hole.tracking_number,
        complaint.tracking_number,
    }
    assert len(_numbers("requests.json?status=open,closed")) == 3


def test_numbers_override_the_other_filters(pothole: RequestService) -> None:
    old = filed(pothole, days_ago=400)
    recent = filed(pothole)

    numbers = f"{old.tracking_number}, {recent.tracking_number.lower()},R-1,inconnu"

    assert set(_numbers(f"requests.json?service_request_id={numbers}&status=closed")) == {
        old.tracking_number,
        recent.tracking_number,
    }


def test_pages_follow_each_other_with_a_link_to_the_next(pothole: RequestService) -> None:
    requests = [filed(pothole, days_ago=days) for days in range(5)]

    first = _get("requests.json?page_size=2&status=open")
    last = _get("requests.json?page_size=2&page=3&status=open")

    assert [entry["service_request_id"] for entry in json.loads(first.content)] == [
        requests[0].tracking_number,
        requests[1].tracking_number,
    ]
    assert first["Link"] == '</open311/v2/requests.json?page_size=2&status=open&page=2>; rel="next"'
    assert [entry["service_request_id"] for entry in json.loads(last.content)] == [
        requests[4].tracking_number
    ]
    assert not last.has_header("Link")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("start_date=2026-01-01&end_date=2026-06-30", ["plus de 90 jours"]),
        ("start_date=2026-06-30T00:00:00Z&end_date=2026-06-01T00:00:00Z", ["précède"]),
        ("start_date=2026-06-01T00:00:00", ["fuseau horaire"]),
        ("end_date=hier", ["end_date : écrivez une date"]),
        ("end_date=2026-02-30", ["end_date : écrivez une date"]),
        ("start_date=0001-01-01T00:00:00-12:00", ["start_date : écrivez une date"]),
        ("status=ouverte", ["status :"]),
        ("page=0", ["page :"]),
        ("page_size=1001", ["page_size :"]),
        ("page=deux&status=pending", ["page :", "status :"]),
    ],
)
def test_each_bad_argument_is_the_standards_400(query: str, expected: list[str]) -> None:
    errors = _errors(f"requests.json?{query}")

    assert len(errors) == len(expected)
    for error, words in zip(errors, expected, strict=True):
        assert words in error


def test_90_days_on_the_calendar_are_accepted_across_a_time_change(
    pothole: RequestService,
) -> None:
    # From October to December, the clocks go back one hour in November.
    assert _get("requests.json?start_date=2026-10-01&end_date=2026-12-29").status_code == 200
    assert _get("requests.json?start_date=2026-10-01&end_date=2026-12-30").status_code == 400


def test_the_api_answers_in_the_language_asked_for(pothole: RequestService) -> None:
    english = _get("requests.xml?status=pending", language="en-CA,en;q=0.9")
    french = _get("requests.xml?status=pending")

    assert (english.status_code, english["Content-Language"]) == (400, "en")
    assert (french.status_code, french["Content-Language"]) == (400, "fr")
    assert "Accept-Language" in english["Vary"]


# One request ------------------------------------------------------------------------------


def test_one_request_is_a_list_of_one_in_both_formats(pothole: RequestService) -> None:
    request = filed(pothole)

    as_json = _json(f"requests/{request.tracking_number}.json")
    root = xml_of(_get(f"requests/{request.tracking_number.lower()}.xml").content)

    assert_matches("service_requests", as_json)
    assert [entry["service_request_id"] for entry in as_json] == [request.tracking_number]
    assert root.tag == "service_requests"
    assert_fields(root[0], REQUEST_FIELDS)
    assert spark(root) == as_text(as_json)


@pytest.mark.parametrize("number", ["R-2026-999999", "inconnu", "R-2026-000001.json"])
def test_an_unknown_request_is_the_standards_404(pothole: RequestService, number: str) -> None:
    filed(pothole)
    response = _get(f"requests/{number}.json")

    assert response.status_code == 404
    [error] = json.loads(response.content)
    assert error["code"] == 404


# Queries ----------------------------------------------------------------------------------


def test_a_list_is_one_query_whatever_its_length(
    pothole: RequestService,
    neighbour: RequestService,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    for days in range(30):
        request = filed(neighbour if days % 3 == 0 else pothole, days_ago=days)
        workflow.add_note(request, actor=None, text=f"Note {days}.", public=True)

    with django_assert_num_queries(1):
        listed = _get("requests.json")
    with django_assert_num_queries(1):
        _get("requests.xml?page_size=5&page=2")
    number = CitizenRequest.objects.values_list("tracking_number", flat=True)[0]
    with django_assert_num_queries(1):
        _get(f"requests/{number}.json")

    assert len(json.loads(listed.content)) == 30


def test_coordinates_keep_their_six_decimals(pothole: RequestService) -> None:
    filed(pothole, latitude=Decimal("45.123456"), longitude=Decimal("-73.654321"))

    [entry] = _json("requests.json")

    assert (entry["lat"], entry["long"]) == (45.123456, -73.654321)


def test_a_list_is_kept_ready_to_send_for_the_cache_delay(
    pothole: RequestService, settings: Settings, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    settings.OPEN311_CACHE_SECONDS = 60
    for days in range(3):
        filed(pothole, days_ago=days)
    first = Client().get("/open311/v2/requests.json?page_size=2")

    with django_assert_num_queries(0):
        compressed = Client().get(
            "/open311/v2/requests.json?page_size=2", headers={"Accept-Encoding": "gzip, br"}
        )
        plain = Client().get("/open311/v2/requests.json?page_size=2")

    assert first.status_code == compressed.status_code == plain.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content == first.content
    assert compressed["Link"] == plain["Link"] == first["Link"]
    assert "Accept-Encoding" in compressed["Vary"]
    assert "max-age=60" in plain["Cache-Control"]
    assert_matches("service_requests", json.loads(plain.content))
    # Another query, format or language is another list.
    assert len(json.loads(Client().get("/open311/v2/requests.json").content)) == 3
    english = Client().get(
        "/open311/v2/requests.xml?page_size=2", headers={"Accept-Language": "en"}
    )
    assert english["Content-Language"] == "en"
