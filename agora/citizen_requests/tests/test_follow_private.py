"""The requester's private page (/fr/requetes/suivi-prive/<jeton>/): their whole request, and
adding a precision or a photo; a forged link opens nothing and writes nothing."""

import logging
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from agora.citizen_requests.filing import Filed
from agora.citizen_requests.models import EventKind, RequestEvent, RequestPhoto, RequestStatus
from agora.citizen_requests.tests.catalogue_factories import (
    AttributeFactory,
    ServiceFactory,
    choice_attribute,
)
from agora.citizen_requests.tests.test_follow_status import (
    DESCRIPTION,
    event,
    file,
    photo,
    private_url,
)

pytestmark = pytest.mark.django_db

FORGED = "x" * 32


def requester_lines() -> list[str]:
    return list(
        RequestEvent.objects.filter(kind=EventKind.REQUESTER).values_list("text", flat=True)
    )


def add_precision(client: Client, url: str, text: str, **extra: Any) -> Any:
    return client.post(url, {"ajout": "precision", "precision-text": text, **extra})


def add_photo(client: Client, url: str, upload: SimpleUploadedFile) -> Any:
    return client.post(url, {"ajout": "photo", "photo-photo": upload})


def test_the_private_page_shows_the_whole_request_even_of_a_private_service(
    client: Client,
) -> None:
    service = ServiceFactory.create(public=False)
    choice_attribute(service=service, code="taille", description_fr="Quelle taille?")
    AttributeFactory.create(service=service, code="depuis", description_fr="Depuis quand?")
    filed = file(service, answers={"taille": "grand", "depuis": "deux semaines"}, photos=[photo()])
    event(filed.request, EventKind.QUESTION, "Est-ce sur le trottoir?", public=False)
    event(filed.request, EventKind.INTERNAL_NOTE, "Note interne", public=False)
    [own] = filed.request.photos.all()

    response = client.get(private_url(filed))

    html = response.content.decode()
    assert response.status_code == 200
    assert DESCRIPTION in html
    assert "12, rue des Érables" in html
    assert "Quelle taille?" in html
    assert "Grand" in html
    assert "deux semaines" in html
    assert reverse("citizen_requests:private_photo", args=[filed.follow_up_token, own.pk]) in html
    assert "Est-ce sur le trottoir?" in html
    assert "Note interne" not in html
    assert "suzanne@example.org" not in html
    assert "gardez-le pour vous" in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_a_forged_link_answers_404_and_writes_nothing(client: Client) -> None:
    file()

    page = client.get(reverse("citizen_requests:private", args=[FORGED]))
    posted = add_precision(client, reverse("citizen_requests:private", args=[FORGED]), "Allo")

    assert page.status_code == posted.status_code == 404
    assert "Ce lien de suivi ne mène à aucune requête." in page.content.decode()
    assert requester_lines() == []


def test_the_token_is_not_written_in_the_request_log(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        client.get(reverse("citizen_requests:private", args=[FORGED]))

    assert FORGED not in caplog.text


def test_a_precision_is_added_to_the_history_for_the_desk_only(client: Client) -> None:
    filed = file()

    response = add_precision(client, private_url(filed), "  Le trou grandit.  ")
    page = client.get(private_url(filed))

    assert response.status_code == 302
    [line] = RequestEvent.objects.filter(kind=EventKind.REQUESTER)
    assert (line.text, line.public, line.request_id) == (
        "Le trou grandit.",
        False,
        filed.request.pk,
    )
    assert "Votre précision est ajoutée à la requête." in page.content.decode()
    assert "Le trou grandit." in page.content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<script>alert(1)</script>", "Écrivez en texte simple, sans balises HTML."),
        ("x" * 4001, "Votre précision dépasse 4 000 caractères"),
        ("", "Écrivez votre précision."),
    ],
)
def test_a_bad_precision_is_refused_and_nothing_is_written(
    client: Client, text: str, message: str
) -> None:
    filed = file()

    response = add_precision(client, private_url(filed), text)

    assert response.status_code == 400
    assert (
        message in response.content.decode().replace("\u202f", "").replace(" ", "")
        or message in response.content.decode()
    )
    assert requester_lines() == []


def test_the_honeypot_refuses_a_precision(client: Client) -> None:
    filed = file()

    response = add_precision(client, private_url(filed), "Allo", **{"precision-site_web": "x"})

    assert response.status_code == 400
    assert requester_lines() == []


def test_a_photo_is_added_re_encoded_without_metadata_and_not_shown(client: Client) -> None:
    filed = file()

    response = add_photo(client, private_url(filed), photo("chez-moi.jpg"))

    assert response.status_code == 302
    [added] = RequestPhoto.objects.all()
    assert added.shown is False
    assert "chez-moi" not in (added.image.name or "")
    with default_storage.open(added.image.name or "") as stored, Image.open(stored) as image:
        assert not image.getexif()


def test_a_request_holds_three_photos_at_most(client: Client) -> None:
    filed = file(photos=[photo(), photo()])

    third = add_photo(client, private_url(filed), photo())
    fourth = add_photo(client, private_url(filed), photo())

    assert third.status_code == 302
    assert fourth.status_code == 400
    assert "déjà 3 photos" in fourth.content.decode()
    assert RequestPhoto.objects.count() == 3


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_written(client: Client) -> None:
    filed = file()
    upload = SimpleUploadedFile("trou.jpg", b"%PDF-1.4 pas une image", "image/jpeg")

    response = add_photo(client, private_url(filed), upload)

    assert response.status_code == 400
    assert RequestPhoto.objects.count() == 0


@pytest.mark.parametrize("status", [RequestStatus.RESOLVED, RequestStatus.REJECTED])
def test_a_closed_request_accepts_no_more_additions(client: Client, status: str) -> None:
    filed = file()
    filed.request.status = status
    filed.request.save(update_fields=["status"])

    page = client.get(private_url(filed))
    precision = add_precision(client, private_url(filed), "Encore là.")
    picture = add_photo(client, private_url(filed), photo())

    assert 'name="ajout"' not in page.content.decode()
    assert precision.status_code == picture.status_code == 409
    assert "Cette requête est fermée" in precision.content.decode()
    assert requester_lines() == []
    assert RequestPhoto.objects.count() == 0


def test_the_private_page_reads_a_bounded_number_of_queries(client: Client) -> None:
    def count(filed: Filed) -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(private_url(filed))
        return len(queries)

    small = file()
    count(small)  # the site's menus and settings, cached from now on
    large = file(photos=[photo(), photo(), photo()], answers={})
    for text in ("Un", "Deux", "Trois"):
        event(large.request, EventKind.QUESTION, text, public=False)

    assert count(large) == count(small)
