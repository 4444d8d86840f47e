"""The "Alertes" menu of /gestion/: the zones alerts are sent to and the topics they are about.
Wagtail's listings and forms, whose saves and deletions go through the audited writes of
zones.py and topics.py; the import of a GeoJSON file of zones has its own screen
(admin_views.py), mounted under the zones' address and offered by a button of their listing.

Who may open them is decided by rules.py (`alerts.manage_zones`, `alerts.view_zones`,
`alerts.manage_topics`, `alerts.view_topics`) through the permission policies registered in
wagtail_hooks.py: those who may only read a listing get its rows and a read-only detail page,
without the buttons that change something. A refusal is the staff area's 403 page."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import yesno
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from agora.alerts import admin_views, topics, zones
from agora.alerts.admin_forms import ZONE_FORM_FIELDS, ZoneForm
from agora.alerts.models import Topic, Zone
from agora.core.refusals import staff_screens
from agora.core.viewsets import RulesOnlyViewSet
from agora.core.wagtail_hooks import RefusalsShownAfterDeleting, RefusalsShownOnTheForm

# The hook through which the alerts' other screens (composing, reports…) put their menu item
# in the "Alertes" menu, each shown to whoever may use it.
ALERTS_MENU_HOOK = "register_alerts_menu_item"
TOPICS_NAMESPACE = "alert_topics"


class AlertsInspectView(generic.InspectView):
    """The read-only detail page: a yes/no field reads "oui" or "non", not "True"."""

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        value = getattr(self.object, field_name, None)
        if isinstance(value, bool):
            return yesno(value)
        return super().get_field_display_value(field_name, field)


class AlertsViewSet(RulesOnlyViewSet):
    """What the listings share: a read-only detail page for those who may only read."""

    inspect_view_enabled = True
    inspect_view_class = AlertsInspectView


# Zones ------------------------------------------------------------------------------------


class ZoneCreateView(RefusalsShownOnTheForm, generic.CreateView):
    def save_instance(self) -> Zone:
        return zones.create_zone(actor=self.request.user, zone=self.form.instance)


class ZoneEditView(RefusalsShownOnTheForm, generic.EditView):
    def save_instance(self) -> Zone:
        return zones.change_zone(actor=self.request.user, zone=self.form.instance)


class ZoneDeleteView(RefusalsShownAfterDeleting, generic.DeleteView):
    @property
    def confirmation_message(self) -> str:
        if self.object.places.exists():
            return str(zones.ZONE_STILL_USED)
        return str(_("Supprimer définitivement cette zone?"))

    def delete_action(self) -> None:
        zones.delete_zone(actor=self.request.user, zone=self.object)


class ZoneIndexView(generic.IndexView):
    @cached_property
    def header_buttons(self) -> list[Any]:
        buttons: list[Any] = list(super().header_buttons)
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(
                HeaderButton(
                    _("Importer un fichier GeoJSON"),
                    url=reverse(f"{admin_views.ZONES_NAMESPACE}:import"),
                    icon_name="upload",
                )
            )
        return buttons


class ZoneViewSet(AlertsViewSet):
    model = Zone
    name = admin_views.ZONES_NAMESPACE
    url_prefix = "alertes/zones"
    icon = "site"
    menu_label = _("Zones")
    index_view_class = ZoneIndexView
    add_view_class = ZoneCreateView
    edit_view_class = ZoneEditView
    delete_view_class = ZoneDeleteView
    list_display = [
        "name_fr",
        "name_en",
        Column("kind", label=_("Type"), accessor="get_kind_display"),
        Column("sgc_code", label=_("Code CGT")),
        "code",
        BooleanColumn("active", label=_("Offerte")),
        "position",
    ]
    list_filter = ["kind", "active"]
    search_fields = ["name_fr", "name_en", "code", "sgc_code"]
    ordering = ("position", "name_fr")
    inspect_view_fields = ["name_fr", "name_en", "code", "kind", "sgc_code", "position", "active"]

    def get_form_class(self, for_update: bool = False) -> type[ZoneForm]:
        return ZoneForm

    def get_form_fields(self) -> list[str]:
        return ZONE_FORM_FIELDS

    def get_urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [
            *super().get_urlpatterns(),
            *staff_screens([path("importer/", admin_views.zone_import, name="import")]),
        ]


# Topics -----------------------------------------------------------------------------------


class TopicCreateView(RefusalsShownOnTheForm, generic.CreateView):
    def save_instance(self) -> Topic:
        return topics.create_topic(actor=self.request.user, topic=self.form.instance)


class TopicEditView(RefusalsShownOnTheForm, generic.EditView):
    def save_instance(self) -> Topic:
        return topics.change_topic(actor=self.request.user, topic=self.form.instance)


class TopicDeleteView(RefusalsShownAfterDeleting, generic.DeleteView):
    @property
    def confirmation_message(self) -> str:
        if self.object.subscribers.exists():
            return str(topics.TOPIC_STILL_USED)
        return str(_("Supprimer définitivement ce sujet?"))

    def delete_action(self) -> None:
        topics.delete_topic(actor=self.request.user, topic=self.object)


class TopicViewSet(AlertsViewSet):
    model = Topic
    name = TOPICS_NAMESPACE
    url_prefix = "alertes/sujets"
    icon = "tag"
    menu_label = _("Sujets")
    add_view_class = TopicCreateView
    edit_view_class = TopicEditView
    delete_view_class = TopicDeleteView
    form_fields = [
        "name_fr",
        "name_en",
        "code",
        "description_fr",
        "description_en",
        "mandatory",
        "cap_category",
        "cap_event_code",
        "position",
        "active",
    ]
    list_display = [
        "name_fr",
        "name_en",
        BooleanColumn("mandatory", label=_("Obligatoire")),
        Column("cap_category", label=_("Catégorie CAP"), accessor="get_cap_category_display"),
        Column("cap_event_code", label=_("Code d'événement CAP-CP")),
        BooleanColumn("active", label=_("Offert")),
        "position",
    ]
    list_filter = ["mandatory", "cap_category", "active"]
    search_fields = ["name_fr", "name_en", "code", "cap_event_code"]
    ordering = ("-mandatory", "position", "name_fr")
    inspect_view_fields = form_fields


class AlertsViewSetGroup(ViewSetGroup):
    menu_label = _("Alertes")
    menu_icon = "warning"
    menu_order = 175
    items = (ZoneViewSet, TopicViewSet)
    submenu_hook = ALERTS_MENU_HOOK


def alerts_menu() -> ViewSetGroup:
    return AlertsViewSetGroup()
