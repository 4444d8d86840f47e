"""The integrity layer (agora/core/integrity.py): where a request comes from, sliding windows,
a proof of work whose cost rises, ALTCHA answers that count once, and holding."""

import base64
import json
import uuid
from typing import Any

import pytest
from django import forms
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from pytest_django import Settings
from time_machine import TimeMachineFixture

from agora.core import integrity
from agora.core.antispam import AltchaFormMixin, new_challenge, rate_limit
from agora.core.participants import COOKIE_NAME, COOKIE_SALT
from agora.core.tests.test_antispam import solved


class SendForm(AltchaFormMixin):
    message = forms.CharField()


def request_from(address: str, forwarded: str | None = None) -> HttpRequest:
    if forwarded is None:
        return RequestFactory().post("/", REMOTE_ADDR=address)
    return RequestFactory().post("/", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)


# Where a request comes from -------------------------------------------------------------------


def test_by_default_a_forwarded_header_is_ignored(settings: Settings) -> None:
    settings.TRUSTED_PROXIES = 0
    assert integrity.client_address(request_from("127.0.0.1", "198.51.100.7")) == "127.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # What the client sent itself comes before what the proxy appended: ignored.
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.66, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "not-an-address", "127.0.0.1"),
        (1, "", "127.0.0.1"),
    ],
)
def test_the_trusted_proxies_decide_which_entry_is_the_client(
    settings: Settings, proxies: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXIES = proxies
    assert integrity.client_address(request_from("127.0.0.1", forwarded)) == expected


@pytest.mark.parametrize(
    ("address", "connection"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
    ],
)
def test_an_ipv6_client_counts_by_its_64(address: str, connection: str) -> None:
    assert integrity.address_prefix(address) == connection


def test_256_addresses_of_one_64_share_one_limit() -> None:
    answers = [
        rate_limit(request_from(f"2001:db8:1:2::{n:x}"), scope="t", limit=20, period_seconds=3600)
        for n in range(256)
    ]
    assert answers.count(True) == 20
    assert rate_limit(request_from("2001:db8:1:3::1"), scope="t", limit=20, period_seconds=3600)


# Sliding windows --------------------------------------------------------------------------


def test_a_limit_does_not_reset_at_the_top_of_the_hour(time_machine: TimeMachineFixture) -> None:
    request = request_from("203.0.113.9")
    time_machine.move_to("2026-12-07 14:59:00+00:00", tick=False)
    assert all(rate_limit(request, scope="t", limit=10, period_seconds=3600) for _ in range(10))

    # Two minutes later, in the next fixed hour, the ten are still within the last hour.
    time_machine.move_to("2026-12-07 15:01:00+00:00", tick=False)
    assert not rate_limit(request, scope="t", limit=10, period_seconds=3600)

    # Once they have left the last hour, the address may send again.
    time_machine.move_to("2026-12-07 16:00:00+00:00", tick=False)
    assert rate_limit(request, scope="t", limit=10, period_seconds=3600)


# ALTCHA ------------------------------------------------------------------------------------


def reencoded(answer: str, how: str) -> str:
    fields = json.loads(base64.b64decode(answer))
    if how == "spaces":
        text = json.dumps(fields, indent=2)
    elif how == "order":
        text = json.dumps(dict(reversed(list(fields.items()))))
    elif how == "upper":
        text = json.dumps({**fields, "challenge": str(fields["challenge"]).upper()})
    else:
        text = json.dumps(fields, separators=(",", ":"))
    return base64.b64encode(text.encode()).decode()


def test_an_answer_counts_once_whatever_its_encoding() -> None:
    answer = solved(new_challenge())
    assert SendForm(data={"message": "a", "altcha": answer}).is_valid()

    for how in ("spaces", "order", "upper", "compact"):
        replay = SendForm(data={"message": "a", "altcha": reencoded(answer, how)})
        assert not replay.is_valid(), how
        assert "altcha" in replay.errors


def test_an_answer_says_the_cost_it_was_issued_with() -> None:
    form = SendForm(data={"message": "a", "altcha": solved(new_challenge(40_000))})
    assert form.is_valid()
    assert (form.proved_work, form.proof_cost) == (True, 40_000)


def test_the_challenge_address_is_never_cached(client: Client) -> None:
    response = client.get("/altcha/")
    challenge = response.json()
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert challenge["maxnumber"] == integrity.BASE_COST
    assert set(challenge) == {"algorithm", "challenge", "maxnumber", "salt", "signature"}


def record(request: HttpRequest, times: int) -> None:
    for _time in range(times):
        integrity.record_contribution(request)


def with_participant_cookie(request: HttpRequest) -> HttpRequest:
    response = HttpResponse()
    response.set_signed_cookie(COOKIE_NAME, str(uuid.uuid4()), salt=COOKIE_SALT)
    request.COOKIES[COOKIE_NAME] = response.cookies[COOKIE_NAME].value
    return request


def test_the_cost_rises_for_a_participant_who_contributes_a_lot() -> None:
    request = with_participant_cookie(request_from("203.0.113.9"))
    record(request, integrity.FREE_PER_PARTICIPANT - 1)
    assert integrity.proof_cost(request) == integrity.BASE_COST

    record(request, 1)
    assert integrity.proof_cost(request) == 2 * integrity.BASE_COST
    record(request, integrity.DOUBLING_PER_PARTICIPANT)
    assert integrity.proof_cost(request) == 4 * integrity.BASE_COST
    # Someone else behind the same address has not contributed that much.
    neighbour = with_participant_cookie(request_from("203.0.113.9"))
    assert integrity.proof_cost(neighbour) == integrity.BASE_COST


def test_the_cost_rises_for_a_connection_whatever_the_cookies() -> None:
    request = request_from("2001:db8:1:2::1")
    record(request, integrity.FREE_PER_CONNECTION)
    assert integrity.proof_cost(request) == 2 * integrity.BASE_COST
    # Another address of the same /64 pays the same.
    assert integrity.proof_cost(request_from("2001:db8:1:2::99")) == 2 * integrity.BASE_COST
    assert integrity.proof_cost(request_from("2001:db8:1:3::1")) == integrity.BASE_COST
    record(request, 1000)
    assert integrity.proof_cost(request) == integrity.BASE_COST * 2**integrity.MAX_DOUBLINGS


def test_a_proof_cheaper_than_the_current_cost_counts_as_none() -> None:
    request = request_from("203.0.113.9")
    cheap = SendForm(data={"message": "a", "altcha": solved(new_challenge())})
    assert cheap.is_valid()
    assert integrity.proved(request, cheap)

    record(request, integrity.FREE_PER_CONNECTION)
    stale = SendForm(data={"message": "a", "altcha": solved(new_challenge())})
    assert stale.is_valid()
    assert not integrity.proved(request, stale)
    fresh = SendForm(
        data={"message": "a", "altcha": solved(new_challenge(integrity.proof_cost(request)))}
    )
    assert fresh.is_valid()
    assert integrity.proved(request, fresh)


# Holding -----------------------------------------------------------------------------------


def reasons(request: HttpRequest, item: str, times: int, **kwargs: Any) -> list[Any]:
    return [integrity.hold_reason(request, item=item, **kwargs) for _ in range(times)]


def test_past_the_daily_share_of_one_connection_contributions_are_held(
    settings: Settings,
) -> None:
    settings.INTEGRITY_PER_CONNECTION_PER_DAY = 5
    found = reasons(request_from("203.0.113.9"), "idea:1", 8, verified=False)
    assert found == [None] * 5 + [integrity.HoldReason.SAME_CONNECTION] * 3
    # Another item, another connection: counted apart.
    assert integrity.hold_reason(request_from("203.0.113.9"), item="idea:2", verified=False) is None
    assert (
        integrity.hold_reason(request_from("203.0.113.10"), item="idea:1", verified=False) is None
    )


def test_verified_participants_are_never_held(settings: Settings) -> None:
    settings.INTEGRITY_PER_CONNECTION_PER_DAY = 1
    assert reasons(request_from("203.0.113.9"), "idea:1", 5, verified=True) == [None] * 5


def test_a_sudden_rush_on_one_item_is_held(settings: Settings) -> None:
    settings.INTEGRITY_BURST_MINIMUM = 30
    found = [
        integrity.hold_reason(request_from(f"198.51.100.{n}"), item="survey:1", verified=False)
        for n in range(40)
    ]
    assert found[:30] == [None] * 30
    assert set(found[30:]) == {integrity.HoldReason.BURST}
