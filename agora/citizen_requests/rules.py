"""Who may do what with citizen requests (docs/roles.md)."""

from rules.permissions import add_perm

from agora.accounts.rules import is_administrator

# The catalogue of request services, its themes and the municipality's boundary.
add_perm("citizen_requests.manage_services", is_administrator)
