"""Managing a subscription: through the private management link (`manage`,
/fr/alertes/gerer/<token>/) or, for a signed-in resident, from "Mon compte" (`mine`,
/fr/alertes/mon-abonnement/). One page, the same for both: the contact points with their
state (a code to enter, a confirmation to send again, one to remove, one to add), the
places and their zones, the language and the optional topics, and the button that ends the
whole subscription in one click.

Each form of the page posts back to the page with its `action`; a change done, the page is
shown again (POST, then redirect). A token that names no current subscription is a 404 and
changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from agora.accounts.models import User
from agora.alerts import subscriptions
from agora.alerts.models import ContactPoint, OptOutSource, Subscriber, Zone
from agora.alerts.subscribe_forms import (
    AddContactForm,
    CodeForm,
    PreferencesForm,
    place_count,
    place_forms,
    unbound_copy,
)
from agora.alerts.subscribe_views import (
    add_place_errors,
    sent_message,
    shown_address,
)
from agora.core.antispam import rate_limit
from agora.core.private_pages import keep_private

HOUR = 60 * 60
# Changes per connection and hour: far more than a person makes, few enough that nobody
# tries codes by the thousand.
MANAGE_LIMIT = 30


def _load(subscriber_id: int) -> Subscriber:
    return Subscriber.objects.prefetch_related(
        "topics",
        Prefetch("places__zones", queryset=Zone.objects.order_by("position", "name_fr")),
        Prefetch(
            "contact_points",
            queryset=ContactPoint.objects.filter(opted_out_at=None).order_by("priority", "pk"),
        ),
    ).get(pk=subscriber_id)


def _page(
    request: HttpRequest,
    subscriber: Subscriber,
    token: str,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    contacts = list(subscriber.contact_points.all())
    places = list(subscriber.places.all())
    code_forms: dict[int, CodeForm] = forms.get("codes", {})
    initial_places = [
        {"label": place.label, "address": place.address, "zones": list(place.zones.all())}
        for place in places
    ]
    context: dict[str, Any] = {
        "subscriber": subscriber,
        "token": token,
        "contacts": [
            (
                contact,
                code_forms.get(contact.pk)
                or CodeForm(prefix=f"code-{contact.pk}", contact=contact),
                shown_address(contact),
            )
            for contact in contacts
        ],
        "reaches_someone": any(contact.is_active for contact in contacts),
        "places": places,
        "preferences_form": forms.get("preferences")
        or PreferencesForm(
            initial={"language": subscriber.language, "topics": list(subscriber.topics.all())},
            prefix="preferences",
        ),
        "place_forms": forms.get("places")
        or place_forms(None, max(1, len(places)), initial=initial_places),
        "contact_form": forms.get("contact") or AddContactForm(prefix="contact"),
        "max_places": subscriptions.MAX_PLACES,
        "notice": forms.get("notice", ""),
    }
    context["place_count"] = len(context["place_forms"])
    return keep_private(render(request, "alerts/manage.html", context, status=status))


def _contact(subscriber: Subscriber, request: HttpRequest) -> ContactPoint | None:
    try:
        contact_id = int(request.POST.get("contact", ""))
    except ValueError:
        return None
    return next((c for c in subscriber.contact_points.all() if c.pk == contact_id), None)


def _act(request: HttpRequest, subscriber: Subscriber, token: str, here: str) -> HttpResponse:
    """Does what the posted form asks, then shows the page again."""
    if not rate_limit(request, scope="alerts-manage", limit=MANAGE_LIMIT, period_seconds=HOUR):
        response = render(request, "alerts/too_many.html", status=429)
        response["Retry-After"] = str(HOUR)
        return keep_private(response)
    action = request.POST.get("action", "")
    done = HttpResponseRedirect(here)
    source = OptOutSource.LINK if token else OptOutSource.ACCOUNT
    if action == "unsubscribe":
        subscriptions.unsubscribe(subscriber=subscriber, source=source)
        return keep_private(render(request, "alerts/unsubscribed.html"))
    if action == "preferences":
        preferences = PreferencesForm(request.POST, prefix="preferences")
        if preferences.is_valid():
            subscriptions.change_preferences(
                subscriber=subscriber,
                language=preferences.cleaned_data["language"],
                topics=list(preferences.cleaned_data["topics"]),
            )
            messages.success(request, _("Vos préférences sont enregistrées."))
            return keep_private(done)
        return _page(request, subscriber, token, forms={"preferences": preferences}, status=400)
    if action in ("places", "ajouter_lieu"):
        return _places(request, subscriber, token, done, adding=action == "ajouter_lieu")
    if action == "add_contact":
        form = AddContactForm(request.POST, prefix="contact")
        if form.is_valid():
            try:
                added = subscriptions.add_contact(
                    subscriber=subscriber, contact=form.contact(), manage_token=token
                )
            except ValidationError as refused:
                add_place_errors(refused, form, [], field_of={})
            else:
                messages.success(request, sent_message(added))
                return keep_private(done)
        return _page(request, subscriber, token, forms={"contact": form}, status=400)
    contact = _contact(subscriber, request)
    if contact is None:
        return _page(request, subscriber, token, status=400)
    if action == "code":
        code_form = CodeForm(request.POST, prefix=f"code-{contact.pk}", contact=contact)
        if code_form.is_valid():
            try:
                subscriptions.confirm_code(contact=contact, code=code_form.cleaned_data["code"])
            except subscriptions.ConfirmationError as error:
                code_form.add_error("code", error.message)
            else:
                messages.success(request, _("Ce moyen de contact est confirmé."))
                return keep_private(done)
        forms = {"codes": {contact.pk: code_form}}
        return _page(request, _load(subscriber.pk), token, forms=forms, status=400)
    if action == "resend":
        try:
            subscriptions.send_again(contact=contact, manage_token=token)
        except subscriptions.ConfirmationError as error:
            return _page(request, subscriber, token, forms={"notice": error.message}, status=429)
        messages.success(request, sent_message(contact))
        return keep_private(done)
    if action == "remove":
        try:
            subscriptions.remove_contact(contact=contact, source=source)
        except ValidationError as refused:
            return _page(
                request, subscriber, token, forms={"notice": refused.messages[0]}, status=400
            )
        messages.success(request, _("Ce moyen de contact est retiré de votre abonnement."))
        return keep_private(done)
    return _page(request, subscriber, token, status=400)


def _places(
    request: HttpRequest, subscriber: Subscriber, token: str, done: HttpResponse, *, adding: bool
) -> HttpResponse:
    count = place_count(request.POST, adding=adding)
    if adding:
        initial = [unbound_copy(place, request.POST) for place in place_forms(None, count)]
        shown = place_forms(None, count, initial=initial)
        return _page(request, subscriber, token, forms={"places": shown})
    places = place_forms(request.POST, count)
    checked = [place.is_valid() for place in places]  # every one, for every message
    if all(checked):
        try:
            subscriptions.change_places(
                subscriber=subscriber, places=[place.place() for place in places]
            )
        except ValidationError as refused:
            add_place_errors(refused, places[0], places, field_of={"places": "zones"})
        else:
            messages.success(request, _("Vos lieux sont enregistrés."))
            return keep_private(done)
    return _page(request, subscriber, token, forms={"places": places}, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    found = subscriptions.subscriber_for_token(token)
    if found is None:
        return keep_private(render(request, "alerts/link_unknown.html", status=404))
    subscriber = _load(found.pk)
    if request.method == "POST":
        return _act(request, subscriber, token, reverse("alerts:manage", args=[token]))
    return _page(request, subscriber, token)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required let only a signed-in person through
    found = subscriptions.subscriber_of(user)
    if found is None:
        return HttpResponseRedirect(reverse("alerts:subscribe"))
    subscriber = _load(found.pk)
    if request.method == "POST":
        return _act(request, subscriber, "", reverse("alerts:mine"))
    return _page(request, subscriber, "")
