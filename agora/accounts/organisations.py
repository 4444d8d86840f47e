"""Organisation profiles: a resident creates the profile of an association, a neighbourhood
committee or a business they represent; an administrator verifies it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts import audit_actions
from agora.accounts.models import Organisation, User
from agora.core import audit

# A change of these fields makes a verified profile unverified again: the city vouched for
# an organisation under this name and this address on the web.
IDENTITY_FIELDS = ("name", "website")


def organisations_of(user: User) -> QuerySet[Organisation]:
    """The organisations `user` represents."""
    return Organisation.objects.filter(members=user)


@transaction.atomic
def create_organisation(
    *, user: User, name: str, kind: str, description: str = "", website: str = ""
) -> Organisation:
    """The resident who creates the profile becomes its first representative."""
    if not user.has_perm("accounts.create_organisation"):
        raise PermissionDenied(_("Connectez-vous pour créer le profil d'une organisation."))
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        website=website.strip(),
        created_by=user,
    )
    organisation.full_clean()
    organisation.save()
    organisation.members.add(user)
    return organisation


@transaction.atomic
def update_organisation(
    *,
    user: User,
    organisation: Organisation,
    name: str,
    kind: str,
    description: str = "",
    website: str = "",
) -> Organisation:
    if not user.has_perm("accounts.act_for_organisation", organisation):
        raise PermissionDenied(_("Vous ne représentez pas cette organisation."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {field: getattr(organisation, field) for field in IDENTITY_FIELDS}
    organisation.name = name.strip()
    organisation.kind = kind
    organisation.description = description.strip()
    organisation.website = website.strip()
    # Its creator may have deleted their account since (created_by is then empty).
    organisation.full_clean(exclude=["created_by"])
    fields = ["name", "kind", "description", "website"]
    identity_changed = any(getattr(organisation, f) != before[f] for f in IDENTITY_FIELDS)
    if organisation.is_verified and identity_changed:
        organisation.verified_at = None
        organisation.verified_by = None
        fields += ["verified_at", "verified_by"]
    organisation.save(update_fields=fields)
    return organisation


@transaction.atomic
def verify_organisation(*, actor: User, organisation: Organisation) -> Organisation:
    """The city vouches that the profile is the organisation it names."""
    if not actor.has_perm("accounts.verify_organisation"):
        raise PermissionDenied(_("Seul un administrateur peut vérifier une organisation."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_verified:
        raise ValidationError(_("Cette organisation est déjà vérifiée."), code="already_verified")
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor
    organisation.save(update_fields=["verified_at", "verified_by"])
    audit.record(
        actor=actor,
        action=audit_actions.ORGANISATION_VERIFIED,
        target=organisation,
        details={"name": organisation.name, "kind": organisation.kind},
    )
    return organisation
