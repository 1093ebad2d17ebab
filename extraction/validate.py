"""Checks on field values: dates that parse, phone numbers, numbers in range, vocabularies.

``check_value`` is pure and used by the engine (to set needs_review) and by the review app (to
refuse a bad value on save). A blank value is always valid: the document may leave it blank.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache

from extraction.doctypes import DocumentType, FieldSpec, get_document_type
from extraction.letter_case import odd_case_word
from extraction.lexicon import ENGLISH, is_known, near_known
from extraction.types import FieldResult
from extraction.word_breaks import number_run_on, run_together, split_apart

# Words in capitals this short are acronyms ("GERD", "NKDA"), found in no dictionary.
MAX_ACRONYM = 5

YES_NO = ("Yes", "No")
IMMUNITY = ("IMMUNE", "NOT IMMUNE")
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100

DATE_FORMATS = (
    "%d/%m/%Y", "%m/%d/%Y", "%d/%m/%y", "%m/%d/%y", "%d-%m-%Y", "%m-%d-%Y", "%Y-%m-%d", "%Y/%m/%d",
    "%d.%m.%Y", "%d-%b-%Y", "%d-%B-%Y",
    "%B %d %Y", "%b %d %Y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%b. %d %Y",
    "%d %B %Y", "%d %b %Y", "%d %B, %Y", "%d %b, %Y",
)  # fmt: skip

_PHONE_CHARS = re.compile(r"^\+?[\d\s().-]+$")
# Letters of any alphabet (Tomás, Zoë), spaces and the punctuation names carry.
# Words before a name that are no part of it: "Dr Smith" is one name.
TITLES = {"dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof"}
_PERSON = re.compile(r"^[^\W\d_][^\W\d_ .,'-]*(?:[ .,'-]+[^\W\d_]*)*$")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /-]*$")


@lru_cache(maxsize=4096)
def parse_date(text: str) -> date | None:
    """The date ``text`` denotes in any accepted format, or None. Day-first wins when ambiguous.

    Cached: assigning a page's fields asks it of the same texts many times, and each miss
    tries every format."""
    cleaned = " ".join(text.replace(",", ", ").split()).replace(" ,", ",")
    if not any(ch.isdigit() for ch in cleaned):
        return None  # every accepted format writes its day or its year in digits
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def _check_date(value: str, spec: FieldSpec) -> str | None:
    parsed = parse_date(value)
    if parsed is None:
        return f"{value!r} is not a date (e.g. 17/12/2020, 2020-12-17 or May 6 1972)"
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        return f"the year {parsed.year} is implausible"
    if spec.past_only and parsed > date.today() + timedelta(days=31):
        return f"{value!r} would be in the future ({parsed.isoformat()})"
    return None


def _check_phone(value: str, spec: FieldSpec) -> str | None:
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE_CHARS.match(value) or not 7 <= digits <= 15:
        return f"{value!r} is not a phone number (7 to 15 digits, e.g. (737) 988-0851)"
    return None


def _check_integer(value: str, spec: FieldSpec) -> str | None:
    if not (value.isascii() and value.isdecimal()):
        return f"{value!r} is not a whole number"
    if spec.range and not spec.range[0] <= int(value) <= spec.range[1]:
        low, high = (int(x) for x in spec.range)
        return f"{value} is outside the plausible range {low}–{high}"
    return None


Check = Callable[[str, FieldSpec], str | None]


def _check_vocabulary(allowed: tuple[str, ...]) -> Check:
    def check(value: str, spec: FieldSpec) -> str | None:
        if value not in allowed:
            return f"must be one of: {', '.join(allowed)}"
        return None

    return check


def _check_person(value: str, spec: FieldSpec) -> str | None:
    if not _PERSON.match(value) or len(value) < 2:
        return f"{value!r} does not look like a name (letters, spaces, . , ' - only)"
    names = [word for word in value.split() if word.strip(".,").lower() not in TITLES]
    if len(names) < 2:
        return f"{value!r} is one name only: check the given and family names"
    if "," not in value and len(names[-1].strip(".")) == 1:
        # "Grace F": a middle initial last, the family name asked for apart and not read.
        return f"{value!r} ends in an initial: check the family name"
    if any(len(letter := word.strip(".")) == 1 and letter.islower() for word in names):
        # An initial is a capital; a small letter alone is a name's last letter split off.
        return f"{value!r} has a small letter standing alone: is a name split in two?"
    return None


def _check_identifier(value: str, spec: FieldSpec) -> str | None:
    """A member or policy number: letters and digits, at least 4, with a digit among them (a
    word alone, "Vaccines", is print read as the value)."""
    if not _IDENTIFIER.match(value) or len(value) < 4 or not any(ch.isdigit() for ch in value):
        return f"{value!r} does not look like a policy number (letters and digits, at least 4)"
    return None


CHECKS = {
    "date": _check_date,
    "phone": _check_phone,
    "integer": _check_integer,
    "yesno": _check_vocabulary(YES_NO),
    "immunity": _check_vocabulary(IMMUNITY),
    "person": _check_person,
    "identifier": _check_identifier,
}


def check_value(spec: FieldSpec, value: str) -> str | None:
    """A message saying why ``value`` is invalid for ``spec``, or None when it is fine or blank."""
    if not value.strip():
        return None
    check = CHECKS.get(spec.kind)
    problem = check(value.strip(), spec) if check else None
    return problem or _check_lines(spec, value)


def _check_lines(spec: FieldSpec, value: str) -> str | None:
    if not spec.line_pattern:
        return None
    for line in value.splitlines():
        if not re.match(spec.line_pattern, line.strip()):
            return f"{line.strip()!r} is not in the usual form ({spec.line_hint or spec.line_pattern})"
    return None


def validate_field(doc_type: str, field: str, value: str) -> str | None:
    """``check_value`` by names: the review app's entry point for validation on save."""
    return check_value(get_document_type(doc_type).field(field), value)


# A field of words lists its items in words (``FieldSpec.known_words``): a line of its value with
# no word of two letters (a lone "2", a mark) is a stray from another value or the page.
WORD = re.compile(r"[^\W\d_]{2}")
# A name's word (a capital, then small letters) and any word of three letters or more.
NAME_WORD = re.compile(r"\b[A-Z][a-z]{2,}\b")
LONG_WORD = re.compile(r"[A-Za-z]{3,}")
# A word right after a number: a dose's unit or a count's noun ("81 mg", "500mg", "2 puffs").
AFTER_A_NUMBER = re.compile(r"\d\s*([A-Za-z]+)\b")
# A number joined to a word by a mark ("2.cap", "1,tab"): dust in the space between two words,
# read as a point. A number's own point has a digit after it ("2.5 mg").
JOINED_BY_A_MARK = re.compile(r"(?<![\w.])\d+[.,:;][A-Za-z]{2,}")


# Words a family name may start with in small letters ("Ludwig van Beethoven", "Maria de la Cruz").
NAME_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "la", "le", "du", "bin", "al"}
)

_SMALL_NAME_WORDS = NAME_PARTICLES | TITLES


def _in_small_letters(value: str) -> str | None:
    """The first word of a person's name that starts with a small letter and is no particle: a
    name is written with capitals, and a small first letter is most often a capital misread."""
    for word in value.split():
        letters = word.strip(".,'-")
        if len(letters) >= 2 and letters[0].islower() and letters.lower() not in _SMALL_NAME_WORDS:
            return word
    return None


def validate_fields(doc_type: DocumentType, fields: dict[str, FieldResult]) -> dict[str, FieldResult]:
    """Flag every field whose value fails its kind's check or matches one of its doubts;
    returns the same dict for chaining."""
    for spec in doc_type.fields:
        value = fields[spec.name].value
        problem = check_value(spec, value)
        if problem:
            fields[spec.name].flag(problem)
        for reason in doubts_about(spec, value):
            fields[spec.name].flag(reason)
        small = _in_small_letters(value) if spec.kind == "person" else None
        if small:
            fields[spec.name].flag(f"{small!r} is written in small letters: check the name's capitals")
        joined = JOINED_BY_A_MARK.search(value) if spec.kind == "text" else None
        if joined:
            fields[spec.name].flag(
                f"{joined.group(0)!r} reads as two words a speck joined: check the spacing"
            )
        odd_case = odd_case_word(value) if spec.kind == "text" else None
        if odd_case:
            fields[spec.name].flag(f"{odd_case!r} is in a case its line does not use: check its first letter")
        for run, parted in _run_together(spec, value)[:1]:
            fields[spec.name].flag(f"{run!r} may be words run together ({parted!r}): check the spacing")
        for run in _number_run_on(spec, value)[:1]:
            fields[spec.name].flag(f"{run!r} may be a number and a word run together: check the spacing")
        for pair, joined in _split_apart(spec, value)[:1]:
            fields[spec.name].flag(f"{pair!r} may be one word split apart ({joined!r}): check the spacing")
        if _long_ago(spec, value):
            years = spec.recent_years
            fields[spec.name].flag(f"dated over {years} years ago: is it another date, a birth date?")
        unit = _no_unit_after_a_number(spec, value)
        if unit:
            fields[spec.name].flag(f"{unit!r} after a number is no unit or count: check the dose")
        unknown = unknown_words(spec, value)
        if unknown:
            fields[spec.name].flag("words in no vocabulary: " + ", ".join(repr(w) for w in unknown[:3]))
        named = next((line for line in value.splitlines() if _names_a_person(spec, line)), None)
        if named:
            fields[spec.name].flag(f"the line {named!r} reads as a person's name: is it part of this value?")
        wordless = [line for line in value.splitlines() if not WORD.search(line)] if spec.known_words else []
        if wordless:
            fields[spec.name].flag(f"the line {wordless[0]!r} holds no word: is it part of this value?")
        if spec.lines_like and value:
            mine, theirs = len(value.splitlines()), len(fields[spec.lines_like].value.splitlines())
            if mine < theirs:
                fields[spec.name].flag(f"{mine} line(s) for {theirs} {spec.lines_like}: is a line missing?")
        if spec.one_per_shaped_line_of and value:
            other = doc_type.field(spec.one_per_shaped_line_of)
            mine, theirs = len(value.splitlines()), _shaped_lines(other, fields[other.name].value)
            if mine < theirs:
                missing = f"{mine} line(s) for {theirs} lines of {other.name}: is a line missing?"
                fields[spec.name].flag(missing)
    return fields


def _long_ago(spec: FieldSpec, value: str) -> bool:
    """True for a date of a field with ``FieldSpec.recent_years`` set lying further back."""
    parsed = parse_date(value) if spec.recent_years and spec.kind == "date" and value else None
    return parsed is not None and (date.today() - parsed).days > 365.25 * spec.recent_years


def _run_together(spec: FieldSpec, value: str) -> list[tuple[str, str]]:
    """A text value's words a lost space ran together. A person's name and a place are left
    alone: a rare name is more often a name than words, and places are named by joined words
    ("Maplewood", "Fairview")."""
    if spec.kind != "text" or not value or "places" in spec.lexicons:
        return []
    return run_together(value, lambda word: is_known(word, spec.lexicons))


def _number_run_on(spec: FieldSpec, value: str) -> list[str]:
    """A text value's numbers a lost space ran on to the word after them ("28Adams")."""
    return number_run_on(value) if spec.kind == "text" else []


def _split_apart(spec: FieldSpec, value: str) -> list[tuple[str, str]]:
    """A text value's word a space split in two. A person's name is left alone: names are
    written in parts that need be no words ("Mc Donald", "Van Dyke")."""
    if spec.kind != "text" or not value:
        return []
    return split_apart(value, lambda word: is_known(word, spec.lexicons))


def no_units(value: str) -> list[str]:
    """The words right after a number in ``value`` that are no unit or count of the directions'
    vocabulary ("81 ma": "mg" misread; "2 ml", "3 days" fit)."""
    return [w for w in AFTER_A_NUMBER.findall(value) if not is_known(w, ("directions",))]


def _no_unit_after_a_number(spec: FieldSpec, value: str) -> str | None:
    """In a value naming medicines, the first word after a number that is no unit or count
    (``no_units``); words of two letters are no word ``unknown_words`` looks at."""
    if "drugs" not in spec.lexicons or "directions" in spec.lexicons:
        return None  # directions check their own words (see ``extraction.evidence``)
    return next(iter(no_units(value)), None)


def _names_a_person(spec: FieldSpec, line: str) -> bool:
    """True for a line of a list of conditions or medicines (``FieldSpec.known_words``) that
    reads as a person's name: two capitalised words or more, every word of three letters or
    more a listed name and none a word of the field's vocabularies ("Dr. Nicholas Silva", the
    next row's doctor read on into the list). Words in capitals are no names' words: a doctor's
    credentials ("MBBS") or a condition's initials ("GERD")."""
    if not spec.known_words:
        return False
    if _titled_name(line):
        return True
    words = [word for word in LONG_WORD.findall(line) if not word.isupper()]
    return len(NAME_WORD.findall(line)) >= 2 and all(
        is_known(w, ("names",)) and not is_known(w, spec.lexicons) for w in words
    )


def _titled_name(line: str) -> bool:
    """True for a line opening with a person's title and then capitalised words only ("Dr
    Matthew Sharapova, M.D"): a person however rare the name. "Dr" opens no medicine's or
    condition's name."""
    words = line.replace(".", ". ").split()
    if not words:
        return False
    first, *rest = words
    names = [word for word in rest if word.strip(".,")]
    return (
        first.strip(".").lower() in TITLES
        and bool(names)
        and all(word[0].isupper() for word in names)
        and len(NAME_WORD.findall(line)) >= 1
    )


def _shaped_lines(spec: FieldSpec, value: str) -> int:
    """How many lines of ``value`` have the field's own shape (a dosing instruction)."""
    return sum(1 for line in value.splitlines() if spec.shape and re.search(spec.shape, line))


def doubts_about(spec: FieldSpec, value: str) -> list[str]:
    """The reasons of the field's doubts (``FieldSpec.doubts``, data with examples) that ``value``
    raises: shapes a value may have but that most often show a misreading."""
    return [reason for pattern, reason in spec.doubts if re.search(pattern, value)]


def unknown_words(spec: FieldSpec, value: str) -> list[str]:
    """The words of ``value`` that look misread, for a field whose words are all expected to be
    known (``FieldSpec.known_words``): three letters or more, in none of the field's
    vocabularies (English, its lexicons, its units), yet one letter from a word in one ("Nene":
    "None"). A rare real word far from any listed one ("Triptans"), and an acronym in capitals
    ("GERD", "NKDA"), are left alone."""
    if not spec.known_words:
        return []
    vocabularies = (*spec.lexicons, ENGLISH)
    units = {unit.casefold() for unit in spec.units}
    return [
        word
        for word in re.findall(r"[A-Za-z]{3,}", value)
        if word.casefold() not in units
        and not (word.isupper() and len(word) <= MAX_ACRONYM)
        and not is_known(word, vocabularies)
        and near_known(word, vocabularies)
    ]
