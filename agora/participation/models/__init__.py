"""Major projects: the "Participer" index, project pages with their phases and updates, the
accountability report, moderators, followers and the anonymous participant.

A project page exists once per language (French source, English translation). Everything
residents contribute belongs to the project whatever the language it was read in: it points
to the *source* page (`ProjectPage.source`), and a phase is found in any language by its
`translation_key`.
"""

# A model of its own module: the approval step of the projects' publication workflow.
from agora.participation.approval import ProjectApprovalTask
from agora.participation.models.choices import (
    Audience,
    ParticipationLevel,
    ParticipationMethod,
    ProjectStatus,
)
from agora.participation.models.followers import ProjectFollower, ProjectFollowerQuerySet
from agora.participation.models.moderators import ProjectModerator
from agora.participation.models.participants import EmailSubscription, Participant, new_token
from agora.participation.models.phases import Phase
from agora.participation.models.projects import (
    PROJECTS_PER_PAGE,
    ProjectIndexPage,
    ProjectPage,
    ProjectPageForm,
    ProjectUpdate,
    SubpagesMixin,
    active_projects_q,
    missing_framework_fields,
)
from agora.participation.models.themes import Theme

__all__ = [
    "PROJECTS_PER_PAGE",
    "Audience",
    "EmailSubscription",
    "Participant",
    "ParticipationLevel",
    "ParticipationMethod",
    "Phase",
    "ProjectApprovalTask",
    "ProjectFollower",
    "ProjectFollowerQuerySet",
    "ProjectIndexPage",
    "ProjectModerator",
    "ProjectPage",
    "ProjectPageForm",
    "ProjectStatus",
    "ProjectUpdate",
    "SubpagesMixin",
    "Theme",
    "active_projects_q",
    "missing_framework_fields",
    "new_token",
]
