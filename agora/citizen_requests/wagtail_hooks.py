"""The "Requêtes" menu of /gestion/ (admin_viewsets.py), and the municipality's boundary in
Settings → Réglages des requêtes.

Who may use them is decided by rules.py through the permission policies registered below. The
boundary is a Wagtail site setting: its screen asks Wagtail's site-setting policy for
`citizen_requests.change_requestsettings`, a Django permission only the administrators' group
holds (accounts/roles.py gives it every permission, the other roles a list without it), like
the branding's; its edits are in the audit log with their old and new values (core's
`after_edit_setting` hook)."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from agora.citizen_requests import desk_admin, indicator_admin, open311_admin  # noqa: F401  (their hooks)
from agora.citizen_requests.admin_viewsets import request_catalogue
from agora.citizen_requests.catalogue import MANAGE_SERVICES
from agora.citizen_requests.models import RequestService, RequestSettings, ServiceGroup
from agora.core.permission_policies import RulesPermissionPolicy
from agora.core.wagtail_hooks import audit_setting_edits

# Registered before anything asks Wagtail for the models' policy (it would create a default).
for model in (ServiceGroup, RequestService):
    register_permission_policy(
        model,
        RulesPermissionPolicy(
            model, dict.fromkeys(("add", "change", "delete", "view"), MANAGE_SERVICES)
        ),
    )

audit_setting_edits(RequestSettings)

# Registered by call: Wagtail's hook registry has no type hints (see core/wagtail_hooks.py).
hooks.register("register_admin_viewset", request_catalogue)
