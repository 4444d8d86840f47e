"""Typed records read from TOML data files, such as the demo city's contents.

A file is described by a frozen dataclass, field by field. `load(path, Schema)` reads it with
the standard library's `tomllib` and builds the record by following the type hints, so that
the code using it gets typed values, or, when the file is wrong, an error that names the file
and the key:

    agora/pages/demo_data/pages.toml: news[2].title.en: the English text is missing

Types understood: `str`, `int`, `float`, `bool`, `Decimal` (written as a string, so that it
keeps every digit as written), `datetime.date`, an `Enum` (written as its value), a nested
dataclass or TypedDict, `tuple[T, ...]`, `dict[str, T]`, `T | None` (None when the key is
absent) and `Any` (the TOML value as is). A key that the schema does not know is an error too:
it is usually a typo.

Residents read French and English, so every text they see is a `Text`: `title.fr = "…"` and
`title.en = "…"` in the file (or `title = { fr = "…", en = "…" }`). In any table with `fr` and
`en` keys, neither may be missing, nor empty when the other is not.

A record checks what its types cannot say (a reference to another record, say) in its
`__post_init__`, raising `RecordError` with the key at fault; the error then names the file and
that key.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import tomllib
import types
import typing
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

LANGUAGE_NAMES = {"fr": "French", "en": "English"}


@dataclass(frozen=True)
class Text:
    """A text in French and in English."""

    fr: str
    en: str

    def in_language(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


def texts_in(record: object, language: str) -> dict[str, str]:
    """The `Text` fields of a dataclass record, by name, in `language` (those that are None
    are left out): the fields of a page or a project in one language, say."""
    assert dataclasses.is_dataclass(record), "texts_in reads a dataclass record"
    texts = {field.name: getattr(record, field.name) for field in dataclasses.fields(record)}
    return {
        name: text.in_language(language) for name, text in texts.items() if isinstance(text, Text)
    }


class DataFileError(ValueError):
    """A data file that cannot be read, or whose contents do not fit its schema."""

    def __init__(self, path: Path, key: str, problem: str) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        super().__init__(f"{path}: {key}: {problem}" if key else f"{path}: {problem}")


class RecordError(ValueError):
    """A value that does not fit: `key` is where, relative to the record being built when a
    record's `__post_init__` raises it."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        self.problem = problem
        super().__init__(f"{key}: {problem}")


def load[T](path: Path, schema: type[T]) -> T:
    """The record that the TOML file at `path` describes, checked against `schema` (a
    dataclass); a `DataFileError` names the file and the key when something is wrong."""
    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except OSError as error:
        raise DataFileError(path, "", f"cannot be read ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(path, "", f"is not valid TOML ({error})") from error
    try:
        record: T = _Reader()(document, schema, "")
    except RecordError as wrong:
        raise DataFileError(path, wrong.key, wrong.problem) from None
    return record


def _join(key: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{key}[{name}]"
    return f"{key}.{name}" if key else name


def _missing(key: str, name: str) -> RecordError:
    path = _join(key, name)
    parts = reversed(path.split("."))
    language = next((LANGUAGE_NAMES[part] for part in parts if part in LANGUAGE_NAMES), None)
    if language is not None:
        return RecordError(path, f"the {language} text is missing")
    return RecordError(path, "this key is missing")


def _kind_of(value: object) -> str:
    names = {
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a decimal number",
        dict: "a table",
        list: "an array",
        datetime.date: "a date",
        datetime.datetime: "a date and time",
        datetime.time: "a time",
    }
    return names.get(type(value), type(value).__name__)


class _Reader:
    """Converts a TOML value to a type hint's type, or raises `RecordError` with its key."""

    def __call__(self, value: Any, hint: Any, key: str) -> Any:
        if hint is Any:
            return value
        origin = typing.get_origin(hint)
        if origin in (types.UnionType, typing.Union):
            options = [option for option in typing.get_args(hint) if option is not type(None)]
            if len(options) != 1:
                raise TypeError(f"{key}: only `T | None` unions are supported, not {hint}")
            return self(value, options[0], key)
        if origin is tuple:
            return self._tuple(value, typing.get_args(hint), key)
        if origin is dict:
            _key_type, value_type = typing.get_args(hint)
            table = self._table(value, key)
            return {name: self(item, value_type, _join(key, name)) for name, item in table.items()}
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            return self._dataclass(value, hint, key)
        if typing.is_typeddict(hint):
            return self._typed_dict(value, hint, key)
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return self._enum(value, hint, key)
        return self._scalar(value, hint, key)

    def _scalar(self, value: Any, hint: Any, key: str) -> Any:
        if hint is bool or hint is str:
            if isinstance(value, hint):
                return value
        elif hint is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif hint is float:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
        elif hint is Decimal:
            return self._decimal(value, key)
        elif hint is datetime.date:
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                return value
        else:
            raise TypeError(f"{key}: data files do not support the type {hint}")
        expected = {
            bool: "a boolean",
            str: "a string",
            int: "an integer",
            float: "a number",
            datetime.date: "a date (2026-11-12)",
        }
        raise RecordError(key, f"expected {expected[hint]}, found {_kind_of(value)}")

    def _decimal(self, value: Any, key: str) -> Decimal:
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        if isinstance(value, str):
            try:
                return Decimal(value)
            except InvalidOperation:
                pass
        found = _kind_of(value)
        raise RecordError(
            key, f'expected a decimal number written as a string ("45.3912"), found {found}'
        )

    def _enum(self, value: Any, hint: type[enum.Enum], key: str) -> enum.Enum:
        values = [member.value for member in hint]
        if value in values:
            return hint(value)
        allowed = ", ".join(repr(choice) for choice in values)
        raise RecordError(key, f"{value!r} is not one of {allowed}")

    def _tuple(self, value: Any, arguments: tuple[Any, ...], key: str) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise RecordError(key, f"expected an array, found {_kind_of(value)}")
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return tuple(self(item, arguments[0], _join(key, n)) for n, item in enumerate(value))
        if len(value) != len(arguments):
            raise RecordError(
                key, f"expected an array of {len(arguments)} items, found {len(value)}"
            )
        pairs = enumerate(zip(value, arguments, strict=True))
        return tuple(self(item, hint, _join(key, n)) for n, (item, hint) in pairs)

    def _table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise RecordError(key, f"expected a table, found {_kind_of(value)}")
        return value

    def _fields(self, table: dict[str, Any], hints: dict[str, Any], key: str) -> dict[str, Any]:
        """The table's values converted to their hints, after refusing unknown keys."""
        for name in table:
            if name not in hints:
                known = ", ".join(hints)
                raise RecordError(_join(key, name), f"unknown key (the keys here are: {known})")
        values = {name: self(table[name], hints[name], _join(key, name)) for name in table}
        texts = [values.get(code) for code in LANGUAGE_NAMES]
        if all(isinstance(text, str) for text in texts) and any(texts) and not all(texts):
            empty = next(code for code, text in zip(LANGUAGE_NAMES, texts, strict=True) if not text)
            raise RecordError(_join(key, empty), f"the {LANGUAGE_NAMES[empty]} text is empty")
        return values

    def _dataclass(self, value: Any, schema: type[Any], key: str) -> Any:
        table = self._table(value, key)
        hints = typing.get_type_hints(schema)
        fields = [field for field in dataclasses.fields(schema) if field.init]
        values = self._fields(table, {field.name: hints[field.name] for field in fields}, key)
        for field in fields:
            if field.name in values or _has_default(field):
                continue
            if not _optional(hints[field.name]):
                raise _missing(key, field.name)
            values[field.name] = None
        try:
            return schema(**values)
        except RecordError as error:
            raise RecordError(_join(key, error.key) if error.key else key, error.problem) from None

    def _typed_dict(self, value: Any, schema: Any, key: str) -> dict[str, Any]:
        table = self._table(value, key)
        for name in sorted(schema.__required_keys__):
            if name not in table:
                raise _missing(key, name)
        return self._fields(table, typing.get_type_hints(schema), key)


def _has_default(field: dataclasses.Field[Any]) -> bool:
    return (
        field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
    )


def _optional(hint: Any) -> bool:
    union = typing.get_origin(hint) in (types.UnionType, typing.Union)
    return union and type(None) in typing.get_args(hint)
