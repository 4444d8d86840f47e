"""The process in which a resident's image is decoded: `agora.core.images` runs this file with
`python -I`, sends the file on its standard input and reads the clean copy on its output.

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

Arguments: max_side max_pixels jpeg_quality memory_bytes cpu_seconds formats (comma-
separated). Output: b"jpg\\n" or b"png\\n", then the encoded image. The exit status says why
an image was refused (`EXIT_*`); any other failure is a budget overrun or a crash.
"""

from __future__ import annotations

import io
import os
import resource
import sys
import warnings
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
        options = {"quality": jpeg_quality, "optimize": True, "progressive": True}
    # Rebuilt from its pixels alone: no EXIF, GPS, XMP, ICC profile or comment survives.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    output = io.BytesIO()
    clean.save(output, format=encoder_format, **options)
    return extension, output.getvalue()


def main(argv: list[str]) -> int:
    max_side, max_pixels, jpeg_quality, memory_bytes, cpu_seconds = (int(a) for a in argv[1:6])
    formats = argv[6].split(",")
    Image.init()  # every decoder loaded before the address space in use is measured
    limit_resources(memory_bytes=memory_bytes, cpu_seconds=cpu_seconds)
    data = sys.stdin.buffer.read()
    try:
        extension, encoded = reencode(
            data,
            max_side=max_side,
            max_pixels=max_pixels,
            jpeg_quality=jpeg_quality,
            formats=formats,
        )
    except RefusedImageError as refused:
        return refused.exit_status
    except MemoryError:
        return EXIT_OUT_OF_MEMORY
    sys.stdout.buffer.write(extension.encode() + b"\n" + encoded)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
