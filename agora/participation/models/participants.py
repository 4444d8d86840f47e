"""The anonymous participant, and the e-mail subscriptions residents verify by a link."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Participant(models.Model):
    """Someone taking part, known to Agora only by a random id kept in a signed, HttpOnly
    cookie (or linked to their account). No IP address, no name unless they give one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participant",
    )
    # Given by a participant who wants to hear back or whose component asks for it.
    email = models.EmailField(_("adresse courriel"), blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, default="fr")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return str(_("Participant anonyme"))

    @property
    def has_verified_email(self) -> bool:
        if self.user_id is not None and self.user is not None:
            return True
        return bool(self.email) and self.email_verified_at is not None

    @property
    def reachable_email(self) -> str:
        """Where this participant can be told about their contribution, if anywhere."""
        if self.user is not None and self.user.deleted_at is None:
            return self.user.email
        if self.email and self.email_verified_at is not None:
            return self.email
        return ""


class EmailSubscription(models.Model):
    """An e-mail address that asked to hear about something, verified by a link, with a
    one-click unsubscribe token in every message."""

    email = models.EmailField(_("adresse courriel"))
    language = models.CharField(_("langue"), max_length=8, default="fr")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.verified_at is not None and self.unsubscribed_at is None
