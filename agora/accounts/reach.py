"""A member of the team's reach: which departments they manage, which projects they moderate,
and whether they run or read everything. Every staff list of /gestion/ (projects, surveys,
moderation queues, the choices of a form) starts from it, through the domain methods of each
app's QuerySet (`ProjectPage.objects.within_reach(reach)`, `Survey.objects.within_reach(reach)`,
`Department.objects.within_reach(reach)`…), so that a list shows exactly what rules.py allows.

The reach holds ids and flags only: accounts knows no module above it. A role's scope counts
only with its role, as in rules.py: a person who manages a department without the department
manager role reaches none of it. Computed with at most three queries (the person's roles, the
departments they manage, the projects they moderate) and kept on the user object, which lives
for one request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agora.accounts.rules import (
    is_administrator,
    is_department_manager,
    is_elected_official,
    is_project_moderator,
)

_MEMO_ATTRIBUTE = "_agora_staff_reach"


@dataclass(frozen=True)
class StaffReach:
    """What part of the city's work one person reaches in /gestion/."""

    user_id: int | None = None
    # Platform administrators run everything.
    is_admin: bool = False
    # Elected officials read every dashboard and every survey's results, and change nothing.
    is_elected_official: bool = False
    # The departments the person manages, with the department manager role.
    department_ids: frozenset[int] = field(default_factory=frozenset)
    # The projects (their French source pages) the person moderates, with the moderator role.
    moderated_project_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def reads_everything(self) -> bool:
        """Every project's dashboard and every survey's results."""
        return self.is_admin or self.is_elected_official

    @property
    def reaches_anything(self) -> bool:
        return self.reads_everything or bool(self.department_ids or self.moderated_project_ids)


NO_REACH = StaffReach()


def staff_reach(user: Any) -> StaffReach:
    """The reach of `user` (a resident, an anonymous visitor or an inactive account reaches
    nothing), computed once per user object."""
    memo: StaffReach | None = getattr(user, _MEMO_ATTRIBUTE, None)
    if memo is not None:
        return memo
    reach = _computed_reach(user)
    if getattr(user, "pk", None):
        setattr(user, _MEMO_ATTRIBUTE, reach)
    return reach


def forget_staff_reach(user: Any) -> None:
    """Drops the memo, for code that changes a person's roles and reads their lists again
    with the same user object."""
    if hasattr(user, _MEMO_ATTRIBUTE):
        delattr(user, _MEMO_ATTRIBUTE)


def _computed_reach(user: Any) -> StaffReach:
    if not getattr(user, "pk", None) or not getattr(user, "is_active", False):
        return NO_REACH
    # The role predicates share one query for the person's groups.
    if is_administrator(user):
        return StaffReach(user_id=user.pk, is_admin=True)
    department_ids: frozenset[int] = frozenset()
    project_ids: frozenset[int] = frozenset()
    if is_department_manager(user):
        department_ids = frozenset(user.managed_departments.values_list("pk", flat=True))
    if is_project_moderator(user):
        # The assignments of participation, read through the user's reverse relation so
        # that accounts imports no module above it.
        project_ids = frozenset(user.moderated_projects.values_list("project_id", flat=True))
    return StaffReach(
        user_id=user.pk,
        is_elected_official=bool(is_elected_official(user)),
        department_ids=department_ids,
        moderated_project_ids=project_ids,
    )
