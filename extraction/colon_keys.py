"""Where a label closed by its colon (or question mark) ends, and whether one of no known wording
is a label at all: a short phrase in capitals and small letters is; a medicine naming its
direction ("Furosemide: Take 2 tablets") or a name's title ("Dr: Kenneth Petrov") is not.
"""

from __future__ import annotations

import re

from extraction.label_ends import MAX_KEY_WORDS
from extraction.label_shapes import MAX_UNKNOWN_KEY_WORDS
from extraction.lexicon import ENGLISH, is_known
from extraction.types import Word
from extraction.validate import TITLES

# Marks a speck beside a label's colon is read as (":." ":,"): not part of what is printed.
SPECKS = ".,'`"
# A label of no known wording is an English word; a word of this many letters or more that is
# none, before a colon and a sentence, is a medicine naming its direction, however misread
# ("Ceticzine: Toke 1/2 pill twice daily"). Shorter ones may be abbreviations ("NPI:", "Dx:").
UNKNOWN_NAME_LETTERS = 5
# What follows such a word is a sentence when it runs on this many words.
SENTENCE_WORDS = 3
# The marks a word made of words is joined by ("Follow-up", "Patient's", "and/or").
COMPOUND_PARTS = re.compile(r"[-'’/]")


def colon_index(words: tuple[Word, ...]) -> int | None:
    """The index of the word that ends a label with ':' or '?', among a line's first words: a
    word or a number sign ("Policy #:")."""
    for index, word in enumerate(words[:MAX_KEY_WORDS]):
        text = word.text.rstrip(SPECKS)
        if text.endswith((":", "?", ";")) and any(ch.isalpha() or ch == "#" for ch in text):
            if re.search(r"\d:\d", text):  # a time, "10:30", is a value
                return None
            return index
    return None


def reads_as_unknown_label(words: tuple[Word, ...], colon_at: int) -> bool:
    """A colon key of no known wording is a label when it is short (a question may be long),
    has no digits, starts with a capital, and what follows is not the rest of a sentence
    ("Duloxetine: take 1 tablet" is a direction, not a label and its value)."""
    head = words[: colon_at + 1]
    # A question is a label however long ("Have you been hospitalised in the last year?"):
    # no value ends in a question mark.
    question = head[-1].text.rstrip(SPECKS).endswith("?")
    if (
        not head[-1].text.rstrip(SPECKS).endswith((":", "?"))
        or len(head) > (MAX_KEY_WORDS if question else MAX_UNKNOWN_KEY_WORDS)
        or any(ch.isdigit() for w in head for ch in w.text)
    ):
        return False
    if not head[0].text[:1].isupper():
        return False
    rest = words[colon_at + 1 :]
    if len(head) == 1 and head[0].text.rstrip(":;").lower() in TITLES - {"doctor"} and rest:
        return False  # "Dr: Kenneth Petrov": a name's title, its full stop read as a colon
    if len(head) == 1 and _names_a_medicine(head[0].text.rstrip(":?;"), rest):
        return False  # "Furosemide: Take 2 tablets": a medicine naming its direction
    return not (len(rest) >= 2 and rest[0].text[:1].islower())


def _names_a_medicine(word: str, rest: tuple[Word, ...]) -> bool:
    """True when ``word`` before a colon names a medicine whose direction follows: a medicine's
    name in no English list ("Furosemide"), one that is also an English word ("Aspirin") before
    a word of dosing directions, or a long word in no list at all before a sentence (a name
    misread). The drug list holds the words of names of several words too ("date", "name"):
    alone they do not make a label a medicine."""
    drug, english = is_known(word, ("drugs",)), _is_english(word)
    if drug and not english:
        return True
    if drug and rest and is_known(rest[0].text, ("directions",)):
        return True
    return (
        len(rest) >= SENTENCE_WORDS
        and sum(ch.isalpha() for ch in word) >= UNKNOWN_NAME_LETTERS
        and not english
    )


def _is_english(word: str) -> bool:
    """True for an English word, or one made of English words ("Follow-up", "Patient's")."""
    parts = [part for part in COMPOUND_PARTS.split(word) if part]
    return is_known(word, (ENGLISH,)) or (bool(parts) and all(is_known(part, (ENGLISH,)) for part in parts))
