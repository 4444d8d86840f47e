"""The screens of a service's questions in /gestion/ (Requêtes → Services → a service): add,
change, delete and move a question. The service's edit page lists them with their buttons;
every button that changes something is a form that posts, so the screens work without
JavaScript. Each screen checks `citizen_requests.manage_services` and hands the write to
catalogue.py."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from agora.accounts.models import User
from agora.accounts.staff import require_permission
from agora.citizen_requests import catalogue
from agora.citizen_requests.admin_forms import AttributeForm
from agora.citizen_requests.models import RequestService, ServiceAttribute

SERVICES_NAMESPACE = "request_services"


def service_edit_url(service: RequestService) -> str:
    return reverse(f"{SERVICES_NAMESPACE}:edit", args=[service.pk])


def _service_for(request: HttpRequest, pk: int) -> tuple[User, RequestService]:
    """The person, once they may manage the catalogue (else 403), and the service `pk`."""
    user = require_permission(request, catalogue.MANAGE_SERVICES)
    return user, get_object_or_404(RequestService, pk=pk)


def _attribute_of(service: RequestService, attribute_id: int) -> ServiceAttribute:
    """The question `attribute_id` of this service; 404 for another service's."""
    return get_object_or_404(ServiceAttribute, pk=attribute_id, service=service)


def _page(
    request: HttpRequest, template: str, service: RequestService, context: dict[str, Any]
) -> TemplateResponse:
    title = context["page_title"]
    context.update(
        service=service,
        header_title=title,
        header_icon="help",
        breadcrumbs_items=[
            {"url": reverse("wagtailadmin_home"), "label": _("Accueil")},
            {"url": reverse(f"{SERVICES_NAMESPACE}:index"), "label": _("Services de requêtes")},
            {"url": service_edit_url(service), "label": service.name_fr},
            {"url": "", "label": title},
        ],
    )
    return TemplateResponse(request, f"citizen_requests/admin/{template}", context)


def _saved_or_shown(
    request: HttpRequest,
    form: AttributeForm,
    save: Any,
    message: str,
) -> HttpResponse | None:
    """Saves a valid form through `save` and goes back to the service; None to show the form
    again, with the refusal of catalogue.py on it."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        attribute = save(form.instance)
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return None
    messages.success(request, message)
    return redirect(service_edit_url(attribute.service))


def attribute_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, service = _service_for(request, pk)
    form = AttributeForm(
        request.POST if request.method == "POST" else None,
        instance=ServiceAttribute(service=service),
    )
    saved = _saved_or_shown(
        request,
        form,
        lambda attribute: catalogue.add_attribute(actor=user, attribute=attribute),
        _("La question est ajoutée."),
    )
    if saved is not None:
        return saved
    return _page(
        request,
        "attribute_form.html",
        service,
        {"form": form, "page_title": _("Nouvelle question")},
    )


def attribute_edit(request: HttpRequest, pk: int, attribute_id: int) -> HttpResponse:
    user, service = _service_for(request, pk)
    attribute = _attribute_of(service, attribute_id)
    form = AttributeForm(request.POST if request.method == "POST" else None, instance=attribute)
    saved = _saved_or_shown(
        request,
        form,
        lambda changed: catalogue.change_attribute(actor=user, attribute=changed),
        _("La question est enregistrée."),
    )
    if saved is not None:
        return saved
    return _page(
        request,
        "attribute_form.html",
        service,
        {"form": form, "attribute": attribute, "page_title": _("Modifier la question")},
    )


def attribute_delete(request: HttpRequest, pk: int, attribute_id: int) -> HttpResponse:
    user, service = _service_for(request, pk)
    attribute = _attribute_of(service, attribute_id)
    if request.method == "POST":
        catalogue.delete_attribute(actor=user, attribute=attribute)
        messages.success(request, _("La question est supprimée."))
        return redirect(service_edit_url(service))
    return _page(
        request,
        "attribute_delete.html",
        service,
        {"attribute": attribute, "page_title": _("Supprimer la question")},
    )


@require_POST
def attribute_move(request: HttpRequest, pk: int, attribute_id: int) -> HttpResponse:
    user, service = _service_for(request, pk)
    attribute = _attribute_of(service, attribute_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest()
    catalogue.move_attribute(
        actor=user, attribute=attribute, direction="up" if direction == "up" else "down"
    )
    return redirect(f"{service_edit_url(service)}#question-{attribute.pk}")
