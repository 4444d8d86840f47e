"""The actions surveys write to the audit log (agora/core/audit.py). The values are stored:
never change one, add a new name instead. A "changed" or "moved" entry holds the old and new
value of each field that changed (`details["changes"]`), a "deleted" one what was deleted."""

from typing import Final

SURVEY_CREATED: Final = "survey.created"
SURVEY_SETTINGS_CHANGED: Final = "survey.settings_changed"
SURVEY_SECTION_ADDED: Final = "survey.section_added"
SURVEY_SECTION_CHANGED: Final = "survey.section_changed"
SURVEY_SECTION_MOVED: Final = "survey.section_moved"
SURVEY_SECTION_DELETED: Final = "survey.section_deleted"
SURVEY_QUESTION_ADDED: Final = "survey.question_added"
SURVEY_QUESTION_CHANGED: Final = "survey.question_changed"
SURVEY_QUESTION_MOVED: Final = "survey.question_moved"
SURVEY_QUESTION_DELETED: Final = "survey.question_deleted"
SURVEY_PUBLISHED: Final = "survey.published"
SURVEY_UNPUBLISHED: Final = "survey.unpublished"
SURVEY_CLOSED: Final = "survey.closed"
SURVEY_EXCERPT_PUBLISHED: Final = "survey.excerpt_published"
SURVEY_EXCERPT_CHANGED: Final = "survey.excerpt_changed"
SURVEY_EXCERPT_REMOVED: Final = "survey.excerpt_removed"
SURVEY_RAW_RESPONSES_EXPORTED: Final = "survey.raw_responses_exported"
SURVEY_SUBMITTED: Final = "survey.submitted_for_approval"
SURVEY_APPROVED: Final = "survey.approved"
SURVEY_CHANGES_REQUESTED: Final = "survey.changes_requested"
