from django.core import mail
from django.tasks import task


@task(queue_name="email")
def send_email_message(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    headers: dict[str, str] | None = None,
) -> int:
    """Delivers one message. Runs in the task worker, so a slow mail server never holds up
    a resident's page; a failure is recorded on the task and the message can be sent again."""
    message = mail.EmailMultiAlternatives(subject=subject, body=text, to=to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
