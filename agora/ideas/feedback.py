"""The city's official answer to ideas, and the people who follow an idea to hear it.

Staff set an idea's status (reçue, à l'étude, retenue, planifiée, réalisée, non retenue) with
a public explanation; every change is kept in the idea's public history (`StatusChange`) and
sent to the idea's followers, each in their language, with a one-click unsubscribe link.

Anyone may follow an idea with an e-mail address, without an account: the address receives a
confirmation link and hears nothing else until it is confirmed. The page that asks says the
same thing whatever the address's state, so it reveals nobody's subscriptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.core import audit, links, subscriptions
from agora.core.email import enqueue_email
from agora.core.models import new_token
from agora.ideas import audit_actions, email_links
from agora.ideas.models import Idea, IdeaFollower, IdeaStatus, StatusChange, Visibility
from agora.ideas.moderation import renew_public_pages
from agora.participation.followers import project_in

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

ANSWER_IDEA = "ideas.answer_idea"
EXPLANATION_MAX_LENGTH = 3000
STATUS_EMAIL = "ideas/email/idea_status_changed"
CONFIRM_EMAIL = "ideas/email/idea_follow_confirm"
# One confirmation message per address and idea in this period, however often it is asked
# for: the form cannot be used to flood someone's inbox.
CONFIRMATION_RESEND_SECONDS = 15 * 60


class UnknownFollowLinkError(subscriptions.UnknownSubscriptionLinkError):
    """The link's token names no subscription (mistyped, or replaced by a newer one)."""


def may_answer(user: User | AnonymousUser, idea: Idea) -> bool:
    return bool(user.has_perm(ANSWER_IDEA, idea.project))


def active_followers(idea: Idea) -> QuerySet[IdeaFollower]:
    return IdeaFollower.objects.filter(
        idea=idea, verified_at__isnull=False, unsubscribed_at__isnull=True
    )


# The city's answer


@transaction.atomic
def set_status(
    *, staff: User | AnonymousUser, idea: Idea, status: str, explanation: str
) -> StatusChange:
    """Gives the city's answer to a published idea and tells its followers. An explanation is
    required for every status but "reçue": residents are owed the reason."""
    if not isinstance(staff, User) or not may_answer(staff, idea):
        raise PermissionDenied(_("Vous ne pouvez pas répondre aux idées de ce projet."))
    if status not in IdeaStatus.values:
        raise ValidationError({"status": _("Choisissez un statut de la liste.")})
    explanation = explanation.strip()
    if status != IdeaStatus.RECEIVED and not explanation:
        raise ValidationError(
            {"explanation": _("Expliquez cette réponse : elle est publiée avec l'idée.")}
        )
    if len(explanation) > EXPLANATION_MAX_LENGTH:
        raise ValidationError(
            {
                "explanation": _("L'explication ne dépasse pas %(n)d caractères.")
                % {"n": EXPLANATION_MAX_LENGTH}
            }
        )
    idea = Idea.objects.select_for_update().select_related("project").get(pk=idea.pk)
    if idea.visibility != Visibility.PUBLISHED:
        raise ValidationError(_("Seule une idée publiée reçoit une réponse de la Ville."))
    if idea.status == status and idea.status_explanation == explanation:
        raise ValidationError(_("Cette réponse est déjà publiée."))

    previous = idea.status
    now = timezone.now()
    idea.status = status
    idea.status_explanation = explanation
    idea.status_changed_at = now
    idea.save(update_fields=["status", "status_explanation", "status_changed_at"])
    change = StatusChange.objects.create(
        idea=idea, status=status, explanation=explanation, changed_by=staff, created_at=now
    )
    audit.record(
        actor=staff,
        action=audit_actions.IDEA_STATUS_CHANGED,
        target=idea,
        details={"project": idea.project_id, "from": previous, "to": status},
    )
    _author_follows(idea)
    _tell_followers(idea, change=change)
    renew_public_pages(idea.project)
    return change


def _author_follows(idea: Idea) -> None:
    """The author hears the city's answer to their own idea when they can be reached (with an
    unsubscribe link like everyone), unless they stopped following it."""
    address = idea.author.reachable_email
    if not address:
        return
    follower, created = IdeaFollower.objects.get_or_create(
        idea=idea,
        email=normalized_email(address),
        defaults={"language": idea.author.language or "fr", "verified_at": timezone.now()},
    )
    if not created and follower.verified_at is None and follower.unsubscribed_at is None:
        follower.verified_at = timezone.now()
        follower.save(update_fields=["verified_at"])


def _tell_followers(idea: Idea, *, change: StatusChange) -> None:
    """One message per active follower, in their language; what depends only on the
    language is looked up once per language."""
    municipality = links.municipality_name()
    per_language: dict[str, dict[str, str]] = {}
    for follower in active_followers(idea):
        language = follower.language
        if language not in per_language:
            per_language[language] = {
                "project_title": project_in(idea.project, language).title,
                "idea_link": email_links.idea_link(idea, language),
            }
        unsubscribe_link = email_links.unsubscribe_link(follower)
        enqueue_email(
            to=follower.email,
            template=STATUS_EMAIL,
            context={
                **per_language[language],
                "idea_title": idea.title,
                "status": change.status,
                "status_label": IdeaStatus(change.status).label,
                "explanation": change.explanation,
                "unsubscribe_link": unsubscribe_link,
                "municipality": municipality,
            },
            language=language,
            unsubscribe_url=unsubscribe_link,
            key=f"idea-status:{idea.pk}:{follower.pk}:{change.pk}",
        )


# Following an idea


def normalized_email(address: str) -> str:
    return address.strip().lower()


@transaction.atomic
def follow_idea(*, idea: Idea, email: str, language: str) -> IdeaFollower:
    """Asks `email` to confirm that it follows the idea. Asking again is harmless: an active
    subscription stays as it is (no message), a pending one gets its link again, and an
    address that had unsubscribed gets a new link (its old links stop working) and stays
    unsubscribed until it confirms."""
    follower, _created = IdeaFollower.objects.select_for_update().get_or_create(
        idea=idea, email=normalized_email(email), defaults={"language": language}
    )
    if follower.is_active:
        return follower
    if follower.verified_at is not None:  # had unsubscribed
        follower.verified_at = None
        follower.token = new_token()
    follower.language = language
    follower.save(update_fields=["verified_at", "token", "language"])
    if cache.add(f"agora:idea-follow-confirm:{follower.pk}", True, CONFIRMATION_RESEND_SECONDS):
        enqueue_email(
            to=follower.email,
            template=CONFIRM_EMAIL,
            context={
                "idea_title": idea.title,
                "project_title": project_in(idea.project, language).title,
                "idea_link": email_links.idea_link(idea, language),
                "confirm_link": email_links.follow_confirm_link(follower),
                "municipality": links.municipality_name(),
            },
            language=language,
        )
    return follower


def follower_for(token: str) -> IdeaFollower:
    follower = IdeaFollower.objects.select_related("idea").filter(token=token).first()
    if follower is None or not token:
        raise UnknownFollowLinkError
    return follower


@transaction.atomic
def confirm_follow(*, token: str) -> IdeaFollower:
    """Activates the subscription the link was sent for. Following the link again changes
    nothing."""
    return subscriptions.confirm(follower_for(token))


@transaction.atomic
def unsubscribe(*, token: str) -> IdeaFollower:
    """Stops every message about the idea to this address. Idempotent."""
    return subscriptions.end(follower_for(token))
