"""Subscribers over time (Alertes → Abonnés): the active subscribers (a subscription not ended
with a confirmed contact point not opted out) by channel, topic and zone, the subscriptions
begun and ended per month of the municipality over the last 12 months, the charts with their
tables, and the CSV and XLSX files."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries
from time_machine import TimeMachineFixture

from agora.accounts.tests.team_factories import administrator, client_of
from agora.alerts import statistics
from agora.alerts.models import Subscriber, Topic, Zone
from agora.alerts.tests.factories import (
    ContactPointFactory,
    SubscriberFactory,
    TopicFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

TORONTO = datetime.timezone(datetime.timedelta(hours=-5))


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TORONTO)


def person(
    zone: Zone,
    created: str,
    contacts: list[tuple[str, dict[str, Any]]],
    *,
    topics: list[Topic] = (),  # type: ignore[assignment]
    unsubscribed: str = "",
) -> Subscriber:
    subscriber: Subscriber = SubscriberFactory.create(
        created_at=at(created), unsubscribed_at=at(unsubscribed) if unsubscribed else None
    )
    subscriber.places.create(label="Maison").zones.add(zone)
    subscriber.topics.set(topics)
    for index, (channel, fields) in enumerate(contacts):
        address = f"{subscriber.pk}-{index}@exemple.ca" if channel == "email" else None
        ContactPointFactory.create(
            subscriber=subscriber,
            channel=channel,
            address=address or f"+1450555{subscriber.pk:02d}{index:02d}",
            **fields,
        )
    return subscriber


@pytest.fixture
def city(time_machine: TimeMachineFixture) -> dict[str, Any]:
    time_machine.move_to("2026-12-07 09:00:00-05:00", tick=False)
    north: Zone = ZoneFactory.create(name_fr="Nord", position=1)
    south: Zone = ZoneFactory.create(name_fr="Sud", position=2)
    mandatory: Topic = TopicFactory.create(name_fr="Sécurité civile", mandatory=True)
    roadwork: Topic = TopicFactory.create(name_fr="Travaux", position=1)
    collections: Topic = TopicFactory.create(name_fr="Collectes", position=2)
    confirmed = {"verified_at": at("2026-11-15 10:00")}
    # Active, chose roadwork.
    person(north, "2026-11-15 09:00", [("email", confirmed)], topics=[roadwork])
    # Active on two channels; subscribed on Nov 30 in the evening in Québec (Dec 1 in UTC).
    person(
        south,
        "2026-11-30 22:00",
        [("email", {"verified_at": at("2026-11-30 22:10")}), ("sms", confirmed)],
    )
    # Ended on Dec 3, had chosen collections.
    person(
        north,
        "2026-10-10 12:00",
        [
            (
                "email",
                {"verified_at": at("2026-10-10 12:05"), "opted_out_at": at("2026-12-03 08:00")},
            )
        ],
        topics=[collections],
        unsubscribed="2026-12-03 08:00",
    )
    # Never confirmed: not active.
    person(south, "2026-12-02 12:00", [("email", {"verified_at": None})])
    # Subscribed long ago: reachable by call only, their e-mail withdrawn this month.
    person(
        south,
        "2025-06-01 12:00",
        [
            ("voice", {"verified_at": at("2025-06-01 12:10")}),
            (
                "email",
                {"verified_at": at("2025-06-01 12:10"), "opted_out_at": at("2026-12-05 09:00")},
            ),
        ],
    )
    return {"mandatory": mandatory, "roadwork": roadwork, "collections": collections}


def tallies(rows: list[statistics.Tally]) -> dict[str, int]:
    return {row.name: row.count for row in rows}


@pytest.mark.postgresql
def test_the_active_subscribers_by_channel_topic_and_zone(
    city: dict[str, Any], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(8):
        figures = statistics.subscriber_statistics()

    assert figures.active == 3
    assert tallies(figures.per_channel) == {"Courriel": 2, "Texto (SMS)": 1, "Appel automatisé": 1}
    assert tallies(figures.per_topic) == {
        "Sécurité civile (obligatoire)": 3,
        "Travaux": 1,
        "Collectes": 0,
    }
    assert tallies(figures.per_zone) == {"Nord": 1, "Sud": 2}


@pytest.mark.postgresql
def test_the_last_twelve_months_in_the_municipalitys_time(city: dict[str, Any]) -> None:
    months = statistics.subscriber_statistics().per_month

    assert [row.month for row in months] == [datetime.date(2026, m, 1) for m in range(1, 13)]
    by_month = {row.month.month: row for row in months}
    assert (by_month[10].subscribed, by_month[11].subscribed, by_month[12].subscribed) == (1, 2, 1)
    assert by_month[12].unsubscribed == 1
    assert sum(row.unsubscribed for row in months) == 1
    assert (by_month[10].confirmed, by_month[11].confirmed) == (1, 3)
    assert by_month[12].withdrawn == 2
    assert sum(row.subscribed for row in months) == 4  # the one from 2025 is out of range


def test_twelve_months_back_cross_the_year() -> None:
    assert statistics.months_back(datetime.date(2027, 2, 14), 3) == [
        datetime.date(2026, 12, 1),
        datetime.date(2027, 1, 1),
        datetime.date(2027, 2, 1),
    ]


def test_the_page_draws_each_chart_with_its_table(city: dict[str, Any]) -> None:
    response = client_of(administrator()).get(reverse("alert_reports:subscribers"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<figure class="agora-chart"') == 5
    assert html.count('<details class="agora-chart__data">') == 5
    assert "3 abonnés actifs" in html
    assert "core/charts.css" in html
    assert "Abonnements commencés par mois" in html
    assert '<th scope="row">Sécurité civile (obligatoire)</th>' in html


def test_the_figures_download_as_csv_and_xlsx(city: dict[str, Any]) -> None:
    client = client_of(administrator())

    csv_response = client.get(reverse("alert_reports:subscribers_file", args=["csv"]))
    xlsx_response = client.get(reverse("alert_reports:subscribers_file", args=["xlsx"]))
    unknown = client.get(reverse("alert_reports:subscribers_file", args=["pdf"]))

    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Tableau,Catégorie,Mesure,Valeur"
    assert "En bref,Abonnés actifs,Valeur,3" in lines
    assert "Par zone,Sud,Abonnés actifs,2" in lines
    assert "Par mois,2026-12,Désabonnements,1" in lines
    assert 'filename="abonnes-alertes-2026-12-07.csv"' in csv_response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(xlsx_response.content))
    assert workbook.sheetnames == ["En bref", "Par moyen", "Par sujet", "Par zone", "Par mois"]
    month_rows = list(workbook["Par mois"].iter_rows(values_only=True))
    assert month_rows[0][0] == "Mois"
    assert len(month_rows) == 1 + 12
    assert unknown.status_code == 404
