"""The screens of /gestion/alertes/ that compose and send alerts (Alertes → Envois): the list,
the form, the detail page with who it will reach, and one confirmation page per action
(submit, approve, send, schedule, cancel the schedule, test send, update, cancel), each a
POST form usable without JavaScript. The writes are composing.py's; the voice preview is
voice_preview.py's.

Who may open them is decided by rules.py: `alerts.compose_alerts` for the list, the form,
the detail page, the test send and the preview; `alerts.send_alerts` to send or schedule;
`alerts.approve_alerts` to approve. Anyone else gets the staff area's 403 page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, include, path, reverse, reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from agora.accounts.models import User
from agora.accounts.staff import require_permission
from agora.alerts import composing, sending, voice_preview
from agora.alerts import messages as messages_of_alerts
from agora.alerts.compose_forms import AlertComposeForm, ScheduleForm
from agora.alerts.models import Alert, AlertState, MessageType, Zone
from agora.alerts.rules import APPROVE_ALERTS, COMPOSE_ALERTS, SEND_ALERTS
from agora.core.maps import FeatureCollection, area_feature, feature_collection
from agora.core.refusals import staff_screens
from agora.core.viewsets import PermissionMenuItem

NAMESPACE = "alerts_compose"
PER_PAGE = 20
STATE_FILTERS = {
    "brouillons": (AlertState.DRAFT,),
    "approbation": (AlertState.AWAITING_APPROVAL,),
    "planifiees": (AlertState.SCHEDULED,),
    "envoyees": (AlertState.SENDING, AlertState.SENT),
}


def _page(
    request: HttpRequest,
    template: str,
    title: str,
    context: dict[str, Any],
    *,
    parent: Alert | None = None,
) -> TemplateResponse:
    crumbs = [
        {"url": reverse("wagtailadmin_home"), "label": _("Accueil")},
        {"url": reverse(f"{NAMESPACE}:list"), "label": _("Alertes")},
    ]
    if parent is not None:
        crumbs.append(
            {"url": reverse(f"{NAMESPACE}:detail", args=[parent.pk]), "label": str(parent)}
        )
    crumbs.append({"url": "", "label": title})
    return TemplateResponse(
        request,
        template,
        {
            **context,
            "page_title": title,
            "header_title": title,
            "header_icon": "warning",
            "breadcrumbs_items": crumbs,
        },
    )


def _alerts() -> QuerySet[Alert]:
    return Alert.objects.select_related("topic", "created_by", "approved_by")


def _refusal_messages(refusal: ValidationError) -> list[str]:
    return [str(message) for message in refusal.messages]


def _map_of(zones: list[Zone], polygon: str = "") -> FeatureCollection:
    """The alert's zones and, on its detail page, its drawn polygon, for the map (when maps
    are on); the form draws the polygon itself."""
    return feature_collection(
        [area_feature(zone.geojson, zone.name_fr) for zone in zones]
        + [area_feature(polygon, _("Secteur tracé"))]
    )


# List -------------------------------------------------------------------------------------


@require_safe
def alert_list(request: HttpRequest) -> TemplateResponse:
    require_permission(request, COMPOSE_ALERTS)
    chosen = request.GET.get("etat", "")
    alerts = _alerts().order_by("-created_at", "-pk")
    if chosen in STATE_FILTERS:
        alerts = alerts.filter(state__in=STATE_FILTERS[chosen])
    page = Paginator(alerts, PER_PAGE).get_page(request.GET.get("p"))
    filters = [
        ("", _("Toutes")),
        ("brouillons", _("Brouillons")),
        ("approbation", _("En attente d'approbation")),
        ("planifiees", _("Planifiées")),
        ("envoyees", _("Envoyées")),
    ]
    return _page(
        request,
        "alerts/admin/alert_list.html",
        _("Alertes"),
        {
            "page_obj": page,
            "alerts": page.object_list,
            "filters": filters,
            "chosen": chosen,
            "page_query": f"&etat={chosen}" if chosen in STATE_FILTERS else "",
        },
    )


# Form -------------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: AlertComposeForm, alert: Alert | None
) -> TemplateResponse:
    title = _("Modifier l'alerte") if alert is not None else _("Nouvelle alerte")
    return _page(
        request,
        "alerts/admin/compose_form.html",
        title,
        {
            "form": form,
            "alert": alert,
            "sms_max_segments": composing.SMS_MAX_SEGMENTS,
            "sms_warn_segments": composing.SMS_WARN_SEGMENTS,
            # The saved zones; the drawn area is the form's own, drawn on the same map.
            "map_features": _map_of(list(alert.zones.all()) if alert is not None else []),
            "sms_link_length": max(
                len(messages_of_alerts.public_link(Alert(pk=999_999), language))
                for language in composing.LANGUAGES
            ),
        },
        parent=alert,
    )


def _save(
    request: HttpRequest, form: AlertComposeForm, save: Callable[[Alert, list[Any]], Alert]
) -> Alert | None:
    try:
        alert = save(form.instance, list(form.cleaned_data["zones"]))
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return None
    for warning in composing.warnings_of(alert):
        messages.warning(request, warning)
    messages.success(request, _("Brouillon enregistré."))
    return alert


@require_http_methods(["GET", "HEAD", "POST"])
def alert_add(request: HttpRequest) -> HttpResponse:
    user = require_permission(request, COMPOSE_ALERTS)
    form = AlertComposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        alert = _save(
            request,
            form,
            lambda alert, zones: composing.create_draft(actor=user, alert=alert, zones=zones),
        )
        if alert is not None:
            return redirect(reverse(f"{NAMESPACE}:detail", args=[alert.pk]))
    return _form_page(request, form, None)


@require_http_methods(["GET", "HEAD", "POST"])
def alert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_permission(request, COMPOSE_ALERTS)
    alert = get_object_or_404(_alerts(), pk=pk)
    if alert.state not in (AlertState.DRAFT, AlertState.AWAITING_APPROVAL):
        messages.error(request, str(composing.NOT_EDITABLE))
        return redirect(reverse(f"{NAMESPACE}:detail", args=[alert.pk]))
    form = AlertComposeForm(request.POST if request.method == "POST" else None, instance=alert)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda alert, zones: composing.change_draft(actor=user, alert=alert, zones=zones),
        )
        if saved is not None:
            return redirect(reverse(f"{NAMESPACE}:detail", args=[saved.pk]))
    return _form_page(request, form, alert)


# Detail -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A button of the detail page, with its confirmation page."""

    name: str
    label: str | Promise
    question: str | Promise
    permission: str
    states: tuple[str, ...]


ACTIONS = {
    action.name: action
    for action in (
        Action(
            "soumettre",
            gettext_lazy("Soumettre pour approbation"),
            gettext_lazy("Soumettre cette alerte à l'approbation d'une deuxième personne?"),
            COMPOSE_ALERTS,
            (AlertState.DRAFT,),
        ),
        Action(
            "approuver",
            gettext_lazy("Approuver"),
            gettext_lazy("Approuver cette alerte? Elle pourra ensuite être envoyée."),
            APPROVE_ALERTS,
            (AlertState.AWAITING_APPROVAL,),
        ),
        Action(
            "envoyer",
            gettext_lazy("Envoyer maintenant"),
            gettext_lazy("Envoyer cette alerte maintenant? L'envoi ne peut pas être arrêté."),
            SEND_ALERTS,
            (AlertState.DRAFT, AlertState.SCHEDULED),
        ),
        Action(
            "planifier",
            gettext_lazy("Planifier l'envoi"),
            gettext_lazy("À quel moment envoyer cette alerte?"),
            SEND_ALERTS,
            (AlertState.DRAFT,),
        ),
        Action(
            "annuler-planification",
            gettext_lazy("Annuler la planification"),
            gettext_lazy("Annuler l'envoi prévu? L'alerte redevient un brouillon."),
            SEND_ALERTS,
            (AlertState.SCHEDULED,),
        ),
        Action(
            "essai",
            gettext_lazy("M'envoyer un essai"),
            gettext_lazy(
                "Vous envoyer cette alerte par courriel, en français et en anglais, marquée "
                "« TEST »? Aucun abonné ne la recevra."
            ),
            COMPOSE_ALERTS,
            (AlertState.DRAFT, AlertState.AWAITING_APPROVAL, AlertState.SCHEDULED),
        ),
        Action(
            "mettre-a-jour",
            gettext_lazy("Mettre à jour"),
            gettext_lazy(
                "Rédiger une mise à jour de cette alerte? Un brouillon prérempli sera créé."
            ),
            COMPOSE_ALERTS,
            (AlertState.SENDING, AlertState.SENT),
        ),
        Action(
            "annuler",
            gettext_lazy("Annuler l'alerte"),
            gettext_lazy(
                "Rédiger l'annulation de cette alerte? Un brouillon prérempli sera créé, à "
                "envoyer ensuite."
            ),
            COMPOSE_ALERTS,
            (AlertState.SENDING, AlertState.SENT),
        ),
    )
}


def _actions_for(user: User, alert: Alert) -> list[Action]:
    return [
        action
        for action in ACTIONS.values()
        if alert.state in action.states
        and user.has_perm(action.permission)
        and not (
            action.name in ("mettre-a-jour", "annuler") and alert.message_type == MessageType.CANCEL
        )
        # The author of an emergency is not offered to approve it (composing.py refuses).
        and not (
            action.name == "approuver"
            and alert.created_by_id == user.pk
            and composing.needs_second_person(alert)
        )
    ]


@require_safe
def alert_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    user = require_permission(request, COMPOSE_ALERTS)
    alert = get_object_or_404(_alerts(), pk=pk)
    zones = list(alert.zones.all())
    lengths = composing.sms_lengths(alert)
    return _page(
        request,
        "alerts/admin/alert_detail.html",
        str(alert),
        {
            "alert": alert,
            "zones": zones,
            "counts": sending.recipient_counts(alert),
            "sms": [
                (composing.language_name(language), text, lengths[language])
                for language, text in composing.sms_texts(alert).items()
            ],
            "warnings": composing.warnings_of(alert),
            "is_emergency": alert.is_emergency,
            "needs_second_person": composing.needs_second_person(alert),
            "ready_to_send": composing.ready_to_send(alert),
            "actions": _actions_for(user, alert),
            "editable": alert.state in (AlertState.DRAFT, AlertState.AWAITING_APPROVAL),
            "voices": [
                (language, composing.language_name(language)) for language in composing.LANGUAGES
            ]
            if alert.send_voice
            else [],
            "map_features": _map_of(zones, alert.polygon),
            "followups": list(alert.followups.order_by("created_at")),
        },
    )


# Actions ----------------------------------------------------------------------------------


def _perform(
    request: HttpRequest, user: User, action: Action, alert: Alert, form: ScheduleForm | None
) -> Alert:
    if action.name == "soumettre":
        composing.submit_alert(actor=user, alert=alert)
        messages.success(request, _("Alerte soumise pour approbation."))
    elif action.name == "approuver":
        composing.approve_alert(actor=user, alert=alert)
        messages.success(request, _("Alerte approuvée : elle peut être envoyée."))
    elif action.name == "envoyer":
        composing.send_now(actor=user, alert=alert)
        messages.success(request, _("Envoi commencé."))
    elif action.name == "planifier":
        assert form is not None
        composing.schedule_alert(
            actor=user, alert=alert, scheduled_for=form.cleaned_data["scheduled_for"]
        )
        messages.success(request, _("Envoi planifié."))
    elif action.name == "annuler-planification":
        composing.cancel_schedule(actor=user, alert=alert)
        messages.success(request, _("Planification annulée : l'alerte est un brouillon."))
    elif action.name == "essai":
        composing.send_test_to_self(actor=user, alert=alert)
        messages.success(
            request,
            _("Essai envoyé à %(email)s, en français et en anglais.") % {"email": user.email},
        )
    else:
        message_type = MessageType.UPDATE if action.name == "mettre-a-jour" else MessageType.CANCEL
        followup = composing.start_followup(actor=user, original=alert, message_type=message_type)
        messages.success(request, _("Brouillon créé : relisez-le, puis envoyez-le."))
        return followup
    return alert


@require_http_methods(["GET", "HEAD", "POST"])
def alert_action(request: HttpRequest, pk: int, action_name: str) -> HttpResponse:
    action = ACTIONS.get(action_name)
    if action is None:
        raise Http404
    user = require_permission(request, action.permission)
    alert = get_object_or_404(_alerts(), pk=pk)
    if alert.state not in action.states:
        messages.error(request, _("Cette action ne s'applique pas à une alerte dans cet état."))
        return redirect(reverse(f"{NAMESPACE}:detail", args=[alert.pk]))
    form = ScheduleForm(request.POST or None) if action.name == "planifier" else None
    refusals: list[str] = []
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            result = _perform(request, user, action, alert, form)
        except ValidationError as refusal:
            if (
                form is not None
                and hasattr(refusal, "error_dict")
                and "scheduled_for" in refusal.error_dict
            ):
                form.add_error("scheduled_for", refusal.error_dict["scheduled_for"])
            else:
                refusals = _refusal_messages(refusal)
        else:
            return redirect(reverse(f"{NAMESPACE}:detail", args=[result.pk]))
    counts = sending.recipient_counts(alert) if action.name in ("envoyer", "planifier") else {}
    return _page(
        request,
        "alerts/admin/alert_confirm.html",
        str(action.label),
        {"alert": alert, "action": action, "form": form, "refusals": refusals, "counts": counts},
        parent=alert,
    )


# Voice preview ----------------------------------------------------------------------------


@require_safe
def voice(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    require_permission(request, COMPOSE_ALERTS)
    if language not in composing.LANGUAGES:
        raise Http404
    alert = get_object_or_404(_alerts(), pk=pk)
    try:
        wav = voice_preview.render_wav(voice_preview.script_of(alert, language), language)
    except voice_preview.VoicePreviewError:
        return HttpResponse(
            _("L'aperçu vocal n'a pas pu être produit."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(wav, content_type="audio/wav")
    response["Content-Disposition"] = f'inline; filename="alerte-{alert.pk}-{language}.wav"'
    response["Cache-Control"] = "private, no-store"
    return response


# URLs and menu ----------------------------------------------------------------------------


def admin_urls() -> list[URLPattern | URLResolver]:
    """For the `register_admin_urls` hook."""
    screens = staff_screens(
        [
            path("", alert_list, name="list"),
            path("nouvelle/", alert_add, name="add"),
            path("<int:pk>/", alert_detail, name="detail"),
            path("<int:pk>/modifier/", alert_edit, name="edit"),
            path("<int:pk>/voix-<str:language>.wav", voice, name="voice"),
            path("<int:pk>/<slug:action_name>/", alert_action, name="action"),
        ]
    )
    return [path("alertes/", include((screens, NAMESPACE), namespace=NAMESPACE))]


def menu_item() -> MenuItem:
    """For the "Alertes" menu's hook: first, before zones and topics."""
    return PermissionMenuItem(
        gettext_lazy("Envois"),
        reverse_lazy(f"{NAMESPACE}:list"),
        name="alerts-compose",
        icon_name="mail",
        order=-1,
        permission=COMPOSE_ALERTS,
    )
