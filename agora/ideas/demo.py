"""The riverside park's idea box in Ville de Démo: a dozen ideas from anonymous and named
residents, comments with a reply, supports and disagreements, the city's answer to two ideas
and one comment hidden by the moderator, as demo_data/idea_box.toml describes them.

Runs after agora/participation/demo.py, which builds the project; gives its idea-box phases
their settings. Everything goes through
the idea box's services (which keep the counters), then is dated back over the phase's first
weeks. Idempotent: participants have fixed ids, ideas are found by title, comments by text,
reactions by idea and participant.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db.models import Count
from django.utils import timezone
from wagtail.models import Locale

from agora.accounts.demo import DEMO_RESIDENT_EMAIL, DEMO_TEAM
from agora.accounts.models import Organisation, User
from agora.accounts.roles import Role
from agora.core.audience import Audience
from agora.core.data_files import RecordError, load
from agora.core.models import Participant, Theme
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
from agora.participation.models import ProjectPage

DEMO_NAMESPACE = uuid.UUID("3f0b6f0e-6c55-4d8e-9a63-2f1f4f2b9c7e")
REACTORS = 40  # anonymous residents who only support or disagree
RESIDENT = "@resident"  # the demo resident's account (agora/accounts/demo.py)
ORGANISATION = "@organisation"  # an organisation the demo resident represents, if any

DATA = Path(__file__).with_name("demo_data")


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
class ReplySpec:
    author: str
    body: str
    days_ago: float
    language: str = "fr"


@dataclass(frozen=True)
class CommentSpec:
    idea: str  # the idea's title
    author: str
    body: str
    days_ago: float
    replies: tuple[ReplySpec, ...] = ()
    language: str = "fr"


@dataclass(frozen=True)
class HiddenComment:
    """A comment the moderator hid after a resident flagged it, to show the moderation log."""

    idea: str
    author: str
    body: str
    days_ago: float
    reason: str


@dataclass(frozen=True)
class StandIns:
    """Who signs for RESIDENT and ORGANISATION when that account or organisation is absent."""

    resident: str
    organisation: str


@dataclass(frozen=True)
class IdeaBox:
    """demo_data/idea_box.toml"""

    stand_ins: StandIns
    ideas: tuple[IdeaSpec, ...]
    comments: tuple[CommentSpec, ...]
    hidden_comment: HiddenComment

    def __post_init__(self) -> None:
        titles = {idea.title for idea in self.ideas}
        for number, comment in enumerate(self.comments):
            if comment.idea not in titles:
                raise RecordError(f"comments[{number}].idea", "no idea has this title")
        if self.hidden_comment.idea not in titles:
            raise RecordError("hidden_comment.idea", "no idea has this title")


PARK_IDEA_BOX = load(DATA / "idea_box.toml", IdeaBox)


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
        stand_ins = PARK_IDEA_BOX.stand_ins
        if author == ORGANISATION and self.organisation is None:
            return stand_ins.organisation
        if author in (RESIDENT, ORGANISATION) and self.resident is None:
            return stand_ins.resident
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
        language=spec.language,
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
    language: str = "fr",
) -> Comment:
    comment: Comment | None = Comment.objects.filter(idea=idea, body=body).first()
    if comment is not None:
        return comment
    name, organisation = authors.shown_as(author)
    comment = services.comment(
        idea=idea,
        parent=parent,
        participant=authors.participant(author, body, language),
        author_name=name,
        organisation=organisation,
        body=body,
        language=language,
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
    hidden = PARK_IDEA_BOX.hidden_comment
    comment = ensure_comment(idea, hidden.author, hidden.body, hidden.days_ago, authors)
    if comment.visibility == Visibility.HIDDEN:
        return
    if not Flag.objects.filter(comment=comment).exists():
        services.flag(participant=pool[-1], comment=comment, reason=FlagReason.SPAM)
    moderation.hide(moderator=moderator, comment=comment, reason=hidden.reason)


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
    for number, spec in enumerate(PARK_IDEA_BOX.ideas):
        idea = ensure_idea(project, spec, authors)
        ensure_reactions(idea, spec, offset=number * 3, pool=pool)
        if spec.answer is not None:
            ensure_answer(idea, spec.answer, moderator, days_ago=spec.days_ago / 3)
        ideas[spec.title] = idea
    for spec_comment in PARK_IDEA_BOX.comments:
        idea = ideas[spec_comment.idea]
        parent = ensure_comment(
            idea,
            spec_comment.author,
            spec_comment.body,
            spec_comment.days_ago,
            authors,
            language=spec_comment.language,
        )
        for reply in spec_comment.replies:
            ensure_comment(
                idea,
                reply.author,
                reply.body,
                reply.days_ago,
                authors,
                parent=parent,
                language=reply.language,
            )
    ensure_hidden_spam(ideas[PARK_IDEA_BOX.hidden_comment.idea], authors, pool, moderator)
    totals = Idea.objects.filter(project=project).aggregate(
        ideas=Count("pk", distinct=True), reactions=Count("reactions", distinct=True)
    )
    comments = Comment.objects.filter(idea__project=project).count()
    report.append(
        f"Idea box: {totals['ideas']} ideas, {comments} comments, {totals['reactions']} "
        f"reactions on {project.url}{project.reverse_subpage('ideas')}"
    )
