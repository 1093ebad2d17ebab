"""A fax cover sheet sent in front of a document, as forms reach an insurer from clinics.

The sheet names the sending clinic, To / From / Fax / Phone / Date / Re / Pages, has the usual
boxes (Urgent, For review, Please reply), a line of comments and a confidentiality notice. Its
date, phone and fax numbers, sender and "Re:" line (often the patient's name) are none of the
fields of the document behind it: the truth is the document's alone.
"""

from __future__ import annotations

import datetime as dt
import random
from types import ModuleType

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.content import content
from docgen.families import _pd_common as pd

TITLES = ("FAX", "Fax Cover Sheet", "FACSIMILE TRANSMITTAL", "FAX TRANSMISSION", "Fax")
RECIPIENTS = ("Claims Department", "Prior Authorization Unit", "Member Services", "Claims Processing")
PURPOSES = ("Urgent", "For Review", "Please Comment", "Please Reply", "Please Recycle")
COMMENTS = (
    "Please find attached the {kind} for the patient named above.",
    "Attached: {kind} as requested. Call us with any questions.",
    "Sending the {kind} for processing.",
    "",
)
NOTICE = (
    "CONFIDENTIALITY NOTICE: This facsimile contains confidential health information intended only "
    "for the recipient named above. If you have received it in error, please notify the sender by "
    "telephone and destroy all copies."
)


def with_cover(
    rng: random.Random, dpi: int, inner: tuple[ModuleType, ...], kind: str
) -> tuple[dict[str, str], list[Image.Image]]:
    """A document of one of the ``inner`` families (``kind`` names it in the comment), behind a
    cover sheet: its truth, and the cover followed by its pages."""
    family = rng.choice(inner)
    # The cover's own choices, apart from the document's: drawing the document in another face
    # (handwriting) may take other draws, and the cover stays the same sheet.
    cover_rng = random.Random(rng.random())
    truth, pages = family.draw(rng, dpi)
    patient = truth.get("patient_name", "")
    return truth, [_cover(cover_rng, dpi, len(pages) + 1, patient, kind), *pages]


def _cover(rng: random.Random, dpi: int, pages: int, patient: str, kind: str) -> Image.Image:
    vals = content(rng)
    page = Page(dpi, pick_style(rng))
    label, value = page.font(True), page.font(False)
    printed = page.font(False, family=page.style.label)
    step = page.line_step(value)
    left, right = page.px(rng.uniform(0.8, 1.1)), page.image.width - page.px(rng.uniform(0.8, 1.1))
    y = page.px(rng.uniform(0.8, 1.1))
    clinic = pd.clinic_name(vals)
    page.text(left, y, clinic, page.font(True, 1.25))
    y += step
    page.text(left, y, values.one_line_address(vals), printed)
    y += step
    page.text(left, y, f"Tel {values.phone(vals)}   Fax {values.phone(vals)}", printed)
    y += step * 2
    page.text((left + right) // 2, y, rng.choice(TITLES), page.font(True, 2.0), "center")
    y += step * 2
    sent = values.random_date(vals, 2016, 2025) + dt.timedelta(days=rng.randint(0, 20))
    sender = rng.choice((values.prescriber(vals), values.person_name(vals), f"{clinic} front desk"))
    subject = rng.choice((f"{kind.capitalize()} - {patient}", f"{patient}: {kind}")) if patient else "Records"
    rows = [
        ("To:", f"{rng.choice(RECIPIENTS)}, {values.insurance_company(vals)}"),
        ("Fax:", values.phone(vals)),
        ("Phone:", values.phone(vals)),
        ("From:", sender),
        ("Date:", values.format_date(sent, vals.choice(values.DATE_FORMATS))),
        ("Re:", subject),
        (rng.choice(("Pages:", "No. of pages (including cover):", "Pages incl. cover:")), str(pages)),
    ]
    if rng.random() < 0.5:
        rng.shuffle(rows)
    tab = left + max(page.width(text, label) for text, _ in rows) + page.px(0.25)
    for text, filled in rows:
        page.text(left, y, text, label)
        page.text(tab, y, filled, value)
        page.rule(tab, right, y + page.underline_gap(value))
        y += round(step * 1.5)
    y += step
    size = round(value.size * 0.9)
    x = left
    ticked = rng.randrange(len(PURPOSES))
    for index, purpose in enumerate(PURPOSES):
        pd.checkbox(page, x, y, size, rng.choice(("tick", "cross")) if index == ticked else None)
        x += size + page.px(0.1)
        x += page.text(x, y, purpose, printed) + page.px(0.35)
    y += step * 2
    comment = rng.choice(COMMENTS).format(kind=kind)
    if comment:
        page.text(left, y, "Comments:", label)
        page.text(tab, y, comment, value)
        y += step * 2
    small = page.font(False, 0.75, page.style.label)
    y = max(y, page.image.height - page.px(2.2))
    page.lines(left, y, page.wrapped(NOTICE, small, right - left), small, right - left)
    return page.image
