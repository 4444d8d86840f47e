"""Open311 GeoReport v2 responses in XML and JSON, from one structure.

The API's views build each document once, as plain data: a mapping is an XML element with
one child per key (a JSON object), a `Many` is an XML element holding one child element per
entry (a JSON array: the "Spark convention" the standard maps XML to JSON with), and a
scalar is the text of its element. The standard's lists are top-level arrays in JSON
(`services/service` becomes `[{…}]`), its service definition and discovery are objects.

Scalars are written the same way in both formats: strings as given (codes are strings,
never numbers), booleans as `true`/`false`, numbers as numbers, and `None` as an empty
element in XML and `null` in JSON, as in the standard's examples. Datetimes arrive already
written with their offset (`open311_selectors.w3c`).

XML has no namespace (the standard's advice) and carries `encoding="UTF-8"` in its
declaration; characters XML 1.0 cannot carry (control characters a resident's text may
hold) are left out of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

from django.http import HttpResponse

Format = Literal["xml", "json"]
FORMATS: tuple[Format, ...] = ("xml", "json")
CONTENT_TYPES: dict[Format, str] = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# What XML 1.0 cannot carry, even escaped: the C0 controls but tab and line breaks,
# lone surrogates, and the two non-characters U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A carriage return written as such would become a line feed for every XML parser.
KEPT_AS_REFERENCES = {"\r": "&#13;"}


@dataclass(frozen=True)
class Many:
    """A list: `<wrapper><item>…</item><item>…</item></wrapper>` in XML, an array in JSON."""

    item: str
    entries: Sequence[Any]


class Open311Error(Exception):
    """A refusal as the standard writes it: the HTTP status, and one or more errors, each
    with its code (usually the HTTP status) and a description meant for the person."""

    def __init__(self, status: int, errors: Iterable[tuple[int, str]]) -> None:
        self.status = status
        self.errors = tuple(errors)
        super().__init__(status, self.errors)

    @classmethod
    def one(cls, status: int, description: str) -> Open311Error:
        return cls(status, [(status, description)])


# JSON ---------------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, Many):
        return list(value.entries)
    raise TypeError(f"{type(value).__name__} is not part of an Open311 document")


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)


# XML ----------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    text = value if isinstance(value, str) else str(value)
    if NOT_XML.search(text):
        text = NOT_XML.sub("", text)
    return escape(text, KEPT_AS_REFERENCES)


def _write(tag: str, value: Any, out: list[str]) -> None:
    if value is None:
        out.append(f"<{tag}/>")
    elif isinstance(value, Mapping):
        out.append(f"<{tag}>")
        for key, child in value.items():
            _write(key, child, out)
        out.append(f"</{tag}>")
    elif isinstance(value, Many):
        out.append(f"<{tag}>")
        for entry in value.entries:
            _write(value.item, entry, out)
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}>{_text(value)}</{tag}>")


def to_xml(root: str, value: Any) -> str:
    out = [XML_DECLARATION]
    _write(root, value, out)
    out.append("\n")
    return "".join(out)


# Responses ----------------------------------------------------------------------------------


def to_document(fmt: Format, root: str, value: Any) -> str:
    """The document `value` in `fmt`; `root` names its XML root element."""
    return to_json(value) if fmt == "json" else to_xml(root, value)


def respond(fmt: Format, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    body = to_document(fmt, root, value)
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def error_entries(errors: Iterable[tuple[int, str]]) -> Many:
    return Many("error", [{"code": code, "description": text} for code, text in errors])


def respond_error(fmt: Format, refusal: Open311Error) -> HttpResponse:
    """`errors/error` (`[{"code": 403, "description": "…"}]` in JSON) with its HTTP status."""
    return respond(fmt, "errors", error_entries(refusal.errors), status=refusal.status)
