"""The roles of the city's team, each a Django group. See docs/roles.md for what each may do.

A role's scope beyond the group (the department a manager runs, the projects a moderator is
assigned to) lives in the data and is checked by the predicates of `agora/accounts/rules.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import Group, Permission


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrateur de la plateforme")
    DEPARTMENT_MANAGER = "department_manager", _("Gestionnaire de service")
    PROJECT_MODERATOR = "project_moderator", _("Modérateur de projet")
    COMMUNICATIONS = "communications", _("Communications")
    CLERK = "clerk", _("Préposé aux services aux citoyens")
    ELECTED_OFFICIAL = "elected_official", _("Élu")


# Group names as staff see them in /gestion/ (French: the city's working language).
GROUP_NAMES: dict[Role, str] = {
    Role.ADMINISTRATOR: "Administrateurs de la plateforme",
    Role.DEPARTMENT_MANAGER: "Gestionnaires de service",
    Role.PROJECT_MODERATOR: "Modérateurs de projet",
    Role.COMMUNICATIONS: "Communications",
    Role.CLERK: "Préposés aux services aux citoyens",
    Role.ELECTED_OFFICIAL: "Élus",
}

# Roles whose invitation names a department.
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_MANAGER, Role.PROJECT_MODERATOR})


# What each role may do in /gestion/, beyond the object-level rules of rules.py:
# Django model permissions ("app_label.codename"), page permissions on the whole page tree,
# and permissions on the image and document collections.
ACCESS_ADMIN = "wagtailadmin.access_admin"
ROLE_MODEL_PERMISSIONS: dict[Role, list[str]] = {
    Role.DEPARTMENT_MANAGER: [
        ACCESS_ADMIN,
        "accounts.view_department",
        "accounts.add_invitation",
        "accounts.view_invitation",
        "accounts.change_invitation",
    ],
    # Their rights on pages are per project: agora/participation/page_permissions.py.
    Role.PROJECT_MODERATOR: [ACCESS_ADMIN, "simple_translation.submit_translation"],
    Role.COMMUNICATIONS: [
        ACCESS_ADMIN,
        "pages.add_serviceentry",
        "pages.change_serviceentry",
        "pages.delete_serviceentry",
        "pages.view_serviceentry",
        "pages.add_servicecategory",
        "pages.change_servicecategory",
        "pages.delete_servicecategory",
        "pages.view_servicecategory",
    ],
    Role.CLERK: [ACCESS_ADMIN],
    Role.ELECTED_OFFICIAL: [ACCESS_ADMIN],
}
ROLE_PAGE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMINISTRATOR: ["add", "change", "publish", "lock", "unlock", "bulk_delete"],
    Role.COMMUNICATIONS: ["add", "change", "publish", "lock", "unlock"],
}
ROLE_COLLECTION_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMINISTRATOR: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtailimages.delete_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtaildocs.delete_document",
    ],
    Role.COMMUNICATIONS: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    Role.PROJECT_MODERATOR: [
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
    ],
}


def _permission(dotted: str) -> Permission:
    from django.contrib.auth.models import Permission

    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_role_groups() -> dict[Role, Group]:
    """Creates the group of every role with its permissions, and adds what is missing.
    Idempotent: runs after every `migrate`, so a new release's permissions reach the roles."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    groups: dict[Role, Group] = {}
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for role in Role:
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        groups[role] = group
        if role == Role.ADMINISTRATOR:
            group.permissions.add(*Permission.objects.all())
        else:
            group.permissions.add(*(_permission(p) for p in ROLE_MODEL_PERMISSIONS[role]))
        if root_page is not None:
            for permission_type in ROLE_PAGE_PERMISSIONS.get(role, []):
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=_permission(f"wagtailcore.{permission_type}_page"),
                )
        if root_collection is not None:
            for dotted in ROLE_COLLECTION_PERMISSIONS.get(role, []):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_permission(dotted)
                )
    return groups
