"""What the Open311 tests share: the JSON schemas of docs/open311/schemas/ (the ones the
OpenAPI description names), the standard's field tables to check the XML against, a reading
of the XML into the JSON's shape (the standard's "Spark convention"), an API key, and a
live server on 127.0.0.1 for the real clients.

The live server runs in a thread of the test's process and uses the test's own database
connection, inside the test's transaction: what the test writes, the server reads, and all
of it is rolled back after the test, like any other test's data. (pytest-django's
`live_server` needs transactional tests, which empty the tables the other tests of the
worker start from.)
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree
import jsonschema
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.test.testcases import QuietWSGIRequestHandler

from agora.accounts.tests.team_factories import administrator
from agora.citizen_requests import open311_keys

ROOT = Path(__file__).resolve().parents[3]
DESCRIPTION = ROOT / "docs" / "open311" / "openapi.yaml"
SCHEMAS = ROOT / "docs" / "open311" / "schemas"
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'


# JSON schemas --------------------------------------------------------------------------------


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def assert_matches(name: str, document: Any) -> None:
    """`document` follows docs/open311/schemas/<name>.json."""
    errors = [error.message for error in validator(name).iter_errors(document)]
    assert not errors, errors


# XML and the standard's field tables ---------------------------------------------------------

# The elements that hold a list, and the element of each entry.
LISTS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# (field, kind), in the order the standard's tables give them: `str` text, `str?` text or
# empty, `bool` true/false, `int` a whole number, `datetime` a W3C datetime with its offset,
# `number?` a number or empty, `list` a list element, `*` checked elsewhere.
SERVICE_FIELDS = (
    ("service_code", "str"),
    ("service_name", "str"),
    ("description", "str?"),
    ("metadata", "bool"),
    ("type", "str"),
    ("keywords", "str?"),
    ("group", "str"),
)
ATTRIBUTE_FIELDS = (
    ("variable", "bool"),
    ("code", "str"),
    ("datatype", "str"),
    ("required", "bool"),
    ("datatype_description", "str?"),
    ("order", "int"),
    ("description", "str"),
)
REQUEST_FIELDS = (
    ("service_request_id", "str"),
    ("status", "str"),
    ("status_notes", "str?"),
    ("service_name", "str"),
    ("service_code", "str"),
    ("description", "str?"),
    ("agency_responsible", "str?"),
    ("service_notice", "str?"),
    ("requested_datetime", "datetime"),
    ("updated_datetime", "datetime"),
    ("expected_datetime", "datetime"),
    ("address", "str?"),
    ("address_id", "str?"),
    ("zipcode", "str?"),
    ("lat", "number?"),
    ("long", "number?"),
    ("media_url", "str?"),
)
CREATED_FIELDS = (("service_request_id", "str"), ("service_notice", "str?"), ("account_id", "str?"))
ERROR_FIELDS = (("code", "int"), ("description", "str"))


def xml_of(content: bytes) -> Element:
    """The document's root, once it is UTF-8 XML with the declaration and no namespace."""
    assert content.startswith(XML_DECLARATION), content[:80]
    root: Element = defusedxml.ElementTree.fromstring(content)
    assert "{" not in root.tag
    return root


def _check(kind: str, text: str | None, field: str) -> None:
    value = text or ""
    if kind == "str":
        assert value, f"{field} is empty"
    elif kind == "bool":
        assert value in ("true", "false"), f"{field}: {value!r}"
    elif kind == "int":
        assert value.isdigit(), f"{field}: {value!r}"
    elif kind == "datetime":
        assert W3C_DATETIME.match(value), f"{field}: {value!r}"
    elif kind == "number?" and value:
        float(value)


def assert_fields(element: Element, table: tuple[tuple[str, str], ...], *extra: str) -> None:
    """`element` has the table's fields in its order (then `extra` ones), each of its kind."""
    assert [child.tag for child in element] == [name for name, _kind in table] + list(extra)
    for name, kind in table:
        child = element.find(name)
        assert child is not None
        _check(kind, child.text, f"{element.tag}/{name}")


def spark(element: Element) -> Any:
    """The XML in the JSON's shape, every value as text: a list element becomes a list, an
    element with children an object, an empty element None."""
    if element.tag in LISTS:
        assert all(child.tag == LISTS[element.tag] for child in element), element.tag
        return [spark(child) for child in element]
    if len(element):
        return {child.tag: spark(child) for child in element}
    return element.text


def as_text(value: Any) -> Any:
    """JSON's values as XML writes them, to compare both formats."""
    if isinstance(value, Mapping):
        return {key: as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# Keys ---------------------------------------------------------------------------------------


def issued_key(name: str = "Centre d'appels 311") -> open311_keys.IssuedKey:
    return open311_keys.issue_key(actor=administrator(), name=name)


# A live server ------------------------------------------------------------------------------


class _SharingServer(ThreadedWSGIServer):
    def _close_connections(self) -> None:
        """The test's connection stays open: its transaction ends with the test."""


@contextmanager
def live_server() -> Iterator[str]:
    """Agora served on a free port of 127.0.0.1 through the test's database connection;
    yields the server's address. Requests are served one after the other by the tests'
    clients, so the connection is never used by two threads at once."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.inc_thread_sharing()
    # As Django's test client does: a request's end must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    server = _SharingServer(
        ("127.0.0.1", 0),
        QuietWSGIRequestHandler,
        allow_reuse_address=False,
        connections_override={DEFAULT_DB_ALIAS: connection},
    )
    server.set_app(WSGIHandler())
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="open311-live-server"
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        connection.dec_thread_sharing()
