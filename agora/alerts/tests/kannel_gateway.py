"""A real Kannel gateway on loopback for the text message tests, and a live server of ours it
calls back.

`KannelGateway` writes a throwaway configuration, then starts Debian's `bearerbox` and
`smsbox` in the foreground (never the system service) and Kannel's test SMSC client,
`fakesmsc` (package kannel-extras), which plays the phone network: it prints every message
the gateway sends it, and sends the messages it was started with as if a phone had. Every
port is a free one of 127.0.0.1.

The fake SMSC takes one fakesmsc at a time, so a phone's message is injected by replacing
the running fakesmsc with one started with that message; it then stays connected and
receives what follows (the reply).

All the processes share one process group, led by a small watchdog: stopping the gateway
kills the group, and the watchdog kills it by itself when the test process is gone (pytest
killed) or after MAX_LIFETIME (4 hours), so no box outlives the tests.

`CallbackServer` serves Agora on the port the gateway's configuration names, in a thread of
the test process, through the test's own database connection and inside its transaction
(like agora/citizen_requests/tests/open311_support.py). Requests are served one at a time
under `lock`; a test that uses the database while Kannel may call holds the lock.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.test.testcases import QuietWSGIRequestHandler

from agora.alerts.kannel_conf import LoopbackKannel

SBIN = Path("/usr/sbin")
FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
MAX_LIFETIME = 4 * 60 * 60  # seconds: the watchdog stops everything after 4 hours in any case
READY_TIMEOUT = 20.0
CITY_NUMBER = "+15145550000"
INBOUND_PATH = "/passerelles/kannel/sms-entrant/"


def kannel_program(name: str) -> str | None:
    """The path of a Kannel box (bearerbox, smsbox), which Debian puts in /usr/sbin."""
    found = shutil.which(name)
    if found:
        return found
    candidate = SBIN / name
    return str(candidate) if os.access(candidate, os.X_OK) else None


def kannel_missing() -> str | None:
    """Why the gateway cannot run here, or None when it can."""
    for name in ("bearerbox", "smsbox"):
        if kannel_program(name) is None:
            return f"{name} is not installed (Debian package kannel: scripts/ensure-system-packages --browser)"
    if not os.access(FAKESMSC, os.X_OK):
        return f"{FAKESMSC} is not installed (Debian package kannel-extras)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# Kills its own process group (itself and the boxes) once the process that started it is
# gone, or after the maximum lifetime.
WATCHDOG = """
import os, signal, sys, time
parent, deadline = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline and os.getppid() == parent:
    time.sleep(0.5)
os.killpg(0, signal.SIGKILL)
"""


@dataclass(frozen=True)
class PhoneMessage:
    """A message that reached the fake phone network."""

    sender: str
    receiver: str
    coding: str  # "text" or "ucs-2" (fakesmsc's words)
    text: str


GOT_MESSAGE = re.compile(r"Got message \d+: <(\S+) (\S+) (\S+) (.*)>\s*$")


def _phone_message(line: str) -> PhoneMessage | None:
    found = GOT_MESSAGE.search(line)
    if found is None:
        return None
    sender, receiver, kind, data = found.groups()
    if kind == "ucs-2":
        text = unquote_to_bytes(data.replace("+", "%20")).decode("utf-16-be", errors="replace")
    elif kind in ("data", "udh-data"):
        text = unquote_to_bytes(data.replace("+", "%20")).decode("utf-8", errors="replace")
    else:
        text = data
    return PhoneMessage(sender=sender, receiver=receiver, coding=kind, text=text)


@dataclass
class KannelGateway:
    directory: Path
    username: str = "agora"
    password: str = "mot-de-passe-de-test"
    admin_password: str = "admin-de-test"
    inbound_secret: str = "secret-entrant-de-test"
    admin_port: int = field(default_factory=free_port)
    smsbox_port: int = field(default_factory=free_port)
    smsc_port: int = field(default_factory=free_port)
    sendsms_port: int = field(default_factory=free_port)
    # Where Agora's callback server listens (CallbackServer binds it).
    callback_port: int = field(default_factory=free_port)
    _watchdog: subprocess.Popen[bytes] | None = None
    _fakesmsc: subprocess.Popen[bytes] | None = None
    _phone_logs: list[Path] = field(default_factory=list)
    last_status: str = ""
    _processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    # Addresses ------------------------------------------------------------------------------

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms"

    @property
    def callback_base_url(self) -> str:
        return f"http://127.0.0.1:{self.callback_port}"

    @property
    def config_file(self) -> Path:
        return self.directory / "kannel.conf"

    def configuration(self) -> str:
        inbound = (
            f"{self.callback_base_url}{INBOUND_PATH}?secret={quote(self.inbound_secret)}"
            "&from=%p&text=%b&coding=%c&charset=%C"
        )
        return LoopbackKannel(
            admin_port=self.admin_port,
            admin_password=self.admin_password,
            smsbox_port=self.smsbox_port,
            smsc_port=self.smsc_port,
            sendsms_port=self.sendsms_port,
            username=self.username,
            password=self.password,
            inbound_url=inbound,
            log_directory=self.directory,
        ).configuration()

    # Life -----------------------------------------------------------------------------------

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(self.configuration())
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", WATCHDOG, str(os.getpid()), str(MAX_LIFETIME)],
            process_group=0,  # a group of its own, in our session, that the boxes join
        )
        self._processes.append(self._watchdog)
        try:
            self._box("bearerbox")
            self._wait(self._admin_answers, "bearerbox's admin port")
            self._start_phone()
            self._box("smsbox")
            self._wait(self._ready, "smsbox and fakesmsc connected to bearerbox")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stops every process of the gateway: politely, then for good."""
        if self._watchdog is None:
            return
        group = self._watchdog.pid
        for sig, grace in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 5.0)):
            with suppress(ProcessLookupError):
                os.killpg(group, sig)
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and any(
                process.poll() is None for process in self._processes
            ):
                time.sleep(0.05)
            if all(process.poll() is not None for process in self._processes):
                break
        self._watchdog = None

    def _spawn(self, arguments: list[str], log_name: str) -> subprocess.Popen[bytes]:
        assert self._watchdog is not None
        with (self.directory / log_name).open("ab") as log:
            process = subprocess.Popen(
                arguments,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                process_group=self._watchdog.pid,
                cwd=self.directory,
            )
        self._processes.append(process)
        return process

    def _box(self, name: str) -> None:
        program = kannel_program(name)
        assert program is not None
        self._spawn([program, "-v", "1", str(self.config_file)], f"{name}.out")

    def _start_phone(self, *messages: str) -> None:
        log_name = f"fakesmsc-{len(self._phone_logs)}.out"
        self._phone_logs.append(self.directory / log_name)
        arguments = [str(FAKESMSC), "-H", "127.0.0.1", "-r", str(self.smsc_port)]
        # Without a message fakesmsc stops at once: a receiver gets one it never sends (-m 0).
        arguments += ["-i", "0.1", "-m", str(len(messages)), *(messages or ["0 0 text -"])]
        self._fakesmsc = self._spawn(arguments, log_name)

    def _wait(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if ready():
                return
            time.sleep(0.1)
        raise RuntimeError(f"Kannel test gateway: {what} not ready after {READY_TIMEOUT} s")

    def status(self) -> str:
        url = f"http://127.0.0.1:{self.admin_port}/status.txt?password={quote(self.admin_password)}"
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode(errors="replace"))

    def _admin_answers(self) -> bool:
        try:
            return "running" in self.status()
        except (urllib.error.URLError, OSError):
            return False

    def _ready(self) -> bool:
        try:
            status = self.status()
        except (urllib.error.URLError, OSError):
            return False
        self.last_status = status
        # "smsbox:... (on-line ...)" once smsbox is in; "fake[fake] ... (online ...)" once
        # fakesmsc is.
        smsc_online = re.search(r"fake\[fake\].*\(online", status) is not None
        return "smsbox:" in status and smsc_online and self._sendsms_listens()

    def _sendsms_listens(self) -> bool:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            return probe.connect_ex(("127.0.0.1", self.sendsms_port)) == 0

    # The phone network -----------------------------------------------------------------------

    def phone_messages(self) -> list[PhoneMessage]:
        """Every message the gateway sent to phones, oldest first."""
        found = []
        for log in self._phone_logs:
            if log.exists():
                for line in log.read_text(errors="replace").splitlines():
                    message = _phone_message(line)
                    if message is not None:
                        found.append(message)
        return found

    def wait_for_phone_message(
        self, matches: Callable[[PhoneMessage], bool], *, timeout: float = 15.0
    ) -> PhoneMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.phone_messages():
                if matches(message):
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no such message reached the phone within {timeout} s")

    def send_from_phone(self, sender: str, text: str, *, receiver: str = CITY_NUMBER) -> None:
        """A phone texts the city's number: a new fakesmsc sends it, and stays to receive."""
        if text.isascii():
            message = f"{sender} {receiver} text {text}"
        else:
            message = f"{sender} {receiver} ucs2 {quote(text.encode('utf-16-be'), safe='')}"
        previous = self._fakesmsc
        if previous is not None:
            previous.send_signal(signal.SIGINT)
            previous.wait(timeout=5)
        self._start_phone(message)


@dataclass(frozen=True)
class Call:
    """A request Kannel made to Agora, and our answer's status."""

    path: str
    query: str
    status: int


class _OneRequestHandler(QuietWSGIRequestHandler):
    """Closes the connection after each answer: a kept-alive connection would outlive the
    test's server, and bring the next test's callbacks to it."""

    protocol_version = "HTTP/1.0"


class _SharingServer(ThreadedWSGIServer):
    allow_reuse_address = True

    def _close_connections(self) -> None:
        """The test's connection stays open: its transaction ends with the test."""


class CallbackServer:
    """Agora on 127.0.0.1:`port` for Kannel's callbacks; records each call it answered."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.calls: list[Call] = []
        self._answered = threading.Condition()
        self._application = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        statuses: list[int] = []

        def recording_start(status: str, headers: Any, *args: Any) -> Any:
            statuses.append(int(status.split()[0]))
            return start_response(status, headers, *args)

        with self.lock:
            body = b"".join(self._application(environ, recording_start))
        with self._answered:
            self.calls.append(
                Call(environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), statuses[0])
            )
            self._answered.notify_all()
        return [body]

    def wait_for(self, matches: Callable[[Call], bool], *, timeout: float = 15.0) -> Call:
        deadline = time.monotonic() + timeout
        with self._answered:
            while True:
                for call in self.calls:
                    if matches(call):
                        return call
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"Kannel made no such call within {timeout} s")
                self._answered.wait(left)

    @contextmanager
    def serving(self, port: int) -> Iterator[CallbackServer]:
        connection = connections[DEFAULT_DB_ALIAS]
        connection.inc_thread_sharing()
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        server = _SharingServer(
            ("127.0.0.1", port),
            _OneRequestHandler,
            connections_override={DEFAULT_DB_ALIAS: connection},
        )
        server.set_app(self)
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="kannel-callbacks"
        )
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            connection.dec_thread_sharing()
