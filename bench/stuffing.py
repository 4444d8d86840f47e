#!/usr/bin/env python3
"""Ballot stuffing against a running Agora: what a script gets through.

The script a determined resident would write, with the standard library only: it forgets
its cookies after each contribution (a new participant each time), solves the ALTCHA proof of
work when the site offers one (in Python, far faster than a phone), and either supports one
idea from the idea list's buttons or answers one survey from start to end, as fast as the
server lets it. It sends `X-Forwarded-Proto: https` as the city's proxy does, and, depending
on the scenario, an `X-Forwarded-For` of its choosing.

It reads the outcome from the city's SQLite database: the idea's support count, the survey's
responses, and the contributions held for a moderator, before and after. A measurement, not
a test; bench/suites/integrity.py runs it under production settings, and it runs alone
against any server:

    .venv/bin/python bench/stuffing.py --url http://127.0.0.1:8000 \
        --database var/agora.sqlite3 --seconds 30 --forwarded one-address
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.cookiejar
import json
import sqlite3
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

PROJECT_SLUG = "parc-riverain"
SURVEY_SLUG = "acces-eau-parc-riverain"


# How the script says where it comes from, if it does (X-Forwarded-For).
def _none(n: int) -> str | None:
    return None


def _forged(n: int) -> str | None:
    return f"198.51.{n // 256 % 256}.{n % 256}"


def _one_64(n: int) -> str | None:
    return f"2001:db8:4:5::{n % 256:x}"


FORWARDED: dict[str, Callable[[int], str | None]] = {
    "one-address": _none,
    "forged": _forged,
    "one-64": _one_64,
}


# A browser without memory ---------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _PlainHttpCookies(http.cookiejar.DefaultCookiePolicy):
    """Production marks its cookies Secure; the proxy's TLS is pretended here."""

    def return_ok_secure(self, cookie: Any, request: Any) -> bool:
        return True


class Visitor:
    def __init__(self, base: str, forwarded: str | None) -> None:
        self.base = base.rstrip("/")
        self.https = self.base.replace("http://", "https://", 1)
        jar = http.cookiejar.CookieJar(policy=_PlainHttpCookies())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
        )
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Origin": self.https,
            "User-Agent": "agora-bench-stuffing",
        }
        if forwarded:
            self.headers["X-Forwarded-For"] = forwarded

    def call(
        self, method: str, path: str, data: list[tuple[str, str]] | None = None
    ) -> tuple[int, str, str]:
        """(status, Location, body)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=body,
            method=method,
            headers={**self.headers, "Referer": self.https + path},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, "", response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location", "") or ""
            return error.code, location, error.read().decode("utf-8", "replace")

    def proof_of_work(self, embedded: str = "") -> str:
        """The ALTCHA answer, when the site asks for one; "" otherwise. The challenge comes
        from /altcha/, or from the page in versions of Agora that put it there."""
        status, _location, body = self.call("GET", "/altcha/")
        if status != 200:
            body = embedded
        if not body:
            return ""
        challenge = json.loads(body)
        for number in range(int(challenge["maxnumber"]) + 1):
            digest = hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest()
            if digest == challenge["challenge"]:
                answer = {
                    "algorithm": challenge["algorithm"],
                    "challenge": challenge["challenge"],
                    "number": number,
                    "salt": challenge["salt"],
                    "signature": challenge["signature"],
                }
                return base64.b64encode(json.dumps(answer).encode()).decode()
        return ""


# Filling a survey's forms ------------------------------------------------------------------


@dataclass
class _Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    choices: dict[str, str] = field(default_factory=dict)  # radio/checkbox/select: first
    texts: list[str] = field(default_factory=list)
    altcha: bool = False
    challenge: str = ""


class _FormReader(HTMLParser):
    """The page's POST forms, each with what a hurried resident would answer."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self.current: _Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attributes}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.current = _Form(action=a.get("action", ""))
            self.forms.append(self.current)
            return
        form = self.current
        if form is None:
            return
        if a.get("data-altcha-challenge"):
            form.challenge = a["data-altcha-challenge"]
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if name == "altcha":
                form.altcha = True
            elif kind == "hidden" or name == "site_web":
                form.fields.append((name, a.get("value", "")))
            elif kind in ("radio", "checkbox"):
                form.choices.setdefault(name, a.get("value", "on"))
            elif kind == "number":
                form.fields.append((name, a.get("min", "") or "1"))
            elif kind == "date":
                form.fields.append((name, "2026-12-01"))
            elif kind in ("text", "search", "tel", "url"):
                form.texts.append(name)
        elif tag == "textarea" and name:
            form.texts.append(name)
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and a.get("value"):
            form.choices.setdefault(self.select, a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def _survey_form(page: str) -> _Form | None:
    reader = _FormReader()
    reader.feed(page)
    for form in reader.forms:
        if any(name == "csrfmiddlewaretoken" for name, _value in form.fields) and (
            "/sondages/" in form.action or not form.action
        ):
            return form
    return None


def answer_survey(visitor: Visitor, slug: str) -> int:
    """One response from start to end; the status of the last step (302 when sent)."""
    path = f"/fr/sondages/{slug}/section/1/"
    status, location, page = visitor.call("GET", path)
    for _step in range(20):
        if status != 200:
            return status
        form = _survey_form(page)
        if form is None:
            return status
        data = [*form.fields, *form.choices.items()]
        data += [(name, "Oui") for name in form.texts]
        if form.altcha:
            data.append(("altcha", visitor.proof_of_work(form.challenge)))
        target = form.action or path
        status, location, page = visitor.call("POST", target, data)
        if status == 302:
            if "/merci/" in location or "/thanks/" in location:
                return 302
            path = urllib.parse.urlsplit(location).path
            status, location, page = visitor.call("GET", path)
        # 200: the same step again (a question a previous answer reveals, or an error).
    return status


# The scenario ------------------------------------------------------------------------------


class City:
    """The outcome, read from the city's database."""

    def __init__(self, database: str) -> None:
        self.connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)

    def one(self, sql: str, *parameters: Any) -> Any:
        try:
            row = self.connection.execute(sql, parameters).fetchone()
        except sqlite3.OperationalError:  # a version of Agora without that table
            return 0
        return row[0] if row else 0

    def ideas(self, count: int) -> list[int]:
        rows = self.connection.execute(
            "SELECT i.id FROM ideas_idea i JOIN wagtailcore_page p ON p.id = i.project_id "
            "WHERE p.slug = ? AND i.visibility = 'published' ORDER BY i.id LIMIT ?",
            (PROJECT_SLUG, count),
        ).fetchall()
        return [row[0] for row in rows]

    def survey(self, slug: str) -> int:
        return int(self.one("SELECT id FROM surveys_survey WHERE slug = ?", slug))

    def supports(self, idea: int) -> int:
        return int(self.one("SELECT support_count FROM ideas_idea WHERE id = ?", idea))

    def responses(self, survey: int) -> int:
        return int(self.one("SELECT count(*) FROM surveys_response WHERE survey_id = ?", survey))

    def held(self, kind: str, target: int) -> int:
        return int(
            self.one(
                "SELECT count(*) FROM core_heldcontribution WHERE kind = ? AND target_id = ?",
                kind,
                target,
            )
        )


@dataclass
class Run:
    what: str
    seconds: float
    statuses: dict[str, int]
    counted: int
    held: int
    counted_at_three_quarters: int

    def as_json(self) -> dict[str, Any]:
        accepted = self.statuses.get("302", 0)
        # Once nothing more counts in the last quarter, the script is stopped for the
        # period (limits and holding look back an hour, or a day): what it got is what an
        # hour gives. Otherwise it goes on at this pace.
        saturated = self.counted == self.counted_at_three_quarters
        per_hour = self.counted if saturated else round(self.counted * 3600 / self.seconds)
        return {
            "what": self.what,
            "seconds": round(self.seconds, 1),
            "attempts": sum(self.statuses.values()),
            "statuses": self.statuses,
            "accepted": accepted,
            "counted": self.counted,
            "held_for_moderators": self.held,
            "stopped_before_the_end": saturated,
            "counted_per_hour": per_hour,
        }


def _loop(
    seconds: float, attempt: Callable[[int], int], progress: Callable[[], int]
) -> tuple[dict[str, int], float, int]:
    statuses: dict[str, int] = {}
    started = time.monotonic()
    at_three_quarters: int | None = None
    n = 0
    while (elapsed := time.monotonic() - started) < seconds:
        if at_three_quarters is None and elapsed >= seconds * 0.75:
            at_three_quarters = progress()
        status = str(attempt(n))
        statuses[status] = statuses.get(status, 0) + 1
        n += 1
    if at_three_quarters is None:
        at_three_quarters = progress()
    return statuses, time.monotonic() - started, at_three_quarters


def _measured(
    what: str,
    seconds: float,
    attempt: Callable[[int], int],
    *,
    counted: Callable[[], int],
    held: Callable[[], int],
) -> Run:
    """Runs `attempt` for `seconds`; what it changed in the counts and in what is held."""
    counted_before, held_before = counted(), held()
    statuses, spent, quarter = _loop(seconds, attempt, counted)
    return Run(
        what=what,
        seconds=spent,
        statuses=statuses,
        counted=counted() - counted_before,
        held=held() - held_before,
        counted_at_three_quarters=quarter - counted_before,
    )


def stuff(
    url: str, database: str, seconds: float, forwarded: str, idea_index: int
) -> dict[str, Any]:
    city = City(database)
    ideas = city.ideas(idea_index + 1)
    if len(ideas) <= idea_index:
        raise SystemExit(f"The project {PROJECT_SLUG} has no published idea to support.")
    idea = ideas[idea_index]
    survey = city.survey(SURVEY_SLUG)
    address = FORWARDED[forwarded]

    def support(n: int) -> int:
        visitor = Visitor(url, address(n))
        data = [("kind", "support"), ("altcha", visitor.proof_of_work())]
        status, _location, _body = visitor.call("POST", f"/fr/idees/{idea}/appui/", data)
        return status

    supports = _measured(
        f"supports of idea {idea}",
        seconds,
        support,
        counted=lambda: city.supports(idea),
        held=lambda: city.held("ideas.reaction", idea),
    )
    responses = _measured(
        f"responses to survey {SURVEY_SLUG}",
        seconds,
        lambda n: answer_survey(Visitor(url, address(n)), SURVEY_SLUG),
        counted=lambda: city.responses(survey),
        held=lambda: city.held("surveys.response", survey),
    )
    return {
        "forwarded": forwarded,
        "supports": supports.as_json(),
        "responses": responses.as_json(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--url", required=True, help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--database", required=True, help="the city's SQLite file")
    parser.add_argument("--seconds", type=float, default=30.0, help="per kind of contribution")
    parser.add_argument("--forwarded", choices=sorted(FORWARDED), default="one-address")
    parser.add_argument("--idea", type=int, default=0, help="which published idea (0: the first)")
    args = parser.parse_args(argv)
    json.dump(
        stuff(args.url, args.database, args.seconds, args.forwarded, args.idea),
        sys.stdout,
        indent=2,
    )
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
