"""How long a text message is on the phone network: its encoding, the room it takes and the
number of segments (separate SMS, billed and delivered one by one) it is cut into.

A message written only with the GSM 03.38 alphabet (the "GSM-7" default alphabet and its
extension table) travels in 7-bit units: 160 per single message, 153 per segment once it
needs several (each segment gives 7 units to the header that glues them together). The
characters of the extension table (€ [ ] { } \\ ^ ~ | and the form feed) take two units.

Any other character (â ê î ô û, lower-case ç, « », the typographic apostrophe, an emoji...) switches the whole
message to UCS-2: 70 UTF-16 code units single, 67 per segment; a character outside the
Basic Multilingual Plane (most emoji) takes two units.

French accents é è à ù ì ò É Ç are in GSM-7; â ê î ô û ë ï and lower-case ç are not.

A segment never splits an escape sequence (GSM-7) or a surrogate pair (UCS-2): a character
that does not fit whole in a segment starts the next one, as phones and gateways cut them.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

# GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1), in code order; \x1b (the escape to the
# extension table) is left out: it is not a character one can write.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each of these is sent as the escape and a second unit.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE = 160
GSM7_SEGMENT = 153
UCS2_SINGLE = 70
UCS2_SEGMENT = 67


class Encoding(enum.StrEnum):
    GSM7 = "gsm7"
    UCS2 = "ucs2"


class SmsLength(NamedTuple):
    encoding: Encoding
    # 7-bit units (GSM-7) or UTF-16 code units (UCS-2) the text takes.
    units: int
    segments: int


def is_gsm7(text: str) -> bool:
    """Whether the whole text can be sent in the GSM-7 alphabet."""
    return all(character in GSM7_BASIC or character in GSM7_EXTENSION for character in text)


def _gsm7_units(character: str) -> int:
    return 2 if character in GSM7_EXTENSION else 1


def _ucs2_units(character: str) -> int:
    return 2 if ord(character) > 0xFFFF else 1


def sms_length(text: str) -> SmsLength:
    """The encoding the text needs, the units it takes and the segments it is cut into. An
    empty text is still one (empty) message."""
    if is_gsm7(text):
        encoding, units_of, single, segment = (
            Encoding.GSM7,
            _gsm7_units,
            GSM7_SINGLE,
            GSM7_SEGMENT,
        )
    else:
        encoding, units_of, single, segment = (
            Encoding.UCS2,
            _ucs2_units,
            UCS2_SINGLE,
            UCS2_SEGMENT,
        )
    sizes = [units_of(character) for character in text]
    total = sum(sizes)
    if total <= single:
        return SmsLength(encoding, total, 1)
    segments, room = 1, segment
    for size in sizes:
        if size > room:  # the character goes whole into the next segment
            segments += 1
            room = segment
        room -= size
    return SmsLength(encoding, total, segments)
