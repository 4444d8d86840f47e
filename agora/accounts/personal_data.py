"""What the accounts module holds about a person, for the personal-data registry (Loi 25):
the account, its addresses, consents, organisations and second factors, and what the
software Agora builds on keeps about the account (allauth's addresses, confirmations and
authenticators; Wagtail's profile, page subscriptions, editing sessions, unsaved forms and API
tokens; the sessions of every device).

The account row itself is emptied last, by `services.delete_account`, once every module has
erased its part: the modules find the person's contributions through it.
"""

from __future__ import annotations

import datetime
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from wagtail.admin.models import EditingSession, FormState
from wagtail.models import APIToken, PageSubscription
from wagtail.users.models import UserProfile

from agora.accounts.models import Consent, Department, Invitation, Organisation, User
from agora.core.personal_data import DataSubject, register_personal_data

# RFC 2606 reserves .invalid: an address there can never receive a message.
DELETED_EMAIL_DOMAIN = "invalid.invalid"


def subject_of(user: User) -> DataSubject:
    """The person behind `user`, with every address they used on the platform."""
    emails = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    emails.update(Invitation.objects.filter(accepted_by=user).values_list("email", flat=True))
    return DataSubject(
        user=user, emails=frozenset(email.strip().lower() for email in emails if email)
    )


def account_of(subject: DataSubject) -> User:
    user = subject.user
    if not isinstance(user, User):
        raise TypeError(f"Expected an Agora account, got {type(user).__name__}.")
    return user


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def export_account(subject: DataSubject) -> dict[str, Any]:
    """The account and what hangs on it. Never a secret: no password hash, no authenticator
    key, no recovery code."""
    user = account_of(subject)
    return {
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
        "departments": {
            "manager_of": list(
                user.managed_departments.order_by("name").values_list("name", flat=True)
            ),
            "member_of": list(user.departments.order_by("name").values_list("name", flat=True)),
        },
        "second_factors": [
            {
                "type": authenticator.type,
                "created_at": _iso(authenticator.created_at),
                "last_used_at": _iso(authenticator.last_used_at),
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
        "page_subscriptions": [
            {
                "page": str(subscription.page),
                "comment_notifications": subscription.comment_notifications,
            }
            for subscription in PageSubscription.objects.filter(user=user).select_related("page")
        ],
        "api_tokens": [
            {
                "name": token.name,
                "created_at": _iso(token.created),
                "last_used_at": _iso(token.last_used_at),
                "revoked_at": _iso(token.revoked_at),
            }
            for token in APIToken.objects.filter(user=user).order_by("created")
        ],
        "unsaved_forms_in_the_staff_area": [
            {"object": str(state.content_type), "saved_at": _iso(state.last_updated_at)}
            for state in FormState.objects.filter(user=user).select_related("content_type")
        ],
    }


def erase_account_links(subject: DataSubject) -> None:
    """Deletes what hangs on the account; the account row is emptied afterwards by
    `services.delete_account`."""
    user = account_of(subject)
    EmailConfirmation.objects.filter(email_address__user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.consents.all().delete()
    user.organisations.clear()
    user.departments.clear()
    user.managed_departments.clear()
    user.groups.clear()
    user.user_permissions.clear()
    _delete_wagtail_profile(user)
    PageSubscription.objects.filter(user=user).delete()
    EditingSession.objects.filter(user=user).delete()
    FormState.objects.filter(user=user).delete()
    APIToken.objects.filter(user=user).delete()
    # The invitations sent to the person (accepted, or still waiting) were addressed to them.
    erased_address = f"ancien-invitation@{DELETED_EMAIL_DOMAIN}"
    Invitation.objects.filter(accepted_by=user).update(email=erased_address)
    Invitation.objects.filter(subject.email_filter("email")).update(email=erased_address)
    _delete_sessions_of(user)


def _delete_wagtail_profile(user: User) -> None:
    """Staff members have a Wagtail profile: preferred language, time zone, avatar."""
    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()


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


def register() -> None:
    register_personal_data(
        "accounts",
        models=[
            User,
            Consent,
            Invitation,
            Organisation,
            Department,
            # What the software Agora builds on keeps about an account.
            EmailAddress,
            EmailConfirmation,
            Authenticator,
            UserProfile,
            PageSubscription,
            EditingSession,
            FormState,
            APIToken,
            Session,
        ],
        export=export_account,
        erase=erase_account_links,
    )
