"""The clerk's desk in /gestion/requetes/: the triage queue (filters, sorting, pages, bulk
assignment) and the page of one request, whose forms each call one function of workflow.py.

Every screen checks `citizen_requests.view_desk` first, and a request's screens
`citizen_requests.handle_request` on it (a department manager works on their departments'
requests only); a refusal is the staff area's 403 page. Every button is a form that posts and
works without JavaScript, the standard replies included ("Utiliser la réponse type" fills the
text on the server). A refusal of the workflow is shown on the form it came from, with the
page answered 400, and nothing is written; a success is a message and a redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from wagtail.admin.paginator import WagtailPaginator

from agora.accounts.models import User
from agora.accounts.staff import require_permission
from agora.citizen_requests import desk_selectors, workflow
from agora.citizen_requests.desk_forms import (
    USE_TEMPLATE,
    AssignForm,
    BulkAssignForm,
    MergeForm,
    NoteForm,
    QuestionForm,
    QueueFilterForm,
    ReopenForm,
    StatusForm,
)
from agora.citizen_requests.desk_selectors import (
    HANDLE_REQUEST,
    QUEUE_PAGE_SIZE,
    VIEW_DESK,
    QueueFilters,
)
from agora.citizen_requests.models import CitizenRequest, RequestPhoto, RequestStatus

NAMESPACE = "requests_desk"
TEMPLATES = "citizen_requests/desk"


class RequestPaginator(WagtailPaginator):
    verbose_name = gettext_lazy("requête")
    verbose_name_plural = gettext_lazy("requêtes")


def _home_crumb() -> dict[str, str]:
    return {"url": reverse("wagtailadmin_home"), "label": _("Accueil")}


# The queue ---------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    """The triage queue; it also receives the bulk assignment (POST to the same address, so
    that the filters stay as they were)."""
    user = require_permission(request, VIEW_DESK)
    bulk_form = BulkAssignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = _assign_many(request, user, bulk_form)
        if done:
            return redirect(request.get_full_path())
    now = timezone.now()
    choices = desk_selectors.filter_choices(user)
    filter_form = QueueFilterForm(request.GET, choices=choices)
    filters = filter_form.filters()
    paginator = RequestPaginator(desk_selectors.queue(user, filters, now=now), QUEUE_PAGE_SIZE)
    number = request.GET.get("p", 1)
    page = paginator.get_page(number)
    title = _("File des requêtes")
    context: dict[str, Any] = {
        "page_title": title,
        "header_title": title,
        "header_icon": "help",
        "breadcrumbs_items": [_home_crumb(), {"url": "", "label": title}],
        "filter_form": filter_form,
        "filters": filters,
        "filtered": filters != QueueFilters(),
        "bulk_form": bulk_form,
        "items": page,
        "elided_page_range": list(paginator.get_elided_page_range(page.number)),
        "rows": [desk_selectors.queue_row(row, now) for row in page.object_list],
        "sees_every_request": desk_selectors.sees_every_request(user),
        "here": request.get_full_path(),
        "selected": {int(pk) for pk in request.POST.getlist("demandes") if pk.isdigit()},
    }
    status = 400 if bulk_form.is_bound and bulk_form.errors else 200
    return TemplateResponse(request, f"{TEMPLATES}/queue.html", context, status=status)


def _assign_many(request: HttpRequest, user: User, form: BulkAssignForm) -> bool:
    """The bulk assignment: every request ticked must be one the person handles, or nothing
    is written. True once done (a message says what changed)."""
    if not form.is_valid():
        return False
    selected = list(
        desk_selectors.desk_requests(user)
        .filter(pk__in=form.cleaned_data["demandes"])
        .select_related("department")
    )
    if len(selected) != len(form.cleaned_data["demandes"]) or not all(
        user.has_perm(HANDLE_REQUEST, row) for row in selected
    ):
        form.add_error("demandes", _("Vous ne pouvez pas traiter certaines des requêtes cochées."))
        return False
    changed, refused = workflow.assign_many(
        selected,
        actor=user,
        department=form.cleaned_data["department"],
        assignee=form.cleaned_data["assignee"],
    )
    messages.success(
        request,
        ngettext("%(count)d requête attribuée.", "%(count)d requêtes attribuées.", changed)
        % {"count": changed},
    )
    if refused:
        messages.warning(
            request,
            _("Non attribuées, car fermées (rouvrez-les d'abord) : %(numbers)s.")
            % {"numbers": ", ".join(refused)},
        )
    return True


# One request -------------------------------------------------------------------------------


def _handled(request: HttpRequest, pk: int) -> tuple[User, CitizenRequest]:
    """The person, once they may use the desk (else 403), and the request `pk` (404), once
    they may handle it (else 403)."""
    user = require_permission(request, VIEW_DESK)
    citizen_request = get_object_or_404(
        CitizenRequest.objects.select_related(
            "service", "service__group", "department", "assignee", "duplicate_of"
        ).prefetch_related("service__attributes"),
        pk=pk,
    )
    if not user.has_perm(HANDLE_REQUEST, citizen_request):
        raise PermissionDenied
    return user, citizen_request


def detail_url(citizen_request: CitizenRequest, anchor: str = "") -> str:
    url = reverse(f"{NAMESPACE}:detail", args=[citizen_request.pk])
    return f"{url}#{anchor}" if anchor else url


def _detail_page(
    request: HttpRequest,
    citizen_request: CitizenRequest,
    *,
    status: int = 200,
    **forms: Any,
) -> TemplateResponse:
    read = desk_selectors.read_for_desk(citizen_request)
    title = _("Requête %(number)s") % {"number": citizen_request.tracking_number}
    is_open = citizen_request.is_open
    shown_forms: dict[str, Any] = {
        "status_form": StatusForm(prefix="etat", request=citizen_request)
        if workflow.allowed_moves(citizen_request)
        else None,
        "assign_form": AssignForm(prefix="attribution", request=citizen_request)
        if is_open
        else None,
        "note_form": NoteForm(prefix="note"),
        "question_form": QuestionForm(prefix="question") if is_open else None,
        "merge_form": MergeForm(prefix="fusion") if is_open else None,
        "reopen_form": None if is_open else ReopenForm(prefix="reouverture"),
    }
    shown_forms.update(forms)
    context: dict[str, Any] = {
        "page_title": title,
        "header_title": title,
        "header_icon": "help",
        "breadcrumbs_items": [
            _home_crumb(),
            {"url": reverse(f"{NAMESPACE}:queue"), "label": _("File des requêtes")},
            {"url": "", "label": citizen_request.tracking_number},
        ],
        "citizen_request": citizen_request,
        "read": read,
        "has_errors": status >= 400,
        **shown_forms,
    }
    return TemplateResponse(request, f"{TEMPLATES}/request.html", context, status=status)


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _user, citizen_request = _handled(request, pk)
    return _detail_page(request, citizen_request)


def _shown_again(
    request: HttpRequest, citizen_request: CitizenRequest, name: str, form: Any
) -> TemplateResponse:
    """The page again with `form` as it was sent and its error: nothing was written."""
    shown: dict[str, Any] = {name: form}
    return _detail_page(request, citizen_request, status=400, **shown)


def _with_template(
    request: HttpRequest,
    citizen_request: CitizenRequest,
    name: str,
    form: StatusForm | NoteForm,
) -> TemplateResponse:
    """ "Utiliser la réponse type": the form again, its text the template's body."""
    initial = form.with_template(citizen_request)
    if initial is None:
        return _shown_again(request, citizen_request, name, form)
    kwargs: dict[str, Any] = {"prefix": form.prefix, "initial": initial}
    shown: dict[str, Any] = {
        name: StatusForm(request=citizen_request, **kwargs)
        if isinstance(form, StatusForm)
        else NoteForm(**kwargs)
    }
    return _detail_page(request, citizen_request, **shown)


def _done(request: HttpRequest, citizen_request: CitizenRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(detail_url(citizen_request))


@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    user, citizen_request = _handled(request, pk)
    form = StatusForm(request.POST, prefix="etat", request=citizen_request)
    if request.POST.get("action") == USE_TEMPLATE:
        return _with_template(request, citizen_request, "status_form", form)
    if not form.is_valid():
        return _shown_again(request, citizen_request, "status_form", form)
    try:
        workflow.change_status(
            citizen_request,
            status=form.cleaned_data["status"],
            actor=user,
            note=form.cleaned_data["note"],
        )
    except workflow.WorkflowError as refusal:
        form.add_error(None, refusal)
        return _shown_again(request, citizen_request, "status_form", form)
    return _done(
        request,
        citizen_request,
        _("La requête est maintenant « %(status)s ». Le requérant en est avisé.")
        % {"status": RequestStatus(citizen_request.status).label},
    )


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    user, citizen_request = _handled(request, pk)
    form = AssignForm(request.POST, prefix="attribution", request=citizen_request)
    if not form.is_valid():
        return _shown_again(request, citizen_request, "assign_form", form)
    try:
        changed = workflow.assign(
            citizen_request,
            actor=user,
            department=form.cleaned_data["department"],
            assignee=form.cleaned_data["assignee"],
        )
    except workflow.WorkflowError as refusal:
        form.add_error(None, refusal)
        return _shown_again(request, citizen_request, "assign_form", form)
    if changed is None:
        messages.info(request, _("L'attribution était déjà celle-là : rien n'a changé."))
        return redirect(detail_url(citizen_request))
    return _done(request, citizen_request, _("L'attribution est enregistrée."))


@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    user, citizen_request = _handled(request, pk)
    form = NoteForm(request.POST, prefix="note")
    if request.POST.get("action") == USE_TEMPLATE:
        return _with_template(request, citizen_request, "note_form", form)
    if not form.is_valid():
        return _shown_again(request, citizen_request, "note_form", form)
    try:
        workflow.add_note(
            citizen_request, actor=user, text=form.cleaned_data["text"], public=form.public
        )
    except workflow.WorkflowError as refusal:
        form.add_error(None, refusal)
        return _shown_again(request, citizen_request, "note_form", form)
    return _done(
        request,
        citizen_request,
        _("La réponse publique est envoyée au requérant et aux personnes qui suivent la requête.")
        if form.public
        else _("La note interne est enregistrée."),
    )


@require_POST
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    user, citizen_request = _handled(request, pk)
    form = QuestionForm(request.POST, prefix="question")
    if not form.is_valid():
        return _shown_again(request, citizen_request, "question_form", form)
    try:
        workflow.ask_requester(citizen_request, actor=user, question=form.cleaned_data["question"])
    except workflow.WorkflowError as refusal:
        form.add_error(None, refusal)
        return _shown_again(request, citizen_request, "question_form", form)
    return _done(request, citizen_request, _("La question est envoyée au requérant."))


@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    user, citizen_request = _handled(request, pk)
    form = MergeForm(request.POST, prefix="fusion")
    if not form.is_valid():
        return _shown_again(request, citizen_request, "merge_form", form)
    number = form.cleaned_data["number"]
    original = desk_selectors.request_by_tracking_number(number)
    if original is None:
        form.add_error(
            "number",
            _("Aucune requête ne porte le numéro « %(number)s ».") % {"number": number.strip()},
        )
        return _shown_again(request, citizen_request, "merge_form", form)
    if not user.has_perm(HANDLE_REQUEST, original):
        form.add_error(
            "number",
            _(
                "Vous ne pouvez pas traiter la requête %(number)s : demandez à un préposé ou à "
                "un gestionnaire de son service municipal de faire la fusion."
            )
            % {"number": original.tracking_number},
        )
        return _shown_again(request, citizen_request, "merge_form", form)
    try:
        workflow.merge_duplicate(
            citizen_request, into=original, actor=user, note=form.cleaned_data["note"]
        )
    except workflow.WorkflowError as refusal:
        form.add_error(None, refusal)
        return _shown_again(request, citizen_request, "merge_form", form)
    return _done(
        request,
        citizen_request,
        _(
            "La requête est fusionnée dans %(number)s : son requérant et les personnes qui "
            "l'appuyaient suivent maintenant celle-ci."
        )
        % {"number": original.tracking_number},
    )


@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    user, citizen_request = _handled(request, pk)
    form = ReopenForm(request.POST, prefix="reouverture")
    if not form.is_valid():
        return _shown_again(request, citizen_request, "reopen_form", form)
    try:
        workflow.reopen(citizen_request, actor=user, note=form.cleaned_data["note"])
    except workflow.WorkflowError as refusal:
        form.add_error(None, refusal)
        return _shown_again(request, citizen_request, "reopen_form", form)
    return _done(request, citizen_request, _("La requête est rouverte. Le requérant en est avisé."))


# Photos ------------------------------------------------------------------------------------
# The desk sees every photo of a request, shown to the public or not, through this view: the
# files live under MEDIA_ROOT/requests/, which the web server does not serve.


def _photo_of(citizen_request: CitizenRequest, photo_id: int) -> RequestPhoto:
    return get_object_or_404(RequestPhoto, pk=photo_id, request=citizen_request)


@require_safe
def photo(request: HttpRequest, pk: int, photo_id: int) -> HttpResponseBase:
    _user, citizen_request = _handled(request, pk)
    found = _photo_of(citizen_request, photo_id)
    try:
        file = found.image.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(file)
    patch_cache_control(response, private=True)
    add_never_cache_headers(response)
    return response


@require_POST
def photo_visibility(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    user, citizen_request = _handled(request, pk)
    found = _photo_of(citizen_request, photo_id)
    shown = request.POST.get("visible") == "1"
    workflow.show_photo(found, actor=user, shown=shown)
    messages.success(
        request,
        _("La photo est visible sur la page de suivi publique.")
        if shown
        else _("La photo est masquée au public."),
    )
    return redirect(detail_url(citizen_request, "photos"))
