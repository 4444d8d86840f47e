"""What the idea box holds about a person, for the personal-data registry (Loi 25): their
ideas and comments, their reactions and flags, the ideas they follow by e-mail, and, for a
member of staff, their moderation decisions and the city's answers they gave.

When the person deletes their account, their ideas and comments stay where they are (a
discussion keeps its meaning) but lose the name they were signed with: they show "Ancien
participant". Their follows end. Reactions and flags stay counted; the participant they
point to no longer leads to the person. A moderator's decisions stay in the moderation log,
linked to the emptied account: the log is the city's evidence of how it moderated.
"""

from __future__ import annotations

from typing import Any

from agora.core.page_cache import bump_scope
from agora.core.participants import participants_of
from agora.core.personal_data import DataSubject, register_personal_data
from agora.ideas.models import (
    Comment,
    Flag,
    Idea,
    IdeaFollower,
    ModerationEvent,
    Reaction,
    StatusChange,
)


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _idea(idea: Idea) -> dict[str, Any]:
    return {
        "project": idea.project.title,
        "title": idea.title,
        "description": idea.description,
        "language": idea.language,
        "signed": idea.author_name,
        "organisation": idea.organisation.name if idea.organisation else None,
        "theme": idea.theme.name if idea.theme else None,
        "place": idea.location_name,
        "latitude": str(idea.latitude) if idea.latitude is not None else None,
        "longitude": str(idea.longitude) if idea.longitude is not None else None,
        "image": idea.image.name if idea.image else None,
        "image_description": idea.image_description,
        "published_at": _iso(idea.created_at),
        "visibility": idea.visibility,
        "status": idea.status,
    }


def _comment(comment: Comment) -> dict[str, Any]:
    return {
        "idea": comment.idea.title,
        "comment": comment.body,
        "language": comment.language,
        "reply": comment.parent_id is not None,
        "signed": comment.author_name,
        "organisation": comment.organisation.name if comment.organisation else None,
        "published_at": _iso(comment.created_at),
        "visibility": comment.visibility,
    }


def _flag(flag: Flag) -> dict[str, Any]:
    comment = flag.comment
    idea = flag.idea or (comment.idea if comment is not None else None)
    return {
        "idea": idea.title if idea is not None else None,
        "comment": comment.body if comment is not None else None,
        "reason": flag.reason,
        "at": _iso(flag.created_at),
    }


def export_ideas(subject: DataSubject) -> dict[str, Any]:
    participants = participants_of(subject)
    ideas = (
        Idea.objects.filter(author__in=participants)
        .select_related("project", "organisation", "theme")
        .order_by("created_at", "pk")
    )
    comments = (
        Comment.objects.filter(author__in=participants)
        .select_related("idea", "organisation")
        .order_by("created_at", "pk")
    )
    reactions = (
        Reaction.objects.filter(participant__in=participants)
        .select_related("idea")
        .order_by("created_at", "pk")
    )
    flags = (
        Flag.objects.filter(participant__in=participants)
        .select_related("idea", "comment__idea")
        .order_by("created_at", "pk")
    )
    follows = (
        IdeaFollower.objects.filter(subject.email_filter("email"))
        .select_related("idea")
        .order_by("created_at", "pk")
    )
    decisions = ModerationEvent.objects.filter(moderator_id=subject.user.pk).order_by(
        "created_at", "pk"
    )
    answers = (
        StatusChange.objects.filter(changed_by_id=subject.user.pk)
        .select_related("idea")
        .order_by("created_at", "pk")
    )
    return {
        "ideas": [_idea(idea) for idea in ideas],
        "comments": [_comment(comment) for comment in comments],
        "reactions": [
            {
                "idea": reaction.idea.title,
                "reaction": reaction.kind,
                "at": _iso(reaction.created_at),
            }
            for reaction in reactions
        ],
        "flags": [_flag(flag) for flag in flags],
        "followed_ideas": [
            {
                "idea": follow.idea.title,
                "email": follow.email,
                "language": follow.language,
                "created_at": _iso(follow.created_at),
                "verified_at": _iso(follow.verified_at),
                "unsubscribed_at": _iso(follow.unsubscribed_at),
            }
            for follow in follows
        ],
        "moderation_decisions": [
            {"action": event.action, "reason": event.reason, "at": _iso(event.created_at)}
            for event in decisions
        ],
        "city_answers": [
            {
                "idea": change.idea.title,
                "status": change.status,
                "explanation": change.explanation,
                "at": _iso(change.created_at),
            }
            for change in answers
        ],
    }


def forget_ideas(subject: DataSubject) -> None:
    participants = participants_of(subject)
    ideas = Idea.objects.filter(author__in=participants)
    comments = Comment.objects.filter(author__in=participants)
    projects = {
        *ideas.values_list("project_id", flat=True),
        *comments.values_list("idea__project_id", flat=True),
    }
    ideas.update(author_name="", by_former_participant=True)
    comments.update(author_name="", by_former_participant=True)
    IdeaFollower.objects.filter(subject.email_filter("email")).delete()
    for project_id in projects:
        # The project's cached pages show the new signature once the deletion commits.
        bump_scope(f"project:{project_id}")


def register() -> None:
    register_personal_data(
        "ideas",
        models=[Idea, Comment, Reaction, Flag, IdeaFollower, ModerationEvent, StatusChange],
        export=export_ideas,
        erase=forget_ideas,
    )
