"""Repairs as data: rules that set right a mark OCR reads into or out of a value, one TOML file
per kind of value in this folder. Each rule states why it exists and carries examples (as read,
as taken) that the tests check; a value a rule changes is flagged with what was read."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Repair:
    """One rule: ``pattern`` over the whole value as read, replaced by ``replace``."""

    why: str
    pattern: re.Pattern[str]
    replace: str
    examples: tuple[tuple[str, str], ...]

    def apply(self, text: str) -> str:
        return self.pattern.sub(self.replace, text)


@cache
def repairs(kind: str) -> tuple[Repair, ...]:
    """The rules for values of ``kind`` ("date"), in the order they apply; none if it has no file."""
    path = FOLDER / f"{kind}s.toml"
    if not path.exists():
        return ()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Repair(
            rule["why"],
            re.compile(rule["pattern"]),
            rule["replace"],
            tuple((read, taken) for read, taken in rule["examples"]),
        )
        for rule in data["rule"]
    )


def apply_repairs(kind: str, text: str) -> str:
    """``text`` after every rule for ``kind``, in order."""
    for rule in repairs(kind):
        text = rule.apply(text)
    return text
