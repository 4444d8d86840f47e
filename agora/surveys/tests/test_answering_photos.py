"""Photos sent on a section's page, replayed as the security test sent them (issue 12, item
8): past `PHOTO_LIMIT` files an hour from one address, the page answers 429 and stores
nothing, and keeps the section's other answers; an image over the pixel cap or over the
decoding budget is refused with a message and nothing stored; a phone photo still goes
through, without its EXIF."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pytest_django import Settings

from agora.core import images
from agora.core.tests.crafted_images import jpeg_of_many_scans, phone_photo, png_of
from agora.pages.models import HomePage
from agora.surveys import views
from agora.surveys.models import Question, Survey
from agora.surveys.questions.file_upload import UPLOAD_FOLDER
from agora.surveys.tests.answering_helpers import section_url, submit_url, text
from agora.surveys.tests.factories import QuestionFactory, SectionFactory, SurveyFactory

pytestmark = pytest.mark.django_db

TOO_MANY_PHOTOS = (
    "Beaucoup de photos ont été envoyées depuis votre connexion en peu de temps. Pour protéger "
    "ce sondage des envois automatiques, votre photo n'a pas été reçue : réessayez dans une "
    "heure. Vos autres réponses sont conservées."
)
TOO_MANY_PIXELS = "Cette image est trop grande pour être traitée. Choisissez une image plus petite."
OVER_BUDGET = (
    "Cette image demande trop de temps ou de mémoire à traiter. Choisissez une image plus "
    "petite, par exemple une photo prise avec votre téléphone."
)


@dataclass
class PhotoSurvey:
    survey: Survey
    place: Question  # short text, optional
    photo: Question  # photo, optional


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def sidewalk(home: HomePage) -> PhotoSurvey:
    survey = SurveyFactory.create(slug="trottoirs", title_fr="Les trottoirs")
    section = SectionFactory.create(survey=survey, position=1, title_fr="Le trottoir abîmé")
    place = QuestionFactory.create(section=section, kind="short_text", label_fr="Où ?")
    photo = QuestionFactory.create(section=section, kind="file_upload", label_fr="Une photo ?")
    return PhotoSurvey(survey, place, photo)


def stored_photos() -> list[str]:
    try:
        _folders, names = default_storage.listdir(UPLOAD_FOLDER)
    except FileNotFoundError:
        return []
    return sorted(names)


def post_photo(
    client: Client, sidewalk: PhotoSurvey, content: bytes, name: str = "IMG_0001.jpg"
) -> Any:
    return client.post(
        section_url(sidewalk.survey, 1),
        {
            sidewalk.place.field_name: "Coin Principale et 2e Avenue",
            sidewalk.photo.field_name: SimpleUploadedFile(name, content),
        },
    )


# Rate limit ------------------------------------------------------------------------------


def test_past_30_photos_in_an_hour_the_page_answers_429_and_stores_nothing(
    sidewalk: PhotoSurvey,
) -> None:
    client = Client()
    photo = phone_photo((40, 30))

    statuses = [post_photo(client, sidewalk, photo).status_code for _ in range(100)]

    assert statuses == [302] * views.PHOTO_LIMIT + [429] * (100 - views.PHOTO_LIMIT)
    assert len(stored_photos()) == views.PHOTO_LIMIT
    refused = post_photo(client, sidewalk, photo)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert TOO_MANY_PHOTOS in text(refused)
    assert len(stored_photos()) == views.PHOTO_LIMIT


def test_each_file_of_a_post_counts_not_the_post(sidewalk: PhotoSurvey) -> None:
    photo = phone_photo((40, 30))
    files = [SimpleUploadedFile(f"IMG_{n:04}.jpg", photo) for n in range(views.PHOTO_LIMIT + 1)]

    response = Client().post(section_url(sidewalk.survey, 1), {sidewalk.photo.field_name: files})

    assert response.status_code == 429
    assert stored_photos() == []


def test_over_the_limit_the_other_answers_and_the_photo_already_attached_are_kept(
    sidewalk: PhotoSurvey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PHOTO_LIMIT", 1)
    client = Client()
    assert post_photo(client, sidewalk, phone_photo()).status_code == 302
    [attached] = stored_photos()

    refused = client.post(
        section_url(sidewalk.survey, 1),
        {
            sidewalk.place.field_name: "Devant le 120, rue Principale",
            sidewalk.photo.field_name: SimpleUploadedFile("IMG_0002.jpg", phone_photo()),
        },
    )

    assert refused.status_code == 429
    assert stored_photos() == [attached]
    page = text(client.get(section_url(sidewalk.survey, 1)))
    assert 'value="Devant le 120, rue Principale"' in page
    assert "Une photo est jointe à votre réponse." in page
    review = text(client.get(submit_url(sidewalk.survey)))
    assert "Devant le 120, rue Principale" in review


# Pixel cap and decoding budget -----------------------------------------------------------


def test_a_40_megapixel_png_is_refused_without_being_decoded_and_nothing_is_stored(
    sidewalk: PhotoSurvey, monkeypatch: pytest.MonkeyPatch
) -> None:
    def decode(*args: object, **kwargs: object) -> None:
        raise AssertionError("the image was sent to be decoded")

    monkeypatch.setattr(images, "_reencode_in_sandbox", decode)
    forty_megapixels = png_of((8000, 5000))
    assert len(forty_megapixels) < 150_000

    response = post_photo(Client(), sidewalk, forty_megapixels, "bombe.png")

    assert response.status_code == 200
    assert TOO_MANY_PIXELS in text(response)
    assert stored_photos() == []


def test_a_photo_within_the_pixel_cap_but_over_the_decoding_budget_is_refused(
    sidewalk: PhotoSurvey, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(images, "DECODE_CPU_SECONDS", 1)
    # 16 MP, 0.5 MB, about 10 s of decoding without a budget.
    crafted = jpeg_of_many_scans(4000, scans=10_000)

    response = post_photo(Client(), sidewalk, crafted)

    assert response.status_code == 200
    assert OVER_BUDGET in text(response)
    assert stored_photos() == []


def test_a_phone_photo_is_stored_without_its_exif(sidewalk: PhotoSurvey) -> None:
    photo = phone_photo((4000, 3000))
    assert Image.open(io.BytesIO(photo)).getexif()

    response = post_photo(Client(), sidewalk, photo)

    assert response.status_code == 302
    [name] = stored_photos()
    with default_storage.open(f"{UPLOAD_FOLDER}{name}", "rb") as saved:
        data = saved.read()
    image = Image.open(io.BytesIO(data))
    assert image.size == (2000, 1500)
    assert not image.getexif()
    assert b"Marie" not in data
