"""What a resident does with their own account: consents, a copy of their data, deletion.

Québec's Loi 25 gives every person the right to know what the city holds about them, to get
it in a structured format, to withdraw consent and to have their personal data destroyed.
Later modules (ideas, surveys, requests) hold personal data too: each declares, once, in its
AppConfig.ready(), what it adds to the export and what it erases when an account is deleted:

    register_personal_data_source("ideas", ideas_of_person)
    register_deletion_hook("ideas", forget_idea_authorship)
"""

import datetime
import secrets
from collections.abc import Callable
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.users.models import UserProfile

from agora.accounts.models import Consent, Invitation, User
from agora.core import audit

type PersonalDataSource = Callable[[User], Any]
type DeletionHook = Callable[[User], None]

EXPORT_FORMAT_VERSION = 1
# RFC 2606 reserves .invalid: an address there can never receive a message.
DELETED_EMAIL_DOMAIN = "invalid.invalid"

_personal_data_sources: dict[str, PersonalDataSource] = {}
_deletion_hooks: dict[str, DeletionHook] = {}

# The parts of the export this module writes itself; a source may not take these names.
_BUILT_IN_SECTIONS = frozenset(
    {
        "format",
        "exported_at",
        "account",
        "email_addresses",
        "consents",
        "organisations",
        "second_factors",
    }
)


def register_personal_data_source(name: str, source: PersonalDataSource) -> None:
    """Adds `source(user)`, which returns JSON-serialisable data, to every export under `name`.
    Registering the same source again does nothing; another under a taken name is refused."""
    if name in _BUILT_IN_SECTIONS or _personal_data_sources.get(name, source) is not source:
        raise ValueError(f"A personal data source is already named {name!r}.")
    _personal_data_sources[name] = source


def register_deletion_hook(name: str, hook: DeletionHook) -> None:
    """Runs `hook(user)` inside the deletion's transaction, before the account is emptied
    (the hook still sees the name and address), so that the module erases what it holds.
    Registering the same hook again does nothing; another under a taken name is refused."""
    if _deletion_hooks.get(name, hook) is not hook:
        raise ValueError(f"A deletion hook is already named {name!r}.")
    _deletion_hooks[name] = hook


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


@transaction.atomic
def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything Agora holds about the person, as JSON-ready data. Never a secret: no
    password hash, no authenticator key, no recovery code."""
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "public_name": user.public_name,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "is_active": user.is_active,
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "consents": [
            {
                "purpose": consent.purpose,
                "description": str(consent.get_purpose_display()),
                "granted_at": _iso(consent.granted_at),
                "withdrawn_at": _iso(consent.withdrawn_at),
            }
            for consent in user.consents.order_by("granted_at", "pk")
        ],
        "organisations": [
            {
                "name": organisation.name,
                "kind": organisation.kind,
                "website": organisation.website,
                "verified": organisation.is_verified,
            }
            for organisation in user.organisations.order_by("name")
        ],
        "second_factors": [
            {
                "type": authenticator.type,
                "created_at": _iso(authenticator.created_at),
                "last_used_at": _iso(authenticator.last_used_at),
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
    }
    for name, source in _personal_data_sources.items():
        data[name] = source(user)
    return data


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


def _delete_sessions_of(user: User) -> None:
    """Ends the person's sessions on every device. Changing the password already invalidates
    them; deleting them also removes what they held (login state, pending codes)."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    get_model = getattr(store_class, "get_model_class", None)
    if get_model is None:  # a session engine without a table (signed cookies, cache only)
        return
    store = store_class()
    for session in get_model().objects.filter(expire_date__gt=timezone.now()).iterator():
        if store.decode(session.session_data).get("_auth_user_id") == str(user.pk):
            store_class(session_key=session.session_key).delete()


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Destroys the person's personal data (Loi 25, art. 28.1) and closes the account.

    The row stays, emptied, so that what the person published in public (ideas, comments)
    keeps its place and shows "Ancien participant"; nothing left in it identifies them.
    """
    for hook in _deletion_hooks.values():
        hook(user)
    anonymous_email = f"ancien-{secrets.token_hex(12)}@{DELETED_EMAIL_DOMAIN}"
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.consents.all().delete()
    user.organisations.clear()
    user.departments.clear()
    user.managed_departments.clear()
    user.groups.clear()
    user.user_permissions.clear()
    _delete_wagtail_profile(user)
    # The invitation the person accepted to join the team was addressed to them.
    Invitation.objects.filter(accepted_by=user).update(email=anonymous_email)

    user.first_name = ""
    user.last_name = ""
    user.email = anonymous_email
    user.set_unusable_password()
    user.last_login = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
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
    _delete_sessions_of(user)
    # Recorded after the account is emptied: the entry names "Ancien participant", no one.
    audit.record(actor=user, action="account.deleted", target=user)


def _delete_wagtail_profile(user: User) -> None:
    """Staff members have a Wagtail profile: preferred language, time zone, avatar."""
    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
