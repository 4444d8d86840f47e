"""The "Sondages" workflow screens of /gestion/, by family: creating a survey and its settings,
publishing and closing it (surveys.py), a survey's structure (structure.py), its results for
the team (results.py). admin_urls.py names their addresses; the list of surveys is a Wagtail
listing (admin_viewsets.py).

Wagtail serves these addresses behind its back-office access check (the listing's viewset); each
view then finds the survey and checks its permission of rules.py (common.py), and a refusal
is `PermissionDenied`, rendered by the staff area's one 403 page. The writes are the services
of builder_services.py and building.py, which keep the survey within its author's reach and
its integrity once it has responses.
"""

from agora.surveys.admin_views.approval import survey_review, survey_submit
from agora.surveys.admin_views.results import (
    excerpt_publish,
    excerpt_remove,
    open_answers,
    raw_export,
    survey_results,
)
from agora.surveys.admin_views.structure import (
    question_add,
    question_delete,
    question_edit,
    question_kind,
    question_move,
    section_delete,
    section_form,
    section_move,
)
from agora.surveys.admin_views.surveys import (
    survey_add,
    survey_build,
    survey_close,
    survey_publish,
    survey_settings,
    survey_unpublish,
)

__all__ = [
    "excerpt_publish",
    "excerpt_remove",
    "open_answers",
    "question_add",
    "question_delete",
    "question_edit",
    "question_kind",
    "question_move",
    "raw_export",
    "section_delete",
    "section_form",
    "section_move",
    "survey_add",
    "survey_build",
    "survey_close",
    "survey_publish",
    "survey_results",
    "survey_review",
    "survey_settings",
    "survey_submit",
    "survey_unpublish",
]
