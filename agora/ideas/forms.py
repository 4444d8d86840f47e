"""The forms residents fill in the idea box. Plain text only: what they type is shown
escaped, never as HTML. Every form carries the abuse-control fields (a honeypot, and ALTCHA
where the resident writes text); the views apply the rate limits."""

from __future__ import annotations

import decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import Organisation
from agora.accounts.organisations import name_is_reserved
from agora.core.antispam import AltchaFormMixin, HoneypotFormMixin
from agora.core.images import reencode_image
from agora.core.models import Theme
from agora.ideas.models import FlagReason, Reaction
from agora.ideas.services import AUTHOR_NAME_MAX_LENGTH, RESERVED_AUTHOR_NAME
from agora.participation.models import ProjectPage

COORDINATE_PLACES = decimal.Decimal("0.000001")
WITHDRAW = "withdraw"


def idea_themes(project: ProjectPage) -> QuerySet[Theme]:
    """The themes an idea of this project may carry: the project's own, or every theme
    when the project names none."""
    own = project.source.themes.all()
    return own if own.exists() else Theme.objects.all()


class AuthorFieldsMixin(forms.Form):
    """Who the contribution is shown as. A signed-in resident posts under their public name
    (no name field), and under one of their organisations if they choose; anyone else may
    give a first name or a pseudonym, or stay "Participant anonyme"."""

    author_name = forms.CharField(
        label=_("Votre prénom ou un pseudonyme"),
        max_length=AUTHOR_NAME_MAX_LENGTH,
        required=False,
        help_text=_("Laissez vide pour paraître comme « Participant anonyme »."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Publier au nom de"),
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Vous ne représentez pas cette organisation.")},
    )

    def setup_author_fields(self, user: Any) -> None:
        signed_in = user is not None and user.is_authenticated
        organisations = (
            Organisation.objects.filter(members=user).order_by("name")
            if signed_in
            else Organisation.objects.none()
        )
        if signed_in:
            del self.fields["author_name"]
        if signed_in and organisations.exists():
            field = self.fields["organisation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = organisations
            field.empty_label = str(_("Moi-même (%(name)s)") % {"name": user.public_name})
        else:
            del self.fields["organisation"]

    def clean_author_name(self) -> str:
        name = " ".join(self.cleaned_data.get("author_name", "").split())
        if name_is_reserved(name):
            raise forms.ValidationError(RESERVED_AUTHOR_NAME, code="reserved_name")
        return name

    def author_values(self) -> dict[str, Any]:
        return {
            "author_name": self.cleaned_data.get("author_name", ""),
            "organisation": self.cleaned_data.get("organisation"),
        }


class IdeaForm(AuthorFieldsMixin, HoneypotFormMixin, AltchaFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Titre de votre idée"),
        max_length=140,
        help_text=_("En quelques mots, par exemple « Des bancs à l'ombre près du sentier »."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Ce que vous proposez, et pourquoi. Texte simple, 5000 caractères au plus."),
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("Aucun thème en particulier"),
        error_messages={"invalid_choice": _("Choisissez un thème de la liste.")},
    )
    location_name = forms.CharField(
        label=_("Lieu"),
        max_length=200,
        required=False,
        help_text=_("Une adresse, une intersection ou un repère, par exemple « Parc Jarry »."),
    )
    # Filled by the map of the location picker; without JavaScript the place's name is enough.
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        localize=False,
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        localize=False,
        widget=forms.HiddenInput,
    )
    image = forms.FileField(
        label=_("Photo ou illustration"),
        required=False,
        help_text=_(
            "Une image JPEG, PNG ou WebP de 10 Mo au plus. Sa position GPS et ses autres "
            "métadonnées seront retirées."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    image_description = forms.CharField(
        label=_("Description de l'image"),
        max_length=200,
        required=False,
        help_text=_("Ce que montre l'image, pour les personnes qui ne la voient pas."),
    )

    field_order = [
        "title",
        "description",
        "theme",
        "location_name",
        "latitude",
        "longitude",
        "image",
        "image_description",
        "author_name",
        "organisation",
    ]

    def __init__(self, *args: Any, project: ProjectPage, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ModelChoiceField)
        theme.queryset = idea_themes(project)
        self.setup_author_fields(user)

    def clean_image(self) -> Any:
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        return reencode_image(upload)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        one_coordinate_only = (latitude is None) != (longitude is None)
        if one_coordinate_only and not (self.has_error("latitude") or self.has_error("longitude")):
            self.add_error(
                "latitude", _("Indiquez à la fois la latitude et la longitude, ou aucune.")
            )
        for name in ("latitude", "longitude"):
            if cleaned.get(name) is not None:
                cleaned[name] = cleaned[name].quantize(COORDINATE_PLACES)
        if cleaned.get("image") and not (cleaned.get("image_description") or "").strip():
            self.add_error(
                "image_description",
                _("Décrivez l'image en quelques mots pour les personnes qui ne la voient pas."),
            )
        return cleaned

    def idea_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "theme": data.get("theme"),
            "location_name": data.get("location_name", ""),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "image": data.get("image"),
            "image_description": data.get("image_description", ""),
            **self.author_values(),
        }


class ReactionForm(HoneypotFormMixin, AltchaFormMixin, forms.Form):
    """Support, disagree, or take one's reaction back: the button pressed says which. The
    proof of work is fetched when the button is pressed (the list's page is cached)."""

    kind = forms.ChoiceField(
        choices=[*Reaction.Kind.choices, (WITHDRAW, _("Retirer ma réaction"))],
        error_messages={"invalid_choice": _("Cette réaction n'existe pas.")},
    )


class CommentForm(AuthorFieldsMixin, HoneypotFormMixin, AltchaFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Votre commentaire"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Écrivez votre commentaire.")},
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    field_order = ["body", "author_name", "organisation"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_author_fields(user)


class FlagForm(HoneypotFormMixin, AltchaFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Pourquoi signalez-vous ce contenu?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez le motif du signalement."),
            "invalid_choice": _("Choisissez le motif du signalement."),
        },
    )
