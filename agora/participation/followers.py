"""Following a project without an account: asking, finding the subscription a link carries
(the links' pages are `follow_views`), and the digest.

Anyone may follow a project with an e-mail address. The address gets a confirmation link and
hears nothing else until it is confirmed; a signed-in resident who follows with their own
verified account address is following at once. The page that asks says the same thing
whatever the address's state, so it reveals nobody's subscriptions. Every message carries a
one-click unsubscribe link.

The digest (`send_digests`, run daily by `manage.py send_participation_emails`) sends each
active follower one message with what happened on the project since their last digest: the
progress updates not yet announced, a phase that opened, and the city's feedback report
("Ce que nous avons entendu" and "Décision") once it is published. Nothing new, no message.
The feedback report is announced in the next digest rather than in a message of its own, so a
follower never gets two messages about the same day's news.
"""

from __future__ import annotations

import datetime
import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Locale

from agora.core.email import enqueue_email
from agora.core.links import absolute, page_in_language, page_link
from agora.core.models import new_token
from agora.core.subscriptions import UnknownSubscriptionLinkError
from agora.participation.models import (
    Phase,
    ProjectFollower,
    ProjectPage,
    ProjectUpdate,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agora.accounts.models import User

CONFIRM_EMAIL = "participation/email/follow_confirm"
ALREADY_FOLLOWING_EMAIL = "participation/email/follow_already"
DIGEST_EMAIL = "participation/email/follow_digest"
# One message per address and project in this period, however often the form is sent: the
# form cannot be used to flood someone's inbox.
CONFIRMATION_RESEND_SECONDS = 15 * 60
# An update's text in the digest; the rest is on the project page.
UPDATE_WORDS = 150
LANGUAGES = ("fr", "en")


class UnknownFollowLinkError(UnknownSubscriptionLinkError):
    """The link's token names no project subscription (mistyped, or replaced by a newer
    one)."""


class FollowResult(StrEnum):
    """What the person who asked should be told: `CHECK_INBOX` whatever the address's state
    (nothing reveals whether it already follows), `FOLLOWING` for a signed-in resident who
    used their own verified address."""

    CHECK_INBOX = "check_inbox"
    FOLLOWING = "following"


# Addresses in e-mails


def language_of(code: str | None) -> str:
    """One of Agora's languages for a language code (`en-ca` → `en`), French otherwise."""
    short = (code or "").split("-")[0].lower()
    return short if short in LANGUAGES else "fr"


def project_in(project: ProjectPage, language: str) -> ProjectPage:
    """The page of `project` that readers of `language` see: its published translation, or
    the French page."""
    source = project.source
    if source.locale.language_code == language:
        return source
    return page_in_language(source, language, fallback=source)


def follower_link(name: str, follower: ProjectFollower) -> str:
    with translation.override(follower.language):
        return absolute(reverse(f"participation:{name}", kwargs={"token": follower.token}))


def normalized_email(address: str) -> str:
    return address.strip().lower()


# Following


def _has_verified_address(user: User | AnonymousUser | None, email: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    addresses = EmailAddress.objects.filter(user=user, email__iexact=email, verified=True)
    return bool(addresses.exists())


@transaction.atomic
def request_follow(
    *,
    project: ProjectPage,
    email: str,
    language: str,
    user: User | AnonymousUser | None = None,
) -> FollowResult:
    """`email` asks to follow `project` (in any language: the subscription belongs to the
    French source page).

    A signed-in resident using a verified address of their account follows at once. Anyone
    else gets a confirmation link; asking again is harmless: a pending subscription gets its
    link again, an address that had unsubscribed gets a new link (its old links stop
    working), an address that already follows is told so by e-mail, never on screen."""
    email = normalized_email(email)
    validate_email(email)
    language = language_of(language)
    source = project.source
    follower, _created = ProjectFollower.objects.select_for_update().get_or_create(
        project=source, email=email, defaults={"language": language}
    )
    if _has_verified_address(user, email):
        if not follower.is_active:
            follower.verified_at = timezone.now()
            follower.unsubscribed_at = None
        follower.language = language
        follower.save(update_fields=["verified_at", "unsubscribed_at", "language"])
        return FollowResult.FOLLOWING
    if follower.is_active:
        _send_once(follower, ALREADY_FOLLOWING_EMAIL, source)
        return FollowResult.CHECK_INBOX
    if follower.verified_at is not None:  # had unsubscribed: it starts over
        follower.verified_at = None
        follower.token = new_token()
    follower.language = language
    follower.save(update_fields=["verified_at", "token", "language"])
    _send_once(follower, CONFIRM_EMAIL, source)
    return FollowResult.CHECK_INBOX


def _send_once(follower: ProjectFollower, template: str, source: ProjectPage) -> None:
    if not cache.add(f"agora:project-follow-mail:{follower.pk}", True, CONFIRMATION_RESEND_SECONDS):
        return
    page = project_in(source, follower.language)
    enqueue_email(
        to=follower.email,
        template=template,
        context={
            "project_title": page.title,
            "project_link": page_link(page),
            "confirm_link": follower_link("follow_confirm", follower),
            "unsubscribe_link": follower_link("unsubscribe", follower),
        },
        language=follower.language,
    )


def follower_for(token: str) -> ProjectFollower:
    """The subscription a link carries; `UnknownFollowLinkError` if none."""
    follower = (
        ProjectFollower.objects.select_related("project").filter(token=token).first()
        if token
        else None
    )
    if follower is None:
        raise UnknownFollowLinkError
    return follower


# The digest


@dataclass(frozen=True)
class DigestUpdate:
    date: datetime.date
    title: str
    text: str


@dataclass(frozen=True)
class DigestPhase:
    name: str
    start_date: datetime.date
    end_date: datetime.date | None
    description: str


@dataclass
class Digest:
    """What one follower has not heard yet, in their language."""

    phases: list[DigestPhase] = field(default_factory=list)
    updates: list[DigestUpdate] = field(default_factory=list)
    accountability: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.phases or self.updates or self.accountability)


def plain_text(rich_text: str) -> str:
    """Rich text as plain text for an e-mail: paragraphs kept, tags and entities removed."""
    text = re.sub(r"(?i)<br\s*/?>|</(p|h[1-6]|li|blockquote)>", "\n", rich_text)
    text = html.unescape(strip_tags(text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Edition:
    """The project as readers of one language see it, for everybody's digest in it."""

    page: ProjectPage
    link: str
    phases: dict[object, Phase]
    updates: dict[int, ProjectUpdate]

    @classmethod
    def of(cls, project: ProjectPage, language: str, new_updates: list[ProjectUpdate]) -> Edition:
        page = project_in(project, language)
        return cls(
            page=page,
            link=page_link(page),
            phases={p.translation_key: p for p in page.phase_list()},
            updates=_translated_updates(project, new_updates, page),
        )


def _translated_updates(
    project: ProjectPage, new_updates: list[ProjectUpdate], page: ProjectPage
) -> dict[int, ProjectUpdate]:
    """The translation on `page` of each new update of `project`, by the update's id.

    Updates are not translatable objects: a translation holds its own copy of each update.
    The n-th update of a date on the French page matches the n-th update of that date on the
    translation; an update not translated yet is sent in French."""
    if page.pk == project.pk or not new_updates:
        return {}

    def by_date(page: ProjectPage) -> dict[datetime.date, list[ProjectUpdate]]:
        dated: dict[datetime.date, list[ProjectUpdate]] = defaultdict(list)
        for update in page.updates.order_by("date", "sort_order", "pk"):
            dated[update.date].append(update)
        return dated

    source_updates, translated_updates = by_date(project), by_date(page)
    matches = {}
    for update in new_updates:
        position = [u.pk for u in source_updates[update.date]].index(update.pk)
        translations = translated_updates.get(update.date, [])
        if position < len(translations):
            matches[update.pk] = translations[position]
    return matches


def shortened(text: str, words: int) -> str:
    """`text` whole when short enough (paragraphs kept), otherwise its first `words` words."""
    if len(text.split()) <= words:
        return text
    return Truncator(" ".join(text.split())).words(words)


def _digest_update(update: ProjectUpdate) -> DigestUpdate:
    return DigestUpdate(
        date=update.date,
        title=update.title,
        text=shortened(plain_text(update.body), UPDATE_WORDS),
    )


def _digest_phase(phase: Phase, edition: Edition) -> DigestPhase:
    shown = edition.phases.get(phase.translation_key, phase)
    return DigestPhase(
        name=shown.name,
        start_date=phase.start_date,
        end_date=phase.end_date,
        description=shown.description,
    )


def digest_for(
    *,
    follower: ProjectFollower,
    project: ProjectPage,
    new_updates: list[ProjectUpdate],
    edition: Edition,
    today: datetime.date,
) -> Digest:
    """What `follower` of `project` (the French page) has not heard about yet, as readers of
    `edition` see it."""
    since = follower.last_digest_at or follower.verified_at
    assert since is not None  # only active followers get a digest
    published_at = project.accountability_published_at
    return Digest(
        phases=[
            _digest_phase(phase, edition)
            for phase in project.phase_list()
            if timezone.localdate(since) < phase.start_date <= today
        ],
        updates=[_digest_update(edition.updates.get(u.pk, u)) for u in new_updates],
        accountability=published_at is not None and published_at > since,
    )


def send_digests(*, now: datetime.datetime | None = None) -> int:
    """Sends every active follower of every published project what is new since their last
    digest, and marks the updates announced. Running it again sends nothing more. Returns
    the number of messages."""
    now = now or timezone.now()
    sources = ProjectPage.objects.live().filter(locale=Locale.get_default())
    return sum(
        _send_project_digests(project_id, now)
        for project_id in sources.values_list("pk", flat=True)
    )


@transaction.atomic
def _send_project_digests(project_id: int, now: datetime.datetime) -> int:
    # Locking the project makes two runs at the same time take turns: the second one finds
    # the updates announced and the followers' last digest moved on.
    project = (
        ProjectPage.objects.select_for_update(of=("self",))
        .prefetch_related("phases")
        .get(pk=project_id)
    )
    new_updates = list(
        project.updates.filter(announced_at__isnull=True).order_by("date", "sort_order", "pk")
    )
    today = timezone.localdate(now)
    editions: dict[str, Edition] = {}
    sent = 0
    for follower in project.followers.active().order_by("pk"):
        language = language_of(follower.language)
        if language not in editions:
            editions[language] = Edition.of(project, language, new_updates)
        edition = editions[language]
        digest = digest_for(
            follower=follower,
            project=project,
            new_updates=new_updates,
            edition=edition,
            today=today,
        )
        if digest.is_empty:
            continue
        unsubscribe_link = follower_link("unsubscribe", follower)
        # One digest per follower and starting point: the same news is never sent twice.
        since = follower.last_digest_at.isoformat() if follower.last_digest_at else "start"
        enqueue_email(
            to=follower.email,
            template=DIGEST_EMAIL,
            context={
                "project_title": edition.page.title,
                "project_link": edition.link,
                "digest": digest,
                "unsubscribe_link": unsubscribe_link,
            },
            language=language,
            unsubscribe_url=unsubscribe_link,
            key=f"project-digest:{follower.pk}:{since}",
        )
        follower.last_digest_at = now
        follower.save(update_fields=["last_digest_at"])
        sent += 1
    if new_updates:
        ProjectUpdate.objects.filter(pk__in=[u.pk for u in new_updates]).update(announced_at=now)
    return sent
