"""Major projects: the "Participer" index, project pages with their phases and updates, the
accountability report, moderators and followers. The anonymous participant behind every
contribution, the audience of a phase's component and the themes are core's
(`agora.core.models`, `agora.core.audience`): every module uses them.

A project page exists once per language (French source, English translation). Everything
residents contribute belongs to the project whatever the language it was read in: it points
to the *source* page (`ProjectPage.source`), and a phase is found in any language by its
`translation_key`.
"""

# The first migrations of participation and of the idea box name this function, core's, as
# the default of a subscription's token: a migration already run is never edited.
from agora.core.models import new_token  # noqa: F401

# A model of its own module: the approval step of the projects' publication workflow.
from agora.participation.approval import ProjectApprovalTask
from agora.participation.models.choices import (
    ParticipationLevel,
    ParticipationMethod,
    ProjectStatus,
)
from agora.participation.models.followers import ProjectFollower, ProjectFollowerQuerySet
from agora.participation.models.moderators import ProjectModerator
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

__all__ = [
    "PROJECTS_PER_PAGE",
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
    "active_projects_q",
    "missing_framework_fields",
]
