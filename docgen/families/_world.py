"""Values of clinics in Canada, India, South Africa, Singapore, the Philippines and Kenya, for
tuning families.

The held-out families draw British, Australian, New Zealand and Irish paperwork (``_intl``); the
tuning side drew only United States values, so the engine had never been fitted to a phone number
with a country code, a postcode before the town or a date written "03.12.2026". These countries
are others, so what the engine learns from them is tested on countries it was not tuned on.

A form is one clinic's paper: ``pick_region`` draws from the form's stream; the values of one
copy (names, numbers, dates) from the stream given, the content stream of the document.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from docgen import values


@dataclass(frozen=True)
class Region:
    """What differs between the countries' paperwork."""

    code: str
    given_names: tuple[str, ...]
    family_names: tuple[str, ...]
    streets: tuple[str, ...]
    towns: tuple[str, ...]  # town lines as printed, before or after the postcode per `address`
    insurers: tuple[str, ...]
    date_styles: tuple[str, ...]


REGIONS: dict[str, Region] = {
    "ca": Region(
        "ca",
        ("Chloe", "Liam", "Amelie", "Noah", "Gabrielle", "Ethan", "Manon", "Owen", "Harpreet", "Mei"),
        ("Tremblay", "Gagnon", "Roy", "Cote", "Bouchard", "MacDonald", "Singh", "Wong", "Leblanc"),
        ("Rue Saint-Denis", "Queen St W", "Yonge Street", "Portage Ave", "Jasper Avenue", "Rue Sherbrooke"),
        ("Toronto ON", "Montreal QC", "Winnipeg MB", "Edmonton AB", "Halifax NS", "Ottawa ON"),
        ("Sun Life Financial", "Manulife", "Blue Cross", "Canada Life", "Desjardins Insurance"),
        ("iso", "mon_d_comma_y", "yyyy/mm/dd"),
    ),
    "in": Region(
        "in",
        ("Priya", "Arjun", "Lakshmi", "Rahul", "Ananya", "Vikram", "Deepa", "Suresh", "Kavya", "Imran"),
        ("Raghunathan", "Sharma", "Iyer", "Patel", "Reddy", "Nair", "Banerjee", "Khan", "Menon", "Joshi"),
        ("12th Cross, Indiranagar", "MG Road", "Anna Salai", "Linking Road, Bandra", "Park Street"),
        ("Bengaluru", "Chennai", "Mumbai", "Kolkata", "Hyderabad", "Pune"),
        ("Star Health", "HDFC ERGO", "Niva Bupa", "ICICI Lombard", "Care Health Insurance"),
        ("dd-mm-yyyy", "dd/mm/yyyy", "d_mon_yyyy"),
    ),
    "za": Region(
        "za",
        ("Thabo", "Naledi", "Pieter", "Annelie", "Sipho", "Zanele", "Johan", "Lerato", "Ayesha", "Kagiso"),
        ("Nkosi", "van der Merwe", "Dlamini", "Botha", "Mokoena", "Naidoo", "Pretorius", "Khumalo"),
        ("Kloof Street", "Jan Smuts Avenue", "Voortrekker Road", "Florida Road", "Church Street"),
        ("Cape Town", "Johannesburg", "Durban", "Pretoria", "Bloemfontein", "Gqeberha"),
        ("Discovery Health", "Bonitas", "Momentum Health", "Medshield", "Bestmed"),
        ("yyyy/mm/dd", "d_month_yyyy", "dd.mm.yyyy"),
    ),
    "sg": Region(
        "sg",
        ("Wei Ling", "Jun Jie", "Hui Min", "Muhammad", "Siti", "Rajesh", "Mei Xin", "Kumar", "Jia Hui"),
        ("Tan", "Lim", "Ng", "Ong", "Goh", "Abdullah", "Chua", "Pillai", "Teo", "Koh"),
        ("Tampines St 11", "Ang Mo Kio Ave 3", "Jurong West St 42", "Bedok North Rd", "Toa Payoh Lor 1"),
        ("Singapore",),
        ("Great Eastern", "Prudential", "AIA Singapore", "Income Insurance", "Raffles Health Insurance"),
        ("dd-mon-yyyy", "dd/mm/yyyy", "d_mon_yyyy"),
    ),
    "ph": Region(
        "ph",
        ("Maria Cristina", "Jose", "Angelica", "Mark Anthony", "Rowena", "Jerome", "Kristine", "Ramon"),
        ("Santos", "Reyes", "Dela Cruz", "Bautista", "Villanueva", "Mendoza", "Garcia", "Aquino"),
        ("Mabini St", "Rizal Avenue", "Ortigas Ave", "Katipunan Ave", "Shaw Blvd"),
        ("Pasig City", "Quezon City", "Makati City", "Cebu City", "Davao City"),
        ("PhilHealth", "Maxicare", "Intellicare", "Medicard", "Pacific Cross"),
        ("mon_d_comma_y", "mm/dd/yyyy", "d_month_yyyy"),
    ),
    "ke": Region(
        "ke",
        ("Wanjiru", "Otieno", "Akinyi", "Kamau", "Njeri", "Mutua", "Chebet", "Omondi", "Achieng", "Kiprop"),
        ("Mwangi", "Odhiambo", "Kariuki", "Wafula", "Njoroge", "Kiplagat", "Onyango", "Mutiso"),
        ("Ngong Road", "Moi Avenue", "Kenyatta Avenue", "Oginga Odinga St", "Argwings Kodhek Rd"),
        ("Nairobi", "Mombasa", "Kisumu", "Nakuru", "Eldoret"),
        ("SHA", "Jubilee Health", "AAR Insurance", "Britam", "CIC Insurance"),
        ("dd/mm/yyyy", "d_mon_yyyy", "dd.mm.yyyy"),
    ),
}


def pick_region(rng: random.Random) -> Region:
    """The country of one form (drawn from the form's stream, not the content's)."""
    return REGIONS[rng.choice(sorted(REGIONS))]


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(count))


def format_date(day: dt.date, style: str) -> str:
    """A date in one of the styles these countries print ('2026/12/03', '03-Dec-2026', ...)."""
    mon = values.MONTHS[day.month - 1][:3]
    own = {
        "yyyy/mm/dd": f"{day.year}/{day.month:02d}/{day.day:02d}",
        "dd-mm-yyyy": f"{day.day:02d}-{day.month:02d}-{day.year}",
        "dd/mm/yyyy": f"{day.day:02d}/{day.month:02d}/{day.year}",
        "mm/dd/yyyy": f"{day.month:02d}/{day.day:02d}/{day.year}",
        "dd.mm.yyyy": f"{day.day:02d}.{day.month:02d}.{day.year}",
        "dd-mon-yyyy": f"{day.day:02d}-{mon}-{day.year}",
        "d_mon_yyyy": f"{day.day} {mon} {day.year}",
        "d_month_yyyy": f"{day.day} {values.MONTHS[day.month - 1]} {day.year}",
    }
    return own[style] if style in own else values.format_date(day, style)


def person(rng: random.Random, region: Region) -> str:
    return f"{rng.choice(region.given_names)} {rng.choice(region.family_names)}"


def phone(rng: random.Random, region: Region, mobile: bool) -> str:
    """A mobile or landline number as the country writes it, now and then with its country code."""
    code = {"ca": "1", "in": "91", "za": "27", "sg": "65", "ph": "63", "ke": "254"}[region.code]
    international = rng.random() < 0.35
    if region.code == "ca":
        area, rest = f"{rng.choice(('416', '514', '204', '780', '902', '613'))}", _digits(rng, 7)
        if international:
            return f"+1 {area} {rest[:3]} {rest[3:]}"
        return rng.choice(
            (
                f"({area}) {rest[:3]}-{rest[3:]}",
                f"{area}.{rest[:3]}.{rest[3:]}",
                f"{area} {rest[:3]} {rest[3:]}",
            )
        )
    if region.code == "in":
        if mobile:
            number = f"{rng.choice('6789')}{_digits(rng, 9)}"
            local = f"{number[:5]} {number[5:]}"
            return f"+91 {local}" if international else rng.choice((local, f"0{local}", number))
        area = rng.choice(("80", "44", "22", "33"))
        rest = _digits(rng, 8)
        return f"+91 {area} {rest}" if international else f"0{area}-{rest[:4]} {rest[4:]}"
    if region.code == "za":
        prefix = rng.choice(("82", "83", "72", "61")) if mobile else rng.choice(("21", "11", "31", "12"))
        rest = _digits(rng, 7)
        if international:
            return f"+27 {prefix} {rest[:3]} {rest[3:]}"
        return (
            f"0{prefix} {rest[:3]} {rest[3:]}"
            if mobile or rng.random() < 0.5
            else f"(0{prefix}) {rest[:3]} {rest[3:]}"
        )
    if region.code == "sg":
        number = f"{rng.choice('89') if mobile else '6'}{_digits(rng, 7)}"
        return f"+65 {number[:4]} {number[4:]}" if international else f"{number[:4]} {number[4:]}"
    if region.code == "ph":
        if mobile:
            number = f"9{_digits(rng, 9)}"
            return (
                f"+63 {number[:3]} {number[3:6]} {number[6:]}"
                if international
                else f"0{number[:3]} {number[3:6]} {number[6:]}"
            )
        rest = _digits(rng, 8)
        return f"+63 2 {rest[:4]} {rest[4:]}" if international else f"(02) {rest[:4]} {rest[4:]}"
    number = f"7{_digits(rng, 8)}" if mobile else f"20{_digits(rng, 7)}"
    if international:
        return f"+{code} {number[:3]} {number[3:6]} {number[6:]}"
    return rng.choice((f"0{number[:3]} {number[3:6]} {number[6:]}", f"0{number[:3]} {number[3:]}"))


def address_lines(rng: random.Random, region: Region) -> list[str]:
    """A home address in the country's shape, one to three lines."""
    number = rng.choice((rng.randint(1, 60), rng.randint(1, 250)))
    street = f"{number} {rng.choice(region.streets)}"
    town = rng.choice(region.towns)
    if region.code == "ca":
        letters = "ABCEGHJKLMNPRSTVXY"
        postal = "{}{}{} {}{}{}".format(
            *(rng.choice(letters) if i % 2 == 0 else rng.randint(0, 9) for i in range(6))
        )
        return [street, f"{town} {postal}"]
    if region.code == "in":
        building = rng.choice(("Lakshmi Residency", "Sai Enclave", "Green Park Apts"))
        flat = f"Flat {rng.randint(1, 12)}{rng.choice('ABC')}, {building}"
        return [flat, street, f"{town} {rng.randint(400001, 700099)}"]
    if region.code == "za":
        return [
            street,
            rng.choice(("Gardens", "Rosebank", "Morningside", "Hatfield", "Observatory")),
            f"{town} {rng.randint(1000, 9999)}",
        ]
    if region.code == "sg":
        return [
            f"Blk {rng.randint(100, 999)} {rng.choice(region.streets)}",
            f"#{rng.randint(2, 19):02d}-{rng.randint(1, 99):02d}",
            f"Singapore {_digits(rng, 6)}",
        ]
    if region.code == "ph":
        barangay = rng.choice(("Brgy. San Antonio", "Brgy. Kapitolyo", "Brgy. Loyola Heights"))
        return [f"{street}, {barangay}", f"{town} {rng.randint(1000, 9999)}"]
    return [f"P.O. Box {rng.randint(100, 99999)}-00{rng.randint(100, 900)}", f"{street}, {town}"]


def policy_number(rng: random.Random, region: Region) -> str:
    """A member or policy number in an insurer's shape of the country."""
    shapes = {
        "ca": lambda: f"{_digits(rng, 3)}-{_digits(rng, 5)}-{_digits(rng, 2)}",
        "in": lambda: f"P/{_digits(rng, 6)}/01/{rng.randint(2019, 2026)}/{_digits(rng, 6)}",
        "za": lambda: f"{_digits(rng, 9)}",
        "sg": lambda: f"{rng.choice(('GE', 'PRU', 'AIA'))}{_digits(rng, 8)}",
        "ph": lambda: f"{_digits(rng, 2)}-{_digits(rng, 9)}-{_digits(rng, 1)}",
        "ke": lambda: f"{rng.choice(('JH', 'AAR', 'BRT'))}/{_digits(rng, 6)}",
    }
    return shapes[region.code]()
