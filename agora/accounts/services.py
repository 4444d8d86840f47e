"""What a resident does with their own account: consents, a copy of their data, deletion;
and what staff change in someone's access: their roles, staff and superuser flags.

Québec's Loi 25 gives every person the right to know what the city holds about them, to get
it in a structured format, to withdraw consent and to have their personal data destroyed.
Every module declares what it holds in the personal-data registry (`agora.core.personal_data`,
filled from each app's `personal_data.py`); the export and the deletion below go through it.
"""

import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts import access_audit, audit_actions
from agora.accounts.models import Consent, User
from agora.accounts.personal_data import DELETED_EMAIL_DOMAIN, subject_of
from agora.core import audit, personal_data


@transaction.atomic
def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything Agora holds about the person, as JSON-ready data, each module's part under
    its name. Never a secret: no password hash, no authenticator key, no recovery code."""
    return personal_data.export_personal_data(subject_of(user))


@transaction.atomic
def update_name(*, user: User, first_name: str, last_name: str) -> User:
    """Corrects the name shown with the resident's contributions."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    return user


@transaction.atomic
def grant_consent(*, user: User, purpose: Consent.Purpose) -> Consent:
    """Records the resident's consent to `purpose`; giving it again keeps the first date."""
    active = user.consents.active().filter(purpose=purpose).first()
    if active is not None:
        return active
    return Consent.objects.create(user=user, purpose=purpose, granted_at=timezone.now())


@transaction.atomic
def withdraw_consent(*, user: User, purpose: Consent.Purpose) -> int:
    """Dates the withdrawal of the resident's consent to `purpose`; returns how many consents
    were withdrawn (0 when none was given)."""
    return user.consents.active().filter(purpose=purpose).update(withdrawn_at=timezone.now())


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Destroys the person's personal data (Loi 25, art. 28.1) and closes the account.

    Every module erases or pseudonymises its part first (the person's contributions stay in
    public, signed "Ancien participant"); then the account row is emptied. The row stays so
    that what the person published keeps its place; nothing left in it identifies them.
    """
    personal_data.erase_personal_data(subject_of(user))
    user.first_name = ""
    user.last_name = ""
    user.email = f"ancien-{secrets.token_hex(12)}@{DELETED_EMAIL_DOMAIN}"
    user.set_unusable_password()
    user.last_login = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    # The deletion's own entry below says the rights went with the account: no second one.
    with access_audit.recorded_by_the_caller():
        user.save(
            update_fields=[
                "first_name",
                "last_name",
                "email",
                "password",
                "last_login",
                "is_active",
                "is_staff",
                "is_superuser",
                "deleted_at",
            ]
        )
    # Recorded after the account is emptied: the entry names "Ancien participant", no one.
    audit.record(actor=user, action=audit_actions.ACCOUNT_DELETED, target=user)


# Access: roles, staff and superuser flags ------------------------------------------------


def may_change_superuser(actor: Any) -> bool:
    """Only a superuser makes someone a superuser, or unmakes one: the flag passes every rule
    of rules.py, the administrators' included. `None` is the server's operator (a command,
    the shell), who already holds everything."""
    return actor is None or bool(actor.is_active and actor.is_superuser)


SUPERUSER_ACCOUNT_REFUSED = _(
    "Seul un superutilisateur peut modifier ou supprimer le compte d'un superutilisateur."
)


def check_may_change_account(actor: Any, user: User) -> None:
    """A superuser's account (its address, password, roles) is changed by a superuser only:
    otherwise an administrator could take it over, by its e-mail address, say."""
    if user.pk is not None and user.is_superuser and not may_change_superuser(actor):
        raise PermissionDenied(SUPERUSER_ACCOUNT_REFUSED)


def _stored_access(user: User) -> dict[str, Any]:
    if user.pk is None:
        return {"groups": [], "is_staff": False, "is_superuser": False}
    stored = User.objects.select_for_update().get(pk=user.pk)
    return {
        "groups": sorted(stored.groups.values_list("name", flat=True)),
        "is_staff": stored.is_staff,
        "is_superuser": stored.is_superuser,
    }


@transaction.atomic
def change_access(
    *,
    actor: User | None,
    user: User,
    groups: Iterable[Group] | None = None,
    is_staff: bool | None = None,
    is_superuser: bool | None = None,
) -> User:
    """Sets the roles (groups), staff flag and superuser flag of `user` (saved first when new);
    `None` leaves that part as it is. Writes one audit entry with the old and new value of
    each part that changed, none when nothing did. Refuses (PermissionDenied) to change the
    superuser flag for anyone but a superuser (`may_change_superuser`)."""
    before = _stored_access(user)
    if before["is_superuser"] and not may_change_superuser(actor):
        raise PermissionDenied(SUPERUSER_ACCOUNT_REFUSED)
    if (
        is_superuser is not None
        and is_superuser != before["is_superuser"]
        and not may_change_superuser(actor)
    ):
        raise PermissionDenied("Only a superuser grants or removes the superuser flag.")
    with access_audit.recorded_by_the_caller():
        if user.pk is None:
            user.is_staff = bool(is_staff)
            user.is_superuser = bool(is_superuser)
            user.save()
        else:
            flags = {"is_staff": is_staff, "is_superuser": is_superuser}
            changed_flags = [
                name for name, value in flags.items() if value is not None and value != before[name]
            ]
            for name in changed_flags:
                setattr(user, name, flags[name])
            if changed_flags:
                user.save(update_fields=changed_flags)
        if groups is not None:
            user.groups.set(groups)
    after = {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }
    changes = {
        name: {"before": before[name], "after": after[name]}
        for name in after
        if after[name] != before[name]
    }
    if changes:
        audit.record(
            actor=actor, action=audit_actions.USER_ACCESS_CHANGED, target=user, details=changes
        )
    return user
