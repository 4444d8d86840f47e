"""The riverside park's idea box in Ville de Démo: a dozen ideas from anonymous and named
residents, comments with a reply, supports and disagreements, the city's answer to two ideas
and one comment hidden by the moderator.

Runs after agora/participation/demo.py, which builds the project; gives its idea-box phases
their settings. Everything goes through
the idea box's services (which keep the counters), then is dated back over the phase's first
weeks. Idempotent: participants have fixed ids, ideas are found by title, comments by text,
reactions by idea and participant.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from wagtail.models import Locale

from agora.accounts.demo import DEMO_RESIDENT_EMAIL, DEMO_TEAM
from agora.accounts.models import Organisation, User
from agora.accounts.roles import Role
from agora.ideas import feedback, moderation, services
from agora.ideas.models import (
    Comment,
    Flag,
    FlagReason,
    Idea,
    IdeaBoxSettings,
    IdeaStatus,
    ModerationMode,
    Reaction,
    StatusChange,
    Visibility,
)
from agora.ideas.phases import IDEA_BOX
from agora.participation.demo import IDEA_BOX_PROJECT_SLUG
from agora.participation.models import Audience, Participant, ProjectPage, Theme

DEMO_NAMESPACE = uuid.UUID("3f0b6f0e-6c55-4d8e-9a63-2f1f4f2b9c7e")
REACTORS = 40  # anonymous residents who only support or disagree
RESIDENT = "@resident"  # the demo resident's account (agora/accounts/demo.py)
ORGANISATION = "@organisation"  # an organisation the demo resident represents, if any
# Who signs the organisation's idea when the demo resident represents no organisation.
ORGANISATION_FALLBACK = "Pierre-Luc Gagné"
RESIDENT_FALLBACK = "Gisèle M."


@dataclass(frozen=True)
class Place:
    name: str
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True)
class Answer:
    """The city's official feedback on an idea."""

    status: IdeaStatus
    explanation: str


@dataclass(frozen=True)
class IdeaSpec:
    title: str
    description: str
    theme: str
    author: str  # a display name, "" for "Participant anonyme", RESIDENT or ORGANISATION
    days_ago: float
    supports: int
    disagrees: int = 0
    place: Place | None = None
    answer: Answer | None = None
    language: str = "fr"


@dataclass(frozen=True)
class CommentSpec:
    idea: str  # the idea's title
    author: str
    body: str
    days_ago: float
    replies: list[tuple[str, str, float]] = field(default_factory=list)


KAYAK_LAUNCH = "Une rampe de mise à l'eau pour kayaks et planches à pagaie"
WOODS = "Garder le boisé au bout de la rue des Berges"
PARKING = "Pas de stationnement supplémentaire"
WATER_GAMES = "Des jeux d'eau pour les enfants"
SKATING = "Winter skating loop along the river"
LIT_TRAIL = "Un sentier éclairé relié à la piste cyclable"

IDEAS: list[IdeaSpec] = [
    IdeaSpec(
        KAYAK_LAUNCH,
        "Il n'y a aucun accès public à la rivière pour les embarcations sans moteur. Une "
        "petite rampe en pente douce, avec des supports à kayaks verrouillables, attirerait "
        "beaucoup de familles et de jeunes du quartier.",
        "parcs-et-loisirs",
        "Mathieu L.",
        19.2,
        14,
        1,
        Place("Embouchure du ruisseau Lapalme", Decimal("45.390600"), Decimal("-73.511700")),
        Answer(
            IdeaStatus.ACCEPTED,
            "Une rampe de mise à l'eau pour embarcations sans moteur fera partie des deux "
            "scénarios présentés à l'atelier de conception. Les ingénieurs ont confirmé qu'elle "
            "est possible près de l'embouchure du ruisseau, où le courant est faible; elle sera "
            "fermée pendant la crue printanière.",
        ),
    ),
    IdeaSpec(
        WATER_GAMES,
        "L'été, les familles du secteur doivent aller jusqu'au parc Fontaine pour trouver des "
        "jeux d'eau. Un petit parc de jeux d'eau près de l'aire de pique-nique serait très "
        "apprécié, avec de l'ombre autour pour les parents.",
        "parcs-et-loisirs",
        "",
        18.6,
        11,
        2,
    ),
    IdeaSpec(
        WOODS,
        "Le petit boisé d'érables argentés est le dernier refuge des oiseaux du secteur. Il "
        "faudrait le protéger et n'y tracer qu'un sentier en poussière de roche, sans "
        "éclairage.",
        "environnement",
        "Lucie Bergeron",
        17.1,
        17,
        0,
        Place("Bout de la rue des Berges", Decimal("45.392300"), Decimal("-73.513900")),
        Answer(
            IdeaStatus.UNDER_STUDY,
            "Une biologiste fera l'inventaire du boisé ce printemps. Ses conclusions diront "
            "quelles parties doivent être protégées intégralement.",
        ),
    ),
    IdeaSpec(
        "Des toilettes ouvertes toute l'année",
        "Pour les aînés et les parents de jeunes enfants, des toilettes accessibles sont "
        "essentielles. L'hiver aussi : beaucoup de gens marchent le long de la rivière.",
        "parcs-et-loisirs",
        "",
        15.4,
        9,
    ),
    IdeaSpec(
        LIT_TRAIL,
        "Le sentier devrait rejoindre la piste cyclable de la rue Principale, avec un "
        "éclairage doux orienté vers le sol pour ne pas nuire à la faune. On pourrait ainsi "
        "traverser le parc à vélo pour aller à la gare.",
        "mobilite",
        "Karim Haddad",
        13.8,
        8,
        3,
    ),
    IdeaSpec(
        PARKING,
        "Le parc doit rester un espace vert. Le stationnement de l'église, vide en semaine, "
        "pourrait servir les jours d'événements, avec une navette au besoin.",
        "environnement",
        "",
        12.5,
        6,
        5,
    ),
    IdeaSpec(
        "Une aire d'exercice canin clôturée",
        "Beaucoup de propriétaires de chiens marchent déjà sur les berges. Un enclos canin, "
        "loin des jeux pour enfants, éviterait bien des conflits.",
        "parcs-et-loisirs",
        "Sophie Lavoie",
        10.9,
        7,
        4,
    ),
    IdeaSpec(
        "Des bancs et des tables à l'ombre, face à la rivière",
        "Peu d'endroits en ville permettent de s'asseoir face à l'eau. Quelques tables de "
        "pique-nique sous les arbres, dont certaines accessibles en fauteuil roulant, et des "
        "bancs avec dossier et appuie-bras pour les aînés.",
        "parcs-et-loisirs",
        RESIDENT,
        9.3,
        12,
    ),
    IdeaSpec(
        "Un quai pour la pêche",
        "Les pêcheurs du quartier s'installent sur les enrochements, ce qui est dangereux. Un "
        "petit quai flottant rendrait l'activité plus sûre.",
        "parcs-et-loisirs",
        "",
        7.7,
        4,
        1,
    ),
    IdeaSpec(
        SKATING,
        "A skating trail along the riverbank would give families something to do in January "
        "and February. Several nearby towns have one and it is always busy. A warming hut "
        "could double as the summer snack bar.",
        "parcs-et-loisirs",
        "Jennifer O'Brien",
        6.2,
        10,
        language="en",
    ),
    IdeaSpec(
        "Une scène extérieure pour les spectacles d'été",
        "Une petite scène gazonnée accueillerait les concerts du jeudi et le cinéma en plein "
        "air. Avec la rivière en arrière-plan, ce serait magnifique.",
        "culture",
        "",
        4.1,
        5,
        2,
    ),
    IdeaSpec(
        "Planter des espèces indigènes sur la bande riveraine",
        "Plutôt que du gazon, des arbustes et des vivaces indigènes stabiliseraient la berge "
        "et attireraient les pollinisateurs. Les élèves de l'école du Vieux-Village pourraient "
        "participer aux plantations.",
        "environnement",
        ORGANISATION,
        2.3,
        9,
    ),
]

COMMENTS: list[CommentSpec] = [
    CommentSpec(
        KAYAK_LAUNCH,
        "",
        "Excellente idée! Il faudrait aussi un endroit pour laisser les kayaks le temps d'aller "
        "manger un morceau.",
        17.5,
        replies=[
            (
                "Mathieu L.",
                "Bonne remarque : des supports verrouillables, comme dans les marinas, "
                "régleraient ça.",
                17.2,
            )
        ],
    ),
    CommentSpec(
        KAYAK_LAUNCH,
        "Robert P.",
        "Attention au courant au printemps : la rampe devrait être fermée pendant la crue.",
        15.0,
    ),
    CommentSpec(
        WOODS,
        "",
        "Tout à fait d'accord. On y voit souvent des pics-bois et même un grand héron.",
        16.0,
    ),
    CommentSpec(
        PARKING,
        "",
        "Je ne suis pas d'accord : sans stationnement, les personnes à mobilité réduite ne "
        "pourront pas venir.",
        11.8,
        replies=[
            (
                "",
                "Quelques places réservées près de l'entrée régleraient ce problème sans "
                "agrandir le stationnement.",
                11.2,
            )
        ],
    ),
    CommentSpec(
        WATER_GAMES,
        RESIDENT,
        "Oui! Et des fontaines d'eau potable aussi, pour remplir les gourdes.",
        14.0,
    ),
    CommentSpec(SKATING, "", "Great idea. Skates could be rented at the chalet.", 5.5),
    CommentSpec(
        LIT_TRAIL,
        "",
        "Pensez aussi aux poussettes et aux fauteuils roulants : un revêtement lisse serait "
        "préférable.",
        12.9,
    ),
]

# A comment the moderator hid after a resident flagged it, to show the moderation log.
SPAM = CommentSpec(
    WATER_GAMES,
    "",
    "Abonnements de gym à moitié prix cette semaine seulement, écrivez-moi pour en profiter!",
    8.0,
)
SPAM_REASON = "Publicité sans lien avec le projet."


def _stable_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{key}")


def _ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _demo_user(role: Role) -> User | None:
    email = next(email for team_role, email, _first, _last in DEMO_TEAM if team_role == role)
    return User.objects.filter(email=email).first()


class Authors:
    """The participants behind the demo's contributions: one per named resident, one per
    anonymous contribution, and the demo resident through their account."""

    def __init__(self) -> None:
        self.resident = User.objects.filter(email=DEMO_RESIDENT_EMAIL).first()
        self.organisation = (
            Organisation.objects.filter(members=self.resident).first()
            if self.resident is not None
            else None
        )

    def _named(self, author: str) -> str:
        """A plain display name when the account or organisation behind `author` is absent."""
        if author == ORGANISATION and self.organisation is None:
            return ORGANISATION_FALLBACK
        if author in (RESIDENT, ORGANISATION) and self.resident is None:
            return RESIDENT_FALLBACK
        return author

    def participant(self, author: str, key: str, language: str = "fr") -> Participant:
        author = self._named(author)
        if author in (RESIDENT, ORGANISATION):
            participant, _created = Participant.objects.get_or_create(user=self.resident)
            return participant
        participant, _created = Participant.objects.get_or_create(
            id=_stable_id("author", author or f"anonyme:{key}"), defaults={"language": language}
        )
        return participant

    def shown_as(self, author: str) -> tuple[str, Organisation | None]:
        """The name shown with a contribution, and the organisation it speaks for."""
        author = self._named(author)
        if author in (RESIDENT, ORGANISATION) and self.resident is not None:
            name = f"{self.resident.first_name} {self.resident.last_name}".strip()
            return name, self.organisation if author == ORGANISATION else None
        return author, None


def reactors() -> list[Participant]:
    found = []
    for number in range(REACTORS):
        participant, _created = Participant.objects.get_or_create(
            id=_stable_id("reactor", str(number))
        )
        found.append(participant)
    return found


def ensure_idea(project: ProjectPage, spec: IdeaSpec, authors: Authors) -> Idea:
    idea: Idea | None = Idea.objects.filter(project=project, title=spec.title).first()
    if idea is not None:
        return idea
    name, organisation = authors.shown_as(spec.author)
    idea = services.submit_idea(
        project=project,
        participant=authors.participant(spec.author, spec.title, spec.language),
        author_name=name,
        organisation=organisation,
        title=spec.title,
        description=spec.description,
        theme=Theme.objects.filter(slug=spec.theme).first(),
        location_name=spec.place.name if spec.place else "",
        latitude=spec.place.latitude if spec.place else None,
        longitude=spec.place.longitude if spec.place else None,
    )
    _backdate(idea, spec.days_ago)
    return idea


def _backdate(row: Idea | Comment | Reaction, days_ago: float) -> None:
    """The services write "now"; the demo spreads its contributions over the past weeks."""
    row.created_at = _ago(days_ago)
    type(row).objects.filter(pk=row.pk).update(created_at=row.created_at)


def ensure_reactions(idea: Idea, spec: IdeaSpec, offset: int, pool: list[Participant]) -> None:
    """`spec.supports` supports and `spec.disagrees` disagreements from distinct residents."""
    kinds = [Reaction.Kind.SUPPORT] * spec.supports + [Reaction.Kind.DISAGREE] * spec.disagrees
    for position, kind in enumerate(kinds):
        participant = pool[(offset + position) % len(pool)]
        if Reaction.objects.filter(idea=idea, participant=participant).exists():
            continue
        reaction = services.react(idea=idea, participant=participant, kind=kind)
        _backdate(reaction, spec.days_ago * (1 - (position + 1) / (len(kinds) + 1)))


def ensure_comment(
    idea: Idea,
    author: str,
    body: str,
    days_ago: float,
    authors: Authors,
    parent: Comment | None = None,
) -> Comment:
    comment: Comment | None = Comment.objects.filter(idea=idea, body=body).first()
    if comment is not None:
        return comment
    name, organisation = authors.shown_as(author)
    comment = services.comment(
        idea=idea,
        parent=parent,
        participant=authors.participant(author, body),
        author_name=name,
        organisation=organisation,
        body=body,
    )
    _backdate(comment, days_ago)
    return comment


def ensure_answer(idea: Idea, answer: Answer, staff: User, days_ago: float) -> None:
    """The city's official feedback, with its entry in the idea's public history."""
    if idea.status_changes.filter(status=answer.status).exists():
        return
    change = feedback.set_status(
        staff=staff, idea=idea, status=answer.status, explanation=answer.explanation
    )
    when = _ago(days_ago)
    StatusChange.objects.filter(pk=change.pk).update(created_at=when)
    Idea.objects.filter(pk=idea.pk).update(status_changed_at=when)


def ensure_hidden_spam(
    idea: Idea, authors: Authors, pool: list[Participant], moderator: User
) -> None:
    """A comment a resident flagged and the moderator hid, with its entry in the moderation
    log."""
    comment = ensure_comment(idea, SPAM.author, SPAM.body, SPAM.days_ago, authors)
    if comment.visibility == Visibility.HIDDEN:
        return
    if not Flag.objects.filter(comment=comment).exists():
        services.flag(participant=pool[-1], comment=comment, reason=FlagReason.SPAM)
    moderation.hide(moderator=moderator, comment=comment, reason=SPAM_REASON)


def ensure_settings(project: ProjectPage) -> None:
    """The park's idea box, in every language: anyone takes part, ideas appear at once, and
    residents may disagree as well as support."""
    pages = [project, *(page.specific for page in project.get_translations())]
    for page in pages:
        for phase in page.phases.filter(method=IDEA_BOX):
            IdeaBoxSettings.objects.get_or_create(
                phase=phase,
                defaults={
                    "audience": Audience.ANYONE,
                    "moderation": ModerationMode.POST,
                    "allow_disagree": True,
                },
            )


def seed(report: list[str]) -> None:
    french = Locale.objects.get(language_code="fr")
    project = ProjectPage.objects.filter(locale=french, slug=IDEA_BOX_PROJECT_SLUG).first()
    moderator = _demo_user(Role.PROJECT_MODERATOR)
    if project is None or moderator is None:
        return
    ensure_settings(project)
    authors = Authors()
    pool = reactors()
    ideas: dict[str, Idea] = {}
    for number, spec in enumerate(IDEAS):
        idea = ensure_idea(project, spec, authors)
        ensure_reactions(idea, spec, offset=number * 3, pool=pool)
        if spec.answer is not None:
            ensure_answer(idea, spec.answer, moderator, days_ago=spec.days_ago / 3)
        ideas[spec.title] = idea
    for spec_comment in COMMENTS:
        idea = ideas[spec_comment.idea]
        parent = ensure_comment(
            idea, spec_comment.author, spec_comment.body, spec_comment.days_ago, authors
        )
        for author, body, days_ago in spec_comment.replies:
            ensure_comment(idea, author, body, days_ago, authors, parent=parent)
    ensure_hidden_spam(ideas[SPAM.idea], authors, pool, moderator)
    totals = Idea.objects.filter(project=project).aggregate(
        ideas=Count("pk", distinct=True), reactions=Count("reactions", distinct=True)
    )
    comments = Comment.objects.filter(idea__project=project).count()
    report.append(
        f"Idea box: {totals['ideas']} ideas, {comments} comments, {totals['reactions']} "
        f"reactions on {project.url}{project.reverse_subpage('ideas')}"
    )
