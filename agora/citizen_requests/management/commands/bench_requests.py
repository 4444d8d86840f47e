"""Adds generated citizen requests to the city, for the benchmark (`make bench`,
bench/suites/requests.py).

    manage.py bench_requests --count 1000000

The requests are drawn as the demo's are (agora/citizen_requests/demo_requests/): filed over
the last twelve months across the services, in their season, at points of the city's
boundary with their district and an address, with their whole history by the workflow's
moves (filed, acknowledged, assigned, in progress, resolved, rejected, referred, merged,
reopened), notes, questions and "moi aussi"; about 4.5 events per request. The residents
who file them are new participants. Tracking numbers go on from the last one of each year
(`R-2026-1000000` once a year passes a million).

On PostgreSQL the rows are streamed with COPY, in the transaction: the plain indexes of the
requests' tables are dropped first and built again once at the end (PostgreSQL's advice for
filling a table), foreign-key checks are skipped when the role may skip them (a superuser),
then the tables are vacuumed and analysed. Drawing the requests in Python is most of the
time: about three minutes per million on the 2-core machine. Elsewhere (SQLite, for trying
it), they are written with bulk_create.

`--form-data FILE` also writes, as JSON, what the benchmark sends and reads: a valid filing of
a pothole (the fields of the details form), the addresses of the pages it measures (those
that exist yet), and the department whose queue it opens. `--staff-session FILE` instead
gives the demo clerk a second factor (a TOTP authenticator) and writes the key of a session
signed in as them, for measuring the desk's queue over HTTP: the server must run with the
same SECRET_KEY.

It writes made-up requests and sessions, so it refuses to run with production settings.
"""

from __future__ import annotations

import datetime
import io
import json
import queue
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail.models import Site

from agora.accounts.models import Department, User
from agora.citizen_requests import demo_requests
from agora.citizen_requests.boundary import contains, parse_boundary, parse_districts
from agora.citizen_requests.demo_requests import Drawn, RequestDrawer
from agora.citizen_requests.filing import highest_tracking_number, sync_tracking_counters
from agora.citizen_requests.models import (
    CitizenRequest,
    RequestEvent,
    RequestService,
    RequestSettings,
    RequestSupporter,
)
from agora.core.models import Participant

CHUNK = 20_000
DROP_INDEXES_FROM = 50_000
PROGRESS_EVERY = 100_000
# The demo's clerk (agora/accounts/demo_data/people.toml), whose queue is measured.
CLERK_EMAIL = "services.citoyens@ville-demo.test"
FILED_SERVICE = "nid-de-poule"
QUEUE_DEPARTMENT = "Travaux publics"


class Command(BaseCommand):
    help = "Adds generated citizen requests with their histories (benchmark only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000, help="requests to add")
        parser.add_argument("--seed", type=int, default=311, help="random seed (repeatable runs)")
        parser.add_argument(
            "--form-data",
            type=Path,
            help="write a valid filing and the measured addresses here (JSON)",
        )
        parser.add_argument(
            "--staff-session",
            type=Path,
            metavar="FILE",
            help="instead: give the demo clerk a second factor and write a signed-in session "
            "key here (JSON)",
        )
        parser.add_argument("--clerk", default=CLERK_EMAIL, help="with --staff-session")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("bench_requests writes made-up requests: not in production.")
        if options["staff_session"]:
            write_staff_session(options["clerk"], options["staff_session"])
            self.stdout.write(f"Session of {options['clerk']} in {options['staff_session']}")
            return
        count: int = options["count"]
        if count < 0:
            raise CommandError("--count must be 0 or more")
        started = time.perf_counter()
        if count:
            written = self.generate(count, options["seed"])
            # Written without the counters: the next request filed takes the next number.
            sync_tracking_counters()
            seconds = time.perf_counter() - started
            self.stdout.write(
                f"Added {written[0]:,} requests, {written[1]:,} events and {written[2]:,} "
                f"voices over the last twelve months in {seconds:.1f} s."
            )
        if options["form_data"]:
            write_form_data(options["form_data"])

    def progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def generate(self, count: int, seed: int) -> tuple[int, int, int]:
        services = demo_requests.drawn_services()
        request_settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
        if not services or not request_settings.boundary.strip():
            raise CommandError("the city has no catalogue or no boundary: run seed_demo first")
        now = timezone.now()
        # Another seed for every run that starts from another request: running the command
        # again adds other requests, with other follow-up tokens.
        start = CitizenRequest.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        rng = random.Random(f"{seed}:{start}")  # noqa: S311 - made-up data, not a secret
        participants = [
            uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(max(1000, count // 4))
        ]
        first_day = timezone.localtime(now - datetime.timedelta(days=demo_requests.DAYS))
        years = range(first_day.year, timezone.localtime(now).year + 1)
        drawer = RequestDrawer(
            services=services,
            city=demo_requests.City(
                boundary=parse_boundary(request_settings.boundary),
                districts=(
                    parse_districts(request_settings.districts)
                    if request_settings.districts.strip()
                    else []
                ),
            ),
            desk=demo_requests.demo_desk(services),
            participants=participants,
            rng=rng,
            now=now,
            first_numbers={year: next_number(year) for year in years},
        )
        drawn = drawer.draw(count)
        if connection.vendor == "postgresql":
            return self.copy_into_postgresql(drawn, participants, count, now)
        with transaction.atomic():
            created = now - datetime.timedelta(days=400)
            Participant.objects.bulk_create(
                [Participant(id=pk, created_at=created) for pk in participants], batch_size=2000
            )
            return self.write(drawn, count, demo_requests.save_drawn)

    def write(
        self, drawn: Iterable[Drawn], count: int, save: Callable[[Sequence[Drawn]], object]
    ) -> tuple[int, int, int]:
        """Writes the requests in chunks, with a line of progress now and then: how many
        requests, events and voices."""
        started = time.perf_counter()
        requests = events = voices = shown = 0
        chunk: list[Drawn] = []
        for request in drawn:
            chunk.append(request)
            events += len(request.events)
            voices += len(request.voices)
            if len(chunk) >= CHUNK:
                save(chunk)
                requests += len(chunk)
                chunk = []
                if requests - shown >= PROGRESS_EVERY:
                    shown = requests
                    self.progress(
                        f"  {requests:>10,} of {count:,} requests, {events:,} events in "
                        f"{time.perf_counter() - started:.1f} s"
                    )
        if chunk:
            save(chunk)
            requests += len(chunk)
        return requests, events, voices

    def copy_into_postgresql(
        self,
        drawn: Iterable[Drawn],
        participants: Sequence[uuid.UUID],
        count: int,
        now: datetime.datetime,
    ) -> tuple[int, int, int]:
        tables = [CitizenRequest, RequestEvent, RequestSupporter]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            skip_foreign_key_checks(cursor)
            for model in tables:
                cursor.execute(f"LOCK TABLE {quoted(model)} IN SHARE ROW EXCLUSIVE MODE")
            created = now - datetime.timedelta(days=400)
            copy_rows(
                cursor,
                Participant,
                ["id", "created_at"],
                ([str(pk), created.isoformat()] for pk in participants),
            )
            dropped: list[str] = []
            if count >= DROP_INDEXES_FROM:
                for model in tables:
                    dropped += drop_plain_indexes(cursor, model)
            last = CitizenRequest.objects.aggregate(last=models.Max("id"))["last"] or 0
            behind = WriteBehind(CopyWriter(cursor, last).save)
            try:
                totals = self.write(drawn, count, behind)
            finally:
                behind.close()
            step = time.perf_counter()
            for definition in dropped:
                cursor.execute(definition)
            if dropped:
                self.progress(
                    f"  {len(dropped)} indexes rebuilt in {time.perf_counter() - step:.1f} s"
                )
            table = quoted(CitizenRequest)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))",  # noqa: S608 - our table's name
                [CitizenRequest._meta.db_table],
            )
        step = time.perf_counter()
        with connection.cursor() as cursor:
            # Fresh statistics and visibility map: good plans and index-only scans. (VACUUM
            # cannot run in a transaction, as in the tests: statistics only, then.)
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            names = ", ".join(quoted(model) for model in [*tables, Participant])
            cursor.execute(f"{vacuum} {names}")
        self.progress(f"  vacuum analyze in {time.perf_counter() - step:.1f} s")
        return totals


def next_number(year: int) -> int:
    """The next free number of the year, after those already filed."""
    return highest_tracking_number(year) + 1


# COPY -------------------------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def text(value: str) -> str:
    return value.translate(_ESCAPES)


def quoted(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _constant(field: models.Field[Any, Any]) -> str:
    """A column this command does not fill, as COPY's text format writes its default."""
    value = field.get_db_prep_save(field.get_default(), connection)
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    return text(str(value))


def copy_rows(
    cursor: Any, model: type[models.Model], columns: list[str], rows: Iterable[list[str]]
) -> int:
    """COPY of `rows` (the values of `columns`, already in COPY's text format) into the
    model's table; the model's other columns get their default."""
    # An automatic primary key left out takes its next value.
    others = [
        field
        for field in model._meta.concrete_fields
        if field.column not in columns and not field.primary_key
    ]
    constants = "".join(f"\t{_constant(field)}" for field in others)
    names = ", ".join(
        connection.ops.quote_name(name) for name in [*columns, *(str(f.column) for f in others)]
    )
    buffer = io.StringIO()
    written = 0
    for row in rows:
        buffer.write("\t".join(row))
        buffer.write(constants)
        buffer.write("\n")
        written += 1
    with cursor.cursor.copy(f"COPY {quoted(model)} ({names}) FROM STDIN") as copy:
        copy.write(buffer.getvalue())
    return written


def _moment(value: datetime.datetime | None) -> str:
    return value.isoformat() if value is not None else NULL


def _number(value: int | None) -> str:
    return str(value) if value is not None else NULL


class WriteBehind:
    """Saves chunks in a thread of its own, so that the next chunk is drawn while PostgreSQL
    takes this one in (COPY waits on the server without holding Python's lock). The drawing
    thread does not touch the database meanwhile."""

    def __init__(self, save: Callable[[Sequence[Drawn]], object]) -> None:
        self.save = save
        self.chunks: queue.Queue[Sequence[Drawn] | None] = queue.Queue(maxsize=2)
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (chunk := self.chunks.get()) is not None:
            if self.failure is None:
                try:
                    self.save(chunk)
                except BaseException as failure:  # raised again in the drawing thread
                    self.failure = failure

    def __call__(self, chunk: Sequence[Drawn]) -> None:
        if self.failure is not None:
            raise self.failure
        self.chunks.put(chunk)

    def close(self) -> None:
        self.chunks.put(None)
        self.thread.join()
        if self.failure is not None:
            raise self.failure


class CopyWriter:
    """Writes chunks of drawn requests with COPY, their ids taken after `last_id`."""

    REQUEST_COLUMNS = [
        "id",
        "tracking_number",
        "service_id",
        "status",
        "description",
        "address",
        "latitude",
        "longitude",
        "answers",
        "public",
        "channel",
        "district",
        "language",
        "participant_id",
        "contact_email",
        "contact_phone",
        "follow_up_token_hash",
        "department_id",
        "assignee_id",
        "duplicate_of_id",
        "created_at",
        "updated_at",
        "due_at",
        "closed_at",
    ]
    EVENT_COLUMNS = [
        "request_id",
        "kind",
        "status_before",
        "status_after",
        "text",
        "public",
        "author_id",
        "created_at",
    ]
    VOICE_COLUMNS = ["request_id", "participant_id", "contact_email", "created_at"]

    def __init__(self, cursor: Any, last_id: int) -> None:
        self.cursor = cursor
        self.last_id = last_id

    def save(self, chunk: Sequence[Drawn]) -> tuple[int, int]:
        for request in chunk:
            self.last_id += 1
            request.pk = self.last_id
        copy_rows(self.cursor, CitizenRequest, self.REQUEST_COLUMNS, map(self.request_row, chunk))
        events = copy_rows(
            self.cursor,
            RequestEvent,
            self.EVENT_COLUMNS,
            (
                [
                    str(request.pk),
                    event.kind,
                    event.status_before,
                    event.status_after,
                    text(event.text),
                    "t" if event.public else "f",
                    _number(event.author),
                    event.at.isoformat(),
                ]
                for request in chunk
                for event in request.events
            ),
        )
        voices = copy_rows(
            self.cursor,
            RequestSupporter,
            self.VOICE_COLUMNS,
            (
                [str(request.pk), str(voice.participant), text(voice.email), voice.at.isoformat()]
                for request in chunk
                for voice in request.voices
            ),
        )
        return events, voices

    @staticmethod
    def request_row(request: Drawn) -> list[str]:
        service = request.service
        original = request.original
        return [
            str(request.pk),
            request.tracking_number,
            str(service.pk),
            request.status,
            text(request.description),
            text(request.address),
            f"{request.latitude:.6f}",
            f"{request.longitude:.6f}",
            text(json.dumps(request.answers, ensure_ascii=False)),
            "t" if service.public else "f",
            request.channel,
            text(request.district),
            "fr",
            str(request.participant) if request.participant is not None else NULL,
            text(request.contact_email),
            text(request.contact_phone),
            request.token_hash,
            _number(service.department_id),
            _number(request.assignee),
            _number(original.pk if original is not None else None),
            request.created_at.isoformat(),
            request.last_update.isoformat(),
            request.due_at.isoformat(),
            _moment(request.closed_at),
        ]


def skip_foreign_key_checks(cursor: Any) -> None:
    """Millions of rows whose keys this command draws itself: the deferred foreign-key
    triggers would check each of them again at commit. Only a superuser may turn them off
    (for this transaction); otherwise the checks run, more slowly."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return


def drop_plain_indexes(cursor: Any, model: type[models.Model]) -> list[str]:
    """Drops the table's indexes that back no constraint and returns their definitions, to
    build them again once the rows are in (inside the transaction: a failure puts them
    back)."""
    cursor.execute(
        """
        SELECT index.relname, pg_get_indexdef(index.oid)
        FROM pg_index JOIN pg_class AS index ON index.oid = pg_index.indexrelid
        WHERE pg_index.indrelid = %s::regclass AND NOT pg_index.indisunique
          AND NOT pg_index.indisprimary
        """,
        [model._meta.db_table],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _name, definition in found]


# What the benchmark sends and reads -------------------------------------------------------


def _path(name: str, *args: str) -> str | None:
    """The address of a page, or None while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def write_form_data(path: Path) -> None:
    """A valid filing of a pothole, as the details form posts it (with the place the
    previous step carries, the required questions answered, the honeypot left empty; the
    proof of work, the CSRF token and the photo are the benchmark's), and the addresses it
    measures."""
    from agora.citizen_requests.report_forms import DetailsForm

    service = RequestService.objects.prefetch_related("attributes").get(code=FILED_SERVICE)
    hotspot = demo_requests.REQUESTS_FILE.hotspots[1]
    request_settings = RequestSettings.for_site(Site.objects.get(is_default_site=True))
    latitude, longitude = f"{hotspot.latitude:.6f}", f"{hotspot.longitude:.6f}"
    boundary = parse_boundary(request_settings.boundary)
    assert contains(boundary, float(longitude), float(latitude)), "the place is in the city"
    fields = [
        ("description", "Gros nid-de-poule dans la voie de droite, les voitures font un écart."),
        ("address", "Coin rue Principale et rue Saint-Paul"),
        ("latitude", latitude),
        ("longitude", longitude),
        ("contact_email", ""),
        ("contact_phone", ""),
        ("site_web", ""),
    ]
    for attribute in service.attributes.all():
        if attribute.variable and attribute.required:
            fields.append((f"attribute_{attribute.code}", str(attribute.values[0]["key"])))
    form = DetailsForm(dict(fields), service=service)
    if not form.is_valid():
        raise CommandError(f"the bench's filing does not pass the form: {form.errors.as_json()}")
    department = Department.objects.filter(name=QUEUE_DEPARTMENT).first()
    with translation.override("fr"):
        details = _path("citizen_requests:details", service.code)
        data = {
            "service": service.code,
            "details_path": details,
            "place_query": f"?adresse=Coin+rue+Principale&lat={latitude}&lon={longitude}",
            "fields": fields,
            "photo_field": "photo_1",
            "private_path_prefix": (_path("citizen_requests:choose") or "/fr/requetes/")
            + "suivi-prive/",
            "indicators_path": _path("citizen_requests:indicators"),
            "open311_requests_path": _path("open311:requests", "json")
            or "/open311/v2/requests.json",
            "queue_path": _path("requests_desk:queue"),
            "department": department.pk if department else None,
            "department_name": QUEUE_DEPARTMENT,
        }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_staff_session(email: str, path: Path) -> None:
    """The clerk, with a second factor (so that their session may use their role), signed in
    in a new session: its key, for the Cookie header."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from agora.accounts.middleware import LAST_ACTIVITY_KEY, has_second_factor

    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        raise CommandError(f"no active account {email!r}: run seed_demo first")
    if not has_second_factor(user):
        TOTP.activate(user, generate_totp_secret())
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LAST_ACTIVITY_KEY] = time.time()
    session.save()
    data = {"cookie": settings.SESSION_COOKIE_NAME, "session": session.session_key, "user": email}
    path.write_text(json.dumps(data, indent=2) + "\n")
