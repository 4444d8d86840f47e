"""The "Requêtes" menu of /gestion/: the catalogue of the services residents report problems
to and their themes. Wagtail's listings and forms, whose saves and deletions go through the
audited writes of catalogue.py; a service's questions have their own screens (admin_views.py),
mounted under the services' addresses and listed on a service's edit page.

Who may open them is decided by rules.py (`citizen_requests.manage_services`) through the
permission policies registered in wagtail_hooks.py; a refusal is the staff area's 403 page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup

from agora.citizen_requests import admin_views, catalogue
from agora.citizen_requests.models import RequestService, ServiceGroup
from agora.core.refusals import staff_screens
from agora.core.viewsets import RulesOnlyViewSet
from agora.core.wagtail_hooks import RefusalsShownAfterDeleting, RefusalsShownOnTheForm

# The hook through which the app's other screens (the desk, its standard replies…) put their
# menu item in the "Requêtes" menu, each shown to whoever may use it.
REQUESTS_MENU_HOOK = "register_citizen_requests_menu_item"


class CatalogueViewSet(RulesOnlyViewSet):
    """What the catalogue's listings share: no detail screen either."""

    inspect_view_enabled = False


# Themes -----------------------------------------------------------------------------------


class ThemeCreateView(RefusalsShownOnTheForm, generic.CreateView):
    def save_instance(self) -> ServiceGroup:
        return catalogue.create_theme(actor=self.request.user, theme=self.form.instance)


class ThemeEditView(RefusalsShownOnTheForm, generic.EditView):
    def save_instance(self) -> ServiceGroup:
        return catalogue.change_theme(actor=self.request.user, theme=self.form.instance)


class ThemeDeleteView(RefusalsShownAfterDeleting, generic.DeleteView):
    @property
    def confirmation_message(self) -> str:
        if self.object.services.exists():
            return str(catalogue.THEME_STILL_USED)
        return str(_("Supprimer définitivement ce thème?"))

    def delete_action(self) -> None:
        catalogue.delete_theme(actor=self.request.user, theme=self.object)


class ThemeIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet[ServiceGroup]:
        queryset: QuerySet[ServiceGroup] = super().get_base_queryset()
        return queryset.annotate(service_count=Count("services"))


class ThemeViewSet(CatalogueViewSet):
    model = ServiceGroup
    name = "request_themes"
    url_prefix = "requetes/themes"
    icon = "folder-open-inverse"
    menu_label = _("Thèmes")
    index_view_class = ThemeIndexView
    add_view_class = ThemeCreateView
    edit_view_class = ThemeEditView
    delete_view_class = ThemeDeleteView
    form_fields = ["name_fr", "name_en", "slug", "position"]
    list_display = [
        TitleColumn("name_fr", label=_("Nom (français)"), url_name="request_themes:edit"),
        "name_en",
        "slug",
        Column("service_count", label=_("Services"), sort_key="service_count"),
        "position",
    ]
    search_fields = ["name_fr", "name_en"]
    ordering = ("position", "name_fr")


# Services ---------------------------------------------------------------------------------


class ServiceCreateView(RefusalsShownOnTheForm, generic.CreateView):
    def save_instance(self) -> RequestService:
        return catalogue.create_service(actor=self.request.user, service=self.form.instance)

    def get_success_url(self) -> str:
        # Straight to its edit page, where its questions are added.
        return admin_views.service_edit_url(self.object)


class ServiceEditView(RefusalsShownOnTheForm, generic.EditView):
    template_name = "citizen_requests/admin/service_edit.html"

    def save_instance(self) -> RequestService:
        return catalogue.change_service(actor=self.request.user, service=self.form.instance)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["attributes"] = list(self.object.attributes.order_by("order", "pk"))
        return context


class ServiceDeleteView(generic.DeleteView):
    @property
    def confirmation_message(self) -> str:
        return str(_("Supprimer définitivement ce service et ses questions?"))

    def delete_action(self) -> None:
        catalogue.delete_service(actor=self.request.user, service=self.object)


class ServiceIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet[RequestService]:
        queryset: QuerySet[RequestService] = super().get_base_queryset()
        return queryset.select_related("group", "department")


class ServiceViewSet(CatalogueViewSet):
    model = RequestService
    name = admin_views.SERVICES_NAMESPACE
    url_prefix = "requetes/services"
    icon = "list-ul"
    menu_label = _("Services de requêtes")
    index_view_class = ServiceIndexView
    add_view_class = ServiceCreateView
    edit_view_class = ServiceEditView
    delete_view_class = ServiceDeleteView
    form_fields = [
        "name_fr",
        "name_en",
        "code",
        "group",
        "description_fr",
        "description_en",
        "keywords_fr",
        "keywords_en",
        "department",
        "target_days",
        "location",
        "photo",
        "public",
        "active",
        "position",
    ]
    list_display = [
        TitleColumn(
            "name_fr",
            label=_("Nom (français)"),
            url_name=f"{admin_views.SERVICES_NAMESPACE}:edit",
        ),
        Column("group", label=_("Thème"), accessor="group.name_fr"),
        Column("department", label=_("Service municipal responsable")),
        Column("target_days", label=_("Délai visé (jours)")),
        BooleanColumn("public", label=_("Requêtes publiques")),
        BooleanColumn("active", label=_("Offert")),
    ]
    list_filter = ["group", "active", "public"]
    search_fields = ["name_fr", "name_en", "code", "keywords_fr", "keywords_en"]
    ordering = ("group__position", "position", "name_fr")

    def get_urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [
            *super().get_urlpatterns(),
            *staff_screens(
                [
                    path(
                        "<int:pk>/questions/nouvelle/",
                        admin_views.attribute_add,
                        name="attribute_add",
                    ),
                    path(
                        "<int:pk>/questions/<int:attribute_id>/",
                        admin_views.attribute_edit,
                        name="attribute_edit",
                    ),
                    path(
                        "<int:pk>/questions/<int:attribute_id>/supprimer/",
                        admin_views.attribute_delete,
                        name="attribute_delete",
                    ),
                    path(
                        "<int:pk>/questions/<int:attribute_id>/deplacer/",
                        admin_views.attribute_move,
                        name="attribute_move",
                    ),
                ]
            ),
        ]


class RequestsViewSetGroup(ViewSetGroup):
    menu_label = _("Requêtes")
    menu_icon = "help"
    menu_order = 170
    items = (ServiceViewSet, ThemeViewSet)
    submenu_hook = REQUESTS_MENU_HOOK


def request_catalogue() -> ViewSetGroup:
    return RequestsViewSetGroup()
