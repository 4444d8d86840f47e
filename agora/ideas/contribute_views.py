"""The idea box's writing side: propose an idea, react, comment, flag.

The route table (`agora.participation.routes`) calls each view as `view(request, page,
**kwargs)`, `page` being the project page in the visitor's language. Each view checks, before
anything is created, that the phase is open and that the visitor may take part in it; then
the abuse limits; then it gets (or creates, on this POST) the participant and calls one
service. A refusal is a message; nothing is written.

Rate limits count per connection over sliding windows (agora/core/integrity.py). A form sent
without the ALTCHA proof of work at the visitor's current cost (no JavaScript) is still
accepted, under a tighter limit. Each accepted contribution raises the cost of the next
proofs. An anonymous reaction that looks stuffed (many to one idea from one connection, or a
sudden rush) is held for the project's moderators instead of counted.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from agora.core import integrity
from agora.core.antispam import rate_limit
from agora.core.participants import current_participant, participant_for
from agora.core.same_origin import from_this_site_only
from agora.ideas import services
from agora.ideas.forms import WITHDRAW, CommentForm, FlagForm, IdeaForm, ReactionForm
from agora.ideas.models import Comment, Idea, Reaction, Visibility
from agora.ideas.phases import settings_of
from agora.ideas.services import ContributionRefusedError, Refusal
from agora.participation.models import Phase, ProjectPage
from agora.participation.next_steps import after_action_tags

HOUR = 60 * 60
# (with the proof of work, without it) per hour.
IDEA_LIMITS = (5, 3)
COMMENT_LIMITS = (30, 10)
# A family or a library shares an address; a script from it is stopped by holding too.
REACTION_LIMITS = (60, 20)
FLAG_LIMITS = (20, 10)
# Attempts, valid or not, before the idea form is even checked (images cost time to read).
IDEA_ATTEMPT_LIMIT = 20


def _signed_in(request: HttpRequest) -> Any:
    user = request.user
    return user if user.is_authenticated else None


def _refusal_now(request: HttpRequest, phase: Phase | None) -> ContributionRefusedError | None:
    return services.refusal_for(
        phase=phase, user=_signed_in(request), participant=current_participant(request)
    )


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _redirect_for(
    request: HttpRequest, refusal: ContributionRefusedError, back: str
) -> HttpResponse:
    """Where a refused visitor goes: to sign in or confirm their address when that is what
    the phase asks, back to the idea otherwise, with the reason as a message."""
    if refusal.reason == Refusal.NEEDS_ACCOUNT:
        messages.info(request, refusal.message)
        return HttpResponseRedirect(_with_next(reverse("account_login"), back))
    if refusal.reason == Refusal.NEEDS_VERIFIED_EMAIL:
        messages.info(request, refusal.message)
        return HttpResponseRedirect(_with_next(reverse("participants:verify"), back))
    messages.error(request, refusal.message)
    return HttpResponseRedirect(back)


def _refused_page(
    request: HttpRequest, page: ProjectPage, message: Any, *, status: int
) -> HttpResponse:
    response = render(
        request,
        "ideas/contribution_refused.html",
        {"page": page, "message": message, "back_url": page.subpage_url("ideas")},
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(HOUR)
    return response


def _too_many(request: HttpRequest, page: ProjectPage) -> HttpResponse:
    message = _(
        "Vous avez envoyé beaucoup de contributions en peu de temps. Pour protéger la "
        "boîte à idées des envois automatiques, réessayez dans une heure."
    )
    return _refused_page(request, page, message, status=429)


def _idea_of(page: ProjectPage, idea_id: int) -> Idea:
    """The idea if it belongs to this project; 404 for another project's id."""
    idea: Idea | None = Idea.objects.of_project(page).filter(pk=idea_id).first()
    if idea is None:
        raise Http404(_("Cette idée n'existe pas."))
    return idea


def _back_to(page: ProjectPage, idea: Idea) -> str:
    """The idea's page while visitors can see it, the list otherwise."""
    if idea.visibility == Visibility.PUBLISHED:
        return page.subpage_url("idea", idea_id=idea.pk)
    return page.subpage_url("ideas")


# Propose an idea ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def idea_create(request: HttpRequest, page: ProjectPage) -> HttpResponse:
    phase = services.open_idea_box(page)
    new_url = page.subpage_url("idea_new")
    refusal = _refusal_now(request, phase)
    if refusal is not None:
        if refusal.reason == Refusal.CLOSED:
            status = 403 if request.method == "POST" else 200
            return _refused_page(request, page, refusal.message, status=status)
        return _redirect_for(request, refusal, new_url)
    assert phase is not None
    if request.method == "POST" and not rate_limit(
        request, scope="idea-attempts", limit=IDEA_ATTEMPT_LIMIT, period_seconds=HOUR
    ):
        return _too_many(request, page)
    form = IdeaForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        project=page,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        if not integrity.within_contribution_limit(
            request, scope="ideas", limits=IDEA_LIMITS, form=form
        ):
            return _too_many(request, page)
        return _submit(request, page, form)
    return render(
        request,
        "ideas/idea_form.html",
        {
            "page": page,
            "form": form,
            "phase": phase,
            "pre_moderated": settings_of(phase).pre_moderated,
            "form_url": new_url,
            "list_url": page.subpage_url("ideas"),
        },
    )


def _submit(request: HttpRequest, page: ProjectPage, form: IdeaForm) -> HttpResponse:
    """Creates the idea, then leads to it (or to the list, while it waits for approval)."""
    response = HttpResponseRedirect(page.subpage_url("idea_new"))
    participant = participant_for(request, response)
    try:
        idea = services.submit_idea(
            project=page,
            participant=participant,
            language=request.LANGUAGE_CODE,
            **form.idea_values(),
        )
    except ContributionRefusedError as refused:
        messages.error(request, refused.message)
        return response
    integrity.record_contribution(request)
    if idea.visibility == Visibility.PENDING:
        messages.success(
            request,
            _("Merci! Votre idée sera publiée après approbation."),
            extra_tags=after_action_tags(idea.pk),
        )
        response["Location"] = page.subpage_url("ideas")
    else:
        messages.success(
            request, _("Merci! Votre idée est publiée."), extra_tags=after_action_tags(idea.pk)
        )
        response["Location"] = page.subpage_url("idea", idea_id=idea.pk)
    return response


# React -------------------------------------------------------------------------------------

# A support sent from the list names the list's query string in this field, so that the
# resident comes back to the same page of the same list, at the same card.
FROM_LIST_FIELD = "liste"
LIST_PARAMETERS = ("theme", "statut", "tri", "page")


def _reaction_back(request: HttpRequest, page: ProjectPage, idea: Idea) -> str:
    """Where the resident goes after reacting: back to the card on the list they came
    from (only the list's own parameters are kept), or to the idea's page."""
    if FROM_LIST_FIELD not in request.POST:
        return _back_to(page, idea)
    sent = QueryDict(request.POST[FROM_LIST_FIELD][:500])
    kept = {name: sent[name][:80] for name in LIST_PARAMETERS if sent.get(name)}
    query = f"?{urlencode(kept)}" if kept else ""
    return f"{page.subpage_url('ideas')}{query}#idea-{idea.pk}"


def _reacted_message(kind: str) -> str:
    if kind == Reaction.Kind.DISAGREE:
        return _("Votre désaccord est enregistré.")
    return _("Merci, votre appui est enregistré.")


@require_POST
def idea_react(request: HttpRequest, page: ProjectPage, idea_id: int) -> HttpResponse:
    idea = _idea_of(page, idea_id)
    back = _reaction_back(request, page, idea)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cette réaction n'a pas pu être enregistrée. Réessayez."))
        return HttpResponseRedirect(back)
    kind = form.cleaned_data["kind"]
    if kind == WITHDRAW:
        return _withdraw(request, idea, back)
    refusal = _refusal_now(request, services.phase_of(idea))
    if refusal is not None:
        return _redirect_for(request, refusal, back)
    if not integrity.within_contribution_limit(
        request, scope="reactions", limits=REACTION_LIMITS, form=form
    ):
        return _too_many(request, page)
    response = HttpResponseRedirect(back)
    participant = participant_for(request, response)
    reason = integrity.hold_reason(
        request, item=f"idea-reaction:{idea.pk}", verified=participant.has_verified_email
    )
    try:
        if reason is not None:
            services.hold_reaction(
                idea=idea,
                participant=participant,
                kind=kind,
                reason=reason,
                language=request.LANGUAGE_CODE,
            )
        else:
            services.react(idea=idea, participant=participant, kind=kind)
    except ContributionRefusedError as refused:
        messages.info(request, refused.message)
        return response
    integrity.record_contribution(request)
    if reason is not None:
        messages.info(
            request,
            _(
                "Merci. Beaucoup de réactions à cette idée arrivent de la même connexion ou en "
                "même temps : la vôtre sera comptée après une vérification par l'équipe de "
                "modération."
            ),
        )
    else:
        messages.success(request, _reacted_message(kind), extra_tags=after_action_tags(idea.pk))
    return response


@from_this_site_only
@require_POST
def idea_react_from_list(request: HttpRequest, idea_id: int) -> HttpResponse:
    """The support buttons of the idea list. The list stays in the shared page cache, so its
    forms carry no CSRF token: this address is protected by where the request comes from
    (core/same_origin.py), then does what the idea page's reaction does."""
    idea = get_object_or_404(Idea.objects.select_related("project"), pk=idea_id)
    page = idea.project.localized.specific
    if not isinstance(page, ProjectPage) or not page.live:
        raise Http404(_("Cette idée n'existe pas."))
    return idea_react(request, page, idea_id)


def _withdraw(request: HttpRequest, idea: Idea, back: str) -> HttpResponse:
    participant = current_participant(request)
    try:
        if participant is None:
            raise ContributionRefusedError(
                Refusal.NOT_REACTED, _("Vous n'aviez pas réagi à cette idée.")
            )
        services.withdraw_reaction(idea=idea, participant=participant)
    except ContributionRefusedError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Votre réaction est retirée."))
    return HttpResponseRedirect(back)


# Comment -----------------------------------------------------------------------------------


@require_POST
def idea_comment(request: HttpRequest, page: ProjectPage, idea_id: int) -> HttpResponse:
    idea = _idea_of(page, idea_id)
    back = _back_to(page, idea)
    refusal = _refusal_now(request, services.phase_of(idea))
    if refusal is not None:
        return _redirect_for(request, refusal, back)
    form = CommentForm(request.POST, user=request.user)
    if not form.is_valid():
        # The text is kept: a resident who typed a long comment does not lose it.
        return render(
            request,
            "ideas/comment_page.html",
            {"page": page, "idea": idea, "form": form, "action": request.path, "back_url": back},
        )
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(idea=idea, pk=form.cleaned_data["parent"]).first()
        if parent is None:
            raise Http404(_("Ce commentaire n'existe pas."))
    if not integrity.within_contribution_limit(
        request, scope="comments", limits=COMMENT_LIMITS, form=form
    ):
        return _too_many(request, page)
    response = HttpResponseRedirect(back)
    participant = participant_for(request, response)
    try:
        new = services.comment(
            idea=idea,
            participant=participant,
            body=form.cleaned_data["body"],
            language=request.LANGUAGE_CODE,
            parent=parent,
            **form.author_values(),
        )
    except ContributionRefusedError as refused:
        messages.error(request, refused.message)
        return response
    integrity.record_contribution(request)
    if new.visibility == Visibility.PENDING:
        messages.success(
            request,
            _("Merci! Votre commentaire sera publié après approbation."),
            extra_tags=after_action_tags(idea.pk),
        )
    else:
        messages.success(
            request,
            _("Merci, votre commentaire est publié."),
            extra_tags=after_action_tags(idea.pk),
        )
        response["Location"] = f"{back}#commentaire-{new.pk}"
    return response


# Flag --------------------------------------------------------------------------------------


@require_POST
def idea_flag(request: HttpRequest, page: ProjectPage, idea_id: int) -> HttpResponse:
    idea = _idea_of(page, idea_id)
    return _flag(request, page, idea=idea, comment=None)


@require_POST
def comment_flag(
    request: HttpRequest, page: ProjectPage, idea_id: int, comment_id: int
) -> HttpResponse:
    idea = _idea_of(page, idea_id)
    comment = Comment.objects.filter(idea=idea, pk=comment_id).first()
    if comment is None:
        raise Http404(_("Ce commentaire n'existe pas."))
    return _flag(request, page, idea=idea, comment=comment)


def _flag(
    request: HttpRequest, page: ProjectPage, *, idea: Idea, comment: Comment | None
) -> HttpResponse:
    back = _back_to(page, idea)
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez le motif du signalement, puis envoyez-le."))
        return HttpResponseRedirect(back)
    # Offensive content stays on the page after the phase closes: it can still be reported,
    # by the phase's audience.
    phase = services.phase_of(idea)
    refusal = None
    if phase is not None:
        refusal = services.audience_refusal(
            phase=phase, user=_signed_in(request), participant=current_participant(request)
        )
    if refusal is not None:
        return _redirect_for(request, refusal, back)
    if not integrity.within_contribution_limit(
        request, scope="flags", limits=FLAG_LIMITS, form=form
    ):
        return _too_many(request, page)
    # A participant created by this very request (no cookie, no account) is queued for the
    # moderators but does not count toward hiding: otherwise a few cookieless requests would
    # hide anything.
    known = _signed_in(request) is not None or current_participant(request) is not None
    response = HttpResponseRedirect(back)
    participant = participant_for(request, response)
    target: Idea | Comment = comment if comment is not None else idea
    try:
        services.flag(
            participant=participant,
            reason=form.cleaned_data["reason"],
            idea=idea if comment is None else None,
            comment=comment,
            counts_toward_hiding=known,
        )
    except ContributionRefusedError as refused:
        messages.info(request, refused.message)
        return response
    integrity.record_contribution(request)
    if target.visibility == Visibility.HIDDEN:
        messages.success(
            request,
            _("Merci. Ce contenu est masqué en attendant que l'équipe de modération l'examine."),
            extra_tags=after_action_tags(idea.pk),
        )
        if comment is None:
            response["Location"] = page.subpage_url("ideas")
    else:
        messages.success(
            request,
            _("Merci. Votre signalement est transmis à l'équipe de modération."),
            extra_tags=after_action_tags(idea.pk),
        )
    return response
