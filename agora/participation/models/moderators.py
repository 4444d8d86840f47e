"""The moderators assigned to a project."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.participation.models.projects import ProjectPage


class ProjectModerator(models.Model):
    """A moderator assigned to a project (its source page): they edit it and moderate its
    contributions, and nothing else."""

    project = models.ForeignKey(
        ProjectPage, on_delete=models.CASCADE, related_name="moderator_assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderated_projects"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("modérateur du projet")
        verbose_name_plural = _("modérateurs du projet")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_assignment_per_moderator")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.project}"
