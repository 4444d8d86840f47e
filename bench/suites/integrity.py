"""The integrity part of Agora's benchmark: what a stuffing script gets through under
production settings (bench/stuffing.py). Results go to bench/results/integrity.json
(`--integrity-output`).

Three scenarios, each on a server of its own with an empty cache (the counters of one do not
help or hinder the next), each supporting one idea of the riverside park for
`--integrity-seconds` and then answering its survey as long:

- `one-address`: from 127.0.0.1, the default settings;
- `forged`: the same, with a different forged `X-Forwarded-For` on each request, against the
  default `TRUSTED_PROXIES=0` (a server reachable without the proxy);
- `one-64`: 256 addresses of one IPv6 /64, as the city's proxy reports them
  (`TRUSTED_PROXIES=1`, the script's `X-Forwarded-For` standing for the proxy's).

The JSON keeps the `before` block it holds (figures of an earlier version of Agora, measured
with the same script) and writes the `after` block of this run.
"""

from __future__ import annotations

import argparse
import json
import shutil
from typing import Any

from harness import MeasurementError, ServerConfig, prepare_city, production_env, running_server
from stuffing import stuff

from suites import Run, Suite

SCENARIOS: list[tuple[str, dict[str, str]]] = [
    ("one-address", {}),
    ("forged", {}),
    ("one-64", {"TRUSTED_PROXIES": "1"}),
]


class IntegritySuite(Suite):
    name = "integrity"
    order = 90
    measurements = ("stuffing",)
    shared_city = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--integrity-seconds",
            type=int,
            default=30,
            help="seconds of supports, then of responses, per scenario (default 30)",
        )

    def check_arguments(self, parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
        if args.integrity_seconds < 5:
            parser.error("--integrity-seconds must be at least 5")

    def new_report(self, base: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
        before: Any = None
        path = self.output(args)
        if path.exists():
            before = json.loads(path.read_text()).get("before")
        return {**base, "ok": False, "seconds_per_kind": args.integrity_seconds, "before": before}

    def measure_apart(self, run: Run, report: dict[str, Any]) -> bool:
        if "stuffing" not in run.selected:
            return False
        prepare_city(run.var_dir, run.port, run.extra_env)
        database = run.var_dir / "agora.sqlite3"
        url = f"http://127.0.0.1:{run.port}"
        after: dict[str, Any] = {}
        for index, (scenario, settings) in enumerate(SCENARIOS):
            shutil.rmtree(run.var_dir / "cache", ignore_errors=True)
            env = {**production_env(run.var_dir, run.port, run.extra_env), **settings}
            print(
                f"Stuffing, {scenario}: {run.args.integrity_seconds} s of supports, then responses"
            )
            log = run.var_dir / f"server-integrity-{scenario}.log"
            with running_server(run.config, run.port, env, log):
                try:
                    after[scenario] = {
                        "server_settings": settings,
                        **stuff(url, str(database), run.args.integrity_seconds, scenario, index),
                    }
                except OSError as error:
                    raise MeasurementError(f"the stuffing script failed: {error}") from error
        report["after"] = after
        report["ok"] = True
        return True

    def print_summary(self, report: dict[str, Any], config: ServerConfig) -> None:
        print()
        print(
            f"Agora integrity benchmark - what a stuffing script gets through; {config.describe()};"
            f" {report['seconds_per_kind']} s per kind and scenario"
        )
        header = f"{'':14} {'scenario':12} {'kind':10} {'attempts':>9} {'accepted':>9} "
        header += f"{'counted':>8} {'held':>6} {'counted/hour':>13}"
        print(header)
        for label in ("before", "after"):
            block = report.get(label) or {}
            for scenario, outcome in block.items():
                if not isinstance(outcome, dict) or "supports" not in outcome:
                    continue
                for kind in ("supports", "responses"):
                    row = outcome[kind]
                    print(
                        f"{label:14} {scenario:12} {kind:10} {row['attempts']:>9} "
                        f"{row['accepted']:>9} {row['counted']:>8} "
                        f"{row['held_for_moderators']:>6} {row['counted_per_hour']:>13}"
                    )


SUITE = IntegritySuite()
