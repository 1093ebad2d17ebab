"""A pathology laboratory results report: neither a prescription nor a patient record.

It prints what both types print - the patient's name and date of birth, an address, a doctor
("Requesting doctor"), several dates, clinical details that may name a medicine and its dose -
around a table of test results with units, reference ranges and high/low flags.
"""

from __future__ import annotations

import datetime as dt
import random

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.content import content
from docgen.families import _intl as intl
from docgen.families import _rx_common as rx

FAMILY = "other_lab_report"
DOC_TYPE = "unknown"
DESCRIPTION = (
    "pathology laboratory report (UK/AU/NZ/IE): patient name, DOB, requesting doctor, collected / "
    "received / reported dates, Test | Result | Units | Reference range | Flag table, authorised by"
)

TITLES = (
    "LABORATORY REPORT",
    "Pathology Report",
    "Blood Sciences Report",
    "FINAL REPORT",
    "Pathology Results",
)
LAB_KINDS = (
    "Pathology",
    "Pathology Services",
    "Diagnostic Laboratories",
    "Medical Laboratory",
    "Blood Sciences",
)
# (panel, [(test, units, low, high, decimals)]): reference ranges as adult labs print them.
PANELS: tuple[tuple[str, tuple[tuple[str, str, float, float, int], ...]], ...] = (
    (
        "Full blood count",
        (
            ("Haemoglobin", "g/L", 130, 175, 0),
            ("White cell count", "x10^9/L", 4.0, 11.0, 1),
            ("Platelets", "x10^9/L", 150, 400, 0),
            ("MCV", "fL", 80, 100, 0),
            ("Neutrophils", "x10^9/L", 2.0, 7.5, 1),
        ),
    ),
    (
        "Urea and electrolytes",
        (
            ("Sodium", "mmol/L", 133, 146, 0),
            ("Potassium", "mmol/L", 3.5, 5.3, 1),
            ("Urea", "mmol/L", 2.5, 7.8, 1),
            ("Creatinine", "umol/L", 59, 104, 0),
            ("eGFR", "mL/min/1.73m2", 90, 120, 0),
        ),
    ),
    (
        "Liver function tests",
        (
            ("Bilirubin", "umol/L", 0, 21, 0),
            ("ALT", "U/L", 0, 40, 0),
            ("Alkaline phosphatase", "U/L", 30, 130, 0),
            ("Albumin", "g/L", 35, 50, 0),
        ),
    ),
    (
        "Lipid profile",
        (
            ("Total cholesterol", "mmol/L", 0, 5.0, 1),
            ("HDL cholesterol", "mmol/L", 1.0, 2.2, 2),
            ("LDL cholesterol", "mmol/L", 0, 3.0, 1),
            ("Triglycerides", "mmol/L", 0, 1.7, 1),
        ),
    ),
    ("Thyroid function", (("TSH", "mU/L", 0.27, 4.2, 2), ("Free T4", "pmol/L", 12, 22, 1))),
    ("Diabetes", (("HbA1c", "mmol/mol", 20, 41, 0), ("Fasting glucose", "mmol/L", 3.0, 6.0, 1))),
    ("Inflammatory markers", (("CRP", "mg/L", 0, 5, 0), ("ESR", "mm/hr", 1, 20, 0))),
)
CLINICAL = (
    "Tired all the time. ?anaemia",
    "Annual diabetic review. On {med}.",
    "Routine monitoring, on {med}.",
    "Pre-op bloods.",
    "Abdominal pain, ?gallstones",
    "Started {med} 6 weeks ago - please check renal function.",
)
DOCTOR_LABELS = (
    "Requesting doctor",
    "Requested by",
    "Referring doctor",
    "Ordered by",
    "Requesting clinician",
)


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _result(rng: random.Random, low: float, high: float, decimals: int) -> tuple[str, str]:
    """A result and its flag: mostly inside the range, now and then high or low."""
    floor = 0.35 * high if low == 0 else low  # "< 5.0": a result is seldom near nothing
    span = high - floor
    out_of_range = rng.random() < 0.3
    value = rng.uniform(floor - 0.25 * span, high + 0.35 * span) if out_of_range else rng.uniform(floor, high)
    value = max(value, 0.1 if decimals else 1)
    text = _fmt(value, decimals)
    flag = "H" if float(text) > high else ("L" if float(text) < low and low > 0 else "")
    return text, flag


def _range(low: float, high: float, decimals: int) -> str:
    return f"< {_fmt(high, decimals)}" if low == 0 else f"{_fmt(low, decimals)} - {_fmt(high, decimals)}"


def _header(page: Page, rng: random.Random, country: intl.Country, left: int, right: int) -> int:
    """The laboratory's name, address and accreditation line, and the report title."""
    y = page.px(rng.uniform(0.5, 0.75))
    big = page.font(bold=True, scale=rng.uniform(1.2, 1.5), family=page.style.label)
    small = page.font(bold=False, scale=0.78, family=page.style.label)
    town = rng.choice(country.towns)[0]
    lab = f"{intl.place_name(country, town)} {rng.choice(LAB_KINDS)}"
    y += big.size
    page.text(left, y, lab, big)
    page.text(
        right, y, rng.choice(TITLES), page.font(bold=True, scale=1.1, family=page.style.label), align="right"
    )
    y += page.line_step(small)
    page.text(left, y, f"{rng.choice(intl.STREETS)}, {town}   Tel {intl.phone(rng, country, False)}", small)
    y += page.line_step(small)
    page.text(
        left, y, rng.choice(("Accredited laboratory", "NATA / ISO 15189 accredited", "UKAS 8012")), small
    )
    y += page.px(0.12)
    page.rule(left, right, y, rng.choice((0.8, 1.5)))
    return y + page.px(0.3)


def _patient(page: Page, rng: random.Random, country: intl.Country, left: int, right: int, y: int) -> int:
    """Patient and request details in two columns of 'Label: value'; returns y below."""
    c = content(rng)
    style = rng.choice(intl.DATE_STYLES)
    collected = values.random_date(c, 2016, 2025)
    time = f"{c.randint(7, 16):02d}:{c.randint(0, 59):02d}"
    left_rows = [
        (rng.choice(("Patient:", "Name:", "Patient name:")), values.person_name(c)),
        (
            rng.choice(("DOB:", "Date of birth:", "D.O.B.:")),
            intl.format_date(values.random_date(c, 1935, 2010), style),
        ),
        ("Sex:", c.choice(("M", "F"))),
        (rng.choice(("MRN:", "Hospital No:", "URN:")), str(c.randint(1000000, 9999999))),
    ]
    if rng.random() < 0.5:
        left_rows.append(("Address:", ", ".join(intl.address_lines(intl.address(c, country), country))))
    right_rows = [
        (rng.choice(DOCTOR_LABELS) + ":", intl.doctor(c)),
        (
            rng.choice(("Collected:", "Date collected:", "Specimen taken:")),
            f"{intl.format_date(collected, style)} {time}",
        ),
        ("Received:", intl.format_date(collected, style)),
        ("Reported:", intl.format_date(collected + dt.timedelta(days=c.randint(0, 2)), style)),
        (
            rng.choice(("Lab No:", "Accession No:", "Specimen No:")),
            f"{c.randint(10, 25)}-{c.randint(100000, 999999)}",
        ),
    ]
    label = page.font(bold=True, scale=0.88, family=page.style.label)
    value = page.font(bold=False, scale=0.95, family=page.style.label)  # all of it printed by the lab
    step = round(page.line_step(value) * 1.1)
    middle = left + round((right - left) * 0.5)
    for x, x_end, rows in ((left, middle - page.px(0.2), left_rows), (middle, right, right_rows)):
        base = y
        for text, answer in rows:
            rx.labelled(page, x, base, text, answer, label, value, x_end)
            base += step
    y += step * max(len(left_rows), len(right_rows)) + page.px(0.1)
    if rng.random() < 0.8:
        med = values.medicines(c, 1)[0][1]
        rx.labelled(
            page, left, y, "Clinical details:", c.choice(CLINICAL).format(med=med), label, value, right
        )
        y += step
    return y + page.px(0.15)


def _results(page: Page, rng: random.Random, left: int, right: int, y: int) -> int:
    """Panels of results under their names: Test | Result | Flag | Units | Reference range."""
    c = content(rng)
    head = page.font(bold=True, scale=0.9, family=page.style.label)
    xs = [left] + [left + round((right - left) * f) for f in (0.38, 0.52, 0.6, 0.76)]
    scale = rng.uniform(0.88, 0.98)
    cell = page.font(bold=False, scale=scale, family=page.style.label)
    flagged = page.font(bold=True, scale=scale, family=page.style.label)  # out of range: in bold
    step = round(page.line_step(cell) * rng.uniform(1.0, 1.25))
    heads = ["Test", "Result", "Flag", "Units", rng.choice(("Reference range", "Ref. range", "Normal range"))]
    for x, text in zip(xs, heads, strict=True):
        page.text(x, y, text, head)
    page.rule(left, right, y + page.px(0.07), 0.8)
    y += round(step * 1.3)
    for panel, tests in rng.sample(PANELS, rng.randint(2, 4)):
        page.text(left, y, panel.upper() if rng.random() < 0.5 else panel, head)
        y += step
        for test, units, low, high, decimals in tests:
            result, flag = _result(c, low, high, decimals)
            row = [test, result, flag, units, _range(low, high, decimals)]
            for i, (x, text) in enumerate(zip(xs, row, strict=True)):
                indent = page.px(0.15) if i == 0 else 0
                page.text(x + indent, y, text, flagged if flag and i in (1, 2) else cell)
            y += step
        y += step // 2
    return y


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    country = intl.pick_country(rng)
    page = Page(dpi, pick_style(rng))
    left = page.px(rng.uniform(0.55, 0.85))
    right = page.image.width - page.px(rng.uniform(0.55, 0.85))
    y = _header(page, rng, country, left, right)
    y = _patient(page, rng, country, left, right, y)
    page.rule(left, right, y - page.px(0.1), 0.5)
    y = _results(page, rng, left, right, y + page.px(0.15))
    small = page.font(bold=False, scale=0.8, family=page.style.label)
    role = rng.choice(("Biomedical Scientist", "Consultant Chemical Pathologist", "Senior Scientist"))
    signer = f"{values.person_name(content(rng))}, {role}"
    y += page.px(0.2)
    page.text(left, y, f"{rng.choice(('Authorised by', 'Validated by', 'Checked by'))}: {signer}", small)
    page.text(
        (left + right) // 2,
        page.image.height - page.px(0.5),
        "*** End of report ***  Page 1 of 1",
        small,
        align="center",
    )
    return {}, [page.image]
