"""Filing a citizen request (agora/citizen_requests/filing.py): what is kept, the tracking
number, the photos without their metadata, and each kind of bad input refused with its
message and nothing written; requests nearby; "moi aussi"."""

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import Site

from agora.citizen_requests.filing import (
    add_voice,
    file_request,
    nearby_open_requests,
    sync_tracking_counters,
    token_hash,
)
from agora.citizen_requests.models import (
    AttributeKind,
    CitizenRequest,
    EventKind,
    RequestPhoto,
    RequestService,
    RequestSettings,
    RequestStatus,
    RequestSupporter,
    Requirement,
    TrackingCounter,
)
from agora.citizen_requests.tests.catalogue_factories import (
    AttributeFactory,
    ServiceFactory,
    choice_attribute,
)
from agora.core.tests.crafted_images import phone_photo
from agora.participation.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 7, 15, 0, tzinfo=datetime.UTC)
INSIDE = (Decimal("45.390000"), Decimal("-73.515000"))
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-73.53, 45.38], [-73.50, 45.38], [-73.50, 45.40], [-73.53, 45.40], [-73.53, 45.38]]
    ],
}


def pothole(**fields: Any) -> RequestService:
    service: RequestService = ServiceFactory.create(target_days=7, **fields)
    return service


def filed(service: RequestService | None = None, **fields: Any) -> CitizenRequest:
    values: dict[str, Any] = {
        "description": "Un trou profond devant le 12.",
        "address": "12, rue des Érables",
    }
    values.update(fields)
    return file_request(service=service or pothole(), now=NOW, **values).request


def photo(name: str = "trou.jpg", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else phone_photo(), "image/jpeg")


def refused(**fields: Any) -> dict[str, list[str]]:
    service = fields.pop("service", None) or pothole()
    values: dict[str, Any] = {"description": "Un trou.", "address": "12, rue des Érables"}
    values.update(fields)
    with pytest.raises(ValidationError) as error:
        file_request(service=service, now=NOW, **values)
    assert not CitizenRequest.objects.exists()
    assert not RequestPhoto.objects.exists()
    return error.value.message_dict


# What is kept -----------------------------------------------------------------------------


def test_a_request_gets_a_tracking_number_a_due_date_and_its_first_public_line() -> None:
    service = pothole()

    result = file_request(
        service=service, description="Un trou.", address="12, rue des Érables", now=NOW
    )

    request = result.request
    assert request.tracking_number == "R-2026-000001"
    assert request.status == RequestStatus.NEW
    assert request.due_at == NOW + datetime.timedelta(days=7)
    assert request.department == service.department
    assert request.public is True
    assert request.follow_up_token_hash == token_hash(result.follow_up_token)
    assert result.follow_up_token not in request.follow_up_token_hash
    [event] = request.events.all()
    assert (event.kind, event.public) == (EventKind.FILED, True)


def test_tracking_numbers_follow_each_other_and_start_again_each_year() -> None:
    service = pothole()
    first, second = filed(service), filed(service)
    next_year = file_request(
        service=service,
        description="Encore.",
        address="1, rue Principale",
        now=datetime.datetime(2027, 1, 2, 12, tzinfo=datetime.UTC),
    ).request

    assert (first.tracking_number, second.tracking_number) == ("R-2026-000001", "R-2026-000002")
    assert next_year.tracking_number == "R-2027-000001"


def test_past_a_million_the_number_grows_a_digit_and_keeps_counting() -> None:
    service = pothole()
    filed(service)
    TrackingCounter.objects.filter(year=2026).update(last=999_999)

    assert filed(service).tracking_number == "R-2026-1000000"
    assert filed(service).tracking_number == "R-2026-1000001"


def test_numbers_written_without_the_counter_are_skipped_not_repeated() -> None:
    service = pothole()
    filed(service)
    # Requests written in bulk (the demo, the benchmark) take numbers the counter did not give.
    bulk = filed(service)
    CitizenRequest.objects.filter(pk=bulk.pk).update(tracking_number="R-2026-000007")
    TrackingCounter.objects.filter(year=2026).update(last=6)

    assert filed(service).tracking_number == "R-2026-000008"
    sync_tracking_counters()
    assert TrackingCounter.objects.get(year=2026).last == 8


def test_a_years_counter_starts_after_the_numbers_already_filed() -> None:
    service = pothole()
    filed(service)
    CitizenRequest.objects.update(tracking_number="R-2026-000041")
    TrackingCounter.objects.all().delete()

    assert filed(service).tracking_number == "R-2026-000042"


def test_a_private_service_files_requests_that_stay_off_the_public_map() -> None:
    assert filed(pothole(public=False)).public is False


def test_photos_are_kept_without_their_metadata() -> None:
    request = filed(photos=[photo(), photo("deux.jpg")])

    stored = list(request.photos.all())
    assert len(stored) == 2
    for kept in stored:
        name = kept.image.name or ""
        assert not kept.shown
        with default_storage.open(name) as file, Image.open(file) as image:
            assert not image.getexif()
        assert "trou" not in name


def test_the_answers_are_kept_by_question_code() -> None:
    service = pothole()
    choice_attribute(service=service, code="taille", required=True)
    AttributeFactory.create(service=service, code="profondeur", kind=AttributeKind.NUMBER)
    AttributeFactory.create(service=service, code="depuis", kind=AttributeKind.DATETIME)
    choice_attribute(service=service, code="genes", kind=AttributeKind.MULTIPLE)
    AttributeFactory.create(service=service, code="note", kind=AttributeKind.INFORMATION)

    request = filed(
        service,
        answers={
            "taille": "grand",
            "profondeur": "12,5",
            "depuis": "2026-12-01",
            "genes": ["petit", "grand"],
            "note": "ignoré",
            "inconnu": "ignoré",
        },
    )

    assert request.answers == {
        "taille": "grand",
        "profondeur": "12.5",
        "depuis": "2026-12-01",
        "genes": ["petit", "grand"],
    }


def test_a_point_inside_the_municipality_is_kept_rounded_to_six_decimals() -> None:
    settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    settings.boundary = json.dumps(SQUARE)
    settings.save()

    request = filed(latitude="45.3900004", longitude="-73.515", address="")

    assert (request.latitude, request.longitude) == INSIDE


# Bad input --------------------------------------------------------------------------------


def test_a_point_outside_the_municipality_is_refused() -> None:
    settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    settings.boundary = json.dumps(SQUARE)
    settings.save()

    errors = refused(latitude="45.50", longitude="-73.56")

    assert errors["point"] == [
        "Ce point est hors du territoire de la municipalité. Vérifiez l'endroit, ou "
        "adressez-vous à la municipalité voisine."
    ]


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [("45.39", ""), ("abc", "-73.5"), ("91", "-73.5"), ("45.39", "-181"), ("NaN", "-73.5")],
)
def test_a_point_that_is_no_position_is_refused(latitude: str, longitude: str) -> None:
    assert refused(latitude=latitude, longitude=longitude)["point"] == [
        "Ce point n'est pas une position valide."
    ]


def test_a_place_is_needed_when_the_service_requires_one() -> None:
    assert refused(address="")["address"] == [
        "Indiquez une adresse ou placez un point sur la carte."
    ]
    optional = pothole(location=Requirement.OPTIONAL)
    assert filed(optional, address="").address == ""


@pytest.mark.parametrize(
    ("description", "message"),
    [
        ("", "Décrivez le problème en quelques mots."),
        ("x" * 4001, "Ce texte dépasse 4 000 caractères."),
        ("Voir <a href='http://x.example'>ici</a>", "Écrivez en texte simple, sans balises HTML."),
        ("<script>alert(1)</script>", "Écrivez en texte simple, sans balises HTML."),
    ],
)
def test_a_bad_description_is_refused(description: str, message: str) -> None:
    assert refused(description=description)["description"] == [message]


def test_a_description_may_compare_numbers() -> None:
    assert filed(description="Le trou fait < 30 cm et > 10 cm.").description.startswith("Le trou")


def test_a_required_answer_an_unknown_choice_a_bad_number_and_a_bad_date_are_refused() -> None:
    service = pothole()
    choice_attribute(service=service, code="taille", required=True)
    choice_attribute(service=service, code="genes", kind=AttributeKind.MULTIPLE)
    AttributeFactory.create(service=service, code="profondeur", kind=AttributeKind.NUMBER)
    AttributeFactory.create(service=service, code="depuis", kind=AttributeKind.DATETIME)

    errors = refused(
        service=service,
        answers={"genes": ["petit", "enorme"], "profondeur": "profond", "depuis": "hier"},
    )

    assert errors["attribute_taille"] == ["Répondez à cette question."]
    assert errors["attribute_genes"] == ["Choisissez parmi les choix proposés."]
    assert errors["attribute_profondeur"] == ["Écrivez un nombre."]
    assert errors["attribute_depuis"] == ["Écrivez une date au format AAAA-MM-JJ."]


def test_photos_over_the_limit_missing_or_not_images_are_refused() -> None:
    assert refused(photos=[photo() for _ in range(4)])["photos"] == ["Ajoutez au plus 3 photos."]
    assert refused(service=pothole(photo=Requirement.REQUIRED))["photos"] == [
        "Ce service demande une photo du problème."
    ]
    not_an_image = photo("trou.jpg", b"%PDF-1.4 not a picture")
    assert "n'est pas une image" in refused(photos=[not_an_image])["photos"][0]


def test_a_bad_contact_is_refused() -> None:
    errors = refused(contact_email="pas-une-adresse", contact_phone="appelez-moi")

    assert errors["contact_email"] == [
        "Écrivez une adresse courriel valide, par exemple nom@exemple.ca."
    ]
    assert errors["contact_phone"] == ["Écrivez un numéro de téléphone, par exemple 450 555-0199."]


def test_a_withdrawn_service_takes_no_request() -> None:
    assert refused(service=pothole(active=False))["service"] == [
        "Ce service ne reçoit plus de requêtes. Choisissez-en un autre."
    ]


# Nearby and "moi aussi" ---------------------------------------------------------------------


def at(service: RequestService, north_metres: float, **fields: Any) -> CitizenRequest:
    latitude = INSIDE[0] + Decimal(str(round(north_metres / 111_320, 6)))
    return filed(service, latitude=str(latitude), longitude=str(INSIDE[1]), **fields)


def test_open_requests_of_the_same_service_within_50_metres_are_found_nearest_first() -> None:
    service, other = pothole(), pothole()
    far = at(service, 80)
    second = at(service, 30)
    first = at(service, 5)
    closed = at(service, 10)
    CitizenRequest.objects.filter(pk=closed.pk).update(status=RequestStatus.RESOLVED)
    at(other, 0)

    found = nearby_open_requests(service, *INSIDE)

    assert [entry.request for entry in found] == [first, second]
    assert [entry.metres for entry in found] == [5, 30]
    assert far not in [entry.request for entry in found]


def test_a_resident_adds_their_voice_once() -> None:
    request = filed()
    resident = ParticipantFactory.create()

    add_voice(request=request, participant=resident, contact_email="Voisine@Example.org")
    with pytest.raises(ValidationError) as again:
        add_voice(request=request, participant=resident)

    assert again.value.messages == ["Vous avez déjà ajouté votre voix à cette requête."]
    [supporter] = RequestSupporter.objects.all()
    assert supporter.contact_email == "voisine@example.org"


def test_no_voice_is_added_to_a_closed_request() -> None:
    request = filed()
    CitizenRequest.objects.filter(pk=request.pk).update(status=RequestStatus.RESOLVED)
    request.refresh_from_db()

    with pytest.raises(ValidationError):
        add_voice(request=request, participant=ParticipantFactory.create())

    assert not RequestSupporter.objects.exists()
