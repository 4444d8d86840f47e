"""Strict readers for settings that come from the environment.

Every reader names the variable in its error, so a city's IT person who mistypes a value
learns at start-up which variable to fix instead of meeting a failure later.
"""

import os
import re
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


# The password of a URL (postgres://agora:secret@db/agora) never reaches the logs.
_URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def _invalid(name: str, value: str, expected: str) -> ImproperlyConfigured:
    shown = _URL_PASSWORD.sub(r"\1***@", value)
    return ImproperlyConfigured(f"Environment variable {name}={shown!r} is invalid: {expected}.")


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = _raw(name)
    if value is not None:
        return value
    if required or default is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required.")
    return default


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise _invalid(name, value, "expected true or false")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise _invalid(name, value, "expected a whole number") from None
    if number < minimum:
        raise _invalid(name, value, f"expected a number of at least {minimum}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _raw(name)
    if value is None:
        return default
    if value not in choices:
        raise _invalid(name, value, "expected one of " + ", ".join(choices))
    return value


def env_parsed[T](name: str, default: str, parse: Callable[[str], T], expected: str) -> T:
    """Read a variable with a parser of its own (a URL, say); a parse error names it."""
    value = _raw(name) or default
    try:
        return parse(value)
    except (ValueError, KeyError, ImproperlyConfigured) as error:
        raise _invalid(name, value, f"{expected} ({error})") from None
