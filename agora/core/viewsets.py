"""Back-office building blocks shared by the apps' wagtail_hooks: read-only record views, and
the listings of the team (projects, surveys, moderation queues) whose rows lead to the app's
own workflow screens."""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, path
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BaseColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.pages.listing import IndexView as PageIndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.permission_policies import BasePermissionPolicy

from agora.core.refusals import refusals_rendered, staff_screens

# View kwargs that take the edit, delete, history and usage links out of a listing.
NO_EDITING: dict[str, None] = {
    "edit_url_name": None,
    "delete_url_name": None,
    "history_url_name": None,
    "usage_url_name": None,
}


class PermissionMenuItem(MenuItem):
    """An item of a /gestion/ menu, shown to whoever holds `permission` (a rule of an app's
    rules.py)."""

    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.is_authenticated and request.user.has_perm(self.permission))


class RefusesWithTheStaffPage:
    """For a viewset whose views Wagtail builds: their `PermissionDenied` is the staff area's
    one 403 page (agora/core/refusals.py), not Wagtail's redirect to its dashboard."""

    def construct_view(self, view_class: Any, **kwargs: Any) -> Any:
        return refusals_rendered(super().construct_view(view_class, **kwargs))  # type: ignore[misc]


class RulesOnlyViewSet(RefusesWithTheStaffPage, ModelViewSet):
    """A staff listing whose rights come from rules.py alone: no Django permissions to grant
    in Settings → Groups, no copy, history or usage screens, out of the reference index and
    of the search backend (the listing filters in the database)."""

    copy_view_enabled = False
    add_to_reference_index = False
    search_backend_name = None

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return dict(
            super().get_common_view_kwargs(history_url_name=None, usage_url_name=None, **kwargs)
        )

    def get_permissions_to_register(self) -> QuerySet[Permission]:
        return Permission.objects.none()


class ReadOnlyModelViewSet(RefusesWithTheStaffPage, ModelViewSet):
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


# Listings of the team
#
# A listing of /gestion/ is Wagtail's: filters, search, sorting, pagination. What Agora adds:
# its rows start from the person's reach (the index view's `get_base_queryset`), what each row
# needs to know (the person's rights on it, its counts) is computed once per page
# (`describe_rows`), its permission comes from rules.py through a permission policy, and its
# links lead to the app's workflow screens (`screens`), mounted under the listing's own prefix
# and namespace. Every screen of the listing refuses with the staff area's one 403 page.

Screens = Sequence[URLPattern | URLResolver]


class RowHeadingColumn(TitleColumn):
    """The column that names each row (`<th scope="row">`), linked to the row's main screen
    when `get_url` gives one for it."""

    cell_template_name = "core/admin/row_heading_cell.html"


class RowTemplateColumn(BaseColumn):
    """A cell drawn by its own template, which reads the row as `object_name` ("project",
    "survey"…); with `forms`, the template also gets the CSRF token its buttons post with."""

    def __init__(
        self, name: str, *, template_name: str, object_name: str, forms: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(name, **kwargs)
        self.cell_template_name = template_name
        self.object_name = object_name
        self.forms = forms

    def get_cell_context_data(self, instance: Any, parent_context: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_cell_context_data(instance, parent_context)
        context[self.object_name] = instance
        if self.forms:
            context["csrf_token"] = get_token(context["request"])
        return context


class SourcePageFilterSet(WagtailFilterSet):
    """The filters of a listing of pages that shows one row per page, its French source
    page: Wagtail's choice of language is left out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters.pop("locale", None)


class StaffListing:
    """What the index view of a team listing adds to Wagtail's (see the section above)."""

    any_permission_required = ["view"]
    template_name = "core/admin/listing.html"
    results_template_name = "core/admin/listing_results.html"
    # Shown above the list: who sees what in it.
    introduction: Any = ""
    # What the list says when it has no row at all, and when filters or a search leave none.
    empty_message: Any = ""
    no_match_message: Any = ""
    # The table's caption, for screen readers (the page title by default).
    caption: Any = ""

    request: HttpRequest
    default_ordering: Any
    search_fields: Sequence[str] | None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The search and filter form posts to the results fragment, which Wagtail's script
        # swaps into the page. Without JavaScript the browser would show the bare fragment:
        # it gets the whole page, with the same query, instead.
        if self.results_only and request.headers.get("x-requested-with") != "XMLHttpRequest":  # type: ignore[attr-defined]
            index_url: str = self.index_url  # type: ignore[attr-defined]
            query = request.GET.urlencode()
            return redirect(f"{index_url}?{query}" if query else index_url)
        return super().get(request, *args, **kwargs)  # type: ignore[misc,no-any-return]

    def get_base_queryset(self) -> QuerySet[Any]:
        """The rows the person's reach gives them (agora/accounts/reach.py): each listing
        says which."""
        raise NotImplementedError

    def describe_rows(self, rows: list[Any]) -> None:
        """Sets on the rows of the page shown what the columns read, in queries that do not
        depend on the number of rows."""

    def paginate_queryset(self, queryset: Any, page_size: int) -> Any:
        paginator, page, rows, is_paginated = super().paginate_queryset(  # type: ignore[misc]
            queryset, page_size
        )
        rows = list(rows)
        self.describe_rows(rows)
        page.object_list = rows
        return paginator, page, rows, is_paginated

    @cached_property
    def is_searchable(self) -> bool:
        return bool(self.search_fields)

    def search_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        query: str = self.search_query  # type: ignore[attr-defined]
        if not query:
            return queryset
        found = Q()
        for field in self.search_fields or ():
            found |= Q(**{f"{field}__icontains": query})
        return queryset.filter(found)

    def order_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        ordering: Any = self.ordering or ()  # type: ignore[attr-defined]
        fields = [ordering] if isinstance(ordering, str) else list(ordering)
        # The primary key last, so that pages never share or skip a row.
        return queryset.order_by(*fields, "pk")

    def get_ordering(self) -> Any:
        requested = self.request.GET.get("ordering")
        if requested in self.get_valid_orderings():  # type: ignore[attr-defined]
            return requested
        return self.default_ordering

    def get_table_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_table_kwargs()  # type: ignore[misc]
        kwargs["caption"] = self.caption or self.get_page_title()  # type: ignore[attr-defined]
        return kwargs


class StaffIndexView(StaffListing, generic.IndexView):
    """The index view of a team listing of records (surveys…)."""


class StaffPageIndexView(StaffListing, PageIndexView):
    """The index view of a team listing of pages (projects…): one row per page the reach
    gives, without Wagtail's page-tree annotations, locale labels or bulk actions."""

    i18n_enabled = False

    def annotate_queryset(self, pages: QuerySet[Any]) -> QuerySet[Any]:
        return pages


def _listing_urls(viewset: Any, screens: Screens) -> list[URLPattern | URLResolver]:
    return staff_screens(
        [
            path("", viewset.index_view, name="index"),
            path("results/", viewset.index_results_view, name="index_results"),
            *screens,
        ]
    )


class StaffListingViewSet(ModelViewSet):
    """A team listing of records. Its permission policy, registered for the model, maps "view"
    (and "add", when the app has a screen named "add") to permissions of rules.py; the menu
    item shows to those who hold "view"."""

    index_view_class = StaffIndexView
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    search_backend_name = None
    screens: Screens = ()

    def get_urlpatterns(self) -> list[URLPattern | URLResolver]:
        return _listing_urls(self, self.screens)

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return dict(super().get_common_view_kwargs(**{**NO_EDITING, **kwargs}))

    def get_permissions_to_register(self) -> QuerySet[Permission]:
        # rules.py decides: the model's Django permissions would grant nothing.
        return Permission.objects.none()

    def register_admin_url_finder(self) -> None:
        pass  # the rows lead to the app's screens, not to an edit view


class StaffPageListingViewSet(PageListingViewSet):
    """A team listing of pages of one type. `permission_policy` (a rules policy, on this
    listing only: Wagtail's page policy still decides the page screens) maps "view" to a
    permission of rules.py; the menu item shows to those who hold it."""

    index_view_class = StaffPageIndexView
    add_to_admin_menu = True
    filterset_class: Any = None
    permission_policy: BasePermissionPolicy
    screens: Screens = ()

    def get_urlpatterns(self) -> list[URLPattern | URLResolver]:
        return _listing_urls(self, self.screens)

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return dict(
            super().get_common_view_kwargs(
                **{"permission_policy": self.permission_policy, "add_url_name": None, **kwargs}
            )
        )

    @cached_property
    def menu_item_class(self) -> type[MenuItem]:
        policy = self.permission_policy

        class ListingMenuItem(MenuItem):
            def is_shown(self, request: HttpRequest) -> bool:
                return bool(policy.user_has_permission(request.user, "view"))

        return ListingMenuItem
