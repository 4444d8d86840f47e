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
there and refused, and the web server's worker never holds the bitmap. That process is forked
for the image from one that each web worker keeps waiting with Pillow loaded, which saves
starting an interpreter per image.
"""

from __future__ import annotations

import atexit
import io
import logging
import os
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from pathlib import Path
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


class _ServingProcess:
    """This web worker's `image_sandbox --serve` process, started at its first image; a new
    one after a fork (gunicorn's workers) or should it have ended."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = 0
        self._socket_path = ""

    def socket_path(self) -> str | None:
        """Where to connect; None when no serving process could be started."""
        with self._lock:
            process = self._process
            if process is not None and self._owner != os.getpid():
                # Inherited through a fork: the parent's, left to it (our copy of its pipe
                # is closed so that it still ends with the parent).
                if process.stdin is not None:
                    process.stdin.close()
                self._process = process = None
            if process is None or process.poll() is not None:
                self._start()
            return self._socket_path if self._process is not None else None

    def _start(self) -> None:
        self._stop()
        directory = tempfile.mkdtemp(prefix="agora-images-")  # mode 0700
        socket_path = str(Path(directory) / "socket")
        try:
            # Our own interpreter and file, no shell, an empty environment.
            process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-I", image_sandbox.__file__, "--serve", socket_path],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={},
            )
        except OSError:
            logger.exception("images: the decoding process could not start")
            shutil.rmtree(directory, ignore_errors=True)
            return
        assert process.stdout is not None  # Popen with stdout=PIPE
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            ready = bool(selector.select(DECODE_TIMEOUT_SECONDS))
        if not ready or process.stdout.readline() != b"ready\n":
            logger.warning("images: the decoding process did not start in time")
            process.kill()
            process.wait()
            shutil.rmtree(directory, ignore_errors=True)
            return
        self._process, self._owner, self._socket_path = process, os.getpid(), socket_path

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None or self._owner != os.getpid():
            return
        if process.stdin is not None:
            process.stdin.close()  # it ends at once, removing its socket
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(Path(self._socket_path).parent, ignore_errors=True)

    def stop(self) -> None:
        with self._lock:
            self._stop()


_SERVING = _ServingProcess()
atexit.register(_SERVING.stop)


def _ask_serving_process(
    socket_path: str, request: bytes, raw: bytes, deadline: float
) -> tuple[int, bytes] | None:
    """The child's (status, answer); status -1 when the connection closed before the whole
    answer (a budget overrun or a crash); None when the serving process could not be reached.
    TimeoutError past the deadline."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(max(0.0, deadline - time.monotonic()))
        try:
            connection.connect(socket_path)
        except (FileNotFoundError, ConnectionRefusedError):
            return None
        try:
            connection.sendall(request + raw)
            connection.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            return (-1, b"")  # the child ended before reading it all (its memory budget)
        chunks = []
        while True:
            connection.settimeout(max(0.001, deadline - time.monotonic()))
            chunk = connection.recv(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    head, newline, answer = b"".join(chunks).partition(b"\n")
    fields = head.split()
    if not newline or len(fields) != 2 or int(fields[1]) != len(answer):
        return (-1, b"")
    return int(fields[0]), answer


def _run_alone(raw: bytes, *, max_side: int, max_pixels: int) -> tuple[int, bytes]:
    """The same work in an interpreter started for this image alone (about 0.2 s more)."""
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
    # Our own interpreter and file, no shell; the image only goes to standard input.
    finished = subprocess.run(  # noqa: S603
        command,
        input=raw,
        capture_output=True,
        timeout=DECODE_TIMEOUT_SECONDS,
        env={},
        check=False,
    )
    return finished.returncode, finished.stdout


def _reencode_in_sandbox(raw: bytes, *, max_side: int, max_pixels: int) -> tuple[str, bytes]:
    """The extension and bytes of the clean copy, made by `image_sandbox` in a process of
    its own under the decoding budget."""
    deadline = time.monotonic() + DECODE_TIMEOUT_SECONDS
    request = image_sandbox.request_line(
        max_side=max_side,
        max_pixels=max_pixels,
        jpeg_quality=JPEG_QUALITY,
        memory_bytes=DECODE_MEMORY_BYTES,
        cpu_seconds=DECODE_CPU_SECONDS,
        wall_seconds=DECODE_TIMEOUT_SECONDS,
        formats=_DECODERS,
        length=len(raw),
    )
    try:
        socket_path = _SERVING.socket_path()
        answer = None
        if socket_path is not None:
            answer = _ask_serving_process(socket_path, request, raw, deadline)
        if answer is None:
            answer = _run_alone(raw, max_side=max_side, max_pixels=max_pixels)
    except (TimeoutError, subprocess.TimeoutExpired):  # run() has killed its process
        logger.warning("image refused: decoding took over %s s", DECODE_TIMEOUT_SECONDS)
        raise _refuse_over_budget() from None
    except OSError:  # no process could be started (the server's process limit)
        logger.exception("image refused: the decoding process could not start")
        raise _refuse_over_budget() from None
    status, output = answer
    if status == image_sandbox.EXIT_NOT_AN_IMAGE:
        raise _refuse_non_image()
    if status == image_sandbox.EXIT_TOO_MANY_PIXELS:
        raise _refuse_too_many_pixels()
    extension, _newline, encoded = output.partition(b"\n")
    if status != 0 or extension not in (b"jpg", b"png") or not encoded:
        # Out of memory, stopped for its CPU time (a negative status: the signal), or a crash.
        logger.warning("image refused: decoding ended with status %s", status)
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
