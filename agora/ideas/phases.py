"""The idea box as a phase component: its addresses under the project, its block on the
project page, its settings under each phase of the editor, what the project dashboard counts
and the sheets of the project's export. Registered by `IdeasConfig.ready()`.

The settings of a phase (`IdeaBoxSettings`) are its children in the page editor; a phase
saved without them runs with those of its other languages, or the defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, Value, When
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel

from agora.core.charts import bar_chart
from agora.ideas.models import (
    Comment,
    Idea,
    IdeaBoxSettings,
    IdeaStatus,
    Reaction,
    Visibility,
)
from agora.ideas.moderation_queue import Queue, queue_counts
from agora.participation.components import (
    Block,
    CallToAction,
    Column,
    Contributions,
    DashboardSection,
    ExportSheet,
    PhaseComponent,
    PublicCount,
    WaitingItem,
    register,
)
from agora.participation.exports import local_time
from agora.participation.routes import Route

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from agora.accounts.reach import StaffReach
    from agora.participation.models import Phase, ProjectPage

IDEA_BOX = "idea_box"
CHART_TABLE_CLASS = "listing agora-chart__table"


def settings_of(phase: Phase) -> IdeaBoxSettings:
    """The idea-box settings of `phase`: those saved with it, else (a translation saved
    without them) those of the same phase in another language, else the defaults. Read once
    per phase object."""
    cached: IdeaBoxSettings | None = getattr(phase, "_idea_box_settings", None)
    if cached is not None:
        return cached
    found = None
    if phase.pk is not None:
        own_first = Case(When(phase_id=phase.pk, then=Value(0)), default=Value(1))
        found = (
            IdeaBoxSettings.objects.filter(phase__translation_key=phase.translation_key)
            .order_by(own_first, "pk")
            .first()
        )
    settings = found or IdeaBoxSettings(phase=phase)
    phase._idea_box_settings = settings
    return settings


def is_idea_box(phase: Phase) -> bool:
    return phase.method == IDEA_BOX


def published_idea_count(project: ProjectPage, phase: Phase) -> int:
    """Published ideas of an idea-box phase, in one query: ideas belong to the French source
    page, which shares the translation key of every translation."""
    return (
        Idea.objects.published()
        .filter(phase_key=phase.translation_key, project__translation_key=project.translation_key)
        .count()
    )


# The sheets of the project's export --------------------------------------------------------


def _account(contribution: Any) -> Any:
    return contribution.author.user


def _account_email(contribution: Any) -> str:
    account = _account(contribution)
    return str(account.email) if account else ""


def _account_name(contribution: Any) -> str:
    account = _account(contribution)
    return str(account.get_full_name()) if account else ""


IDEA_COLUMNS = [
    Column(_("Identifiant"), lambda idea: idea.pk),
    Column(_("Titre"), lambda idea: idea.title),
    Column(_("Description"), lambda idea: idea.description),
    Column(_("Thème"), lambda idea: idea.theme.name if idea.theme else ""),
    Column(_("Lieu"), lambda idea: idea.location_name),
    Column(_("Latitude"), lambda idea: idea.latitude),
    Column(_("Longitude"), lambda idea: idea.longitude),
    Column(_("Statut"), lambda idea: idea.get_status_display()),
    Column(_("Explication de la Ville"), lambda idea: idea.status_explanation),
    Column(_("Visibilité"), lambda idea: idea.get_visibility_display()),
    Column(_("Appuis"), lambda idea: idea.support_count),
    Column(_("Désaccords"), lambda idea: idea.disagree_count),
    Column(_("Commentaires"), lambda idea: idea.comment_count),
    Column(_("Signalements en attente"), lambda idea: idea.flag_count),
    Column(_("Publiée le"), lambda idea: local_time(idea.created_at)),
    Column(_("Nom affiché"), lambda idea: idea.display_name),
    Column(_("Organisation"), lambda idea: idea.organisation.name if idea.organisation else ""),
    Column(_("Courriel du participant"), lambda idea: idea.author.email, personal=True),
    Column(_("Courriel du compte"), _account_email, personal=True),
    Column(_("Nom du compte"), _account_name, personal=True),
]

COMMENT_COLUMNS = [
    Column(_("Identifiant"), lambda comment: comment.pk),
    Column(_("Idée"), lambda comment: comment.idea_id),
    Column(_("Titre de l'idée"), lambda comment: comment.idea.title),
    Column(_("En réponse au commentaire"), lambda comment: comment.parent_id or ""),
    Column(_("Commentaire"), lambda comment: comment.body),
    Column(_("Visibilité"), lambda comment: comment.get_visibility_display()),
    Column(_("Signalements en attente"), lambda comment: comment.flag_count),
    Column(_("Publié le"), lambda comment: local_time(comment.created_at)),
    Column(_("Nom affiché"), lambda comment: comment.display_name),
    Column(
        _("Organisation"),
        lambda comment: comment.organisation.name if comment.organisation else "",
    ),
    Column(_("Courriel du participant"), lambda comment: comment.author.email, personal=True),
    Column(_("Courriel du compte"), _account_email, personal=True),
    Column(_("Nom du compte"), _account_name, personal=True),
]


def _idea_rows(source: ProjectPage) -> Iterable[Idea]:
    return (
        Idea.objects.filter(project=source)
        .select_related("theme", "organisation", "author__user")
        .order_by("created_at", "pk")
        .iterator(chunk_size=1000)
    )


def _comment_rows(source: ProjectPage) -> Iterable[Comment]:
    return (
        Comment.objects.filter(idea__project=source)
        .select_related("idea", "organisation", "author__user")
        .order_by("created_at", "pk")
        .iterator(chunk_size=1000)
    )


# The dashboard -----------------------------------------------------------------------------


def _counts(queryset: QuerySet[Any], field_name: str) -> dict[str, int]:
    rows = (
        queryset.order_by().values(field_name).annotate(n=Count("pk")).values_list(field_name, "n")
    )
    return dict(rows)


def ideas_by_status(ideas: QuerySet[Idea]) -> list[tuple[str, int]]:
    """Every status in its order, with its count of published ideas (zero included)."""
    counts = _counts(ideas.filter(visibility=Visibility.PUBLISHED), "status")
    return [(str(label), counts.get(value, 0)) for value, label in IdeaStatus.choices]


def ideas_by_theme(ideas: QuerySet[Idea]) -> list[tuple[str, int]]:
    """Published ideas by theme, the most frequent first, in the reader's language."""
    rows = (
        ideas.filter(visibility=Visibility.PUBLISHED)
        .order_by()
        .values("theme__name_fr", "theme__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "theme__name_fr")
    )
    english = (get_language() or "fr").startswith("en")
    return [
        (
            (row["theme__name_en"] if english and row["theme__name_en"] else row["theme__name_fr"])
            or str(_("Sans thème")),
            row["n"],
        )
        for row in rows
    ]


def by_visibility(ideas: QuerySet[Idea], comments: QuerySet[Comment]) -> list[tuple[str, int, int]]:
    """Label, ideas, comments: how much of what residents sent is published."""
    idea_counts, comment_counts = _counts(ideas, "visibility"), _counts(comments, "visibility")
    return [
        (str(label), idea_counts.get(value, 0), comment_counts.get(value, 0))
        for value, label in Visibility.choices
    ]


def _breakdown(title: Any, heading: Any, counts: list[tuple[str, int]]) -> Any:
    if not counts:
        return None
    return bar_chart(
        title=str(title),
        categories=[label for label, _count in counts],
        values=[count for _label, count in counts],
        category_heading=str(heading),
        value_heading=str(_("Idées")),
        horizontal=True,
        table_class=CHART_TABLE_CLASS,
    )


class IdeaBoxComponent(PhaseComponent):
    """Residents propose ideas, support them (or disagree), comment and follow them."""

    identifier = IDEA_BOX
    label = _("Boîte à idées")
    routes = (
        Route("ideas", "idees/", "ideas/", "agora.ideas.views.idea_list"),
        Route("ideas_map", "idees/carte/", "ideas/map/", "agora.ideas.views.idea_map"),
        Route(
            "idea_new", "idees/nouvelle/", "ideas/new/", "agora.ideas.contribute_views.idea_create"
        ),
        Route(
            "idea", "idees/<int:idea_id>/", "ideas/<int:idea_id>/", "agora.ideas.views.idea_detail"
        ),
        Route(
            "idea_react",
            "idees/<int:idea_id>/reagir/",
            "ideas/<int:idea_id>/react/",
            "agora.ideas.contribute_views.idea_react",
        ),
        Route(
            "idea_comment",
            "idees/<int:idea_id>/commenter/",
            "ideas/<int:idea_id>/comment/",
            "agora.ideas.contribute_views.idea_comment",
        ),
        Route(
            "idea_flag",
            "idees/<int:idea_id>/signaler/",
            "ideas/<int:idea_id>/flag/",
            "agora.ideas.contribute_views.idea_flag",
        ),
        Route(
            "comment_flag",
            "idees/<int:idea_id>/commentaires/<int:comment_id>/signaler/",
            "ideas/<int:idea_id>/comments/<int:comment_id>/flag/",
            "agora.ideas.contribute_views.comment_flag",
        ),
        Route(
            "idea_follow",
            "idees/<int:idea_id>/suivre/",
            "ideas/<int:idea_id>/follow/",
            "agora.ideas.feedback_views.idea_follow",
        ),
    )
    settings_panels = (
        InlinePanel(
            "idea_box_settings",
            heading=_("Boîte à idées"),
            label=_("Réglages de la boîte à idées"),
            help_text=_(
                "Pour une étape « Boîte à idées » seulement. Sans réglages, tout le monde "
                "participe, sans compte, les idées paraissent tout de suite et le désaccord "
                "n'est pas offert."
            ),
            max_num=1,
        ),
    )

    def block(
        self, request: HttpRequest, page: ProjectPage, phases: Sequence[Phase]
    ) -> Block | None:
        """The open idea box: how long it stays open, its published ideas, its two links."""
        phase = next((p for p in phases if p.is_open()), None)
        if phase is None or page.pk is None:
            return None
        return Block(
            "ideas/includes/project_block.html",
            {
                "idea_box": {
                    "phase": phase,
                    "count": published_idea_count(page, phase),
                    "list_url": page.subpage_url("ideas"),
                    "new_url": page.subpage_url("idea_new"),
                }
            },
        )

    def contributions(self, source: ProjectPage) -> Sequence[Contributions]:
        return (
            Contributions(
                "ideas",
                _("Idées"),
                _("Idées par semaine"),
                Idea.objects.filter(project=source),
                participant_field="author",
            ),
            Contributions(
                "comments",
                _("Commentaires"),
                _("Commentaires par semaine"),
                Comment.objects.filter(idea__project=source),
                participant_field="author",
            ),
            Contributions(
                "reactions",
                _("Réactions"),
                _("Réactions par semaine"),
                Reaction.objects.filter(idea__project=source),
                participant_field="participant",
            ),
        )

    def public_counts(self) -> Sequence[PublicCount]:
        """Published ideas; their authors, those of published comments and whoever
        supported or disagreed with a published idea take part."""
        return (
            PublicCount(
                "ideas",
                Idea.objects.published(),
                "project",
                "author",
                noun=lambda count: ngettext("idée", "idées", count),
            ),
            PublicCount(
                "comments",
                Comment.objects.published().filter(idea__visibility=Visibility.PUBLISHED),
                "idea__project",
                "author",
            ),
            PublicCount(
                "reactions",
                Reaction.objects.filter(idea__visibility=Visibility.PUBLISHED),
                "idea__project",
                "participant",
            ),
        )

    def call_to_action(self, page: ProjectPage, phase: Phase) -> CallToAction | None:
        return CallToAction(_("Proposer une idée"), page.subpage_url("idea_new"))

    def dashboard_sections(self, source: ProjectPage) -> Sequence[DashboardSection]:
        ideas = Idea.objects.filter(project=source)
        comments = Comment.objects.filter(idea__project=source)
        reactions = _counts(Reaction.objects.filter(idea__project=source), "kind")
        charts = [
            _breakdown(_("Idées publiées par statut"), _("Statut"), ideas_by_status(ideas)),
            _breakdown(_("Idées publiées par thème"), _("Thème"), ideas_by_theme(ideas)),
        ]
        return (
            DashboardSection(
                "ideas/admin/dashboard_section.html",
                {
                    "supports": reactions.get(Reaction.Kind.SUPPORT, 0),
                    "disagreements": reactions.get(Reaction.Kind.DISAGREE, 0),
                    "by_visibility": by_visibility(ideas, comments),
                    "breakdowns": [chart for chart in charts if chart],
                },
            ),
        )

    def waiting_work(
        self, projects: Sequence[ProjectPage], reach: StaffReach
    ) -> Mapping[int, Sequence[WaitingItem]]:
        """The contributions waiting for approval and those flagged, in the projects the
        person moderates, each with the link to its list of the moderation queue. Two
        queries."""
        moderated = [p for p in projects if reach.is_admin or p.pk in reach.moderated_project_ids]
        if not moderated:
            return {}
        counts = queue_counts(moderated)
        waiting: dict[int, list[WaitingItem]] = {}
        for project in moderated:
            tally = counts.get(project.pk)
            if tally is None:
                continue
            queue_url = reverse("ideas_moderation:queue", args=[project.pk])
            items = []
            if tally.pending:
                items.append(
                    WaitingItem(
                        "ideas_pending",
                        ngettext(
                            "%(count)d contribution à modérer",
                            "%(count)d contributions à modérer",
                            tally.pending,
                        )
                        % {"count": tally.pending},
                        f"{queue_url}?liste={Queue.PENDING.value}",
                        tally.pending,
                    )
                )
            if tally.flagged:
                items.append(
                    WaitingItem(
                        "ideas_flagged",
                        ngettext(
                            "%(count)d contribution signalée",
                            "%(count)d contributions signalées",
                            tally.flagged,
                        )
                        % {"count": tally.flagged},
                        f"{queue_url}?liste={Queue.FLAGGED.value}",
                        tally.flagged,
                    )
                )
            if items:
                waiting[project.pk] = items
        return waiting

    def export_sheets(self) -> Sequence[ExportSheet]:
        return (
            ExportSheet("ideas", "idees", _("Idées"), IDEA_COLUMNS, _idea_rows),
            ExportSheet(
                "comments", "commentaires", _("Commentaires"), COMMENT_COLUMNS, _comment_rows
            ),
        )


register(IdeaBoxComponent())
