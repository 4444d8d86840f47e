"""The screen of /gestion/ that imports a GeoJSON file of zones (Alertes → Zones → Importer un
fichier GeoJSON): it checks `alerts.manage_zones` and hands the file to zones.py, which writes
all its zones or, when one Feature is bad, none and says why, Feature by Feature."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages

from agora.accounts.staff import require_permission
from agora.alerts import zones
from agora.alerts.admin_forms import ZoneImportForm
from agora.alerts.rules import MANAGE_ZONES

ZONES_NAMESPACE = "alert_zones"


def _summary(result: zones.ImportResult) -> str:
    return _("Import terminé : %(created)s, %(changed)s, %(unchanged)s.") % {
        "created": ngettext("%(n)s zone créée", "%(n)s zones créées", len(result.created))
        % {"n": len(result.created)},
        "changed": ngettext(
            "%(n)s zone mise à jour", "%(n)s zones mises à jour", len(result.changed)
        )
        % {"n": len(result.changed)},
        "unchanged": ngettext(
            "%(n)s zone inchangée", "%(n)s zones inchangées", len(result.unchanged)
        )
        % {"n": len(result.unchanged)},
    }


def zone_import(request: HttpRequest) -> HttpResponse:
    user = require_permission(request, MANAGE_ZONES)
    form = ZoneImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = zones.import_zones(actor=user, upload=form.cleaned_data["file"])
        except ValidationError as refusal:
            form.add_error("file", refusal)
        else:
            messages.success(request, _summary(result))
            return redirect(reverse(f"{ZONES_NAMESPACE}:index"))
    title = _("Importer un fichier GeoJSON")
    return TemplateResponse(
        request,
        "alerts/admin/zone_import.html",
        {
            "form": form,
            "page_title": title,
            "header_title": title,
            "header_icon": "upload",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Accueil")},
                {"url": reverse(f"{ZONES_NAMESPACE}:index"), "label": _("Zones d'alerte")},
                {"url": "", "label": title},
            ],
        },
    )
