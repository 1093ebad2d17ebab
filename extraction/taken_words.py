"""Which keys and printed words a field's candidate takes, and when another candidate clashes.

Each printed word is one field's value, each key one field's label: a candidate whose key or
words another field took is passed over (``extraction.assign``).
"""

from __future__ import annotations

from extraction.page_view import Candidate
from extraction.types import Box


def word_ids(candidate: Candidate) -> set[tuple[int, Box]]:
    """The words a candidate takes for itself. A ticked option's words are printed once for
    every row of an answer grid (its column's "Yes"), so they stay free for the other rows."""
    if candidate.how == "option":
        return set()
    return {(candidate.page, w.box) for w in candidate.words}


def clashes(
    candidate: Candidate,
    used_keys: set[int],
    used_words: set[tuple[int, Box]],
    owners: dict[tuple[int, Box], str] | None = None,
) -> bool:
    """True when the candidate's key or words are taken. A field and one of its parts may
    share words (``owners`` says which field took each): a name written beside "Name" over a
    "(Last)" caption is the name's value and its family part's both."""
    if any(id(k) in used_keys for k in candidate.keys):
        return True
    owners = owners or {}
    return any(
        ident in used_words and not whole_and_part(candidate.field, owners.get(ident, ""))
        for ident in word_ids(candidate)
    )


def whole_and_part(field: str, other: str) -> bool:
    """True when one of the two names is a field and the other one of its parts."""
    return bool(other) and (other.startswith(field + ".") or field.startswith(other + "."))
