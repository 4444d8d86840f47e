"""Step 2 of reporting a problem: the description, the service's questions, photos and how to
be kept informed. The whole journey works without JavaScript; each bad input shows its message
on its field and writes nothing; the contact e-mail never travels in an address."""

from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agora.citizen_requests.filing import token_hash
from agora.citizen_requests.models import (
    AttributeKind,
    CitizenRequest,
    RequestPhoto,
    RequestService,
    Requirement,
)
from agora.citizen_requests.tests.catalogue_factories import (
    AttributeFactory,
    ServiceFactory,
    choice_attribute,
)
from agora.core.tests.crafted_images import phone_photo
from agora.core.tests.html import find, find_all, text_of
from agora.ideas.tests.writing import messages_after

pytestmark = pytest.mark.django_db

ADDRESS = {"adresse": "12, rue des Érables"}
REPORT = {"description": "Un trou profond devant le 12.", "address": "12, rue des Érables"}


@pytest.fixture
def pothole() -> RequestService:
    service: RequestService = ServiceFactory.create(name_fr="Nid-de-poule")
    return service


def details_url(service: RequestService, place: dict[str, str] | None = None) -> str:
    url = reverse("citizen_requests:details", args=[service.code])
    return f"{url}?{urlencode(place)}" if place else url


def photo(name: str = "trou.jpg", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else phone_photo(), "image/jpeg")


def refused(client: Client, service: RequestService, **fields: Any) -> str:
    """Sends the form with these fields; asserts nothing was written; the page's text."""
    response = client.post(details_url(service), {**REPORT, **fields})
    assert response.status_code == 200
    assert find(response.content, "div", class_="error-summary")
    assert not CitizenRequest.objects.exists()
    assert not RequestPhoto.objects.exists()
    return text_of(response.content)


def test_the_whole_journey_without_javascript(client: Client, pothole: RequestService) -> None:
    place = client.post(
        reverse("citizen_requests:place", args=[pothole.code]), {"address": "12, rue des Érables"}
    )
    page = client.get(place["Location"])
    assert page.status_code == 200
    assert find(page.content, "input", name="address")["value"] == "12, rue des Érables"
    assert "12, rue des Érables" in text_of(
        find(page.content, "div", class_="report-place-summary")
    )

    response = client.post(
        find(page.content, "form", class_="report-details")["action"],
        {
            "description": "Un trou profond.",
            "address": "12, rue des Érables",
            "contact_email": "marie@exemple.ca",
            "photo_1": photo(),
        },
    )

    request = CitizenRequest.objects.get()
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert response["Location"] == reverse("citizen_requests:private", args=[token])
    assert token_hash(token) == request.follow_up_token_hash
    assert "marie" not in response["Location"]
    assert messages_after(response) == [
        f"Merci! Votre requête {request.tracking_number} est reçue. Gardez cette page : son "
        "adresse est votre lien de suivi privé."
    ]
    assert (request.description, request.address, request.latitude) == (
        "Un trou profond.",
        "12, rue des Érables",
        None,
    )
    assert request.contact_email == "marie@exemple.ca"
    assert request.participant is not None
    assert request.language == "fr"
    assert request.photos.count() == 1


def test_the_journey_with_a_point_on_the_map(client: Client, pothole: RequestService) -> None:
    place = client.post(
        reverse("citizen_requests:place", args=[pothole.code]),
        {"address": "", "latitude": "45.39", "longitude": "-73.515"},
    )
    page = client.get(place["Location"])
    assert find(page.content, "input", name="latitude")["value"] == "45.390000"

    response = client.post(
        details_url(pothole),
        {"description": "Un trou.", "latitude": "45.390000", "longitude": "-73.515000"},
    )

    assert response.status_code == 302
    request = CitizenRequest.objects.get()
    assert (str(request.latitude), str(request.longitude), request.address) == (
        "45.390000",
        "-73.515000",
        "",
    )


def test_a_report_sent_from_the_english_page_is_kept_in_english(
    client: Client, pothole: RequestService
) -> None:
    with translation.override("en"):
        url = details_url(pothole)

    response = client.post(url, REPORT)

    assert response.status_code == 302
    assert CitizenRequest.objects.get().language == "en"


def test_the_confirmation_is_e_mailed_only_to_a_requester_who_left_an_address(
    client: Client, pothole: RequestService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agora.citizen_requests import notifications

    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        notifications,
        "confirm_filing",
        lambda request, token: sent.append((request.tracking_number, token)),
    )

    client.post(details_url(pothole), REPORT)
    response = client.post(details_url(pothole), {**REPORT, "contact_email": "marie@exemple.ca"})

    second = CitizenRequest.objects.get(contact_email="marie@exemple.ca")
    assert sent == [(second.tracking_number, response["Location"].rstrip("/").rsplit("/", 1)[1])]


def test_the_services_questions_are_asked_by_kind(client: Client, pothole: RequestService) -> None:
    choice_attribute(service=pothole, code="taille", required=True, description_fr="Taille?")
    choice_attribute(service=pothole, code="voies", kind=AttributeKind.MULTIPLE)
    AttributeFactory.create(service=pothole, code="depuis", kind=AttributeKind.DATETIME)
    AttributeFactory.create(service=pothole, code="profondeur", kind=AttributeKind.NUMBER)
    AttributeFactory.create(
        service=pothole,
        code="urgence",
        kind=AttributeKind.INFORMATION,
        description_fr="Un danger immédiat? Appelez le 911.",
    )

    response = client.get(details_url(pothole, ADDRESS))

    form = find(response.content, "form", class_="report-details")
    assert form["enctype"] == "multipart/form-data"
    assert {radio["value"] for radio in find_all(form, "input", name="attribute_taille")} == {
        "petit",
        "grand",
    }
    assert {box["type"] for box in find_all(form, "input", name="attribute_voies")} == {"checkbox"}
    assert find(form, "input", name="attribute_depuis")["type"] == "date"
    assert find(form, "input", name="attribute_profondeur")["inputmode"] == "decimal"
    assert "Un danger immédiat? Appelez le 911." in text_of(form)
    assert "Taille?" in text_of(form)
    legends = [legend.text for legend in find_all(form, "legend")]
    assert "Taille?" in legends  # required: no "(facultatif)"
    photos = find_all(form, "input", type="file")
    assert [(field["name"], field["accept"]) for field in photos] == [
        ("photo_1", "image/*"),
        ("photo_2", "image/*"),
        ("photo_3", "image/*"),
    ]
    assert {"site_web", "altcha", "csrfmiddlewaretoken", "contact_email", "contact_phone"} <= {
        element.attrs.get("name") for element in form.descendants()
    }
    assert "ne sont jamais publiés" in text_of(form)


def test_a_service_that_asks_no_photo_has_no_file_field(client: Client) -> None:
    service = ServiceFactory.create(photo=Requirement.NONE)

    response = client.get(details_url(service, ADDRESS))

    assert find_all(response.content, "input", type="file") == []


def test_the_details_without_a_place_go_back_to_the_place(
    client: Client, pothole: RequestService
) -> None:
    response = client.get(details_url(pothole))

    assert response["Location"] == reverse("citizen_requests:place", args=[pothole.code])


def test_a_missing_required_answer_is_shown_on_its_question(
    client: Client, pothole: RequestService
) -> None:
    choice_attribute(service=pothole, code="taille", required=True, description_fr="Taille?")

    response = client.post(details_url(pothole), REPORT)

    assert not CitizenRequest.objects.exists()
    summary = find(response.content, "div", class_="error-summary")
    assert "Répondez à cette question." in text_of(summary)
    assert find(response.content, "textarea", name="description").text == REPORT["description"]


def test_a_chosen_key_that_is_not_offered_is_refused(
    client: Client, pothole: RequestService
) -> None:
    choice_attribute(service=pothole, code="taille")

    assert "Choisissez parmi les choix proposés." in refused(
        client, pothole, attribute_taille="énorme"
    )


def test_a_description_over_4000_characters_is_refused(
    client: Client, pothole: RequestService
) -> None:
    assert "Ce texte dépasse 4 000 caractères." in refused(client, pothole, description="a" * 4001)


def test_html_is_refused(client: Client, pothole: RequestService) -> None:
    assert "Écrivez en texte simple, sans balises HTML." in refused(
        client, pothole, description="<script>alert(1)</script>"
    )


def test_an_empty_description_is_refused(client: Client, pothole: RequestService) -> None:
    assert "Décrivez le problème en quelques mots." in refused(client, pothole, description="")


def test_four_photos_are_refused_and_must_be_chosen_again(
    client: Client, pothole: RequestService
) -> None:
    page = refused(client, pothole, photo_1=[photo(), photo()], photo_2=photo(), photo_3=photo())

    assert "Ajoutez au plus 3 photos." in page
    assert "choisissez-les de nouveau" in page


def test_a_file_that_is_not_an_image_is_refused(client: Client, pothole: RequestService) -> None:
    text = SimpleUploadedFile("trou.jpg", b"pas une image", "image/jpeg")

    page = refused(client, pothole, photo_1=text)

    assert "Photo 1" in page


def test_a_bad_email_is_refused(client: Client, pothole: RequestService) -> None:
    assert "Écrivez une adresse courriel valide, par exemple nom@exemple.ca." in refused(
        client, pothole, contact_email="marie@"
    )


def test_a_tampered_hidden_point_is_refused(client: Client, pothole: RequestService) -> None:
    assert "Ce point n'est pas une position valide." in refused(
        client, pothole, latitude="999", longitude="-73.5"
    )


def test_a_robot_filling_the_hidden_field_is_refused(
    client: Client, pothole: RequestService
) -> None:
    refused(client, pothole, site_web="http://pub.example")


def test_an_unknown_or_withdrawn_service_is_not_found(client: Client) -> None:
    withdrawn = ServiceFactory.create(active=False)

    assert client.post(details_url(withdrawn), REPORT).status_code == 404
    unknown = reverse("citizen_requests:details", args=["inconnu"])
    assert client.get(unknown, ADDRESS).status_code == 404
    assert not CitizenRequest.objects.exists()


def test_a_flood_without_proof_of_work_is_stopped(client: Client, pothole: RequestService) -> None:
    for _number in range(5):
        assert client.post(details_url(pothole), REPORT).status_code == 302

    response = client.post(details_url(pothole), REPORT)

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert CitizenRequest.objects.count() == 5


def test_no_personal_data_travels_in_an_address(client: Client, pothole: RequestService) -> None:
    fields = {**REPORT, "contact_email": "marie@exemple.ca", "contact_phone": "450 555-0199"}

    refused_page = client.post(details_url(pothole, ADDRESS), {**fields, "description": ""})
    action = find(refused_page.content, "form", class_="report-details")["action"]
    accepted = client.post(action, fields)

    for address in (action, accepted["Location"]):
        assert "marie" not in address
        assert "555" not in address
