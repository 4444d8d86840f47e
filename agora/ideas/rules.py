"""Who may do what with ideas, beyond the project permissions of participation/rules.py (which
decide moderation: `participation.moderate_project`). One line per permission; the object is
the idea's project page."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from agora.accounts.reach import staff_reach
from agora.accounts.rules import is_administrator
from agora.participation.rules import is_project_team


@predicate
def moderates_a_project(user: Any) -> bool:
    """Assigned to at least one project, with the project moderator role."""
    return bool(staff_reach(user).moderated_project_ids)


# The city's official answer to an idea speaks for the project's team.
add_perm("ideas.answer_idea", is_administrator | is_project_team)
# The "Modération" menu: the list of the projects one moderates (each queue then asks
# `participation.moderate_project` about its project).
add_perm("ideas.list_moderation_queues", is_administrator | moderates_a_project)
