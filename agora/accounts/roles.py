"""The roles of the city's team, each a Django group. See docs/roles.md for what each may do.

A role's scope beyond the group (the department a manager runs, the projects a moderator is
assigned to) lives in the data and is checked by the predicates of `agora/accounts/rules.py`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrateur de la plateforme")
    DEPARTMENT_MANAGER = "department_manager", _("Gestionnaire de service")
    PROJECT_MODERATOR = "project_moderator", _("Modérateur de projet")
    COMMUNICATIONS = "communications", _("Communications")
    CLERK = "clerk", _("Préposé aux services aux citoyens")
    ELECTED_OFFICIAL = "elected_official", _("Élu")


# Group names as staff see them in /gestion/ (French: the city's working language).
GROUP_NAMES: dict[Role, str] = {
    Role.ADMINISTRATOR: "Administrateurs de la plateforme",
    Role.DEPARTMENT_MANAGER: "Gestionnaires de service",
    Role.PROJECT_MODERATOR: "Modérateurs de projet",
    Role.COMMUNICATIONS: "Communications",
    Role.CLERK: "Préposés aux services aux citoyens",
    Role.ELECTED_OFFICIAL: "Élus",
}

# Roles whose invitation names a department.
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_MANAGER, Role.PROJECT_MODERATOR})
