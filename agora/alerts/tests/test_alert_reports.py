"""The delivery report of an alert (Alertes → Rapports d'envoi): each contact point counted
once by its last attempt, in one outcome per channel, in one query; the failing contacts
listed and downloaded (audited); the index of sent alerts; a draft has no report; who may
open each screen, role by role."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from agora.accounts.models import User
from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import (
    DepartmentFactory,
    UserFactory,
    administrator,
    client_of,
    department_manager,
    resident,
)
from agora.alerts import report_views, reports
from agora.alerts.models import Alert, AlertState, ContactChannel, ContactPoint, MessageType
from agora.alerts.reports import Outcome
from agora.alerts.sending import delivery_key
from agora.alerts.tests.factories import AlertFactory, ContactPointFactory
from agora.core.models import AuditEntry, Delivery

pytestmark = pytest.mark.django_db

EARLIER = timezone.now() - datetime.timedelta(hours=2)

# Per contact point: its channel, then its attempts as (state, report); the outcome expected.
CASES: list[tuple[str, list[tuple[str, str]], str]] = [
    ("email", [("sent", "")], Outcome.SENT),
    ("email", [("pending", "")], Outcome.QUEUED),
    ("email", [("failed", "")], Outcome.FAILED),
    ("email", [("abandoned", "")], Outcome.FAILED),
    ("sms", [("sent", "delivered")], Outcome.DELIVERED),
    ("sms", [("sent", "undelivered")], Outcome.FAILED),
    ("sms", [("sent", "buffered")], Outcome.SENT),
    ("sms", [("sent", "opted-out")], Outcome.OPTED_OUT),
    ("voice", [("sent", "no-answer"), ("sent", "completed")], Outcome.DELIVERED),
    ("voice", [("sent", "busy"), ("sent", "no-answer")], Outcome.NO_ANSWER),
    ("voice", [("failed", ""), ("pending", "")], Outcome.QUEUED),
]


def point(channel: str = "email", **fields: Any) -> ContactPoint:
    if channel != "email":
        fields.setdefault("address", f"+1450555{ContactPoint.objects.count():04d}")
    created: ContactPoint = ContactPointFactory.create(channel=channel, **fields)
    return created


def deliver(
    alert: Alert,
    contact: ContactPoint,
    attempt: int = 1,
    state: str = "sent",
    report: str = "",
    **fields: Any,
) -> Delivery:
    return Delivery.objects.create(
        key=delivery_key(alert, contact.pk, attempt),
        channel=contact.channel,
        recipient=contact.address,
        language=contact.subscriber.language,
        state=state,
        report=report,
        attempts=1,
        created_at=fields.pop("created_at", EARLIER),
        **fields,
    )


def sent_alert(**fields: Any) -> Alert:
    alert: Alert = AlertFactory.create(send_voice=True, **fields)
    return alert


def fill(alert: Alert) -> None:
    for channel, attempts, _outcome in CASES:
        contact = point(channel)
        for number, (state, report) in enumerate(attempts, start=1):
            deliver(alert, contact, number, state, report, last_error="boom" * (state == "failed"))
    # Opted out after its e-mail was written; and one opted out before (not this alert's doing).
    withdrawn = point(opted_out_at=timezone.now(), opt_out_source="link")
    deliver(alert, withdrawn)
    earlier = point(opted_out_at=EARLIER - datetime.timedelta(days=1))
    deliver(alert, earlier)
    # Attempt 10 comes after attempt 2, though "10" sorts before "2".
    called = point("voice")
    deliver(alert, called, 2, "sent", "busy")
    deliver(alert, called, 10, "sent", "completed")


def expected() -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for channel, _attempts, outcome in CASES:
        counts.setdefault(channel, {}).setdefault(outcome, 0)
        counts[channel][outcome] += 1
    counts["email"][Outcome.OPTED_OUT] = 1
    counts["email"][Outcome.SENT] += 1
    counts["voice"][Outcome.DELIVERED] += 1
    return counts


@pytest.mark.postgresql
def test_each_contact_point_counts_once_by_its_last_attempt_in_one_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    alert = sent_alert()
    fill(alert)
    other = sent_alert()
    deliver(other, point())  # another alert's message is not this one's
    deliver(sent_alert(), point(), state="failed")

    with django_assert_num_queries(1):
        report = reports.alert_report(alert)

    assert {row.channel: row.counts for row in report.per_channel} == expected()
    assert [row.channel for row in report.per_channel] == ["email", "sms", "voice"]
    assert report.totals.total == len(CASES) + 3
    assert reports.alert_report(other).totals.cells() == [0, 1, 0, 0, 0, 0]


def test_a_channel_the_alert_uses_shows_even_without_messages() -> None:
    report = reports.alert_report(sent_alert(send_sms=False))

    assert [(row.channel, row.total) for row in report.per_channel] == [("email", 0), ("voice", 0)]


@pytest.mark.postgresql
def test_the_failing_contacts_are_those_whose_last_attempt_failed_or_got_no_answer() -> None:
    alert = sent_alert()
    fill(alert)

    failing = list(reports.failing(alert))

    assert sorted((d.channel, d.outcome) for d in failing) == [
        ("email", Outcome.FAILED),
        ("email", Outcome.FAILED),
        ("sms", Outcome.FAILED),
        ("voice", Outcome.NO_ANSWER),
    ]


def test_the_index_gives_each_sent_alert_its_totals_and_leaves_drafts_out(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    alert = sent_alert(headline_fr="Coupure d'eau rue Principale")
    fill(alert)
    AlertFactory.create(headline_fr="Brouillon pas envoyé", state=AlertState.DRAFT, sent_at=None)
    client = client_of(administrator())

    response = client.get(reverse("alert_reports:index"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Coupure d&#x27;eau rue Principale" in html
    assert reverse("alert_reports:report", args=[alert.pk]) in html
    assert "Brouillon pas envoyé" not in html
    assert f"<td>{len(CASES) + 3}</td>" in html


def test_the_index_shows_twenty_alerts_a_page() -> None:
    for index in range(report_views.ALERTS_PER_PAGE + 1):
        sent_alert(
            headline_fr=f"Alerte {index:02d}",
            sent_at=timezone.now() - datetime.timedelta(minutes=index),
        )
    client = client_of(administrator())

    first = client.get(reverse("alert_reports:index")).content.decode()
    second = client.get(reverse("alert_reports:index") + "?page=2").content.decode()

    assert "Alerte 00" in first
    assert "Alerte 20" not in first
    assert "Alerte 20" in second
    assert "?page=2" in first


def test_the_report_page_shows_the_counts_the_failures_and_the_chain() -> None:
    alert = sent_alert()
    fill(alert)
    update = sent_alert(message_type=MessageType.UPDATE, references=alert, headline_fr="Suite")

    response = client_of(UserFactory.create(roles=[Role.CLERK])).get(
        reverse("alert_reports:report", args=[alert.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Messages par moyen de contact" in html
    assert "Sans réponse" in html
    failing_addresses = [delivery.recipient for delivery in reports.failing(alert)]
    assert len(failing_addresses) == 4
    assert all(address in html for address in failing_addresses)
    assert "4 moyens de contact n'ont pas reçu l'alerte." in html
    assert reverse("alert_reports:report", args=[update.pk]) in html
    assert reverse("alert_reports:failing_file", args=[alert.pk, "csv"]) in html


def test_an_unknown_alert_is_a_404() -> None:
    client = client_of(administrator())

    # /gestion/ is outside the language prefixes: Django's LocaleMiddleware first tries the
    # address under /fr/, which is no page either.
    page = client.get(reverse("alert_reports:report", args=[987654]), follow=True)
    assert page.status_code == 404
    assert client.get(reverse("alert_reports:report_file", args=[987654, "csv"])).status_code == 404


def test_a_draft_alert_says_it_has_no_report_yet() -> None:
    draft: Alert = AlertFactory.create(state=AlertState.DRAFT, sent_at=None)
    client = client_of(administrator())

    response = client.get(reverse("alert_reports:report", args=[draft.pk]))
    file = client.get(reverse("alert_reports:report_file", args=[draft.pk, "csv"]))

    assert response.status_code == 200
    assert "pas encore de rapport d'envoi" in response.content.decode()
    assert file.status_code == 404
    with pytest.raises(reports.NotReportedError):
        reports.alert_report(draft)


def test_an_unknown_file_format_is_a_404() -> None:
    alert = sent_alert()
    client = client_of(administrator())

    assert (
        client.get(reverse("alert_reports:report_file", args=[alert.pk, "pdf"])).status_code == 404
    )
    assert (
        client.get(reverse("alert_reports:failing_file", args=[alert.pk, "ods"])).status_code == 404
    )


def test_the_report_downloads_as_csv_and_xlsx() -> None:
    alert = sent_alert()
    fill(alert)
    client = client_of(administrator())

    csv_text = client.get(reverse("alert_reports:report_file", args=[alert.pk, "csv"]))
    xlsx = client.get(reverse("alert_reports:report_file", args=[alert.pk, "xlsx"]))

    lines = csv_text.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ("Moyen,En attente,Transmis,Reçus,En échec,Sans réponse,Désabonnés,Total")
    assert lines[1] == "Courriel,1,2,0,2,0,1,6"
    assert lines[-1].startswith(f"Total,{2},")
    assert f'filename="rapport-alerte-{alert.pk}.csv"' in csv_text["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Moyen"
    assert rows[-1][-1] == len(CASES) + 3


def test_the_failing_contacts_download_as_csv_and_xlsx_and_are_audited() -> None:
    alert = sent_alert()
    fill(alert)
    client = client_of(administrator())

    csv_response = client.get(reverse("alert_reports:failing_file", args=[alert.pk, "csv"]))
    xlsx_response = client.get(reverse("alert_reports:failing_file", args=[alert.pk, "xlsx"]))

    csv_lines = b"".join(csv_response.streaming_content).decode("utf-8-sig").splitlines()  # type: ignore[attr-defined]
    assert csv_lines[0] == (
        "Moyen,Adresse ou numéro,Langue,Résultat,Rapport du fournisseur,Dernière erreur,Essais"
    )
    assert len(csv_lines) == 1 + 4
    assert any(line.endswith(",boom,1") for line in csv_lines)
    assert any(",Sans réponse,sans réponse,," in line for line in csv_lines)
    workbook = load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content)))  # type: ignore[attr-defined]
    sheet = workbook.active
    assert sheet is not None
    assert len(list(sheet.iter_rows(values_only=True))) == 1 + 4
    entries = AuditEntry.objects.filter(action=reports.FAILURES_EXPORTED)
    assert entries.count() == 2
    assert {entry.object_id for entry in entries} == {str(alert.pk)}


# Who may open them ------------------------------------------------------------------------

PEOPLE: dict[str, Callable[[], User | None]] = {
    "administrator": administrator,
    "communications": lambda: UserFactory.create(roles=[Role.COMMUNICATIONS]),
    "clerk": lambda: UserFactory.create(roles=[Role.CLERK]),
    "department manager": lambda: department_manager(DepartmentFactory.create()),
    "project moderator": lambda: UserFactory.create(roles=[Role.PROJECT_MODERATOR]),
    "elected official": lambda: UserFactory.create(roles=[Role.ELECTED_OFFICIAL]),
    "resident": resident,
    "visitor": lambda: None,
}
READERS = {"administrator", "communications", "clerk"}
SCREENS: dict[str, Callable[[Alert], str]] = {
    "list the sent alerts": lambda alert: reverse("alert_reports:index"),
    "read an alert's report": lambda alert: reverse("alert_reports:report", args=[alert.pk]),
    "download an alert's report": lambda alert: reverse(
        "alert_reports:report_file", args=[alert.pk, "xlsx"]
    ),
    "download the failing contacts": lambda alert: reverse(
        "alert_reports:failing_file", args=[alert.pk, "csv"]
    ),
    "read the subscribers over time": lambda alert: reverse("alert_reports:subscribers"),
    "download the subscribers over time": lambda alert: reverse(
        "alert_reports:subscribers_file", args=["csv"]
    ),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", SCREENS)
def test_each_role_may_open_exactly_the_report_screens_it_should(person: str, action: str) -> None:
    user = PEOPLE[person]()
    alert = sent_alert()
    deliver(alert, point(), state="failed")

    response = (client_of(user) if user else Client()).get(SCREENS[action](alert))

    if person in READERS:
        assert response.status_code == 200
    else:
        # The visitor is sent to the login page, the others get the staff area's 403 page.
        assert response.status_code == (302 if user is None else 403)
        assert not AuditEntry.objects.filter(action=reports.FAILURES_EXPORTED).exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_the_menu_offers_the_reports_to_those_who_may_read_them(person: str) -> None:
    user = PEOPLE[person]()
    if user is None or person == "resident":
        return
    html = client_of(user).get(reverse("wagtailadmin_home")).content.decode()

    shown = reverse("alert_reports:index") in html and reverse("alert_reports:subscribers") in html
    assert shown == (person in READERS)


def test_the_channel_labels_are_the_contact_channels() -> None:
    assert reports.ChannelCounts(ContactChannel.SMS).label == "Texto (SMS)"
