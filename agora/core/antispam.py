"""Abuse control for forms anyone may send, without identifying anybody.

Three layers, none of which stores who the visitor is:

- `rate_limit`: counts requests per scope and connection over a sliding window, under a
  keyed hash that lives only in the cache and expires by itself: no IP address is ever
  written anywhere (agora/core/integrity.py).
- `HoneypotFormMixin`: a field people never see; software that fills every field is refused.
- `AltchaFormMixin`: an ALTCHA proof of work (self-hosted, no third party). The browser's
  script (`core/altcha.js`) fetches a challenge when the form is sent (its cost rises as the
  visitor contributes, `integrity.proof_cost`), finds the number whose SHA-256 matches it
  and puts the answer in the form. Without JavaScript there is no answer: the form is still
  accepted (residents without JavaScript must be able to take part) and the view applies its
  tighter limit, read from `integrity.proved(request, form)`. A wrong answer, or a challenge
  answered before (whatever the encoding of the answer), is refused.

Templates render the extra fields with `{% include "core/includes/antispam_fields.html" %}`.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from typing import Any
from urllib.parse import parse_qsl

from altcha import v1 as altcha_v1
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.core import integrity

HONEYPOT_FIELD = "site_web"
ALTCHA_FIELD = "altcha"
ALTCHA_MAX_NUMBER = integrity.BASE_COST
ALTCHA_LIFETIME = datetime.timedelta(minutes=30)
COST_PARAMETER = "cost"


def rate_limit(request: HttpRequest, *, scope: str, limit: int, period_seconds: int) -> bool:
    """Counts this request; True while its connection stays within `limit` over the last
    `period_seconds` (a sliding window, agora/core/integrity.py)."""
    return integrity.within_limit(request, scope=scope, limit=limit, period_seconds=period_seconds)


class HoneypotFormMixin(forms.Form):
    site_web = forms.CharField(
        label=_("Laissez ce champ vide"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_site_web(self) -> str:
        value: str = self.cleaned_data.get(HONEYPOT_FIELD, "")
        if value:
            raise forms.ValidationError(
                _("Ce formulaire n'a pas pu être envoyé. Réessayez sans remplir le champ caché.")
            )
        return value


def new_challenge(cost: int = ALTCHA_MAX_NUMBER) -> dict[str, Any]:
    """A signed challenge whose secret number is at most `cost`. The cost travels in the
    signed salt, so that the answer tells how much work it proved."""
    challenge = altcha_v1.create_challenge(
        altcha_v1.ChallengeOptions(
            hmac_key=settings.SECRET_KEY,
            max_number=cost,
            expires=timezone.now() + ALTCHA_LIFETIME,
            params={COST_PARAMETER: str(cost)},
        )
    )
    return {
        "algorithm": challenge.algorithm,
        "challenge": challenge.challenge,
        "maxnumber": challenge.max_number,
        "salt": challenge.salt,
        "signature": challenge.signature,
    }


def _signed_fields(payload: str) -> tuple[str, int]:
    """The challenge an answer solves, and the cost it was issued with (0 when it names
    none). Read once the signature is checked."""
    fields = json.loads(base64.b64decode(payload, validate=True))
    salt = str(fields["salt"])
    query = salt.split("?", 1)[1] if "?" in salt else ""
    costs = [value for name, value in parse_qsl(query) if name == COST_PARAMETER]
    cost = int(costs[0]) if len(costs) == 1 and costs[0].isdigit() else 0
    return str(fields["challenge"]).lower(), cost


class AltchaFormMixin(forms.Form):
    """The ALTCHA field. The browser fetches its challenge from `core:altcha_challenge` (not
    from the page, which may come from the shared page cache) when the form is sent."""

    altcha = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proved_work = False
        self.proof_cost = 0

    def clean_altcha(self) -> str:
        payload: str = self.cleaned_data.get(ALTCHA_FIELD, "")
        if not payload:
            return payload
        refused = forms.ValidationError(
            _("La vérification automatique a échoué. Rechargez la page et réessayez.")
        )
        try:
            verified, _error = altcha_v1.verify_solution(payload, settings.SECRET_KEY, True)
            challenge, cost = _signed_fields(payload) if verified else ("", 0)
        except (ValueError, TypeError, KeyError, binascii.Error):
            raise refused from None
        # A challenge is answered once, however its answer is encoded: the cache remembers
        # the challenge itself for as long as it could be valid.
        used_key = f"agora:altcha:{challenge}"
        if not verified or not cache.add(
            used_key, True, timeout=int(ALTCHA_LIFETIME.total_seconds())
        ):
            raise refused
        self.proved_work = True
        self.proof_cost = cost
        return payload
