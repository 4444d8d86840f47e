"""What Wagtail's page screens let each person do with projects: rules.py decides.

The choice. Wagtail computes page rights from `GroupPagePermission` rows: a group's right on a
page holds for the page and everything under it. A moderator's right is per project, and a
project exists in two trees (French under /fr/projets/, English under /en/projects/), so rows
would need one Wagtail group per project, kept in step by every assignment, every new
translation and every deletion; and Wagtail's ownership rule (whoever holds "add" on the index
edits the pages they created) would keep a removed moderator in. Instead, two documented
extension points answer from rules.py, with nothing stored and nothing to keep in sync:

1. `Page.permissions_for_user()` returns a `PagePermissionTester`; Wagtail 8 calls it on the
   specific page everywhere it decides about one page (editor, preview, revisions, workflow
   actions, translation, publication through a workflow). `ProjectPage` and
   `ProjectIndexPage` return the testers below:
   - on a project, an administrator keeps every right the tree gives them; an assigned
     moderator (`edit_project`) gets "change" (drafts, previews, submitting for approval,
     deleting a project never published) plus the publishing rights the city chose to give the
     moderators' group in the tree (none by default: Settings → Groups → "Modérateurs de
     projet" → page permissions on "Participer"); whoever may approve the project
     (`approve_project`) may publish it, which is how an approved workflow publishes it.
     Everyone else, communications included, has no right on a project, whatever the tree
     gives them on the rest of the site.
   - on "Participer", adding a project is `create_project`; the index page itself keeps the
     tree's rights (communications edits its introduction).
2. The page permission policy answers the questions that are not about one page: may this
   person change any page at all (the preview and history screens ask), which pages does the
   explorer show, under which pages may they add one. `ProjectPagePermissionPolicy` (registered
   in wagtail_hooks.py) adds, in memory, the right rule 1 gives a moderator: "change" on every
   page of the projects assigned to them. So their explorer opens on their projects (and the
   pages above them) and nothing else.

Creating a project makes its creator its moderator (wagtail_hooks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from agora.accounts.reach import staff_reach
from agora.accounts.rules import is_administrator

# Rights on a project that the tree may add to an assigned moderator's "change".
TREE_RIGHTS_KEPT_FOR_THE_TEAM = frozenset({"publish", "lock", "unlock", "bulk_delete"})


class ProjectPermissionTester(PagePermissionTester):
    """Rights on a project page (any language), from rules.py."""

    permissions: set[str]  # Wagtail's page rights of the user here: "change", "publish", …

    def __init__(self, user: Any, page: Any) -> None:
        super().__init__(user, page)
        if not user.is_active or user.is_superuser:
            return
        tree_rights: set[str] = set(self.permissions)
        rights: set[str] = set()
        if user.has_perm("participation.edit_project", page):
            rights |= {"change"} | (tree_rights & TREE_RIGHTS_KEPT_FOR_THE_TEAM)
            if is_administrator(user):
                rights |= tree_rights
        if user.has_perm("participation.approve_project", page):
            rights.add("publish")
        # "add" is left out on purpose: Wagtail would let its holder edit the pages they own.
        rights.discard("add")
        self.permissions = rights

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        # Contributions belong to a published project: only an administrator deletes one.
        may_delete: bool = super().can_delete(ignore_bulk=ignore_bulk)
        if not may_delete or self.user.is_superuser or is_administrator(self.user):
            return may_delete
        return self.page.first_published_at is None


class ProjectIndexPermissionTester(PagePermissionTester):
    """Rights on "Participer": adding a project follows rules.py, the rest the tree."""

    permissions: set[str]

    def __init__(self, user: Any, page: Any) -> None:
        super().__init__(user, page)
        if not user.is_active or user.is_superuser:
            return
        if user.has_perm("participation.create_project"):
            self.permissions.add("add")
        else:
            self.permissions.discard("add")


@dataclass(frozen=True)
class _Codename:
    codename: str


@dataclass(frozen=True)
class GrantedPagePermission:
    """What Wagtail reads of a `GroupPagePermission` row, for a right rules.py gives."""

    page: Page
    permission: _Codename

    @property
    def page_id(self) -> int:
        return int(self.page.pk)


CHANGE = _Codename("change_page")


class ProjectPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, plus "change" on the pages of the projects assigned to a
    moderator. ("add" on "Participer" is left to the index's tester: as a row, Wagtail's
    ownership rule would let a creator removed from their project keep editing it.)"""

    def get_all_permissions_for_user(self, user: Any) -> list[Any]:
        rows = list(super().get_all_permissions_for_user(user))
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return rows
        return [*rows, *project_grants(user)]


def project_grants(user: Any) -> list[GrantedPagePermission]:
    """ "change" on every language's page of the projects assigned to `user`."""
    assigned_ids = staff_reach(user).moderated_project_ids
    if not assigned_ids:
        return []
    from agora.participation.models import ProjectPage

    assigned = ProjectPage.objects.filter(pk__in=assigned_ids).values("translation_key")
    pages = Page.objects.filter(
        content_type__app_label="participation",
        content_type__model="projectpage",
        translation_key__in=assigned,
    )
    return [GrantedPagePermission(page, CHANGE) for page in pages]
