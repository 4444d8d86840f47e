"""The automated call's script, heard before sending: rendered to a WAV file by Debian's
`espeak-ng` (a robotic voice, not the provider's, but enough to hear the length, the numbers
and what a listener will stumble on).

The text goes on the program's standard input, never on its command line (where any local
user could read it, and where a text starting with "-" would be read as an option); the
program has `TIMEOUT` seconds. Its WAV, written to a pipe, carries placeholder sizes in its
header: they are set to the real ones so that every player reads it to the end.
"""

from __future__ import annotations

import shutil
import struct
import subprocess

from agora.alerts import messages
from agora.alerts.models import Alert, ContactChannel

TIMEOUT = 20  # seconds: a 2,000-character script takes about one
VOICES = {"fr": "fr-ca", "en": "en"}
PROGRAM = "espeak-ng"


class VoicePreviewError(RuntimeError):
    """The preview could not be made (program missing, too slow, or failed)."""


def script_of(alert: Alert, language: str) -> str:
    """What the call would say in `language`: the script, or its fallback (messages.py)."""
    return str(messages.payload(alert, ContactChannel.VOICE, language)["script"])


def _fix_sizes(wav: bytes) -> bytes:
    """The RIFF and data chunk sizes of a WAV written to a pipe, set to the real ones."""
    if len(wav) < 12 or wav[:4] != b"RIFF" or wav[8:12] != b"WAVE":
        raise VoicePreviewError("not a WAV file")
    data = bytearray(wav)
    struct.pack_into("<I", data, 4, len(data) - 8)
    position = 12
    while position + 8 <= len(data):
        chunk, size = data[position : position + 4], struct.unpack_from("<I", data, position + 4)[0]
        if chunk == b"data":
            struct.pack_into("<I", data, position + 4, len(data) - position - 8)
            break
        position += 8 + size + (size % 2)
    return bytes(data)


def render_wav(text: str, language: str) -> bytes:
    """The WAV of `text` read in `language` ("fr" or "en")."""
    program = shutil.which(PROGRAM)
    if program is None:
        raise VoicePreviewError(f"{PROGRAM} is not installed")
    voice = VOICES["en" if language.startswith("en") else "fr"]
    try:
        result = subprocess.run(  # noqa: S603 (a fixed program and options; the text on stdin)
            [program, "-v", voice, "-b", "1", "--stdin", "--stdout"],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise VoicePreviewError(f"{PROGRAM} took more than {TIMEOUT} s") from None
    if result.returncode != 0 or not result.stdout:
        raise VoicePreviewError(f"{PROGRAM} failed with status {result.returncode}")
    return _fix_sizes(result.stdout)
