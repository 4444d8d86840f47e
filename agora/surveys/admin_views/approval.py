"""A survey's approval: its team submits it, and the managers of its department (or an
administrator) approve it, which publishes it, or ask for changes, on the page the e-mail
they receive links to. The transitions are the services of approval.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agora.accounts.staff import staff_user
from agora.surveys import approval, building
from agora.surveys.admin_forms import ReviewForm
from agora.surveys.admin_views.common import breadcrumbs, page, preview_url, survey_for

APPROVE, ASK_FOR_CHANGES = "approve", "changes"


@require_POST
def survey_submit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_for(request, pk, approval.SUBMIT)
    try:
        survey = approval.submit_for_approval(survey=survey, actor=staff_user(request))
    except approval.SurveyReviewRefusalError as refusal:
        messages.error(
            request, _("Le sondage n'est pas soumis. %(why)s") % {"why": refusal.message}
        )
    else:
        messages.success(
            request,
            _("Le sondage est soumis pour approbation. %(waiting)s.")
            % {"waiting": approval.awaiting_label(survey)},
        )
    return redirect("surveys_admin:build", pk=survey.pk)


@require_http_methods(["GET", "POST"])
def survey_review(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_for(request, pk, approval.APPROVE)
    form = ReviewForm(request.POST or None)
    decision = request.POST.get("decision")
    if request.method == "POST" and form.is_valid() and decision in (APPROVE, ASK_FOR_CHANGES):
        comment = form.cleaned_data["comment"]
        actor = staff_user(request)
        try:
            if decision == APPROVE:
                approval.approve_survey(survey=survey, actor=actor, comment=comment)
            else:
                approval.request_changes(survey=survey, actor=actor, comment=comment)
        except approval.SurveyReviewRefusalError as refusal:
            on_comment = refusal.message == str(approval.COMMENT_MISSING)
            form.add_error("comment" if on_comment else None, refusal.message)
        else:
            if decision == APPROVE:
                messages.success(request, _("Le sondage est approuvé et publié."))
            else:
                messages.success(
                    request, _("Les modifications sont demandées : l'équipe en est avisée.")
                )
            return redirect("surveys_admin:build", pk=survey.pk)
    title = _("Approbation")
    return page(
        request,
        "survey_review.html",
        {
            "page_title": title,
            "page_subtitle": survey.title_fr,
            "header_icon": "tick-inverse",
            "breadcrumbs_items": breadcrumbs(survey, (request.path, title)),
            "survey": survey,
            "form": form,
            "awaiting": approval.awaiting_label(survey),
            "status": building.STATUS_LABELS[building.status_of(survey)],
            "questions": building.ordered_questions(survey),
            "problems": building.publishing_problems(survey) if survey.is_awaiting_approval else [],
            "preview_url": preview_url(survey),
            "build_url": reverse("surveys_admin:build", args=[survey.pk]),
        },
    )
