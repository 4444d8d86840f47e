"""The receivers of the alerts benchmark (bench/suites/alerts.py), in a process of their own:
an SMTP server (aiosmtpd, as tests/loopback.py) and the address Kannel calls back with its
delivery reports, both on 127.0.0.1.

    python bench/alerts_receivers.py --smtp-port P --reports-port Q --directory DIR

Each message the SMTP server accepts writes a line to DIR/smtp.log: the time, the `BENCH-<id>`
tag of its subject (`-` if none) and each recipient of its envelope, tab-separated. It
answers 250 at once: it reads nothing but the first kilobytes of the message. Each delivery
report writes the time and its `type` (Kannel's `%d`) to DIR/reports.log and is answered
200. Stops on SIGTERM, or after --lifetime seconds in any case.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller

TAG = re.compile(rb"^Subject:.*?(BENCH-\d+)", re.MULTILINE | re.IGNORECASE)
HEADERS_READ = 8192


class Inbox:
    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        content: bytes = envelope.content or b""
        found = TAG.search(content[:HEADERS_READ])
        tag = found.group(1).decode() if found else "-"
        now = f"{time.time():.3f}"
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.out.write(f"{now}\t{tag}\t{recipient}\n")
            self.out.flush()
        return "250 Message accepted for delivery"


class ReportHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    out: IO[str]
    lock = threading.Lock()

    def do_GET(self) -> None:
        kind = parse_qs(urlsplit(self.path).query).get("type", ["?"])[0]
        with self.lock:
            self.out.write(f"{time.time():.3f}\t{kind}\n")
            self.out.flush()
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: one line per report is in reports.log."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--reports-port", type=int, required=True)
    parser.add_argument("--directory", type=Path, required=True)
    parser.add_argument("--lifetime", type=float, default=3 * 3600)
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    args.directory.mkdir(parents=True, exist_ok=True)
    with (
        (args.directory / "smtp.log").open("w") as smtp_log,
        (args.directory / "reports.log").open("w") as reports_log,
    ):
        controller = Controller(
            Inbox(smtp_log), hostname="127.0.0.1", port=args.smtp_port, ready_timeout=30
        )
        controller.start()
        ReportHandler.out = reports_log
        server = ThreadingHTTPServer(("127.0.0.1", args.reports_port), ReportHandler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2})
        thread.start()
        print("ready", flush=True)
        try:
            stop.wait(args.lifetime)
        finally:
            server.shutdown()
            server.server_close()
            controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
