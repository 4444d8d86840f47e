"""Answering a survey: its introduction, one page per section, a last step to check and send
the answers, and a thank-you page.

The introduction is a public page, kept by the shared page cache for visitors without a
session or a participant cookie: it reads neither the session nor the account unless the
visitor carries one of those cookies. The other pages keep the answers in progress in the
session and are never cached. Nothing is written before the last step's "Envoyer"; there,
the abuse limits apply (a tighter one without the ALTCHA proof of work, that is without
JavaScript, or a proof cheaper than the visitor's current cost), the participant is found or
created, and `submit_response` writes everything or nothing. An anonymous response that looks
stuffed (many to the survey from one connection in a day, or a sudden rush) is kept for the
survey's team instead of counted (agora/core/integrity.py, `hold_response`).

Staff who may preview a survey (`surveys.preview_survey`) walk through a survey residents
cannot answer (not published, not yet open, closed) under an "Aperçu" banner; the last step
then writes nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from agora.core import integrity
from agora.core.antispam import rate_limit
from agora.core.audience import AudienceGap, audience_gap
from agora.core.page_cache import cache_scope
from agora.core.participants import COOKIE_NAME, current_participant, participant_for
from agora.participation.models import ProjectPage
from agora.surveys.flow import Progress, SurveyFlow
from agora.surveys.forms import SectionForm, SubmitForm, build_section_form, initial_values
from agora.surveys.models import ResponsePolicy, Section, Survey
from agora.surveys.services import (
    ALREADY_ANSWERED,
    SURVEY_CLOSED,
    ResponseRefusedError,
    already_answered,
    hold_response,
    submit_response,
    survey_scope,
)

HOUR = 60 * 60
# Responses sent per hour from one address: with the proof of work, without it. A family or
# a library shares an address, hence more than the idea box.
RESPONSE_LIMITS = (20, 10)
SUBMIT_ATTEMPT_LIMIT = 40
# Photos received per hour from one address, each file counted before it is decoded: a
# survey asks for a photo or two, so 30 leaves room for a family or a library sharing an
# address and for photos replaced, and stops a script sending one photo after another (each
# costs decoding time and is stored at once, before the response is sent).
PHOTO_LIMIT = 30


# Access ------------------------------------------------------------------------------------


def _known_visitor(request: HttpRequest) -> bool:
    """Whether the visitor carries a session or a participant cookie. Without either, the
    visitor is nobody in particular, and the public page stays cacheable."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or COOKIE_NAME in request.COOKIES


def _signed_in(request: HttpRequest) -> Any:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = request.user
    return user if user.is_authenticated else None


def _survey_for(request: HttpRequest, slug: str) -> tuple[Survey, bool]:
    """The survey, and whether the visitor walks through it as a preview. A survey that is
    not published does not exist, except for staff who may preview it."""
    # The project (a whole page) is read only by the pages that link to it.
    survey: Survey | None = Survey.objects.filter(slug=slug).order_by().first()
    if survey is None:
        raise Http404(_("Ce sondage n'existe pas."))
    user = _signed_in(request)
    may_preview = user is not None and user.has_perm("surveys.preview_survey", survey)
    if not survey.is_published and not may_preview:
        raise Http404(_("Ce sondage n'existe pas."))
    return survey, may_preview and not survey.is_open()


def _unavailable(survey: Survey) -> str | None:
    """Why residents cannot answer now, or None while the survey is open."""
    now = timezone.now()
    if not survey.has_opened(now):
        assert survey.opens_at is not None
        opens = timezone.localtime(survey.opens_at)
        return _("Ce sondage n'est pas encore ouvert. Il ouvrira le %(date)s.") % {
            "date": _date(opens)
        }
    if survey.has_closed(now):
        return str(SURVEY_CLOSED)
    return None


def _date(moment: Any) -> str:
    from django.utils.formats import date_format

    return date_format(moment, "DATE_FORMAT")


def _already_answered_message(survey: Survey) -> str:
    return str(ALREADY_ANSWERED.get(ResponsePolicy(survey.response_policy), SURVEY_CLOSED))


def results_url(survey: Survey) -> str | None:
    """The public results page, when the results are public (and the page exists)."""
    if not survey.results_are_public():
        return None
    try:
        return reverse("results:detail", kwargs={"slug": survey.slug})
    except NoReverseMatch:
        return None


def project_url(survey: Survey) -> str | None:
    """The survey's project page, in the visitor's language when translated."""
    project = survey.project if survey.project_id is not None else None
    if project is None or not project.live:
        return None
    localized = project.localized
    return str(localized.url) if localized.live else str(project.url)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _refused(
    request: HttpRequest, survey: Survey, message: str, *, status: int = 200
) -> HttpResponse:
    response = render(
        request,
        "surveys/survey_refused.html",
        {
            "survey": survey,
            "message": message,
            "results_url": results_url(survey),
            "project_url": project_url(survey),
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(HOUR)
    return response


def _gate(request: HttpRequest, survey: Survey, preview: bool) -> HttpResponse | None:
    """The answer to a visitor who may not answer now, or None when they may: the survey
    is closed or not open yet, its audience leaves them out, or its response policy allows
    them no other response."""
    if preview:
        return None
    posted = request.method == "POST"
    unavailable = _unavailable(survey)
    if unavailable is not None:
        return _refused(request, survey, unavailable, status=403 if posted else 200)
    user = _signed_in(request)
    participant = current_participant(request) if _known_visitor(request) else None
    gap = audience_gap(survey.audience, user=user, participant=participant)
    if gap == AudienceGap.NEEDS_ACCOUNT:
        messages.info(
            request,
            _(
                "Ce sondage est réservé aux personnes qui ont un compte. "
                "Connectez-vous pour y répondre."
            ),
        )
        return HttpResponseRedirect(_with_next(reverse("account_login"), _start_url(survey)))
    if gap == AudienceGap.NEEDS_VERIFIED_EMAIL:
        messages.info(
            request, _("Pour répondre à ce sondage, confirmez d'abord votre adresse courriel.")
        )
        return HttpResponseRedirect(_with_next(reverse("participants:verify"), _start_url(survey)))
    if already_answered(survey, participant):
        return _refused(
            request, survey, _already_answered_message(survey), status=409 if posted else 200
        )
    return None


# Addresses ---------------------------------------------------------------------------------


def _start_url(survey: Survey) -> str:
    return reverse("surveys:detail", kwargs={"slug": survey.slug})


def _section_url(survey: Survey, flow: SurveyFlow, section: Section) -> str:
    return reverse(
        "surveys:section", kwargs={"slug": survey.slug, "number": flow.number_of(section)}
    )


def _submit_url(survey: Survey) -> str:
    return reverse("surveys:submit", kwargs={"slug": survey.slug})


# Introduction ------------------------------------------------------------------------------


@require_safe
def survey_detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey, preview = _survey_for(request, slug)
    flow = SurveyFlow.load(survey)
    unavailable = None if preview else _unavailable(survey)
    answered = (
        not preview
        and unavailable is None
        and _known_visitor(request)
        and already_answered(survey, current_participant(request))
    )
    first_sections = flow.visible({}).sections
    response = render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "preview": preview,
            "unavailable": unavailable,
            "answered": _already_answered_message(survey) if answered else None,
            "section_count": len(first_sections),
            "most_sections": len(flow.sections),
            "question_count": flow.question_count,
            "minutes": flow.minutes,
            "start_url": _section_url(survey, flow, first_sections[0]) if first_sections else None,
            "results_url": results_url(survey),
            "project_url": project_url(survey),
        },
    )
    return cache_scope(response, survey_scope(survey))


# One page per section ----------------------------------------------------------------------

# Lazy: a constant of the module, read in the language of each request.
REVEALED = gettext_lazy(
    "Une question s'est ajoutée selon votre réponse. Répondez-y, puis continuez."
)


def _tampered_message() -> str:
    return _(
        "Cette page a reçu une réponse à une question qui ne vous était pas posée : rien n'a "
        "été enregistré. Vérifiez vos réponses ci-dessous, puis continuez."
    )


def _too_many_photos_message() -> str:
    return _(
        "Beaucoup de photos ont été envoyées depuis votre connexion en peu de temps. Pour "
        "protéger ce sondage des envois automatiques, votre photo n'a pas été reçue : "
        "réessayez dans une heure. Vos autres réponses sont conservées."
    )


def _photos_within_limit(request: HttpRequest) -> bool:
    """Counts every file the post carries, one at a time (several may share a field), and
    says whether all stay within `PHOTO_LIMIT`. Nothing has been decoded yet."""
    return all(
        rate_limit(request, scope="survey-photos", limit=PHOTO_LIMIT, period_seconds=HOUR)
        for _name, uploads in request.FILES.lists()
        for _upload in uploads
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey_section(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    survey, preview = _survey_for(request, slug)
    flow = SurveyFlow.load(survey)
    section = flow.section_at(number)
    if section is None:
        raise Http404(_("Cette section n'existe pas."))
    refused = _gate(request, survey, preview)
    if refused is not None:
        return refused
    progress = Progress.load(request.session, survey)
    if section not in flow.visible(progress.answers).sections:
        if request.method == "POST":
            messages.error(request, _("Cette section ne s'applique pas selon vos réponses."))
        following = flow.next_section(section, progress.answers)
        target = (
            _section_url(survey, flow, following) if following is not None else _submit_url(survey)
        )
        return HttpResponseRedirect(target)
    unfinished = flow.first_unfinished(progress, before=section)
    if unfinished is not None:
        messages.error(
            request, _("Répondez d'abord à cette section : les sections se suivent dans l'ordre.")
        )
        return HttpResponseRedirect(_section_url(survey, flow, unfinished))
    seen = flow.shown_questions(section, progress.answers)
    if request.method != "POST":
        form = build_section_form(section, seen, initial=initial_values(seen, progress.answers))
        return _section_page(request, survey, flow, section, form, progress, preview)
    posted = [*request.POST.keys(), *request.FILES.keys()]
    if flow.unexpected_fields(seen, posted):
        form = build_section_form(section, seen, initial=initial_values(seen, progress.answers))
        return _section_page(
            request,
            survey,
            flow,
            section,
            form,
            progress,
            preview,
            refusal=_tampered_message(),
            status=400,
        )
    # Over the limit, the photos are dropped unread and the page's other answers are kept.
    photos_refused = not _photos_within_limit(request)
    files = MultiValueDict() if photos_refused else request.FILES
    # The initial values carry a photo attached earlier, kept when no new one is sent.
    initial = initial_values(seen, progress.answers)
    form = build_section_form(section, seen, data=request.POST, files=files, initial=initial)
    form.is_valid()
    outcome = flow.read_page(section, form, progress, seen)
    progress.answers = outcome.answers
    complete = not form.errors and not outcome.revealed
    if complete:
        progress.done.add(section.pk)
    else:
        progress.done.discard(section.pk)
    progress.save(request.session, survey)
    if photos_refused:
        return _section_page(
            request,
            survey,
            flow,
            section,
            form,
            progress,
            preview,
            refusal=_too_many_photos_message(),
            status=429,
        )
    if "precedent" in request.POST:
        previous = flow.previous_section(section, progress.answers)
        return HttpResponseRedirect(
            _section_url(survey, flow, previous) if previous is not None else _start_url(survey)
        )
    if not complete:
        notice = str(REVEALED) if outcome.revealed else None
        return _section_page(request, survey, flow, section, form, progress, preview, notice=notice)
    following = flow.next_section(section, progress.answers)
    return HttpResponseRedirect(
        _section_url(survey, flow, following) if following is not None else _submit_url(survey)
    )


def _section_page(
    request: HttpRequest,
    survey: Survey,
    flow: SurveyFlow,
    section: Section,
    form: SectionForm,
    progress: Progress,
    preview: bool,
    *,
    notice: str | None = None,
    refusal: str | None = None,
    status: int = 200,
) -> HttpResponse:
    sections = flow.visible(progress.answers).sections
    position = sections.index(section) + 1
    response = render(
        request,
        "surveys/survey_section.html",
        {
            "survey": survey,
            "section": section,
            "form": form,
            "preview": preview,
            "notice": notice,
            "refusal": refusal,
            "position": position,
            "total": len(sections),
            "is_last": position == len(sections),
            "form_url": request.path,
            "start_url": _start_url(survey),
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(HOUR)
    return response


# Checking and sending ----------------------------------------------------------------------


def _too_many(request: HttpRequest, survey: Survey) -> HttpResponse:
    message = _(
        "Beaucoup de réponses ont été envoyées depuis votre connexion en peu de temps. Pour "
        "protéger ce sondage des envois automatiques, réessayez dans une heure."
    )
    return _refused(request, survey, message, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def survey_submit(request: HttpRequest, slug: str) -> HttpResponse:
    survey, preview = _survey_for(request, slug)
    refused = _gate(request, survey, preview)
    if refused is not None:
        return refused
    flow = SurveyFlow.load(survey)
    progress = Progress.load(request.session, survey)
    unfinished = flow.first_unfinished(progress)
    missing = flow.missing_required(progress)
    if unfinished is not None or missing is not None:
        back_to = unfinished or missing
        assert back_to is not None
        progress.done.discard(back_to.pk)
        progress.save(request.session, survey)
        messages.error(
            request,
            _("Il reste des questions obligatoires dans cette section. Répondez-y pour continuer."),
        )
        return HttpResponseRedirect(_section_url(survey, flow, back_to))
    if not flow.visible(progress.answers).sections:
        return HttpResponseRedirect(_start_url(survey))
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not rate_limit(
            request, scope="survey-attempts", limit=SUBMIT_ATTEMPT_LIMIT, period_seconds=HOUR
        ):
            return _too_many(request, survey)
        if form.is_valid():
            if not integrity.within_contribution_limit(
                request, scope="survey-responses", limits=RESPONSE_LIMITS, form=form
            ):
                return _too_many(request, survey)
            return _send(request, survey, flow, progress, preview)
    visible = flow.visible(progress.answers).sections
    return render(
        request,
        "surveys/survey_submit.html",
        {
            "survey": survey,
            "form": form,
            "preview": preview,
            "review": [
                (section, _section_url(survey, flow, section), answers)
                for section, _number, answers in flow.review(progress)
            ],
            "previous_url": _section_url(survey, flow, visible[-1]),
            "form_url": request.path,
        },
    )


def _send(
    request: HttpRequest, survey: Survey, flow: SurveyFlow, progress: Progress, preview: bool
) -> HttpResponse:
    response = HttpResponseRedirect(reverse("surveys:thanks", kwargs={"slug": survey.slug}))
    if preview:
        Progress.clear(request.session, survey)
        messages.info(request, _("Aperçu terminé : aucune réponse n'a été enregistrée."))
        return response
    # A new participant and their response are committed together (one write to the disk
    # instead of two); a refused response still keeps the participant and its cookie.
    with transaction.atomic():
        participant = participant_for(request, response)
        language = translation.get_language() or settings.LANGUAGE_CODE
        values = flow.shown_answers(progress.answers)
        reason = integrity.hold_reason(
            request, item=f"survey:{survey.pk}", verified=participant.has_verified_email
        )
        try:
            if reason is not None:
                hold_response(
                    survey=survey,
                    participant=participant,
                    values=values,
                    language=language,
                    reason=reason,
                )
                messages.info(
                    request,
                    _(
                        "Beaucoup de réponses à ce sondage arrivent de la même connexion ou en "
                        "même temps : la vôtre sera comptée après une vérification par l'équipe "
                        "du sondage."
                    ),
                )
            else:
                submit_response(
                    survey=survey,
                    participant=participant,
                    values=values,
                    language=language,
                    questions=flow.questions,
                )
        except ResponseRefusedError as refusal:
            refused = _refused(request, survey, str(refusal.message), status=409)
            for cookie in response.cookies.values():
                refused.cookies[cookie.key] = cookie
            return refused
    integrity.record_contribution(request)
    Progress.clear(request.session, survey)
    return response


# Thank you ---------------------------------------------------------------------------------


@require_safe
def survey_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    survey, preview = _survey_for(request, slug)
    response = render(
        request,
        "surveys/survey_thanks.html",
        {
            "survey": survey,
            "preview": preview,
            "results_url": results_url(survey),
            "project_url": project_url(survey),
            "project": _live_project(survey),
        },
    )
    return cache_scope(response, survey_scope(survey))


def _live_project(survey: Survey) -> ProjectPage | None:
    """The survey's project page in the visitor's language (French when untranslated)."""
    project = survey.project if survey.project_id is not None else None
    if project is None or not project.live:
        return None
    localized = project.localized
    return localized if localized.live else project
