"""The actions participation writes to the audit log (agora/core/audit.py). The values are
stored: never change one, add a new name instead."""

from typing import Final

PROJECT_ARCHIVED: Final = "project.archived"
PROJECT_UNARCHIVED: Final = "project.unarchived"
PROJECT_ACCOUNTABILITY_PUBLISHED: Final = "project.accountability_published"
PROJECT_CONTRIBUTIONS_EXPORTED: Final = "project.contributions_exported"
PROJECT_MODERATOR_ASSIGNED: Final = "project.moderator_assigned"
PROJECT_MODERATOR_REMOVED: Final = "project.moderator_removed"
PROJECT_UPDATE_PUBLISHED: Final = "project.update_published"
PROJECT_UPDATE_SUBMITTED: Final = "project.update_submitted"
