"""The keys applications file requests through the Open311 API with (the city's call centre, a
mobile application): administrators issue and revoke them in /gestion/ (open311_admin.py),
and the API checks them (open311_views.py).

A key is 43 random characters shown once, when it is issued: only its SHA-256 is kept, so a
copy of the database files nothing, and its first 8 characters (`prefix`) tell keys apart
in the list. Issuing and revoking are written to the audit log. A revoked key stays listed,
with the requests it filed; it opens nothing any more.

Reading needs no key. Filing does, and each key files at most
`OPEN311_POSTS_PER_KEY_PER_HOUR` requests over a sliding hour (every attempt counts, refused
ones too), counted in the cache like the residents' limits (agora/core/integrity.py).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.citizen_requests import audit_actions
from agora.citizen_requests.models import Open311Key
from agora.core import integrity
from agora.core.audit import record

KEY_BYTES = 32  # 43 characters once encoded
PREFIX_LENGTH = 8
# Far above the length of a real key: a longer one is not even hashed.
MAX_KEY_LENGTH = 200
NAME_MAX_LENGTH = 120
RATE_SCOPE = "open311-key"


@dataclass(frozen=True)
class IssuedKey:
    key: Open311Key
    secret: str  # the key itself, shown once


def key_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue_key(*, actor: User, name: str) -> IssuedKey:
    """A new key for the application `name`."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": ValidationError(_("Nommez l'application qui utilisera cette clé."))}
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "name": ValidationError(
                    _("Ce nom dépasse %(limit)s caractères."),
                    code="max_length",
                    params={"limit": NAME_MAX_LENGTH},
                )
            }
        )
    secret = secrets.token_urlsafe(KEY_BYTES)
    key = Open311Key.objects.create(
        name=name, prefix=secret[:PREFIX_LENGTH], key_hash=key_digest(secret), created_by=actor
    )
    record(
        actor=actor,
        action=audit_actions.OPEN311_KEY_ISSUED,
        target=key,
        details={"name": key.name, "prefix": key.prefix},
    )
    return IssuedKey(key=key, secret=secret)


@transaction.atomic
def revoke_key(*, actor: User, key: Open311Key, now: datetime.datetime | None = None) -> Open311Key:
    """The key opens nothing from now on. Revoking a key already revoked changes nothing."""
    locked = Open311Key.objects.select_for_update().get(pk=key.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = now or timezone.now()
    locked.save(update_fields=["revoked_at"])
    record(
        actor=actor,
        action=audit_actions.OPEN311_KEY_REVOKED,
        target=locked,
        details={"name": locked.name, "prefix": locked.prefix},
    )
    return locked


def active_key(secret: str) -> Open311Key | None:
    """The key `secret` is, unless it is unknown or revoked."""
    if not secret or len(secret) > MAX_KEY_LENGTH:
        return None
    return Open311Key.objects.filter(key_hash=key_digest(secret), revoked_at__isnull=True).first()


def within_rate_limit(key: Open311Key) -> bool:
    """Counts one attempt to file with `key`; True while the key stays within its hourly
    limit."""
    count = integrity.sliding_count(RATE_SCOPE, str(key.pk), integrity.HOUR, add=1)
    return count <= settings.OPEN311_POSTS_PER_KEY_PER_HOUR


def mark_used(key: Open311Key, *, now: datetime.datetime | None = None) -> None:
    """Notes when the key last filed a request (the list shows it, to spot unused keys)."""
    key.last_used_at = now or timezone.now()
    key.save(update_fields=["last_used_at"])
