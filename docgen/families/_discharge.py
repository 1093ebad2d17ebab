"""The values written on a discharge medication list (``rx_discharge_medications``): the
prescription's fields, the identifiers and dates printed beside them, and the cells of the
table's extra columns, all drawn from the stream given (the content stream in the family).
"""

from __future__ import annotations

import datetime as dt
import random

from docgen import values
from docgen.content import content
from docgen.document import BLANK_RATE
from docgen.families import _intl as intl
from docgen.families import _rx_common as rx

WARDS = ("Ward 12", "Elm Ward", "AMU", "Ward 4B", "Coronary Care", "Surgical 2", "Oak Ward", "SAU")
FREQUENCIES = (
    "once daily",
    "twice daily",
    "three times daily",
    "at night",
    "in the morning",
    "when required",
    "BD",
    "TDS",
    "OD",
    "nocte",
    "PRN",
    "every 6 hours when required",
)
FOLLOW_UPS = (
    "GP review in 2 weeks. Please check renal function.",
    "Outpatient clinic in 6 weeks; appointment will be posted.",
    "GP to review blood pressure in 1 week.",
    "No hospital follow-up. Discharged to GP care.",
    "Repeat bloods with practice nurse in 10 days.",
)
STOPPED_REASONS = ("AKI", "low blood pressure", "fall risk", "no longer indicated", "GI bleed")


def directions(rng: random.Random, unit: str, drug: str) -> str:
    """A direction cell as a ward doctor writes it: '1 tablet BD', '2 puffs when required'."""
    if unit == "ml":
        amount = f"{rng.choice((5, 10, 15))} ml"
    elif unit == "mcg" and drug in ("Albuterol", "Fluticasone"):
        amount = rng.choice(("1 puff", "2 puffs"))
    else:
        amount = rng.choice(("1 tablet", "1 tab", "2 tablets", "1 capsule", "1 cap"))
    return f"{amount} {rng.choice(FREQUENCIES)}"


def cell(rng: random.Random, kind: str, unit: str, drug: str) -> str:
    """An extra column's cell for one medicine."""
    if kind == "route":
        if drug in ("Albuterol", "Fluticasone"):
            return rng.choice(("Inhaled", "INH"))
        return rng.choice(("Oral", "PO", "oral"))
    if kind == "duration":
        return rng.choice(("7 days", "5 days", "Continue", "Ongoing", "14 days", "Regular", "Until review"))
    if kind == "qty":
        return rng.choice(("28", "14", "56", "7 days", "1 pack", "30")) if unit != "ml" else "1 bottle"
    return rng.choice(("New", "Changed", "Continued", "NEW", "Unchanged"))


def dates(rng: random.Random, style: str) -> tuple[str, str, str, str]:
    """(prescription, admission, discharge, birth) dates in one style: the list is written on the
    day of discharge or the day before, some days after admission."""
    rng = content(rng)
    written = values.random_date(rng, 2016, 2025)
    admitted = written - dt.timedelta(days=rng.randint(1, 21))
    discharged = written + dt.timedelta(days=rng.choice((0, 0, 1)))
    born = values.random_date(rng, 1930, 2005)
    return tuple(intl.format_date(day, style) for day in (written, admitted, discharged, born))  # type: ignore[return-value]


def discharge_values(
    rng: random.Random, country: intl.Country, style: str, sticker: bool
) -> tuple[rx.Rx, dict[str, str]]:
    """The prescription's values, and the identifiers printed beside them (no fields)."""
    c = content(rng)
    written, admitted, discharged, born = dates(c, style)
    meds = values.medicines(c, c.randint(2, 6))
    parts = intl.address(c, country)
    if c.random() < BLANK_RATE:
        address: list[str] = []
    else:
        lines = intl.address_lines(parts, country)
        address = [", ".join(lines)] if sticker else lines
    rx_values = rx.Rx(
        prescriber=intl.doctor(c),
        patient_name=values.person_name(c),
        date=written,
        address=address,
        meds=meds,
        directions=[directions(c, text.rsplit(" ", 1)[1], name) for name, text in meds],
        refills=str(c.choice((0, 0, 0, 1, 2, 3, 5))),
    )
    ids = {
        "number": str(c.randint(1000000, 99999999)),
        "health": intl.health_number(c, country),
        "admitted": admitted,
        "discharged": discharged,
        "born": born,
        "ward": c.choice(WARDS),
        "consultant": intl.consultant(c),
        "sex": c.choice(("M", "F", "Male", "Female")),
        "allergies": c.choice(("NKDA", "No known drug allergies", "Penicillin (rash)", "Codeine - vomiting")),
    }
    return rx_values, ids
