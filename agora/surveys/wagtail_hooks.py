"""The "Sondages" menu of /gestion/: the list of surveys and the builder's screens
(admin_viewsets.py, admin_urls.py, admin_views/). Who sees the list and may add a survey is
decided by rules.py through the permission policy registered below; each screen then checks
the survey's own permission."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from agora.core.permission_policies import RulesPermissionPolicy
from agora.surveys.admin_viewsets import survey_listing
from agora.surveys.models import Survey

# Registered before anything asks Wagtail for the model's policy (it would create a default).
register_permission_policy(
    Survey,
    RulesPermissionPolicy(Survey, {"view": "surveys.list_surveys", "add": "surveys.add_survey"}),
)

# Registered by call: Wagtail's hook registry has no type hints (see core/wagtail_hooks.py).
hooks.register("register_admin_viewset", survey_listing)
