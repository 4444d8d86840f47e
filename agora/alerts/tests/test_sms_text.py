"""The length of text messages: GSM-7 (160, then 153 per segment, the extension table
counting two) or UCS-2 (70, then 67 per segment, in UTF-16 code units)."""

import pytest

from agora.alerts.sms_text import Encoding, SmsLength, is_gsm7, sms_length

GSM = Encoding.GSM7
UCS = Encoding.UCS2


@pytest.mark.parametrize(
    "character",
    [*"éèùìòÇÉàäöñüÄÖÑÜßÆæÅåØø@£$¥§¿¡ΔΦΓΛΩΠΨΣΘΞ_!\"#¤%&'()*+,-./:;<=>?", "\n", "\r", " "],
)
def test_characters_of_the_basic_set(character: str) -> None:
    assert sms_length(character) == SmsLength(GSM, 1, 1)


@pytest.mark.parametrize("character", [*"€[]{}\\^~|", "\f"])
def test_characters_of_the_extension_table_count_two(character: str) -> None:
    assert sms_length(character) == SmsLength(GSM, 2, 1)


@pytest.mark.parametrize(
    # â ê î ô û, ë ï, lower-case ç (only Ç is in GSM-7), French quotes, the typographic
    # apostrophe, the non-breaking space, the ellipsis, the en dash, Ê of ARRÊT.
    "character",
    [*"âêîôûëïçÂÊÎÔÛÈÀ«»", "\u2019", "\u2026", "\u2013", "\u00a0", "\u202f"],
)
def test_characters_outside_gsm7_switch_to_ucs2(character: str) -> None:
    assert not is_gsm7(character)
    assert sms_length(f"Bonjour {character}") == SmsLength(UCS, 9, 1)


def test_lower_case_c_cedilla_is_not_gsm7_but_upper_case_is() -> None:
    assert is_gsm7("Ç")
    assert not is_gsm7("ç")
    assert sms_length("Ça")[0] is GSM
    assert sms_length("reçu")[0] is UCS


def test_french_accents_of_gsm7_keep_a_message_in_gsm7() -> None:
    text = "Avis d'ébullition préventif à partir de 14 h : rues Séguin et Lamoureux. Détails : ville.ca/eau"
    assert sms_length(text) == SmsLength(GSM, len(text), 1)


def test_a_circumflex_makes_the_whole_message_ucs2() -> None:
    text = "Fermeture de la rue Principale : fête de quartier samedi."
    assert sms_length(text) == SmsLength(UCS, len(text), 1)


@pytest.mark.parametrize(
    ("length", "segments"),
    [(0, 1), (1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)],
)
def test_gsm7_segments(length: int, segments: int) -> None:
    assert sms_length("a" * length) == SmsLength(GSM, length, segments)


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)],
)
def test_ucs2_segments(length: int, segments: int) -> None:
    assert sms_length("ê" * length) == SmsLength(UCS, length, segments)


def test_extension_characters_take_two_units() -> None:
    assert sms_length("€" * 80) == SmsLength(GSM, 160, 1)
    assert sms_length("a" * 159 + "€") == SmsLength(GSM, 161, 2)
    assert sms_length("{prix : 5 €}") == SmsLength(GSM, 15, 1)


def test_an_escape_sequence_is_never_split_between_segments() -> None:
    # 152 units, then € (2) does not fit in the first segment's last unit: it starts the
    # second one, which then holds 2 + 151 units; the last "a" goes into a third.
    text = "a" * 152 + "€" + "a" * 152
    assert sms_length(text) == SmsLength(GSM, 306, 3)
    assert sms_length("a" * 151 + "€" + "a" * 153) == SmsLength(GSM, 306, 2)


def test_characters_outside_the_bmp_count_two_utf16_units() -> None:
    assert sms_length("🚧") == SmsLength(UCS, 2, 1)
    assert sms_length("🚧" * 35) == SmsLength(UCS, 70, 1)
    assert sms_length("Travaux 🚧") == SmsLength(UCS, 10, 1)
    # 66 units, then an emoji (2) does not fit in the first segment's last unit.
    assert sms_length("ê" * 66 + "🚧" + "ê" * 66) == SmsLength(UCS, 134, 3)
    assert sms_length("ê" * 65 + "🚧" + "ê" * 67) == SmsLength(UCS, 134, 2)


def test_an_empty_text_is_one_message() -> None:
    assert sms_length("") == SmsLength(GSM, 0, 1)


def test_the_result_unpacks_as_encoding_units_and_segments() -> None:
    encoding, units, segments = sms_length("Coupure d'eau")
    assert (encoding, units, segments) == ("gsm7", 13, 1)
