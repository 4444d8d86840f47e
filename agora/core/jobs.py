"""Core's scheduled jobs (agora/core/scheduling.py), imported by CoreConfig.ready()."""

import datetime

from agora.core import deliveries, scheduling
from agora.core.scheduling import Period, scheduled_job


@scheduled_job("deliveries-retry", period=Period.EVERY_RUN)
def retry_deliveries(now: datetime.datetime) -> str:
    """Enqueues again the messages whose next attempt is due (retries and lost tasks)."""
    enqueued = deliveries.enqueue_due(now=now)
    # Silent when there is nothing to retry: it runs every few minutes.
    return f"deliveries enqueued again: {enqueued}" if enqueued else ""


@scheduled_job("deliveries-forget", period=Period.DAILY, not_before=datetime.timedelta(hours=3))
def forget_deliveries(now: datetime.datetime) -> str:
    """Deletes the messages sent, refused or abandoned more than 30 days ago."""
    return f"old deliveries deleted: {deliveries.forget_finished(now=now)}"


@scheduled_job("scheduled-runs-forget", period=Period.DAILY, not_before=datetime.timedelta(hours=3))
def forget_scheduled_runs(now: datetime.datetime) -> str:
    """Deletes the records of scheduled runs older than 35 days."""
    return f"old run records deleted: {scheduling.forget_old_runs(now=now)}"
