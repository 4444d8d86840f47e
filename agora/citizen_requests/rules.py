"""Who may do what with citizen requests (docs/roles.md)."""

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from agora.accounts.rules import (
    is_administrator,
    is_clerk,
    is_department_manager,
    is_elected_official,
    manages_department,
)


@predicate
def manages_requests_department(user: Any, request: Any) -> bool:
    """The request belongs to a department the person manages."""
    return request is not None and bool(manages_department(user, request.department))


# The catalogue of request services, its themes and the municipality's boundary.
add_perm("citizen_requests.manage_services", is_administrator)
# The desk: the queue shows a department manager their departments' requests only.
add_perm("citizen_requests.view_desk", is_administrator | is_clerk | is_department_manager)
add_perm(
    "citizen_requests.handle_request",
    is_administrator | is_clerk | (is_department_manager & manages_requests_department),
)
add_perm("citizen_requests.manage_reply_templates", is_administrator | is_clerk)
add_perm("citizen_requests.manage_open311_keys", is_administrator)
add_perm(
    "citizen_requests.view_indicators_dashboard",
    is_administrator | is_clerk | is_department_manager | is_elected_official,
)
