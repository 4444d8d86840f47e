"""The actions accounts writes to the audit log (agora/core/audit.py). The values are stored:
never change one, add a new name instead."""

from typing import Final

ACCOUNT_DELETED: Final = "account.deleted"
DEPARTMENT_CREATED: Final = "department.created"
DEPARTMENT_UPDATED: Final = "department.updated"
INVITATION_SENT: Final = "invitation.sent"
INVITATION_RESENT: Final = "invitation.resent"
INVITATION_REVOKED: Final = "invitation.revoked"
INVITATION_ACCEPTED: Final = "invitation.accepted"
ORGANISATION_VERIFIED: Final = "organisation.verified"
# A user's roles (groups), staff flag or superuser flag changed; details: each changed field's
# "before" and "after".
USER_ACCESS_CHANGED: Final = "user.access_changed"
