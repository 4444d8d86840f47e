"""Images residents send (an idea's photo, a request's picture): checked, then re-encoded.

A phone photo carries where and when it was taken (EXIF, GPS included), the phone's model
and sometimes the owner's name. None of it is kept: the picture is decoded, turned upright
according to its EXIF orientation, shrunk to a sensible size and encoded again from its
pixels alone, as JPEG, or PNG when it has transparency. Anything that is not an image, is too
heavy or would decode into an enormous bitmap (a "decompression bomb") is refused with a
message the resident can act on; nothing is written in that case.
"""

from __future__ import annotations

import io
import uuid
import warnings
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 2000
# 40 megapixels: above any phone's camera, far below what would exhaust the server's memory.
MAX_IMAGE_PIXELS = 40_000_000
JPEG_QUALITY = 85
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "MPO"})


def _refuse_non_image() -> ValidationError:
    return ValidationError(
        _("Ce fichier n'est pas une image. Choisissez une photo au format JPEG, PNG ou WebP."),
        code="not_an_image",
    )


def _refuse_too_large(max_bytes: int) -> ValidationError:
    return ValidationError(
        _("L'image dépasse %(limit)s. Choisissez une image plus légère."),
        code="too_heavy",
        params={"limit": filesizeformat(max_bytes)},
    )


def _refuse_too_many_pixels() -> ValidationError:
    return ValidationError(
        _("Cette image est trop grande pour être traitée. Choisissez une image plus petite."),
        code="too_many_pixels",
    )


def _size_of(upload: Any) -> int | None:
    size = getattr(upload, "size", None)
    return int(size) if size is not None else None


def _open_checked(data: IO[bytes]) -> Image.Image:
    """The decoded image, after Pillow's own integrity check and a pixel budget."""
    with warnings.catch_warnings():
        # Pillow warns (then errors) about decompression bombs; a warning is a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(data)
            if probe.format not in ACCEPTED_FORMATS:
                raise _refuse_non_image()
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise _refuse_too_many_pixels()
            probe.verify()
            data.seek(0)
            image = Image.open(data)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse_too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise _refuse_non_image() from None
    return image


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        return True
    return image.mode == "P" and "transparency" in image.info


def reencode_image(
    upload: Any, *, max_bytes: int = MAX_IMAGE_BYTES, max_side: int = MAX_IMAGE_SIDE
) -> ContentFile[bytes]:
    """A clean copy of the uploaded image: upright, at most `max_side` pixels a side, JPEG
    (or PNG when transparent), without any metadata, under a random file name.

    Raises ValidationError (with a message for the resident) when the file is over
    `max_bytes`, is not an image, or would decode into too many pixels.
    """
    size = _size_of(upload)
    if size is not None and size > max_bytes:
        raise _refuse_too_large(max_bytes)
    if hasattr(upload, "seek"):
        upload.seek(0)
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _refuse_too_large(max_bytes)
    if not raw:
        raise _refuse_non_image()

    image = _open_checked(io.BytesIO(raw))
    # Orientation is applied first, while the EXIF that states it is still there.
    image = ImageOps.exif_transpose(image) or image
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)

    options: dict[str, Any]
    if _has_transparency(image):
        pixels = image.convert("RGBA")
        extension, encoder_format, options = "png", "PNG", {"optimize": True}
    else:
        pixels = image.convert("RGB")
        extension, encoder_format = "jpg", "JPEG"
        options = {"quality": JPEG_QUALITY, "optimize": True, "progressive": True}
    # Rebuilt from its pixels alone: no EXIF, GPS, XMP, ICC profile or comment survives.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    output = io.BytesIO()
    clean.save(output, format=encoder_format, **options)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
