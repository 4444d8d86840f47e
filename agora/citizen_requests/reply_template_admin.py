"""Requêtes → Réponses types in /gestion/: the standard replies the desk starts a note or a
reply from, in both languages. Wagtail's listing and forms, whose saves and deletions go
through the audited writes of reply_templates.py. Who may open them is decided by rules.py
(`citizen_requests.manage_reply_templates`) through the permission policy registered here;
a refusal is the staff area's 403 page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from agora.citizen_requests import reply_templates
from agora.citizen_requests.admin_viewsets import REQUESTS_MENU_HOOK
from agora.citizen_requests.models import ReplyTemplate
from agora.core.permission_policies import RulesPermissionPolicy
from agora.core.viewsets import RefusesWithTheStaffPage
from agora.core.wagtail_hooks import RefusalsShownOnTheForm

NAMESPACE = "reply_templates"

# Registered before anything asks Wagtail for the model's policy (it would create a default).
register_permission_policy(
    ReplyTemplate,
    RulesPermissionPolicy(
        ReplyTemplate,
        dict.fromkeys(("add", "change", "delete", "view"), reply_templates.MANAGE_REPLY_TEMPLATES),
    ),
)


class ReplyTemplateCreateView(RefusalsShownOnTheForm, generic.CreateView):
    def save_instance(self) -> ReplyTemplate:
        return reply_templates.create_reply_template(
            actor=self.request.user, template=self.form.instance
        )


class ReplyTemplateEditView(RefusalsShownOnTheForm, generic.EditView):
    def save_instance(self) -> ReplyTemplate:
        return reply_templates.change_reply_template(
            actor=self.request.user, template=self.form.instance
        )


class ReplyTemplateDeleteView(generic.DeleteView):
    @property
    def confirmation_message(self) -> str:
        return str(
            _(
                "Supprimer définitivement cette réponse type? Les réponses déjà envoyées "
                "gardent leur texte."
            )
        )

    def delete_action(self) -> None:
        reply_templates.delete_reply_template(actor=self.request.user, template=self.object)


class ReplyTemplateViewSet(RefusesWithTheStaffPage, ModelViewSet):
    model = ReplyTemplate
    name = NAMESPACE
    url_prefix = "requetes/reponses-types"
    icon = "comment"
    menu_label = _("Réponses types")
    menu_hook = REQUESTS_MENU_HOOK
    # After the desk's queue, before the catalogue's items (1, 2).
    menu_order = -1
    add_view_class = ReplyTemplateCreateView
    edit_view_class = ReplyTemplateEditView
    delete_view_class = ReplyTemplateDeleteView
    form_fields = ["title", "body_fr", "body_en", "position"]
    list_display = [
        TitleColumn("title", label=_("Titre"), url_name=f"{NAMESPACE}:edit"),
        "position",
    ]
    search_fields = ["title", "body_fr", "body_en"]
    search_backend_name = None
    ordering = ("position", "title")
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return dict(
            super().get_common_view_kwargs(history_url_name=None, usage_url_name=None, **kwargs)
        )

    def get_permissions_to_register(self) -> QuerySet[Permission]:
        # rules.py decides: the model's Django permissions would grant nothing.
        return Permission.objects.none()


def reply_template_viewset() -> ModelViewSet:
    return ReplyTemplateViewSet()
