"""The staff dashboard of request indicators in /gestion/requetes/indicateurs/ (Requêtes →
Indicateurs): the public page's figures and charts, narrowed to a municipal department if
asked, with each department's requests, those overdue, and the same files.

Who may read it is decided by rules.py (`citizen_requests.view_indicators_dashboard`:
administrators, clerks, department managers and elected officials); anyone else on the team
gets the staff area's 403 page. The figures hold no personal data, so the files are not
audited; they are computed as on the public page (at most a minute old).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, include, path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from agora.accounts.staff import require_permission
from agora.citizen_requests.admin_viewsets import REQUESTS_MENU_HOOK
from agora.citizen_requests.indicators.display import indicators_context
from agora.citizen_requests.indicators.figures import cached_indicators
from agora.citizen_requests.indicators.files import EXPORT_FORMATS, export_response
from agora.citizen_requests.indicators.period import StaffIndicatorForm
from agora.core.refusals import staff_screens
from agora.core.viewsets import PermissionMenuItem

NAMESPACE = "request_indicators"
VIEW_DASHBOARD = "citizen_requests.view_indicators_dashboard"
CHART_TABLE_CLASS = "listing agora-chart__table"


@require_safe
def dashboard(request: HttpRequest) -> TemplateResponse:
    require_permission(request, VIEW_DASHBOARD)
    form = StaffIndicatorForm(request.GET)
    indicators = cached_indicators(form.scope(), departments=True)
    title = _("Indicateurs des requêtes")
    context = indicators_context(indicators, staff=True, table_class=CHART_TABLE_CLASS)
    context.update(
        form=form,
        page_title=title,
        header_title=title,
        header_icon="table",
        breadcrumbs_items=[
            {"url": reverse("wagtailadmin_home"), "label": _("Accueil")},
            {"url": "", "label": title},
        ],
    )
    return TemplateResponse(request, "citizen_requests/indicators/dashboard.html", context)


@require_safe
def export(request: HttpRequest, file_format: str) -> HttpResponse:
    require_permission(request, VIEW_DASHBOARD)
    if file_format not in EXPORT_FORMATS:
        raise Http404
    indicators = cached_indicators(StaffIndicatorForm(request.GET).scope(), departments=True)
    response = export_response(indicators, file_format, staff=True)
    response["Cache-Control"] = "no-store"
    return response


def admin_urls() -> list[URLPattern | URLResolver]:
    """For the `register_admin_urls` hook."""
    screens = staff_screens(
        [
            path("", dashboard, name="dashboard"),
            path("donnees.<str:file_format>", export, name="export"),
        ]
    )
    return [path("requetes/indicateurs/", include((screens, NAMESPACE), namespace=NAMESPACE))]


def menu_item() -> MenuItem:
    """For the "Requêtes" menu's hook: after the desk, before the catalogue's items."""
    return PermissionMenuItem(
        gettext_lazy("Indicateurs"),
        reverse_lazy(f"{NAMESPACE}:dashboard"),
        name="request-indicators",
        icon_name="table",
        order=-1,
        permission=VIEW_DASHBOARD,
    )


# Registered by call: Wagtail's hook registry has no type hints (see core/wagtail_hooks.py).
hooks.register("register_admin_urls", admin_urls)
hooks.register(REQUESTS_MENU_HOOK, menu_item)
