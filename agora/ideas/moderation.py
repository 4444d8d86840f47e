"""Moderation of the idea box: a project's moderators approve what waits for approval, hide
what breaks the rules (with a reason shown publicly), restore what was hidden by mistake or by
residents' flags, and dismiss flags they find unfounded.

Every decision checks `participation.moderate_project` on the idea's project, writes a row of
the moderation log (`ModerationEvent`) and of the audit log, renews the project's cached
pages, and tells the author why by e-mail when they can be reached: authors elsewhere often
complain that their contribution vanished without a word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.core import audit, links, page_cache
from agora.core.email import enqueue_email
from agora.ideas import audit_actions, email_links
from agora.ideas.models import Comment, Flag, Idea, ModerationEvent, Visibility
from agora.participation.followers import project_in

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agora.participation.models import ProjectPage

Contribution = Idea | Comment

MODERATE_PROJECT = "participation.moderate_project"
REASON_MAX_LENGTH = 1000
AUTHOR_EMAILS = {
    ModerationEvent.Action.APPROVED: "ideas/email/moderation_approved",
    ModerationEvent.Action.HIDDEN: "ideas/email/moderation_hidden",
    ModerationEvent.Action.RESTORED: "ideas/email/moderation_restored",
}


def project_of(contribution: Contribution) -> ProjectPage:
    """The project (its source page) a contribution belongs to."""
    if isinstance(contribution, Comment):
        return contribution.idea.project
    return contribution.project


def may_moderate(user: User | AnonymousUser, contribution: Contribution) -> bool:
    return bool(user.has_perm(MODERATE_PROJECT, project_of(contribution)))


# The four decisions


@transaction.atomic
def approve(
    *, moderator: User | AnonymousUser, idea: Idea | None = None, comment: Comment | None = None
) -> Contribution:
    """Publishes a contribution that waited for approval (pre-moderated phases)."""
    staff, contribution = _checked(moderator, idea, comment)
    if contribution.visibility != Visibility.PENDING:
        raise ValidationError(_("Seule une contribution en attente d'approbation est approuvée."))
    _set_visibility(contribution, Visibility.PUBLISHED, reason="")
    return _decided(staff, contribution, ModerationEvent.Action.APPROVED, reason="")


@transaction.atomic
def hide(
    *,
    moderator: User | AnonymousUser,
    idea: Idea | None = None,
    comment: Comment | None = None,
    reason: str,
) -> Contribution:
    """Hides a contribution, waiting or published, or confirms that one hidden by residents'
    flags stays hidden. The reason is required: it replaces a hidden comment in its thread and
    it is what the author is told. The flags are then reviewed."""
    reason = _required_reason(reason)
    staff, contribution = _checked(moderator, idea, comment)
    _set_visibility(contribution, Visibility.HIDDEN, reason=reason)
    _review_flags(contribution)
    return _decided(staff, contribution, ModerationEvent.Action.HIDDEN, reason=reason)


@transaction.atomic
def restore(
    *,
    moderator: User | AnonymousUser,
    idea: Idea | None = None,
    comment: Comment | None = None,
    reason: str = "",
) -> Contribution:
    """Publishes again a hidden contribution; its flags are reviewed. Residents' flags never
    hide it again: new ones bring it back to the moderation queue."""
    reason = reason.strip()[:REASON_MAX_LENGTH]
    staff, contribution = _checked(moderator, idea, comment)
    if contribution.visibility != Visibility.HIDDEN:
        raise ValidationError(_("Seule une contribution masquée est rétablie."))
    _set_visibility(contribution, Visibility.PUBLISHED, reason="")
    _review_flags(contribution, kept=True)
    return _decided(staff, contribution, ModerationEvent.Action.RESTORED, reason=reason)


@transaction.atomic
def dismiss_flags(
    *, moderator: User | AnonymousUser, idea: Idea | None = None, comment: Comment | None = None
) -> Contribution:
    """Marks a visible contribution's flags as reviewed and unfounded. Residents see no
    change and the author is not written to; residents' flags never hide it afterwards, new
    ones bring it back to the queue. A contribution hidden by flags is restored (or its hiding
    confirmed) instead, so that it never stays hidden with no flag left to review."""
    staff, contribution = _checked(moderator, idea, comment)
    if contribution.visibility == Visibility.HIDDEN:
        raise ValidationError(
            _("Cette contribution est masquée : rétablissez-la ou confirmez son masquage.")
        )
    if not _unreviewed_flags(contribution).exists():
        raise ValidationError(_("Cette contribution n'a aucun signalement à examiner."))
    _review_flags(contribution, kept=True)
    return _decided(staff, contribution, ModerationEvent.Action.FLAGS_DISMISSED, reason="")


# What the decisions share


def _one_of(idea: Idea | None, comment: Comment | None) -> Contribution:
    if idea is not None and comment is None:
        return idea
    if comment is not None and idea is None:
        return comment
    raise TypeError("moderate exactly one idea or one comment")


def _checked(
    moderator: User | AnonymousUser, idea: Idea | None, comment: Comment | None
) -> tuple[User, Contribution]:
    """The moderator and the contribution, read again under a lock (a resident's flag may
    land meanwhile), once the moderator is known to moderate its project."""
    contribution = _one_of(idea, comment)
    if not isinstance(moderator, User) or not may_moderate(moderator, contribution):
        raise PermissionDenied(_("Vous ne modérez pas ce projet."))
    model = type(contribution)
    locked: Contribution = (
        model.objects.select_for_update()
        .select_related(*(("idea__project",) if model is Comment else ("project",)))
        .get(pk=contribution.pk)
    )
    return moderator, locked


def _required_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Indiquez le motif : il est affiché publiquement et envoyé à l'auteur.")}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Le motif ne dépasse pas %(n)d caractères.") % {"n": REASON_MAX_LENGTH}}
        )
    return reason


def _set_visibility(contribution: Contribution, visibility: str, *, reason: str) -> None:
    was_published = contribution.visibility == Visibility.PUBLISHED
    contribution.visibility = visibility
    contribution.moderation_reason = reason
    contribution.save(update_fields=["visibility", "moderation_reason"])
    if isinstance(contribution, Comment) and was_published != (visibility == Visibility.PUBLISHED):
        recount_comments(contribution.idea_id)


def recount_comments(idea_id: int) -> None:
    """The idea's comment counter (used to sort by "most discussed") counts the comments
    residents can read."""
    published = Comment.objects.filter(idea_id=idea_id, visibility=Visibility.PUBLISHED).count()
    Idea.objects.filter(pk=idea_id).update(comment_count=published)


def _unreviewed_flags(contribution: Contribution) -> QuerySet[Flag]:
    flags = Flag.objects.filter(reviewed_at__isnull=True)
    if isinstance(contribution, Comment):
        return flags.filter(comment=contribution)
    return flags.filter(idea=contribution)


def _review_flags(contribution: Contribution, *, kept: bool = False) -> None:
    """Marks the flags reviewed. `kept`: a moderator restored the contribution or found its
    flags unfounded, so that flags alone never hide it again (agora.ideas.services.flag)."""
    now = timezone.now()
    _unreviewed_flags(contribution).update(reviewed_at=now)
    contribution.flag_count = 0
    fields = ["flag_count"]
    if kept:
        contribution.kept_by_moderator_at = now
        fields.append("kept_by_moderator_at")
    contribution.save(update_fields=fields)


def _decided(
    moderator: User,
    contribution: Contribution,
    action: ModerationEvent.Action,
    *,
    reason: str,
) -> Contribution:
    project = project_of(contribution)
    is_comment = isinstance(contribution, Comment)
    event = ModerationEvent.objects.create(
        project=project,
        # A comment's event names its idea too, so that the log can say what it was about.
        idea=contribution.idea if isinstance(contribution, Comment) else contribution,
        comment=contribution if isinstance(contribution, Comment) else None,
        action=action,
        reason=reason,
        moderator=moderator,
    )
    audit.record(
        actor=moderator,
        action=(audit_actions.COMMENT_MODERATED if is_comment else audit_actions.IDEA_MODERATED)[
            action
        ],
        target=contribution,
        details={"project": project.pk, "reason": reason},
    )
    if action in AUTHOR_EMAILS:
        _tell_author(contribution, action=action, reason=reason, event=event)
    if action != ModerationEvent.Action.FLAGS_DISMISSED:
        renew_public_pages(project)
    return contribution


def renew_public_pages(project: ProjectPage) -> None:
    """The project's cached public pages show the change once it commits."""
    if hasattr(page_cache, "bump_scope"):
        page_cache.bump_scope(f"project:{project.pk}")


def _tell_author(
    contribution: Contribution,
    *,
    action: ModerationEvent.Action,
    reason: str,
    event: ModerationEvent,
) -> None:
    author = contribution.author
    address = author.reachable_email
    if not address:
        return
    language = author.language or "fr"
    idea = contribution.idea if isinstance(contribution, Comment) else contribution
    project = project_of(contribution)
    # A hidden idea has no page left to link to: its author is sent to the project.
    idea_visible = idea.visibility == Visibility.PUBLISHED
    enqueue_email(
        to=address,
        template=AUTHOR_EMAILS[action],
        context={
            "is_comment": isinstance(contribution, Comment),
            "idea_title": idea.title,
            "excerpt": _excerpt(contribution),
            "project_title": project_in(project, language).title,
            "reason": reason,
            "link": (
                email_links.idea_link(idea, language)
                if idea_visible
                else email_links.project_link(project, language)
            ),
            "municipality": links.municipality_name(),
        },
        language=language,
        key=f"moderation-decision:{event.pk}",
    )


def _excerpt(contribution: Contribution) -> str:
    text = contribution.body if isinstance(contribution, Comment) else contribution.title
    return text if len(text) <= 120 else f"{text[:119]}…"
