"""Filing a request through Open311 (POST /open311/v2/requests): an application with its key
files into the desk's queue, marked as arrived through the API, and gets the tracking
number in XML or JSON; its requester gets the usual confirmation; `media_url` is kept as a
link and never fetched. Every refusal is the standard's error array with its status (403
without a valid key, 404 for an unknown service, 400 for the rest, 429 past the key's
hourly limit) and writes nothing."""

import datetime
import json
import socket
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings
from wagtail.models import Site

from agora.citizen_requests import open311_keys
from agora.citizen_requests.models import (
    AttributeKind,
    Channel,
    CitizenRequest,
    Open311Key,
    RequestService,
    RequestSettings,
    RequestStatus,
    Requirement,
)
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory, choice_attribute
from agora.citizen_requests.tests.open311_support import (
    CREATED_FIELDS,
    ERROR_FIELDS,
    assert_fields,
    assert_matches,
    issued_key,
    xml_of,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 7, 15, 0, tzinfo=datetime.UTC)
CLOCK = NOW
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-73.53, 45.38], [-73.50, 45.38], [-73.50, 45.40], [-73.53, 45.40], [-73.53, 45.38]]
    ],
}


@pytest.fixture
def pothole() -> RequestService:
    service: RequestService = ServiceFactory.create(
        code="nid-de-poule", name_fr="Nid-de-poule", target_days=7
    )
    choice_attribute(service=service, code="taille", required=True)
    choice_attribute(
        service=service,
        code="voies",
        kind=AttributeKind.MULTIPLE,
        values=[
            {"key": "nord", "name_fr": "Nord", "name_en": "North"},
            {"key": "sud", "name_fr": "Sud", "name_en": "South"},
        ],
    )
    return service


@pytest.fixture
def key() -> open311_keys.IssuedKey:
    return issued_key()


def _post(fmt: str = "json", *, client: Client | None = None, **data: Any) -> Any:
    return (client or Client()).post(f"/open311/v2/requests.{fmt}", data)


def _form(key: open311_keys.IssuedKey | None, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "service_code": "nid-de-poule",
        "lat": "45.39",
        "long": "-73.515",
        "description": "Un trou profond devant le 12.",
        "attribute[taille]": "grand",
    }
    if key is not None:
        data["api_key"] = key.secret
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def _refused(response: Any, status: int) -> list[str]:
    """The error array's descriptions, once the response is it with `status` and the
    request nothing written."""
    assert response.status_code == status, response.content
    errors = json.loads(response.content)
    assert_matches("errors", errors)
    assert {error["code"] for error in errors} == {status}
    assert not CitizenRequest.objects.exists()
    return [error["description"] for error in errors]


# Filing -----------------------------------------------------------------------------------


def test_an_application_files_a_request_into_the_queue_with_its_key(
    pothole: RequestService, key: open311_keys.IssuedKey
) -> None:
    response = _post(
        **_form(
            key,
            **{"attribute[voies][]": ["nord", "sud"]},
            address_string="12, rue des Érables",
            first_name="Jean",
            last_name="Tremblay",
            phone="450 555-0199",
            device_id="appareil-123",
            account_id="compte-456",
            media_url="https://photos.example.org/trou.jpg",
            jurisdiction_id="",
        )
    )

    assert response.status_code == 200, response.content
    created = json.loads(response.content)
    assert_matches("created_request", created)
    request = CitizenRequest.objects.get()
    assert created == [
        {"service_request_id": request.tracking_number, "service_notice": None, "account_id": None}
    ]
    assert (request.channel, request.api_key) == (Channel.API, key.key)
    assert (request.status, request.service) == (RequestStatus.NEW, pothole)
    assert request.answers == {"taille": "grand", "voies": ["nord", "sud"]}
    assert request.contact_name == "Jean Tremblay"
    assert request.contact_phone == "450 555-0199"
    assert request.address == "12, rue des Érables"
    assert (str(request.latitude), str(request.longitude)) == ("45.390000", "-73.515000")
    assert request.media_url == "https://photos.example.org/trou.jpg"
    assert request.due_at == NOW + datetime.timedelta(days=7)
    assert "appareil-123" not in json.dumps(request.answers)
    key.key.refresh_from_db()
    assert key.key.last_used_at == NOW


def test_the_answer_in_xml_is_the_standards_service_requests(
    pothole: RequestService, key: open311_keys.IssuedKey
) -> None:
    response = _post("xml", **_form(key))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = xml_of(response.content)
    assert root.tag == "service_requests"
    [request] = root
    assert request.tag == "request"
    assert_fields(request, CREATED_FIELDS)
    assert request.findtext("service_request_id") == CitizenRequest.objects.get().tracking_number


def test_the_request_filed_is_read_back_like_any_other(
    pothole: RequestService, key: open311_keys.IssuedKey
) -> None:
    number = json.loads(_post(**_form(key)).content)[0]["service_request_id"]

    [read] = json.loads(Client().get(f"/open311/v2/requests/{number}.json").content)

    assert (read["service_code"], read["status"]) == ("nid-de-poule", "open")
    assert read["description"] == "Un trou profond devant le 12."


def test_a_requester_with_an_e_mail_gets_the_confirmation_with_the_private_link(
    pothole: RequestService,
    key: open311_keys.IssuedKey,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _post(**_form(key, email="Suzanne@Example.org"))
        _post(**_form(key))

    request = CitizenRequest.objects.get(contact_email="suzanne@example.org")
    [message] = mail.outbox
    assert message.to == ["suzanne@example.org"]
    assert request.tracking_number in message.subject
    assert "/fr/requetes/suivi-prive/" in message.body


def test_the_request_is_in_the_language_of_the_call(
    pothole: RequestService, key: open311_keys.IssuedKey
) -> None:
    Client().post("/open311/v2/requests.json", _form(key), HTTP_ACCEPT_LANGUAGE="en")

    assert CitizenRequest.objects.get().language == "en"


def test_media_url_is_kept_as_a_link_and_never_fetched(
    pothole: RequestService, key: open311_keys.IssuedKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the server tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)

    response = _post(**_form(key, media_url="http://192.0.2.1/photo.jpg"))

    assert response.status_code == 200
    assert CitizenRequest.objects.get().media_url == "http://192.0.2.1/photo.jpg"


def test_a_link_to_a_photo_answers_a_service_that_asks_for_one(
    key: open311_keys.IssuedKey,
) -> None:
    ServiceFactory.create(code="graffiti", photo=Requirement.REQUIRED)

    without = _post(**_form(key, service_code="graffiti", **{"attribute[taille]": None}))
    assert without.status_code == 400
    assert json.loads(without.content)[0]["description"].startswith("media_url : ")

    with_link = _post(
        **_form(
            key,
            service_code="graffiti",
            media_url="https://photos.example.org/graffiti.jpg",
            **{"attribute[taille]": None},
        )
    )
    assert with_link.status_code == 200


def test_the_api_takes_no_browser_csrf_token(
    pothole: RequestService, key: open311_keys.IssuedKey
) -> None:
    response = _post(client=Client(enforce_csrf_checks=True), **_form(key))

    assert response.status_code == 200


# Refusals ---------------------------------------------------------------------------------


def test_without_a_key_nothing_is_filed(pothole: RequestService) -> None:
    [error] = _refused(_post(**_form(None)), 403)

    assert error.startswith("api_key : ")


def test_an_unknown_or_revoked_key_files_nothing(
    pothole: RequestService, key: open311_keys.IssuedKey
) -> None:
    _refused(_post(**_form(None, api_key="pas-une-cle")), 403)
    _refused(_post(**_form(None, api_key="x" * 1000)), 403)
    open311_keys.revoke_key(actor=key.key.created_by, key=key.key)  # type: ignore[arg-type]

    _refused(_post(**_form(key)), 403)
    xml = _post("xml", **_form(key))
    assert xml.status_code == 403
    [error] = xml_of(xml.content)
    assert_fields(error, ERROR_FIELDS)
    assert error.findtext("code") == "403"


@pytest.mark.parametrize("code", ["inconnu", "retire"])
def test_an_unknown_or_withdrawn_service_is_a_404(
    pothole: RequestService, key: open311_keys.IssuedKey, code: str
) -> None:
    ServiceFactory.create(code="retire", active=False)

    [error] = _refused(_post(**_form(key, service_code=code)), 404)

    assert error.startswith("service_code : ")


def test_another_jurisdiction_is_a_404(
    pothole: RequestService, key: open311_keys.IssuedKey, settings: Settings
) -> None:
    settings.OPEN311_JURISDICTION_ID = "saint-essai.ca"

    _refused(_post(**_form(key, jurisdiction_id="montreal.ca")), 404)
    assert _post(**_form(key, jurisdiction_id="saint-essai.ca")).status_code == 200


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"service_code": None}, ["service_code : "]),
        ({"service_code": " "}, ["service_code : "]),
        ({"description": ""}, ["description : "]),
        ({"description": "Un <script>trou</script>."}, ["description : "]),
        ({"description": "x" * 4001}, ["description : "]),
        ({"lat": "45.39", "long": None}, ["lat, long : ", "address_string : "]),
        ({"lat": "nord", "long": "ouest"}, ["lat, long : ", "address_string : "]),
        ({"lat": "nord", "long": "ouest", "address_string": "12, rue A"}, ["lat, long : "]),
        ({"lat": None, "long": None}, ["address_string : "]),
        ({"lat": None, "long": None, "address_id": "12345"}, ["address_id : "]),
        ({"attribute[taille]": None}, ["attribute[taille] : "]),
        ({"attribute[taille]": "immense"}, ["attribute[taille] : "]),
        ({"attribute[voies][]": ["nord", "ouest"]}, ["attribute[voies] : "]),
        ({"email": "pas-un-courriel"}, ["email : "]),
        ({"phone": "appelez-moi"}, ["phone : "]),
        ({"media_url": "ftp://photos.example.org/trou.jpg"}, ["media_url : "]),
        ({"media_url": "javascript:alert(1)"}, ["media_url : "]),
        (
            {"description": "", "attribute[taille]": None, "email": "non"},
            ["description : ", "attribute[taille] : ", "email : "],
        ),
    ],
)
def test_each_bad_argument_is_a_400_that_names_it_and_files_nothing(
    pothole: RequestService,
    key: open311_keys.IssuedKey,
    fields: dict[str, Any],
    expected: list[str],
) -> None:
    errors = _refused(_post(**_form(key, **fields)), 400)

    assert len(errors) == len(expected)
    for prefix in expected:
        assert any(error.startswith(prefix) for error in errors), (prefix, errors)
    key.key.refresh_from_db()
    assert key.key.last_used_at is None


def test_a_point_outside_the_municipality_is_refused(
    pothole: RequestService, key: open311_keys.IssuedKey
) -> None:
    settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    settings.boundary = json.dumps(SQUARE)
    settings.save()

    [error] = _refused(_post(**_form(key, lat="45.50", long="-73.56")), 400)

    assert error.startswith("lat, long : ")
    assert _post(**_form(key)).status_code == 200


def test_a_key_past_its_hourly_limit_gets_429_and_the_others_go_on(
    pothole: RequestService, key: open311_keys.IssuedKey, settings: Settings
) -> None:
    settings.OPEN311_POSTS_PER_KEY_PER_HOUR = 2
    other = issued_key("Application mobile")

    assert _post(**_form(key)).status_code == 200
    assert _post(**_form(key, description="")).status_code == 400  # refused ones count too
    response = _post(**_form(key))

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    [error] = json.loads(response.content)
    assert error["code"] == 429
    assert CitizenRequest.objects.count() == 1
    assert _post(**_form(other)).status_code == 200
    assert Open311Key.objects.count() == 2


def test_a_body_too_large_or_not_a_form_is_the_standards_400(
    pothole: RequestService, key: open311_keys.IssuedKey, settings: Settings
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10

    many = _post(**_form(key, **{f"attribute[q{number}]": "x" for number in range(20)}))
    broken = Client().post(
        "/open311/v2/requests.xml", data=b"api_key=x", content_type="multipart/form-data"
    )

    _refused(many, 400)
    assert broken.status_code == 400
    assert xml_of(broken.content).findtext("error/code") == "400"
