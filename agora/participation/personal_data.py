"""What the participation module holds about a person, for the personal-data registry
(Loi 25): the projects they follow by e-mail, and the projects they moderate. The
participant behind their contributions is core's (`agora.core.participants`).
"""

from __future__ import annotations

from typing import Any

from agora.core.personal_data import DataSubject, register_personal_data
from agora.participation.models import ProjectFollower, ProjectModerator


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def export_participation(subject: DataSubject) -> dict[str, Any]:
    return {
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


def register() -> None:
    register_personal_data(
        "participation",
        models=[ProjectFollower, ProjectModerator],
        export=export_participation,
        erase=erase_participation,
    )
