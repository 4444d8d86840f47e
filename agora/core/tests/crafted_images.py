"""Image files made the way an attacker would make them, small on the wire and costly to
decode, and an ordinary phone photo; for the tests of `agora.core.images` and of the pages
that receive photos."""

from __future__ import annotations

import io
import struct

from PIL import ExifTags, Image

START_OF_SCAN = 0xDA
END_OF_IMAGE = 0xD9


def png_of(size: tuple[int, int], mode: str = "RGB") -> bytes:
    """A black PNG: it compresses about a thousand to one, so 40 MP fit in 120 KB."""
    output = io.BytesIO()
    Image.new(mode, size).save(output, format="PNG")
    return output.getvalue()


def phone_photo(size: tuple[int, int] = (400, 300)) -> bytes:
    """A JPEG with what a phone writes in it: its model, the owner's name, the place."""
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Téléphone de Marie"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 30.0, 12.5)
    output = io.BytesIO()
    Image.new("RGB", size, "green").save(output, format="JPEG", exif=exif)
    return output.getvalue()


def _segments(data: bytes) -> list[tuple[int, int, int]]:
    """(marker, start, end) of each segment of a JPEG; a scan runs to the next marker."""
    found: list[tuple[int, int, int]] = []
    position = 2  # after the start-of-image marker
    while position < len(data):
        marker = data[position + 1]
        if marker == END_OF_IMAGE:
            found.append((marker, position, position + 2))
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        end = position + 2 + length
        if marker == START_OF_SCAN:
            # Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a restart.
            while data[end] != 0xFF or data[end + 1] == 0x00 or 0xD0 <= data[end + 1] <= 0xD7:
                end += 1
        found.append((marker, position, end))
        position = end
    return found


def jpeg_of_many_scans(side: int, scans: int) -> bytes:
    """A grey progressive JPEG of `side` x `side` pixels whose first AC scan is repeated
    `scans` times. Each copy takes a few dozen bytes (the coefficients are all zero), but the
    decoder goes over every block of the picture for each: 10,000 copies make a 500 KB file
    of 25 MP that takes about 15 s to decode, at reduced scale or not."""
    output = io.BytesIO()
    Image.new("L", (side, side), 128).save(output, format="JPEG", progressive=True, quality=50)
    data = output.getvalue()
    segments = _segments(data)
    scan_segments = [(start, end) for marker, start, end in segments if marker == START_OF_SCAN]
    first_ac_start, first_ac_end = scan_segments[1]  # [0] is the DC scan
    end_of_image = segments[-1][1]
    repeated = data[first_ac_start:first_ac_end] * scans
    return data[:end_of_image] + repeated + data[end_of_image:]
