"""The choices a project and its phases are described with."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipationLevel(models.TextChoices):
    """The IAP2 spectrum of public participation: what the city promises residents."""

    INFORM = "inform", _("Informer")
    CONSULT = "consult", _("Consulter")
    INVOLVE = "involve", _("Impliquer")
    COLLABORATE = "collaborate", _("Collaborer")
    EMPOWER = "empower", _("Habiliter")


class ParticipationMethod(models.TextChoices):
    """The method of a phase without a component. Components add their own methods
    (`agora.participation.components`): a phase's method is one of `method_choices()`."""

    INFORMATION = "information", _("Information")


class ProjectStatus(models.TextChoices):
    """Where a published project stands for residents (drafts are never listed)."""

    UPCOMING = "upcoming", _("À venir")
    IN_PROGRESS = "in_progress", _("En cours")
    FINISHED = "finished", _("Participation terminée")
    ARCHIVED = "archived", _("Archivé")
