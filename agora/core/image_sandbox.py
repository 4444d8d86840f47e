"""The process in which a resident's image is decoded: `agora.core.images` runs this file with
`python -I`. Each image is decoded in a process of its own, forked for it from a waiting
process ("--serve", below) or, when that one cannot be reached, started for it alone (the
file on standard input, the clean copy on standard output).

A decoder can be made to work far longer, or to allocate far more, than a file's size
suggests: a PNG of a few kilobytes that inflates into a bitmap of hundreds of megabytes, a
progressive JPEG of thousands of scans that each go over every block of the picture. Here,
such a file costs at most this process's budget, set below with `setrlimit` before the first
byte of the image is read: the kernel stops the process past its CPU time (SIGXCPU), and an
allocation past its memory fails (MemoryError). The web server's worker only waits for the
answer, with a timeout of its own, and a crash in a decoder cannot take it down.

This file imports the standard library and Pillow only, neither Django nor the project: it
starts faster, and the process it runs in has no setting, secret or connection of the
server's within reach (it is also started with an empty environment).

Starting an interpreter and loading Pillow takes about 0.2 s of CPU time, twice what a phone
photo's decoding does. So `--serve SOCKET_PATH` starts one process per web worker that loads
Pillow once, listens on a Unix socket only its user can reach, and forks a child for each
connection: the child sets its budget, reads one image and writes the answer. It exits when
its standard input closes (the web worker that started it is gone).

Request: one ASCII line, "max_side max_pixels jpeg_quality memory_bytes cpu_seconds
wall_seconds formats length" (formats comma-separated), then `length` bytes of image.
Answer: one ASCII line, "status length", then `length` bytes: b"jpg\\n" or b"png\\n" and the
encoded image when status is 0. Status `EXIT_*` says why an image was refused; a connection
that closes before the whole answer is a budget overrun or a crash.

Alone, arguments: max_side max_pixels jpeg_quality memory_bytes cpu_seconds formats; output
as the answer's bytes above, the status as the process's exit status.
"""

from __future__ import annotations

import io
import os
import resource
import selectors
import signal
import socket
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

EXIT_NOT_AN_IMAGE = 65
EXIT_TOO_MANY_PIXELS = 66
EXIT_OUT_OF_MEMORY = 67


class RefusedImageError(Exception):
    def __init__(self, exit_status: int) -> None:
        super().__init__(exit_status)
        self.exit_status = exit_status


def _lower_limit(kind: int, soft: int, hard: int) -> None:
    """Lowers a limit of this process (never above a limit it already has)."""
    _current_soft, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
    resource.setrlimit(kind, (min(soft, hard), hard))


def _address_space_in_use() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def limit_resources(*, memory_bytes: int, cpu_seconds: int) -> None:
    """At most `cpu_seconds` of CPU time from now on (the process has used a fraction of a
    second to start) and `memory_bytes` of address space beyond what the interpreter and
    Pillow's libraries already take. No core file when the kernel stops the process."""
    _lower_limit(resource.RLIMIT_CORE, 0, 0)
    _lower_limit(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)
    address_space = _address_space_in_use() + memory_bytes
    _lower_limit(resource.RLIMIT_AS, address_space, address_space)


def _draft_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The size the picture will be shrunk to, which a JPEG decoder may decode at directly."""
    width, height = size
    scale = min(1.0, max_side / max(width, height))
    return max(1, int(width * scale)), max(1, int(height * scale))


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        return True
    return image.mode == "P" and "transparency" in image.info


def _decoded(data: bytes, *, max_side: int, max_pixels: int, formats: list[str]) -> Image.Image:
    """The picture's pixels, after Pillow's integrity check and the pixel cap."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        # Pillow warns past MAX_IMAGE_PIXELS (and errors past twice that): a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data), formats=formats)
            probe.verify()
            image = Image.open(io.BytesIO(data), formats=formats)
            if image.format in ("JPEG", "MPO"):
                # libjpeg decodes at 1/2, 1/4 or 1/8 scale directly: a 12-MP photo is decoded
                # at the 3 MP it is kept at, in a quarter of the time and memory.
                image.draft(None, _draft_size(image.size, max_side))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise RefusedImageError(EXIT_TOO_MANY_PIXELS) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise RefusedImageError(EXIT_NOT_AN_IMAGE) from None
    return image


def reencode(
    data: bytes, *, max_side: int, max_pixels: int, jpeg_quality: int, formats: list[str]
) -> tuple[str, bytes]:
    """The file extension and bytes of the clean copy: upright, at most `max_side` pixels a
    side, JPEG (PNG when transparent), rebuilt from its pixels alone."""
    image = _decoded(data, max_side=max_side, max_pixels=max_pixels, formats=formats)
    # Orientation is applied first, while the EXIF that states it is still there.
    ImageOps.exif_transpose(image, in_place=True)
    transparent = _has_transparency(image)
    mode = "RGBA" if transparent else "RGB"
    if image.mode != mode:
        # Before resizing: resizing refuses some modes (16-bit grey) and spoils others (a
        # palette is resized without smoothing).
        image = image.convert(mode)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)

    options: dict[str, Any]
    if transparent:
        extension, encoder_format, options = "png", "PNG", {"optimize": True}
    else:
        extension, encoder_format = "jpg", "JPEG"
        # Baseline, not progressive: a progressive encoding of a 2-MP photo takes 50 ms more
        # CPU time (three times the rest of the encoding) for a file about 5 % smaller.
        options = {"quality": jpeg_quality, "optimize": True}
    # Rebuilt from its pixels alone: no EXIF, GPS, XMP, ICC profile or comment survives.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    output = io.BytesIO()
    clean.save(output, format=encoder_format, **options)
    return extension, output.getvalue()


def budgeted_reencode(
    data: bytes, *, max_side: int, max_pixels: int, jpeg_quality: int, formats: list[str]
) -> tuple[int, bytes]:
    """(0, the extension, a newline and the clean copy) or (EXIT_* status, b"")."""
    try:
        extension, encoded = reencode(
            data,
            max_side=max_side,
            max_pixels=max_pixels,
            jpeg_quality=jpeg_quality,
            formats=formats,
        )
    except RefusedImageError as refused:
        return refused.exit_status, b""
    except MemoryError:
        return EXIT_OUT_OF_MEMORY, b""
    return 0, extension.encode() + b"\n" + encoded


def _within_budget(
    numbers: list[int], formats: list[str], read: Callable[[], bytes]
) -> tuple[int, bytes]:
    """`budgeted_reencode` of what `read` gives, under the budget set first. `numbers`:
    max_side max_pixels jpeg_quality memory_bytes cpu_seconds."""
    max_side, max_pixels, jpeg_quality, memory_bytes, cpu_seconds = numbers
    limit_resources(memory_bytes=memory_bytes, cpu_seconds=cpu_seconds)
    return budgeted_reencode(
        read(),
        max_side=max_side,
        max_pixels=max_pixels,
        jpeg_quality=jpeg_quality,
        formats=formats,
    )


def request_line(
    *,
    max_side: int,
    max_pixels: int,
    jpeg_quality: int,
    memory_bytes: int,
    cpu_seconds: int,
    wall_seconds: float,
    formats: list[str],
    length: int,
) -> bytes:
    """The line that precedes an image sent to the serving process."""
    fields = (max_side, max_pixels, jpeg_quality, memory_bytes, cpu_seconds, wall_seconds)
    return " ".join([*map(str, fields), ",".join(formats), str(length)]).encode() + b"\n"


def _serve_one(connection: socket.socket) -> int:
    """In the child forked for one connection: its budget, then one image and its answer."""
    reader = connection.makefile("rb")
    fields = reader.readline(300).split()
    # Past its wall-clock time the child is ended by SIGALRM (the default action): a web
    # worker that stopped waiting leaves nothing running behind it.
    signal.setitimer(signal.ITIMER_REAL, float(fields[5]))
    length = int(fields[7])
    status, answer = _within_budget(
        [int(field) for field in fields[:5]],
        fields[6].decode().split(","),
        lambda: reader.read(length),
    )
    connection.sendall(f"{status} {len(answer)}\n".encode() + answer)
    return 0


def serve(socket_path: str) -> int:
    """Waits for connections on `socket_path` and forks a child for each, until standard
    input closes."""
    Image.init()  # every decoder loaded once, before any child is forked
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    previous_umask = os.umask(0o177)  # the socket: read and write by its user alone
    try:
        listener.bind(socket_path)
    finally:
        os.umask(previous_umask)
    listener.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the children
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ)
    sys.stdout.buffer.write(b"ready\n")
    sys.stdout.buffer.flush()
    try:
        while True:
            for key, _events in selector.select():
                if key.fileobj is not listener:
                    if not os.read(sys.stdin.fileno(), 4096):
                        return 0  # the web worker that started this process is gone
                    continue
                try:
                    connection, _address = listener.accept()
                except OSError:
                    continue
                try:
                    child = os.fork()
                except OSError:  # the process limit: the web worker sees a refusal
                    connection.close()
                    continue
                if child == 0:
                    status = 70
                    try:
                        listener.close()
                        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                        status = _serve_one(connection)
                    finally:
                        os._exit(status)
                connection.close()
    finally:
        listener.close()
        os.unlink(socket_path)


def main(argv: list[str]) -> int:
    if argv[1:2] == ["--serve"]:
        return serve(argv[2])
    Image.init()  # every decoder loaded before the address space in use is measured
    status, answer = _within_budget(
        [int(argument) for argument in argv[1:6]], argv[6].split(","), sys.stdin.buffer.read
    )
    if status:
        return status
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
