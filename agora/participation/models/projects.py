"""The "Participer" index and the project pages, with their progress updates.

A project page exists once per language (French source, English translation). Everything
residents contribute belongs to the project whatever the language it was read in: it points
to the *source* page (`ProjectPage.source`).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Locale, Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from agora.core.models import Theme
from agora.pages.models import RICH_TEXT_FEATURES
from agora.participation import components
from agora.participation.models.choices import (
    ParticipationLevel,
    ParticipationMethod,
    ProjectStatus,
)
from agora.participation.routes import (
    INDEX_ROUTES,
    PROJECT_ROUTES,
    Route,
    localized_name,
    subpage_urls,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.http import HttpRequest

    from agora.accounts.reach import StaffReach
    from agora.participation.models.phases import Phase

PROJECTS_PER_PAGE = 12


class SubpagesMixin(RoutablePageMixin):
    """Pages whose extra addresses come from a route table of `routes.py`."""

    routes: ClassVar[list[Route]] = []

    @classmethod
    def get_subpage_urls(cls) -> tuple[Any, ...]:
        return (*super().get_subpage_urls(), *subpage_urls(cls.routes))

    def subpage_url(self, name: str, **kwargs: Any) -> str:
        """The address of one of this page's routes, in the visitor's language."""
        return f"{self.url}{self.reverse_subpage(localized_name(name), kwargs=kwargs)}"


class ProjectIndexPage(SubpagesMixin, Page):
    """ "Participer": every published project, by status, theme and participation level."""

    routes = INDEX_ROUTES

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["participation.ProjectPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("index des projets")
        verbose_name_plural = _("index des projets")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from agora.participation.views import project_index_context  # views build on models

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context.update(project_index_context(request, self))
        return context

    def permissions_for_user(self, user: Any) -> Any:
        from agora.participation.page_permissions import ProjectIndexPermissionTester

        return ProjectIndexPermissionTester(user, self)


class ProjectPageForm(WagtailAdminPageForm):
    """Enforces the city's participation framework: a draft may be incomplete, but a project
    cannot be published (or sent for approval) without what residents were promised."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if self.is_deferred_validation:
            return cleaned
        for field, message in missing_framework_fields(cleaned, self.formsets["phases"]):
            self.add_error(field, message)
        return cleaned


def missing_framework_fields(cleaned: dict[str, Any], phases: Any) -> list[tuple[str | None, Any]]:
    """What the participation framework still asks for before publication."""
    problems: list[tuple[str | None, Any]] = []
    if not cleaned.get("image"):
        problems.append(
            (
                "image",
                _(
                    "Choisissez une image avant de publier : elle illustre le projet en haut "
                    "de sa page et dans la liste des projets."
                ),
            )
        )
    if not (cleaned.get("objectives") or "").strip():
        problems.append(("objectives", _("Indiquez les objectifs du projet avant de le publier.")))
    if not (cleaned.get("target_audience") or "").strip():
        problems.append(
            ("target_audience", _("Indiquez le public visé par le projet avant de le publier."))
        )
    if not cleaned.get("participation_level"):
        problems.append(
            ("participation_level", _("Choisissez le niveau de participation avant de publier."))
        )
    if not cleaned.get("feedback_due_date"):
        problems.append(
            (
                "feedback_due_date",
                _("Indiquez la date à laquelle les résidents auront une rétroaction."),
            )
        )
    kept = [
        form
        for form in getattr(phases, "forms", [])
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    if not kept:
        problems.append((None, _("Ajoutez au moins une étape au calendrier avant de publier.")))
    return problems


class ProjectPageQuerySet(PageQuerySet):
    """Projects as staff lists them in /gestion/, from a person's reach (accounts/reach.py).
    Each method is the list form of a permission of rules.py; a test walks every role."""

    def sources(self) -> ProjectPageQuerySet:
        """One page per project: its French source, which owns moderators and contributions."""
        sources: ProjectPageQuerySet = self.filter(locale=Locale.get_default())
        return sources

    def within_reach(self, reach: StaffReach, *, keeping: int | None = None) -> ProjectPageQuerySet:
        """The projects a person runs: every one for an administrator, their departments'
        for a department manager, those assigned to them for a moderator. `keeping` (a
        project already chosen) stays in the list, so that a form still shows it."""
        if reach.is_admin:
            return self
        kept = () if keeping is None else (keeping,)
        within: ProjectPageQuerySet = self.filter(
            Q(pk__in=[*reach.moderated_project_ids, *kept])
            | Q(department_id__in=reach.department_ids)
        )
        return within

    def followed_within(self, reach: StaffReach) -> ProjectPageQuerySet:
        """The projects whose dashboard a person reads (`view_project_dashboard`): every one
        for administrators and elected officials, else those they run."""
        if reach.reads_everything:
            return self
        return self.within_reach(reach)

    def moderated_within(self, reach: StaffReach) -> ProjectPageQuerySet:
        """The projects whose contributions a person moderates (`moderate_project`): every
        one for an administrator, those assigned to them for a moderator."""
        if reach.is_admin:
            return self
        moderated: ProjectPageQuerySet = self.filter(pk__in=reach.moderated_project_ids)
        return moderated


class ProjectPage(SubpagesMixin, Page):
    """A major project or consultation, with its phases, updates and accountability report."""

    routes = PROJECT_ROUTES
    search_kind = _("Projet")

    summary = models.TextField(_("résumé"), max_length=300)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    objectives = RichTextField(_("objectifs"), blank=True, features=RICH_TEXT_FEATURES)
    target_audience = models.TextField(_("public visé"), blank=True, max_length=500)
    themes = ParentalManyToManyField(Theme, verbose_name=_("thèmes"), blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("service municipal responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    location_name = models.CharField(_("lieu"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    area = models.JSONField(
        _("secteur (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Facultatif : le contour du secteur concerné, en GeoJSON (un polygone)."),
    )
    budget = models.DecimalField(
        _("budget (en dollars)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    participation_level = models.CharField(
        _("niveau de participation"),
        max_length=16,
        choices=ParticipationLevel.choices,
        blank=True,
        help_text=_("Le spectre de l'AIP2 : ce que la Ville promet aux résidents."),
    )
    feedback_due_date = models.DateField(
        _("rétroaction promise le"),
        null=True,
        blank=True,
        help_text=_("La date à laquelle la Ville dira ce qu'elle a fait des contributions."),
    )
    what_we_heard = RichTextField(
        _("ce que nous avons entendu"), blank=True, features=RICH_TEXT_FEATURES
    )
    decision = RichTextField(_("décision"), blank=True, features=RICH_TEXT_FEATURES)
    # Set by the services, never in the editor.
    accountability_published_at = models.DateTimeField(
        _("rétroaction publiée le"), null=True, blank=True, editable=False
    )
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True, editable=False)
    last_feedback_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)

    base_form_class = ProjectPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("objectives"),
                FieldPanel("target_audience"),
                FieldPanel("participation_level"),
                FieldPanel("feedback_due_date"),
            ],
            heading=_("Cadre de participation"),
        ),
        MultiFieldPanel(
            [FieldPanel("themes"), FieldPanel("department"), FieldPanel("budget")],
            heading=_("Classement"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("location_name"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
                FieldPanel("area"),
            ],
            heading=_("Lieu"),
        ),
        InlinePanel("phases", heading=_("Calendrier des étapes"), label=_("Étape")),
        InlinePanel("updates", heading=_("Évolution du projet"), label=_("Mise à jour")),
        MultiFieldPanel(
            [FieldPanel("what_we_heard"), FieldPanel("decision")],
            heading=_("Rétroaction : ce que la Ville a fait des contributions"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("objectives"),
        index.SearchField("location_name"),
        index.FilterField("participation_level"),
    ]
    parent_page_types = ["participation.ProjectIndexPage"]
    subpage_types: list[str] = []

    objects = PageManager.from_queryset(ProjectPageQuerySet)()

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")

    @classmethod
    def get_subpage_urls(cls) -> tuple[Any, ...]:
        """The project's own addresses, then those of every phase component."""
        return (*super().get_subpage_urls(), *subpage_urls(components.project_routes()))

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from agora.participation.views import project_page_context  # views build on models

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context.update(project_page_context(request, self))
        return context

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Every address of a project shows its contributions (counts, lists): residents'
        contributions renew the cached copies of the project's pages."""
        from agora.core.page_cache import cache_scope

        response = super().serve(request, *args, **kwargs)
        if not getattr(response, "_agora_cache_scope", ""):
            cache_scope(response, f"project:{self.source.pk}")
        return response

    def permissions_for_user(self, user: Any) -> Any:
        """Moderators edit only their projects; see page_permissions.py."""
        from agora.participation.page_permissions import ProjectPermissionTester

        return ProjectPermissionTester(user, self)

    def get_workflow(self) -> Any:
        """The project approval workflow (approval.py), in every language."""
        from agora.participation.approval import project_workflow

        return project_workflow() or super().get_workflow()

    @property
    def has_workflow(self) -> bool:
        return self.get_workflow() is not None

    @property
    def source(self) -> ProjectPage:
        """The page in the default language: contributions, followers and moderators belong
        to it, whatever translation they were made from."""
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self
        translated = ProjectPage.objects.filter(
            translation_key=self.translation_key, locale=default
        ).first()
        return translated or self

    def phase_list(self) -> Sequence[Phase]:
        return list(self.phases.all())

    def current_phase(self, today: datetime.date | None = None) -> Phase | None:
        today = today or timezone.localdate()
        return next((p for p in self.phase_list() if p.is_open(today)), None)

    def participation_closed_on(self) -> datetime.date | None:
        """The end of the last phase in which residents take part (not mere information)."""
        ends = [
            p.end_date
            for p in self.phase_list()
            if p.method != ParticipationMethod.INFORMATION and p.end_date
        ]
        return max(ends) if ends else None

    def status(self, today: datetime.date | None = None) -> ProjectStatus:
        """Upcoming before its first phase; finished ("Participation terminée") once every
        phase in which residents take part has closed, even if information phases go on
        (a project of information phases only: once they have all closed); in progress
        otherwise. `selectors.with_listing_status` is the database's version."""
        today = today or timezone.localdate()
        if self.archived_at is not None:
            return ProjectStatus.ARCHIVED
        phases = self.phase_list()
        if phases and all(p.start_date > today for p in phases):
            return ProjectStatus.UPCOMING
        taking_part = [p for p in phases if p.method != ParticipationMethod.INFORMATION]
        if phases and all(
            p.end_date is not None and p.end_date < today for p in taking_part or phases
        ):
            return ProjectStatus.FINISHED
        return ProjectStatus.IN_PROGRESS

    def open_phases(self, today: datetime.date | None = None) -> list[Phase]:
        """Every phase open today, in the timeline's order."""
        return [p for p in self.phase_list() if p.is_open(today)]

    @property
    def accountability_published(self) -> bool:
        return self.accountability_published_at is not None

    def awaiting_feedback(self, today: datetime.date | None = None) -> bool:
        """Participation is over and the city has not yet said what it did with it."""
        today = today or timezone.localdate()
        closed_on = self.participation_closed_on()
        return closed_on is not None and closed_on < today and not self.accountability_published

    # Set by services, never in the editor. A revision keeps the values of the day it was
    # saved; publishing it (even a later edit, built from the latest revision) must not undo
    # them, or the feedback report would be "published" again and updates announced twice.
    SERVICE_FIELDS = ("accountability_published_at", "archived_at", "last_feedback_reminder_at")

    def with_content_json(self, content: dict[str, Any]) -> ProjectPage:
        page: ProjectPage = super().with_content_json(content)
        if self.pk is None:
            return page
        # Read from the database: `self` may be an in-memory copy as old as the revision.
        stored = ProjectPage.objects.filter(pk=self.pk).values(*self.SERVICE_FIELDS).first()
        for name, value in (stored or {}).items():
            setattr(page, name, value or getattr(page, name))
        updates = ProjectUpdate.objects.filter(project_id=self.pk)
        announced = dict(updates.values_list("id", "announced_at"))
        for update in page.updates.all():
            update.announced_at = announced.get(update.pk) or update.announced_at
        return page


class ProjectUpdate(Orderable):
    """ "Évolution du projet": a dated progress update shown on the project page."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    title = models.CharField(_("titre"), max_length=160)
    body = RichTextField(_("texte"), features=RICH_TEXT_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When followers were told about it (set by the digest, so nobody hears it twice).
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [FieldPanel("date"), FieldPanel("title"), FieldPanel("body"), FieldPanel("image")]

    class Meta(Orderable.Meta):
        verbose_name = _("mise à jour")
        verbose_name_plural = _("mises à jour")

    def __str__(self) -> str:
        return self.title


def active_projects_q() -> Q:
    return Q(live=True, archived_at__isnull=True)
