"""The pace of a channel: at most `limit` messages (or calls) handed to its gateway in one
calendar second, by every worker together.

Each second has a counter in the cache (shared by the workers when the cache is Redis); a
send that finds the second's quota used waits for the next second. This is a fixed-window
limiter: simple, and never more than the quota in a calendar second. Each channel counts
under a key of its own (`key` holds `{second}`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache


def wait_for_a_slot(
    key: str,
    limit: int,
    *,
    clock: Callable[[], float] = time.time,
    pause: Callable[[float], None] = time.sleep,
) -> None:
    """Returns once this second's quota under `key` has room for one more."""
    while True:
        now = clock()
        second_key = key.format(second=int(now))
        cache.add(second_key, 0, timeout=5)
        try:
            sent = cache.incr(second_key)
        except ValueError:  # the counter expired between the two calls: count again
            continue
        if sent <= limit:
            return
        pause(max(int(now) + 1 - now, 0.001))
