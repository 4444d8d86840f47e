"""Images staff upload in /gestion/ (one, or several at once) lose their metadata as
residents' photos do: the stored original and the renditions on public pages carry no GPS
position, camera owner or comment, and no longer bear the uploader's file name."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection

from agora.accounts.tests.team_factories import administrator, client_of
from agora.core.tests.test_images import jpeg_with_gps
from agora.pages.models import HomePage

pytestmark = pytest.mark.django_db

FILE_NAME = "lucie-tremblay-parc-2026.jpg"


@pytest.fixture
def staff(home: HomePage) -> Client:
    return client_of(administrator())


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile(FILE_NAME, jpeg_with_gps((800, 600)), content_type="image/jpeg")


def assert_clean(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert "comment" not in image.info
    assert b"Lucie" not in data
    assert b"secret" not in data


def stored_bytes() -> tuple[str, bytes]:
    image = get_image_model().objects.get()
    with image.open_file() as original:
        data = original.read()
    return image.file.name, data


def test_an_image_added_alone_is_stored_without_its_metadata(staff: Client) -> None:
    response = staff.post(
        "/gestion/images/add/",
        {"title": "Parc", "file": photo(), "collection": Collection.get_first_root_node().pk},
    )

    assert response.status_code == 302
    name, data = stored_bytes()
    assert_clean(data)
    assert "lucie" not in name
    rendition = get_image_model().objects.get().get_rendition("fill-480x270|format-jpeg")
    with rendition.file.open() as rendered:
        assert_clean(rendered.read())


def test_images_added_several_at_once_are_stored_without_their_metadata(staff: Client) -> None:
    response = staff.post("/gestion/images/multiple/add/", {"files[]": photo()})

    assert response.status_code == 200
    assert response.json()["success"]
    name, data = stored_bytes()
    assert_clean(data)
    assert "lucie" not in name


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(staff: Client) -> None:
    fake = SimpleUploadedFile("plan.jpg", b"%PDF-1.4 pas une image", content_type="image/jpeg")

    response = staff.post(
        "/gestion/images/add/",
        {"title": "Plan", "file": fake, "collection": Collection.get_first_root_node().pk},
    )

    assert response.status_code == 200
    assert not get_image_model().objects.exists()
