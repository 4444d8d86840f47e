"""Counts a city can decide on, without identifying anyone.

Residents support ideas and answer surveys without an account. Nothing here stores who they
are: every counter lives in the cache under a keyed hash (the server's secret, the scope, the
subject and the time window), so no address is ever written anywhere, and counters expire by
themselves. Four layers, used by the views that take anonymous contributions:

- **Where a request comes from** (`client_address`, `address_prefix`). Behind the reverse
  proxy, the address is read from `X-Forwarded-For` only as far as the city's own proxies
  append to it (`TRUSTED_PROXIES`, 0 by default: the header is ignored, since anyone can send
  it to a server reachable directly). An IPv6 client is counted by its /64, the block one
  home or phone receives: 256 addresses of one /64 are one connection.
- **Sliding windows** (`sliding_count`): a count over the last period, estimated from the
  current and the previous fixed windows weighted by how much of the previous one is still
  in the period. Limits no longer reset at the top of the hour.
- **Proof of work that costs more as one contributes** (`proof_cost`, `record_contribution`):
  the ALTCHA challenge a browser solves (core/antispam.py) gets harder, doubling step by
  step, once a participant or a connection has contributed more than a person does in an
  hour. A phone that supports a few ideas never notices; a script pays more for each one.
- **Holding what looks stuffed** (`hold_reason`): an anonymous contribution to one item (an
  idea's support, a survey's response) is held for a moderator instead of counted when too
  many came to that item from one connection in a day, or when the item receives many more
  than usual in a few minutes. Contributions from verified e-mail addresses or accounts are
  never held. Held contributions wait in `HeldContribution` (core/held.py).
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# The proof of work: ALTCHA's largest secret number. 20,000 SHA-256 take about a second on
# an old phone; the answer is on average half of it.
BASE_COST = 20_000
# A participant's first contributions in an hour cost the base; then the cost doubles every
# few more. A connection (an address, an IPv6 /64) is shared by a family, a library, a
# mobile network: it gets more before its cost rises, and rises more slowly.
FREE_PER_PARTICIPANT = 10
DOUBLING_PER_PARTICIPANT = 5
FREE_PER_CONNECTION = 30
DOUBLING_PER_CONNECTION = 10
# 2**10 times the base: about 10 million hashes on average, minutes on a phone, seconds for
# a native program. Beyond that a script is stopped by the limits and by holding.
MAX_DOUBLINGS = 10

# Holding: an item's anonymous contributions are compared with its usual pace over a day.
BURST_PERIOD = 10 * MINUTE
BURST_FACTOR = 10


def client_address(request: HttpRequest) -> str:
    """The address of the person making the request.

    Each of the city's reverse proxies appends the address it received the request from to
    `X-Forwarded-For`; with `TRUSTED_PROXIES` = N, the client is the Nth entry from the end
    (what comes before it was sent by the client and proves nothing). With 0, the default,
    the header is ignored."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if entry.strip()
    ]
    if not forwarded:
        return remote
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def address_prefix(address: str) -> str:
    """What counts as one connection: an IPv4 address, or the /64 of an IPv6 address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def connection_of(request: HttpRequest) -> str:
    return address_prefix(client_address(request))


def _keyed_hash(*parts: str) -> str:
    message = "\x1f".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def _window_keys(scope: str, subject: str, period: int, now: float) -> tuple[str, str, float]:
    index = int(now // period)
    elapsed = (now % period) / period
    current = f"agora:rate:{scope}:{_keyed_hash(scope, subject, str(index))}"
    previous = f"agora:rate:{scope}:{_keyed_hash(scope, subject, str(index - 1))}"
    return current, previous, elapsed


def sliding_count(scope: str, subject: str, period: int, *, add: int = 0) -> float:
    """How many times `subject` was counted in `scope` over the last `period` seconds, after
    adding `add` now. Two fixed windows are kept (each for two periods); the previous one
    counts for the share of it still inside the sliding period."""
    current_key, previous_key, elapsed = _window_keys(scope, subject, period, time.time())
    if add:
        cache.add(current_key, 0, timeout=2 * period)
        try:
            current = int(cache.incr(current_key, add))
        except ValueError:  # expired between add and incr
            cache.set(current_key, add, timeout=2 * period)
            current = add
        previous = int(cache.get(previous_key, 0))
    else:
        values = cache.get_many([current_key, previous_key])
        current = int(values.get(current_key, 0))
        previous = int(values.get(previous_key, 0))
    return current + previous * (1.0 - elapsed)


def within_limit(request: HttpRequest, *, scope: str, limit: int, period_seconds: int) -> bool:
    """Counts this request for its connection; True while the connection stays within
    `limit` over the last `period_seconds` (refused requests count too)."""
    count = sliding_count(scope, connection_of(request), period_seconds, add=1)
    return count <= limit


# Proof of work ------------------------------------------------------------------------------


def _participant_key(request: HttpRequest) -> str | None:
    from agora.core.participants import cookie_participant_id

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    participant_id = cookie_participant_id(request)
    return f"participant:{participant_id}" if participant_id else None


def _doublings(count: float, free: int, step: int) -> int:
    return max(0, int((count - free) // step) + 1) if count >= free else 0


def proof_cost(request: HttpRequest) -> int:
    """The largest secret number of the challenge this visitor gets now (ALTCHA's
    `maxnumber`): the base, doubled for each step past what a person contributes in an
    hour, by participant and by connection, whichever is further."""
    steps = _doublings(
        sliding_count("pow-connection", connection_of(request), HOUR),
        FREE_PER_CONNECTION,
        DOUBLING_PER_CONNECTION,
    )
    participant = _participant_key(request)
    if participant is not None:
        steps = max(
            steps,
            _doublings(
                sliding_count("pow-participant", participant, HOUR),
                FREE_PER_PARTICIPANT,
                DOUBLING_PER_PARTICIPANT,
            ),
        )
    return int(BASE_COST * 2 ** min(steps, MAX_DOUBLINGS))


def record_contribution(request: HttpRequest) -> None:
    """Counts an accepted contribution toward the cost of the next proofs of work."""
    sliding_count("pow-connection", connection_of(request), HOUR, add=1)
    participant = _participant_key(request)
    if participant is not None:
        sliding_count("pow-participant", participant, HOUR, add=1)


def proved(request: HttpRequest, form: object) -> bool:
    """Whether the form came with a valid proof of work at least as costly as this visitor's
    current cost. A cheaper one (fetched before contributing many times) counts as none."""
    if not getattr(form, "proved_work", False):
        return False
    return int(getattr(form, "proof_cost", 0)) >= proof_cost(request)


def within_contribution_limit(
    request: HttpRequest, *, scope: str, limits: tuple[int, int], form: object
) -> bool:
    """`within_limit` for a contribution form: `limits` is (with the proof of work at the
    visitor's current cost, without it), per hour."""
    with_proof, without_proof = limits
    limit = with_proof if proved(request, form) else without_proof
    return within_limit(request, scope=scope, limit=limit, period_seconds=HOUR)


# Holding -----------------------------------------------------------------------------------


class HoldReason(enum.StrEnum):
    SAME_CONNECTION = "same_connection"
    BURST = "burst"


def hold_reason(request: HttpRequest, *, item: str, verified: bool) -> HoldReason | None:
    """Counts an anonymous contribution to `item` (e.g. "idea-support:42") and says whether
    it should be held for a moderator instead of counted, and why.

    Held: beyond `INTEGRITY_PER_CONNECTION_PER_DAY` contributions to the item from one
    connection within a day (a family shares one; a script from one address or one /64 is
    stopped there), or beyond `INTEGRITY_BURST_MINIMUM` in ten minutes when that is also
    ten times the item's pace over the day. Verified participants are never held: their
    e-mail address or account already makes each of them one person."""
    if verified:
        return None
    same_connection = sliding_count(
        "hold-connection", f"{item}|{connection_of(request)}", DAY, add=1
    )
    recent = sliding_count("hold-burst", item, BURST_PERIOD, add=1)
    daily = sliding_count("hold-day", item, DAY, add=1)
    if same_connection > settings.INTEGRITY_PER_CONNECTION_PER_DAY:
        return HoldReason.SAME_CONNECTION
    usual = daily / (DAY / BURST_PERIOD)
    if recent > max(settings.INTEGRITY_BURST_MINIMUM, BURST_FACTOR * usual):
        return HoldReason.BURST
    return None
