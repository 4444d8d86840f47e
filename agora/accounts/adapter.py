from types import SimpleNamespace
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.db import transaction
from django.http import HttpRequest

from agora.core.models import Branding
from agora.core.tasks import send_email_message


class AccountAdapter(DefaultAccountAdapter):
    """Account e-mails (verification, login codes, password reset) leave through the task
    queue, in the language the resident was using, after the transaction commits."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        # The messages greet in the city's name, not the server's host name.
        site = SimpleNamespace(
            name=Branding.for_request(request).municipality_name,
            domain=request.get_host(),
        )
        # Rendered now, in the language of the page the resident is on.
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": site, **context},
        )
        subject = str(message.subject)
        text = message.body
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        transaction.on_commit(
            lambda: send_email_message.enqueue(to=[email], subject=subject, text=text, html=html)
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if getattr(user, "is_staff", False) or user.has_perm("wagtailadmin.access_admin"):
            return "/gestion/"
        return str(super().get_login_redirect_url(request))
