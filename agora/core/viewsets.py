"""Back-office building blocks shared by the apps' wagtail_hooks."""

from typing import Any

from django.urls import URLPattern, path
from wagtail.admin.viewsets.model import ModelViewSet

# View kwargs that take the edit, delete, history and usage links out of a listing.
NO_EDITING: dict[str, None] = {
    "edit_url_name": None,
    "delete_url_name": None,
    "history_url_name": None,
    "usage_url_name": None,
}


class ReadOnlyModelViewSet(ModelViewSet):
    """A listing with filters, export and a detail page, and no URL to add, change or delete:
    for records that only services write (the audit log, organisations the city verifies)."""

    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return dict(
            super().get_common_view_kwargs(**{"add_url_name": None, **NO_EDITING, **kwargs})
        )
