import ipaddress
import uuid
from types import SimpleNamespace
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from agora.core.email import send_rendered_email
from agora.core.models import Branding


def address_prefix(ip: str) -> str:
    """What one attacker cannot easily change of their address: an IPv4 address, or the /64
    of an IPv6 address (one subscriber's network holds a whole /64)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class AccountAdapter(DefaultAccountAdapter):
    """Account e-mails (verification, login codes, password reset) leave as deliveries
    (agora/core/deliveries.py), in the language the resident was using, after the
    transaction commits, retried if the mail server fails."""

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
        # Each is a message of its own: a resident asking for a new code or link gets it.
        send_rendered_email(
            to=email,
            subject=subject,
            text=text,
            html=html,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            key=f"account:{template_prefix}:{uuid.uuid4().hex}",
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if getattr(user, "is_staff", False) or user.has_perm("wagtailadmin.access_admin"):
            return "/gestion/"
        return str(super().get_login_redirect_url(request))

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Failed logins lock an account from the address prefix they came from, not from
        everywhere: five wrong passwords typed by someone else do not keep a member of the
        city's team (or a resident) out, while the brute force stays locked."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{address_prefix(self.get_client_ip(request))}"
