"""The audit log in /gestion/ (Reports → Journal d'audit), and the staff actions of Wagtail's
own screens that reach it: publishing and unpublishing pages, editing the branding.

Why hooks: Wagtail's page and settings screens are not our services, so we cannot write the
audit row inside them. Wagtail's `after_publish_page`, `after_unpublish_page`,
`after_bulk_action` and `after_edit_setting` hooks run in the request of the staff member who
acted, right after the change, with `request.user` at hand: the explicit, documented place to
add to what those screens do. Model signals (`page_published`) would also fire for changes
nobody made in /gestion/ (a scheduled go-live, a data migration, the demo loader) and carry no
actor; Wagtail's own log (`PageLogEntry`, Reports → Site history) keeps recording everything,
including scheduled publication and workflow approvals, which do not pass through these hooks.
"""

import datetime
import json
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from agora.core import audit, audit_actions, held_views, synonyms
from agora.core.exports import spreadsheet_safe
from agora.core.models import AuditEntry, Branding, SearchSynonymGroup
from agora.core.permission_policies import RulesPermissionPolicy
from agora.core.viewsets import ReadOnlyModelViewSet, RefusesWithTheStaffPage

# Registered before anything asks Wagtail for the model's policy (it would create a default).
register_permission_policy(
    AuditEntry, RulesPermissionPolicy(AuditEntry, {"view": "core.view_audit_log"})
)
register_permission_policy(
    SearchSynonymGroup,
    RulesPermissionPolicy(
        SearchSynonymGroup,
        dict.fromkeys(("add", "change", "delete", "view"), synonyms.EDIT_PERMISSION),
    ),
)


def _csv_text(value: Any) -> str:
    """Names typed by residents (an organisation's, for instance) reach the export."""
    return str(spreadsheet_safe("" if value is None else str(value)))


def _local_time(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def _local_time_text(value: datetime.datetime) -> str:
    return _local_time(value).isoformat(sep=" ", timespec="seconds")


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _action_choices() -> list[tuple[str, str]]:
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    return [(action, action) for action in actions]


class AuditEntryFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"), choices=_action_choices)
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields = ["action", "created_at"]


class AuditLogIndexView(generic.IndexView):
    # The export shows times in the city's time zone, details as JSON, and no formulas.
    custom_field_preprocess = {
        "created_at": {"csv": _local_time_text, "xlsx": _local_time},
        "details": {"csv": lambda value: _csv_text(_json_text(value)), "xlsx": _json_text},
        "actor_name": {"csv": _csv_text},
        "object_repr": {"csv": _csv_text},
        "object_id": {"csv": _csv_text},
    }


class AuditLogViewSet(ReadOnlyModelViewSet):
    """Read-only: entries are written by services and hooks, never by hand."""

    model = AuditEntry
    name = "audit_log"
    url_prefix = "journal-audit"
    icon = "history"
    menu_label = _("Journal d'audit")
    menu_hook = "register_reports_menu_item"
    index_view_class = AuditLogIndexView
    list_display = ["created_at", "actor_name", "action", "object_type", "object_repr"]
    filterset_class = AuditEntryFilterSet
    search_fields = ["actor_name", "object_repr", "object_id", "action"]
    search_backend_name = None  # plain database search: the log is not in the search index
    ordering = "-created_at"
    list_per_page = 50
    list_export = [
        "created_at",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "details",
    ]
    export_filename = "journal-audit"
    # Listing, export and detail only: no URL exists to add, change or delete an entry.
    inspect_view_fields = list_export

    def register_admin_url_finder(self) -> None:
        pass  # entries have no edit page


def audit_log_viewset() -> ModelViewSet:
    return AuditLogViewSet()


hooks.register("register_admin_viewset", audit_log_viewset)


# Synonyms of the site search: administrators edit them, each change is audited.


class RefusalsShownOnTheForm:
    """The services' `ValidationError` (a group of one term) is shown on the form."""

    def form_valid(self, form: Any) -> Any:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form))  # type: ignore[attr-defined]


class RefusalsShownAfterDeleting:
    """For a delete view: a deletion the service refuses (the object is still used) is
    explained on the confirmation page it returns to."""

    def form_valid(self, form: Any) -> Any:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as refusal:
            messages.error(self.request, " ".join(refusal.messages))  # type: ignore[attr-defined]
            return redirect(self.get_delete_url())  # type: ignore[attr-defined]


class SynonymGroupCreateView(RefusalsShownOnTheForm, generic.CreateView):
    def save_instance(self) -> SearchSynonymGroup:
        data = self.form.cleaned_data
        return synonyms.create_synonym_group(
            actor=self.request.user, language=data["language"], terms=data["terms"]
        )


class SynonymGroupEditView(RefusalsShownOnTheForm, generic.EditView):
    def save_instance(self) -> SearchSynonymGroup:
        data = self.form.cleaned_data
        return synonyms.update_synonym_group(
            actor=self.request.user,
            group=self.object,
            language=data["language"],
            terms=data["terms"],
        )


class SynonymGroupDeleteView(generic.DeleteView):
    def delete_action(self) -> None:
        synonyms.delete_synonym_group(actor=self.request.user, group=self.object)


class SynonymGroupViewSet(RefusesWithTheStaffPage, ModelViewSet):
    model = SearchSynonymGroup
    name = "search_synonyms"
    url_prefix = "synonymes-recherche"
    icon = "search"
    menu_label = _("Synonymes de la recherche")
    menu_hook = "register_settings_menu_item"
    add_view_class = SynonymGroupCreateView
    edit_view_class = SynonymGroupEditView
    delete_view_class = SynonymGroupDeleteView
    form_fields = ["language", "terms"]
    list_display = ["terms", "language"]
    list_filter = ["language"]
    search_fields = ["terms"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return dict(
            super().get_common_view_kwargs(history_url_name=None, usage_url_name=None, **kwargs)
        )


def synonym_group_viewset() -> ModelViewSet:
    return SynonymGroupViewSet()


hooks.register("register_admin_viewset", synonym_group_viewset)
hooks.register("register_admin_urls", held_views.admin_urls)
hooks.register("register_admin_menu_item", held_views.menu_item)


# Staff actions of Wagtail's own screens


def _page_details(page: Page) -> dict[str, Any]:
    return {
        "title": page.title,
        "locale": page.locale.language_code,
        "url_path": page.url_path,
    }


def record_page_published(request: HttpRequest, page: Page) -> None:
    go_live_at = page.go_live_at
    if go_live_at and go_live_at > timezone.now():
        audit.record(
            actor=request.user,
            action=audit_actions.PAGE_PUBLISH_SCHEDULED,
            target=page,
            details={**_page_details(page), "go_live_at": go_live_at.isoformat()},
        )
    else:
        audit.record(
            actor=request.user,
            action=audit_actions.PAGE_PUBLISHED,
            target=page,
            details=_page_details(page),
        )


def record_page_unpublished(request: HttpRequest, page: Page) -> None:
    details = {
        **_page_details(page),
        "include_descendants": bool(request.POST.get("include_descendants")),
    }
    audit.record(
        actor=request.user, action=audit_actions.PAGE_UNPUBLISHED, target=page, details=details
    )


def record_pages_published_in_bulk(
    request: HttpRequest, action_type: str, objects: list[Model], action_class_instance: Any
) -> None:
    if action_type not in ("publish", "unpublish"):
        return
    include_descendants = bool(request.POST.get("include_descendants"))
    for page in objects:
        if isinstance(page, Page):
            audit.record(
                actor=request.user,
                action=(
                    audit_actions.PAGE_PUBLISHED
                    if action_type == "publish"
                    else audit_actions.PAGE_UNPUBLISHED
                ),
                target=page,
                details={
                    **_page_details(page),
                    "bulk": True,
                    "include_descendants": include_descendants,
                },
            )


SETTING_SNAPSHOT_ATTRIBUTE = "_agora_setting_before_edit"
AUDITED_SETTINGS: list[type[BaseSiteSetting]] = [Branding]


def audit_setting_edits(model: type[BaseSiteSetting]) -> None:
    """Puts the edits of an app's site setting (Settings in /gestion/) in the audit log, with
    its old and new values, as the branding's are: each app names its own settings."""
    if model not in AUDITED_SETTINGS:
        AUDITED_SETTINGS.append(model)


def _setting_values(instance: Model) -> dict[str, Any]:
    values = model_to_dict(instance, exclude=["id", "site"])
    return {name: value for name, value in values.items() if not isinstance(value, list)}


def remember_setting_before_edit(request: HttpRequest, instance: Model) -> None:
    if request.method == "POST" and isinstance(instance, tuple(AUDITED_SETTINGS)):
        setattr(request, SETTING_SNAPSHOT_ATTRIBUTE, _setting_values(instance))


def record_setting_edited(request: HttpRequest, instance: Model) -> None:
    before: dict[str, Any] | None = getattr(request, SETTING_SNAPSHOT_ATTRIBUTE, None)
    if before is None:
        return
    after = _setting_values(instance)
    changes = {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }
    if changes:
        audit.record(
            actor=request.user,
            action=audit_actions.SETTINGS_EDITED,
            target=instance,
            details={"setting": instance._meta.label, "changes": changes},
        )


# Registered by call rather than as decorators: Wagtail's hook registry has no type hints, and
# a decorator without them would hide these functions from mypy.
hooks.register("after_publish_page", record_page_published)
hooks.register("after_unpublish_page", record_page_unpublished)
hooks.register("after_bulk_action", record_pages_published_in_bulk)
hooks.register("before_edit_setting", remember_setting_before_edit)
hooks.register("after_edit_setting", record_setting_edited)


def admin_css() -> str:
    """Agora's additions to the look of every /gestion/ screen (core/admin.css)."""
    return format_html('<link rel="stylesheet" href="{}">', static("core/admin.css"))


hooks.register("insert_global_admin_css", admin_css)


def admin_words_js() -> str:
    """The words Wagtail's scripts write in English only, in the staff member's language."""
    return format_html(
        '<script src="{}" data-save-selected="{}"></script>',
        static("core/admin-words.js"),
        _("Enregistrer la sélection"),
    )


hooks.register("insert_global_admin_js", admin_words_js)
