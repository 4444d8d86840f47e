"""The benchmark's suites: each part of Agora measures its own pages in a module (or a package)
of this folder, which bench/run.py finds by itself. Adding a suite edits no other file.

A suite module defines `SUITE`, an instance of a `Suite` subclass. A run then goes:

1. `add_arguments`: its options on bench/run.py's command line (`--suite NAME` and
   `--only` for its `measurements` come for free, and `--NAME-output` for its JSON);
2. `new_report`: its JSON, from the header every report shares;
3. for the suites measured on the shared demo city (`shared_city`, SQLite): the city is
   built once, each suite's `prepare` adds its own data to it, the city is served once with
   production settings, and each suite's `measure` runs against that server;
4. `measure_apart`: what needs a server of its own (another configuration, another
   database); it returns False to be skipped, its JSON then left as it was;
5. `print_summary`, then its JSON is written.

Suites run in the order of their `order`. Modules whose names start with `_` are helpers.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import RESULTS_DIR, ServerConfig


@dataclass
class Run:
    """What the suites of one run share."""

    args: argparse.Namespace
    port: int
    var_dir: Path  # the demo city (and each suite's own data, beneath it)
    extra_env: dict[str, str]  # --env, for every server of the run
    config: ServerConfig
    selected: set[str]  # the measurements asked for (--only), "transfer" for page weights

    def asked_by_name(self, suite: str) -> bool:
        return bool(self.args.suite) and suite in self.args.suite


class Suite:
    name: str = ""
    order: int = 100
    # What --only may name in this suite; "transfer" (page weights) is common to all.
    measurements: tuple[str, ...] = ()
    # Measured on the demo city in SQLite, served once for every such suite.
    shared_city: bool = True
    output_option: str = ""  # default: --NAME-output

    @property
    def default_output(self) -> Path:
        return RESULTS_DIR / f"{self.name}.json"

    @property
    def output_flag(self) -> str:
        return self.output_option or f"--{self.name}-output"

    def output(self, args: argparse.Namespace) -> Path:
        path: Path = getattr(args, self.output_flag.removeprefix("--").replace("-", "_"))
        return path

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """The suite's own options, validated in `check_arguments`."""

    def check_arguments(self, parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
        """Calls `parser.error` on a value the suite cannot use."""

    def new_report(self, base: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
        raise NotImplementedError

    def prepare(self, run: Run) -> dict[str, float]:
        """Adds the suite's data to the shared demo city, once: the seconds each step took."""
        return {}

    def sweep_page(self, selected: set[str]) -> tuple[str, str] | None:
        """The page `--sweep` may compare the server layouts on: (name, path)."""
        return None

    def measure(self, run: Run, report: dict[str, Any]) -> None:
        """Measures against the shared server (a `shared_city` suite)."""

    def measure_apart(self, run: Run, report: dict[str, Any]) -> bool:
        """Measures with servers of its own; False when the suite is skipped."""
        return True

    def print_summary(self, report: dict[str, Any], config: ServerConfig) -> None:
        raise NotImplementedError


def discover() -> list[Suite]:
    """Every suite of this folder, in their order."""
    found: list[Suite] = []
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        suite = getattr(module, "SUITE", None)
        if not isinstance(suite, Suite):
            raise TypeError(f"bench/suites/{module_info.name} defines no SUITE")
        found.append(suite)
    names = [suite.name for suite in found]
    if len(set(names)) != len(names) or not all(names):
        raise TypeError(f"the suites need distinct names: {names}")
    return sorted(found, key=lambda suite: (suite.order, suite.name))
