"""The actions the alerts' staff screens write to the audit log (core/audit.py). The values are
stored: never change one, add a new name instead."""

from typing import Final

ALERT_ZONE_CREATED: Final = "alert_zone.created"
ALERT_ZONE_CHANGED: Final = "alert_zone.changed"
ALERT_ZONE_DELETED: Final = "alert_zone.deleted"
ALERT_ZONES_IMPORTED: Final = "alert_zone.imported"
ALERT_TOPIC_CREATED: Final = "alert_topic.created"
ALERT_TOPIC_CHANGED: Final = "alert_topic.changed"
ALERT_TOPIC_DELETED: Final = "alert_topic.deleted"
ALERT_CREATED: Final = "alert.created"
ALERT_CHANGED: Final = "alert.changed"
ALERT_SUBMITTED: Final = "alert.submitted"
ALERT_APPROVED: Final = "alert.approved"
ALERT_SENT: Final = "alert.sent"
ALERT_SCHEDULED: Final = "alert.scheduled"
ALERT_SCHEDULE_CANCELLED: Final = "alert.schedule_cancelled"
ALERT_SENT_ON_SCHEDULE: Final = "alert.sent_on_schedule"
ALERT_FOLLOWUP_STARTED: Final = "alert.followup_started"
ALERT_TEST_SENT: Final = "alert.test_sent"
