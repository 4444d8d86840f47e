"""Fills a project's idea box with generated ideas, for the benchmark (`make bench`).

    manage.py bench_ideas --project parc-riverain --count 10000

The ideas look like residents' (titles of 30 to 130 characters, descriptions of one to ten
sentences, a theme, anonymous or signed, a few with the city's answer, a few hidden by the
moderation) and come with their supports, disagreements, comments and replies as rows, so
that every counter on an idea matches its rows. Everything is written with bulk_create in
one transaction: 10 000 ideas take a few seconds on SQLite.

It writes made-up contributions, so it refuses to run with production settings.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from agora.core.models import Participant, Theme
from agora.core.page_cache import bump_scope
from agora.ideas.models import (
    Comment,
    Idea,
    IdeaStatus,
    Reaction,
    StatusChange,
    Visibility,
)
from agora.ideas.phases import IDEA_BOX, settings_of
from agora.participation.models import Phase, ProjectPage

BATCH_SIZE = 2000
MAX_REACTIONS = 400  # the most supported idea of a busy project

PROPOSALS = [
    "Ajouter des bancs avec dossier",
    "Planter des arbres fruitiers",
    "Installer des supports à vélos",
    "Aménager un jardin communautaire",
    "Prévoir des toilettes accessibles",
    "Éclairer le sentier",
    "Créer une aire de jeux pour les tout-petits",
    "Installer des fontaines d'eau potable",
    "Ajouter des poubelles de recyclage et de compost",
    "Aménager une patinoire extérieure",
    "Protéger les nids d'hirondelles",
    "Construire un petit quai flottant",
    "Prévoir un abri contre la pluie",
    "Installer des tables de pique-nique",
    "Réduire la vitesse des voitures",
    "Aménager un terrain de pétanque",
    "Créer un sentier de ski de fond",
    "Installer des modules d'entraînement pour adultes",
    "Ajouter des panneaux sur l'histoire du quartier",
    "Prévoir une zone sans chien",
    "Planter des vivaces pour les pollinisateurs",
    "Ajouter un passage piéton surélevé",
    "Installer une borne de réparation de vélos",
    "Créer une aire de repos ombragée",
]
PLACES = [
    "près de l'entrée principale",
    "le long de la rivière",
    "à côté du stationnement",
    "près de l'aire de jeux",
    "au bout de la rue du Quai",
    "dans le boisé",
    "près du chalet",
    "sur la butte",
    "entre la piste cyclable et la berge",
    "à l'embouchure du ruisseau",
    "en face de l'école",
    "près de l'arrêt d'autobus",
]
AUDIENCES = [
    "",
    "",
    " pour les familles",
    " pour les aînés",
    " accessible en fauteuil roulant",
    " ouvert toute l'année",
    " pour les adolescents",
]
SENTENCES = [
    "Je passe par là tous les jours avec mes enfants et il manque vraiment quelque chose.",
    "Plusieurs voisins m'en ont parlé lors de la fête de quartier l'été dernier.",
    "Ce serait une façon simple et peu coûteuse de rendre le parc plus agréable.",
    "Les aînés de la résidence d'en face pourraient enfin profiter du bord de l'eau.",
    "D'autres villes de la région l'ont fait et l'endroit est toujours occupé.",
    "Il faudrait penser à l'entretien l'hiver, sinon l'installation sera vite abîmée.",
    "Au printemps, l'eau monte jusqu'au sentier : il faut en tenir compte.",
    "Les écoles du secteur pourraient participer au projet avec leurs élèves.",
    "Je suis prêt à donner un coup de main avec le comité de quartier.",
    "Le soir, l'endroit est très sombre et on ne s'y sent pas en sécurité.",
    "Des matériaux durables éviteraient de tout refaire dans dix ans.",
    "Il y a souvent des attroupements de bernaches à cet endroit.",
    "Un petit budget suffirait, et les résidents en profiteraient dès cet été.",
    "Pensez aux poussettes et aux fauteuils roulants : le revêtement doit être lisse.",
    "On pourrait s'inspirer de ce qui a été fait au parc Fontaine, qui fonctionne bien.",
    "Merci à la Ville de nous consulter avant de décider.",
    "Le vent est fort sur la berge, alors un peu d'abri serait bienvenu.",
    "Les jeunes du quartier n'ont aucun endroit à eux pour se retrouver.",
]
COMMENTS = [
    "Bonne idée, j'appuie.",
    "Je suis d'accord, surtout pour les familles du secteur.",
    "Il faudrait vérifier que c'est possible dans la zone inondable.",
    "Pas certain : l'entretien risque de coûter cher.",
    "Oui! Et pourquoi pas un concours pour choisir le design?",
    "Excellente proposition, on en parlait justement entre voisins.",
    "Attention au bruit pour les maisons d'à côté.",
    "Ça existe déjà à Saint-Lambert et c'est très apprécié.",
]
FIRST_NAMES = [
    "Marie",
    "Jean",
    "Sophie",
    "Luc",
    "Isabelle",
    "Martin",
    "Nathalie",
    "François",
    "Julie",
    "Alexandre",
    "Chantal",
    "Olivier",
    "Amina",
    "Kevin",
    "Mélanie",
    "Stéphane",
]
STATUSES = [
    (IdeaStatus.UNDER_STUDY, 0.03, "L'équipe étudie la faisabilité de cette idée."),
    (IdeaStatus.ACCEPTED, 0.01, "Cette idée fera partie des scénarios présentés à l'atelier."),
    (IdeaStatus.REJECTED, 0.01, "La zone inondable ne permet pas cette installation."),
]


@dataclass
class Generated:
    ideas: list[Idea] = field(default_factory=list)
    reactions: int = 0
    comments: int = 0


class Command(BaseCommand):
    help = "Adds generated ideas, reactions and comments to a project (benchmark only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", required=True, help="the French project page's slug")
        parser.add_argument("--count", type=int, default=10_000, help="ideas to add")
        parser.add_argument("--seed", type=int, default=4, help="random seed (repeatable runs)")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("bench_ideas writes made-up ideas: it does not run in production.")
        count: int = options["count"]
        if count < 1:
            raise CommandError("--count must be at least 1")
        project = ProjectPage.objects.filter(
            locale=Locale.get_default(), slug=options["project"]
        ).first()
        if project is None:
            raise CommandError(f"no project with the slug {options['project']!r}")
        phase = project.phases.filter(method=IDEA_BOX).first()
        if phase is None:
            raise CommandError(f"{project.title!r} has no idea-box phase")
        started = time.perf_counter()
        rng = random.Random(options["seed"])  # noqa: S311 - made-up data, not a secret
        generator = IdeaGenerator(project, phase, rng)
        with transaction.atomic():
            result = generator.generate(count)
            bump_scope(f"project:{project.pk}")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Added {len(result.ideas)} ideas, {result.reactions} reactions and "
            f"{result.comments} comments to {project.url} in {seconds:.1f} s."
        )


class IdeaGenerator:
    def __init__(self, project: ProjectPage, phase: Phase, rng: random.Random) -> None:
        self.project = project
        self.phase = phase
        self.rng = rng
        self.themes: list[Theme | None] = [*project.themes.all()] or [*Theme.objects.all()]
        self.themes.append(None)
        self.now = timezone.now()
        opened = datetime.datetime.combine(
            phase.start_date, datetime.time(8), tzinfo=timezone.get_current_timezone()
        )
        self.opened = min(opened, self.now - datetime.timedelta(hours=1))

    def generate(self, count: int) -> Generated:
        participants = self._participants(max(200, count // 4))
        result = Generated()
        result.ideas = Idea.objects.bulk_create(
            [self._idea(participants) for _ in range(count)], batch_size=BATCH_SIZE
        )
        assert all(idea.pk for idea in result.ideas), "the database returns the new ids"
        result.reactions = self._reactions(result.ideas, participants)
        result.comments = self._comments(result.ideas, participants)
        self._answers(result.ideas)
        return result

    def _participants(self, count: int) -> list[Participant]:
        created = self.now - datetime.timedelta(days=1)
        # Random ids of their own (not from the seeded generator): running it again adds
        # new participants instead of colliding with the first ones.
        participants = [Participant(id=uuid.uuid4(), created_at=created) for _ in range(count)]
        return Participant.objects.bulk_create(participants, batch_size=BATCH_SIZE)

    def _moment(self, after: datetime.datetime | None = None) -> datetime.datetime:
        start = after or self.opened
        span = max((self.now - start).total_seconds(), 1.0)
        return start + datetime.timedelta(seconds=self.rng.uniform(0, span))

    def _title(self) -> str:
        rng = self.rng
        title = f"{rng.choice(PROPOSALS)} {rng.choice(PLACES)}{rng.choice(AUDIENCES)}"
        return title[:140]

    def _text(self, pool: list[str], low: int, high: int) -> str:
        return " ".join(self.rng.choice(pool) for _ in range(self.rng.randint(low, high)))

    def _author_name(self) -> str:
        if self.rng.random() < 0.45:
            return ""  # "Participant anonyme"
        return f"{self.rng.choice(FIRST_NAMES)} {chr(self.rng.randint(65, 90))}."

    def _idea(self, participants: list[Participant]) -> Idea:
        rng = self.rng
        supports = min(int(rng.paretovariate(1.3)) - 1, MAX_REACTIONS)
        disagrees = rng.choice((0, 0, 0, 1, 2, 3)) if settings_of(self.phase).allow_disagree else 0
        visibility = Visibility.HIDDEN if rng.random() < 0.01 else Visibility.PUBLISHED
        return Idea(
            project=self.project,
            phase_key=self.phase.translation_key,
            author=rng.choice(participants),
            author_name=self._author_name(),
            title=self._title(),
            description=self._text(SENTENCES, 1, 10),
            theme=rng.choice(self.themes),
            created_at=self._moment(),
            visibility=visibility,
            moderation_reason="Propos hors sujet." if visibility == Visibility.HIDDEN else "",
            # Counters are set here and their rows created to match just after.
            support_count=supports,
            disagree_count=disagrees,
            comment_count=rng.choice((0, 0, 0, 0, 0, 1, 1, 2, 3, 6)),
        )

    def _reactions(self, ideas: list[Idea], participants: list[Participant]) -> int:
        reactions = []
        for idea in ideas:
            chosen = self.rng.sample(participants, idea.support_count + idea.disagree_count)
            for position, participant in enumerate(chosen):
                kind = (
                    Reaction.Kind.SUPPORT
                    if position < idea.support_count
                    else Reaction.Kind.DISAGREE
                )
                reactions.append(
                    Reaction(
                        idea=idea,
                        participant=participant,
                        kind=kind,
                        created_at=self._moment(idea.created_at),
                    )
                )
        Reaction.objects.bulk_create(reactions, batch_size=BATCH_SIZE)
        return len(reactions)

    def _comments(self, ideas: list[Idea], participants: list[Participant]) -> int:
        """`comment_count` published comments per idea: about a third of them replies."""
        threads: list[tuple[Idea, int]] = []
        top_level = []
        for idea in ideas:
            replies = sum(1 for _ in range(idea.comment_count - 1) if self.rng.random() < 0.35)
            threads.append((idea, replies))
            top_level += [
                self._comment(idea, participants) for _ in range(idea.comment_count - replies)
            ]
        created = Comment.objects.bulk_create(top_level, batch_size=BATCH_SIZE)
        first_of: dict[int, Comment] = {}
        for comment in created:
            first_of.setdefault(comment.idea_id, comment)
        replies_rows = [
            self._comment(idea, participants, parent=first_of[idea.pk])
            for idea, replies in threads
            for _ in range(replies)
        ]
        Comment.objects.bulk_create(replies_rows, batch_size=BATCH_SIZE)
        return len(created) + len(replies_rows)

    def _comment(
        self, idea: Idea, participants: list[Participant], parent: Comment | None = None
    ) -> Comment:
        after = parent.created_at if parent is not None else idea.created_at
        return Comment(
            idea=idea,
            parent=parent,
            author=self.rng.choice(participants),
            author_name=self._author_name(),
            body=self._text(COMMENTS, 1, 3),
            created_at=self._moment(after),
        )

    def _answers(self, ideas: list[Idea]) -> None:
        """A few ideas carry the city's answer, with its entry in the public history."""
        changes = []
        changed = []
        for idea in ideas:
            if idea.visibility != Visibility.PUBLISHED:
                continue
            draw = self.rng.random()
            for status, share, explanation in STATUSES:
                if draw < share:
                    when = self._moment(idea.created_at)
                    idea.status = status
                    idea.status_explanation = explanation
                    idea.status_changed_at = when
                    changed.append(idea)
                    changes.append(
                        StatusChange(
                            idea=idea, status=status, explanation=explanation, created_at=when
                        )
                    )
                    break
                draw -= share
        Idea.objects.bulk_update(
            changed, ["status", "status_explanation", "status_changed_at"], batch_size=BATCH_SIZE
        )
        StatusChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
