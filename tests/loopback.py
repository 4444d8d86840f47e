"""Real servers for the tests, on the loopback interface only: a free port, an SMTP server
whose messages the tests read, and a Redis server like the one production's cache and
sessions use."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import redis
from aiosmtpd.controller import Controller

TIMEOUT = "/usr/bin/timeout"
# Redis stops by itself after this long even if pytest dies without its finalizers.
REDIS_LIFETIME_SECONDS = 15 * 60
REDIS_START_TIMEOUT_SECONDS = 15


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Inbox:
    """Every message the SMTP server accepted, in order."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, *, after: int = 0, timeout: float = 20) -> EmailMessage:
        """The first message to `to` among those that arrived after the first `after`."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for message in self.messages[after:]:
                    if to in str(message["To"]):
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no e-mail to {to} within {timeout} s")
                self._arrived.wait(remaining)


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def _answers_ping(port: int) -> bool:
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.exceptions.ConnectionError:
        return False
    finally:
        client.close()


@contextmanager
def redis_server() -> Iterator[str]:
    """Debian's redis-server on a free port of 127.0.0.1, keeping nothing on disk, in a
    directory of its own; yields its URL (database 0) once it answers PING. It is stopped on
    leaving, and stops by itself after REDIS_LIFETIME_SECONDS if pytest dies first."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "redis-server is not installed: run `make test`, which installs it, "
            "or `apt-get install redis-server`.",
            pytrace=False,
        )
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="agora-redis-") as directory:
        log_path = Path(directory) / "redis.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    TIMEOUT,
                    "--kill-after=5",
                    str(REDIS_LIFETIME_SECONDS),
                    binary,
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--dir",
                    directory,
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                    "--logfile",
                    "",
                ],
                cwd=directory,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            deadline = time.monotonic() + REDIS_START_TIMEOUT_SECONDS
            while not _answers_ping(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"redis-server did not answer PING on 127.0.0.1:{port}:\n"
                        + log_path.read_text(errors="replace")[-5000:]
                    )
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            if process.poll() is None:
                process.terminate()  # `timeout` passes SIGTERM on
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
