"""When two readings of one value say the same: what the recognizer's habits (dropped spaces,
case, the punctuation round digits) and the way a value may be written do not change."""

from __future__ import annotations

import re

from extraction.doctypes import FieldSpec
from extraction.validate import check_value, parse_date


def same_value(spec: FieldSpec, again: str, first: str) -> bool:
    """Whether the second reading ``again`` and tesseract's ``first`` read one value: the same
    letters and digits but for spaces and case, the same groups of digits, or the same day."""
    return letters(again) == letters(first) or same_digits(again, first) or same_date(spec, again, first)


def spaced_for_check(spec: FieldSpec, text: str) -> str:
    """``text`` with a space between each number and the word it touches ("27November 2021") when
    only so it passes the field's check: the recognizer drops spaces, a field's check does not."""
    if check_value(spec, text) is None:
        return text
    spaced = re.sub(r"(?<=\d)(?=[A-Za-z])|(?<=[A-Za-z])(?=\d)", " ", text)
    return spaced if check_value(spec, spaced) is None else text


def same_date(spec: FieldSpec, again: str, first: str) -> bool:
    """Whether both readings of a date field are the same day ("Feb 4 2018", "Feb 4, 2018")."""
    if spec.kind != "date":
        return False
    day = parse_date(again)
    return day is not None and day == parse_date(first)


def alike(again: str, first: str) -> bool:
    """Whether two readings are the same but for spaces (the recognizer drops some)."""
    return again.replace(" ", "") == first.replace(" ", "")


def digits_alone(again: str, first: str) -> bool:
    """True when neither reading has a letter: a number, a date or a phone written in digits."""
    return not any(ch.isalpha() for ch in again + first) and any(ch.isdigit() for ch in again)


def same_digits(again: str, first: str) -> bool:
    """True for two readings of digits alone with the same groups of digits: brackets, dashes and
    slashes the crop took in or left out ("949) 892-6644" for "(949) 892-6644") are no
    disagreement."""
    if any(ch.isalpha() for ch in again + first):
        return False
    groups = re.findall(r"\d+", again)
    return bool(groups) and groups == re.findall(r"\d+", first)


def letters(value: str) -> str:
    return value.replace(" ", "").casefold()
