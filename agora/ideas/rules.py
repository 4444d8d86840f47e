"""Who may do what with ideas, beyond the project permissions of participation/rules.py (which
decide moderation: `participation.moderate_project`). One line per permission; the object is
the idea's project page."""

from rules.permissions import add_perm

from agora.accounts.rules import is_administrator
from agora.participation.rules import is_project_team

# The city's official answer to an idea speaks for the project's team.
add_perm("ideas.answer_idea", is_administrator | is_project_team)
