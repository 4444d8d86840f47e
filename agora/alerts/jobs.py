"""The alerts module's scheduled work, run by `manage.py run_scheduled`."""

import datetime

from agora.alerts import composing
from agora.core.scheduling import Period, scheduled_job


@scheduled_job("alerts-scheduled-sending", period=Period.EVERY_RUN)
def send_scheduled_alerts(now: datetime.datetime) -> str:
    """Starts the scheduled alerts that are due, each once."""
    return composing.send_due_alerts(now)
