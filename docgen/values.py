"""Realistic random field values, drawn from a seeded `random.Random`.

Every value is plain printable ASCII, so tesseract's English model can emit it exactly.
"""

from __future__ import annotations

import datetime as dt
import random

FIRST_NAMES = """
James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan
Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Sandra
Mark Margaret Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol
Kevin Amanda Brian Melissa George Deborah Timothy Stephanie Ronald Rebecca Edward Sharon Jason Laura
Jeffrey Cynthia Ryan Kathy Jacob Amy Gary Angela Nicholas Shirley Eric Anna Jonathan Brenda Stephen
Pamela Larry Emma Justin Nicole Scott Helen Brandon Samantha Benjamin Katherine Samuel Christine
Gregory Debra Alexander Rachel Frank Carolyn Patrick Janet Raymond Catherine Jack Maria Dennis Heather
Jerry Diane Tyler Ruth Aaron Julie Jose Olivia Adam Joyce Nathan Virginia Henry Victoria Douglas Kelly
Zachary Lauren Peter Christina Kyle Joan Ethan Evelyn Walter Judith Noah Megan Jeremy Andrea Christian
Cheryl Keith Hannah Roger Jacqueline Terry Martha Austin Gloria Sean Teresa Gerald Ann Carl Sara Harold
Madison Dylan Frances Arthur Kathryn Lawrence Janice Jordan Jean Jesse Abigail Bryan Alice Billy Judy
Bruce Sophia Gabriel Grace Joe Denise Logan Amber Alan Doris Juan Marilyn Albert Danielle Willie Beverly
Simeone Priya Ravi Mei Hiroshi Yusuf Amara Lars Ingrid Mateo Lucia Omar Fatima Dmitri Elena Kwame Ada
""".split()  # noqa: SIM905 - word lists read and edit best as plain text

LAST_NAMES = """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams
Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz
Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson
Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray
Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins
Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero
Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant
Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez
McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford
Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer
Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels
Sharapova Okafor Lindqvist Novak Kowalski Tanaka Haddad Mensah Petrov Rossi Larsen Dubois Schneider
""".split()  # noqa: SIM905 - word lists read and edit best as plain text

STREET_NAMES = """
Ash Oak Maple Pine Cedar Elm Walnut Willow Birch Cherry Chestnut Hickory Spruce Sycamore Magnolia
Lake Hill Park River Meadow Forest Ridge Valley Spring Sunset Highland Lincoln Washington Jefferson
Madison Franklin Jackson Adams Bollinger Church Mill Main Market Union Center Prospect Grove Orchard
""".split()  # noqa: SIM905 - word lists read and edit best as plain text

STREET_SUFFIXES = (
    "St",
    "Street",
    "Ave",
    "Avenue",
    "Rd",
    "Road",
    "Dr",
    "Drive",
    "Ln",
    "Lane",
    "Blvd",
    "Ct",
    "Court",
    "Way",
    "Pl",
)

# (city, state name, state code, first zip digits) so city, state and zip agree.
CITIES: tuple[tuple[str, str, str, str], ...] = (
    ("New York City", "New York", "NY", "100"),
    ("Brooklyn", "New York", "NY", "112"),
    ("Albany", "New York", "NY", "122"),
    ("Jersey City", "New Jersey", "NJ", "073"),
    ("Newark", "New Jersey", "NJ", "071"),
    ("Boston", "Massachusetts", "MA", "021"),
    ("Springfield", "Illinois", "IL", "627"),
    ("Chicago", "Illinois", "IL", "606"),
    ("Austin", "Texas", "TX", "787"),
    ("Houston", "Texas", "TX", "770"),
    ("Dallas", "Texas", "TX", "752"),
    ("Denver", "Colorado", "CO", "802"),
    ("Phoenix", "Arizona", "AZ", "850"),
    ("Seattle", "Washington", "WA", "981"),
    ("Portland", "Oregon", "OR", "972"),
    ("San Diego", "California", "CA", "921"),
    ("Sacramento", "California", "CA", "958"),
    ("Miami", "Florida", "FL", "331"),
    ("Orlando", "Florida", "FL", "328"),
    ("Atlanta", "Georgia", "GA", "303"),
    ("Nashville", "Tennessee", "TN", "372"),
    ("Columbus", "Ohio", "OH", "432"),
    ("Detroit", "Michigan", "MI", "482"),
    ("Madison", "Wisconsin", "WI", "537"),
    ("Minneapolis", "Minnesota", "MN", "554"),
    ("Baltimore", "Maryland", "MD", "212"),
    ("Richmond", "Virginia", "VA", "232"),
    ("Washington", "District of Columbia", "DC", "200"),
    ("Raleigh", "North Carolina", "NC", "276"),
    ("Salt Lake City", "Utah", "UT", "841"),
    ("Kansas City", "Missouri", "MO", "641"),
    ("Pittsburgh", "Pennsylvania", "PA", "152"),
    ("Hartford", "Connecticut", "CT", "061"),
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# (name, doses, unit): doses are the strengths the drug is commonly prescribed in.
MEDICINES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Prednisone", ("5", "10", "20", "40"), "mg"),
    ("Lialda", ("1.2", "2.4", "4.8"), "gram"),
    ("Mesalamine", ("0.8", "1.2", "2.4"), "gram"),
    ("Amoxicillin", ("250", "500", "875"), "mg"),
    ("Lisinopril", ("5", "10", "20", "40"), "mg"),
    ("Metformin", ("500", "850", "1000"), "mg"),
    ("Atorvastatin", ("10", "20", "40", "80"), "mg"),
    ("Amlodipine", ("2.5", "5", "10"), "mg"),
    ("Omeprazole", ("10", "20", "40"), "mg"),
    ("Levothyroxine", ("25", "50", "75", "100", "125"), "mcg"),
    ("Metoprolol", ("25", "50", "100"), "mg"),
    ("Losartan", ("25", "50", "100"), "mg"),
    ("Simvastatin", ("10", "20", "40"), "mg"),
    ("Gabapentin", ("100", "300", "600"), "mg"),
    ("Hydrochlorothiazide", ("12.5", "25", "50"), "mg"),
    ("Sertraline", ("25", "50", "100"), "mg"),
    ("Montelukast", ("4", "5", "10"), "mg"),
    ("Furosemide", ("20", "40", "80"), "mg"),
    ("Pantoprazole", ("20", "40"), "mg"),
    ("Escitalopram", ("5", "10", "20"), "mg"),
    ("Rosuvastatin", ("5", "10", "20"), "mg"),
    ("Bupropion", ("150", "300"), "mg"),
    ("Tramadol", ("50", "100"), "mg"),
    ("Trazodone", ("50", "100", "150"), "mg"),
    ("Ibuprofen", ("200", "400", "600", "800"), "mg"),
    ("Cetirizine", ("5", "10"), "mg"),
    ("Azithromycin", ("250", "500"), "mg"),
    ("Ciprofloxacin", ("250", "500", "750"), "mg"),
    ("Doxycycline", ("50", "100"), "mg"),
    ("Fluoxetine", ("10", "20", "40"), "mg"),
    ("Citalopram", ("10", "20", "40"), "mg"),
    ("Warfarin", ("1", "2", "5"), "mg"),
    ("Clopidogrel", ("75",), "mg"),
    ("Tamsulosin", ("0.4",), "mg"),
    ("Meloxicam", ("7.5", "15"), "mg"),
    ("Carvedilol", ("3.125", "6.25", "12.5", "25"), "mg"),
    ("Propranolol", ("10", "20", "40"), "mg"),
    ("Cephalexin", ("250", "500"), "mg"),
    ("Naproxen", ("250", "500"), "mg"),
    ("Venlafaxine", ("37.5", "75", "150"), "mg"),
    ("Duloxetine", ("30", "60"), "mg"),
    ("Spironolactone", ("25", "50"), "mg"),
    ("Allopurinol", ("100", "300"), "mg"),
    ("Ondansetron", ("4", "8"), "mg"),
    ("Famotidine", ("20", "40"), "mg"),
    ("Sumatriptan", ("25", "50", "100"), "mg"),
    ("Valacyclovir", ("500", "1000"), "mg"),
    ("Albuterol", ("90",), "mcg"),
    ("Fluticasone", ("50", "110", "220"), "mcg"),
    ("Lactulose", ("10", "15", "20"), "ml"),
    ("Amoxicillin suspension", ("5", "10"), "ml"),
    ("Cough syrup", ("5", "10"), "ml"),
    ("Methotrexate", ("2.5", "7.5", "15"), "mg"),
)

FREQUENCIES = (
    "once daily",
    "twice daily",
    "three times a day",
    "every 8 hours",
    "every 12 hours",
    "at bedtime",
    "every morning",
    "everyday",
    "as needed for pain",
    "with meals",
)
DURATIONS = (
    "for 5 days",
    "for 7 days",
    "for 10 days",
    "for 2 weeks",
    "for 1 month",
    "for 3 months",
    "until finished",
)
EXTRA_DIRECTIONS = (
    "Finish in {w} weeks",
    "Take with food",
    "Do not drive if drowsy",
    "Avoid alcohol",
    "Drink plenty of water",
    "Stop if rash appears",
    "Follow up in {w} weeks",
    "Do not crush or chew",
)

MEDICAL_PROBLEMS = (
    "Migraine",
    "Asthma",
    "Seizures",
    "Headaches",
    "Hypertension",
    "Type 2 diabetes",
    "Eczema",
    "Back pain",
    "Arthritis",
    "Anemia",
    "Hypothyroidism",
    "Acid reflux",
    "Insomnia",
    "High cholesterol",
    "Depression",
    "Anxiety",
    "Sinusitis",
    "Gout",
    "Asthma, headaches",
    "Migraine, insomnia",
    "None",
)
ALLERGIES = (
    "Peanuts",
    "Penicillin",
    "Shellfish",
    "Latex",
    "Pollen",
    "Dust mites",
    "Cats",
    "Eggs",
    "Milk",
    "Sulfa drugs",
    "Aspirin",
    "Bee stings",
    "Tree nuts",
    "Soy",
    "Wheat",
    "Codeine",
    "Peanuts, shellfish",
    "Penicillin, latex",
    "None",
    "No known allergies",
)
REGULAR_MEDICATIONS = (
    "Triptans",
    "Ventolin inhaler",
    "Metformin",
    "Lisinopril",
    "Levothyroxine",
    "Atorvastatin",
    "Omeprazole",
    "Vitamin D",
    "Ibuprofen",
    "Sertraline",
    "Insulin",
    "Amlodipine",
    "Cetirizine",
    "Aspirin 81 mg",
    "Birth control pill",
    "Melatonin",
    "Metoprolol, aspirin",
    "None",
)

INSURER_FIRST = (
    "Random",
    "United",
    "Blue",
    "Liberty",
    "Summit",
    "Pioneer",
    "Evergreen",
    "Harbor",
    "Keystone",
    "Guardian",
    "Beacon",
    "Heritage",
    "Atlas",
    "Northstar",
    "Silverline",
    "Prairie",
    "Coastal",
    "Granite",
    "Lakeside",
    "Meridian",
)
INSURER_SECOND = (
    "Insuarance Company",
    "Insurance Company",
    "Health Insurance",
    "Mutual",
    "Health Plan",
    "Assurance",
    "Life and Health",
    "Care Insurance",
    "Medical Group",
    "Health Inc",
)

CREDENTIALS = ("M.D", "MD", "M.D.", "D.O.", "DO", "MBBS", "")


def person_name(rng: random.Random) -> str:
    """'First Last'."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def prescriber(rng: random.Random) -> str:
    """'Dr John Smith, M.D' style: title, name and an optional credential."""
    title = rng.choice(("Dr", "Dr."))
    cred = rng.choice(CREDENTIALS)
    return f"{title} {person_name(rng)}" + (f", {cred}" if cred else "")


def street(rng: random.Random) -> str:
    """'9264 Ash Dr'."""
    number = rng.choice((rng.randint(1, 99), rng.randint(100, 9999)))
    return f"{number} {rng.choice(STREET_NAMES)} {rng.choice(STREET_SUFFIXES)}"


def _city(rng: random.Random) -> tuple[str, str, str, str]:
    """(city, state, state code, 5-digit zip) that agree with each other."""
    city, state, code, prefix = rng.choice(CITIES)
    return city, state, code, prefix + f"{rng.randint(1, 99):02d}"


def city_line(rng: random.Random) -> str:
    """'New York City, 10005' or 'Jersey City, New Jersey, 07030' or 'Austin, TX 78701'."""
    city, state, code, zipcode = _city(rng)
    return rng.choice((f"{city}, {zipcode}", f"{city}, {state}, {zipcode}", f"{city}, {code} {zipcode}"))


def postal_address(rng: random.Random) -> list[str]:
    """A 2-3 line address: street, city line and optionally the country."""
    lines = [street(rng), city_line(rng)]
    if rng.random() < 0.6:
        lines.append("United States")
    return lines


def one_line_address(rng: random.Random) -> str:
    """'9 Tennis Court, Springfield, IL' - occasionally lower case, as people write it."""
    city, _state, code, _zip = _city(rng)
    text = f"{street(rng)}, {city}, {code}"
    return text.lower()[:-2] + code if rng.random() < 0.25 else text


def phone(rng: random.Random) -> str:
    """A US number in one of the formats '(737) 988-0851', '737-988-0851', '(000)-111-2222'."""
    area = f"{rng.randint(2, 9)}{rng.randint(0, 8)}{rng.randint(0, 9)}"
    exchange = f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}"
    line = f"{rng.randint(0, 9999):04d}"
    fmt = rng.choice(("({a}) {e}-{n}", "{a}-{e}-{n}", "({a})-{e}-{n}"))
    return fmt.format(a=area, e=exchange, n=line)


def random_date(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    """A uniformly random day between 1 Jan `first_year` and 31 Dec `last_year`."""
    start = dt.date(first_year, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(last_year, 12, 31).toordinal()))


DATE_FORMATS = ("dmy_pad", "dmy", "iso", "mon_d_y", "d_month_y", "mon_d_comma_y")


def format_date(day: dt.date, style: str) -> str:
    """Render `day` as '17/12/2020', '5/11/2022', '2022-03-14', 'May 6 1972', '30 December 2020'
    or 'Dec 3, 2019' (styles in DATE_FORMATS order)."""
    month = MONTHS[day.month - 1]
    return {
        "dmy_pad": f"{day.day:02d}/{day.month:02d}/{day.year}",
        "dmy": f"{day.day}/{day.month}/{day.year}",
        "iso": day.isoformat(),
        "mon_d_y": f"{month[:3]} {day.day} {day.year}" if len(month) > 5 else f"{month} {day.day} {day.year}",
        "d_month_y": f"{day.day} {month} {day.year}",
        "mon_d_comma_y": f"{month[:3]} {day.day}, {day.year}",
    }[style]


def date_text(
    rng: random.Random, first_year: int, last_year: int, styles: tuple[str, ...] = DATE_FORMATS
) -> str:
    """A random date in a random style out of `styles`."""
    return format_date(random_date(rng, first_year, last_year), rng.choice(styles))


def medicines(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` distinct (drug name, 'Prednisone 20 mg') pairs."""
    picks = rng.sample(MEDICINES, count)
    return [(name, f"{name} {rng.choice(doses)} {unit}") for name, doses, unit in picks]


def direction_for(rng: random.Random, drug: str, unit: str) -> str:
    """One direction sentence about `drug`, e.g. 'Lialda - take 2 pill everyday for 1 month'."""
    amount = rng.choice(("1", "2", "1/2"))
    form = "ml" if unit == "ml" else rng.choice(("pill", "tablet", "capsule", "tab"))
    sep = rng.choice((" - ", ", ", ": "))
    verb = rng.choice(("take", "Take"))
    return f"{drug}{sep}{verb} {amount} {form} {rng.choice(FREQUENCIES)} {rng.choice(DURATIONS)}"


def directions(rng: random.Random, meds: list[tuple[str, str]], count: int) -> list[str]:
    """`count` (1-4) direction lines: one per medicine first, then general advice."""
    lines = [direction_for(rng, name, text.rsplit(" ", 1)[1]) for name, text in meds][:count]
    while len(lines) < count:
        lines.append(rng.choice(EXTRA_DIRECTIONS).format(w=rng.choice(("1", "2", "2.5", "3", "4"))))
    return lines


def insurance_company(rng: random.Random) -> str:
    """'Random Insuarance Company'-like name."""
    return f"{rng.choice(INSURER_FIRST)} {rng.choice(INSURER_SECOND)}"


def policy_number(rng: random.Random) -> str:
    """8-12 digits, never starting with 0 (a clerk would drop a leading zero)."""
    length = rng.randint(8, 12)
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))
