"""What residents write in the idea box: ideas, reactions, comments and flags.

Each function is one atomic write that checks, before writing anything, that the idea-box
phase is open and that the participant may take part in it (its audience: anyone, a verified
e-mail address, or an account). A refusal raises `ContributionRefusedError`, whose message the
view shows as is; nothing is written then.

Uniqueness (one reaction per idea, one flag per content and participant) is the database's
job: a second try hits a constraint inside a savepoint and becomes a polite refusal.
Counters on Idea are kept with F() expressions, so simultaneous contributions add up.
`comment_count` counts published comments (replies included).
"""

from __future__ import annotations

import datetime
import decimal
import enum
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rules import permissions as rules_permissions

from agora.accounts.models import Organisation
from agora.accounts.organisations import name_is_reserved
from agora.core import held
from agora.core.audience import AudienceGap, audience_gap
from agora.core.email import enqueue_email
from agora.core.links import absolute
from agora.core.models import HeldContribution, Participant, Theme
from agora.core.page_cache import bump_scope
from agora.ideas.email_links import idea_link, project_link
from agora.ideas.models import (
    HELD_REACTION,
    Comment,
    Flag,
    FlagReason,
    Idea,
    IdeaFollower,
    ModerationEvent,
    Reaction,
    Visibility,
)
from agora.ideas.moderation_queue import Queue
from agora.ideas.phases import IDEA_BOX, settings_of
from agora.participation.models import Phase, ProjectModerator, ProjectPage

AUTHOR_NAME_MAX_LENGTH = 60
RESERVED_AUTHOR_NAME = _(
    "Ce nom est celui d'une organisation ou d'un membre de l'équipe de la Ville : "
    "choisissez-en un autre."
)
AUTO_HIDDEN_TEMPLATE = "ideas/email/flagged_content_hidden"

# django-rules' own check, without Django's shortcut that grants a superuser every
# permission: an administrator does not speak for an organisation they do not represent.
_rule_allows = cast(Callable[..., bool], rules_permissions.has_perm)


class Refusal(enum.StrEnum):
    """Why a contribution was refused, for views that answer each case differently."""

    CLOSED = "closed"
    NEEDS_ACCOUNT = "needs_account"
    NEEDS_VERIFIED_EMAIL = "needs_verified_email"
    NOT_PUBLISHED = "not_published"
    ALREADY_REACTED = "already_reacted"
    NOT_REACTED = "not_reacted"
    DISAGREE_NOT_ALLOWED = "disagree_not_allowed"
    ALREADY_FLAGGED = "already_flagged"
    NOT_REPRESENTATIVE = "not_representative"
    INVALID = "invalid"


class ContributionRefusedError(Exception):
    """A contribution the rules do not allow; `message` tells the resident why."""

    def __init__(self, reason: Refusal, message: Any) -> None:
        super().__init__(str(message))
        self.reason = reason
        self.message = message


# Who may take part -------------------------------------------------------------------------


def open_idea_box(project: ProjectPage) -> Phase | None:
    """The project's idea-box phase open today, read on its source page."""
    phases = project.source.phases.filter(method=IDEA_BOX)
    return next((phase for phase in phases if phase.is_open()), None)


def phase_of(idea: Idea) -> Phase | None:
    """The idea-box phase the idea was proposed in (on the project's source page)."""
    phase: Phase | None = Phase.objects.filter(
        project_id=idea.project_id, translation_key=idea.phase_key
    ).first()
    return phase


def refusal_for(
    *, phase: Phase | None, user: Any, participant: Participant | None
) -> ContributionRefusedError | None:
    """Why this person may not take part in `phase` now, or None when they may.

    `user` is the signed-in account (or None); `participant` the existing participant, if
    any. Nothing is created to answer."""
    if phase is None or not phase.is_open():
        return ContributionRefusedError(
            Refusal.CLOSED,
            _("Cette étape de participation est fermée : il n'est plus possible d'y contribuer."),
        )
    return audience_refusal(phase=phase, user=user, participant=participant)


def audience_refusal(
    *, phase: Phase, user: Any, participant: Participant | None
) -> ContributionRefusedError | None:
    """Why the phase's audience (anyone, a verified e-mail address, an account) leaves this
    person out, or None when it does not."""
    gap = audience_gap(settings_of(phase).audience, user=user, participant=participant)
    if gap == AudienceGap.NEEDS_ACCOUNT:
        return ContributionRefusedError(
            Refusal.NEEDS_ACCOUNT,
            _(
                "Cette étape est réservée aux personnes qui ont un compte. "
                "Connectez-vous pour y participer."
            ),
        )
    if gap == AudienceGap.NEEDS_VERIFIED_EMAIL:
        return ContributionRefusedError(
            Refusal.NEEDS_VERIFIED_EMAIL,
            _("Pour participer à cette étape, confirmez d'abord votre adresse courriel."),
        )
    return None


def _ensure_may_take_part(phase: Phase | None, participant: Participant) -> Phase:
    refusal = refusal_for(phase=phase, user=participant.user, participant=participant)
    if refusal is not None:
        raise refusal
    assert phase is not None
    return phase


def _ensure_published(idea: Idea) -> None:
    if idea.visibility != Visibility.PUBLISHED:
        raise ContributionRefusedError(
            Refusal.NOT_PUBLISHED,
            _("Cette idée n'est pas publiée : on ne peut pas encore y réagir ni la commenter."),
        )


# What an author is shown as ----------------------------------------------------------------


def _display_name(participant: Participant, typed: str) -> str:
    """A signed-in resident's public name; otherwise what they typed, or nothing (shown as
    "Participant anonyme")."""
    if participant.user is not None:
        return participant.user.public_name[:120]
    name = " ".join(typed.split())[:AUTHOR_NAME_MAX_LENGTH]
    if name_is_reserved(name):
        # Nobody signs as an organisation or as the city's staff without being them.
        raise ContributionRefusedError(Refusal.INVALID, RESERVED_AUTHOR_NAME)
    return name


def _checked_organisation(
    participant: Participant, organisation: Organisation | None
) -> Organisation | None:
    if organisation is None:
        return None
    user = participant.user
    if user is None or not _rule_allows("accounts.act_for_organisation", user, organisation):
        raise ContributionRefusedError(
            Refusal.NOT_REPRESENTATIVE, _("Vous ne représentez pas cette organisation.")
        )
    return organisation


def _checked_language(language: str) -> str:
    """One of the site's languages ("fr", "en"), from a code such as "en" or "en-ca"."""
    code = language.split("-")[0].lower()
    if code not in dict(settings.LANGUAGES):
        raise ContributionRefusedError(
            Refusal.INVALID, _("Cette langue n'est pas une langue du site.")
        )
    return code


def _visibility_for(phase: Phase) -> Visibility:
    if settings_of(phase).pre_moderated:
        return Visibility.PENDING
    return Visibility.PUBLISHED


def _renew_public_pages(project_id: int) -> None:
    """The project's cached pages show the change once this transaction commits."""
    bump_scope(f"project:{project_id}")


# Ideas -------------------------------------------------------------------------------------


@transaction.atomic
def submit_idea(
    *,
    project: ProjectPage,
    participant: Participant,
    title: str,
    description: str,
    language: str,
    theme: Theme | None = None,
    location_name: str = "",
    latitude: decimal.Decimal | None = None,
    longitude: decimal.Decimal | None = None,
    image: File[bytes] | None = None,
    image_description: str = "",
    author_name: str = "",
    organisation: Organisation | None = None,
) -> Idea:
    """Adds an idea to the project's open idea box: published at once, or waiting for a
    moderator when the phase is pre-moderated. Its author follows it when they can be
    reached by e-mail. `language` is the one it is written in (the language of the page it
    was written on). `image` is expected re-encoded already (agora.core.images)."""
    language = _checked_language(language)
    source = project.source
    phase = _ensure_may_take_part(open_idea_box(source), participant)
    organisation = _checked_organisation(participant, organisation)
    if (latitude is None) != (longitude is None):
        raise ContributionRefusedError(
            Refusal.INVALID, _("Indiquez à la fois la latitude et la longitude du lieu.")
        )
    idea = Idea(
        project=source,
        phase_key=phase.translation_key,
        author=participant,
        author_name=_display_name(participant, author_name),
        organisation=organisation,
        title=title.strip(),
        description=description.strip(),
        language=language,
        theme=theme,
        location_name=location_name.strip(),
        latitude=latitude,
        longitude=longitude,
        image_description=image_description.strip() if image is not None else "",
        visibility=_visibility_for(phase),
    )
    if image is not None:
        idea.image = image
    idea.save()
    _follow_own_idea(idea, participant)
    if idea.visibility == Visibility.PUBLISHED:
        _renew_public_pages(source.pk)
    return idea


def _follow_own_idea(idea: Idea, participant: Participant) -> None:
    email = participant.reachable_email
    if not email:
        return
    IdeaFollower.objects.get_or_create(
        idea=idea,
        email=email.lower(),
        defaults={"language": participant.language, "verified_at": timezone.now()},
    )


# Reactions ---------------------------------------------------------------------------------


def _counter(kind: str) -> str:
    return "disagree_count" if kind == Reaction.Kind.DISAGREE else "support_count"


ALREADY_REACTED = _("Vous avez déjà réagi à cette idée.")


def _check_reaction(idea: Idea, participant: Participant, kind: str) -> None:
    phase = _ensure_may_take_part(phase_of(idea), participant)
    _ensure_published(idea)
    if kind not in Reaction.Kind.values:
        raise ContributionRefusedError(Refusal.INVALID, _("Cette réaction n'existe pas."))
    if kind == Reaction.Kind.DISAGREE and not settings_of(phase).allow_disagree:
        raise ContributionRefusedError(
            Refusal.DISAGREE_NOT_ALLOWED,
            _("Cette étape permet seulement d'appuyer les idées."),
        )
    if held.is_held(kind=HELD_REACTION, target=idea, participant=participant):
        raise ContributionRefusedError(Refusal.ALREADY_REACTED, ALREADY_REACTED)


@transaction.atomic
def react(*, idea: Idea, participant: Participant, kind: str) -> Reaction:
    """Supports the idea (or disagrees with it, where the phase allows it), once."""
    _check_reaction(idea, participant, kind)
    return _record_reaction(idea, participant, kind)


@transaction.atomic
def hold_reaction(
    *, idea: Idea, participant: Participant, kind: str, reason: str, language: str
) -> None:
    """A reaction that looked stuffed (agora/core/integrity.py): checked as `react` does,
    then held for the project's moderators instead of counted."""
    _check_reaction(idea, participant, kind)
    if Reaction.objects.filter(idea=idea, participant=participant).exists():
        raise ContributionRefusedError(Refusal.ALREADY_REACTED, ALREADY_REACTED)
    held.hold(
        kind=HELD_REACTION,
        target=idea,
        participant=participant,
        payload={"kind": kind},
        language=language,
        reason=reason,
    )


def _record_reaction(
    idea: Idea, participant: Participant, kind: str, at: datetime.datetime | None = None
) -> Reaction:
    try:
        with transaction.atomic():
            reaction = Reaction.objects.create(
                idea=idea, participant=participant, kind=kind, created_at=at or timezone.now()
            )
    except IntegrityError:
        raise ContributionRefusedError(Refusal.ALREADY_REACTED, ALREADY_REACTED) from None
    counter = _counter(kind)
    Idea.objects.filter(pk=idea.pk).update(**{counter: F(counter) + 1})
    _renew_public_pages(idea.project_id)
    return reaction


def count_held_reaction(row: HeldContribution, idea: Idea) -> None:
    """A held reaction a moderator lets count: recorded as sent, even if the phase closed
    since (it was sent while it was open)."""
    kind = str(row.payload.get("kind", ""))
    if kind not in Reaction.Kind.values:
        raise held.NotCountedError
    try:
        _record_reaction(idea, row.participant, kind, at=row.held_at)
    except ContributionRefusedError:
        raise held.NotCountedError from None


@transaction.atomic
def withdraw_reaction(*, idea: Idea, participant: Participant) -> None:
    """Takes back the participant's reaction to the idea while the phase is open."""
    phase = phase_of(idea)
    if phase is None or not phase.is_open():
        raise ContributionRefusedError(
            Refusal.CLOSED,
            _("Cette étape de participation est fermée : il n'est plus possible d'y contribuer."),
        )
    reaction = (
        Reaction.objects.select_for_update().filter(idea=idea, participant=participant).first()
    )
    if reaction is None:
        raise ContributionRefusedError(
            Refusal.NOT_REACTED, _("Vous n'aviez pas réagi à cette idée.")
        )
    reaction.delete()
    counter = _counter(reaction.kind)
    Idea.objects.filter(pk=idea.pk, **{f"{counter}__gt": 0}).update(**{counter: F(counter) - 1})
    _renew_public_pages(idea.project_id)


# Comments ----------------------------------------------------------------------------------


@transaction.atomic
def comment(
    *,
    idea: Idea,
    participant: Participant,
    body: str,
    language: str,
    parent: Comment | None = None,
    author_name: str = "",
    organisation: Organisation | None = None,
) -> Comment:
    """Comments on the idea, or replies to a comment, in `language` (the language of the
    page it was written on). Replies go one level deep: a reply to a reply joins the thread
    of its top-level comment."""
    language = _checked_language(language)
    phase = _ensure_may_take_part(phase_of(idea), participant)
    _ensure_published(idea)
    organisation = _checked_organisation(participant, organisation)
    body = body.strip()
    if not body:
        raise ContributionRefusedError(Refusal.INVALID, _("Écrivez votre commentaire."))
    if parent is not None:
        if parent.idea_id != idea.pk or parent.visibility != Visibility.PUBLISHED:
            raise ContributionRefusedError(
                Refusal.INVALID, _("Le commentaire auquel vous répondez n'est pas disponible.")
            )
        if parent.parent_id is not None:
            parent = parent.parent
    new = Comment.objects.create(
        idea=idea,
        parent=parent,
        author=participant,
        author_name=_display_name(participant, author_name),
        organisation=organisation,
        body=body,
        language=language,
        visibility=_visibility_for(phase),
    )
    if new.visibility == Visibility.PUBLISHED:
        Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
        _renew_public_pages(idea.project_id)
    return new


# Flags -------------------------------------------------------------------------------------


@transaction.atomic
def flag(
    *,
    participant: Participant,
    reason: str,
    idea: Idea | None = None,
    comment: Comment | None = None,
    counts_toward_hiding: bool = True,
) -> Flag:
    """Reports an idea or a comment, once per participant: the content joins the moderation
    queue. Once `settings.FLAGS_TO_HIDE` distinct participants flagged it within
    `settings.FLAG_WINDOW_HOURS`, counting only flags that `counts_toward_hiding` (the view
    says so only for a participant known before this request), it is hidden until a
    moderator reviews it, the moderation log says so and the project's moderators are told by
    e-mail. Content a moderator restored or kept is never hidden again by flags.

    Flagging stays possible after the phase closes: offensive content remains on the page,
    so residents must still be able to report it."""
    if (idea is None) == (comment is None):
        raise ValueError("flag() takes either an idea or a comment")
    the_idea = idea if idea is not None else cast(Comment, comment).idea
    target: Idea | Comment = idea if idea is not None else cast(Comment, comment)
    phase = phase_of(the_idea)
    if phase is not None:
        refusal = audience_refusal(phase=phase, user=participant.user, participant=participant)
        if refusal is not None:
            raise refusal
    if the_idea.visibility != Visibility.PUBLISHED or target.visibility != Visibility.PUBLISHED:
        raise ContributionRefusedError(
            Refusal.NOT_PUBLISHED,
            _("Ce contenu n'est plus affiché : la modération s'en occupe déjà."),
        )
    if reason not in FlagReason.values:
        raise ContributionRefusedError(Refusal.INVALID, _("Choisissez le motif du signalement."))
    try:
        with transaction.atomic():
            new = Flag.objects.create(
                idea=idea,
                comment=comment,
                participant=participant,
                reason=reason,
                counts_toward_hiding=counts_toward_hiding,
            )
    except IntegrityError:
        raise ContributionRefusedError(
            Refusal.ALREADY_FLAGGED,
            _("Vous avez déjà signalé ce contenu. Merci, la modération en est informée."),
        ) from None
    model = type(target)
    model.objects.filter(pk=target.pk).update(flag_count=F("flag_count") + 1)
    target.refresh_from_db(fields=["flag_count", "visibility", "kept_by_moderator_at"])
    if (
        target.kept_by_moderator_at is None
        and _flaggers_in_window(target) >= settings.FLAGS_TO_HIDE
    ):
        _hide_after_flags(target, the_idea)
    return new


def _flaggers_in_window(target: Idea | Comment) -> int:
    """The distinct participants whose unreviewed flags on `target`, sent within the last
    FLAG_WINDOW_HOURS, count toward hiding it."""
    since = timezone.now() - datetime.timedelta(hours=settings.FLAG_WINDOW_HOURS)
    flags = Flag.objects.filter(
        reviewed_at__isnull=True, counts_toward_hiding=True, created_at__gte=since
    )
    flags = (
        flags.filter(comment=target) if isinstance(target, Comment) else flags.filter(idea=target)
    )
    return flags.values("participant").distinct().count()


def _hide_after_flags(target: Idea | Comment, idea: Idea) -> None:
    model = type(target)
    hidden = model.objects.filter(pk=target.pk, visibility=Visibility.PUBLISHED).update(
        visibility=Visibility.HIDDEN
    )
    if not hidden:  # already hidden by a simultaneous flag, or by a moderator
        return
    target.visibility = Visibility.HIDDEN
    comment = target if isinstance(target, Comment) else None
    if comment is not None:
        Idea.objects.filter(pk=idea.pk, comment_count__gt=0).update(
            comment_count=F("comment_count") - 1
        )
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(
            _("Masqué automatiquement après %(count)s signalements, en attendant l'examen.")
            % {"count": target.flag_count}
        )
    event = ModerationEvent.objects.create(
        project_id=idea.project_id,
        idea=idea if comment is None else None,
        comment=comment,
        action=ModerationEvent.Action.AUTO_HIDDEN,
        reason=reason,
    )
    _tell_moderators(target, idea, event=event)
    _renew_public_pages(idea.project_id)


def _flagged_queue_link(project_id: int) -> str:
    """The project's list of flagged contributions in the back office."""
    path = reverse("ideas_moderation:queue", args=[project_id])
    return absolute(f"{path}?{urlencode({'liste': Queue.FLAGGED.value})}")


def _tell_moderators(target: Idea | Comment, idea: Idea, *, event: ModerationEvent) -> None:
    assignments = ProjectModerator.objects.filter(
        project_id=idea.project_id, user__is_active=True, user__deleted_at__isnull=True
    ).select_related("user", "project")
    queue_link = _flagged_queue_link(idea.project_id)
    # The staff back office speaks the site's main language; so does this message.
    language = settings.LANGUAGE_CODE
    for assignment in assignments:
        enqueue_email(
            to=assignment.user.email,
            template=AUTO_HIDDEN_TEMPLATE,
            context={
                "project_title": assignment.project.title,
                "project_link": project_link(assignment.project, language),
                "idea_title": idea.title,
                "idea_link": idea_link(idea, language),
                "is_comment": isinstance(target, Comment),
                "excerpt": (target.body if isinstance(target, Comment) else target.title)[:200],
                "flag_count": target.flag_count,
                "queue_link": queue_link,
            },
            language=language,
            key=f"auto-hidden:{event.pk}:{assignment.user_id}",
        )
