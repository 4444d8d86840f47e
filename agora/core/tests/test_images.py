"""reencode_image: residents' pictures are re-encoded from their pixels alone (GPS and every
other metadata gone, turned upright first); what is not an image, too heavy, a decompression
bomb, over the pixel cap or over the decoding budget is refused with a clear message."""

import io
import os
import signal
import stat
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from agora.core import images
from agora.core.images import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, reencode_image
from agora.core.tests.crafted_images import jpeg_of_many_scans, png_of


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


# Pixel cap and decoding budget ---------------------------------------------------------------


def test_the_pixel_cap_lets_a_24_megapixel_phone_photo_through() -> None:
    output = io.BytesIO()
    Image.new("RGB", (6000, 4000), "white").save(output, format="JPEG")

    result = reencode_image(upload(output.getvalue()))

    assert opened(result).size == (2000, 1333)


def test_a_40_megapixel_png_is_refused_from_its_header_without_being_decoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forty_megapixels = png_of((8000, 5000))
    assert len(forty_megapixels) < 150_000

    def decode(*args: object, **kwargs: object) -> None:
        raise AssertionError("the image was sent to be decoded")

    monkeypatch.setattr(images, "_reencode_in_sandbox", decode)
    with pytest.raises(ValidationError) as refused:
        reencode_image(upload(forty_megapixels, "bombe.png", "image/png"))

    assert refused.value.code == "too_many_pixels"
    assert refused.value.messages == [
        "Cette image est trop grande pour être traitée. Choisissez une image plus petite."
    ]


def test_one_pixel_over_the_cap_is_refused() -> None:
    assert MAX_IMAGE_PIXELS == 25_000_000
    with pytest.raises(ValidationError) as refused:
        reencode_image(upload(png_of((5001, 5000), mode="1"), "bombe.png", "image/png"))

    assert refused.value.code == "too_many_pixels"


def test_a_jpeg_of_thousands_of_scans_is_stopped_by_the_cpu_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 16 MP, under the pixel cap; about 10 s of decoding without a budget.
    crafted = jpeg_of_many_scans(4000, scans=10_000)
    assert len(crafted) < 1_000_000
    monkeypatch.setattr(images, "DECODE_CPU_SECONDS", 1)

    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        reencode_image(upload(crafted))

    assert refused.value.code == "over_budget"
    assert refused.value.messages == [
        "Cette image demande trop de temps ou de mémoire à traiter. Choisissez une image plus "
        "petite, par exemple une photo prise avec votre téléphone."
    ]
    assert time.monotonic() - started < images.DECODE_TIMEOUT_SECONDS


def test_an_image_that_needs_more_memory_than_the_budget_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(images, "DECODE_MEMORY_BYTES", 32 * 1024 * 1024)

    with pytest.raises(ValidationError) as refused:
        # 16 MP: 48 MB once decoded.
        reencode_image(upload(png_of((4000, 4000)), "plan.png", "image/png"))

    assert refused.value.code == "over_budget"


def test_decoding_past_the_time_budget_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "DECODE_TIMEOUT_SECONDS", 0.5)

    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        reencode_image(upload(jpeg_of_many_scans(4000, scans=10_000)))

    assert refused.value.code == "over_budget"
    # Stopped by the clock, before the CPU budget would have stopped it.
    assert time.monotonic() - started < images.DECODE_CPU_SECONDS


def test_a_phone_photo_is_decoded_at_the_size_it_is_kept_at() -> None:
    output = io.BytesIO()
    Image.new("RGB", (4000, 3000), "white").save(output, format="JPEG")

    result = reencode_image(upload(output.getvalue()))

    assert opened(result).size == (2000, 1500)


def test_a_16_bit_grey_png_is_reencoded() -> None:
    result = reencode_image(upload(png_of((8000, 40), mode="I;16"), "scan.png", "image/png"))

    assert opened(result).size == (2000, 10)


def serving_process() -> int:
    """The pid of this process's waiting decoder, once an image has been re-encoded."""
    reencode_image(upload(jpeg_with_gps()))
    process = images._SERVING._process
    assert process is not None
    return process.pid


def test_one_waiting_process_decodes_image_after_image() -> None:
    first = serving_process()

    reencode_image(upload(jpeg_with_gps((300, 200))))

    assert serving_process() == first


def test_the_waiting_process_listens_where_only_its_user_can_reach() -> None:
    serving_process()
    socket_path = Path(images._SERVING._socket_path)

    assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(socket_path.parent.stat().st_mode) == 0o700


def test_the_waiting_process_ends_with_its_worker_and_takes_its_socket_along() -> None:
    serving_process()
    process = images._SERVING._process
    assert process is not None
    socket_path = Path(images._SERVING._socket_path)

    images._SERVING.stop()  # what happens to its pipe when the web worker exits

    assert process.wait(timeout=5) == 0
    assert not socket_path.exists()
    assert not socket_path.parent.exists()


def test_a_waiting_process_that_died_is_replaced_and_the_image_still_reencoded() -> None:
    first = serving_process()
    os.kill(first, signal.SIGKILL)
    images._SERVING._process.wait()  # type: ignore[union-attr]

    result = reencode_image(upload(jpeg_with_gps()))

    assert opened(result).getexif() == {}
    assert serving_process() != first


def test_without_a_waiting_process_each_image_gets_an_interpreter_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(images._SERVING, "socket_path", lambda: None)

    result = reencode_image(upload(jpeg_with_gps(orientation=6)))

    assert opened(result).size == (32, 64)
    with pytest.raises(ValidationError) as refused:
        reencode_image(upload(b"not an image at all", "notes.jpg"))
    assert refused.value.code == "not_an_image"
