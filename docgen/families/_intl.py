"""Values and printed matter of clinics outside the United States, for the held-out families.

A British, Australian, New Zealand or Irish form prints its own address shapes (a postcode or
Eircode line, a state and postcode after the suburb), phone numbers, national health numbers,
date styles and insurers. A family picks one ``Country`` per form (from its form stream) and draws
the filled-in values from ``content(rng)``, so one form is one clinic's paper filled in again:
the value functions here draw from the stream they are given, the content stream for what a
patient's copy fills in, the form's own for what the clinic printed (its telephone number).
"""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass

from docgen import values
from docgen.content import content
from docgen.families import _pd_common as pd


@dataclass(frozen=True)
class Country:
    """What differs between the countries' paperwork."""

    code: str  # "uk", "au", "nz", "ie"
    towns: tuple[tuple[str, str], ...]  # (town line as printed, postcode prefix or state)
    health_number_label: tuple[str, ...]
    insurers: tuple[str, ...]
    postcode_labels: tuple[str, ...]


COUNTRIES: dict[str, Country] = {
    "uk": Country(
        "uk",
        (
            ("Harrogate", "HG1"),
            ("Leeds", "LS6"),
            ("Sheffield", "S10"),
            ("York", "YO24"),
            ("Bristol", "BS7"),
            ("Norwich", "NR2"),
            ("Exeter", "EX4"),
            ("Leicester", "LE2"),
            ("Reading", "RG1"),
            ("Cardiff", "CF14"),
            ("Preston", "PR1"),
        ),
        ("NHS No.", "NHS number", "NHS No"),
        ("Bupa", "AXA Health", "Vitality Health", "Aviva Health", "WPA", "Simplyhealth"),
        ("Postcode", "Post code"),
    ),
    "au": Country(
        "au",
        (
            ("Ballarat VIC", "3350"),
            ("Geelong VIC", "3220"),
            ("Parramatta NSW", "2150"),
            ("Wollongong NSW", "2500"),
            ("Toowoomba QLD", "4350"),
            ("Fremantle WA", "6160"),
            ("Glenelg SA", "5045"),
            ("Launceston TAS", "7250"),
            ("Belconnen ACT", "2617"),
        ),
        ("Medicare No.", "Medicare number", "Medicare card no."),
        ("Medibank Private", "Bupa", "HCF", "nib Health Funds", "HBF Health", "Australian Unity"),
        ("Postcode", "P/code"),
    ),
    "nz": Country(
        "nz",
        (
            ("Hamilton", "3204"),
            ("Tauranga", "3110"),
            ("Palmerston North", "4410"),
            ("Nelson", "7010"),
            ("Dunedin", "9016"),
            ("Napier", "4110"),
            ("Whangarei", "0110"),
        ),
        ("NHI No.", "NHI number", "NHI"),
        ("Southern Cross Health", "nib NZ", "AIA Health", "Accuro Health"),
        ("Postcode", "Post code"),
    ),
    "ie": Country(
        "ie",
        (
            ("Ballincollig, Co. Cork", "P31"),
            ("Naas, Co. Kildare", "W91"),
            ("Athlone, Co. Westmeath", "N37"),
            ("Tralee, Co. Kerry", "V92"),
            ("Swords, Co. Dublin", "K67"),
            ("Galway", "H91"),
        ),
        ("PPS No.", "PPSN", "IHI No."),
        ("VHI Healthcare", "Laya Healthcare", "Irish Life Health", "Level Health"),
        ("Eircode",),
    ),
}

STREETS = (
    "Mill Lane",
    "Church Road",
    "Station Road",
    "High Street",
    "Kowhai Road",
    "Wattle Street",
    "Victoria Terrace",
    "Queens Parade",
    "Albert Crescent",
    "Orchard Close",
    "Bridge Street",
    "Park View",
    "Green Lane",
    "Harbour Road",
)
CREDENTIALS = ("", "", "MBBS", "MB ChB", "MRCP", "FRACP", "MB BCh BAO", "FRCP")
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr")

MONTH_ABBR = tuple(month[:3] for month in values.MONTHS)
# Date styles of these countries: day first always.
DATE_STYLES = ("dd_mon_yyyy", "d.m.yyyy", "dd/mm/yyyy", "d_month_yyyy", "dd-mon-yyyy", "dd.mm.yyyy")


def pick_country(rng: random.Random) -> Country:
    """The country of one form (drawn from the form's stream, not the content's)."""
    return COUNTRIES[rng.choice(sorted(COUNTRIES))]


def format_date(day: dt.date, style: str) -> str:
    """'03 Mar 1981', '3.3.1981', '03/03/1981', '3 March 1981', '03-Mar-1981' or '03.03.1981'."""
    mon = MONTH_ABBR[day.month - 1]
    return {
        "dd_mon_yyyy": f"{day.day:02d} {mon} {day.year}",
        "d.m.yyyy": f"{day.day}.{day.month}.{day.year}",
        "dd/mm/yyyy": f"{day.day:02d}/{day.month:02d}/{day.year}",
        "d_month_yyyy": f"{day.day} {values.MONTHS[day.month - 1]} {day.year}",
        "dd-mon-yyyy": f"{day.day:02d}-{mon}-{day.year}",
        "dd.mm.yyyy": f"{day.day:02d}.{day.month:02d}.{day.year}",
    }[style]


def _letters(rng: random.Random, count: int) -> str:
    # Postcodes leave out letters that read as digits (as the Royal Mail does).
    return "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(count))


def address(rng: random.Random, country: Country) -> tuple[str, str, str]:
    """(street line, town line, postcode) of a home in `country`."""
    number = rng.choice((rng.randint(1, 60), rng.randint(1, 250), rng.randint(1, 12)))
    street = f"{number} {rng.choice(STREETS)}"
    if rng.random() < 0.2:
        street = f"Flat {rng.randint(1, 9)}, {street}"
    town, prefix = rng.choice(country.towns)
    if country.code == "uk":
        postcode = f"{prefix} {rng.randint(1, 9)}{_letters(rng, 2)}"
    elif country.code == "ie":
        postcode = f"{prefix} {_letters(rng, 1)}{rng.randint(1, 9)}{_letters(rng, 1)}{rng.randint(1, 9)}"
    else:
        postcode = prefix
    return street, town, postcode


def address_lines(parts: tuple[str, str, str], country: Country) -> list[str]:
    """The address as one cell prints it: Australian and NZ postcodes end the town line."""
    street, town, postcode = parts
    if country.code in ("au", "nz"):
        return [street, f"{town} {postcode}"]
    return [street, town, postcode]


def phone(rng: random.Random, country: Country, mobile: bool) -> str:
    """A local mobile or landline number as the country writes it ('07700 900123', '(03) 9876 5432')."""
    digits = "".join(str(rng.randint(0, 9)) for _ in range(9))
    if country.code == "uk":
        if mobile:
            return rng.choice((f"07{digits[:3]} {digits[3:]}", f"07{digits[:3]} {digits[3:6]} {digits[6:]}"))
        return rng.choice((f"01{digits[:3]} {digits[3:]}", f"020 {digits[:4]} {digits[4:8]}"))
    if country.code == "au":
        if mobile:
            return f"04{digits[:2]} {digits[2:5]} {digits[5:8]}"
        return f"({rng.choice(('02', '03', '07', '08'))}) {digits[:4]} {digits[4:8]}"
    if country.code == "nz":
        if mobile:
            return f"02{rng.choice('1279')} {digits[:3]} {digits[3:7]}"
        return f"({rng.choice(('03', '04', '06', '07', '09'))}) {digits[:3]} {digits[3:7]}"
    if mobile:
        return f"08{rng.choice('3567')} {digits[:3]} {digits[3:7]}"
    return f"({rng.choice(('01', '021', '091', '066'))}) {digits[:3]} {digits[3:7]}"


def health_number(rng: random.Random, country: Country) -> str:
    """A national health or personal number in the country's shape (printed, never a field)."""
    digits = "".join(str(rng.randint(0, 9)) for _ in range(10))
    if country.code == "uk":
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    if country.code == "au":
        return f"{digits[:4]} {digits[4:9]} {rng.randint(1, 9)}"
    if country.code == "nz":
        return f"{''.join(rng.choice(string.ascii_uppercase) for _ in range(3))}{digits[:4]}"
    return f"{digits[:7]}{rng.choice('ABCDEFGHW')}"


def doctor(rng: random.Random) -> str:
    """'Dr Priya Patel' or 'Dr Priya Patel, MB ChB': a doctor as these countries print one."""
    credential = rng.choice(CREDENTIALS)
    name = f"Dr {values.person_name(rng)}"
    return f"{name}, {credential}" if credential else name


def consultant(rng: random.Random) -> str:
    """A consultant as a ward sheet names one: 'Mr R Haddad' (surgeons are Mr or Ms) or 'Dr L Novak'."""
    title, initial = rng.choice(("Mr", "Ms", "Dr", "Prof")), rng.choice(string.ascii_uppercase)
    return f"{title} {initial} {rng.choice(values.LAST_NAMES)}"


def place_name(country: Country, town: str) -> str:
    """The town of a town line without its county or state ('Ballarat VIC' -> 'Ballarat')."""
    place = town.split(",")[0]
    return place.rsplit(" ", 1)[0] if country.code == "au" else place


HOSPITAL_KINDS: dict[str, tuple[str, ...]] = {
    "uk": (
        "District General Hospital",
        "Royal Infirmary",
        "Teaching Hospitals NHS Trust",
        "NHS Foundation Trust",
    ),
    "au": ("Base Hospital", "Health", "Public Hospital", "District Health Service"),
    "nz": ("Hospital", "Public Hospital", "Regional Hospital"),
    "ie": ("University Hospital", "Regional Hospital", "General Hospital"),
}


def hospital(rng: random.Random, country: Country) -> str:
    """'Harrogate District General Hospital', 'Ballarat Base Hospital' (the form's own name)."""
    town = rng.choice(country.towns)[0]
    return f"{place_name(country, town)} {rng.choice(HOSPITAL_KINDS[country.code])}"


def localised_record(
    rng: random.Random, country: Country, date_style: str, omit_rate: float = 0.5
) -> tuple[pd.Record, tuple[str, str, str]]:
    """A patient record (``_pd_common.make_record``) whose address, phones, dates and insurer are
    those of `country`; fields the form leaves blank or does not print stay "". Also returns the
    address parts (street, town, postcode) for forms that print the postcode apart."""
    record = pd.make_record(rng, omit_rate=omit_rate)
    c = content(rng)
    parts = address(c, country)
    recorded = values.random_date(c, 2016, 2025)
    local = {
        "address": address_lines(parts, country),
        "phone_number": [phone(c, country, mobile=c.random() < 0.6)],
        "emergency_contact_phone": [phone(c, country, mobile=c.random() < 0.7)],
        "birth_date": [format_date(values.random_date(c, 1930, 2010), date_style)],
        "record_date": [format_date(recorded, date_style)],
        "insurance_expiry": [
            format_date(values.random_date(c, recorded.year, recorded.year + 3), date_style)
        ],
        "insurance_company": [c.choice(country.insurers)],
    }
    for name, lines in local.items():
        if record.truth[name]:
            set_lines(record, name, lines)
    if record.truth["has_medical_insurance"] == "No":  # no insurer to name on these forms
        for name in ("insurance_company", "policy_number", "insurance_expiry"):
            set_lines(record, name, [])
    return record, parts


def set_lines(record: pd.Record, name: str, lines: list[str]) -> None:
    """Print `lines` for field `name` and make them its truth."""
    record.lines[name] = lines
    record.truth[name] = "\n".join(lines)


PRACTICE_KINDS = ("Surgery", "Medical Practice", "Family Medical Centre", "Health Centre", "Medical Centre")


def practice(rng: random.Random, country: Country) -> str:
    """A general practice: 'Mill Lane Surgery' or 'Ballarat Family Medical Centre'."""
    if rng.random() < 0.5:
        return f"{rng.choice(STREETS)} {rng.choice(PRACTICE_KINDS)}"
    return f"{place_name(country, rng.choice(country.towns)[0])} {rng.choice(PRACTICE_KINDS)}"
