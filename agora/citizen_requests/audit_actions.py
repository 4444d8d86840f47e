"""The actions the catalogue of citizen requests writes to the audit log (core/audit.py).
The values are stored: never change one, add a new name instead."""

from typing import Final

REQUEST_THEME_CREATED: Final = "request_theme.created"
REQUEST_THEME_CHANGED: Final = "request_theme.changed"
REQUEST_THEME_DELETED: Final = "request_theme.deleted"
REQUEST_SERVICE_CREATED: Final = "request_service.created"
REQUEST_SERVICE_CHANGED: Final = "request_service.changed"
REQUEST_SERVICE_DELETED: Final = "request_service.deleted"
REQUEST_QUESTION_ADDED: Final = "request_service.question_added"
REQUEST_QUESTION_CHANGED: Final = "request_service.question_changed"
REQUEST_QUESTION_DELETED: Final = "request_service.question_deleted"
REQUEST_QUESTION_MOVED: Final = "request_service.question_moved"
