"""Images residents send (an idea's photo, a request's picture): checked, then re-encoded.

A phone photo carries where and when it was taken (EXIF, GPS included), the phone's model
and sometimes the owner's name. None of it is kept: the picture is decoded, turned upright
according to its EXIF orientation, shrunk to a sensible size and encoded again from its
pixels alone, as JPEG, or PNG when it has transparency. Anything that is not an image, is too
heavy or would decode into an enormous bitmap (a "decompression bomb") is refused with a
message the resident can act on; nothing is written in that case.

The pixel count is read from the file's header, before anything is decoded. Decoding and
encoding then happen in a process of their own (`agora.core.image_sandbox`), under a budget
of CPU time, memory and wall-clock time: a file crafted to cost more than a photo is stopped
there and refused, and the web server's worker never holds the bitmap.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import uuid
import warnings
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from agora.core import image_sandbox

logger = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 2000
# 25 megapixels: what a phone photo needs. Phones save 12 MP by default, some 24 MP (6000 x
# 4000); sensors of 48 to 200 MP merge their pixels into those sizes unless a "full
# resolution" mode is chosen. Beyond that, every extra megapixel only costs the server time
# and memory, for a picture kept at MAX_IMAGE_SIDE anyway.
MAX_IMAGE_PIXELS = 25_000_000
JPEG_QUALITY = 85
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "MPO"})
# The decoders Pillow may try on a file: MPO (how some cameras save a JPEG) has none of its
# own, the JPEG decoder opens it.
_DECODERS = sorted(ACCEPTED_FORMATS - {"MPO"})

# The decoding budget of one image, beyond the ~40 MB the interpreter and Pillow take. Measured
# (issue 12, item 8): a 12-MP phone JPEG takes 0.1 s of CPU time and 40 MB (decoded at the
# size it is kept at); a 24-MP PNG up to 0.8 s and 230 MB. WebP's decoder keeps extra copies
# (about 20 bytes a pixel): a WebP fits up to about 20 MP, which no phone saves by default.
# Room for a slower server, and far from what a file crafted to take longer (a progressive
# JPEG of thousands of scans: 10 s and more) would hold a worker for.
DECODE_CPU_SECONDS = 3
DECODE_MEMORY_BYTES = 512 * 1024 * 1024
# Wall-clock backstop: starting the interpreter (a cold disk after a deployment) and waiting
# for a busy CPU count here too, so it is wider than the CPU budget; still well inside
# gunicorn's default 30-second worker timeout.
DECODE_TIMEOUT_SECONDS = 10


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


def _refuse_over_budget() -> ValidationError:
    return ValidationError(
        _(
            "Cette image demande trop de temps ou de mémoire à traiter. Choisissez une image "
            "plus petite, par exemple une photo prise avec votre téléphone."
        ),
        code="over_budget",
    )


def _size_of(upload: Any) -> int | None:
    size = getattr(upload, "size", None)
    return int(size) if size is not None else None


def _check_header(raw: bytes, *, max_pixels: int) -> None:
    """Refuses a file that is not an image of an accepted format, or whose header announces
    more than `max_pixels`. Only the header is read: nothing is decoded here."""
    with warnings.catch_warnings():
        # Pillow warns (then errors) about decompression bombs; a warning is a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            header = Image.open(io.BytesIO(raw), formats=_DECODERS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse_too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise _refuse_non_image() from None
    if header.width * header.height > max_pixels:
        raise _refuse_too_many_pixels()


def _reencode_in_sandbox(raw: bytes, *, max_side: int, max_pixels: int) -> tuple[str, bytes]:
    """The extension and bytes of the clean copy, made by `image_sandbox` in a process of
    its own under the decoding budget."""
    command = [
        sys.executable,
        "-I",  # no environment variable, user site or current directory reaches it
        image_sandbox.__file__,
        str(max_side),
        str(max_pixels),
        str(JPEG_QUALITY),
        str(DECODE_MEMORY_BYTES),
        str(DECODE_CPU_SECONDS),
        ",".join(_DECODERS),
    ]
    try:
        # Our own interpreter and file, no shell; the image only goes to standard input.
        finished = subprocess.run(  # noqa: S603
            command,
            input=raw,
            capture_output=True,
            timeout=DECODE_TIMEOUT_SECONDS,
            env={},
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the process and waited for it
        logger.warning("image refused: decoding took over %s s", DECODE_TIMEOUT_SECONDS)
        raise _refuse_over_budget() from None
    except OSError:  # no process could be started (the server's process limit)
        logger.exception("image refused: the decoding process could not start")
        raise _refuse_over_budget() from None
    status = finished.returncode
    if status == image_sandbox.EXIT_NOT_AN_IMAGE:
        raise _refuse_non_image()
    if status == image_sandbox.EXIT_TOO_MANY_PIXELS:
        raise _refuse_too_many_pixels()
    extension, _newline, encoded = finished.stdout.partition(b"\n")
    if status != 0 or extension not in (b"jpg", b"png") or not encoded:
        # Out of memory, stopped for its CPU time (a negative status: the signal), or a crash.
        last_line = (finished.stderr.decode(errors="replace").strip().splitlines() or [""])[-1]
        logger.warning("image refused: decoding ended with status %s %s", status, last_line)
        raise _refuse_over_budget()
    return extension.decode(), encoded


def reencode_image(
    upload: Any,
    *,
    max_bytes: int = MAX_IMAGE_BYTES,
    max_side: int = MAX_IMAGE_SIDE,
    max_pixels: int = MAX_IMAGE_PIXELS,
) -> ContentFile[bytes]:
    """A clean copy of the uploaded image: upright, at most `max_side` pixels a side, JPEG
    (or PNG when transparent), without any metadata, under a random file name.

    Raises ValidationError (with a message for the resident) when the file is over
    `max_bytes`, is not an image, announces more than `max_pixels`, or costs more than the
    decoding budget.
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

    _check_header(raw, max_pixels=max_pixels)
    extension, encoded = _reencode_in_sandbox(raw, max_side=max_side, max_pixels=max_pixels)
    return ContentFile(encoded, name=f"{uuid.uuid4().hex}.{extension}")
