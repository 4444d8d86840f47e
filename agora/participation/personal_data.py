"""What the participation module holds about a person, for the personal-data registry
(Loi 25): the participant behind their contributions, the projects they follow by e-mail,
and the projects they moderate.

When the person deletes their account, their participant stays (their contributions point to
it and keep their place) but loses its link to the account and its address: nothing in it
says who it was any more. The components (idea box, survey) erase their part before, while
the link still leads to the person's contributions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from agora.core.personal_data import DataSubject, register_personal_data
from agora.participation.models import Participant, ProjectFollower, ProjectModerator


def participants_of(subject: DataSubject) -> QuerySet[Participant]:
    """The participants that are the person: their account's, and any that confirmed one of
    their addresses before they signed in."""
    return Participant.objects.filter(
        Q(user_id=subject.user.pk)
        | (subject.email_filter("email") & Q(email_verified_at__isnull=False))
    )


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def export_participation(subject: DataSubject) -> dict[str, Any]:
    return {
        "participants": [
            {
                "created_at": _iso(participant.created_at),
                "language": participant.language,
                "email": participant.email,
                "email_verified_at": _iso(participant.email_verified_at),
            }
            for participant in participants_of(subject).order_by("created_at")
        ],
        "followed_projects": [
            {
                "project": follower.project.title,
                "email": follower.email,
                "language": follower.language,
                "created_at": _iso(follower.created_at),
                "verified_at": _iso(follower.verified_at),
                "unsubscribed_at": _iso(follower.unsubscribed_at),
            }
            for follower in ProjectFollower.objects.filter(subject.email_filter("email"))
            .select_related("project")
            .order_by("created_at", "pk")
        ],
        "moderated_projects": [
            {"project": assignment.project.title, "assigned_at": _iso(assignment.assigned_at)}
            for assignment in ProjectModerator.objects.filter(user_id=subject.user.pk)
            .select_related("project")
            .order_by("assigned_at", "pk")
        ],
    }


def erase_participation(subject: DataSubject) -> None:
    ProjectFollower.objects.filter(subject.email_filter("email")).delete()
    ProjectModerator.objects.filter(user_id=subject.user.pk).delete()
    Participant.objects.filter(user_id=subject.user.pk).update(user=None)
    Participant.objects.filter(subject.email_filter("email")).update(
        email="", email_verified_at=None
    )


def register() -> None:
    register_personal_data(
        "participation",
        models=[Participant, ProjectFollower, ProjectModerator],
        export=export_participation,
        erase=erase_participation,
    )
