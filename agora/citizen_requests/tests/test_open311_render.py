"""One structure, two formats (agora/citizen_requests/open311_render.py): the standard's
lists are wrapped elements in XML and top-level arrays in JSON, scalars read the same in
both, and a resident's text cannot break the XML."""

import json

from agora.citizen_requests.open311_render import (
    Many,
    Open311Error,
    respond,
    respond_error,
    to_json,
    to_xml,
)
from agora.citizen_requests.tests.open311_support import as_text, spark, xml_of

DOCUMENT = Many(
    "service",
    [
        {
            "service_code": "001",
            "service_name": "Nid-de-poule",
            "description": None,
            "metadata": True,
            "order": 1,
            "lat": 45.39,
            "values": Many("value", [{"key": "petit", "name": "Petit"}]),
        }
    ],
)


def test_a_list_is_a_top_level_array_in_json_and_a_wrapped_element_in_xml() -> None:
    assert json.loads(to_json(DOCUMENT)) == [
        {
            "service_code": "001",
            "service_name": "Nid-de-poule",
            "description": None,
            "metadata": True,
            "order": 1,
            "lat": 45.39,
            "values": [{"key": "petit", "name": "Petit"}],
        }
    ]
    xml = to_xml("services", DOCUMENT)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<services><service>')
    assert "<service_code>001</service_code>" in xml
    assert "<description/>" in xml
    assert "<metadata>true</metadata>" in xml
    assert "<values><value><key>petit</key><name>Petit</name></value></values>" in xml


def test_both_formats_carry_the_same_values() -> None:
    root = xml_of(to_xml("services", DOCUMENT).encode())

    assert spark(root) == as_text(json.loads(to_json(DOCUMENT)))


def test_codes_stay_strings_in_json() -> None:
    assert to_json({"service_code": "006"}) == '{"service_code":"006"}'


def test_markup_and_control_characters_in_a_text_keep_the_xml_well_formed() -> None:
    text = "Trou <b>profond</b> & dangereux\x0b\x00 près du n° 12 🚧\r\nVite!"

    root = xml_of(to_xml("request", {"description": text}).encode())

    assert (
        root.findtext("description") == "Trou <b>profond</b> & dangereux près du n° 12 🚧\r\nVite!"
    )
    assert json.loads(to_json({"description": text}))["description"] == text


def test_an_error_is_the_standard_array_with_its_http_status() -> None:
    refusal = Open311Error(400, [(400, "service_code : obligatoire."), (400, "lat : invalide.")])

    as_json = respond_error("json", refusal)
    as_xml = respond_error("xml", refusal)

    assert as_json.status_code == as_xml.status_code == 400
    assert as_json["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(as_json.content) == [
        {"code": 400, "description": "service_code : obligatoire."},
        {"code": 400, "description": "lat : invalide."},
    ]
    assert as_xml["Content-Type"] == "text/xml; charset=utf-8"
    assert spark(xml_of(as_xml.content)) == [
        {"code": "400", "description": "service_code : obligatoire."},
        {"code": "400", "description": "lat : invalide."},
    ]


def test_a_document_is_utf_8_in_both_formats() -> None:
    response = respond("json", "services", Many("service", [{"service_name": "Bac brisé"}]))

    assert "Bac brisé".encode() in response.content
