"""Organisation profiles: a resident creates the profile of an association, a neighbourhood
committee or a business they represent; an administrator verifies it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts import audit_actions
from agora.accounts.models import Organisation, User
from agora.accounts.roles import GROUP_NAMES
from agora.core import audit
from agora.core.names import name_key

# A change of these fields makes a verified profile unverified again: the city vouched for
# an organisation under this name and this address on the web.
IDENTITY_FIELDS = ("name", "website")

NAME_TAKEN = _(
    "Une organisation porte déjà ce nom sur la plateforme (les majuscules, les accents et "
    "les espaces ne comptent pas) : choisissez-en un autre."
)


def organisations_of(user: User) -> QuerySet[Organisation]:
    """The organisations `user` represents."""
    return Organisation.objects.filter(members=user)


def name_is_reserved(name: str) -> bool:
    """Whether a resident who types `name` to sign a contribution would pass for someone
    else: an organisation, or a member of the city's team (staff, or holding a role), by
    full name in either order. Compared as residents read names (agora.core.names)."""
    key = name_key(name)
    if not key:
        return False
    if Organisation.objects.filter(name_key=key).exists():
        return True
    team = (
        User.objects.filter(Q(is_staff=True) | Q(groups__name__in=GROUP_NAMES.values()))
        .filter(deleted_at__isnull=True)
        .values_list("first_name", "last_name")
        .distinct()
    )
    return any(
        key in (name_key(f"{first} {last}"), name_key(f"{last} {first}")) for first, last in team
    )


def _name_taken(organisation: Organisation) -> bool:
    """Whether another organisation already has this name, as residents would read it."""
    others = Organisation.objects.exclude(pk=organisation.pk)  # every one, for a new profile
    return others.filter(name_key=name_key(organisation.name)).exists()


def _save_with_free_name(
    organisation: Organisation, *, update_fields: list[str] | None = None
) -> None:
    """Saves, or refuses a name another organisation has. The unique constraint decides
    when two requests take the same name at the same moment."""
    if _name_taken(organisation):
        raise ValidationError({"name": NAME_TAKEN}, code="name_taken")
    try:
        with transaction.atomic():
            organisation.save(update_fields=update_fields)
    except IntegrityError:
        if not _name_taken(organisation):
            raise
        raise ValidationError({"name": NAME_TAKEN}, code="name_taken") from None


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
    _save_with_free_name(organisation)
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
    _save_with_free_name(organisation, update_fields=fields)
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
