"""The "Alertes" menu of /gestion/ (admin_viewsets.py): zones and topics.

Who may use them is decided by rules.py through the permission policies registered below:
Wagtail's "view" is the permission to read, "add", "change" and "delete" the one to manage."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from agora.alerts import compose_views
from agora.alerts.admin_viewsets import ALERTS_MENU_HOOK, alerts_menu
from agora.alerts.models import Topic, Zone
from agora.alerts.rules import MANAGE_TOPICS, MANAGE_ZONES, VIEW_TOPICS, VIEW_ZONES
from agora.core.permission_policies import RulesPermissionPolicy

# Registered before anything asks Wagtail for the models' policy (it would create a default).
for model, manage, view in ((Zone, MANAGE_ZONES, VIEW_ZONES), (Topic, MANAGE_TOPICS, VIEW_TOPICS)):
    register_permission_policy(
        model,
        RulesPermissionPolicy(
            model, {**dict.fromkeys(("add", "change", "delete"), manage), "view": view}
        ),
    )

# Registered by call: Wagtail's hook registry has no type hints (see core/wagtail_hooks.py).
hooks.register("register_admin_viewset", alerts_menu)
# Composing and sending alerts (compose_views.py), first in the "Alertes" menu.
hooks.register("register_admin_urls", compose_views.admin_urls)
hooks.register(ALERTS_MENU_HOOK, compose_views.menu_item)
# Delivery reports and subscribers over time (report_views.py), last in the "Alertes" menu.
from agora.alerts import report_views  # noqa: E402

hooks.register("register_admin_urls", report_views.admin_urls)
hooks.register(ALERTS_MENU_HOOK, report_views.menu_item)
hooks.register(ALERTS_MENU_HOOK, report_views.subscribers_menu_item)
