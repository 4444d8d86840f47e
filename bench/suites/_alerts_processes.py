"""The processes of the alerts suite (bench/suites/alerts.py), all on 127.0.0.1 and all in
one process group led by a small watchdog, which kills the group when the benchmark is gone
or after its lifetime: Redis, the receivers (bench/alerts_receivers.py), a real Kannel
(bearerbox, smsbox and the fake SMSC client fakesmsc, as agora/alerts/tests/kannel_gateway.py
starts them) and the task workers. Also what reads the receivers' logs."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote_plus

from harness import ROOT, MeasurementError, free_port, tail

from agora.alerts.kannel_conf import LoopbackKannel

FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
BENCH = ROOT / "bench"

WATCHDOG = """
import os, signal, sys, time
parent, deadline = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline and os.getppid() == parent:
    time.sleep(0.5)
os.killpg(0, signal.SIGKILL)
"""


def kannel_program(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidate = Path("/usr/sbin") / name
    return str(candidate) if os.access(candidate, os.X_OK) else None


def missing_programs() -> str | None:
    """Why the suite cannot run here, or None."""
    for name in ("bearerbox", "smsbox"):
        if kannel_program(name) is None:
            return f"{name} is missing (Debian package kannel: scripts/ensure-system-packages)"
    if not os.access(FAKESMSC, os.X_OK):
        return f"{FAKESMSC} is missing (Debian package kannel-extras)"
    if shutil.which("redis-server") is None:
        return "redis-server is missing (Debian package redis-server)"
    return None


def wait_for_port(port: int, what: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise MeasurementError(f"{what} exited ({process.returncode}):\n{tail(log)}")
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise MeasurementError(f"{what} did not listen on 127.0.0.1:{port} within 30 s:\n{tail(log)}")


@dataclass
class Group:
    """Processes in one group led by a watchdog; `stop()` kills them all."""

    directory: Path
    lifetime: float
    watchdog: subprocess.Popen[bytes] | None = None
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)  # no log of an earlier run
        self.directory.mkdir(parents=True)
        self.watchdog = subprocess.Popen(
            [sys.executable, "-c", WATCHDOG, str(os.getpid()), str(self.lifetime)],
            process_group=0,
        )

    def spawn(
        self,
        arguments: list[str],
        log_name: str,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> subprocess.Popen[bytes]:
        assert self.watchdog is not None
        with (self.directory / log_name).open("ab") as log:
            process = subprocess.Popen(
                arguments,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                process_group=self.watchdog.pid,
                cwd=cwd or self.directory,
                env=env,
            )
        self.processes.append(process)
        return process

    def stop(self) -> None:
        if self.watchdog is None:
            return
        for sig, grace in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 5.0)):
            with suppress(ProcessLookupError):
                os.killpg(self.watchdog.pid, sig)
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and any(p.poll() is None for p in self.processes):
                time.sleep(0.05)
            if all(p.poll() is not None for p in self.processes):
                break
        with suppress(subprocess.TimeoutExpired):
            self.watchdog.wait(timeout=5)
        self.watchdog = None


# Redis ----------------------------------------------------------------------------------------


def start_redis(group: Group) -> str:
    binary = shutil.which("redis-server")
    assert binary is not None
    port = free_port()
    redis_dir = group.directory / "redis"
    redis_dir.mkdir(exist_ok=True)
    arguments = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
    arguments += ["--appendonly", "no", "--dir", str(redis_dir)]
    process = group.spawn(arguments, "redis.log")
    wait_for_port(port, "redis-server", process, group.directory / "redis.log")
    return f"redis://127.0.0.1:{port}/0"


# The receivers -------------------------------------------------------------------------------


@dataclass
class Receivers:
    smtp_port: int
    reports_port: int
    directory: Path


def start_receivers(group: Group) -> Receivers:
    receivers = Receivers(free_port(), free_port(), group.directory / "received")
    arguments = [sys.executable, str(BENCH / "alerts_receivers.py")]
    arguments += ["--smtp-port", str(receivers.smtp_port)]
    arguments += ["--reports-port", str(receivers.reports_port)]
    arguments += ["--directory", str(receivers.directory), "--lifetime", str(group.lifetime)]
    process = group.spawn(arguments, "receivers.log", cwd=ROOT)
    log = group.directory / "receivers.log"
    wait_for_port(receivers.smtp_port, "the SMTP receiver", process, log)
    wait_for_port(receivers.reports_port, "the delivery-report receiver", process, log)
    return receivers


# Kannel --------------------------------------------------------------------------------------


@dataclass
class Kannel:
    directory: Path
    reports_url: str  # where the inbound sms-service would call (never used here)
    username: str = "agora"
    password: str = "mot-de-passe-du-banc"  # noqa: S105  (a throwaway Kannel on loopback)
    admin_password: str = "admin-du-banc"  # noqa: S105
    admin_port: int = field(default_factory=free_port)
    smsbox_port: int = field(default_factory=free_port)
    smsc_port: int = field(default_factory=free_port)
    sendsms_port: int = field(default_factory=free_port)

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms"

    phone_log: Path = Path("fakesmsc.out")  # fakesmsc's output, in the group's directory

    def configuration(self) -> str:
        return LoopbackKannel(
            admin_port=self.admin_port,
            admin_password=self.admin_password,
            smsbox_port=self.smsbox_port,
            smsc_port=self.smsc_port,
            sendsms_port=self.sendsms_port,
            username=self.username,
            password=self.password,
            inbound_url=f"{self.reports_url}?inbound=1&from=%p&text=%b",
            log_directory=self.directory,
            sendsms_max_messages=2,
            inbound_max_messages=0,
            access_log=False,
        ).configuration()

    def status(self) -> str:
        url = f"http://127.0.0.1:{self.admin_port}/status.txt?password={quote(self.admin_password)}"
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode(errors="replace"))

    def _status_or_empty(self) -> str:
        try:
            return self.status()
        except (urllib.error.URLError, OSError):
            return ""

    def start(self, group: Group) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        config = self.directory / "kannel.conf"
        config.write_text(self.configuration())
        bearerbox, smsbox = kannel_program("bearerbox"), kannel_program("smsbox")
        assert bearerbox is not None
        assert smsbox is not None
        group.spawn([bearerbox, "-v", "1", str(config)], "bearerbox.out", cwd=self.directory)
        self._wait(lambda status: "running" in status, "bearerbox's admin port")
        # Without a message fakesmsc stops at once: a receiver gets one it never sends (-m 0).
        phone = [str(FAKESMSC), "-H", "127.0.0.1", "-r", str(self.smsc_port)]
        phone += ["-i", "0.1", "-m", "0", "0 0 text -"]
        self.phone_log = group.directory / "fakesmsc.out"
        group.spawn(phone, self.phone_log.name, cwd=self.directory)
        group.spawn([smsbox, "-v", "1", str(config)], "smsbox.out", cwd=self.directory)
        self._wait(
            lambda status: (
                "smsbox:" in status
                and re.search(r"fake\[fake\].*\(online", status) is not None
                and self._sendsms_listens()
            ),
            "smsbox and fakesmsc connected to bearerbox",
        )

    def _sendsms_listens(self) -> bool:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            return probe.connect_ex(("127.0.0.1", self.sendsms_port)) == 0

    def _wait(self, ready: object, what: str) -> None:
        assert callable(ready)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if ready(self._status_or_empty()):
                return
            time.sleep(0.1)
        raise MeasurementError(
            f"Kannel: {what} not ready after 20 s:\n{tail(self.directory / 'bearerbox.log')}"
        )


# Reading what arrived ---------------------------------------------------------------------------

PHONE_LINE = re.compile(r"Got message \d+: <(\S+) (\S+) (\S+) (.*)>\s*$")
BENCH_TAG = re.compile(r"BENCH-(\d+)")


def digits(number: str) -> str:
    return "".join(character for character in number if character.isdigit())


class LogReader:
    """Reads the lines a log gained since the last call."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.partial = b""

    def new_lines(self) -> list[str]:
        try:
            with self.path.open("rb") as file:
                file.seek(self.offset)
                data = file.read()
        except OSError:
            return []
        self.offset += len(data)
        data = self.partial + data
        lines = data.split(b"\n")
        self.partial = lines.pop()
        return [line.decode(errors="replace") for line in lines]


@dataclass
class Arrivals:
    """The messages received per alert tag and recipient, on each channel."""

    email: dict[str, Counter[str]] = field(default_factory=dict)
    sms: dict[str, Counter[str]] = field(default_factory=dict)
    reports: Counter[str] = field(default_factory=Counter)
    untagged: int = 0

    def count(self, channel: str, tag: str) -> Counter[str]:
        found = (self.email if channel == "email" else self.sms).get(tag)
        return found if found is not None else Counter()


class ArrivalsReader:
    def __init__(self, smtp_log: Path, phone_log: Path, reports_log: Path) -> None:
        self.smtp = LogReader(smtp_log)
        self.phone = LogReader(phone_log)
        self.report_lines = LogReader(reports_log)
        self.arrivals = Arrivals()

    def read(self) -> Arrivals:
        for line in self.smtp.new_lines():
            parts = line.split("\t")
            if len(parts) != 3:
                continue
            _time, tag, recipient = parts
            if tag == "-":
                self.arrivals.untagged += 1
                continue
            self.arrivals.email.setdefault(tag, Counter())[recipient.lower()] += 1
        for line in self.phone.new_lines():
            found = PHONE_LINE.search(line)
            if found is None:
                continue
            _sender, receiver, _kind, data = found.groups()
            tagged = BENCH_TAG.search(unquote_plus(data))
            if tagged is None:
                self.arrivals.untagged += 1
                continue
            self.arrivals.sms.setdefault(tagged.group(0), Counter())[digits(receiver)] += 1
        for line in self.report_lines.new_lines():
            parts = line.split("\t")
            if len(parts) == 2:
                self.arrivals.reports[parts[1]] += 1
        return self.arrivals


# Memory ---------------------------------------------------------------------------------------


def status_kb(pid: int, name: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{name}:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def cpu_pressure() -> dict[str, float] | None:
    """/proc/pressure/cpu's `some` line: the share of time some task waited for a CPU."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    values = dict(part.split("=", 1) for part in line.split()[1:])
    return {name: float(values[name]) for name in ("avg10", "avg60", "avg300") if name in values}


def process_cpu_seconds(pid: int) -> float | None:
    """User and system CPU seconds of a process (and its waited-for children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    # After the command: state is fields[0]; utime and stime are fields 11 and 12.
    return (int(fields[11]) + int(fields[12])) / ticks
