"""Phone numbers as residents type them ("514 555-0123", "(450) 555 0199", "+1 514...")
turned into E.164 ("+15145550123"), the form contact points keep.

Only numbers of the North American Numbering Plan's Canada and United States are taken:
the city's gateway sends text messages and calls there and nowhere else. A number without
a country code is read as a Canadian one.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "CA"
ACCEPTED_REGIONS = frozenset({"CA", "US"})
# Longer than any phone number written with spaces, dashes, dots, brackets and an extension.
MAX_TYPED_LENGTH = 40
NANP_DIGITS = 10


def normalise_phone(typed: str, *, region: str = DEFAULT_REGION) -> str:
    """The number in E.164, or a ValidationError saying why it cannot be used."""
    text = typed.strip()
    if not text:
        raise ValidationError(_("Indiquez un numéro de téléphone."), code="required")
    if len(text) > MAX_TYPED_LENGTH:
        raise ValidationError(_("Ce numéro de téléphone est trop long."), code="too_long")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Ce numéro de téléphone n'est pas valide. Exemple : 514 555-0123."),
            code="invalid",
        ) from None
    if number.extension:
        raise ValidationError(
            _("Indiquez un numéro sans poste : les alertes ne peuvent pas le composer."),
            code="extension",
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Ce numéro de téléphone n'est pas valide. Exemple : 514 555-0123."),
            code="invalid",
        )
    if phonenumbers.region_code_for_number(number) not in ACCEPTED_REGIONS:
        raise ValidationError(
            _("Seuls les numéros du Canada et des États-Unis peuvent recevoir les alertes."),
            code="country",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """A number kept in E.164 as residents write it: "514 555-0123" for a Canadian or US
    number, the E.164 form for anything else."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code != 1:
        return e164
    digits = str(number.national_number)
    if len(digits) != NANP_DIGITS:
        return e164
    return f"{digits[:3]} {digits[3:6]}-{digits[6:]}"
