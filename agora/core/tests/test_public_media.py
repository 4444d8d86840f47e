"""With uploads kept on this server and no reverse proxy in front of /media/, Agora serves
what residents see of them itself: the renditions of images and the photos of ideas, with a
day of browser cache. Originals (which keep what the camera wrote), survey answers' files and
anything outside those two folders stay unserved, whatever the path tries."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from agora.participation.tests.factories import project_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def media() -> Path:
    root = Path(settings.MEDIA_ROOT)
    for folder, name in (
        ("ideas/2026/12", "banc.jpg"),
        ("sondages/4", "photo.jpg"),
        ("documents", "budget.pdf"),
    ):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / name).write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    return root


def test_an_image_rendition_on_a_page_is_served_with_a_day_of_cache(client: Client) -> None:
    rendition = project_image().get_rendition("fill-480x270|format-webp")

    response = client.get(rendition.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "max-age=86400" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_the_photo_of_an_idea_is_served(client: Client, media: Path) -> None:
    response = client.get("/media/ideas/2026/12/banc.jpg")

    assert response.status_code == 200
    assert response.getvalue() == (media / "ideas/2026/12/banc.jpg").read_bytes()


@pytest.mark.parametrize(
    "address",
    [
        "/media/sondages/4/photo.jpg",
        "/media/documents/budget.pdf",
        "/media/images/../sondages/4/photo.jpg",
        "/media/ideas/../documents/budget.pdf",
        "/media/ideas/%2e%2e/sondages/4/photo.jpg",
        "/media/images/..%2fsondages/4/photo.jpg",
        "/media/ideas/2026/12/missing.jpg",
    ],
)
def test_other_uploads_are_not_served(client: Client, media: Path, address: str) -> None:
    assert client.get(address).status_code == 404


def test_the_original_of_an_image_is_not_served(client: Client) -> None:
    image = project_image()

    assert client.get(image.file.url).status_code == 404
