"""A survey's way to residents, as for a project (agora/participation/approval.py): its team
submits it, the managers of its department (its own or its project's) or an administrator
approve it, which publishes it, or ask for changes with a comment.

    draft ──submit──▶ awaiting approval ──approve──▶ published
      ▲                     │
      └──ask for changes────┘

Each transition is a service that checks first (permission of rules.py, the state it starts
from, what it needs), raising `PermissionDenied` or `SurveyReviewRefusalError` before anything
is written, then changes the survey, writes its row to the audit log and e-mails the people
concerned once the transaction commits, each in their language of /gestion/."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.users.models import UserProfile

from agora.accounts.models import Department, User
from agora.accounts.roles import GROUP_NAMES, Role
from agora.core import audit
from agora.core.email import enqueue_email
from agora.participation.models import ProjectPage
from agora.surveys import audit_actions, building
from agora.surveys.models import ReviewState, Survey

SUBMIT = "surveys.submit_survey"
APPROVE = "surveys.approve_survey"

ALREADY_AWAITING = gettext_lazy("Ce sondage attend déjà une approbation.")
ALREADY_PUBLISHED = gettext_lazy("Ce sondage est déjà publié.")
NOT_AWAITING = gettext_lazy("Ce sondage n'attend pas d'approbation.")
COMMENT_MISSING = gettext_lazy("Dites à l'équipe ce qu'il faut modifier.")


class SurveyReviewRefusalError(Exception):
    """The transition does not apply to the survey as it is; `message` says why, for staff."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


# Who approves ---------------------------------------------------------------------------


def _department_ids(survey: Survey) -> set[int]:
    """The survey's own department and its project's."""
    ids = {survey.department_id} if survey.department_id is not None else set()
    if survey.project_id is not None:
        project_department = (
            ProjectPage.objects.filter(pk=survey.project_id)
            .values_list("department_id", flat=True)
            .first()
        )
        if project_department is not None:
            ids.add(project_department)
    return ids


def approvers_of(survey: Survey) -> QuerySet[User]:
    """Who is told that the survey waits for approval, and may approve it: the active managers
    of its departments and the administrators."""
    active = User.objects.filter(is_active=True, deleted_at__isnull=True)
    return active.filter(
        Q(groups__name=GROUP_NAMES[Role.ADMINISTRATOR])
        | Q(
            groups__name=GROUP_NAMES[Role.DEPARTMENT_MANAGER],
            managed_departments__in=_department_ids(survey),
        )
    ).distinct()


def awaiting_labels(surveys: Iterable[Survey]) -> dict[int, str]:
    """ "En attente de … depuis …" for each survey waiting for approval, naming the managers of
    its departments (or the administrators when it has none): two queries, whatever the number
    of surveys (their `department` and `project` selected with them)."""
    waiting = [survey for survey in surveys if survey.is_awaiting_approval]
    if not waiting:
        return {}
    departments_of = {
        survey.pk: {
            pk
            for pk in (
                survey.department_id,
                survey.project.department_id if survey.project is not None else None,
            )
            if pk is not None
        }
        for survey in waiting
    }
    wanted = set().union(*departments_of.values())
    names: dict[int, str] = {}
    managers: dict[int, list[str]] = defaultdict(list)
    for department in Department.objects.filter(pk__in=wanted).order_by("name"):
        names[department.pk] = department.name
    for department_id, first, last in (
        User.objects.filter(
            is_active=True,
            deleted_at__isnull=True,
            groups__name=GROUP_NAMES[Role.DEPARTMENT_MANAGER],
            managed_departments__in=wanted,
        )
        .order_by("last_name", "first_name")
        .values_list("managed_departments", "first_name", "last_name")
        .distinct()
    ):
        if department_id in wanted:
            managers[department_id].append(f"{first} {last}".strip())
    labels: dict[int, str] = {}
    for survey in waiting:
        since = formats.date_format(timezone.localtime(survey.submitted_at), "DATE_FORMAT")
        ids = sorted(departments_of[survey.pk], key=lambda pk: names.get(pk, ""))
        people = [name for pk in ids for name in managers.get(pk, [])]
        if ids and people:
            labels[survey.pk] = _(
                "En attente des gestionnaires de %(departments)s (%(people)s) depuis le %(date)s"
            ) % {
                "departments": ", ".join(names[pk] for pk in ids if pk in names),
                "people": ", ".join(dict.fromkeys(people)),
                "date": since,
            }
        else:
            labels[survey.pk] = _("En attente d'un administrateur depuis le %(date)s") % {
                "date": since
            }
    return labels


def awaiting_label(survey: Survey) -> str:
    return awaiting_labels([survey]).get(survey.pk, "")


# The transitions ------------------------------------------------------------------------


def check_submission(*, survey: Survey, actor: User) -> None:
    if not actor.has_perm(SUBMIT, survey):
        raise PermissionDenied
    if survey.review_state == ReviewState.AWAITING_APPROVAL:
        raise SurveyReviewRefusalError(ALREADY_AWAITING)
    if survey.is_published:
        raise SurveyReviewRefusalError(ALREADY_PUBLISHED)
    problems = building.publishing_problems(survey)
    if problems:
        raise SurveyReviewRefusalError(" ".join(problems))


@transaction.atomic
def submit_for_approval(*, survey: Survey, actor: User) -> Survey:
    """Puts the survey in the hands of its approvers, who are e-mailed a link to approve it."""
    survey = _locked(survey)
    check_submission(survey=survey, actor=actor)
    survey.review_state = ReviewState.AWAITING_APPROVAL
    survey.submitted_by = actor
    survey.submitted_at = timezone.now()
    survey.review_comment = ""
    survey.save(
        update_fields=[
            "review_state",
            "submitted_by",
            "submitted_at",
            "review_comment",
            "updated_at",
        ]
    )
    audit.record(actor=actor, action=audit_actions.SURVEY_SUBMITTED, target=survey)
    submission = int(survey.submitted_at.timestamp())
    for approver in approvers_of(survey).exclude(pk=actor.pk):
        _email(
            approver,
            "survey_submitted",
            {"survey_title": survey.title_fr, "submitted_by": str(actor)},
            link=reverse("surveys_admin:review", args=[survey.pk]),
            key=f"survey-submitted:{survey.pk}:{submission}:{approver.pk}",
        )
    return survey


def check_review(*, survey: Survey, actor: User) -> None:
    if not actor.has_perm(APPROVE, survey):
        raise PermissionDenied
    if survey.review_state != ReviewState.AWAITING_APPROVAL:
        raise SurveyReviewRefusalError(NOT_AWAITING)


@transaction.atomic
def approve_survey(*, survey: Survey, actor: User, comment: str = "") -> Survey:
    """Approves the survey, which publishes it; its submitter is told."""
    survey = _locked(survey)
    check_review(survey=survey, actor=actor)
    problems = building.publishing_problems(survey)
    if problems:
        raise SurveyReviewRefusalError(" ".join(problems))
    building.publish_survey(survey=survey, actor=actor)
    survey.review_comment = ""
    survey.save(update_fields=["review_comment", "updated_at"])
    comment = comment.strip()
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_APPROVED,
        target=survey,
        details={"comment": comment} if comment else None,
    )
    _tell_submitter(survey, actor, "survey_approved", comment)
    return survey


@transaction.atomic
def request_changes(*, survey: Survey, actor: User, comment: str) -> Survey:
    """Gives the survey back to its team as a draft, with what to change."""
    survey = _locked(survey)
    check_review(survey=survey, actor=actor)
    comment = comment.strip()
    if not comment:
        raise SurveyReviewRefusalError(COMMENT_MISSING)
    survey.review_state = ReviewState.DRAFT
    survey.review_comment = comment
    survey.save(update_fields=["review_state", "review_comment", "updated_at"])
    audit.record(
        actor=actor,
        action=audit_actions.SURVEY_CHANGES_REQUESTED,
        target=survey,
        details={"comment": comment},
    )
    _tell_submitter(survey, actor, "survey_changes_requested", comment)
    return survey


def _locked(survey: Survey) -> Survey:
    """The survey as stored, locked until the transaction ends: two approvers deciding at the
    same moment decide one after the other."""
    locked: Survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("department", "project")
        .get(pk=survey.pk)
    )
    return locked


def _tell_submitter(survey: Survey, actor: User, template: str, comment: str) -> None:
    submitter = survey.submitted_by
    if submitter is None or submitter.pk == actor.pk or not submitter.is_active:
        return
    _email(
        submitter,
        template,
        {"survey_title": survey.title_fr, "reviewer": str(actor), "comment": comment},
        link=reverse("surveys_admin:build", args=[survey.pk]),
        key=f"{template}:{survey.pk}:{int(timezone.now().timestamp())}:{submitter.pk}",
    )


def _email(to: User, template: str, context: dict[str, Any], *, link: str, key: str) -> None:
    enqueue_email(
        to=to.email,
        template=f"surveys/admin/email/{template}",
        context={**context, "link": f"{settings.WAGTAILADMIN_BASE_URL}{link}"},
        language=UserProfile.get_for_user(to).get_preferred_language(),
        key=key,
    )
