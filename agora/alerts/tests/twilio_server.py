"""A fake Twilio on loopback for the text message and call tests: its REST API, and the
callbacks Twilio makes to us.

`FakeTwilio` is a small threaded HTTP server on a free port of 127.0.0.1 that speaks the
shapes of Twilio's REST API: `POST /2010-04-01/Accounts/<SID>/Messages.json` and
`.../Calls.json`, form-encoded, with HTTP Basic authentication (the account SID and auth
token). It records what it was given and answers 201 with Twilio's JSON (`sid` "SM…" or
"CA…", `status` "queued"), 401 for a wrong account or token, 400 without `To`, or the
answers a test queued with `fail_next()`. Its thread is a daemon, stopped by `running()`
on leaving: no server outlives the tests.

It then plays Twilio's side of the message or call, as Twilio would, through a `Poster`:
`ClientPoster` (Django's test client, on http://testserver) or `HttpPoster` (real HTTP, to
a live server). Each request it makes is signed like Twilio's (`X-Twilio-Signature`: the
full address, then each POST parameter's name and value sorted by name, HMAC-SHA1 with the
auth token, in base64), computed here on its own rather than with the `twilio` package the
views check it with.

- `report_message(message, "delivered")`: the message's status callback;
- `answer_call(call, answered_by="human", press="1")`: fetches the call's TwiML, then, for each
  key pressed, the `<Gather>`'s action; returns every TwiML document it was given;
- `end_call(call, "busy")`: the call's status callback with its last status.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client

from agora.alerts.sms_text import sms_length

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "jeton-de-test-twilio"
CITY_NUMBER = "+15145550000"
RESOURCE_PATH = "/2010-04-01/Accounts/{account}/{resource}.json"

Params = Sequence[tuple[str, str]]


def twilio_signature(url: str, params: Params, auth_token: str = AUTH_TOKEN) -> str:
    """X-Twilio-Signature as Twilio computes it."""
    data = url
    for name in sorted({name for name, _value in params}):
        for value in sorted({value for key, value in params if key == name}):
            data += name + value
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


class Poster(Protocol):
    def __call__(self, url: str, params: Params, headers: dict[str, str]) -> Answer: ...


@dataclass
class ClientPoster:
    """Posts through Django's test client: TWILIO_PUBLIC_BASE_URL must be http://testserver."""

    client: Client

    def __call__(self, url: str, params: Params, headers: dict[str, str]) -> Answer:
        parts = urlsplit(url)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        response = self.client.generic(
            "POST",
            path,
            urlencode(params),
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
        return Answer(response.status_code, response.content.decode())


class HttpPoster:
    """Posts over HTTP, to a live server."""

    def __call__(self, url: str, params: Params, headers: dict[str, str]) -> Answer:
        request = urllib.request.Request(  # noqa: S310 (the tests' own loopback addresses)
            url,
            data=urlencode(params).encode(),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return Answer(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode())


@dataclass
class Created:
    """A message or call the fake accepted: its sid and the fields it was given."""

    sid: str
    resource: str  # "Messages" or "Calls"
    fields: dict[str, list[str]]

    def field(self, name: str) -> str:
        return self.fields.get(name, [""])[0]


@dataclass
class FakeTwilio:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    created: list[Created] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)  # the statuses of refused requests
    _failures: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    # Life -----------------------------------------------------------------------------------

    @contextmanager
    def running(self) -> Iterator[FakeTwilio]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                status, answer = fake._answer(
                    self.path, self.headers.get("Authorization", ""), body
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        self._server = server
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
            self._server = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def reset(self) -> None:
        with self._lock:
            self.created.clear()
            self.refused.clear()
            self._failures.clear()

    def fail_next(self, status: int, code: int = 20500) -> None:
        """The next request is answered `status` with Twilio's error JSON."""
        with self._lock:
            self._failures.append(
                (status, {"code": code, "message": "Erreur simulée", "status": status})
            )

    # The REST API -----------------------------------------------------------------------------

    def _error(self, status: int, code: int, message: str) -> tuple[int, dict[str, Any]]:
        self.refused.append(status)
        return status, {"code": code, "message": message, "status": status}

    def _answer(self, path: str, authorization: str, body: str) -> tuple[int, dict[str, Any]]:
        expected = "Basic " + base64.b64encode(
            f"{self.account_sid}:{self.auth_token}".encode()
        ).decode("ascii")
        with self._lock:
            if not hmac.compare_digest(authorization, expected):
                return self._error(401, 20003, "Authenticate")
            resource = next(
                (
                    name
                    for name in ("Messages", "Calls")
                    if path == RESOURCE_PATH.format(account=self.account_sid, resource=name)
                ),
                None,
            )
            if resource is None:
                return self._error(404, 20404, "The requested resource was not found")
            if self._failures:
                status, failure = self._failures.pop(0)
                self.refused.append(status)
                return status, failure
            fields = parse_qs(body, keep_blank_values=True)
            to = fields.get("To", [""])[0]
            if not to:
                return self._error(400, 21604, "A 'To' phone number is required.")
            prefix = "SM" if resource == "Messages" else "CA"
            created = Created(prefix + secrets.token_hex(16), resource, fields)
            self.created.append(created)
            answer: dict[str, Any] = {
                "sid": created.sid,
                "account_sid": self.account_sid,
                "api_version": "2010-04-01",
                "status": "queued",
                "to": to,
                "from": created.field("From"),
                "direction": "outbound-api",
                "error_code": None,
                "error_message": None,
            }
            if resource == "Messages":
                length = sms_length(created.field("Body"))
                answer |= {
                    "body": created.field("Body"),
                    "num_segments": str(length.segments),
                    # Not Twilio's: what it would send the text as, for the tests.
                    "encoding": str(length.encoding),
                }
            return 201, answer

    @property
    def messages(self) -> list[Created]:
        return [created for created in self.created if created.resource == "Messages"]

    @property
    def calls(self) -> list[Created]:
        return [created for created in self.created if created.resource == "Calls"]

    # Twilio's callbacks -----------------------------------------------------------------------

    def post(
        self, url: str, params: Params, *, via: Poster, signature: str | None = None
    ) -> Answer:
        """POSTs `params` to `url` signed as Twilio does, or with `signature` when given
        (empty: without the header)."""
        signed = twilio_signature(url, params, self.auth_token) if signature is None else signature
        headers = {"X-Twilio-Signature": signed} if signed else {}
        return via(url, params, headers)

    def message_status_params(self, message: Created, status: str) -> list[tuple[str, str]]:
        return [
            ("AccountSid", self.account_sid),
            ("ApiVersion", "2010-04-01"),
            ("From", message.field("From")),
            ("To", message.field("To")),
            ("MessageSid", message.sid),
            ("SmsSid", message.sid),
            ("MessageStatus", status),
            ("SmsStatus", status),
        ]

    def report_message(self, message: Created, status: str, *, via: Poster) -> Answer:
        return self.post(
            message.field("StatusCallback"), self.message_status_params(message, status), via=via
        )

    def call_params(self, call: Created, status: str, **extra: str) -> list[tuple[str, str]]:
        return [
            ("AccountSid", self.account_sid),
            ("ApiVersion", "2010-04-01"),
            ("CallSid", call.sid),
            ("CallStatus", status),
            ("Direction", "outbound-api"),
            ("From", call.field("From")),
            ("To", call.field("To")),
            *extra.items(),
        ]

    def answer_call(
        self, call: Created, *, via: Poster, answered_by: str = "human", press: str = ""
    ) -> list[str]:
        """Fetches the call's TwiML as Twilio does once the call is answered (and, with
        DetectMessageEnd, the machine's greeting over), then the <Gather> action of each key
        pressed; returns the documents."""
        answer = self.post(
            call.field("Url"),
            self.call_params(call, "in-progress", AnsweredBy=answered_by),
            via=via,
        )
        assert answer.status == 200, answer
        documents = [answer.body]
        for key in press:
            gather = ET.fromstring(documents[-1]).find("Gather")  # noqa: S314
            assert gather is not None, "no <Gather> to press a key in"
            answer = self.post(
                gather.attrib["action"],
                self.call_params(call, "in-progress", Digits=key, FinishedOnKey=""),
                via=via,
            )
            assert answer.status == 200, answer
            documents.append(answer.body)
        return documents

    def end_call(self, call: Created, status: str, *, via: Poster, answered_by: str = "") -> Answer:
        extra = {"CallDuration": "12"} if status == "completed" else {}
        if answered_by:
            extra["AnsweredBy"] = answered_by
        return self.report_call(call, status, via=via, **extra)

    def report_call(self, call: Created, status: str, *, via: Poster, **extra: str) -> Answer:
        return self.post(
            call.field("StatusCallback"), self.call_params(call, status, **extra), via=via
        )
