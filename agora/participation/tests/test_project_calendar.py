"""iCalendar of project phases: residents add a project's steps, or every project's, to their
own calendar, and a subscribed calendar updates rather than duplicates them."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from agora.core.models import Branding
from agora.participation import ical
from agora.participation.models import ProjectIndexPage, ProjectPage
from agora.participation.tests.factories import (
    ProjectPageFactory,
    idea_box_phase,
    information_phase,
)

pytestmark = pytest.mark.django_db


# Every test runs with the clock stopped here (the root conftest.py stops it).
CLOCK = "2026-05-01 12:00:00-04:00"


def unfold(text: str) -> list[str]:
    """The content lines of an iCalendar text (RFC 5545, 3.1)."""
    return text.replace("\r\n ", "").split("\r\n")


def events(text: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            found.append({})
        elif found and line != "END:VEVENT" and ":" in line:
            name, value = line.split(":", 1)
            found[-1].setdefault(name, value)
    return found


# The format ---------------------------------------------------------------------------------


def test_text_values_escape_backslash_semicolon_comma_and_newlines() -> None:
    assert ical.escape_text("a\\b; c, d\ne\r\nf") == "a\\\\b\\; c\\, d\\ne\\nf"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character() -> None:
    line = "DESCRIPTION:" + "é" * 100

    folded = ical.fold(line)

    physical = folded.split("\r\n")
    assert len(physical) > 1
    assert all(len(part.encode()) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert folded.replace("\r\n ", "") == line


def test_a_calendar_ends_every_line_with_crlf_and_ends_an_all_day_event_the_day_after() -> None:
    text = ical.calendar(
        name="Projets",
        events=[
            ical.AllDayEvent(
                uid="phase-1@ville.test",
                summary="Atelier",
                start=datetime.date(2026, 5, 1),
                last_day=datetime.date(2026, 5, 31),
            )
        ],
        stamp=datetime.datetime(2026, 5, 1, 16, 0, tzinfo=datetime.UTC),
    )

    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = unfold(text)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert "DTSTART;VALUE=DATE:20260501" in lines
    assert "DTEND;VALUE=DATE:20260601" in lines
    assert "DTSTAMP:20260501T160000Z" in lines


# The views ----------------------------------------------------------------------------------


@pytest.fixture
def park(project_index: ProjectIndexPage, branding: Branding) -> ProjectPage:
    return ProjectPageFactory.create(
        parent=project_index,
        title="Parc riverain",
        slug="parc-riverain",
        location_name="Berge, rue des Érables",
        phases=[
            information_phase(
                name="Portrait; état des lieux",
                start_date=datetime.date(2026, 3, 1),
                end_date=datetime.date(2026, 3, 31),
                description="Visites, photos et relevés.\nVenez nombreux.",
            ),
            idea_box_phase(
                name="Vos idées",
                start_date=datetime.date(2026, 4, 20),
                end_date=datetime.date(2026, 5, 20),
            ),
            information_phase(name="Chantier", start_date=datetime.date(2026, 9, 1), end_date=None),
        ],
    )


def test_a_project_calendar_has_one_event_per_phase(client: Client, park: ProjectPage) -> None:
    response = client.get(park.subpage_url("calendar"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="calendrier-parc-riverain.ics"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    found = events(text)
    assert [event["SUMMARY"] for event in found] == [
        "Parc riverain — Portrait\\; état des lieux",
        "Parc riverain — Vos idées",
        "Parc riverain — Chantier",
    ]
    first = found[0]
    assert first["DTSTART;VALUE=DATE"] == "20260301"
    assert first["DTEND;VALUE=DATE"] == "20260401"  # exclusive: the day after March 31
    assert first["DESCRIPTION"] == "Information. Visites\\, photos et relevés.\\nVenez nombreux."
    assert first["LOCATION"] == "Berge\\, rue des Érables"
    assert first["URL"] == "http://testserver/fr/projets/parc-riverain/"
    assert "DTEND;VALUE=DATE" not in found[2]  # an open-ended phase shows on its first day


def test_uids_are_stable_per_phase_and_shared_by_both_languages(
    client: Client, park: ProjectPage
) -> None:
    from agora.pages.tests.factories import translate

    english = translate(park, "en", title="Riverside park", slug="riverside-park")
    key = park.phases.get(name="Vos idées").translation_key

    french_uids = [
        e["UID"] for e in events(client.get(park.subpage_url("calendar")).content.decode())
    ]
    again = [e["UID"] for e in events(client.get(park.subpage_url("calendar")).content.decode())]
    english_uids = [
        e["UID"]
        for e in events(client.get("/en/projects/riverside-park/calendar/").content.decode())
    ]

    assert f"phase-{key}@testserver" in french_uids
    assert french_uids == again
    assert sorted(english_uids) == sorted(french_uids)
    assert english.live


def test_the_index_calendar_holds_the_phases_of_every_published_project(
    client: Client, project_index: ProjectIndexPage, park: ProjectPage
) -> None:
    ProjectPageFactory.create(
        parent=project_index,
        title="Piste cyclable",
        phases=[idea_box_phase(name="Tracé", start_date=datetime.date(2026, 4, 1))],
    )
    ProjectPageFactory.create(parent=project_index, title="Brouillon", publish=False)

    response = client.get(project_index.subpage_url("calendar"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    summaries = [event["SUMMARY"] for event in events(response.content.decode())]
    assert summaries == [
        "Parc riverain — Portrait\\; état des lieux",
        "Piste cyclable — Tracé",
        "Parc riverain — Vos idées",
        "Parc riverain — Chantier",
    ]


def test_the_calendar_of_a_draft_project_is_not_found(
    client: Client, project_index: ProjectIndexPage
) -> None:
    ProjectPageFactory.create(parent=project_index, slug="secret", publish=False)

    assert client.get("/fr/projets/secret/calendrier/").status_code == 404


def test_the_english_calendar_is_served_under_en(
    client: Client, english_project: ProjectPage
) -> None:
    response = client.get("/en/projects/riverside-park/calendar/")

    assert response.status_code == 200
    assert [e["SUMMARY"] for e in events(response.content.decode())] == [
        "Riverside park — Boîte à idées"
    ]
    assert client.get("/en/projects/calendar/").status_code == 200


def test_archived_projects_leave_the_index_calendar(
    client: Client, project_index: ProjectIndexPage, park: ProjectPage
) -> None:
    from agora.pages.tests.factories import translate

    translate(park, "en", title="Riverside park", slug="riverside-park")
    assert events(client.get("/en/projects/calendar/").content.decode())
    # The archiving service marks the French source page; the translation follows it.
    ProjectPage.objects.filter(pk=park.pk).update(archived_at=timezone.now())

    french = events(client.get(project_index.subpage_url("calendar")).content.decode())
    english = events(client.get("/en/projects/calendar/").content.decode())

    assert french == []
    assert english == []
