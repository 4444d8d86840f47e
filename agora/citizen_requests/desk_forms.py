"""The forms of the clerk's desk in /gestion/requetes/: the queue's filters and its bulk
assignment, and the acts on one request (status, assignment, note or public reply, question,
merge, reopening). They parse input only: the workflow's rules (which move is legal, which
note is required, who may be assigned) are workflow.py's, whose refusals the views show on the
form. The texts are not limited here either: workflow.py says how long a note may be."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import Department, User
from agora.citizen_requests import desk_selectors
from agora.citizen_requests.desk_selectors import (
    AGES,
    ALL,
    CLOSED,
    OPEN,
    SORT_LABELS,
    Choices,
    QueueFilters,
)
from agora.citizen_requests.models import CitizenRequest, ReplyTemplate, RequestStatus
from agora.citizen_requests.workflow import NOTE_MAX_LENGTH, agents_for, allowed_moves

WITHOUT_DEPARTMENT = "aucun"
# The button that fills a text with a standard reply instead of saving (no JavaScript).
USE_TEMPLATE = "utiliser-reponse-type"
INTERNAL = "interne"
PUBLIC = "publique"


def _text_area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": NOTE_MAX_LENGTH})


def _agent_name(user: User) -> str:
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


class AgentChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return _agent_name(obj)


# The queue ---------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The queue's filters, sent by GET: the address of a filtered queue can be shared."""

    etat = forms.ChoiceField(label=_("État"), required=False)
    service = forms.TypedChoiceField(
        label=_("Service"), required=False, coerce=int, empty_value=None
    )
    theme = forms.TypedChoiceField(label=_("Thème"), required=False, coerce=int, empty_value=None)
    departement = forms.ChoiceField(label=_("Service municipal"), required=False)
    quartier = forms.ChoiceField(label=_("Quartier"), required=False)
    anciennete = forms.TypedChoiceField(
        label=_("Reçue"), required=False, coerce=int, empty_value=None
    )
    en_retard = forms.BooleanField(label=_("En retard seulement"), required=False)
    tri = forms.ChoiceField(label=_("Ordre"), required=False)

    def __init__(self, data: Any, *, choices: Choices) -> None:
        super().__init__(data)
        everything = [("", _("Tous"))]
        self._offer(
            "etat",
            [
                (OPEN, _("Ouvertes")),
                (CLOSED, _("Fermées")),
                (ALL, _("Toutes")),
                *RequestStatus.choices,
            ],
        )
        self._offer("service", [*everything, *choices.services])
        self._offer("theme", [*everything, *choices.themes])
        self._offer(
            "departement",
            [
                *everything,
                (WITHOUT_DEPARTMENT, _("Sans service municipal")),
                *((str(pk), name) for pk, name in choices.departments),
            ],
        )
        if choices.districts:
            self._offer("quartier", [*everything, *((d, d) for d in choices.districts)])
        else:
            del self.fields["quartier"]  # the city has no districts (RequestSettings)
        self._offer(
            "anciennete",
            [
                ("", _("Depuis n'importe quand")),
                *((days, _("Il y a plus de %(days)d jours") % {"days": days}) for days in AGES),
            ],
        )
        self._offer("tri", list(SORT_LABELS.items()))

    def _offer(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self) -> QueueFilters:
        """The filters asked; a value that is not offered counts as not asked."""
        self.is_valid()
        data = self.cleaned_data
        department = data.get("departement") or ""
        return QueueFilters(
            service_id=data.get("service"),
            theme_id=data.get("theme"),
            status=data.get("etat") or OPEN,
            department_id=int(department) if department.isdigit() else None,
            without_department=department == WITHOUT_DEPARTMENT,
            district=data.get("quartier") or "",
            older_than_days=data.get("anciennete"),
            overdue=bool(data.get("en_retard")),
            sort=data.get("tri") or desk_selectors.OLDEST,
        )


class SelectedRequestsField(forms.Field):
    """The requests ticked in the queue, by key."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Cochez au moins une requête."),
        "invalid": _("La sélection envoyée n'est pas valide."),
    }

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            return sorted({int(item) for item in values})
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BulkAssignForm(forms.Form):
    """Gives the requests ticked in the queue to a department and, optionally, an agent."""

    demandes = SelectedRequestsField()
    department = forms.ModelChoiceField(
        label=_("Service municipal"),
        queryset=Department.objects.all(),
        empty_label=_("Choisissez un service municipal"),
        error_messages={"required": _("Choisissez le service municipal.")},
    )
    assignee = AgentChoiceField(
        label=_("Responsable (facultatif)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Personne en particulier"),
        help_text=_("Une personne du service choisi, un préposé ou un administrateur."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = desk_selectors.possible_agents()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        department, assignee = cleaned.get("department"), cleaned.get("assignee")
        if department is not None and assignee is not None and not _fits(assignee, department):
            self.add_error(
                "assignee",
                _("%(person)s ne travaille pas pour ce service municipal.")
                % {"person": _agent_name(assignee)},
            )
        return cleaned


def _fits(assignee: User, department: Department | None) -> bool:
    agents = agents_for(department)
    if isinstance(agents, QuerySet):
        return agents.filter(pk=assignee.pk).exists()
    return any(agent.pk == assignee.pk for agent in agents)


# One request -------------------------------------------------------------------------------


class ReplyTemplateField(forms.ModelChoiceField[ReplyTemplate]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Réponse type"),
            queryset=ReplyTemplate.objects.all(),
            required=False,
            empty_label=_("Aucune"),
            help_text=_(
                "Choisissez-en une puis « Utiliser la réponse type » : le texte ci-dessous la "
                "reprend, dans la langue de la requête, et vous pouvez l'ajuster avant "
                "d'enregistrer."
            ),
            **kwargs,
        )


class WithReplyTemplate(forms.Form):
    """A form whose text may start from a standard reply."""

    text_field = "note"
    template = ReplyTemplateField()

    def with_template(self, citizen_request: CitizenRequest) -> dict[str, Any] | None:
        """The initial values of the form again, its text replaced by the chosen template's
        body in the request's language; None (and an error on the form) when none is
        chosen."""
        self.is_valid()
        template = self.cleaned_data.get("template")
        if template is None:
            self.errors.clear()
            self.add_error("template", _("Choisissez une réponse type à utiliser."))
            return None
        initial = {name: self.data.get(self.add_prefix(name), "") for name in self.fields}
        initial["template"] = template.pk
        initial[self.text_field] = template.body_in(citizen_request.language)
        return initial


class StatusForm(WithReplyTemplate):
    status = forms.ChoiceField(
        label=_("Nouvel état"),
        choices=RequestStatus.choices,
        error_messages={"required": _("Choisissez le nouvel état.")},
    )
    note = forms.CharField(
        label=_("Note publique"),
        required=False,
        widget=_text_area(),
        help_text=_(
            "Envoyée au requérant et aux personnes qui suivent la requête, et affichée sur la "
            "page de suivi. Obligatoire pour refuser (la raison) ou transmettre (l'organisme "
            "qui la reçoit)."
        ),
    )
    field_order = ["status", "template", "note"]

    def __init__(self, *args: Any, request: CitizenRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the legal moves are offered; any other is refused by workflow.py with its reason.
        self.fields["status"].widget.choices = [
            ("", _("Choisissez le nouvel état")),
            *((status.value, status.label) for status in allowed_moves(request)),
        ]


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Service municipal"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("Aucun"),
    )
    assignee = AgentChoiceField(
        label=_("Responsable"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Personne en particulier"),
        help_text=_(
            "Les membres et les gestionnaires du service municipal de la requête, les "
            "préposés et les administrateurs. Pour confier la requête à une personne d'un "
            "autre service, attribuez-la d'abord à ce service."
        ),
    )

    def __init__(self, *args: Any, request: CitizenRequest, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"department": request.department_id, "assignee": request.assignee_id}
        )
        super().__init__(*args, **kwargs)
        agents = agents_for(request.department)
        self.fields["assignee"].queryset = (  # type: ignore[attr-defined]
            agents
            if isinstance(agents, QuerySet)
            else User.objects.filter(pk__in=[agent.pk for agent in agents])
        )


class NoteForm(WithReplyTemplate):
    text_field = "text"
    visibility = forms.ChoiceField(
        label=_("Qui la lit"),
        choices=[
            (INTERNAL, _("Note interne : seule l'équipe de la Ville la lit")),
            (
                PUBLIC,
                _(
                    "Réponse publique : envoyée au requérant et aux personnes qui suivent la "
                    "requête"
                ),
            ),
        ],
        initial=INTERNAL,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("Texte"), required=False, widget=_text_area(5))
    field_order = ["visibility", "template", "text"]

    @property
    def public(self) -> bool:
        return self.cleaned_data.get("visibility") == PUBLIC


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Question au requérant"),
        required=False,
        widget=_text_area(3),
        help_text=_(
            "Envoyée au requérant, qui y répond par son lien de suivi privé. Les personnes qui "
            "suivent la requête ne la reçoivent pas."
        ),
    )


class MergeForm(forms.Form):
    number = forms.CharField(
        label=_("Numéro de suivi de la requête d'origine"),
        max_length=40,
        help_text=_(
            "Par exemple R-2026-000042. Cette requête-ci sera fermée comme doublon; son "
            "requérant et les personnes qui l'appuient suivront la requête d'origine."
        ),
        error_messages={"required": _("Écrivez le numéro de suivi de la requête d'origine.")},
    )
    note = forms.CharField(
        label=_("Note publique (facultative)"),
        required=False,
        widget=_text_area(3),
        help_text=_("Envoyée au requérant de cette requête-ci."),
    )


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("Raison"),
        required=False,
        widget=_text_area(3),
        help_text=_("Envoyée au requérant et aux personnes qui suivent la requête."),
    )
