"""Phase components: what residents do in a phase of a project (an idea box, a survey, …).

Participation runs projects and their phases; it knows no component. Each component app
describes itself with a subclass of `PhaseComponent` in its own `phases.py`, registers one
instance with `register()`, and imports that module from its `AppConfig.ready()`:

    # agora/polls/phases.py
    class PollComponent(PhaseComponent):
        identifier = "poll"
        label = _("Vote")
        routes = (Route("poll", "vote/", "vote/", "agora.polls.views.vote"),)
        block_template = "polls/includes/project_block.html"

    register(PollComponent())

From then on a phase may use the component as its participation method; the project page
serves its routes, shows its block and, while its phase is open, its call to action; the
project's page and card count what residents sent it; the project dashboard counts its
participants and contributions and offers its export sheets; the phase editor shows its
settings panels; the "Mes projets" panel of /gestion/'s home lists what waits for the team.

A component attaches to a phase by a model of its own with a foreign key to the phase (a
`ParentalKey` when staff edit it with the phase, in the project page's editor, like the idea
box's settings; a plain foreign key when it is edited elsewhere, like a survey). What it
stores refers to the project's source page (`ProjectPage.source`), whatever language it was
read in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import MultiFieldPanel

from agora.participation.routes import Route

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise
    from wagtail.admin.panels import Panel

    from agora.accounts.reach import StaffReach
    from agora.participation.models import Phase, ProjectPage

# A phase without a component: residents are informed, nothing is collected online.
INFORMATION = "information"


@dataclass(frozen=True)
class Block:
    """What a component shows on the project page: a template included with this context
    (the page's own context stays available: `page`, `phases`, `current_phase`, …)."""

    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Contributions:
    """One kind of contribution counted on the project dashboard, week after week.

    `queryset` holds the project's contributions of this kind; a row counts in the week of
    its `date_field` (rows without a date are not contributions yet). When `participant_field`
    names a foreign key to `participation.Participant`, whoever sent the row counts once among
    the project's participants, whatever else they did."""

    key: str
    label: StrOrPromise
    weekly_title: StrOrPromise
    queryset: QuerySet[Any]
    date_field: str = "created_at"
    participant_field: str | None = None


@dataclass(frozen=True)
class DashboardSection:
    """A part of the project dashboard only this component can tell (a template and its
    context), shown after the weekly charts."""

    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Column:
    """A column of an export sheet. A `personal` column (an e-mail address, a name) is left
    out for those who may not export personal data."""

    heading: StrOrPromise
    value: Callable[[Any], Any]
    personal: bool = False


@dataclass(frozen=True)
class ExportSheet:
    """A sheet of the project's export: a CSV file of its own and a sheet of the workbook.

    `slug` is the French word of its address and file name (`idees`); `rows(source)` gives
    the rows of the project's source page, oldest first."""

    key: str
    slug: str
    title: StrOrPromise
    columns: Sequence[Column]
    rows: Callable[[ProjectPage], Iterable[Any]]


@dataclass(frozen=True)
class PublicCount:
    """One kind of contribution counted where everyone reads it: the first screen of the
    project's page and the project's card. Only what residents can see counts (a published
    idea, not one moderation hid).

    `rows` holds the contributions of this kind of every project; `project_field` leads from a
    row to the project's source page, `participant_field` to the `Participant` who sent it
    (counted once among the project's participants, whatever else they did). `noun(n)` names
    the number ("idées", with ngettext); None: counted among the participants only."""

    key: str
    rows: QuerySet[Any]
    project_field: str
    participant_field: str
    noun: Callable[[int], str] | None = None


@dataclass(frozen=True)
class CallToAction:
    """The one action the first screen of the project's page asks of residents while a phase
    of the component is open ("Proposer une idée")."""

    label: StrOrPromise
    url: str


@dataclass(frozen=True)
class WaitingItem:
    """Something of a project that waits for the person reading /gestion/'s home: "3
    contributions à modérer", "Sondage à approuver : …". `label` says it with its number;
    `url` opens the screen where they deal with it."""

    key: str
    label: str
    url: str
    count: int = 1


class PhaseComponent:
    """A participation method a phase can use. Subclass it in the component's `phases.py`.

    Only `identifier` and `label` are required; every other part has an empty default."""

    #: Stored in `Phase.method`; never change it once phases use it.
    identifier: ClassVar[str] = ""
    #: The participation method as residents and staff read it ("Boîte à idées").
    label: ClassVar[StrOrPromise] = ""
    #: Addresses under the project page, served by the component's views, called as
    #: `view(request, page, **kwargs)`. Route names are shared by every component.
    routes: ClassVar[Sequence[Route]] = ()
    #: Panels shown under each phase in the project page's editor (the component's settings).
    settings_panels: ClassVar[Sequence[Panel]] = ()

    def block(
        self, request: HttpRequest, page: ProjectPage, phases: Sequence[Phase]
    ) -> Block | None:
        """The component's block on the project page, or None. `phases` are the page's
        phases (in its language) that use this component; the page may be an unsaved preview
        (`page.pk` is None)."""
        return None

    def contributions(self, source: ProjectPage) -> Sequence[Contributions]:
        """The project's contributions to this component, for the dashboard. `source` is the
        project's source page."""
        return ()

    def dashboard_sections(self, source: ProjectPage) -> Sequence[DashboardSection]:
        """Further parts of the project dashboard (breakdowns, tables)."""
        return ()

    def export_sheets(self) -> Sequence[ExportSheet]:
        """The sheets of the project's export."""
        return ()

    def public_counts(self) -> Sequence[PublicCount]:
        """What the project's page and cards count of this component, for everyone."""
        return ()

    def call_to_action(self, page: ProjectPage, phase: Phase) -> CallToAction | None:
        """The first screen's button while `phase` (open, of this component) runs, or None."""
        return None

    def waiting_work(
        self, projects: Sequence[ProjectPage], reach: StaffReach
    ) -> Mapping[int, Sequence[WaitingItem]]:
        """What waits for a person in each of `projects` (source pages), by project id: only
        what `reach` lets them act on (a moderator's contributions to moderate, a manager's
        survey to approve); a project where nothing waits may be left out. Read in a fixed
        number of queries whatever the number of projects: the home page lists them all."""
        return {}

    def __str__(self) -> str:
        return str(self.label)


_components: dict[str, PhaseComponent] = {}


def register(component: PhaseComponent) -> PhaseComponent:
    """Makes `component` available to every phase (called once, by its `phases.py`)."""
    identifier = component.identifier
    if not identifier or identifier == INFORMATION:
        raise ImproperlyConfigured(f"{type(component).__name__} needs an identifier of its own")
    if identifier in _components:
        raise ImproperlyConfigured(f"a phase component {identifier!r} is already registered")
    taken = {route.name for other in _components.values() for route in other.routes}
    taken |= {route.name for route in _platform_routes()}
    clashes = taken & {route.name for route in component.routes}
    if clashes:
        raise ImproperlyConfigured(f"route names already used: {', '.join(sorted(clashes))}")
    _components[identifier] = component
    _forget_project_addresses()
    return component


def unregister(identifier: str) -> None:
    """Removes a component (for tests: phases using it keep their rows)."""
    _components.pop(identifier, None)
    _forget_project_addresses()


def registered() -> list[PhaseComponent]:
    """Every component, in the order of registration (that of INSTALLED_APPS)."""
    return list(_components.values())


def get(identifier: str) -> PhaseComponent | None:
    return _components.get(identifier)


def method_choices() -> list[tuple[str, StrOrPromise]]:
    """The choices of `Phase.method`: information, then each component."""
    return [
        (INFORMATION, _("Information")),
        *((c.identifier, c.label) for c in _components.values()),
    ]


def project_routes() -> list[Route]:
    return [route for component in _components.values() for route in component.routes]


def settings_panels() -> list[Panel]:
    return [panel for component in _components.values() for panel in component.settings_panels]


class ComponentSettingsPanel(MultiFieldPanel):
    """The settings panels of every component, under each phase of the project editor. They
    are gathered when Wagtail builds the editor, after every app has registered."""

    def on_model_bound(self) -> None:
        self.children = settings_panels()
        super().on_model_bound()


def _platform_routes() -> list[Route]:
    from agora.participation.routes import PROJECT_ROUTES

    return PROJECT_ROUTES


def _forget_project_addresses() -> None:
    """Wagtail keeps a routable page's URL resolver on its class: the project page builds
    it again with the components registered now."""
    from agora.participation.models import ProjectPage

    if "_routablepage_urlresolver" in ProjectPage.__dict__:
        del ProjectPage._routablepage_urlresolver
