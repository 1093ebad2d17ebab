"""Turn the words OCR read for a field into the value a clerk would type.

Values stay as printed; only what the page's ink adds (underlines, stray bars, the colon after a
label) is removed, and answers from a closed vocabulary are spelled one way (Yes/No, IMMUNE).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from extraction.doctypes import FieldSpec
from extraction.doses import repair_doses
from extraction.layout import normalize_token
from extraction.lexicon import correct_text
from extraction.page_view import COMMA_ITEM_NUMBER
from extraction.repairs import apply_repairs
from extraction.streets import correct_street_suffixes
from extraction.validate import EARLIEST_YEAR, IMMUNITY, LATEST_YEAR, TITLES, YES_NO, parse_date

# Characters a drawn underline or a table rule becomes in OCR, around or inside a value.
_RULE_CHARS = "_|—–~=\u2014"
_STRAY_MARK_KINDS = {"date", "person", "phone", "identifier", "integer"}
_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"}
)


def clean_line(text: str) -> str:
    """Collapse whitespace and strip rule characters, label punctuation and dust read as an
    opening quote or backtick ("‘Acid reflux") at the ends, and a colon or semicolon at the end
    (a value never ends in one; a speck after "100 mg" is read as one)."""
    text = re.sub(f"[{_RULE_CHARS}]{{2,}}", " ", text)
    text = " ".join(text.split())
    text = text.strip(_RULE_CHARS + " ")
    return text.lstrip(":;.,‘`").rstrip(":;").strip()


def normalize(spec: FieldSpec, lines: list[str]) -> tuple[str, str | None]:
    """The field's value from its cleaned lines, and a problem to flag or None.

    Multi-line values keep their lines joined by newlines; a single-line field joins with spaces.
    """
    cleaned = [clean_line(line) for line in lines]
    cleaned = [line for line in cleaned if line]
    joined = ("\n" if spec.multiline else " ").join(cleaned)
    if spec.kind in _STRAY_MARK_KINDS:
        # Dust read as a dash or quote before a name, a colon after a date: never the value's.
        joined = joined.lstrip("-‘’'`\"~§•*° ").rstrip(":;‘’'`\" ")
    if not joined:
        return "", None
    normalizer = _NORMALIZERS.get(spec.kind)
    value, problem = normalizer(joined, spec) if normalizer else (joined, None)
    if spec.dose_lines:
        value = "\n".join(COMMA_ITEM_NUMBER.sub("", line) for line in value.split("\n"))
        value, repairs = repair_doses(value, spec.units)
        if repairs:
            note = "; ".join(f"read {read!r}, taken as {taken!r}" for read, taken in repairs)
            problem = f"{problem}; {note}" if problem else note
    if spec.units:
        value = space_units(value, spec.units)
    if "places" in spec.lexicons:
        # A state run into its ZIP code ("MA02111"): the space tight print loses.
        spaced = re.sub(r"\b([A-Z]{2})(\d{5})\b", r"\1 \2", value)
        if spaced != value:
            note = f"read {value!r}, taken as {spaced!r}"
            value, problem = spaced, f"{problem}; {note}" if problem else note
        value, suffixes = correct_street_suffixes(value)
        if suffixes:
            note = "; ".join(f"{c} ({c.lexicon})" for c in suffixes)
            problem = f"{problem}; {note}" if problem else note
    if spec.lexicons:
        corrected, corrections = correct_text(value, spec.lexicons)
        if corrections:
            note = "; ".join(f"read {c.read!r}, taken as {c.taken!r} ({c.lexicon})" for c in corrections)
            return corrected, f"{problem}; {note}" if problem else note
    return value, problem


def space_units(text: str, units: tuple[str, ...]) -> str:
    """``text`` with one space between a number and a unit written onto it ("7.5mg")."""
    alternatives = "|".join(sorted((re.escape(u) for u in units), key=len, reverse=True))
    return re.sub(rf"(?<=\d)(?:{alternatives})\b", lambda m: " " + m.group(0), text)


_NAME_LOOKALIKES = str.maketrans({"!": "l", "|": "l", "1": "l", "0": "o"})


def _person(text: str, spec: FieldSpec) -> tuple[str, str | None]:
    """Trailing punctuation dropped; letters OCR turns into '!', '|', '1' or '0' inside a word
    are repaired and flagged ("Chery! Turner"), as are two names run together ("RuthAdams" or
    "Jacob:Coleman"); a leading "Or"/"Br" before a name becomes "Dr", "Dr," becomes "Dr."."""
    value = text.rstrip(",;:")
    if re.search(r"[a-z]{3}\.$", value):  # "Evelyn Morgan." : a speck, not an abbreviation's point
        value = value[:-1]
    repaired = " ".join(_repair_name_word(word) for word in value.split(" "))
    repaired = _NAMES_RUN_TOGETHER.sub(_split_run_together, repaired)
    repaired = re.sub(r"^(Or|Br)(\.?) ", r"Dr\2 ", repaired)
    repaired = re.sub(r"^Dr, ", "Dr. ", repaired)
    repaired = re.sub(r"(?<=[a-z])[:;] ?(?=[A-Z][a-z])", " ", repaired)  # "Jacob:Coleman", "Anthony: Cox"
    # A speck read as a full stop after a whole name, not a title's ("Gabriel. Cole"; "Mrs. Cole" stays).
    repaired = re.sub(r"\b(?!(?:Mrs|Prof|Rev)\.)([A-Z][a-z]{2,})\. (?=[A-Z][a-z])", r"\1 ", repaired)
    if repaired != value:
        return repaired, f"read {value!r}, taken as {repaired!r}"
    return given_name_first(value), None


# "Salazar, Teresa M.": a name written family name first, as registers and labels print it.
_FAMILY_FIRST = re.compile(r"^([^\W\d_][\w'-]*(?: [^\W\d_][\w'-]*)?), ([^\W\d_][\w.' -]*)$")
# After a comma these are no given names: "Ann Lee, MD", "John Smith, Jr.".
AFTER_A_NAME = {
    "md",
    "do",
    "mbbs",
    "mbchb",
    "np",
    "pa",
    "pac",
    "fnp",
    "dds",
    "dmd",
    "rn",
    "phd",
    "mrcgp",
    "frcp",
    "dnp",
    "aprn",
    "od",
    "dpm",
    "jr",
    "sr",
    "ii",
    "iii",
    "iv",
}


def given_name_first(value: str) -> str:
    """A name written family name first ("Salazar, Teresa") as it is written out: given names
    first ("Teresa Salazar"); any other name as it is."""
    match = _FAMILY_FIRST.match(value)
    if match is None:
        return value
    family, given = match.groups()
    tokens = {token.strip(".").replace(".", "").lower() for token in given.split()}
    if tokens & AFTER_A_NAME or family.rstrip(".").lower() in TITLES:
        return value
    return f"{given} {family}"


# "RuthAdams": two capitalised names whose space OCR lost; "McDonald", "DeVito" are one name.
_NAMES_RUN_TOGETHER = re.compile(r"\b([A-Z][a-z]{2,})([A-Z][a-z]{2,})\b")
_NAME_PREFIXES = {"Mac", "Van", "Von", "Del", "Della", "Dal", "Des", "Les", "San", "Santa"}


def _split_run_together(match: re.Match[str]) -> str:
    first, second = match.groups()
    return match.group(0) if first in _NAME_PREFIXES else f"{first} {second}"


def _repair_name_word(word: str) -> str:
    letters = sum(ch.isalpha() for ch in word)
    odd = sum(ch in "!|10" for ch in word)
    return word.translate(_NAME_LOOKALIKES) if odd and letters >= 2 and odd < letters else word


def _integer(text: str, spec: FieldSpec) -> tuple[str, str | None]:
    """The number printed; a token mixing digits and look-alike letters ("17S") is repaired and
    flagged, never cut short to the digits it starts with; digits split by a space ("8 9") are
    joined and flagged."""
    tokens = [token.strip(".,;:()[]_|") for token in text.split()]
    numbers = []
    for core in tokens:
        if _is_number(core):
            numbers.append((core, None))
            continue
        guessed = core.translate(_DIGIT_LOOKALIKES)
        # A look-alike needs a real digit beside it ("1O"), or to stand alone as the first,
        # short token ("O" on a refill line): "Dose" must not become a number.
        alone = not numbers and len(core) <= 2 and core is tokens[0]
        if _is_number(guessed) and (alone or any(ch.isdecimal() for ch in core)):
            numbers.append((guessed, f"read {core!r}, taken as {guessed}"))
    if len(numbers) > 1 and all(tokens[i] for i in range(len(numbers))) and _adjacent(tokens, numbers):
        joined = "".join(number for number, _ in numbers)
        return joined, f"digits read apart ({text!r}), joined as {joined}"
    if numbers:
        number, note = numbers[0]
        if len(number) > 1 and number.startswith("0"):  # "00" for a printed 0: a digit doubled
            return str(int(number)), note or f"read {number!r}, taken as {int(number)}"
        return number, note or _word_before(tokens, number)
    found = re.search(spec.pattern or r"\d+", text)
    if found:
        return found.group(0), f"number taken out of {text!r}"
    return "", "no number found where the value should be"


def _word_before(tokens: list[str], number: str) -> str | None:
    """A note when a word stands before the number ("Grade 7" read under "Weight"): a number
    is written after its label, and a word before it is most often another label, whose value
    the number is. Units and counts follow the number ("81 kg", "3 refills") and say nothing."""
    for token in tokens:
        if token.translate(_DIGIT_LOOKALIKES) == number or _is_number(token):
            return None
        if sum(ch.isalpha() for ch in token) >= 2:
            return f"{token!r} is written before the number: is it another label's value?"
    return None


def _adjacent(tokens: list[str], numbers: list[tuple[str, str | None]]) -> bool:
    """True when the numbers are the first tokens, one after the other ("8 9 times")."""
    return [t.translate(_DIGIT_LOOKALIKES) for t in tokens[: len(numbers)]] == [n for n, _ in numbers]


def _identifier(text: str, spec: FieldSpec) -> tuple[str, str | None]:
    if re.fullmatch(r"\d+(?: \d+)+", text):
        return text, "a space inside the number: OCR may have split it"
    return text, None


def _is_number(text: str) -> bool:
    """ASCII digits only: '²' and '①' pass str.isdigit() but int() refuses them."""
    return text.isascii() and text.isdecimal()


def _closest(text: str, vocabulary: tuple[str, ...]) -> tuple[str, float]:
    token = normalize_token(text)
    scored = [(SequenceMatcher(None, token, normalize_token(v)).ratio(), v) for v in vocabulary]
    score, best = max(scored)
    return best, score


def _answer(text: str, vocabulary: tuple[str, ...], min_score: float, refusal: str) -> tuple[str, str | None]:
    """The vocabulary word ``text`` spells: exact is silent, close is taken and flagged, else refused."""
    best, score = _closest(text, vocabulary)
    if score == 1.0:
        return best, None
    if score >= min_score:
        return best, f"read {text!r}, taken as {best}"
    return text, refusal


def _yes_no(text: str, spec: FieldSpec) -> tuple[str, str | None]:
    # Only the first word: "Yes (2019)" still answers the question; of an option worded in two
    # languages ("Yes/Sí", "Yes/Oui"), the first wording.
    first, *rest = text.split()
    first = _first_wording(first)
    if first in ("Y", "N"):  # printed options abbreviated to their initial
        best, problem = YES_NO[first == "N"], None
    elif first in ("y", "n"):  # ... read in small letters, as OCR reads a capital run on from a box
        best = YES_NO[first == "n"]
        problem = f"read {text!r}, taken as {best}"
    else:
        best, problem = _answer(first, YES_NO, 0.6, "not a yes/no answer")
    if best not in YES_NO:
        return text, problem
    if problem is None and _mark_or_option(rest):
        problem = f"read {text!r}: a mark or another option beside the answer, check which is chosen"
    return best, problem


def _first_wording(text: str) -> str:
    """Of an option worded in two languages ("Yes/Sí", "Yes / Oui"), its first wording; any other
    text as it is ("Y/N" and "Yes/No" are two options printed, not one answer)."""
    parts = [part.strip() for part in text.split("/")]
    if len(parts) != 2 or not parts[0]:
        return text
    # Which answer each wording is, by the yes/no answers a question of immunity takes.
    first, second = _IMMUNITY_ANSWERS.get(parts[0].lower()), _IMMUNITY_ANSWERS.get(parts[1].lower())
    return parts[0] if first is not None and second in (None, first) else text


def _mark_or_option(words: list[str]) -> bool:
    """True when words after an answer hold no letter or digit (a ring or tick read as text,
    "@)") or are another option ("Yes No" as printed), perhaps misread by one letter (a ring
    round "No" joins it into "Wo)"): which one is chosen is not read."""
    options = {option.lower() for option in YES_NO} | {"y", "n"}
    return any(
        not any(ch.isalnum() for ch in word) or _option_spelled(word.strip("()[].,:;|").lower(), options)
        for word in words
    )


def _option_spelled(word: str, options: set[str]) -> bool:
    """True when ``word`` is one of ``options`` or, two letters or more, differs from one of
    them in one letter only ("wo", "n0", "yas")."""
    return word in options or any(
        len(word) == len(option) >= 2 and sum(a != b for a, b in zip(word, option, strict=True)) == 1
        for option in options
    )


# A form may ask about immunity as a question ("Chickenpox (varicella)?  Yes | No"): its yes is
# IMMUNE. Taken, and said so in the flag, since the question may have been another one.
_IMMUNITY_ANSWERS = {"yes": "IMMUNE", "y": "IMMUNE", "no": "NOT IMMUNE", "n": "NOT IMMUNE"}


# Options printed in words about the disease or the immunity ("Had it / immune", "Non-immune",
# "Never had it"): immune unless a word says not. "Not sure" and "Unknown" say neither.
_IMMUNE_WORDS = frozenset({"immune", "immunity", "had"})
_NOT_WORDS = frozenset({"not", "non", "no", "never"})


def _immunity(text: str, spec: FieldSpec) -> tuple[str, str | None]:
    # The whole answer, or its first wording of an option worded in two languages ("Yes/Sí").
    answer = _IMMUNITY_ANSWERS.get(text.strip().lower()) or _IMMUNITY_ANSWERS.get(
        _first_wording(text.strip()).lower()
    )
    if answer is not None:
        return answer, f"answered {text.strip()!r}, taken as {answer}"
    best, problem = _answer(text, IMMUNITY, 0.75, "not IMMUNE / NOT IMMUNE")
    words = set(re.findall(r"[a-z]+", text.lower()))
    if problem is not None and best not in IMMUNITY and words & _IMMUNE_WORDS:
        answer = IMMUNITY[bool(words & _NOT_WORDS)]
        return answer, f"answered {text.strip()!r}, taken as {answer}"
    if problem is None and best in IMMUNITY and any(_a_mark_read_as_text(w) for w in text.split()):
        problem = f"read {text!r}: a box or circle read as text beside the answer, check which is chosen"
    return best, problem


# Signs that join or part the words of a printed option ("Had it / immune"); any other word
# with no letter or digit is a box, circle or tick read as text ("©", "(@)", "[]").
_OPTION_PUNCTUATION = frozenset("/-–—,.:;")


def _a_mark_read_as_text(word: str) -> bool:
    """True when ``word`` holds no letter or digit and is not punctuation of an option's print."""
    return not any(ch.isalnum() for ch in word) and not set(word) <= _OPTION_PUNCTUATION


def _pattern_match(text: str, spec: FieldSpec) -> tuple[str, str | None]:
    if not spec.pattern:
        return text, None
    found = re.search(spec.pattern, text)
    if not found:
        return text, "does not look like the expected value"
    extra = text.replace(found.group(0), "").strip(" ,.;:")
    return found.group(0), (f"extra text {extra!r} left out" if extra else None)


# A North American number: area code, exchange, line ("(737) 988-0851", "737.988.0851").
_NANP = re.compile(r"\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}")


def _phone(text: str, spec: FieldSpec) -> tuple[str, str | None]:
    """The number as printed, any country's; a space read beside a dash ("683- 1128") goes,
    flagged. A North American number's groups are known, so there its last four digits read
    apart ("889-43 12") are joined and a dash read as a space ("969 885-7765": its numbers are
    printed with one separator) is put back, flagged; other countries group their digits in
    twos, threes and fours, so their spacing is left as read. The spacing of a form's printed
    brackets goes unflagged: "( 737 ) 988" written in '( ___ ) ___' blanks and "(737)988" read
    from comb boxes are "(737) 988", the one way a bracketed area code is written."""
    text = re.sub(r"\(\s+(?=\d)", "(", text)
    text = re.sub(r"(?<=\d)\s+\)", ")", text)
    text = re.sub(r"(?<=\d)\)\s*(?=\d)", ") ", text)
    value, problem = _pattern_match(text, spec)
    joined = re.sub(r"(?<=\d) ?- ?(?=\d)", "-", value)  # a dash never has a space beside it
    last_four = re.sub(r"\d(?: ?\d){3}$", lambda last: last.group(0).replace(" ", ""), joined)
    if _NANP.fullmatch(last_four) and not _NANP.fullmatch(joined):
        joined = last_four
    joined = re.sub(r"^(\d{3}) (?=\d{3}-\d{4}$)", r"\1-", joined)
    if joined != value and problem is None:
        return joined, f"read {value!r}, taken as {joined}"
    return value, problem


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _nearest_month(match: re.Match[str]) -> str:
    """A three-letter month one letter off ("Mor") as the only month that close ("Mar")."""
    word = match.group(0)
    if word in _MONTHS:
        return word
    close = [m for m in _MONTHS if sum(a != b for a, b in zip(word, m, strict=True)) == 1]
    return close[0] if len(close) == 1 else word


_SLASH_LOOKALIKES = "1lI|"


def _slashes_read_as_ones(text: str) -> str:
    """'271412020' as '27/4/2020': the slashes of a condensed date read as "1" (or l, I, |).

    Only when exactly one way of taking two of those characters for slashes gives a real date;
    "111112020" could be 1/11/2020 or 11/1/2020 and stays as read.
    """
    if not re.fullmatch(r"\d[\d1lI|]{6,9}", text):
        return text
    head, year = text[:-4], text[-4:]
    candidates = (
        f"{head[:first]}/{head[first + 1 : second]}/{year}"
        for first in (1, 2)
        for second in (first + 2, first + 3)
        if second == len(head) - 1 and head[first] in _SLASH_LOOKALIKES and head[second] in _SLASH_LOOKALIKES
    )
    dates = {candidate for candidate in candidates if parse_date(candidate) is not None}
    return dates.pop() if len(dates) == 1 else text


def _separated(text: str) -> str:
    """Eight digits with no separator ("19670926": the boxes of a comb, ISO 8601's basic form),
    or with only some of a date's separators read ("04/081984"), as a date with slashes, year
    first ("1967/09/26") or last ("26/09/1967"), when exactly one of those gives a real date in
    the accepted years; otherwise ``text`` as it is."""
    if re.fullmatch(r"\d+[/.-]\d+", text) and len(digits := re.sub(r"\D", "", text)) == 8:
        text = digits
    if not re.fullmatch(r"\d{8}", text):
        return text
    readings = {f"{text[:4]}/{text[4:6]}/{text[6:]}", f"{text[:2]}/{text[2:4]}/{text[4:]}"}
    dates = {
        reading
        for reading in readings
        if (parsed := parse_date(reading)) is not None and EARLIEST_YEAR <= parsed.year <= LATEST_YEAR
    }
    return dates.pop() if len(dates) == 1 else text


def _date(text: str, spec: FieldSpec) -> tuple[str, str | None]:
    """A date with the marks OCR read into it set right by the rules of repairs/dates.toml
    ("May 21. 2020"), its month's case restored ("jul 21, 2018"), a month one letter off set to
    the only month that close ("Mor 15"), slashes read as ones where only one way gives a date
    ("271412020"), digits read apart joined ("199 1-03-30") and eight digits with no separator
    parted ("19670926"); any repair is flagged with what was read."""
    repaired = apply_repairs("date", text)
    repaired = re.sub(r"^[a-z]{3}(?=[a-z]*\.? \d)", lambda m: m.group(0).capitalize(), repaired)
    repaired = re.sub(r"^[A-Z][a-z]{2}(?= \d)", _nearest_month, repaired)
    repaired = _slashes_read_as_ones(repaired)
    repaired = _separated(repaired)
    unspaced = re.sub(r"(?<=\d) (?=\d)", "", repaired)
    if re.fullmatch(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", unspaced):
        repaired = unspaced
    if repaired != text:
        return repaired, f"read {text!r}, taken as {repaired!r}"
    return text, None


_NORMALIZERS = {
    "date": _date,
    "person": _person,
    "integer": _integer,
    "yesno": _yes_no,
    "immunity": _immunity,
    "phone": _phone,
    "identifier": _identifier,
}
