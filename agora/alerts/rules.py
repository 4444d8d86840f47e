"""Who may do what with the alerts (docs/roles.md): one line per permission, registered when
the app is ready (apps.py).

Zones (the areas alerts are sent to) are drawn or imported by administrators; topics (what
alerts are about, some mandatory) are managed by administrators and the communications team,
who write the alerts; the clerk, who answers residents, reads both. The communications team
reads the zones too, since the alerts it writes target them."""

from rules.permissions import set_perm

from agora.accounts.rules import is_administrator, is_clerk, is_communications

MANAGE_ZONES = "alerts.manage_zones"
VIEW_ZONES = "alerts.view_zones"
MANAGE_TOPICS = "alerts.manage_topics"
VIEW_TOPICS = "alerts.view_topics"
VIEW_REPORTS = "alerts.view_reports"
# Composing and sending alerts (composing.py): the team that writes them and the clerk, who
# answers residents and may have to warn them out of hours; approving an emergency alert
# written by someone else is for administrators and communications.
COMPOSE_ALERTS = "alerts.compose_alerts"
SEND_ALERTS = "alerts.send_alerts"
APPROVE_ALERTS = "alerts.approve_alerts"


def register() -> None:
    # set_perm, not add_perm: registering twice (a reloaded app) replaces the same rule.
    set_perm(MANAGE_ZONES, is_administrator)
    set_perm(VIEW_ZONES, is_administrator | is_communications | is_clerk)
    set_perm(MANAGE_TOPICS, is_administrator | is_communications)
    set_perm(VIEW_TOPICS, is_administrator | is_communications | is_clerk)
    set_perm(VIEW_REPORTS, is_administrator | is_communications | is_clerk)
    set_perm(COMPOSE_ALERTS, is_administrator | is_communications | is_clerk)
    set_perm(SEND_ALERTS, is_administrator | is_communications | is_clerk)
    set_perm(APPROVE_ALERTS, is_administrator | is_communications)
