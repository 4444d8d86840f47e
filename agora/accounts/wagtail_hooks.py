"""The "Équipe" menu of /gestion/: invitations, municipal departments, organisations; and
Wagtail's Users screens, whose roles and superuser flag go through `services.change_access`.

Every screen writes through the services (invitations.py, departments.py, organisations.py),
which check the permission again and write the audit row; who sees which screen is decided by
rules.py through the permission policies registered below.
"""

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.bulk_actions import AssignRoleBulkAction

from agora.accounts import invitations, services, team_views
from agora.accounts.departments import create_department, update_department
from agora.accounts.forms import AgoraUserCreationForm, AgoraUserEditForm
from agora.accounts.models import Department, Invitation, Organisation, User
from agora.accounts.team_forms import DepartmentForm, InvitationForm
from agora.core.permission_policies import RulesPermissionPolicy
from agora.core.viewsets import NO_EDITING, ReadOnlyModelViewSet, RefusesWithTheStaffPage

# Permission policies


class InvitationPermissionPolicy(RulesPermissionPolicy):
    """Administrators manage every invitation; department managers those of the departments
    they manage (rules.py: invite_any_role, invite_to_department). Nobody deletes one: it is
    revoked, and stays in the list."""

    MANAGE = frozenset({"add", "change", "view"})

    def __init__(self) -> None:
        super().__init__(Invitation, {})

    def user_has_permission(self, user: Any, action: str) -> bool:
        return (
            action in self.MANAGE
            and bool(user.is_authenticated and user.is_active)
            and bool(invitations.roles_open_to(user))
        )

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return (
            action in self.MANAGE
            and bool(user.is_authenticated and user.is_active)
            and invitations.may_invite(user, instance.role, instance.department)
        )

    def instances_user_has_any_permission_for(
        self, user: Any, actions: Any
    ) -> QuerySet[Invitation]:
        if not (self.MANAGE & set(actions)) or not user.is_authenticated:
            return Invitation.objects.none()
        return invitations.invitations_visible_to(user)


register_permission_policy(Invitation, InvitationPermissionPolicy())
register_permission_policy(
    Department,
    RulesPermissionPolicy(
        Department,
        {
            "add": "accounts.manage_departments",
            "change": "accounts.manage_departments",
            "view": "accounts.manage_departments",
        },
    ),
)
register_permission_policy(
    Organisation, RulesPermissionPolicy(Organisation, {"view": "accounts.verify_organisation"})
)


# Columns with POST buttons: the actions work without JavaScript, like the rest of Agora.


class ActionsColumn(BaseColumn):
    cell_template_name = "accounts/admin/actions_cell.html"

    def get_actions(self, instance: Any, user: Any) -> list[tuple[str, str]]:
        """(label, URL to POST to) of the actions shown for `instance`."""
        raise NotImplementedError

    def get_cell_context_data(self, instance: Any, parent_context: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_cell_context_data(instance, parent_context)
        request = context["request"]
        context["csrf_token"] = get_token(request)
        context["actions"] = self.get_actions(instance, request.user)
        context["instance_label"] = str(instance)
        return context


class InvitationActionsColumn(ActionsColumn):
    def get_actions(self, instance: Any, user: Any) -> list[tuple[str, str]]:
        if instance.status != Invitation.Status.PENDING:
            return []
        return [
            (str(_("Renvoyer")), reverse("team_invitations:resend", args=[instance.pk])),
            (str(_("Révoquer")), reverse("team_invitations:revoke", args=[instance.pk])),
        ]


class OrganisationActionsColumn(ActionsColumn):
    def get_actions(self, instance: Any, user: Any) -> list[tuple[str, str]]:
        if instance.is_verified or not user.has_perm("accounts.verify_organisation"):
            return []
        return [(str(_("Vérifier")), reverse("team_organisations:verify", args=[instance.pk]))]


# Invitations

# Views left out of a viewset's URLs, so that no listing links to them.

INVITATION_STATES = [
    ("pending", _("En attente")),
    ("expired", _("Expirée")),
    ("accepted", _("Acceptée")),
    ("revoked", _("Révoquée")),
]


def invitation_state(invitation: Invitation) -> str:
    if invitation.status == Invitation.Status.PENDING and invitations.is_expired(invitation):
        return str(_("Expirée"))
    return str(invitation.get_status_display())


class InvitationFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("État"), choices=INVITATION_STATES, method="filter_state"
    )

    class Meta:
        model = Invitation
        fields: list[str] = []

    def filter_state(
        self, queryset: QuerySet[Invitation], name: str, value: str
    ) -> QuerySet[Invitation]:
        now = timezone.now()
        pending = queryset.filter(status=Invitation.Status.PENDING)
        if value == "pending":
            return pending.filter(expires_at__gt=now)
        if value == "expired":
            return pending.filter(expires_at__lte=now)
        return queryset.filter(status=value)


class InvitationIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet[Invitation]:
        return invitations.invitations_visible_to(self.request.user)


class InvitationCreateView(generic.CreateView):
    page_title = _("Inviter une personne")
    submit_button_label = _("Envoyer l'invitation")
    submit_button_active_label = _("Envoi…")

    def get_form_class(self) -> type[InvitationForm]:
        return InvitationForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"initial": self.get_initial(), "inviter": self.request.user}
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST
        return kwargs

    def form_valid(self, form: InvitationForm) -> HttpResponse:
        self.form = form
        try:
            self.object = invitations.invite(
                inviter=self.request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                department=form.cleaned_data["department"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = self.get_error_message()
            invalid: HttpResponse = self.form_invalid(form)
            return invalid
        saved: HttpResponse = self.save_action()
        return saved

    def get_success_message(self, instance: Invitation) -> str:
        return str(_("Invitation envoyée à %(email)s.") % {"email": instance.email})

    def get_success_buttons(self) -> list[Any]:
        return []


class InvitationViewSet(RefusesWithTheStaffPage, ModelViewSet):
    model = Invitation
    name = "team_invitations"
    url_prefix = "equipe/invitations"
    icon = "mail"
    menu_label = _("Invitations")
    index_view_class = InvitationIndexView
    add_view_class = InvitationCreateView
    list_display = [
        "email",
        Column("role", label=_("Rôle"), accessor=lambda i: invitations.role_label(i.role)),
        Column("department", label=_("Service municipal")),
        Column("state", label=_("État"), accessor=invitation_state),
        Column("invited_by", label=_("Invité par")),
        Column("expires_at", label=_("Expire le")),
        Column("send_count", label=_("Envois")),
        InvitationActionsColumn("actions", label=_("Actions")),
    ]
    filterset_class = InvitationFilterSet
    search_fields = ["email"]
    search_backend_name = None
    ordering = "-created_at"
    copy_view_enabled = False
    add_to_reference_index = False

    def get_form_class(self, for_update: bool = False) -> type[InvitationForm]:
        return InvitationForm

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return dict(super().get_common_view_kwargs(**NO_EDITING, **kwargs))

    def get_urlpatterns(self) -> list[URLPattern]:
        # Invitations are sent, resent and revoked; never edited or deleted.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("<int:pk>/renvoyer/", team_views.invitation_resend, name="resend"),
            path("<int:pk>/revoquer/", team_views.invitation_revoke, name="revoke"),
        ]

    def register_admin_url_finder(self) -> None:
        pass  # no edit page


# Departments


class DepartmentIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet[Department]:
        return Department.objects.prefetch_related("managers", "members")


class DepartmentCreateView(generic.CreateView):
    def save_instance(self) -> Department:
        data = self.form.cleaned_data
        return create_department(
            actor=self.request.user,
            name=data["name"],
            managers=data["managers"],
            members=data["members"],
        )


class DepartmentEditView(generic.EditView):
    def save_instance(self) -> Department:
        data = self.form.cleaned_data
        return update_department(
            actor=self.request.user,
            department=self.object,
            name=data["name"],
            managers=data["managers"],
            members=data["members"],
        )


def _names(users: QuerySet[User]) -> str:
    return ", ".join(str(user) for user in users.all())


class DepartmentViewSet(RefusesWithTheStaffPage, ModelViewSet):
    model = Department
    name = "team_departments"
    url_prefix = "equipe/services"
    icon = "group"
    menu_label = _("Services municipaux")
    index_view_class = DepartmentIndexView
    add_view_class = DepartmentCreateView
    edit_view_class = DepartmentEditView
    list_display = [
        "name",
        Column("managers", label=_("Gestionnaires"), accessor=lambda d: _names(d.managers)),
        Column("members", label=_("Membres"), accessor=lambda d: _names(d.members)),
    ]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False
    add_to_reference_index = False

    def get_form_class(self, for_update: bool = False) -> type[DepartmentForm]:
        return DepartmentForm

    def get_urlpatterns(self) -> list[URLPattern]:
        # A department is never deleted here: invitations and, later, projects belong to it.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("edit/<int:pk>/", self.edit_view, name="edit"),
        ]

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return dict(
            super().get_common_view_kwargs(
                delete_url_name=None, history_url_name=None, usage_url_name=None, **kwargs
            )
        )


# Organisations


class OrganisationFilterSet(WagtailFilterSet):
    verified = django_filters.ChoiceFilter(
        label=_("Vérification"),
        choices=[("yes", _("Vérifiées")), ("no", _("Non vérifiées"))],
        method="filter_verified",
    )

    class Meta:
        model = Organisation
        fields = ["kind"]

    def filter_verified(
        self, queryset: QuerySet[Organisation], name: str, value: str
    ) -> QuerySet[Organisation]:
        return queryset.filter(verified_at__isnull=(value != "yes"))


class OrganisationInspectView(generic.InspectView):
    def get_members_display_value(self) -> str:
        # Staff verifying a profile contact its representatives: their addresses are shown.
        return ", ".join(f"{user} <{user.email}>" for user in self.object.members.all()) or "-"


def organisation_verification(organisation: Organisation) -> str:
    return str(_("Vérifiée") if organisation.is_verified else _("Non vérifiée"))


class OrganisationViewSet(ReadOnlyModelViewSet):
    model = Organisation
    name = "team_organisations"
    url_prefix = "equipe/organisations"
    icon = "home"
    menu_label = _("Organisations")
    list_display = [
        "name",
        "kind",
        Column("verification", label=_("Vérification"), accessor=organisation_verification),
        DateColumn("created_at", label=_("Créée le")),
        OrganisationActionsColumn("actions", label=_("Actions")),
    ]
    filterset_class = OrganisationFilterSet
    search_fields = ["name", "website"]
    search_backend_name = None
    ordering = "name"
    inspect_view_enabled = True
    inspect_view_class = OrganisationInspectView
    inspect_view_fields = [
        "name",
        "kind",
        "description",
        "website",
        "members",
        "created_by",
        "created_at",
        "verified_at",
        "verified_by",
    ]

    def get_urlpatterns(self) -> list[URLPattern]:
        # Residents edit their organisation's profile; the city lists and verifies it.
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/verifier/", team_views.organisation_verify, name="verify"),
        ]

    def register_admin_url_finder(self) -> None:
        pass  # no edit page


class TeamViewSetGroup(ViewSetGroup):
    menu_label = _("Équipe")
    menu_icon = "group"
    menu_order = 250
    items = (InvitationViewSet, DepartmentViewSet, OrganisationViewSet)


def team_viewsets() -> ViewSetGroup:
    return TeamViewSetGroup()


hooks.register("register_admin_viewset", team_viewsets)


# Users (Wagtail's screens, /gestion/users/): the form writes the account's fields, the
# service its access (apps.py points Wagtail at this viewset).


class UserCreateView(wagtail_users.CreateView):
    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self) -> User:
        form: AgoraUserCreationForm = self.form
        return services.change_access(
            actor=self.request.user, user=form.save(commit=False), **form.access()
        )


class UserEditView(wagtail_users.EditView):
    def get_object(self, queryset: Any = None) -> User:
        user: User = super().get_object(queryset)
        services.check_may_change_account(self.request.user, user)
        return user

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self) -> User:
        form: AgoraUserEditForm = self.form
        user: User = form.save()
        return services.change_access(actor=self.request.user, user=user, **form.access())


class UserDeleteView(wagtail_users.DeleteView):
    def get_object(self, queryset: Any = None) -> User:
        user: User = super().get_object(queryset)
        services.check_may_change_account(self.request.user, user)
        return user


class AgoraUserViewSet(RefusesWithTheStaffPage, wagtail_users.UserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update: bool = False) -> type[forms.Form]:
        return AgoraUserEditForm if for_update else AgoraUserCreationForm


class AuditedAssignRoleBulkAction(AssignRoleBulkAction):
    """Wagtail's "Assign role" on the list of users, one audited change per person."""

    def get_execution_context(self) -> dict[str, Any]:
        return {**super().get_execution_context(), "actor": self.request.user}

    @classmethod
    def execute_action(
        cls, objects: list[User], role: Any = None, actor: Any = None, **kwargs: Any
    ) -> tuple[int, int] | None:
        if role is None:
            return None
        for user in objects:
            services.change_access(actor=actor, user=user, groups=[*user.groups.all(), role])
        return len(objects), 0


# Registered after Wagtail's own (order 1): the same action type, so this one replaces it.
hooks.register("register_bulk_action", AuditedAssignRoleBulkAction, order=1)
