"""iCalendar (RFC 5545) of project phases, written by hand: a phase is an all-day event, and
the little of the format that Agora needs does not warrant a dependency.

What the RFC asks and calendar programs check: lines end with CRLF and are folded at 75
octets (continuation lines start with a space, never inside a UTF-8 character); TEXT values
escape backslash, semicolon, comma and newlines; a DATE end is exclusive (the day after the
last day); UID is stable so that a subscribed calendar updates an event instead of
duplicating it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
MAX_LINE_OCTETS = 75
PRODUCT_ID = "-//Agora//Participation//FR"


@dataclass(frozen=True)
class AllDayEvent:
    uid: str
    summary: str
    start: datetime.date
    # The last day included; None for a phase without an end date (shown on its first day).
    last_day: datetime.date | None = None
    description: str = ""
    url: str = ""
    location: str = ""


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """Splits a content line into lines of at most 75 octets (RFC 5545, 3.1)."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_LINE_OCTETS
    for character in line:
        octets = len(character.encode())
        if size + octets > limit:
            pieces.append(current)
            current, size = "", 0
            limit = MAX_LINE_OCTETS - 1  # the leading space of a continuation line counts
        current += character
        size += octets
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def _event_lines(event: AllDayEvent, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(event.start)}",
    ]
    if event.last_day is not None:
        lines.append(f"DTEND;VALUE=DATE:{_date(event.last_day + datetime.timedelta(days=1))}")
    lines.append(f"SUMMARY:{escape_text(event.summary)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("TRANSP:TRANSPARENT")  # a phase does not make anyone busy
    lines.append("END:VEVENT")
    return lines


def calendar(*, name: str, events: Iterable[AllDayEvent], stamp: datetime.datetime) -> str:
    """A VCALENDAR of all-day events. `stamp` (aware) is when the data was current."""
    stamp_text = stamp.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp_text))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
