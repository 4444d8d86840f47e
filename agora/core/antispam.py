"""Abuse control for forms anyone may send, without identifying anybody.

Three layers, none of which stores who the visitor is:

- `rate_limit`: counts requests per scope under a keyed hash of the client address and the
  current time window. The hash changes with the window and the server's secret, lives only
  in the cache and expires with the window: no IP address is ever written anywhere.
- `HoneypotFormMixin`: a field people never see; software that fills every field is refused.
- `AltchaFormMixin`: an ALTCHA proof of work (self-hosted, no third party). The browser's
  script (`core/altcha.js`) finds the number whose SHA-256 matches the signed challenge and
  puts the answer in the form. Without JavaScript there is no answer: the form is still
  accepted (residents without JavaScript must be able to take part) and the view applies its
  tighter limit, read from `form.proved_work`. A wrong or replayed answer is refused.

Templates render the extra fields with `{% include "core/includes/antispam_fields.html" %}`.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import time
from typing import Any

from altcha import v1 as altcha_v1
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "site_web"
ALTCHA_FIELD = "altcha"
ALTCHA_MAX_NUMBER = 20_000  # about a second on an old phone
ALTCHA_LIFETIME = datetime.timedelta(minutes=30)


def client_address(request: HttpRequest) -> str:
    """The address the request came from. Behind the reverse proxy (production), the proxy
    appends the client's address last to X-Forwarded-For."""
    if getattr(settings, "PRODUCTION", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded).split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def _keyed_hash(*parts: str) -> str:
    message = "\x1f".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def rate_limit(request: HttpRequest, *, scope: str, limit: int, period_seconds: int) -> bool:
    """Counts this request; True while the client stays within `limit` per period."""
    window = int(time.time() // period_seconds)
    key = f"agora:rate:{scope}:{_keyed_hash(scope, client_address(request), str(window))}"
    cache.add(key, 0, timeout=period_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period_seconds)
        count = 1
    return int(count) <= limit


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


def new_challenge() -> dict[str, Any]:
    challenge = altcha_v1.create_challenge(
        altcha_v1.ChallengeOptions(
            hmac_key=settings.SECRET_KEY,
            max_number=ALTCHA_MAX_NUMBER,
            expires=timezone.now() + ALTCHA_LIFETIME,
        )
    )
    return {
        "algorithm": challenge.algorithm,
        "challenge": challenge.challenge,
        "maxnumber": challenge.max_number,
        "salt": challenge.salt,
        "signature": challenge.signature,
    }


class AltchaFormMixin(forms.Form):
    altcha = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proved_work = False
        self.altcha_challenge = json.dumps(new_challenge())

    def clean_altcha(self) -> str:
        payload: str = self.cleaned_data.get(ALTCHA_FIELD, "")
        if not payload:
            return payload
        refused = forms.ValidationError(
            _("La vérification automatique a échoué. Rechargez la page et réessayez.")
        )
        try:
            verified, _error = altcha_v1.verify_solution(payload, settings.SECRET_KEY, True)
        except (ValueError, TypeError, KeyError):
            raise refused from None
        # An answer works once: the cache remembers it for as long as it could be valid.
        used_key = f"agora:altcha:{hashlib.sha256(payload.encode()).hexdigest()}"
        if not verified or not cache.add(
            used_key, True, timeout=int(ALTCHA_LIFETIME.total_seconds())
        ):
            raise refused
        self.proved_work = True
        return payload
