"""reencode_image: residents' pictures are re-encoded from their pixels alone (GPS and every
other metadata gone, turned upright first); what is not an image, too heavy, or a
decompression bomb is refused with a clear message."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from agora.core.images import MAX_IMAGE_BYTES, reencode_image


def jpeg_with_gps(size: tuple[int, int] = (64, 32), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Téléphone de Lucie"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (73.0, 34.0, 1.0)
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif, comment=b"secret")
    return output.getvalue()


def upload(
    data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def opened(content: File[bytes]) -> Image.Image:
    content.seek(0)
    return Image.open(io.BytesIO(content.read()))


def test_the_test_photo_really_carries_gps() -> None:
    original = Image.open(io.BytesIO(jpeg_with_gps()))

    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_gps_and_all_metadata_are_stripped() -> None:
    result = reencode_image(upload(jpeg_with_gps()))

    image = opened(result)
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info
    assert "comment" not in image.info
    result.seek(0)
    data = result.read()
    assert b"Exif" not in data
    assert b"Lucie" not in data


def test_the_exif_orientation_is_applied_before_it_is_dropped() -> None:
    # Orientation 6: the camera was turned; the picture must come out upright (taller).
    result = reencode_image(upload(jpeg_with_gps(size=(80, 40), orientation=6)))

    assert opened(result).size == (40, 80)


def test_large_pictures_are_shrunk_to_the_maximum_side() -> None:
    output = io.BytesIO()
    Image.new("RGB", (3000, 1500), "white").save(output, format="JPEG")

    result = reencode_image(upload(output.getvalue()), max_side=2000)

    assert opened(result).size == (2000, 1000)


def test_a_transparent_picture_stays_transparent_as_png() -> None:
    output = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(output, format="PNG")

    result = reencode_image(upload(output.getvalue(), "logo.png", "image/png"))

    image = opened(result)
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    assert result.name is not None
    assert result.name.endswith(".png")


def test_the_file_name_is_random_and_says_nothing_of_the_original() -> None:
    result = reencode_image(upload(jpeg_with_gps(), name="Lucie Tremblay chez elle.jpg"))

    assert result.name is not None
    assert "Lucie" not in result.name
    assert result.name.endswith(".jpg")


def test_a_text_file_renamed_jpg_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        reencode_image(upload(b"Bonjour, ceci n'est pas une image.\n" * 20, "photo.jpg"))

    assert refused.value.code == "not_an_image"
    assert "n'est pas une image" in refused.value.messages[0]


def test_a_truncated_image_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        reencode_image(upload(jpeg_with_gps()[:200]))

    assert refused.value.code == "not_an_image"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError):
        reencode_image(upload(b""))


def test_an_image_over_10_mb_is_refused_with_the_limit_in_the_message() -> None:
    eleven_megabytes = b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024)

    with pytest.raises(ValidationError) as refused:
        reencode_image(upload(eleven_megabytes))

    assert refused.value.code == "too_heavy"
    assert "10" in refused.value.messages[0]


def test_the_size_limit_holds_even_when_the_upload_does_not_say_its_size() -> None:
    class Unsized(io.BytesIO):
        size = None

    with pytest.raises(ValidationError) as refused:
        reencode_image(Unsized(b"0" * (MAX_IMAGE_BYTES + 1)))

    assert refused.value.code == "too_heavy"


def test_a_decompression_bomb_is_refused() -> None:
    # A tiny file that would decode into 100 million pixels.
    output = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(output, format="PNG")
    assert len(output.getvalue()) < 100_000

    with pytest.raises(ValidationError) as refused:
        reencode_image(upload(output.getvalue(), "bombe.png", "image/png"))

    assert refused.value.code == "too_many_pixels"


def test_formats_other_than_pictures_are_refused() -> None:
    output = io.BytesIO()
    Image.new("RGB", (10, 10)).save(output, format="PDF")

    with pytest.raises(ValidationError):
        reencode_image(upload(output.getvalue(), "document.jpg"))
