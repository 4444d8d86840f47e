"""The screens of /gestion/alertes/ that compose and send alerts: the list (newest first, by
state, a fixed number of queries however many alerts), the form (its refusals explained,
nothing written), the detail page (recipients per channel, text message segments) and the
confirmation pages of the actions."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from agora.accounts.roles import Role
from agora.accounts.tests.team_factories import UserFactory, client_of
from agora.alerts import audit_actions
from agora.alerts.models import Alert, AlertState, ContactChannel
from agora.alerts.tests.factories import (
    AlertFactory,
    ContactPointFactory,
    DraftAlertFactory,
    SubscriberFactory,
    TopicFactory,
    ZoneFactory,
)
from agora.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer() -> Client:
    return client_of(UserFactory.create(roles=[Role.COMMUNICATIONS]))


def _form_data(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "topic": TopicFactory.create().pk,
        "cap_status": "Actual",
        "severity": "Moderate",
        "urgency": "Expected",
        "certainty": "Observed",
        "headline_fr": "Fermeture de la rue Principale",
        "headline_en": "Principale Street closed",
        "description_fr": "La rue est fermée.",
        "description_en": "The street is closed.",
        "send_email": "on",
        "send_sms": "on",
        "zones": [ZoneFactory.create().pk],
        "expires_at": (timezone.localtime() + datetime.timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
    }
    data.update(fields)
    return data


def _rows(html: str) -> int:
    main = html[html.index("<main") :]
    return main.count('<th scope="row">')


def test_the_list_shows_the_newest_first_and_filters_by_state(writer: Client) -> None:
    old = DraftAlertFactory.create(
        headline_fr="Ancienne", created_at=timezone.now() - datetime.timedelta(days=3)
    )
    DraftAlertFactory.create(headline_fr="Récente")
    AlertFactory.create(headline_fr="Partie")

    page = writer.get(reverse("alerts_compose:list")).content.decode()
    drafts = writer.get(reverse("alerts_compose:list") + "?etat=brouillons").content.decode()
    sent = writer.get(reverse("alerts_compose:list") + "?etat=envoyees").content.decode()

    assert page.index("Récente") < page.index("Ancienne")
    assert "Partie" not in drafts
    assert "Ancienne" in drafts
    assert "Partie" in sent
    assert "Ancienne" not in sent
    assert reverse("alerts_compose:detail", args=[old.pk]) in page


def test_the_list_takes_as_many_queries_for_twenty_alerts_as_for_one(
    writer: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    DraftAlertFactory.create(created_by=UserFactory.create(), approved_by=UserFactory.create())
    with CaptureQueriesContext(connection) as one:
        writer.get(reverse("alerts_compose:list"))
    for _index in range(19):
        DraftAlertFactory.create(created_by=UserFactory.create(), approved_by=UserFactory.create())

    with django_assert_num_queries(len(one.captured_queries)):
        response = writer.get(reverse("alerts_compose:list"))

    assert _rows(response.content.decode()) == 20


def test_the_list_is_paginated(writer: Client) -> None:
    for _index in range(21):
        DraftAlertFactory.create()

    first = writer.get(reverse("alerts_compose:list")).content.decode()
    second = writer.get(reverse("alerts_compose:list") + "?p=2").content.decode()

    assert _rows(first) == 20
    assert _rows(second) == 1
    assert "?p=2" in first


def test_writing_an_alert_saves_a_draft_and_shows_its_page(writer: Client) -> None:
    response = writer.post(reverse("alerts_compose:add"), _form_data())

    alert = Alert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts_compose:detail", args=[alert.pk])
    assert alert.state == AlertState.DRAFT
    assert AuditEntry.objects.filter(action=audit_actions.ALERT_CREATED).exists()


def test_a_refused_alert_is_explained_on_the_form_and_nothing_is_written(writer: Client) -> None:
    response = writer.post(
        reverse("alerts_compose:add"),
        _form_data(zones=[], headline_en="", send_email="", send_sms=""),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "au moins une zone" in html
    assert "au moins un moyen" in html
    assert "obligatoire, en français comme en anglais" in html
    assert 'href="#id_headline_en"' in html
    assert not Alert.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_form_works_without_javascript_zones_are_checkboxes(writer: Client) -> None:
    zone = ZoneFactory.create(name_fr="Vieux-Village")

    html = writer.get(reverse("alerts_compose:add")).content.decode()

    assert f'type="checkbox" name="zones" value="{zone.pk}"' in html
    assert "Vieux-Village" in html
    assert 'name="polygon"' in html
    assert "alerts/sms_count.js" in html
    assert 'data-sms-text="fr"' in html


def test_with_maps_on_the_area_can_be_drawn_into_the_polygon_field(
    writer: Client, settings: Any
) -> None:
    settings.MAP_TILE_URL = "https://tuiles.ville.example/{z}/{x}/{y}.png"

    html = writer.get(reverse("alerts_compose:add")).content.decode()

    assert 'data-draw="id_polygon"' in html
    assert "Effacer le tracé" in html
    assert "core/map.js" in html
    assert 'name="polygon"' in html  # still the way without JavaScript


def test_with_maps_off_the_form_has_no_map(writer: Client, settings: Any) -> None:
    settings.MAP_TILE_URL = ""

    html = writer.get(reverse("alerts_compose:add")).content.decode()

    assert "data-draw" not in html
    assert 'name="polygon"' in html


def test_a_long_text_message_is_kept_with_a_warning(writer: Client) -> None:
    response = writer.post(
        reverse("alerts_compose:add"),
        _form_data(sms_text_fr="a" * 400, sms_text_en="b" * 20),
        follow=True,
    )

    assert "fera 3 messages" in response.content.decode()


def test_the_detail_page_gives_the_recipients_per_channel_in_a_few_queries(
    writer: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    alert: Alert = DraftAlertFactory.create(
        topic=TopicFactory.create(mandatory=True), sms_text_fr="Court", sms_text_en="Short"
    )
    zone = alert.zones.get()
    for index in range(5):
        subscriber = SubscriberFactory.create()
        subscriber.places.create(label="Maison").zones.add(zone)
        ContactPointFactory.create(subscriber=subscriber)
        if index < 2:
            ContactPointFactory.create(
                subscriber=subscriber, channel=ContactChannel.SMS, address=f"+1450555010{index}"
            )

    with django_assert_max_num_queries(30):
        html = writer.get(reverse("alerts_compose:detail", args=[alert.pk])).content.decode()

    assert '<th scope="row">Courriel</th><td>5</td>' in html
    assert '<th scope="row">Texto</th><td>2</td>' in html
    assert "Court" in html
    assert "GSM-7" in html


def test_sending_goes_through_a_confirmation_page(writer: Client) -> None:
    alert: Alert = DraftAlertFactory.create()
    url = reverse("alerts_compose:action", args=[alert.pk, "envoyer"])

    detail = writer.get(reverse("alerts_compose:detail", args=[alert.pk])).content.decode()
    confirmation = writer.get(url)

    assert url in detail
    assert confirmation.status_code == 200
    assert '<form method="post"' in confirmation.content.decode()
    assert Alert.objects.get().state == AlertState.DRAFT
    assert writer.post(url).status_code == 302
    assert Alert.objects.get().state in (AlertState.SENDING, AlertState.SENT)


def test_a_refused_action_is_explained_on_its_page(writer: Client) -> None:
    alert: Alert = DraftAlertFactory.create(severity="Extreme")

    response = writer.post(reverse("alerts_compose:action", args=[alert.pk, "envoyer"]))

    assert response.status_code == 200
    assert "deuxième personne" in response.content.decode()
    assert Alert.objects.get().state == AlertState.DRAFT
    assert not AuditEntry.objects.exists()


def test_a_schedule_in_the_past_is_refused_on_its_page(writer: Client) -> None:
    alert: Alert = DraftAlertFactory.create()
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")

    response = writer.post(
        reverse("alerts_compose:action", args=[alert.pk, "planifier"]), {"scheduled_for": past}
    )

    assert response.status_code == 200
    assert "dans le futur" in response.content.decode()
    assert Alert.objects.get().state == AlertState.DRAFT


def test_updating_a_sent_alert_opens_its_prefilled_draft(writer: Client) -> None:
    original: Alert = AlertFactory.create()
    original.zones.add(ZoneFactory.create())

    response = writer.post(reverse("alerts_compose:action", args=[original.pk, "mettre-a-jour"]))

    update = Alert.objects.exclude(pk=original.pk).get()
    assert response["Location"] == reverse("alerts_compose:detail", args=[update.pk])
    assert update.references == original
    page = writer.get(reverse("alerts_compose:detail", args=[original.pk])).content.decode()
    assert reverse("alerts_compose:detail", args=[update.pk]) in page


def test_the_alerts_menu_offers_the_sending_screens(writer: Client) -> None:
    html = writer.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("alerts_compose:list") in html


def test_the_live_check_script_is_served() -> None:
    from django.contrib.staticfiles import finders

    path = finders.find("alerts/sms_count.js")
    assert path is not None


def test_the_author_of_an_emergency_is_not_offered_to_approve_it() -> None:
    author = UserFactory.create(roles=[Role.COMMUNICATIONS])
    alert: Alert = DraftAlertFactory.create(
        severity="Severe", created_by=author, state=AlertState.AWAITING_APPROVAL
    )
    approve = reverse("alerts_compose:action", args=[alert.pk, "approuver"])
    detail = reverse("alerts_compose:detail", args=[alert.pk])

    assert approve not in client_of(author).get(detail).content.decode()
    assert (
        approve
        in client_of(UserFactory.create(roles=[Role.COMMUNICATIONS])).get(detail).content.decode()
    )
    assert (
        approve
        not in client_of(UserFactory.create(roles=[Role.CLERK])).get(detail).content.decode()
    )


def test_the_form_of_a_saved_alert_keeps_its_zones_ticked(writer: Client) -> None:
    alert: Alert = DraftAlertFactory.create()
    zone = alert.zones.get()

    html = writer.get(reverse("alerts_compose:edit", args=[alert.pk])).content.decode()

    assert f'name="zones" value="{zone.pk}" id="id_zones_0" checked' in html
