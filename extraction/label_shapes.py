"""Lines whose shape tells a label from a value, whatever words a form's vocabulary has.

The label of a number of any kind ends in a word that says "number" ("Hospital No.", "Chart #",
"Member ID"), a section's heading in one that says "information" or "details"; an answer that
says "none" in a label's words opens with a negation ("No known allergies"); a value may be
wholly of a kind its shape tells (a date, a phone number). The word lists are checked with
examples in ``tests/test_layout_reading.py``.
"""

from __future__ import annotations

import re

from extraction.phrases import best_phrase
from extraction.validate import parse_date

# A label of no known wording (a colon key, a number's label) is at most this many words long.
MAX_UNKNOWN_KEY_WORDS = 4
# The last word of the label of a number of any kind ("Hospital No.", "NHS No", "Chart #",
# "Member ID", "Case number"): whatever it numbers, such a label is never a value.
NUMBER_WORDS = frozenset({"no", "no.", "nr", "nr.", "#", "number", "num", "num.", "id"})
# The last word of a section's heading ("Insurance Information", "Contact Details", "Billing
# Section", "Immunization Status", "Social History", "Insurance / Billing"): whatever the
# section is about, such a line heads print, it is no value.
HEADING_WORDS = frozenset(
    {"information", "info", "details", "particulars", "section", "data", "status", "history"}
    | {"billing", "coverage"}
)
# A date's format as forms print it: groups of D, M or Y parted by slashes, dashes, full stops
# or spaces, in brackets or not.
FORMAT_HINT = re.compile(r"\(?\s*(?:dd?|mm?|yy(?:yy)?)(?:\s*[/.\- ]\s*(?:dd?|mm?|yy(?:yy)?)){2}\s*\)?", re.I)
# A label found inside a value is at least this many words long (one word, "Date", "Phone",
# is too often part of a name) and read this well.
INNER_LABEL_WORDS = 2
INNER_LABEL_SCORE = 0.95
# Answers that may stand before a "No" in a line of options ("Yes No"): no label.
ANSWER_WORDS = frozenset({"yes", "y", "n/a", "na", "unknown"})
# A label's words after one of these are an answer that says "none": "No known allergies",
# "None known", "Nil regular medication", "Denies allergies".
NEGATIONS = frozenset({"no", "none", "nil", "not", "denies", "never"})
# A label naming one more item of a list ("Other:", "Other medicine:", "Additional
# medications:") is the list's last slot, for an item not printed among its options.
ANOTHER_ITEM = re.compile(r"(?i)^(other|additional|further)\b")
# The words a form speaks of the clinic with to whoever fills it in, as written: "US" is a
# country, and "Our" opens names ("Our Lady of Mercy Hospital").
FORM_VOICE = frozenset({"we", "We", "us"})
FORM_VOICE_MIN_WORDS = 3


def is_negative_answer(text: str) -> bool:
    """True for a line that opens with a word of negation ("No known allergies", "None
    known"): however much it reads like a label, it answers one. "No." and "No:" are the
    abbreviation of "number" and a label, not a negation."""
    words = text.split()
    return len(words) >= 2 and words[0].lower().rstrip(",") in NEGATIONS and words[1].lower() != "of"


def is_number_label(text: str) -> bool:
    """True for the printed label of a number of no field of ours ("Hospital No.", "NHS No",
    "Chart #", "Member ID"): a few capitalised words with no digit, the last one saying
    "number". A value never reads so; a line of answers ("Yes No") is no label."""
    words = text.split()
    if not 2 <= len(words) <= MAX_UNKNOWN_KEY_WORDS or any(ch.isdigit() for ch in text):
        return False
    if not words[0][:1].isupper() or words[-1].lower().rstrip(":") not in NUMBER_WORDS:
        return False
    return not any(w.lower().strip(".,:/") in ANSWER_WORDS for w in words[:-1])


def speaks_as_the_form(text: str) -> bool:
    """True for a line in which the form speaks to whoever fills it in as "we" ("Name of a
    person we may call in an emergency", "How did you hear about us"): a few words or more,
    no digit, opening with a capital. A value (a name, an address, a medicine and how to take
    it, an answer) never says "we" or "us"."""
    words = text.split()
    if len(words) < FORM_VOICE_MIN_WORDS or any(ch.isdigit() for ch in text) or not words[0][:1].isupper():
        return False
    return any(w.strip(".,:;?!()") in FORM_VOICE for w in words)


def is_format_hint(text: str) -> bool:
    """True for a date's format printed as a hint to whoever fills the form in ("(MM/DD/YYYY)",
    "DD-MM-YY", "YYYY / MM / DD"), a bracket lost or not: print, never a value."""
    return FORMAT_HINT.fullmatch(text.strip()) is not None


def is_heading(text: str) -> bool:
    """True for the heading of a section of no field of ours ("Insurance Information", "NEXT OF
    KIN DETAILS"): a few capitalised words with no digit, the last one saying "information" or
    "details". A value never reads so."""
    words = text.rstrip(":").split()
    if not 2 <= len(words) <= MAX_UNKNOWN_KEY_WORDS or any(ch.isdigit() for ch in text):
        return False
    capitalised = all(w[:1].isupper() or w.lower() in ("of", "and", "&", "/") for w in words)
    return capitalised and words[-1].lower() in HEADING_WORDS


def label_within(line: str, labels: tuple[str, ...]) -> str | None:
    """The printed label that stands inside ``line`` after its first word ("Silverline
    Insurance Company Effective date Oct 31, 2013": the next column's label and value read on
    into the value), or None. Only labels of two words or more, of letters alone, read almost
    exactly, with a word after them."""
    words = line.split()
    for start in range(1, len(words) - 1):
        # A label ends before the last word: its value follows it ("Guardian Health Insurance"
        # ends in a label's words and is a name).
        for end in range(start + INNER_LABEL_WORDS, min(len(words) - 1, start + MAX_UNKNOWN_KEY_WORDS) + 1):
            phrase = " ".join(words[start:end]).rstrip(":")
            if not phrase.replace(" ", "").isalpha():
                continue  # a label has no digits ("for 3" is a direction's)
            if best_phrase(phrase, labels)[1] >= INNER_LABEL_SCORE:
                return phrase
    return None


def value_kind(text: str) -> str:
    """The kind a text is wholly a value of: "date", "phone", "yesno", "measure" or ""."""
    text = text.strip()
    if parse_date(text) is not None or re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", text):
        return "date"
    if re.fullmatch(r"\d{4,}", text):
        return ""  # a bare run of digits: a member number as much as a phone
    if re.fullmatch(r"\+?[\d\s().-]{7,}", text) and 7 <= sum(ch.isdigit() for ch in text) <= 15:
        return "phone"
    if text.lower() in ("yes", "no", "y", "n"):
        return "yesno"
    if re.fullmatch(r"\d+(\.\d+)?\s*(kg|lbs?|cm|in|ft|m|%)?", text, re.IGNORECASE):
        return "measure"
    return ""
