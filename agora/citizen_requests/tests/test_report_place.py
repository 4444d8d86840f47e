"""Step 1 of reporting a problem: where. An address works without JavaScript; a point on the
map, when given, must fall in the municipality, and the open requests of the same service
within 50 m are offered before going on."""

import json
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from agora.citizen_requests.filing import file_request
from agora.citizen_requests.models import (
    CitizenRequest,
    RequestService,
    RequestSettings,
    RequestStatus,
    Requirement,
)
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory
from agora.core.tests.html import find, find_all, text_of

pytestmark = pytest.mark.django_db

POINT = {"latitude": "45.390000", "longitude": "-73.515000"}
# About 20 m north of POINT.
NEAR = (Decimal("45.390180"), Decimal("-73.515000"))
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-73.53, 45.38], [-73.50, 45.38], [-73.50, 45.40], [-73.53, 45.40], [-73.53, 45.38]]
    ],
}


def place_url(service: RequestService) -> str:
    return reverse("citizen_requests:place", args=[service.code])


def details_url(service: RequestService) -> str:
    return reverse("citizen_requests:details", args=[service.code])


def open_request(service: RequestService, **fields: Any) -> CitizenRequest:
    values: dict[str, Any] = {"description": "Un trou.", "latitude": NEAR[0], "longitude": NEAR[1]}
    values.update(fields)
    return file_request(service=service, **values).request


def with_boundary() -> None:
    settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    settings.boundary = json.dumps(SQUARE)
    settings.save()


@pytest.fixture
def pothole() -> RequestService:
    service: RequestService = ServiceFactory.create(name_fr="Nid-de-poule")
    return service


def test_the_place_step_asks_an_address_and_carries_the_maps_point(
    client: Client, pothole: RequestService
) -> None:
    response = client.get(place_url(pothole))

    assert response.status_code == 200
    form = find(response.content, "form", class_="report-place")
    assert form["method"] == "post"
    assert find(form, "input", name="address")["type"] == "text"
    assert find(form, "input", name="latitude")["type"] == "hidden"
    assert find(form, "input", name="longitude")["type"] == "hidden"
    assert find(form, "input", name="csrfmiddlewaretoken")
    assert "Étape 1 de 2" in text_of(response.content)


def test_an_address_alone_leads_to_the_details_with_the_place_in_the_address(
    client: Client, pothole: RequestService
) -> None:
    response = client.post(place_url(pothole), {"address": "12, rue des Érables"})

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == details_url(pothole)
    assert parse_qs(location.query) == {"adresse": ["12, rue des Érables"]}


def test_a_point_without_requests_nearby_goes_on_to_the_details(
    client: Client, pothole: RequestService
) -> None:
    open_request(ServiceFactory.create())  # another service, same place
    open_request(pothole, latitude=Decimal("45.391000"))  # 110 m away

    response = client.post(place_url(pothole), POINT)

    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {
        "lat": ["45.390000"],
        "lon": ["-73.515000"],
    }


def test_a_place_is_needed_when_the_service_asks_one(
    client: Client, pothole: RequestService
) -> None:
    response = client.post(place_url(pothole), {"address": "  "})

    assert response.status_code == 200
    summary = find(response.content, "div", class_="error-summary")
    assert "Indiquez une adresse ou placez un point sur la carte." in text_of(summary)
    assert find(summary, "a")["href"] == "#id_address"


def test_a_service_whose_place_is_optional_goes_on_without_one(client: Client) -> None:
    service = ServiceFactory.create(location=Requirement.OPTIONAL)

    response = client.post(place_url(service), {})

    assert response["Location"] == details_url(service)


def test_a_point_outside_the_municipality_is_refused(
    client: Client, pothole: RequestService
) -> None:
    with_boundary()

    response = client.post(
        place_url(pothole), {"address": "", "latitude": "45.50", "longitude": "-73.56"}
    )

    assert response.status_code == 200
    assert "Ce point est hors du territoire de la municipalité." in text_of(response.content)


@pytest.mark.parametrize(
    "point", [{"latitude": "999", "longitude": "-73.5"}, {"latitude": "45.39", "longitude": ""}]
)
def test_a_tampered_point_is_refused(
    client: Client, pothole: RequestService, point: dict[str, str]
) -> None:
    response = client.post(place_url(pothole), {"address": "12, rue des Érables", **point})

    assert response.status_code == 200
    assert "Ce point n'est pas une position valide." in text_of(response.content)


def test_open_requests_of_the_service_nearby_are_offered_first(
    client: Client, pothole: RequestService
) -> None:
    nearby = open_request(pothole)
    resolved = open_request(pothole)
    CitizenRequest.objects.filter(pk=resolved.pk).update(status=RequestStatus.RESOLVED)

    response = client.post(place_url(pothole), {"address": "12, rue des Érables", **POINT})

    assert response.status_code == 200
    items = find_all(response.content, "li", class_="report-nearby__item")
    assert len(items) == 1
    assert nearby.tracking_number in text_of(items[0])
    assert "État : Reçue. À environ 20 m du point." in text_of(items[0])
    assert "Reçue" in text_of(items[0])
    form = find(items[0], "form")
    assert form["action"] == reverse("citizen_requests:voice", args=[nearby.tracking_number])
    names = {element.attrs.get("name") for element in form.descendants()}
    assert {"csrfmiddlewaretoken", "contact_email", "site_web", "altcha"} <= names
    go_on = find(response.content, "a", class_="report-nearby__continue")
    assert go_on.text == "Ce n'est pas le même problème : continuer"
    assert parse_qs(urlsplit(go_on["href"]).query) == {
        "adresse": ["12, rue des Érables"],
        "lat": ["45.390000"],
        "lon": ["-73.515000"],
    }


def test_without_a_point_open_requests_at_the_same_address_are_offered(
    client: Client, pothole: RequestService
) -> None:
    same = open_request(pothole, address="12, rue des Érables", latitude=None, longitude=None)
    open_request(pothole, address="14, rue des Érables", latitude=None, longitude=None)
    closed = open_request(pothole, address="12 RUE DES ERABLES", latitude=None, longitude=None)
    CitizenRequest.objects.filter(pk=closed.pk).update(status=RequestStatus.RESOLVED)

    response = client.post(place_url(pothole), {"address": "12 rue des erables."})

    items = find_all(response.content, "li", class_="report-nearby__item")
    assert [same.tracking_number in text_of(item) for item in items] == [True]
    assert "À la même adresse : 12, rue des Érables." in text_of(items[0])


def test_without_a_point_another_address_goes_on_to_the_details(
    client: Client, pothole: RequestService
) -> None:
    open_request(pothole, address="12, rue des Érables", latitude=None, longitude=None)

    response = client.post(place_url(pothole), {"address": "120, rue des Érables"})

    assert response.status_code == 302


def test_a_private_services_requests_are_never_revealed_nearby(client: Client) -> None:
    complaints = ServiceFactory.create(public=False)
    open_request(complaints)

    response = client.post(place_url(complaints), POINT)

    assert response.status_code == 302


def test_the_place_comes_back_filled_when_changed_from_the_details(
    client: Client, pothole: RequestService
) -> None:
    response = client.get(place_url(pothole), {"adresse": "12, rue des Érables", "lat": "45.39"})

    assert find(response.content, "input", name="address")["value"] == "12, rue des Érables"
    assert find(response.content, "input", name="latitude")["value"] == "45.39"


def test_an_unknown_or_withdrawn_service_is_not_found(client: Client) -> None:
    withdrawn = ServiceFactory.create(active=False)

    assert client.get(reverse("citizen_requests:place", args=["inconnu"])).status_code == 404
    assert client.get(place_url(withdrawn)).status_code == 404
    assert client.post(place_url(withdrawn), {"address": "12, rue"}).status_code == 404
