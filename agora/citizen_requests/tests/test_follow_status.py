"""The public status page of a request (/fr/requetes/suivi/<numéro>/): what the public reads
of a public request, the little it reads of a private one, never who reported it, and a
bounded number of queries. Also the helpers the other follow-up tests share."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agora.citizen_requests.filing import Filed, file_request
from agora.citizen_requests.models import (
    CitizenRequest,
    EventKind,
    RequestEvent,
    RequestService,
    RequestStatus,
    RequestSupporter,
)
from agora.citizen_requests.tests.catalogue_factories import ServiceFactory
from agora.core.tests.crafted_images import phone_photo
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 7, 15, 0, tzinfo=datetime.UTC)
DESCRIPTION = "Un trou profond devant le 12."
ADDRESS = "12, rue des Érables"


def photo(name: str = "trou.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, phone_photo(), "image/jpeg")


def file(service: RequestService | None = None, **fields: Any) -> Filed:
    values: dict[str, Any] = {
        "description": DESCRIPTION,
        "address": ADDRESS,
        "latitude": Decimal("45.391234"),
        "longitude": Decimal("-73.515678"),
        "contact_email": "suzanne@example.org",
        "contact_phone": "450 555-0199",
        "participant": ParticipantFactory.create(),
    }
    values.update(fields)
    service = service or ServiceFactory.create(name_fr="Nid-de-poule", target_days=7)
    return file_request(service=service, now=NOW, **values)


def status_url(request: CitizenRequest) -> str:
    return reverse("citizen_requests:status", args=[request.tracking_number])


def private_url(filed: Filed) -> str:
    return reverse("citizen_requests:private", args=[filed.follow_up_token])


def event(request: CitizenRequest, kind: str, text: str = "", *, public: bool) -> RequestEvent:
    return RequestEvent.objects.create(request=request, kind=kind, text=text, public=public)


def test_a_public_request_shows_its_service_status_dates_description_place_and_shown_photos(
    client: Client,
) -> None:
    filed = file(photos=[photo(), photo()])
    shown, hidden = filed.request.photos.all()
    shown.shown = True
    shown.save(update_fields=["shown"])

    response = client.get(status_url(filed.request))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nid-de-poule" in html
    assert "R-2026-000001" in html
    assert "Reçue" in html
    assert "7 décembre 2026" in html
    assert "Traitement visé avant le 14 décembre 2026" in html
    assert DESCRIPTION in html
    assert "12, rue des Érables" in html
    assert "latitude 45,391 et longitude -73,516" in html
    assert f"/photos/{shown.pk}/" in html
    assert f"/photos/{hidden.pk}/" not in html
    assert "no-cache" in response["Cache-Control"]


def test_a_private_request_shows_only_its_number_service_status_and_dates(
    client: Client,
) -> None:
    filed = file(
        ServiceFactory.create(name_fr="Plainte de voisinage", public=False), photos=[photo()]
    )
    photo_request = filed.request
    photo_request.photos.update(shown=True)
    event(photo_request, EventKind.PUBLIC_NOTE, "Nous passerons demain.", public=True)

    response = client.get(status_url(photo_request))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Plainte de voisinage" in html
    assert "R-2026-000001" in html
    assert DESCRIPTION not in html
    assert "rue des Érables" not in html
    assert "45,391" not in html
    assert "/photos/" not in html
    assert "Nous passerons demain." not in html


@pytest.mark.parametrize("public", [True, False])
def test_the_requester_is_never_named_nor_their_contact_details_shown(
    client: Client, public: bool
) -> None:
    service = ServiceFactory.create(public=public)
    filed = file(service)
    participant = filed.request.participant
    assert participant is not None

    html = client.get(status_url(filed.request)).content.decode()

    assert "suzanne@example.org" not in html
    assert "555-0199" not in html
    assert str(participant.pk) not in html.split("<main", 1)[-1].split("R-2026")[0]
    assert filed.follow_up_token not in html


def test_the_public_history_shows_public_lines_only(client: Client) -> None:
    request = file().request
    event(request, EventKind.INTERNAL_NOTE, "Note interne secrète", public=False)
    event(request, EventKind.PUBLIC_NOTE, "Réponse brouillon", public=False)
    event(request, EventKind.REQUESTER, "Précision du requérant", public=False)
    event(request, EventKind.PUBLIC_NOTE, "Une équipe passera cette semaine.", public=True)
    event(request, EventKind.QUESTION, "Le trou est-il sur le trottoir?", public=True)
    RequestEvent.objects.create(
        request=request,
        kind=EventKind.STATUS,
        status_before=RequestStatus.NEW,
        status_after=RequestStatus.IN_PROGRESS,
        public=True,
    )

    html = client.get(status_url(request)).content.decode()

    assert "Requête reçue" in html
    assert "Une équipe passera cette semaine." in html
    assert "Le trou est-il sur le trottoir?" in html
    assert "Nouvel état : En cours" in html
    for secret in ("Note interne secrète", "Réponse brouillon", "Précision du requérant"):
        assert secret not in html


def test_the_residents_who_added_their_voice_are_counted(client: Client) -> None:
    request = file().request
    for _ in range(3):
        RequestSupporter.objects.create(request=request, participant=ParticipantFactory.create())

    html = client.get(status_url(request)).content.decode()

    assert "3 autres personnes ont signalé le même problème." in html


def test_an_unknown_number_answers_404_with_the_lookup_form(client: Client) -> None:
    response = client.get(reverse("citizen_requests:status", args=["R-2026-999999"]))

    assert response.status_code == 404
    assert "Aucune requête ne porte le numéro « R-2026-999999 »." in response.content.decode()
    assert 'name="numero"' in response.content.decode()


def page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_the_status_page_reads_three_queries_beyond_the_site_frame_however_long(
    client: Client,
) -> None:
    request = file(photos=[photo(), photo(), photo()]).request
    request.photos.update(shown=True)
    for text in ("Un", "Deux", "Trois"):
        event(request, EventKind.PUBLIC_NOTE, text, public=True)
    unknown = reverse("citizen_requests:status", args=["R-2026-999999"])
    client.get(unknown)  # the site's menus and settings, cached from now on
    # The frame every page reads (the site, its branding…) plus the one lookup that failed.
    frame = page_queries(client, unknown) - 1

    assert page_queries(client, status_url(request)) <= frame + 3
