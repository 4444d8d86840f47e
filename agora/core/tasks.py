from django.core import mail
from django.tasks import task

from agora.core import deliveries


@task(queue_name="email")
def send_delivery(*, delivery_id: int, attempt: int) -> str | None:
    """Makes attempt number `attempt` at one delivery (agora/core/deliveries.py). Its state
    lives on the delivery: a provider's failure is recorded and retried there, never left to
    the queue."""
    state = deliveries.send_attempt(delivery_id=delivery_id, attempt=attempt)
    return None if state is None else str(state)


@task(queue_name="email")
def send_email_message(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    headers: dict[str, str] | None = None,
) -> int:
    """Delivers one message queued before e-mail went through deliveries, so that the
    messages waiting in the queue of an installation being upgraded still leave. Nothing
    enqueues it any more."""
    message = mail.EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
