"""Street suffixes and state codes OCR misread with a confusable glyph ("PI" for "Pl", "Bivd" for
"Blvd", "Fl" for "FL").

A street line of an address ends its street name with a suffix from a short, fixed list (the
USPS standard abbreviations, ``lexicons/street_suffixes.txt``). Those abbreviations are mostly
"l"s and capitals that OCR confuses with "I", "i" and "1", and too short for the general word
correction of ``extraction.lexicon``. A word is taken as a suffix only where a suffix stands —
after a house number and a street name, right before a comma or the end of its line — when it
is no suffix as read and becomes exactly one by swapping confusable glyphs. Every correction
is returned so that the field is flagged with what was read.

A state's two-letter code (``lexicons/state_codes.txt``) is printed in capitals. Where a code
stands — after a comma, at the end of its line or before a ZIP code — a word that is no code as
read and becomes exactly one in capitals, with confusable glyphs swapped ("Fl", "F1", "Tx"), is
taken as that code; a reading two codes fold to ("Ia": IA or LA) is left as read.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from extraction.lexicon import ENGLISH, Correction, lexicon, one_letter_changes

SUFFIX_FILE = Path(__file__).resolve().parent / "lexicons" / "street_suffixes.txt"
LEXICON_NAME = "street suffixes"
SUFFIX_NAME_FILE = Path(__file__).resolve().parent / "lexicons" / "street_suffix_names.txt"
STATE_FILE = Path(__file__).resolve().parent / "lexicons" / "state_codes.txt"
STATE_LEXICON_NAME = "state codes"
STATE_NAME_FILE = Path(__file__).resolve().parent / "lexicons" / "state_names.txt"
# Glyphs OCR reads for one another in print; each group folds to its first member.
CONFUSABLE = ("l1iI|!", "o0", "s5", "b6")
# A house number, a street name, then the suffix at a comma or the end of the line.
_STREET_END = re.compile(
    r"(?P<before>\b\d+[A-Za-z]?\s+(?:[A-Za-z0-9.'-]+\s+)*(?P<name>[A-Za-z.'-]+)\s+)"
    r"(?P<word>[A-Za-z0-9|!]{2,4})(?=\s*(?:,|$))"
)
# The last word of a street line, where its suffix stands, spelled out or not.
_STREET_LAST_WORD = re.compile(
    r"\b\d+[A-Za-z]?\s+(?:[A-Za-z0-9.'-]+\s+)*?[A-Za-z.'-]+\s+(?P<word>[A-Za-z]+)(?=\s*(?:,|$))"
)
# A suffix written out is looked at from this many letters ("Road", "Lane"): one letter changes
# "Bay" into "Way" and "Key", both suffixes and street names alike.
SUFFIX_NAME_MIN_LETTERS = 4
# Written after a street's suffix ("King St West"): no suffix, though "West" is one letter from "Rest".
DIRECTIONS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"})
# A state's code: after a comma, before the end of its line or a ZIP code (ZIP+4 too).
_STATE_SLOT = re.compile(r"(?P<before>,\s*)(?P<word>[A-Za-z0-9|!]{2})(?=\s*(?:$|\d{5}(?:-\d{4})?\s*$))")


@cache
def suffixes() -> frozenset[str]:
    """The standard abbreviations, lower case."""
    return _read_list(SUFFIX_FILE)


@cache
def suffix_names() -> frozenset[str]:
    """The suffixes written out ("road", "lane"), lower case."""
    return _read_list(SUFFIX_NAME_FILE)


@cache
def state_codes() -> frozenset[str]:
    """The two-letter codes of the states, DC and the territories, lower case."""
    return _read_list(STATE_FILE)


@cache
def state_names() -> frozenset[str]:
    """The names of the states, DC and the territories, lower case ("new york")."""
    return _read_list(STATE_NAME_FILE)


def _read_list(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _fold(word: str) -> str:
    folded = word.lower()
    for group in CONFUSABLE:
        folded = "".join(group[0] if ch in group else ch for ch in folded)
    return folded


@cache
def _by_fold() -> dict[str, tuple[str, ...]]:
    return _folded(suffixes())


@cache
def _states_by_fold() -> dict[str, tuple[str, ...]]:
    return _folded(state_codes())


def _folded(words: frozenset[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for word in words:
        found.setdefault(_fold(word), []).append(word)
    return {key: tuple(sorted(listed)) for key, listed in found.items()}


def correct_street_suffixes(text: str) -> tuple[str, list[Correction]]:
    """``text`` with each misread street suffix set right, and the corrections made."""
    corrections: list[Correction] = []
    lines = []
    for line in text.split("\n"):
        line = _STREET_END.sub(lambda m: _corrected(m, corrections), line)
        lines.append(_STATE_SLOT.sub(lambda m: _state_corrected(m, corrections), line))
    return "\n".join(lines), corrections


def _state_corrected(match: re.Match[str], corrections: list[Correction]) -> str:
    read = match.group("word")
    if read.isupper() and read.lower() in state_codes():
        return match.group(0)
    candidates = _states_by_fold().get(_fold(read), ())
    if len(candidates) != 1:
        return match.group(0)
    taken = candidates[0].upper()
    corrections.append(Correction(read, taken, STATE_LEXICON_NAME))
    return match.group("before") + taken


def _corrected(match: re.Match[str], corrections: list[Correction]) -> str:
    read = match.group("word")
    if read.lower() in suffixes():
        return match.group(0)
    candidates = _by_fold().get(_fold(read), ())
    if len(candidates) != 1:
        return match.group(0)
    taken = _in_case_of(read, candidates[0], match.group("name"))
    corrections.append(Correction(read, taken, LEXICON_NAME))
    return match.group("before") + taken


def _in_case_of(read: str, suffix: str, name: str) -> str:
    """``suffix`` in the case it was printed in: that of the letters read that cannot be a
    confused glyph when there are two or more ("BIVD" -> "BLVD"), else that of the street name
    before it ("Ash PI" -> "Pl", "church In" -> "ln", "OAK PI" -> "PL")."""
    sure = [ch for ch in read if ch.isalpha() and not any(ch in group for group in CONFUSABLE)]
    model = sure if len(sure) >= 2 else [ch for ch in name if ch.isalpha()]
    if model and all(ch.isupper() for ch in model) and len(model) >= 2:
        return suffix.upper()
    if model and all(ch.islower() for ch in model):
        return suffix
    return suffix[:1].upper() + suffix[1:]


# A word of an address this long or longer is looked up among the places (shorter ones are
# numbers' letters, unit and street abbreviations).
PLACE_MIN_LETTERS = 4
_ADDRESS_WORD = re.compile(rf"(?<![A-Za-z0-9'-])[A-Za-z]{{{PLACE_MIN_LETTERS},}}(?![A-Za-z0-9'-])")
_CAPITALS_PAIR = re.compile(r"(?<![A-Za-z])[A-Z]{2}(?![A-Za-z])")


def misread_places(address: str) -> list[tuple[str, str]]:
    """The words of a US address that look misread: in no list (places, street suffixes, names,
    English), yet one letter changed from a place's word ("Cily": "city", "Sprinafield":
    "springfield"), each with that word. Only an address that names a US state is
    looked at: the list of places is of US places, and a word of an address elsewhere ("Brgy",
    "Bandra") is in it by chance or not at all."""
    if not names_a_us_state(address):
        return []
    places, english, names = lexicon("places").words, lexicon(ENGLISH).words, lexicon("names").words
    found = []
    for word in _ADDRESS_WORD.findall(address):
        low = word.lower()
        if low in places or low in english or low in names or low in suffixes():
            continue
        near = sorted(one_letter_changes(low) & places)
        if near:
            found.append((word, near[0]))
    return found


def misread_suffix_names(address: str) -> list[tuple[str, str]]:
    """The words standing where a street line's suffix does (after a house number and a street
    name, at a comma or the line's end) that are no suffix, written out or abbreviated, yet one
    letter changed from one written out ("Magnolia Rood": "road", "Pine Lone": "lane"), each
    with that suffix. "Rood" and "Lone" are English words: only where they stand tells them
    misread. A compass direction ("Main St West") is no suffix misread."""
    found = []
    for line in address.split("\n"):
        for match in _STREET_LAST_WORD.finditer(line):
            low = match.group("word").lower()
            if len(low) < SUFFIX_NAME_MIN_LETTERS or _is_a_suffix(low) or low in DIRECTIONS:
                continue
            near = sorted(
                n for n in one_letter_changes(low) & suffix_names() if len(n) >= SUFFIX_NAME_MIN_LETTERS
            )
            if near:
                found.append((match.group("word"), near[0]))
    return found


def _is_a_suffix(word: str) -> bool:
    return word in suffixes() or word in suffix_names()


def names_a_us_state(address: str) -> bool:
    """Whether ``address`` names a US state: by its code in capitals ("MI"), or by its name
    written out, read right or with one letter misread ("Michiaan")."""
    if any(code.lower() in state_codes() for code in _CAPITALS_PAIR.findall(address)):
        return True
    words = re.findall(r"[a-z]+", address.lower())
    if any(" " in name and re.search(rf"\b{name}\b", " ".join(words)) for name in state_names()):
        return True
    one_word = {name for name in state_names() if " " not in name}
    return any(
        len(w) >= PLACE_MIN_LETTERS and (w in one_word or one_letter_changes(w) & one_word) for w in words
    )
