"""Subscribing to alerts, at /fr/alertes/ (/en/alerts/), without an account: what the alerts
are and the one-page form (`subscribe`); the e-mail confirmation link (`confirm_email`: a GET
shows a button, the POST confirms, since mail scanners open links); asking for the private
management link again (`ask_link`, which answers the same whether the address is subscribed
or not).

Contact details travel only in POST bodies; the only secrets in addresses are the private
tokens, whose pages are never cached, send no Referer to other sites and are kept out of the
request log.
Abuse limits count per connection over an hour (agora/core/integrity.py); a form sent
without the ALTCHA proof of work (no JavaScript) is accepted under a tighter limit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from agora.accounts.models import User
from agora.alerts import subscriptions
from agora.alerts.models import ContactChannel, ContactPoint, Topic
from agora.alerts.phones import display_phone
from agora.alerts.subscribe_forms import (
    LinkRequestForm,
    PlaceForm,
    SubscribeForm,
    active_zones,
    place_count,
    place_forms,
    unbound_copy,
)
from agora.core import integrity
from agora.core.private_pages import keep_private

HOUR = 60 * 60
# (with the proof of work, without it) per connection and hour.
SUBSCRIBE_LIMITS = (10, 5)
LINK_LIMITS = (10, 5)
ADD_PLACE = "ajouter_lieu"


def too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "alerts/too_many.html", status=429)
    response["Retry-After"] = str(HOUR)
    return response


def _signed_in(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def add_place_errors(
    error: ValidationError, form: Any, places: list[PlaceForm], *, field_of: dict[str, str]
) -> None:
    """Shows the service's messages on the fields they concern."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages_ in error.message_dict.items():
        for message in messages_:
            if name.startswith("place_"):
                index = int(name.removeprefix("place_"))
                places[index].add_error("zones", message)
            else:
                target = field_of.get(name, name)
                form.add_error(target if target in form.fields else None, message)


def _page(
    request: HttpRequest,
    form: SubscribeForm | None,
    places: list[PlaceForm],
    *,
    status: int = 200,
) -> HttpResponse:
    topics = list(Topic.objects.filter(active=True))
    user = _signed_in(request)
    context: dict[str, Any] = {
        "form": form,
        "places": places,
        "place_count": len(places),
        "max_places": subscriptions.MAX_PLACES,
        "mandatory_topics": [topic for topic in topics if topic.mandatory],
        "optional_topics": [topic for topic in topics if not topic.mandatory],
        "has_zones": active_zones().exists(),
        "current": subscriptions.subscriber_of(user) if user else None,
        "consent_version": subscriptions.CONSENT_TEXT_VERSION,
        "errors": bool(form and form.is_bound and form.errors)
        or any(place.is_bound and place.errors for place in places),
    }
    return render(request, "alerts/subscribe.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    if request.method != "POST":
        form = SubscribeForm(
            initial={"language": request.LANGUAGE_CODE, "email": user.email if user else ""}
        )
        return _page(request, form, place_forms(None, 1))
    if user is not None and subscriptions.subscriber_of(user) is not None:
        return HttpResponseRedirect(reverse("alerts:mine"))
    if ADD_PLACE in request.POST:
        count = place_count(request.POST, adding=True)
        shown = SubscribeForm(prefix=None)
        form = SubscribeForm(initial=unbound_copy(shown, request.POST))
        initial = [unbound_copy(place, request.POST) for place in place_forms(None, count)]
        return _page(request, form, place_forms(None, count, initial=initial))
    count = place_count(request.POST)
    form = SubscribeForm(request.POST)
    places = place_forms(request.POST, count)
    valid = form.is_valid()
    checked = [place.is_valid() for place in places]  # every one, for every message
    valid = all(checked) and valid
    if not valid:
        return _page(request, form, places, status=400)
    if not integrity.within_contribution_limit(
        request, scope="alerts-subscribe", limits=SUBSCRIBE_LIMITS, form=form
    ):
        return too_many(request)
    try:
        subscribed = subscriptions.subscribe(
            contacts=form.contacts(),
            language=form.cleaned_data["language"],
            places=[place.place() for place in places],
            topics=list(form.cleaned_data["topics"]),
            consent=form.cleaned_data["consent"],
            user=user,
        )
    except ValidationError as refused:
        add_place_errors(refused, form, places, field_of={"contacts": "email"})
        return _page(request, form, places, status=400)
    integrity.record_contribution(request)
    messages.success(
        request,
        _(
            "Votre abonnement est enregistré. Confirmez chacun de vos moyens de contact : "
            "tant qu'aucun n'est confirmé, aucune alerte ne vous joint."
        ),
    )
    for contact in subscribed.contact_points:
        if contact.verification_sent_at is not None:  # not when over the hourly limit
            messages.info(request, sent_message(contact))
    if user is not None:
        return HttpResponseRedirect(reverse("alerts:mine"))
    return keep_private(HttpResponseRedirect(reverse("alerts:manage", args=[subscribed.token])))


def shown_address(contact: ContactPoint) -> str:
    """An e-mail address as kept, a phone number as residents write it (514 555-0123)."""
    if contact.channel == ContactChannel.EMAIL:
        return contact.address
    return display_phone(contact.address)


def sent_message(contact: ContactPoint) -> str:
    """What was sent to a contact point to confirm it, and what to do with it."""
    if contact.channel == ContactChannel.EMAIL:
        return _("Un lien de confirmation est envoyé à %(address)s. Ouvrez-le pour confirmer.") % {
            "address": contact.address
        }
    if contact.channel == ContactChannel.SMS:
        return _(
            "Un code à 6 chiffres est envoyé par texto au %(address)s. Entrez-le ci-dessous."
        ) % {"address": shown_address(contact)}
    return _(
        "Un appel automatisé au %(address)s vous lira un code à 6 chiffres. Entrez-le ci-dessous."
    ) % {"address": shown_address(contact)}


# The e-mail confirmation link -------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_email(request: HttpRequest, contact_id: int, secret: str) -> HttpResponse:
    contact = subscriptions.email_link_contact(contact_id, secret)
    if contact is None:
        return keep_private(render(request, "alerts/link_unknown.html", status=404))
    if request.method == "POST":
        contact = subscriptions.confirm_email(contact=contact)
    return keep_private(render(request, "alerts/confirm_email.html", {"contact": contact}))


# Asking for the management link again -----------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def ask_link(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "alerts/ask_link.html", {"form": LinkRequestForm()})
    form = LinkRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/ask_link.html", {"form": form}, status=400)
    if not integrity.within_contribution_limit(
        request, scope="alerts-link", limits=LINK_LIMITS, form=form
    ):
        return too_many(request)
    channel, address = form.cleaned_data["address"]
    subscriptions.send_manage_link(channel=channel, address=address, language=request.LANGUAGE_CODE)
    integrity.record_contribution(request)
    return render(request, "alerts/ask_link_sent.html")
