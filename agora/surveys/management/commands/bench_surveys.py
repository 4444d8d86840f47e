"""Creates a 20-question survey with generated responses, for the benchmark (`make bench`).

    manage.py bench_surveys --responses 1000000

The survey (slug `sondage-banc-essai` unless `--slug` says otherwise) is continuous, open,
published, results live, one section of twenty questions of every kind that counts: single
and multiple choice, yes/no, ratings, a Likert matrix of four rows, a ranking of four items,
a number, age group, district, postal code and texts; about 26 answer rows per response.
Running the command again replaces it.

Every question draws its answers from a weighted list of session values, turned into `Answer`
rows by its question type's own `stored_values`, so the rows are stored exactly as the
answering flow stores them. On PostgreSQL, the responses come from `generate_series` and each
question's answers from one `INSERT … SELECT` that picks a value per response with
`random()`: a million responses (26 million answers) take a few minutes. On SQLite, responses
are drawn in Python and bulk-inserted, which is fine for the tests' few hundred.

`--form-data FILE` also writes, as JSON, a valid POST body of the section (what a browser
sends once the form is filled in), for the benchmark's submission measurement.

It writes made-up responses, so it refuses to run with production settings.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import random
import time
import uuid
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from agora.core.data_files import load
from agora.core.page_cache import bump_scope
from agora.surveys.demo.building import (
    BuiltSurvey,
    Respondent,
    build_survey,
    questions_by_key,
    write_responses,
)
from agora.surveys.demo.drawing import ranks, rated, some_of, weighted
from agora.surveys.demo.specs import DISTRICTS, POSTAL_PREFIXES, SurveySpec
from agora.surveys.models import (
    Answer,
    Choice,
    Excerpt,
    Question,
    Response,
    Section,
    Survey,
)
from agora.surveys.questions.base import StoredValue
from agora.surveys.services import survey_scope

# The survey's sections, questions and choices, and its default slug: bench_surveys.toml,
# beside this file.
SPEC = load(Path(__file__).with_suffix(".toml"), SurveySpec)
DEFAULT_SLUG = SPEC.slug
# Each question's answers are drawn from this many session values (repeats make weights).
PATTERNS = 120
# Responses are spread over the last year.
SPAN = datetime.timedelta(days=365)


def bench_spec(slug: str) -> SurveySpec:
    return dataclasses.replace(SPEC, slug=slug)


def sometimes(share: float, draw: Callable[[random.Random], Any]) -> Callable[[random.Random], Any]:
    """Answered by `share` of the respondents (None: left blank)."""
    return lambda rng: draw(rng) if rng.random() < share else None


def choice_of(weights: dict[str, float]) -> Callable[[random.Random], Any]:
    return lambda rng: weighted(rng, weights)


def options_of(chances: dict[str, float], most: int) -> Callable[[random.Random], Any]:
    return lambda rng: some_of(rng, chances, most) or None


def numbered(*weights: float) -> dict[str, float]:
    return {f"choix-{n}": weight for n, weight in enumerate(weights)}


DRAWS: dict[str, Callable[[random.Random], Any]] = {
    "mode": choice_of(numbered(48, 18, 12, 15, 7)),
    "activites": options_of(numbered(0.3, 0.25, 0.4, 0.3, 0.15, 0.6), most=3),
    "satisfait": lambda rng: "oui" if rng.random() < 0.71 else "non",
    "note": sometimes(0.95, lambda rng: rated(rng, 3.8, 1, 5)),
    "recommander": sometimes(0.9, lambda rng: rated(rng, 7.2, 0, 10, 2.0)),
    "enonces": sometimes(
        0.92,
        lambda rng: {
            row: rated(rng, mean, 1, 5) for row, mean in numbered(3.4, 3.9, 3.6, 3.1).items()
        },
    ),
    "priorites": sometimes(
        0.88,
        lambda rng: ranks(rng, {"choix-0": 1.0, "choix-1": 0.6, "choix-2": 0.1, "choix-3": 0.4}),
    ),
    "annees": sometimes(0.9, lambda rng: min(100, int(rng.expovariate(1 / 14)))),
    "age": sometimes(
        0.93,
        choice_of(
            {
                "18-24-ans": 6,
                "25-34-ans": 16,
                "35-44-ans": 21,
                "45-54-ans": 18,
                "55-64-ans": 17,
                "65-74-ans": 14,
                "75-ans-et-plus": 6,
                "ne-pas-repondre": 2,
            }
        ),
    ),
    "quartier": sometimes(
        0.9, choice_of({district.value: district.weight for district in DISTRICTS})
    ),
    "code_postal": sometimes(
        0.8, lambda rng: rng.choice(rng.choice(list(POSTAL_PREFIXES.values())))
    ),
    "mot": sometimes(
        0.3, lambda rng: rng.choice(["Verte", "Accueillante", "Calme", "Chère", "Vivante"])
    ),
    "frequence": choice_of(numbered(8, 30, 32, 22, 8)),
    "services": options_of(numbered(0.45, 0.3, 0.35, 0.12, 0.2), most=5),
    "securite": sometimes(0.97, lambda rng: "oui" if rng.random() < 0.82 else "non"),
    "proprete": sometimes(0.95, lambda rng: rated(rng, 3.5, 1, 5)),
    "idees": sometimes(
        0.15,
        lambda rng: rng.choice(
            [
                "Plus d'arbres dans les rues.",
                "Un marché public l'été.",
                "Des pistes cyclables protégées.",
            ]
        ),
    ),
    "transport": choice_of(numbered(12, 30, 18, 40)),
    "benevole": lambda rng: "oui" if rng.random() < 0.27 else "non",
    "accessibilite": sometimes(0.85, lambda rng: rated(rng, 3.6, 1, 5)),
}


class Command(BaseCommand):
    help = "Creates a 20-question survey with generated responses (benchmark only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--responses", type=int, default=1_000_000, help="responses to add")
        parser.add_argument("--slug", default=DEFAULT_SLUG, help="the bench survey's slug")
        parser.add_argument("--seed", type=int, default=20, help="random seed (repeatable runs)")
        parser.add_argument(
            "--form-data", type=Path, help="write a valid POST body of the section here (JSON)"
        )
        parser.add_argument(
            "--measure-submissions",
            type=float,
            metavar="SECONDS",
            help="instead: submit responses to the existing survey for this long, from "
            "--workers processes, through the submit_response service; print JSON figures",
        )
        parser.add_argument("--workers", type=int, default=16, help="with --measure-submissions")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("bench_surveys writes made-up responses: not in production.")
        count: int = options["responses"]
        if count < 0:
            raise CommandError("--responses must be 0 or more")
        slug: str = options["slug"]
        if options["measure_submissions"]:
            figures = measure_service(slug, options["measure_submissions"], options["workers"])
            self.stdout.write("AGORA_SERVICE " + json.dumps(figures))
            return
        started = time.perf_counter()
        rng = random.Random(options["seed"])  # noqa: S311 - made-up data, not a secret
        spec = bench_spec(slug)
        if Survey.objects.filter(slug=slug).exists():
            self.progress(f"Removing the previous {slug!r} survey…")
            delete_survey(slug)
        now = timezone.now()
        with transaction.atomic():
            built = build_survey(
                spec,
                opens_at=now - SPAN,
                closes_at=None,
                published_at=now - SPAN,
            )
        patterns = {key: [DRAWS[key](rng) for _ in range(PATTERNS)] for key in built.questions}
        if connection.vendor == "postgresql":
            answers = self.generate_in_postgresql(built, patterns, count, now, options["seed"])
        else:
            answers = self.generate_in_python(built, patterns, count, now, rng)
        bump_scope(survey_scope(built.survey))
        if options["form_data"]:
            write_form_data(built, patterns, options["form_data"])
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Survey {slug!r}: {len(built.questions)} questions, {count:,} responses, "
            f"{answers:,} answers in {seconds:.1f} s."
        )

    def progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def generate_in_python(
        self,
        built: BuiltSurvey,
        patterns: dict[str, list[Any]],
        count: int,
        now: datetime.datetime,
        rng: random.Random,
    ) -> int:
        respondents = [
            Respondent(
                participant=uuid.UUID(int=rng.getrandbits(128)),
                submitted_at=now - SPAN * rng.random(),
                language="en" if rng.random() < 0.14 else "fr",
                values={key: rng.choice(values) for key, values in patterns.items()},
            )
            for _ in range(count)
        ]
        with transaction.atomic():
            write_responses(built, respondents)
        return Answer.objects.filter(response__survey=built.survey).count()

    def generate_in_postgresql(
        self,
        built: BuiltSurvey,
        patterns: dict[str, list[Any]],
        count: int,
        now: datetime.datetime,
        seed: int,
    ) -> int:
        """Set-based: one INSERT … SELECT for the responses, one per question for the
        answers, each response picking one of the question's patterns with random()."""
        survey = built.survey
        response_table = Response._meta.db_table
        answer_table = Answer._meta.db_table
        total = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
            skip_foreign_key_checks(cursor)
            step = time.perf_counter()
            # Anonymous, as without the participant cookie; the key keeps the policy's shape.
            cursor.execute(
                f"""
                INSERT INTO {response_table} (survey_id, participant_id, submitted_at, language,
                                              policy_key)
                SELECT %s, NULL, %s - random() * %s * interval '1 second',
                       CASE WHEN random() < 0.14 THEN 'en' ELSE 'fr' END, 'bench:' || g
                FROM generate_series(1, %s) AS g
                """,  # noqa: S608 - table names are ours
                [survey.pk, now, SPAN.total_seconds(), count],
            )
            self.progress(f"  responses: {count:,} in {time.perf_counter() - step:.1f} s")
            dropped = drop_plain_indexes(cursor, answer_table) if count >= 50_000 else []
            for key, question in built.questions.items():
                step = time.perf_counter()
                rows = [
                    (index, stored)
                    for index, value in enumerate(patterns[key])
                    for stored in stored_rows(question, value)
                ]
                if not rows:
                    continue
                values = ", ".join(["(%s::int, %s::bigint, %s::float8, %s::text)"] * len(rows))
                parameters: list[Any] = [
                    part
                    for index, stored in rows
                    for part in (index, stored.choice_id, stored.number, stored.text)
                ]
                cursor.execute(
                    f"""
                    INSERT INTO {answer_table} (response_id, question_id, choice_id, number, text,
                                                date, latitude, longitude, file)
                    SELECT r.id, %s, p.choice_id, p.number, p.text, NULL, NULL, NULL, ''
                    FROM (SELECT id, floor(random() * %s)::int AS k
                          FROM {response_table} WHERE survey_id = %s) AS r
                    JOIN (VALUES {values}) AS p(k, choice_id, number, text) ON p.k = r.k
                    """,  # noqa: S608 - table names are ours, values are parameters
                    [question.pk, PATTERNS, survey.pk, *parameters],
                )
                total += cursor.rowcount
                self.progress(
                    f"  {key:<14} {question.kind:<16} {cursor.rowcount:>10,} answers in "
                    f"{time.perf_counter() - step:.1f} s"
                )
            step = time.perf_counter()
            for definition in dropped:
                cursor.execute(definition)
            if dropped:
                self.progress(
                    f"  {len(dropped)} indexes rebuilt in {time.perf_counter() - step:.1f} s"
                )
        step = time.perf_counter()
        with connection.cursor() as cursor:
            # The visibility map lets counts use index-only scans; fresh statistics, good plans.
            # (VACUUM cannot run in a transaction, as in the tests: statistics only, then.)
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            cursor.execute(f"{vacuum} {response_table}, {answer_table}")
        self.progress(f"  vacuum analyze in {time.perf_counter() - step:.1f} s")
        return total


def skip_foreign_key_checks(cursor: Any) -> None:
    """Millions of rows whose keys this command reads or deletes in order: the deferred
    foreign-key triggers would check each of them again at commit. Only a superuser may turn
    them off (for this transaction); otherwise the checks run, more slowly."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return


def drop_plain_indexes(cursor: Any, table: str) -> list[str]:
    """Drops the table's indexes that back no constraint and returns their definitions, to
    create them again once the rows are in: building an index once is much faster than
    updating it row by row (PostgreSQL's advice for populating a database). Inside the
    transaction, so a failure puts them back."""
    cursor.execute(
        """
        SELECT index.relname, pg_get_indexdef(index.oid)
        FROM pg_index JOIN pg_class AS index ON index.oid = pg_index.indexrelid
        WHERE pg_index.indrelid = %s::regclass AND NOT pg_index.indisunique
          AND NOT pg_index.indisprimary
        """,
        [table],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _name, definition in found]


def stored_rows(question: Question, value: Any) -> list[StoredValue]:
    if value is None or not question.type.is_answered(value):
        return []
    return list(question.type.stored_values(question, value))


def delete_survey(slug: str) -> None:
    """Deletes the survey and its rows with a few set-based statements: the ORM's cascade
    would load millions of ids first."""
    survey = Survey.objects.get(slug=slug)
    tables = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (Excerpt, Answer, Response, Choice, Question)
    }
    of_questions = f"SELECT id FROM {tables[Question]} WHERE survey_id = %s"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            skip_foreign_key_checks(cursor)
        for model in (Excerpt, Answer, Choice):
            cursor.execute(
                f"DELETE FROM {tables[model]} WHERE question_id IN ({of_questions})",  # noqa: S608
                [survey.pk],
            )
        cursor.execute(f"DELETE FROM {tables[Response]} WHERE survey_id = %s", [survey.pk])  # noqa: S608
        Question.objects.filter(survey=survey).update(condition_question=None)
        Section.objects.filter(survey=survey).update(condition_question=None)
        survey.delete()


class FormReader(HTMLParser):
    """What a browser sends for a filled-in form: checked radios and checkboxes, selected
    options, text inputs and text areas, hidden fields (the CSRF token is left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name", "")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = attributes.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.fields.append((name, attributes.get("value", "")))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attributes:
            self.fields.append((self.select, attributes.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = name, ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.strip("\n")))
            self.textarea = None


def write_form_data(built: BuiltSurvey, patterns: dict[str, list[Any]], path: Path) -> None:
    """A complete, valid answer of the section as the browser would post it (every question
    answered with its first non-blank pattern), and the addresses of the journey."""
    from agora.surveys.forms import build_section_form, initial_values

    questions = list(built.questions.values())
    answers = {
        question.pk: next(v for v in patterns[key] if v is not None)
        for key, question in built.questions.items()
    }
    section = questions[0].section
    with translation.override("fr"):
        form = build_section_form(section, questions, initial=initial_values(questions, answers))
        reader = FormReader()
        reader.feed(str(form))
        slug = built.survey.slug
        data = {
            "survey": slug,
            "section_path": reverse("surveys:section", kwargs={"slug": slug, "number": 1}),
            "submit_path": reverse("surveys:submit", kwargs={"slug": slug}),
            "thanks_path": reverse("surveys:thanks", kwargs={"slug": slug}),
            "results_path": reverse("results:detail", kwargs={"slug": slug}),
            "fields": reader.fields,
        }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# Service-level submission throughput -----------------------------------------------------


def _submit_for(slug: str, seconds: float, seed: int, ready: Any, queue: Any) -> None:
    """One worker process: new participants submitting complete responses, as the answering
    flow's last step does (`participant_for` creates the participant, then the service,
    given the questions the flow already holds). Starts once every worker is ready."""
    from django.db import connections

    from agora.core.models import Participant
    from agora.surveys.services import submit_response

    connections.close_all()
    survey = Survey.objects.get(slug=slug)
    built = BuiltSurvey(survey, questions_by_key(survey, bench_spec(slug)))
    questions = {question.pk: question for question in built.questions.values()}
    rng = random.Random(seed)  # noqa: S311 - made-up data, not a secret
    patterns = {key: [DRAWS[key](rng) for _ in range(PATTERNS)] for key in built.questions}
    ready.wait()
    sent = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        values = {
            question.pk: value
            for key, question in built.questions.items()
            if (value := rng.choice(patterns[key])) is not None
        }
        with transaction.atomic():
            submit_response(
                survey=survey,
                participant=Participant.objects.create(),
                values=values,
                language="fr",
                questions=questions,
            )
        sent += 1
    connections.close_all()
    queue.put(sent)


def measure_service(slug: str, seconds: float, workers: int) -> dict[str, Any]:
    """Responses/s over the run, from when every worker is ready to the last one's end."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    ready = context.Barrier(workers + 1)
    processes = [
        context.Process(target=_submit_for, args=(slug, seconds, 1000 + n, ready, queue))
        for n in range(workers)
    ]
    for process in processes:
        process.start()
    ready.wait()
    started = time.perf_counter()
    sent = sum(queue.get() for _ in processes)
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    return {
        "measured": (
            "service level: the new participant and submit_response (one transaction: the "
            "participant, the response, its ~26 answers, the policy key), from concurrent "
            "worker processes "
            f"against {connection.vendor}; no HTTP, no form validation, no rendering"
        ),
        "workers": workers,
        "seconds": round(elapsed, 2),
        "responses_written": sent,
        "responses_per_second": round(sent / elapsed, 1),
    }
