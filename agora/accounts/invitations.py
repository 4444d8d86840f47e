"""Invitations to the city's team: invite, resend, revoke, accept.

An invitation is a link sent by e-mail that gives a role once it is accepted by the person who
received it. The link carries a random token; only its SHA-256 is stored, so a copy of the
database cannot be used to join the team. It works once, for 14 days.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from agora.accounts import audit_actions
from agora.accounts.models import Department, Invitation, User
from agora.accounts.reach import staff_reach
from agora.accounts.roles import DEPARTMENT_ROLES, GROUP_NAMES, Role
from agora.core import audit, links
from agora.core.email import enqueue_email

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

INVITATION_VALIDITY = timedelta(days=14)
INVITATION_EMAIL_TEMPLATE = "accounts/email/team_invitation"


class InvitationError(Exception):
    """Why an invitation link cannot be used, in words for the person who followed it."""

    message = _("Cette invitation ne peut pas être utilisée.")

    def __init__(self) -> None:
        super().__init__(str(self.message))


class InvitationUnknownError(InvitationError):
    message = _(
        "Ce lien d'invitation n'est pas valide. Vérifiez que vous avez copié l'adresse "
        "complète du courriel, ou demandez une nouvelle invitation."
    )


class InvitationExpiredError(InvitationError):
    message = _(
        "Cette invitation a expiré. Demandez à la personne qui vous a invité de vous "
        "l'envoyer de nouveau."
    )


class InvitationRevokedError(InvitationError):
    message = _("Cette invitation a été annulée par la Ville. Elle ne peut plus être utilisée.")


class InvitationAlreadyUsedError(InvitationError):
    message = _(
        "Cette invitation a déjà été acceptée : un lien d'invitation ne sert qu'une fois. "
        "Connectez-vous pour accéder à la gestion."
    )


class InvitationForAnotherAddressError(InvitationError):
    message = _(
        "Cette invitation a été envoyée à une autre adresse courriel que celle de votre "
        "compte. Connectez-vous avec l'adresse à laquelle vous l'avez reçue."
    )


# Reads


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_expired(invitation: Invitation) -> bool:
    return invitation.expires_at <= timezone.now()


def find_by_token(token: str) -> Invitation:
    """The invitation a link carries, whatever its state; `InvitationUnknownError` if none."""
    try:
        return Invitation.objects.select_related("department", "invited_by").get(
            token_hash=hash_token(token)
        )
    except Invitation.DoesNotExist:
        raise InvitationUnknownError from None


def check_usable(invitation: Invitation) -> None:
    """Raises the `InvitationError` that says why the link can no longer be used, if so."""
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationAlreadyUsedError
    if invitation.status == Invitation.Status.REVOKED:
        raise InvitationRevokedError
    if is_expired(invitation):
        raise InvitationExpiredError


def may_invite(user: User, role: str, department: Department | None) -> bool:
    """An administrator invites to any role; a department manager invites managers and
    moderators to the departments they manage (rules.py)."""
    if user.has_perm("accounts.invite_any_role"):
        return True
    return (
        role in DEPARTMENT_ROLES
        and department is not None
        and user.has_perm("accounts.invite_to_department", department)
    )


def departments_open_to(user: User) -> QuerySet[Department]:
    """The departments `user` may invite people to (`invite_to_department`): every one for
    an administrator, those they manage for a department manager."""
    return Department.objects.within_reach(staff_reach(user))


def roles_open_to(user: User) -> list[Role]:
    """The roles `user` may invite people to (somewhere)."""
    if user.has_perm("accounts.invite_any_role"):
        return list(Role)
    if departments_open_to(user).exists():
        return [role for role in Role if role in DEPARTMENT_ROLES]
    return []


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """Administrators see every invitation; department managers those of their departments."""
    invitations = Invitation.objects.select_related("department", "invited_by")
    if user.has_perm("accounts.invite_any_role"):
        return invitations.all()
    return invitations.filter(
        role__in=[role.value for role in DEPARTMENT_ROLES], department__in=departments_open_to(user)
    )


def role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


# Services


@transaction.atomic
def invite(
    *, inviter: User, email: str, role: str, department: Department | None = None
) -> Invitation:
    email = _normalised_email(email)
    role = _known_role(role)
    _check_department(role, department)
    if not may_invite(inviter, role, department):
        raise PermissionDenied(_("Vous ne pouvez pas inviter une personne à ce rôle."))
    pending = Invitation.objects.filter(
        email=email,
        role=role,
        department=department,
        status=Invitation.Status.PENDING,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise ValidationError(
            _(
                "Une invitation en attente existe déjà pour cette adresse, ce rôle et ce "
                "service. Renvoyez-la plutôt que d'en créer une nouvelle."
            ),
            code="duplicate",
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        department=department,
        token_hash=hash_token(token),
        invited_by=inviter,
        sent_at=now,
        expires_at=now + INVITATION_VALIDITY,
    )
    audit.record(
        actor=inviter,
        action=audit_actions.INVITATION_SENT,
        target=invitation,
        details=_details(invitation),
    )
    _send_invitation_email(invitation, token=token, inviter=inviter)
    return invitation


def _lock_pending(actor: User, invitation: Invitation, not_pending: "StrOrPromise") -> Invitation:
    """The invitation, locked for the change, once the actor may manage it and it is pending."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not may_invite(actor, invitation.role, invitation.department):
        raise PermissionDenied(_("Vous ne pouvez pas gérer cette invitation."))
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(not_pending, code="not_pending")
    return invitation


@transaction.atomic
def resend(*, actor: User, invitation: Invitation) -> Invitation:
    """A new link (the old one stops working) valid for another 14 days."""
    invitation = _lock_pending(
        actor, invitation, _("Seule une invitation en attente peut être renvoyée.")
    )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = hash_token(token)
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_VALIDITY
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "send_count"])
    audit.record(
        actor=actor,
        action=audit_actions.INVITATION_RESENT,
        target=invitation,
        details={**_details(invitation), "send_count": invitation.send_count},
    )
    _send_invitation_email(invitation, token=token, inviter=actor)
    return invitation


@transaction.atomic
def revoke(*, actor: User, invitation: Invitation) -> Invitation:
    invitation = _lock_pending(
        actor, invitation, _("Seule une invitation en attente peut être révoquée.")
    )
    invitation.status = Invitation.Status.REVOKED
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["status", "revoked_at"])
    audit.record(
        actor=actor,
        action=audit_actions.INVITATION_REVOKED,
        target=invitation,
        details=_details(invitation),
    )
    return invitation


@transaction.atomic
def accept(*, token: str, user: User) -> Invitation:
    """Gives `user` the invitation's role. Raises an `InvitationError` (with a message for
    them) if the link is unknown, expired, revoked, already used, or for another address."""
    try:
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("department")
            .get(token_hash=hash_token(token))
        )
    except Invitation.DoesNotExist:
        raise InvitationUnknownError from None
    check_usable(invitation)
    if user.email.lower() != invitation.email.lower():
        raise InvitationForAnotherAddressError
    group, _created = Group.objects.get_or_create(name=GROUP_NAMES[Role(invitation.role)])
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    department = invitation.department
    if department is not None and invitation.role == Role.DEPARTMENT_MANAGER:
        department.managers.add(user)
    elif department is not None and invitation.role == Role.PROJECT_MODERATOR:
        department.members.add(user)
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
    audit.record(
        actor=user,
        action=audit_actions.INVITATION_ACCEPTED,
        target=invitation,
        details=_details(invitation),
    )
    return invitation


# Helpers


def _normalised_email(email: str) -> str:
    email = email.strip().lower()
    validate_email(email)
    return email


def _known_role(role: str) -> str:
    try:
        return Role(role).value
    except ValueError:
        raise ValidationError(_("Ce rôle n'existe pas."), code="unknown_role") from None


def _check_department(role: str, department: Department | None) -> None:
    if role in DEPARTMENT_ROLES and department is None:
        raise ValidationError(
            {"department": _("Choisissez le service municipal de ce rôle.")},
            code="department_required",
        )
    if role not in DEPARTMENT_ROLES and department is not None:
        raise ValidationError(
            {
                "department": _(
                    "Seuls les gestionnaires de service et les modérateurs de projet sont "
                    "rattachés à un service : laissez ce champ vide pour ce rôle."
                )
            },
            code="department_not_applicable",
        )


def _details(invitation: Invitation) -> dict[str, str]:
    return {
        "email": invitation.email,
        "role": invitation.role,
        "department": invitation.department.name if invitation.department else "",
    }


def _absolute_link(token: str, language: str) -> str:
    with translation.override(language):
        return links.absolute(reverse("invitation_accept", kwargs={"token": token}))


def _send_invitation_email(invitation: Invitation, *, token: str, inviter: User) -> None:
    # The person invited may not have an account yet, so nobody knows their language: the
    # message is in French, then in English, each with a link to the page in its language.
    expires_at: datetime = invitation.expires_at
    enqueue_email(
        to=invitation.email,
        template=INVITATION_EMAIL_TEMPLATE,
        context={
            "inviter_name": str(inviter),
            "role": Role(invitation.role).label,
            "department": invitation.department.name if invitation.department else "",
            "municipality": links.municipality_name(),
            "link_fr": _absolute_link(token, "fr"),
            "link_en": _absolute_link(token, "en"),
            "expires_at": expires_at,
        },
        language="fr",
        # One message per sending: a resent invitation carries its new link.
        key=f"invitation:{invitation.pk}:{invitation.send_count}",
    )
