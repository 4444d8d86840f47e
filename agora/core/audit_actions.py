"""The actions core writes to the audit log (audit.py) when staff publish pages or edit the
site's settings. The values are stored: never change one, add a new name instead."""

from typing import Final

PAGE_PUBLISHED: Final = "page.published"
PAGE_PUBLISH_SCHEDULED: Final = "page.publish_scheduled"
PAGE_UNPUBLISHED: Final = "page.unpublished"
SETTINGS_EDITED: Final = "settings.edited"
SEARCH_SYNONYMS_CREATED: Final = "search_synonyms.created"
SEARCH_SYNONYMS_UPDATED: Final = "search_synonyms.updated"
SEARCH_SYNONYMS_DELETED: Final = "search_synonyms.deleted"
HELD_CONTRIBUTIONS_COUNTED: Final = "held_contributions.counted"
HELD_CONTRIBUTIONS_DISCARDED: Final = "held_contributions.discarded"
