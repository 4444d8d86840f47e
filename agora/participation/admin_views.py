"""The workflow screens of "Projets" in /gestion/: each project's dashboard, its exports, its
moderators, its short update form and its archiving. The list of projects is a Wagtail listing
(admin_viewsets.py).

The listing's viewset serves these addresses behind Wagtail's back-office access check; each
view then asks rules.py about the project, and refuses with 403. Projects are addressed by the
id of any of their pages: every screen works on the source page, which owns contributions and
moderators.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agora.accounts.models import User
from agora.accounts.staff import require_permission, staff_user
from agora.core.charts import bar_chart, date_ticks, line_chart
from agora.participation import dashboard as selectors
from agora.participation import exports, moderators, updates
from agora.participation.admin_forms import AssignModeratorForm, ProjectUpdateForm
from agora.participation.archiving import set_archived
from agora.participation.models import ProjectPage

CHART_TABLE_CLASS = "listing agora-chart__table"


def _project(request: HttpRequest, pk: int, permission: str) -> ProjectPage:
    """The project (its source page) of any of its pages `pk`, once the member of the team
    holds `permission` on it."""
    project: ProjectPage = get_object_or_404(ProjectPage, pk=pk).source
    require_permission(request, permission, project)
    return project


def _breadcrumbs(*items: tuple[str, str]) -> list[dict[str, str]]:
    base = [
        {"url": reverse("wagtailadmin_home"), "label": _("Accueil")},
        {"url": reverse("participation_admin:index"), "label": _("Projets")},
    ]
    return [*base, *({"url": url, "label": label} for url, label in items)]


def _project_screen(
    request: HttpRequest,
    project: ProjectPage,
    template: str,
    *,
    screen: str,
    title: str,
    icon: str,
    **context: Any,
) -> TemplateResponse:
    """A screen below a project's dashboard: its header, and a way back to the dashboard."""
    return TemplateResponse(
        request,
        template,
        {
            "page_title": screen,
            "page_subtitle": project.title,
            "header_icon": icon,
            "breadcrumbs_items": _breadcrumbs(
                (reverse("participation_admin:dashboard", args=[project.pk]), project.title),
                (request.path, title),
            ),
            "header_title": title,
            "project": project,
            **context,
        },
    )


# A project's dashboard


@require_GET
def project_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, "participation.view_project_dashboard")
    user = staff_user(request)
    board = selectors.project_dashboard(project)
    title = _("Tableau de bord : %(title)s") % {"title": project.title}
    weeks = [_("Semaine du %(date)s") % {"date": date_format(w.start)} for w in board.weeks]
    # The time axis names the weeks it has room for, by their Monday: "6 jan.".
    ticks = date_ticks([w.start for w in board.weeks], "j N")

    def weekly(title: str, heading: str, values: list[int]) -> Any:
        return bar_chart(
            title=title,
            categories=weeks,
            values=values,
            category_heading=_("Semaine"),
            value_heading=heading,
            ticks=ticks,
            table_class=CHART_TABLE_CLASS,
            data_label=data_label,
        )

    data_label = _("Voir les données, semaine par semaine")
    charts = []
    if board.weeks:
        charts = [
            line_chart(
                title=_("Participants depuis le début (cumul par semaine)"),
                categories=weeks,
                values=board.cumulative_participants,
                category_heading=_("Semaine"),
                value_heading=_("Participants"),
                ticks=ticks,
                table_class=CHART_TABLE_CLASS,
                data_label=data_label,
            ),
            *(
                weekly(tally.weekly_title, tally.label, [w.count(tally.key) for w in board.weeks])
                for tally in board.tallies
            ),
            weekly(
                _("Nouveaux abonnés par semaine"), _("Abonnés"), [w.followers for w in board.weeks]
            ),
        ]
    return TemplateResponse(
        request,
        "participation/admin/project_dashboard.html",
        {
            "page_title": _("Tableau de bord"),
            "page_subtitle": project.title,
            "header_icon": "view",
            "breadcrumbs_items": _breadcrumbs((request.path, title)),
            "header_title": title,
            "project": project,
            "board": board,
            "charts": charts,
            "sheets": exports.sheets_of(project),
            "can_edit": project.permissions_for_user(user).can_edit(),
            "can_assign": user.has_perm("participation.assign_moderators", project),
            "can_export": user.has_perm("participation.export_contributions", project),
            "exports_personal_data": user.has_perm("participation.export_personal_data", project),
        },
    )


# Exports

# The workbook holds every sheet; a CSV file holds one, named by its slug ("idees").
WORKBOOK = "contributions"


@require_GET
def project_export(request: HttpRequest, pk: int, contents: str, file_format: str) -> HttpResponse:
    project = _project(request, pk, "participation.export_contributions")
    user = staff_user(request)
    sheets = {sheet.slug: sheet for sheet in exports.sheets_of(project)}
    if file_format == "xlsx" and contents == WORKBOOK:
        sheet = None
    elif file_format == "csv" and contents in sheets:
        sheet = sheets[contents]
    else:
        raise Http404
    exported = exports.export_contributions(
        project=project,
        actor=user,
        file_format="csv" if file_format == "csv" else "xlsx",
        sheet=sheet,
    )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["Cache-Control"] = "no-store"
    return response


# Moderators


@require_http_methods(["GET", "POST"])
def project_moderators(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, "participation.assign_moderators")
    user = staff_user(request)
    form = AssignModeratorForm(request.POST or None, project=project)
    title = _("Modérateurs : %(title)s") % {"title": project.title}
    if request.method == "POST" and form.is_valid():
        moderator = form.cleaned_data["user"]
        try:
            moderators.assign_moderator(project=project, user=moderator, actor=user)
        except ValidationError as error:
            form.add_error("user", error)
        else:
            messages.success(
                request,
                _("%(name)s modère maintenant « %(project)s ».")
                % {"name": moderator, "project": project.title},
            )
            return redirect("participation_admin:moderators", pk=project.pk)
    return _project_screen(
        request,
        project,
        "participation/admin/project_moderators.html",
        screen=_("Modérateurs"),
        title=title,
        icon="group",
        assignments=moderators.moderators_of(project),
        form=form,
    )


@require_POST
def project_moderator_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    project = _project(request, pk, "participation.assign_moderators")
    user = staff_user(request)
    moderator = get_object_or_404(
        User, pk=user_id, moderated_projects__project=project
    )  # only someone who moderates this very project
    moderators.remove_moderator(project=project, user=moderator, actor=user)
    messages.success(
        request,
        _("%(name)s ne modère plus « %(project)s ».")
        % {"name": moderator, "project": project.title},
    )
    return redirect("participation_admin:moderators", pk=project.pk)


# A progress update


@require_http_methods(["GET", "POST"])
def project_update(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Publier une mise à jour": title, date, text and an optional image, without the whole
    project editor; published, or sent for approval (updates.py)."""
    project = _project(request, pk, updates.EDIT_PROJECT)
    user = staff_user(request)
    form = ProjectUpdateForm(request.POST or None, request.FILES or None)
    title = _("Publier une mise à jour : %(title)s") % {"title": project.title}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posted = updates.post_project_update(
                project=project,
                actor=user,
                title=data["title"],
                date=data["date"],
                text=data["text"],
                image=data["image"],
                image_description=data["image_description"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, posted.message)
            return redirect("participation_admin:dashboard", pk=project.pk)
    return _project_screen(
        request,
        project,
        "participation/admin/project_update.html",
        screen=_("Publier une mise à jour"),
        title=title,
        icon="edit",
        form=form,
        publishes=project.permissions_for_user(user).can_publish(),
    )


def _add_errors(form: ProjectUpdateForm, error: ValidationError) -> None:
    """The service's refusals on the form's fields (the form's own for the rest)."""
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@require_POST
def project_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Archives the project, or brings it back (`archived=0`)."""
    project = _project(request, pk, "participation.edit_project")
    user = staff_user(request)
    archived = request.POST.get("archived") != "0"
    set_archived(project=project, archived=archived, actor=user)
    message = (
        _("« %(project)s » est archivé.") if archived else _("« %(project)s » n'est plus archivé.")
    )
    messages.success(request, message % {"project": project.title})
    return redirect("participation_admin:index")
