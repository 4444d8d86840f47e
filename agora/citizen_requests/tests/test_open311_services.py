"""Discovery, the service list and a service's definition (GET /open311/v2/discovery,
services, services/<code>): in XML with the standard's fields in the standard's order and
in JSON following our schemas, the same values in both, in French or English, and the
standard's 404 for an unknown service or jurisdiction."""

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries, Settings

from agora.accounts.tests.team_factories import DepartmentFactory
from agora.citizen_requests.models import AttributeKind, RequestService
from agora.citizen_requests.tests.catalogue_factories import (
    AttributeFactory,
    ServiceFactory,
    ThemeFactory,
    choice_attribute,
)
from agora.citizen_requests.tests.open311_support import (
    ATTRIBUTE_FIELDS,
    SERVICE_FIELDS,
    as_text,
    assert_fields,
    assert_matches,
    spark,
    xml_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pothole() -> RequestService:
    roads = ThemeFactory.create(name_fr="Voirie", name_en="Roads", slug="voirie")
    service: RequestService = ServiceFactory.create(
        code="nid-de-poule",
        name_fr="Nid-de-poule",
        name_en="Pothole",
        description_fr="Un trou dans la chaussée.",
        description_en="A hole in the road.",
        keywords_fr="trou, chaussée",
        keywords_en="hole, road",
        group=roads,
        department=DepartmentFactory.create(name="Travaux publics"),
    )
    choice_attribute(
        service=service,
        code="taille",
        order=5,
        required=True,
        description_fr="Quelle taille?",
        description_en="How big?",
    )
    choice_attribute(
        service=service,
        code="voies",
        order=5,
        kind=AttributeKind.MULTIPLE,
        description_fr="Quelles voies?",
        values=[
            {"key": "nord", "name_fr": "Vers le nord", "name_en": "Northbound"},
            {"key": "sud", "name_fr": "Vers le sud", "name_en": "Southbound"},
        ],
    )
    AttributeFactory.create(
        service=service,
        code="depuis",
        order=7,
        kind=AttributeKind.DATETIME,
        description_fr="Depuis quand?",
    )
    AttributeFactory.create(
        service=service,
        code="avis",
        order=9,
        kind=AttributeKind.INFORMATION,
        description_fr="Pour un danger immédiat, composez le 911.",
        description_en="For an immediate danger, call 911.",
    )
    ServiceFactory.create(code="graffiti", name_fr="Graffiti", group=roads, position=1)
    ServiceFactory.create(code="retire", name_fr="Service retiré", group=roads, active=False)
    return service


def _get(path: str, *, language: str = "") -> Any:
    headers = {"Accept-Language": language} if language else None
    return Client().get(f"/open311/v2/{path}", headers=headers)


def test_discovery_names_the_endpoint_in_both_formats() -> None:
    as_json = _get("discovery.json")
    as_xml = _get("discovery.xml")

    assert as_json["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(as_json.content)
    assert_matches("discovery", document)
    [endpoint] = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert as_xml["Content-Type"] == "text/xml; charset=utf-8"
    root = xml_of(as_xml.content)
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    assert spark(root) == as_text(document)


def test_the_service_list_follows_the_standards_table(pothole: RequestService) -> None:
    root = xml_of(_get("services.xml").content)

    assert root.tag == "services"
    assert [service.findtext("service_code") for service in root] == ["nid-de-poule", "graffiti"]
    for service in root:
        assert_fields(service, SERVICE_FIELDS)
    first = root[0]
    assert first.findtext("service_name") == "Nid-de-poule"
    assert first.findtext("description") == "Un trou dans la chaussée."
    assert first.findtext("metadata") == "true"
    assert first.findtext("type") == "realtime"
    assert first.findtext("keywords") == "trou, chaussée"
    assert first.findtext("group") == "Voirie"
    assert root[1].findtext("metadata") == "false"


def test_the_service_list_in_json_is_a_top_level_array_of_the_same_services(
    pothole: RequestService,
) -> None:
    services = json.loads(_get("services.json").content)

    assert_matches("service_list", services)
    assert isinstance(services, list)
    assert services[0]["service_code"] == "nid-de-poule"
    assert services[0]["metadata"] is True
    assert spark(xml_of(_get("services.xml").content)) == as_text(services)


def test_the_service_list_speaks_english_when_asked(pothole: RequestService) -> None:
    [first, *_rest] = json.loads(_get("services.json", language="en-CA,en;q=0.8").content)

    assert first["service_name"] == "Pothole"
    assert first["group"] == "Roads"
    assert first["keywords"] == "hole, road"


def test_a_definition_lists_the_questions_in_order_with_their_choices(
    pothole: RequestService,
) -> None:
    root = xml_of(_get("services/nid-de-poule.xml").content)

    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "nid-de-poule"
    attributes = root.find("attributes")
    assert attributes is not None
    assert [attribute.findtext("code") for attribute in attributes] == [
        "taille",
        "voies",
        "depuis",
        "avis",
    ]
    assert [attribute.findtext("order") for attribute in attributes] == ["1", "2", "3", "4"]
    size, lanes, since, notice = attributes
    assert_fields(size, ATTRIBUTE_FIELDS, "values")
    assert_fields(lanes, ATTRIBUTE_FIELDS, "values")
    assert_fields(since, ATTRIBUTE_FIELDS)
    assert_fields(notice, ATTRIBUTE_FIELDS)
    assert (size.findtext("datatype"), size.findtext("required")) == ("singlevaluelist", "true")
    assert [(value.findtext("key"), value.findtext("name")) for value in size.iter("value")] == [
        ("petit", "Petit"),
        ("grand", "Grand"),
    ]
    assert lanes.findtext("datatype") == "multivaluelist"
    assert since.findtext("datatype") == "datetime"
    assert since.findtext("datatype_description") == "Une date au format AAAA-MM-JJ."
    assert (notice.findtext("variable"), notice.findtext("datatype")) == ("false", "text")


def test_a_definition_in_json_is_an_object_with_the_same_values(pothole: RequestService) -> None:
    definition = json.loads(_get("services/nid-de-poule.json", language="en").content)

    assert_matches("service_definition", definition)
    assert definition["attributes"][0]["description"] == "How big?"
    assert definition["attributes"][1]["values"][0] == {"key": "nord", "name": "Northbound"}
    assert "values" not in definition["attributes"][2]
    english_xml = _get("services/nid-de-poule.xml", language="en").content
    assert spark(xml_of(english_xml)) == as_text(definition)


@pytest.mark.parametrize("code", ["inconnu", "retire", ""])
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_unknown_or_withdrawn_service_is_the_standards_404(
    pothole: RequestService, code: str, fmt: str
) -> None:
    response = _get(f"services/{code}.{fmt}")

    assert response.status_code == 404
    if fmt == "json":
        [error] = json.loads(response.content)
        assert_matches("errors", [error])
    else:
        [error] = spark(xml_of(response.content))
    assert str(error["code"]) == "404"
    assert error["description"].startswith("service_code :")


def test_another_jurisdiction_is_a_404_and_the_citys_own_or_none_is_accepted(
    pothole: RequestService, settings: Settings
) -> None:
    settings.OPEN311_JURISDICTION_ID = "saint-essai.ca"

    assert _get("services.json?jurisdiction_id=montreal.ca").status_code == 404
    assert _get("services.json?jurisdiction_id=Saint-Essai.ca").status_code == 200
    assert _get("services.json?jurisdiction_id=").status_code == 200
    [error] = json.loads(_get("services.json?jurisdiction_id=montreal.ca").content)
    assert error["code"] == 404
    assert "jurisdiction_id" in error["description"]


def test_any_other_resource_under_the_api_is_the_standards_404() -> None:
    as_json = _get("tokens/123.json")
    as_xml = _get("autre/chose.xml")

    assert as_json.status_code == as_xml.status_code == 404
    assert json.loads(as_json.content)[0]["code"] == 404
    assert spark(xml_of(as_xml.content))[0]["code"] == "404"


def test_an_address_without_a_format_is_the_standards_400_and_the_root_leads_to_discovery() -> None:
    response = _get("services")

    assert response.status_code == 400
    assert spark(xml_of(response.content))[0]["code"] == "400"
    assert _get("")["Location"] == "/open311/v2/discovery.xml"


def test_another_method_is_refused_with_the_error_array(pothole: RequestService) -> None:
    response = Client().delete("/open311/v2/services.json")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert json.loads(response.content)[0]["code"] == 405


def test_the_list_and_a_definition_take_a_fixed_number_of_queries(
    pothole: RequestService, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(20):
        service = ServiceFactory.create(code=f"service-en-plus-{number}", group=pothole.group)
        AttributeFactory.create(service=service)

    with django_assert_num_queries(1):
        _get("services.json")
    with django_assert_num_queries(2):
        _get("services/nid-de-poule.json")


def test_reading_is_open_to_other_sites_scripts(pothole: RequestService) -> None:
    assert _get("services.json")["Access-Control-Allow-Origin"] == "*"
    assert _get("discovery.xml")["Access-Control-Allow-Origin"] == "*"
