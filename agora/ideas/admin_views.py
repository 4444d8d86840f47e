"""Modération in /gestion/: a project's queues (waiting for approval, flagged, hidden), the
buttons that approve, hide, restore and dismiss flags, the project's ideas with the city's
answer to each, and the moderation log. The list of the projects one moderates is a Wagtail
listing (admin_viewsets.py), which mounts these screens.

Every screen looks the project up and checks the permission first (a project someone does not
moderate is refused), then finds the contribution inside that project only, so that another
project's id in the address leads nowhere. Every button is a POST form that works without
JavaScript; the services check the permission again and write the logs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.paginator import WagtailPaginator

from agora.accounts.staff import require_permission, staff_user
from agora.ideas import feedback, moderation
from agora.ideas.admin_forms import HideForm, IdeaStatusForm, RestoreForm
from agora.ideas.models import Comment, Idea, IdeaStatus, Visibility
from agora.ideas.moderation_queue import (
    COMMENT,
    IDEA,
    Queue,
    QueueItem,
    ideas_to_answer,
    moderation_log,
    queue_counts,
    queue_items,
    queue_rows,
)
from agora.participation.models import ProjectPage

ITEMS_PER_PAGE = 20
LOG_ENTRIES_PER_PAGE = 50


class ContributionPaginator(WagtailPaginator):
    verbose_name = gettext_lazy("contribution")
    verbose_name_plural = gettext_lazy("contributions")


def _project(request: HttpRequest, project_id: int, permission: str) -> ProjectPage:
    """The project (its source page), once the user is known to hold `permission` on it."""
    page: ProjectPage = get_object_or_404(ProjectPage, pk=project_id).source
    require_permission(request, permission, page)
    return page


def _contribution(project: ProjectPage, kind: str, pk: int) -> Idea | Comment:
    """The idea or comment `pk` of this project; 404 for another project's."""
    if kind == IDEA:
        idea: Idea = get_object_or_404(Idea.objects.of_project(project), pk=pk)
        return idea
    if kind == COMMENT:
        comment: Comment = get_object_or_404(
            Comment.objects.filter(idea__project=project).select_related("idea"), pk=pk
        )
        return comment
    raise Http404


def _target(contribution: Idea | Comment) -> dict[str, Any]:
    return (
        {"comment": contribution} if isinstance(contribution, Comment) else {"idea": contribution}
    )


def _queue_url(project: ProjectPage, queue: Queue | None = None) -> str:
    url = reverse("ideas_moderation:queue", args=[project.pk])
    return f"{url}?liste={queue.value}" if queue else url


def _safe_next(request: HttpRequest, project: ProjectPage) -> str:
    """The list the button was pressed in (a `next` inside this project's queue), or the
    queue itself."""
    target = request.POST.get("next", "")
    queue_url = reverse("ideas_moderation:queue", args=[project.pk])
    if target.startswith(queue_url) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return queue_url


def _back(request: HttpRequest, project: ProjectPage) -> HttpResponse:
    return redirect(_safe_next(request, project))


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _paginated(request: HttpRequest, rows: Any, per_page: int) -> dict[str, Any]:
    paginator = ContributionPaginator(rows, per_page)
    number = request.GET.get("p", 1)
    return {
        "items": paginator.get_page(number),
        "elided_page_range": list(paginator.get_elided_page_range(number)),
    }


def _with_public_urls(project: ProjectPage, entries: list[QueueItem]) -> list[QueueItem]:
    for entry in entries:
        if entry.idea.visibility == Visibility.PUBLISHED:
            entry.public_url = project.subpage_url("idea", idea_id=entry.idea.pk)
    return entries


# A project's queues


def moderation_queue(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, moderation.MODERATE_PROJECT)
    value = request.GET.get("liste", "")
    queue = Queue(value) if value in Queue else Queue.PENDING
    page = _paginated(request, queue_rows(project, queue), ITEMS_PER_PAGE)
    counts = queue_counts([project])[project.pk]
    return render(
        request,
        "ideas/admin/moderation_queue.html",
        {
            "project": project,
            "queue": queue,
            "queues": [(q, counts.of(q), _queue_url(project, q)) for q in Queue],
            "entries": _with_public_urls(project, queue_items(list(page["items"]))),
            "may_answer": staff_user(request).has_perm(feedback.ANSWER_IDEA, project),
            "here": request.get_full_path(),
            **page,
        },
    )


@require_POST
def approve(request: HttpRequest, project_id: int, kind: str, pk: int) -> HttpResponse:
    project = _project(request, project_id, moderation.MODERATE_PROJECT)
    contribution = _contribution(project, kind, pk)
    try:
        moderation.approve(moderator=staff_user(request), **_target(contribution))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Contribution approuvée : elle est maintenant publiée."))
    return _back(request, project)


@require_http_methods(["GET", "POST"])
def hide(request: HttpRequest, project_id: int, kind: str, pk: int) -> HttpResponse:
    """The reason form of one contribution: the queue posts to it, and it shows again with
    its error when the reason is missing."""
    project = _project(request, project_id, moderation.MODERATE_PROJECT)
    contribution = _contribution(project, kind, pk)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.hide(
                moderator=staff_user(request),
                reason=form.cleaned_data["reason"],
                **_target(contribution),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contribution masquée. Le motif est enregistré."))
            return _back(request, project)
    return render(
        request,
        "ideas/admin/hide.html",
        {
            "project": project,
            "entry": queue_items([{"kind": kind, "pk": contribution.pk}])[0],
            "form": form,
            "next": _safe_next(request, project),
        },
    )


@require_POST
def restore(request: HttpRequest, project_id: int, kind: str, pk: int) -> HttpResponse:
    project = _project(request, project_id, moderation.MODERATE_PROJECT)
    contribution = _contribution(project, kind, pk)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(ValidationError(list(form.errors["reason"]))))
        return _back(request, project)
    try:
        moderation.restore(
            moderator=staff_user(request),
            reason=form.cleaned_data["reason"],
            **_target(contribution),
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Contribution rétablie : elle est de nouveau publiée."))
    return _back(request, project)


@require_POST
def dismiss_flags(request: HttpRequest, project_id: int, kind: str, pk: int) -> HttpResponse:
    project = _project(request, project_id, moderation.MODERATE_PROJECT)
    contribution = _contribution(project, kind, pk)
    try:
        moderation.dismiss_flags(moderator=staff_user(request), **_target(contribution))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Signalements rejetés : la contribution reste publiée."))
    return _back(request, project)


# The city's answers


def ideas(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, feedback.ANSWER_IDEA)
    value = request.GET.get("statut", "")
    status = value if value in IdeaStatus.values else ""
    page = _paginated(request, ideas_to_answer(project, status or None), ITEMS_PER_PAGE)
    return render(
        request,
        "ideas/admin/idea_list.html",
        {"project": project, "statuses": IdeaStatus.choices, "status": status, **page},
    )


@require_http_methods(["GET", "POST"])
def idea_status(request: HttpRequest, project_id: int, idea_id: int) -> HttpResponse:
    project = _project(request, project_id, feedback.ANSWER_IDEA)
    idea = get_object_or_404(Idea.objects.of_project(project).published(), pk=idea_id)
    form = IdeaStatusForm(
        request.POST or None,
        initial={"status": idea.status, "explanation": idea.status_explanation},
    )
    if request.method == "POST" and form.is_valid():
        try:
            feedback.set_status(staff=staff_user(request), idea=idea, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Réponse publiée. Les personnes qui suivent l'idée en sont avisées."),
            )
            return redirect("ideas_moderation:ideas", project.pk)
    return render(
        request,
        "ideas/admin/idea_status.html",
        {
            "project": project,
            "idea": idea,
            "form": form,
            "history": list(idea.status_changes.select_related("changed_by")),
            "follower_count": feedback.active_followers(idea).count(),
            "public_url": project.subpage_url("idea", idea_id=idea.pk),
        },
    )


# The moderation log


def log(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id, moderation.MODERATE_PROJECT)
    page = _paginated(request, moderation_log(project), LOG_ENTRIES_PER_PAGE)
    may_answer = staff_user(request).has_perm(feedback.ANSWER_IDEA, project)
    return render(
        request,
        "ideas/admin/moderation_log.html",
        {"project": project, "may_answer": may_answer, **page},
    )
