"""The one-click unsubscribe address of alert e-mails (one_click.py),
/fr/alertes/desabonnement/<token>/.

A GET never changes anything (mail scanners open links): it shows a button that posts. The
POST, from that button or sent by the mail program itself (RFC 8058: `List-Unsubscribe=One-
Click`, no cookie, no CSRF token), stops the alerts to that address and answers 200; the
token in the address is the proof. A token that names nothing is a 404 and changes nothing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from agora.alerts import one_click
from agora.core.private_pages import keep_private


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    contact = one_click.contact_for_token(token)
    if contact is None:
        return keep_private(render(request, "alerts/link_unknown.html", status=404))
    if request.method == "POST":
        one_click.stop_alert_emails(contact=contact)
        contact.refresh_from_db()
    return keep_private(render(request, "alerts/one_click.html", {"contact": contact}))
