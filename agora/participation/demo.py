"""Ville de Démo's major projects: the "Participer" index, the themes, and three projects in
three states, in French and in English.

1. The riverside park: its idea box is open (agora/ideas/demo.py fills it).
2. The bike network master plan: participation has closed, the city owes its feedback.
3. The community centre: finished, "Ce que nous avons entendu" and "Décision" published.

The index and the themes are described by demo_data/participer.toml, each project by a file
of demo_data/projects/. Dates are relative to the day the demo is first built. Idempotent:
themes are found by slug, pages by slug under their parent, assignments by project and user;
what exists is kept.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django.utils import timezone
from wagtail.models import Locale, Page, Site

from agora.accounts.demo import DEMO_TEAM
from agora.accounts.models import Department, User
from agora.accounts.roles import Role
from agora.core.data_files import Text, load, texts_in
from agora.core.models import Theme
from agora.pages.demo import PageRecord, ensure_page_from
from agora.pages.models import HomePage
from agora.participation.accountability import publish_accountability
from agora.participation.demo_images import (
    Picture,
    draw_centre,
    draw_park,
    draw_street,
    ensure_picture,
)
from agora.participation.models import (
    ParticipationLevel,
    Phase,
    ProjectIndexPage,
    ProjectPage,
    ProjectUpdate,
)
from agora.participation.moderators import assign_moderator

type Fields = dict[str, Any]

DATA = Path(__file__).with_name("demo_data")


@dataclass(frozen=True)
class ThemeRecord:
    slug: str
    name: Text


@dataclass(frozen=True)
class Participer:
    """demo_data/participer.toml"""

    index: PageRecord
    themes: tuple[ThemeRecord, ...]


@dataclass(frozen=True)
class PhaseSpec:
    """One step of a timeline: days relative to today, then its texts."""

    start: int
    end: int | None
    method: str
    name: Text
    description: Text

    def fields(self, today: datetime.date, language: str) -> Fields:
        end = None if self.end is None else today + datetime.timedelta(days=self.end)
        return {
            **texts_in(self, language),
            "start_date": today + datetime.timedelta(days=self.start),
            "end_date": end,
            "method": self.method,
        }


@dataclass(frozen=True)
class UpdateSpec:
    days: int
    title: Text
    body: Text

    def fields(self, today: datetime.date, language: str) -> Fields:
        return {"date": today + datetime.timedelta(days=self.days), **texts_in(self, language)}


@dataclass(frozen=True, kw_only=True)
class ProjectSpec:
    """A file of demo_data/projects/."""

    title: Text
    slug: Text
    summary: Text
    body: Text
    objectives: Text
    target_audience: Text
    location_name: Text
    what_we_heard: Text | None = None
    decision: Text | None = None
    participation_level: ParticipationLevel
    latitude: Decimal
    longitude: Decimal
    budget: Decimal
    department: str
    themes: tuple[str, ...]
    phases: tuple[PhaseSpec, ...]
    updates: tuple[UpdateSpec, ...]
    feedback_due_in_days: int
    accountability_published_days_ago: int | None = None
    moderated_by_demo_moderator: bool = False


PARTICIPER = load(DATA / "participer.toml", Participer)
RIVERSIDE_PARK = load(DATA / "projects" / "riverside-park.toml", ProjectSpec)
BIKE_NETWORK = load(DATA / "projects" / "bike-network.toml", ProjectSpec)
COMMUNITY_CENTRE = load(DATA / "projects" / "community-centre.toml", ProjectSpec)
PROJECTS = [RIVERSIDE_PARK, BIKE_NETWORK, COMMUNITY_CENTRE]

# Each project's picture (a published project has one), by its French slug.
PICTURES = {
    RIVERSIDE_PARK.slug.fr: Picture(
        "Parc riverain (illustration)",
        "Un parc au bord de la rivière : des arbres, un sentier et un quai.",
        draw_park,
    ),
    BIKE_NETWORK.slug.fr: Picture(
        "Réseau cyclable (illustration)",
        "Une rue bordée d'une piste cyclable protégée, un vélo y circule.",
        draw_street,
    ),
    COMMUNITY_CENTRE.slug.fr: Picture(
        "Centre communautaire (illustration)",
        "Un centre communautaire aux grandes fenêtres, devant une place.",
        draw_centre,
    ),
}

IDEA_BOX_PROJECT_SLUG = RIVERSIDE_PARK.slug.fr
AWAITING_FEEDBACK_PROJECT_SLUG = BIKE_NETWORK.slug.fr
FINISHED_PROJECT_SLUG = COMMUNITY_CENTRE.slug.fr


def _email_of(role: Role) -> str:
    return next(email for team_role, email, _first, _last in DEMO_TEAM if team_role == role)


def ensure_themes() -> dict[str, Theme]:
    themes = {}
    for record in PARTICIPER.themes:
        theme, _created = Theme.objects.get_or_create(
            slug=record.slug, defaults={"name_fr": record.name.fr, "name_en": record.name.en}
        )
        themes[record.slug] = theme
    return themes


def ensure_index(home: Page) -> ProjectIndexPage:
    return cast(ProjectIndexPage, ensure_page_from(home, ProjectIndexPage, PARTICIPER.index))


def _new_project(
    spec: ProjectSpec,
    language: str,
    *,
    today: datetime.date,
    themes: dict[str, Theme],
    phase_keys: list[Any] | None = None,
    **page_fields: Any,
) -> ProjectPage:
    page = ProjectPage(
        **texts_in(spec, language),
        **page_fields,
        participation_level=spec.participation_level,
        latitude=spec.latitude,
        longitude=spec.longitude,
        budget=spec.budget,
        department=Department.objects.filter(name=spec.department).first(),
        feedback_due_date=today + datetime.timedelta(days=spec.feedback_due_in_days),
    )
    # The editor numbers phases in their order; so does the demo, or their order is the
    # database's whim.
    phases = [
        Phase(sort_order=position, **phase.fields(today, language))
        for position, phase in enumerate(spec.phases)
    ]
    for phase, key in zip(phases, phase_keys or [], strict=False):
        phase.translation_key = key  # a translated phase is the same phase
    page.phases = phases
    page.updates = [
        ProjectUpdate(sort_order=position, **update.fields(today, language))
        for position, update in enumerate(spec.updates)
    ]
    page.themes = [themes[slug] for slug in spec.themes]
    return page


def _publish(page: Page) -> None:
    page.save_revision().publish()
    page.refresh_from_db()


def ensure_project(
    index: ProjectIndexPage, spec: ProjectSpec, themes: dict[str, Theme]
) -> ProjectPage:
    """The French project under `index` with the spec's slug, and its English translation
    (whose phases share the French phases' translation keys)."""
    today = timezone.localdate()
    image = ensure_picture(PICTURES[spec.slug.fr])
    page: ProjectPage | None = ProjectPage.objects.child_of(index).filter(slug=spec.slug.fr).first()
    if page is None:
        page = _new_project(spec, "fr", today=today, themes=themes, image=image)
        index.add_child(instance=page)
        _publish(page)
    english = Locale.objects.get(language_code="en")
    _give_picture(page, image)
    existing_translation = page.get_translation_or_none(english)
    if existing_translation is not None:
        _give_picture(existing_translation.specific, image)
    if page.get_translation_or_none(english) is None:
        phase_keys = [phase.translation_key for phase in page.phases.all()]
        translation = _new_project(
            spec,
            "en",
            today=today,
            themes=themes,
            phase_keys=phase_keys,
            locale=english,
            translation_key=page.translation_key,
            image=image,
        )
        index.get_translation(english).add_child(instance=translation)
        _publish(translation)
    if spec.accountability_published_days_ago is not None:
        # As if published from the page editor that day (does nothing the second time).
        days = datetime.timedelta(days=spec.accountability_published_days_ago)
        administrator = User.objects.filter(email=_email_of(Role.ADMINISTRATOR)).first()
        publish_accountability(project=page, actor=administrator, now=timezone.now() - days)
        page.refresh_from_db()
    return page


def _give_picture(page: ProjectPage, image: Any) -> None:
    """A project built before pictures were required gets its picture, in a new revision."""
    if page.image_id is None:
        page.image = image
        _publish(page)


def ensure_moderator(project: ProjectPage) -> None:
    """The demo moderator runs the project, assigned by the manager of its department."""
    moderator = User.objects.filter(email=_email_of(Role.PROJECT_MODERATOR)).first()
    manager = User.objects.filter(email=_email_of(Role.DEPARTMENT_MANAGER)).first()
    if moderator is None or manager is None:
        return
    assign_moderator(project=project, user=moderator, actor=manager)


def seed(report: list[str]) -> None:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage), "agora/pages/demo.py builds the home page first"
    themes = ensure_themes()
    index = ensure_index(home)
    projects = []
    for spec in PROJECTS:
        project = ensure_project(index, spec, themes)
        if spec.moderated_by_demo_moderator:
            ensure_moderator(project)
        projects.append(project)
    park, bikes, centre = projects
    english = index.get_translation(Locale.objects.get(language_code="en"))
    moderator = _email_of(Role.PROJECT_MODERATOR)
    report.append(
        f"Participer: {index.url} ({english.url}) - {len(projects)} projects, "
        f"{len(themes)} themes; {moderator} moderates the first two."
    )
    report.append(f"  idea box open: {park.url}")
    report.append(f"  awaiting feedback (due {bikes.feedback_due_date}): {bikes.url}")
    report.append(f"  finished, decision published: {centre.url}")
