"""The alerts module's scheduled work, run by `manage.py run_scheduled`."""

import datetime

from agora.alerts import composing, sending
from agora.core.scheduling import Period, scheduled_job


@scheduled_job("alerts-scheduled-sending", period=Period.EVERY_RUN)
def send_scheduled_alerts(now: datetime.datetime) -> str:
    """Starts the scheduled alerts that are due, each once."""
    return composing.send_due_alerts(now)


@scheduled_job("alerts-resume-fan-out", period=Period.EVERY_RUN)
def resume_interrupted_fan_outs(now: datetime.datetime) -> str:
    """Enqueues again the fan-outs interrupted by a worker killed mid-way."""
    return f"alert fan-outs resumed: {sending.resume_fan_outs(now=now)}"
