"""The arguments of the Open311 API, read and checked: the query of GET requests, and the
form a POST files a request with. Every mistake found is reported at once, as the
standard's error array (400), and nothing is read from the database before the arguments
are known to be sound.

GET requests (`RequestQuery`):

- `service_request_id`: comma-separated numbers; overrides the other filters (the page
  still applies). Numbers that cannot be tracking numbers match nothing.
- `service_code`: comma-separated codes; unknown codes match nothing (a filter, not an error).
- `start_date`, `end_date`: W3C datetimes with their offset (`2026-03-01T00:00:00-05:00`,
  `…Z`), or dates (`2026-03-01`, a whole day in the city's time zone). They may not span
  more than 90 days; with one of them alone the range is the 90 days after or before it,
  with neither the last 90 days.
- `status`: `open`, `closed`, or both, comma-separated.
- `page`, `page_size` (the "pagination" extension): from 1; `page_size` at most 1,000, the
  standard's default cap, which is also the default.

POST requests (`FilingArguments`): the standard's fields, `attribute[CODE]=value` for the
service's questions and `attribute[CODE][]=value` repeated for a multiple-choice question.
`device_id` and `account_id` are not kept: Agora keeps what the desk needs to answer
(minimal data). `address_id` needs the city's address register, which Agora does not have:
alone, it is refused with an explanation.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from agora.citizen_requests.open311_render import Open311Error
from agora.citizen_requests.selectors import normalized_tracking_number

OPEN = "open"
CLOSED = "closed"
MAX_RANGE = datetime.timedelta(days=90)
MAX_PAGE_SIZE = 1000
MAX_PAGE = 1_000_000
NUMBER = re.compile(r"^[0-9]{1,7}$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Years a request can have been filed in: beyond them a datetime is a mistake, and some
# could not even be converted to UTC.
FIRST_YEAR, LAST_YEAR = 1900, 2999
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def _values(text: str) -> list[str]:
    """The non-empty items of a comma-separated list, in order, each once."""
    return list(dict.fromkeys(item.strip() for item in text.split(",") if item.strip()))


@dataclass(frozen=True)
class RequestQuery:
    numbers: tuple[str, ...] | None  # service_request_id, when given: overrides the rest
    service_codes: tuple[str, ...] = ()
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    statuses: frozenset[str] = frozenset()
    page: int = 1
    page_size: int = MAX_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def _day_start(text: str, *, end: bool) -> datetime.datetime | None:
    """A date (`2026-03-01`): the start of that day in the city's time zone, or of the next
    day for an end."""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start + datetime.timedelta(days=1) if end else start


def _moment(
    name: str, text: str, *, end: bool, errors: list[tuple[int, str]]
) -> datetime.datetime | None:
    """The datetime `text` names, or None after adding an error."""
    moment: datetime.datetime | None
    if DATE.match(text):
        moment = _day_start(text, end=end)
    else:
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None:
            errors.append(
                (
                    400,
                    _(
                        "%(parameter)s : donnez le fuseau horaire (Z ou ±hh:mm), par exemple "
                        "2026-03-01T00:00:00-05:00."
                    )
                    % {"parameter": name},
                )
            )
            return None
        if moment is not None and not FIRST_YEAR <= moment.year <= LAST_YEAR:
            moment = None
    if moment is None:
        errors.append(
            (
                400,
                _(
                    "%(parameter)s : écrivez une date et heure W3C, par exemple "
                    "2026-03-01T00:00:00-05:00, ou une date, par exemple 2026-03-01."
                )
                % {"parameter": name},
            )
        )
    return moment


def _wall_clock(moment: datetime.datetime) -> datetime.datetime:
    """The city's clock at `moment`: 90 days from a date to another are 90 days on the
    calendar, even across a change to or from daylight saving time."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _whole_number(
    name: str, text: str, *, default: int, top: int, errors: list[tuple[int, str]]
) -> int:
    if not text:
        return default
    number = int(text) if NUMBER.match(text) else 0
    if not 1 <= number <= top:
        errors.append(
            (
                400,
                _("%(parameter)s : donnez un nombre entier de 1 à %(top)s.")
                % {"parameter": name, "top": f"{top:,}".replace(",", " ")},
            )
        )
        return default
    return number


def request_query(params: QueryDict, *, now: datetime.datetime | None = None) -> RequestQuery:
    """The query of GET requests; Open311Error (400) listing every mistake."""
    errors: list[tuple[int, str]] = []
    page = _whole_number(
        "page", params.get("page", "").strip(), default=1, top=MAX_PAGE, errors=errors
    )
    page_size = _whole_number(
        "page_size",
        params.get("page_size", "").strip(),
        default=MAX_PAGE_SIZE,
        top=MAX_PAGE_SIZE,
        errors=errors,
    )
    raw_numbers = params.get("service_request_id", "").strip()
    if raw_numbers:
        given = _values(raw_numbers)
        if len(given) > MAX_PAGE_SIZE:
            errors.append(
                (400, _("service_request_id : demandez au plus 1 000 requêtes à la fois."))
            )
        if errors:
            raise Open311Error(400, errors)
        numbers = [normalized_tracking_number(number) for number in given]
        return RequestQuery(
            numbers=tuple(dict.fromkeys(number for number in numbers if number)),
            page=page,
            page_size=page_size,
        )
    statuses = _values(params.get("status", "").lower())
    if any(status not in (OPEN, CLOSED) for status in statuses):
        errors.append((400, _("status : les valeurs possibles sont open et closed.")))
    start_text = params.get("start_date", "").strip()
    end_text = params.get("end_date", "").strip()
    start = _moment("start_date", start_text, end=False, errors=errors) if start_text else None
    end = _moment("end_date", end_text, end=True, errors=errors) if end_text else None
    if start is not None and end is not None:
        if end < start:
            errors.append((400, _("end_date précède start_date.")))
        elif _wall_clock(end) - _wall_clock(start) > MAX_RANGE:
            errors.append((400, _("start_date et end_date ne peuvent couvrir plus de 90 jours.")))
    if errors:
        raise Open311Error(400, errors)
    if start is not None and end is None:
        end = start + MAX_RANGE
    elif start is None:
        start = (end if end is not None else (now or timezone.now())) - MAX_RANGE
    return RequestQuery(
        numbers=None,
        service_codes=tuple(_values(params.get("service_code", ""))),
        start=start,
        end=end,
        statuses=frozenset(statuses),
        page=page,
        page_size=page_size,
    )


# Filing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilingArguments:
    """What a POST gives `filing.file_request`, with the service's code still to look up."""

    service_code: str
    description: str
    address: str
    latitude: str
    longitude: str
    answers: dict[str, Any] = field(default_factory=dict)
    contact_email: str = ""
    contact_phone: str = ""
    contact_name: str = ""
    media_url: str = ""


def _answers(params: QueryDict) -> dict[str, Any]:
    """`attribute[CODE]=value` as a text, `attribute[CODE][]=value` (repeated) as a list."""
    answers: dict[str, Any] = {}
    for name, values in params.lists():
        match = ATTRIBUTE.match(name)
        if match is None:
            continue
        code, many = match.group(1), match.group(2)
        if many:
            kept = answers.get(code)
            answers[code] = [*(kept if isinstance(kept, list) else []), *values]
        elif code not in answers:
            answers[code] = values[-1]
    return answers


def filing_arguments(params: QueryDict) -> FilingArguments:
    """The arguments of a POST; Open311Error (400) when the service or the place is missing."""
    service_code = params.get("service_code", "").strip()
    address = params.get("address_string", "").strip()
    latitude = params.get("lat", "").strip()
    longitude = params.get("long", "").strip()
    errors: list[tuple[int, str]] = [
        (
            400,
            _("%(parameter)s : le caractère nul n'est pas permis.")
            % {"parameter": name.replace("\x00", "")[:60]},
        )
        for name, values in params.lists()
        if "\x00" in name or any("\x00" in value for value in values)
    ]
    if errors:
        raise Open311Error(400, errors)
    if not service_code:
        errors.append((400, _("service_code : ce paramètre est obligatoire.")))
    if params.get("address_id", "").strip() and not (address or latitude or longitude):
        errors.append(
            (
                400,
                _(
                    "address_id : Agora n'a pas de registre d'adresses. Donnez plutôt lat et "
                    "long, ou address_string."
                ),
            )
        )
    if errors:
        raise Open311Error(400, errors)
    names = (params.get("first_name", "").strip(), params.get("last_name", "").strip())
    return FilingArguments(
        service_code=service_code,
        description=params.get("description", ""),
        address=address,
        latitude=latitude,
        longitude=longitude,
        answers=_answers(params),
        contact_email=params.get("email", ""),
        contact_phone=params.get("phone", ""),
        contact_name=" ".join(name for name in names if name),
        media_url=params.get("media_url", ""),
    )


# The write path's refusals, named as the API's parameters.
PARAMETERS: Mapping[str, str] = {
    "service": "service_code",
    "description": "description",
    "address": "address_string",
    "point": "lat, long",
    "contact_email": "email",
    "contact_phone": "phone",
    "contact_name": "first_name, last_name",
    "media_url": "media_url",
    "photos": "media_url",
}


def parameter_of(field_name: str) -> str:
    """The API's name for a field `filing.file_request` refused."""
    if field_name.startswith("attribute_"):
        return f"attribute[{field_name.removeprefix('attribute_')}]"
    return PARAMETERS.get(field_name, field_name)


def filing_refusal(message_dict: Mapping[str, list[str]]) -> Open311Error:
    """`file_request`'s ValidationError, one Open311 error (400) per message."""
    return Open311Error(
        400,
        [
            (
                400,
                _("%(parameter)s : %(message)s")
                % {"parameter": parameter_of(name), "message": message},
            )
            for name, messages in message_dict.items()
            for message in messages
        ],
    )
