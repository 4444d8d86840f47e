"""The public alerts: the list (newest first, where each stands), an alert's page with its
updates and cancellation, and the RSS and Atom feeds, in French and English; drafts,
scheduled alerts and exercises stay out of sight."""

import datetime
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agora.alerts.models import Alert, AlertState, CapStatus, MessageType
from agora.alerts.notices import NOTICES_PER_PAGE
from agora.alerts.tests.factories import AlertFactory, ZoneFactory

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def sent(**fields: Any) -> Alert:
    alert: Alert = AlertFactory.create(**fields)
    return alert


def test_the_list_says_when_no_alert_was_sent(client: Client) -> None:
    sent(state=AlertState.DRAFT, sent_at=None)

    response = client.get("/fr/alertes/avis/")

    assert response.status_code == 200
    assert "Aucune alerte n'a été envoyée pour le moment." in response.content.decode()


def test_the_list_shows_real_alerts_newest_first_and_where_each_stands(client: Client) -> None:
    now = timezone.now()
    old = sent(
        headline_fr="Fermeture de la rue Principale",
        sent_at=now - datetime.timedelta(days=10),
        expires_at=now - datetime.timedelta(days=9),
    )
    boil = sent(headline_fr="Avis d'ébullition", sent_at=now - datetime.timedelta(hours=5))
    sent(
        headline_fr="Fin de l'avis d'ébullition",
        message_type=MessageType.CANCEL,
        references=boil,
        sent_at=now - datetime.timedelta(hours=1),
    )
    sent(headline_fr="Exercice d'évacuation", cap_status=CapStatus.EXERCISE)
    sent(headline_fr="Brouillon secret", state=AlertState.DRAFT, sent_at=None)

    page = client.get("/fr/alertes/avis/").content.decode()

    assert page.index("Fin de l&#x27;avis") < page.index("Avis d&#x27;ébullition<")
    assert page.index("Avis d&#x27;ébullition<") < page.index("Fermeture de la rue Principale")
    assert "Exercice" not in page
    assert "Brouillon secret" not in page
    assert "3 alertes" in page
    assert page.count("status-badge--cancelled") == 2  # the cancellation and what it cancels
    assert "status-badge--expired" in page
    assert old.headline_fr in page


def queries_for(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_list_is_paginated_and_its_queries_do_not_grow_with_the_alerts(
    client: Client,
) -> None:
    for index in range(2):
        sent(headline_fr=f"Travaux numéro {index}")
    client.get("/fr/alertes/avis/")  # the shell's first visit (site, branding) aside
    with_two = queries_for(client, "/fr/alertes/avis/")
    for index in range(2, NOTICES_PER_PAGE + 3):
        update = sent(headline_fr=f"Travaux numéro {index}")
        sent(headline_fr=f"Suite {index}", message_type=MessageType.UPDATE, references=update)

    assert queries_for(client, "/fr/alertes/avis/") == with_two
    pages = [
        client.get(f"/fr/alertes/avis/?page={number}").content.decode() for number in (1, 2, 3)
    ]
    total = 2 + 2 * (NOTICES_PER_PAGE + 1)
    assert [page.count('class="status-badge ') for page in pages] == [
        NOTICES_PER_PAGE,
        NOTICES_PER_PAGE,
        total - 2 * NOTICES_PER_PAGE,
    ]


def test_english_readers_get_the_english_texts(client: Client) -> None:
    alert = sent()

    listing = client.get("/en/alerts/notices/").content.decode()
    page = client.get(f"/en/alerts/notices/{alert.pk}/").content.decode()

    assert "Precautionary boil-water advisory" in listing
    assert "Sent alerts" in listing or 'lang="en' in listing
    assert "Boil water for at least one minute before drinking it." in page
    assert "Faites bouillir" not in page


def test_an_alerts_page_shows_its_texts_zones_and_what_followed(client: Client) -> None:
    alert = sent()
    alert.zones.add(ZoneFactory.create(name_fr="Secteur du réservoir Nord"))
    update = sent(message_type=MessageType.UPDATE, references=alert, headline_fr="Mise à jour")

    page = client.get(f"/fr/alertes/avis/{alert.pk}/").content.decode()

    assert "Avis d&#x27;ébullition préventif" in page
    assert "Faites bouillir l&#x27;eau au moins une minute" in page
    assert "Secteur du réservoir Nord" in page
    assert f"/fr/alertes/avis/{update.pk}/" in page
    assert "Cette alerte a été mise à jour" in page
    assert f"/cap/{alert.identifier}.xml" in page


@pytest.mark.parametrize(
    "fields",
    [
        {"state": AlertState.DRAFT, "sent_at": None},
        {"state": AlertState.AWAITING_APPROVAL, "sent_at": None},
        {"cap_status": CapStatus.TEST},
    ],
    ids=["draft", "awaiting-approval", "test"],
)
def test_an_alert_not_sent_for_real_has_no_public_page(
    client: Client, fields: dict[str, Any]
) -> None:
    alert = sent(**fields)

    assert client.get(f"/fr/alertes/avis/{alert.pk}/").status_code == 404
    assert client.get("/fr/alertes/avis/999999/").status_code == 404


@pytest.mark.parametrize(
    ("path", "headline"),
    [
        ("/fr/alertes/avis/flux-atom/", "Avis d'ébullition préventif"),
        ("/en/alerts/notices/atom-feed/", "Precautionary boil-water advisory"),
    ],
)
def test_the_atom_feed_speaks_the_readers_language(
    client: Client, path: str, headline: str
) -> None:
    alert = sent()
    sent(state=AlertState.DRAFT, sent_at=None, headline_fr="Brouillon")

    feed = fromstring(client.get(path).content)

    titles = [
        entry.findtext("atom:title", namespaces=ATOM) for entry in feed.findall("atom:entry", ATOM)
    ]
    assert titles == [headline]
    assert feed.findtext("atom:entry/atom:id", namespaces=ATOM) == alert.identifier


def test_the_rss_feed_lists_the_alerts(client: Client) -> None:
    sent()

    response = client.get("/fr/alertes/avis/flux-rss/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = fromstring(response.content).find("channel")
    assert channel is not None
    assert channel.findtext("item/title") == "Avis d'ébullition préventif"
    assert "Faites bouillir" in (channel.findtext("item/description") or "")
