"""Team pages: accepting an invitation, residents' organisation profiles, and the actions on
invitations and organisations that staff take from the lists in /gestion/."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from agora.accounts import invitations, organisations
from agora.accounts.models import Invitation, Organisation, User
from agora.accounts.staff import staff_user
from agora.accounts.team_forms import OrganisationForm

BACK_OFFICE_HOME = "wagtailadmin_home"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "the view requires a logged-in user"
    return user


# Accepting an invitation


@never_cache  # the page changes the moment the invitation is used or revoked
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitations.find_by_token(token)
        invitations.check_usable(invitation)
    except invitations.InvitationError as error:
        status = 404 if isinstance(error, invitations.InvitationUnknownError) else 410
        return render(
            request, "accounts/team_invitation_unusable.html", {"error": error}, status=status
        )

    context = {
        "invitation": invitation,
        "role": invitations.role_label(invitation.role),
        "next_query": urlencode({"next": request.path}),
    }
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(f"{reverse('account_login')}?{context['next_query']}")
        return render(request, "accounts/team_invitation.html", context)

    user = _user(request)
    if user.email.lower() != invitation.email.lower():
        wrong_address = invitations.InvitationForAnotherAddressError()
        return render(
            request,
            "accounts/team_invitation.html",
            {**context, "error": wrong_address},
            status=403 if request.method == "POST" else 200,
        )
    if request.method == "POST":
        invitations.accept(token=token, user=user)
        request.session.cycle_key()  # new rights, new session key (as at login)
        messages.success(
            request,
            _("Bienvenue dans l'équipe! Votre rôle : %(role)s.") % {"role": context["role"]},
        )
        return redirect(BACK_OFFICE_HOME)
    return render(request, "accounts/team_invitation.html", {**context, "may_accept": True})


# Organisation profiles


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/organisation_list.html",
        {"organisations": organisations.organisations_of(user).order_by("name")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisations.create_organisation(user=user, **form.cleaned_data)
        except ValidationError as refused:  # a name another organisation has
            form.add_error(None, refused)
            return render(request, "accounts/organisation_form.html", {"form": form})
        messages.success(
            request, _("Le profil de %(name)s est créé.") % {"name": organisation.name}
        )
        return redirect("organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    organisation = get_object_or_404(Organisation, pk=pk)
    if not user.has_perm("accounts.act_for_organisation", organisation):
        raise Http404  # nobody learns which profiles exist
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        was_verified = organisation.is_verified
        try:
            organisation = organisations.update_organisation(
                user=user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as refused:  # a name another organisation has
            form.add_error(None, refused)
            organisation.refresh_from_db()  # the form wrote the refused name on it
            return render(
                request,
                "accounts/organisation_form.html",
                {"form": form, "organisation": organisation},
            )
        messages.success(
            request, _("Le profil de %(name)s est enregistré.") % {"name": organisation.name}
        )
        if was_verified and not organisation.is_verified:
            messages.info(
                request,
                _(
                    "Son nom ou son site web a changé : la Ville vérifiera de nouveau le profil "
                    "avant de l'afficher comme vérifié."
                ),
            )
        return redirect("organisation_list")
    return render(
        request, "accounts/organisation_form.html", {"form": form, "organisation": organisation}
    )


# Actions in /gestion/ (their URLs are added by the viewsets of wagtail_hooks.py, behind
# Wagtail's admin access check)


@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    invitation = get_object_or_404(invitations.invitations_visible_to(user), pk=pk)
    try:
        invitation = invitations.resend(actor=user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Invitation renvoyée à %(email)s.") % {"email": invitation.email}
        )
    return redirect("team_invitations:index")


@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    invitation: Invitation = get_object_or_404(invitations.invitations_visible_to(user), pk=pk)
    try:
        invitation = invitations.revoke(actor=user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("L'invitation de %(email)s est révoquée : son lien ne fonctionne plus.")
            % {"email": invitation.email},
        )
    return redirect("team_invitations:index")


@require_POST
def organisation_verify(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    organisation = get_object_or_404(Organisation, pk=pk)
    try:
        organisation = organisations.verify_organisation(actor=user, organisation=organisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s est maintenant vérifiée.") % {"name": organisation.name}
        )
    return redirect("team_organisations:index")
