"""The Open311 API on a live server, through real clients: `georeport`, a GeoReport v2 client
from PyPI, reads the services, a definition and the requests in JSON and in XML; then
`schemathesis` sends requests generated from our OpenAPI description (docs/open311/) to
every operation, valid and invalid, and checks that none is a server error and that every
answer's status, content type and body are the ones the description gives.

The examples are few and drawn the same way on every run (`derandomize`), to keep `make
test` fast and repeatable."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from georeport import GeoReport
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pytest_django import Settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from agora.accounts.tests.team_factories import DepartmentFactory
from agora.citizen_requests import open311_keys, workflow
from agora.citizen_requests.filing import file_request
from agora.citizen_requests.models import (
    AttributeKind,
    CitizenRequest,
    RequestPhoto,
    RequestService,
    RequestStatus,
)
from agora.citizen_requests.tests.catalogue_factories import (
    AttributeFactory,
    ServiceFactory,
    ThemeFactory,
    choice_attribute,
)
from agora.citizen_requests.tests.open311_support import (
    DESCRIPTION,
    issued_key,
    live_server,
)
from agora.core.tests.crafted_images import phone_photo

pytestmark = pytest.mark.django_db

JURISDICTION = "saint-essai.ca"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 15


@pytest.fixture
def city(settings: Settings) -> dict[str, Any]:
    """A catalogue, requests of every kind, and a key."""
    settings.OPEN311_JURISDICTION_ID = JURISDICTION
    settings.OPEN311_POSTS_PER_KEY_PER_HOUR = 10_000
    roads = ThemeFactory.create(name_fr="Voirie", name_en="Roads")
    pothole: RequestService = ServiceFactory.create(
        code="nid-de-poule",
        name_fr="Nid-de-poule",
        group=roads,
        department=DepartmentFactory.create(name="Travaux publics"),
    )
    choice_attribute(service=pothole, code="taille", required=True)
    choice_attribute(
        service=pothole,
        code="voies",
        kind=AttributeKind.MULTIPLE,
        values=[{"key": "nord", "name_fr": "Nord", "name_en": "North"}],
    )
    AttributeFactory.create(service=pothole, code="depuis", kind=AttributeKind.DATETIME)
    AttributeFactory.create(service=pothole, code="avis", kind=AttributeKind.INFORMATION)
    neighbour = ServiceFactory.create(code="nuisance", name_fr="Nuisance", public=False)
    ServiceFactory.create(code="graffiti", name_fr="Graffiti", group=roads)
    now = datetime.datetime.now(tz=datetime.UTC)
    numbers = []
    for number, service in enumerate([pothole, pothole, neighbour, pothole]):
        filed = file_request(
            service=service,
            description=f"Problème n° {number} & « loin », < 3 m.",
            address="12, rue des Érables",
            latitude="45.39",
            longitude="-73.515",
            answers={"taille": "grand"},
            media_url="https://photos.example.org/trou.jpg" if number == 1 else "",
            now=now - datetime.timedelta(days=number),
        ).request
        numbers.append(filed.tracking_number)
    closed = CitizenRequest.objects.get(tracking_number=numbers[0])
    workflow.change_status(closed, status=RequestStatus.RESOLVED, actor=None, note="Réparé.")
    RequestPhoto.objects.create(
        request=CitizenRequest.objects.get(tracking_number=numbers[3]),
        image=SimpleUploadedFile("trou.jpg", phone_photo(), "image/jpeg"),
        shown=True,
    )
    return {"numbers": numbers, "key": issued_key()}


@pytest.fixture
def api(city: dict[str, Any]) -> Iterator[str]:
    with live_server() as address:
        yield f"{address}/open311/v2"


def test_georeport_reads_everything_in_json_and_xml(city: dict[str, Any], api: str) -> None:
    numbers = city["numbers"]
    as_json = GeoReport(api, jurisdiction=JURISDICTION, output_format="json")
    as_xml = GeoReport(api, jurisdiction=JURISDICTION, output_format="xml")

    services = as_json.get_service_list()
    assert [service["service_code"] for service in services] == [
        "graffiti",
        "nid-de-poule",
        "nuisance",
    ]
    xml_services = as_xml.get_service_list()
    assert [service["service_code"] for service in xml_services] == [
        service["service_code"] for service in services
    ]
    assert {service["metadata"] for service in xml_services} == {"true", "false"}

    definition = as_json.get_service_definition("nid-de-poule")
    assert [attribute["code"] for attribute in definition["attributes"]] == [
        "taille",
        "voies",
        "depuis",
        "avis",
    ]
    xml_definition = as_xml.get_service_definition("nid-de-poule")
    xml_attributes = xml_definition["attributes"]["attribute"]
    assert [attribute["code"] for attribute in xml_attributes] == [
        "taille",
        "voies",
        "depuis",
        "avis",
    ]
    assert xml_attributes[0]["values"]["value"][0] == {"key": "petit", "name": "Petit"}

    listed = as_json.get_service_requests(service_code="nid-de-poule", status="open")
    assert [request["service_request_id"] for request in listed] == [numbers[1], numbers[3]]
    xml_listed = as_xml.get_service_requests(service_code="nid-de-poule", status="open")
    assert [request["service_request_id"] for request in xml_listed] == [numbers[1], numbers[3]]
    assert xml_listed[0]["media_url"] == "https://photos.example.org/trou.jpg"
    assert "/photos/" in xml_listed[1]["media_url"]
    assert xml_listed[0]["description"] == "Problème n° 1 & « loin », < 3 m."

    everything = as_json.get_service_requests(service_request_id=",".join(numbers), status="closed")
    assert {request["service_request_id"] for request in everything} == set(numbers)

    closed = as_json.get_service_request(numbers[0])
    assert (closed["status"], closed["status_notes"]) == ("closed", "Réparé.")
    private = as_xml.get_service_request(numbers[2])
    assert (private["service_code"], private["description"]) == ("nuisance", None)

    with pytest.raises(requests.HTTPError) as unknown:
        as_json.get_service_definition("inconnu")
    assert unknown.value.response is not None
    assert unknown.value.response.status_code == 404
    with pytest.raises(requests.HTTPError) as too_long:
        as_xml.get_service_requests(start_date="2026-01-01", end_date="2026-12-31")
    assert too_long.value.response is not None
    assert too_long.value.response.status_code == 400


# What a generated filing may keep when it is made valid: the rest is replaced.
KEPT_WHEN_VALID = ("address_string", "first_name", "last_name", "device_id", "account_id")


def _with_the_citys_values(case: Case[Any], city: dict[str, Any], draw: Any) -> None:
    """Some generated cases use a real key, service and request, so that the operations'
    successes are checked too, not only their refusals."""
    if case.operation.method.upper() == "POST" and isinstance(case.body, dict):
        if draw(st.booleans()):
            case.body["api_key"] = city["key"].secret
        if draw(st.booleans()):
            kept = {name: case.body[name] for name in KEPT_WHEN_VALID if name in case.body}
            case.body = {
                **kept,
                "api_key": case.body.get("api_key", ""),
                "service_code": "nid-de-poule",
                "lat": "45.39",
                "long": "-73.515",
                "description": "Un trou.",
                "attribute[taille]": "grand",
            }
    if "service_code" in (case.path_parameters or {}) and draw(st.booleans()):
        case.path_parameters["service_code"] = draw(st.sampled_from(["nid-de-poule", "graffiti"]))
    if "service_request_id" in (case.path_parameters or {}) and draw(st.booleans()):
        case.path_parameters["service_request_id"] = draw(st.sampled_from(city["numbers"]))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_server_error_and_every_answer_conforms(
    city: dict[str, Any], api: str, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_path(DESCRIPTION)
    session = requests.Session()
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert len(operations) == 6

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
        def check(case: Case[Any], data: st.DataObject) -> None:
            _with_the_citys_values(case, city, data.draw)
            response = case.call(base_url=api, session=session)
            case.validate_response(response, checks=CHECKS)

        check()
    assert CitizenRequest.objects.filter(api_key=city["key"].key).exists() or (
        mode == GenerationMode.NEGATIVE
    )


def test_a_key_issued_in_gestion_files_through_the_live_api(city: dict[str, Any], api: str) -> None:
    key: open311_keys.IssuedKey = city["key"]

    response = requests.post(
        f"{api}/requests.xml",
        data={
            "api_key": key.secret,
            "jurisdiction_id": JURISDICTION,
            "service_code": "nid-de-poule",
            "lat": "45.39",
            "long": "-73.515",
            "description": "Un lampadaire penché.",
            "attribute[taille]": "petit",
            "attribute[voies][]": ["nord"],
        },
        timeout=10,
    )

    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    number = CitizenRequest.objects.get(description="Un lampadaire penché.").tracking_number
    assert f"<service_request_id>{number}</service_request_id>" in response.text
    read = GeoReport(api, output_format="json").get_service_request(number)
    assert read["description"] == "Un lampadaire penché."
