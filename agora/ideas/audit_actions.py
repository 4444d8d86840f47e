"""The actions the idea box writes to the audit log (agora/core/audit.py). The values are
stored: never change one, add a new name instead."""

from typing import Final

from agora.ideas.models import ModerationEvent

IDEA_STATUS_CHANGED: Final = "idea.status_changed"

# A moderation decision is recorded as "<idea|comment>.<ModerationEvent.Action>".
IDEA_MODERATED: Final = {action: f"idea.{action.value}" for action in ModerationEvent.Action}
COMMENT_MODERATED: Final = {action: f"comment.{action.value}" for action in ModerationEvent.Action}
