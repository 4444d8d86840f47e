"""Phone numbers as residents type them, turned into E.164 or refused with a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agora.alerts.phones import display_phone, normalise_phone


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("514 555-0123", "+15145550123"),
        ("(450) 555 0199", "+14505550199"),
        ("+1 514 555 0123", "+15145550123"),
        ("+1 (514) 555.0123", "+15145550123"),
        ("1-514-555-0123", "+15145550123"),
        ("5145550123", "+15145550123"),
        ("+15145550123", "+15145550123"),
        ("  819.555.0147  ", "+18195550147"),
        ("418 555 0100", "+14185550100"),
        ("+1 867 555 0100", "+18675550100"),  # Nunavut, Yukon, Territoires du Nord-Ouest
        ("+1 212 555 0100", "+12125550100"),  # New York
        ("1 800 267 2001", "+18002672001"),  # sans frais
        ("(514)555-0123", "+15145550123"),
    ],
)
def test_canadian_and_us_numbers_become_e164(typed: str, e164: str) -> None:
    assert normalise_phone(typed) == e164


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("555-0123", "invalid"),  # no area code
        ("514 555 012", "invalid"),  # a digit short
        ("514 555 01234", "invalid"),  # a digit too many
        ("bonjour", "invalid"),
        ("+1 441 555 0100", "invalid"),  # Bermuda: a NANP area code, not a valid number here
        ("+33 1 42 68 53 00", "country"),  # Paris
        ("+1 876 555 0100", "country"),  # Jamaica: NANP, but not Canada nor the US
        ("+44 20 7946 0958", "country"),
        ("613-555-0199 poste 12", "invalid"),
        ("613-555-0199 ext. 12", "extension"),
        ("5" * 41, "too_long"),
    ],
)
def test_refused_numbers_say_why(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalise_phone(typed)
    assert refused.value.code == code


def test_messages_are_french_with_quebec_typography() -> None:
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        normalise_phone("+33 1 42 68 53 00")
    assert refused.value.messages == [
        "Seuls les numéros du Canada et des États-Unis peuvent recevoir les alertes."
    ]
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        normalise_phone("bonjour")
    (message,) = refused.value.messages
    assert " : " in message
    assert " ?" not in message
    assert " !" not in message


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+15145550123", "514 555-0123"),
        ("+12125550100", "212 555-0100"),
        ("+33142685300", "+33142685300"),
        ("pas un numéro", "pas un numéro"),
    ],
)
def test_display(e164: str, shown: str) -> None:
    assert display_phone(e164) == shown
