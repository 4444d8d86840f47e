"""The "Alertes" menu of /gestion/ (admin_viewsets.py): zones and topics.

Who may use them is decided by rules.py through the permission policies registered below:
Wagtail's "view" is the permission to read, "add", "change" and "delete" the one to manage."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from agora.alerts.admin_viewsets import alerts_menu
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
