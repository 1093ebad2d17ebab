"""Values as verified, read into one form for export: dates as ISO 8601, phones as E.164. Pure.

A verified value stays as the clerk verified it (as printed); its normalised form goes beside it
(``<field>__normalised`` in the export). Which fields are normalised follows their kind in the
document type (``kind = "date"`` / ``"phone"``).

Never a guess. A numeric date whose day and month could be either way round ("5/11/2022") is read
in the deployment's order (``MEDEXTRACT_DATE_ORDER`` = DMY or MDY); without one it is left empty
with a note saying why. A reading only one order allows ("17/12/2020": there is no month 17) is
the date whatever the setting. A two-digit year ("5/11/22") prints no century and is left empty
too, as is anything that is no date. A phone is read for the deployment's region
(``MEDEXTRACT_PHONE_REGION``, default US) unless it starts with +; one too short or too long for
it is left empty with a note.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

import phonenumbers

from medextract import config
from medextract.config import DATE_ORDER_ENV, DATE_ORDERS, DEFAULT_PHONE_REGION, PHONE_REGION_ENV

NORMALISED_KINDS = frozenset({"date", "phone"})
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100  # as the engine's date check (extraction.validate)
# Readings kept per (value, setting): pure functions of them, and a claims system polling the
# records asks for the same values on every call
CACHED = 4096


@dataclass(frozen=True)
class Settings:
    """The deployment's rules: ``date_order`` "DMY", "MDY" or None (an either-way date is left
    empty); ``phone_region`` an ISO 3166 region a number without + belongs to, or "" (none)."""

    date_order: str | None = None
    phone_region: str = DEFAULT_PHONE_REGION


@dataclass(frozen=True)
class Normalised:
    """A value's normalised form, or ``value`` "" and ``note`` saying why there is none."""

    value: str
    note: str = ""


EMPTY = Normalised("")


def settings() -> Settings:
    """The deployment's settings (``medextract.config``: MEDEXTRACT_DATE_ORDER, MEDEXTRACT_PHONE_REGION)."""
    return Settings(config.date_order(), config.phone_region())


def normalise(kind: str, value: str, rules: Settings) -> Normalised | None:
    """``value`` normalised for a field of ``kind``; None for a kind that is exported as is."""
    if kind == "date":
        return normalise_date(value, rules.date_order)
    if kind == "phone":
        return normalise_phone(value, rules.phone_region)
    return None


# ---- dates --------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+"
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4}|\d{2})"
_SEP = r"\s*[-/.]\s*"
_ISO = re.compile(rf"(?P<year>\d{{4}}){_SEP}(?P<month>\d{{1,2}}){_SEP}(?P<day>\d{{1,2}})")
_NUMERIC = re.compile(rf"(?P<first>\d{{1,2}}){_SEP}(?P<second>\d{{1,2}}){_SEP}{_YEAR}")
_NAMED = (
    # May 6 1972, May 6, 1972, Sept. 6th, 1972, May-06-1972
    re.compile(rf"(?P<month>[a-z]+)\.?[\s.-]*(?P<day>\d{{1,2}}){_ORDINAL}(?:,\s*|[\s.-]+){_YEAR}"),
    # 6 May 1972, 06-May-1972, 6th of May, 1972, 17.Dec.2020
    re.compile(rf"(?P<day>\d{{1,2}}){_ORDINAL}(?:\s+of)?[\s.-]*(?P<month>[a-z]+)\.?(?:,\s*|[\s.-]+){_YEAR}"),
    # 1972 May 6, 1972-May-06
    re.compile(rf"(?P<year>\d{{4}})[\s.-]+(?P<month>[a-z]+)\.?[\s.-]+(?P<day>\d{{1,2}}){_ORDINAL}"),
)
NOT_A_DATE = "not a date that can be read"
TWO_DIGIT_YEAR = "two-digit year: the century is not printed"


@functools.lru_cache(maxsize=CACHED)
def normalise_date(value: str, order: str | None) -> Normalised:
    """``value`` as YYYY-MM-DD, or "" with a note (module docstring: the rules)."""
    text = " ".join(value.split()).strip(" ,;:.").lower()
    if not text:
        return EMPTY
    text = re.sub(rf"^{_WEEKDAY}", "", text)
    if found := _ISO.fullmatch(text):
        return _ymd(int(found["year"]), int(found["month"]), int(found["day"]))
    if found := _NUMERIC.fullmatch(text):
        return _numeric(int(found["first"]), int(found["second"]), found["year"], order)
    for pattern in _NAMED:
        if found := pattern.fullmatch(text):
            month = MONTHS.get(found["month"])
            if month is None:
                return Normalised("", f"{found['month']!r} is not a month")
            if len(found["year"]) != 4:
                return Normalised("", TWO_DIGIT_YEAR)
            return _ymd(int(found["year"]), month, int(found["day"]))
    return Normalised("", NOT_A_DATE)


def _ymd(year: int, month: int, day: int) -> Normalised:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return Normalised("", f"the year {year} is implausible")
    try:
        return Normalised(date(year, month, day).isoformat())
    except ValueError:
        return Normalised("", f"there is no day {day} of month {month} in {year}")


def _numeric(first: int, second: int, year_text: str, order: str | None) -> Normalised:
    """A date printed as numbers only: which way round is day and month?"""
    if len(year_text) != 4:
        return Normalised("", TWO_DIGIT_YEAR)
    year = int(year_text)
    readings = {"DMY": _ymd(year, second, first), "MDY": _ymd(year, first, second)}
    valid = {name: r.value for name, r in readings.items() if r.value}
    if not valid:
        implausible = readings["DMY"].note if "implausible" in readings["DMY"].note else ""
        return Normalised("", implausible or "no such date, whether day or month comes first")
    if len(set(valid.values())) == 1:  # one order only, or both the same day (5/5/2020)
        return Normalised(next(iter(valid.values())))
    if order in valid:
        return Normalised(valid[order])
    dmy, mdy = (date.fromisoformat(valid[name]) for name in DATE_ORDERS)
    return Normalised(
        "",
        f"day and month could be either way round ({_spoken(dmy)} or {_spoken(mdy)}); "
        f"the deployment sets no order ({DATE_ORDER_ENV}=DMY or MDY)",
    )


def _spoken(day: date) -> str:
    return f"{day.day} {day.strftime('%b')} {day.year}"


# ---- phones -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=CACHED)
def normalise_phone(value: str, region: str) -> Normalised:
    """``value`` as E.164 (+17379880851), an extension after ";ext=" (as in a tel: URI), or ""
    with a note. A number without + is read as one of ``region``."""
    text = value.strip()
    if not text:
        return EMPTY
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE and not region:
            return Normalised("", f"no +country code, and the deployment sets no region ({PHONE_REGION_ENV})")
        return Normalised("", "not a phone number that can be read")
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        return Normalised("", "a local number: its area code is not printed")
    if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
        where = phonenumbers.region_code_for_country_code(number.country_code)
        return Normalised("", f"too few or too many digits for a number of {where}")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Normalised(f"{e164};ext={number.extension}" if number.extension else e164)
