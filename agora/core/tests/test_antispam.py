"""Abuse control that identifies nobody: rate limits by keyed hash, honeypot, ALTCHA."""

import base64
import hashlib
import json

import pytest
from django import forms
from django.core.cache import cache
from django.test import RequestFactory

from agora.core.antispam import AltchaFormMixin, HoneypotFormMixin, new_challenge, rate_limit


class ContactForm(HoneypotFormMixin, AltchaFormMixin):
    message = forms.CharField()


def solved(challenge: dict[str, object]) -> str:
    for number in range(int(str(challenge["maxnumber"])) + 1):
        digest = hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest()
        if digest == challenge["challenge"]:
            break
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = number
    return base64.b64encode(json.dumps(payload).encode()).decode()


def test_rate_limit_allows_up_to_the_limit_then_refuses() -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    assert [rate_limit(request, scope="t", limit=3, period_seconds=60) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]


def test_rate_limit_counts_each_address_and_scope_apart() -> None:
    first = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    second = RequestFactory().post("/", REMOTE_ADDR="203.0.113.10")
    assert rate_limit(first, scope="a", limit=1, period_seconds=60)
    assert not rate_limit(first, scope="a", limit=1, period_seconds=60)
    assert rate_limit(second, scope="a", limit=1, period_seconds=60)
    assert rate_limit(first, scope="b", limit=1, period_seconds=60)


def test_rate_limit_keeps_no_address_in_the_cache() -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.77")
    rate_limit(request, scope="ideas", limit=5, period_seconds=60)
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys, "the locmem cache holds the counter"
    assert not any("203.0.113.77" in str(key) for key in keys)


def test_a_filled_honeypot_refuses_the_form() -> None:
    form = ContactForm(data={"message": "Bonjour", "site_web": "http://spam.example"})
    assert not form.is_valid()
    assert "site_web" in form.errors


def test_a_form_without_javascript_is_accepted_without_proof_of_work() -> None:
    form = ContactForm(data={"message": "Bonjour"})
    assert form.is_valid()
    assert form.proved_work is False


def test_a_solved_challenge_proves_work_once() -> None:
    challenge = new_challenge()
    answer = solved(challenge)
    form = ContactForm(data={"message": "Bonjour", "altcha": answer})
    assert form.is_valid()
    assert form.proved_work is True
    replay = ContactForm(data={"message": "Bonjour", "altcha": answer})
    assert not replay.is_valid()
    assert "altcha" in replay.errors


@pytest.mark.parametrize("answer", ["not-base64!", base64.b64encode(b"{}").decode()])
def test_a_forged_answer_is_refused(answer: str) -> None:
    form = ContactForm(data={"message": "Bonjour", "altcha": answer})
    assert not form.is_valid()


def test_an_answer_with_a_wrong_number_is_refused() -> None:
    challenge = new_challenge()
    payload = json.loads(base64.b64decode(solved(challenge)))
    payload["number"] += 1
    forged = base64.b64encode(json.dumps(payload).encode()).decode()
    assert not ContactForm(data={"message": "Bonjour", "altcha": forged}).is_valid()
