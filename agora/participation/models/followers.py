"""Residents who follow a project by e-mail, without an account."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from agora.core.models import EmailSubscription
from agora.participation.models.projects import ProjectPage


class ProjectFollowerQuerySet(models.QuerySet["ProjectFollower"]):
    def active(self) -> ProjectFollowerQuerySet:
        return self.filter(verified_at__isnull=False, unsubscribed_at__isnull=True)


class ProjectFollower(EmailSubscription):
    """Follows a project without an account: gets a digest of updates, new phases and the
    feedback report."""

    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="followers")
    last_digest_at = models.DateTimeField(null=True, blank=True)

    objects = ProjectFollowerQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonné au projet")
        verbose_name_plural = _("abonnés au projet")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "email"], name="one_follow_per_project_and_email"
            )
        ]

    def __str__(self) -> str:
        return str(_("Abonné"))
