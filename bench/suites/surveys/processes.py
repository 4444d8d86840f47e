"""The processes the surveys suite runs beside the web server: its own Redis, and a watch on
the web processes' memory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Redis --------------------------------------------------------------------------------------


@contextmanager
def redis_server(directory: Path, port: int) -> Iterator[str | None]:
    """A Redis server on 127.0.0.1 for the run, as a city runs Agora in production (cache,
    sessions and limits in Redis, docs/DESIGN): its URL, or None when `redis-server` is not
    installed (then the server keeps them in files and the database, and the report says
    so). Always stopped on the way out."""
    import shutil
    import socket
    import subprocess
    import time

    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    directory.mkdir(parents=True, exist_ok=True)
    arguments = ["--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [binary, *arguments, "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(64).startswith(b"+PONG"):
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise OSError("redis-server did not start") from None
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


# Memory -----------------------------------------------------------------------------------


def _status_kb(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


class MemoryWatch:
    """Samples the resident memory of a server process and its children in a thread."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_total_kb = 0
        self.peaks_kb: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def processes(self) -> list[int]:
        return [self.pid, *_children(self.pid)]

    def sample(self) -> None:
        total = 0
        for pid in self.processes():
            total += _status_kb(pid, "VmRSS") or 0
            peak = _status_kb(pid, "VmHWM")
            if peak is not None:
                self.peaks_kb[pid] = max(self.peaks_kb.get(pid, 0), peak)
        self.peak_total_kb = max(self.peak_total_kb, total)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> MemoryWatch:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def as_json(self) -> dict[str, Any]:
        master = self.peaks_kb.get(self.pid, 0)
        workers = [kb for pid, kb in self.peaks_kb.items() if pid != self.pid]
        return {
            "master_peak_rss_mb": round(master / 1024, 1),
            "worker_peak_rss_mb": [round(kb / 1024, 1) for kb in sorted(workers)],
            "max_worker_peak_rss_mb": round(max(workers, default=0) / 1024, 1),
            "sum_of_peaks_mb": round((master + sum(workers)) / 1024, 1),
            "max_sampled_total_rss_mb": round(self.peak_total_kb / 1024, 1),
            "source": "/proc/<pid>/status VmHWM per process; VmRSS summed every 0.2 s",
        }
