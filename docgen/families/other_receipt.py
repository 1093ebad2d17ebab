"""A pharmacy or clinic receipt: items with amounts, total, date, patient name."""

from __future__ import annotations

import random

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.families import _other_common as other
from docgen.families import _rx_common as rx

FAMILY = "other_receipt"
DOC_TYPE = "unknown"
DESCRIPTION = (
    "pharmacy or clinic receipt: items (medicines or services) with prices, subtotal, tax, total, "
    "date and patient name; neither a prescription nor an intake form"
)

CLINIC_ITEMS = (
    "Office visit",
    "New patient consultation",
    "Follow-up visit",
    "Lab work - blood panel",
    "Flu vaccine",
    "Urinalysis",
    "ECG",
    "X-ray, chest",
    "Medical certificate",
    "Wound dressing",
)
PAYMENTS = ("VISA ****{n}", "Mastercard ****{n}", "Cash", "Debit card ****{n}", "HSA card ****{n}")


def _money(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    page = Page(dpi, pick_style(rng))
    pharmacy = rng.random() < 0.6
    narrow = rng.random() < 0.5  # a till slip down the middle of the page, or a full-width receipt
    width = page.px(rng.uniform(3.2, 4.0)) if narrow else page.image.width - page.px(2.0)
    left = (page.image.width - width) // 2
    right = left + width
    name = rng.choice(other.PHARMACY_NAMES) if pharmacy else rx.clinic_name(rng)
    y = other.letterhead(page, rng, left, right, name)
    title = page.font(bold=True, scale=rng.uniform(1.1, 1.4), family=page.style.label)
    heading = rng.choice(("RECEIPT", "Receipt", "PAYMENT RECEIPT", "Patient Receipt", "SALES RECEIPT"))
    page.text((left + right) // 2, y, heading, title, align="center")
    y += page.px(0.45)
    body = page.font(bold=False, scale=rng.uniform(0.9, 1.0))
    label = page.font(bold=True, scale=rng.uniform(0.9, 1.0), family=page.style.label)
    rows = [
        (rng.choice(("Date:", "Date of service:", "Sale date:")), values.date_text(rng, 2015, 2025)),
        (rng.choice(("Receipt no.", "Receipt #", "Invoice:")), str(rng.randint(100000, 9999999))),
        (rng.choice(("Patient:", "Patient name:", "Customer:")), values.person_name(rng)),
    ]
    if pharmacy and rng.random() < 0.6:
        rows.append(("Rx #", str(rng.randint(1000000, 9999999))))
    if not pharmacy and rng.random() < 0.6:
        rows.append((rng.choice(("Provider:", "Seen by:")), values.prescriber(rng)))
    for name, text in rows:
        rx.labelled(page, left, y, name, text, label, body, right)
        y += page.line_step(body)
    y += page.px(0.2)
    page.rule(left, right, y - body.size, 0.6)
    head = page.font(bold=True, scale=0.9, family=page.style.label)
    page.text(left, y + page.px(0.05), rng.choice(("Item", "Description", "Qty  Item")), head)
    page.text(right, y + page.px(0.05), rng.choice(("Amount", "Price", "Total")), head, align="right")
    y += page.px(0.12) + page.line_step(body)
    if pharmacy:
        items = [
            f"{text} #{rng.choice((14, 28, 30, 60, 90))}"
            for _n, text in values.medicines(rng, rng.randint(1, 4))
        ]
        items += rng.sample(
            ("Bandages", "Vitamin D 1000 IU", "Hand sanitizer", "Thermometer"), rng.randint(0, 2)
        )
    else:
        items = rng.sample(CLINIC_ITEMS, rng.randint(1, 4))
    total = 0
    for item in items:
        cents = rng.randint(300, 25000)
        total += cents
        page.text(left, y, item, page.fit(item, body, width - page.px(1.2)))
        page.text(right, y, _money(cents), body, align="right")
        y += page.line_step(body)
    page.rule(left, right, y - body.size // 2, 0.6)
    y += page.px(0.15)
    tax = round(total * rng.choice((0, 0, 0.05, 0.0825)))
    lines = [("Subtotal", total), ("Tax", tax)]
    if rng.random() < 0.4:
        paid = round(total * rng.choice((0.2, 0.5, 0.8)))
        lines.append(("Insurance paid", -paid))
        total -= paid
    for name, cents in lines:
        page.text(left, y, name, body)
        page.text(right, y, ("-" if cents < 0 else "") + _money(abs(cents)), body, align="right")
        y += page.line_step(body)
    big = page.font(bold=True, scale=1.1, family=page.style.label)
    page.text(left, y, rng.choice(("TOTAL", "Total due", "Amount paid", "TOTAL PAID")), big)
    page.text(right, y, _money(total + tax), big, align="right")
    y += page.line_step(big)
    payment = rng.choice(PAYMENTS).format(n=rng.randint(1000, 9999))
    page.text(left, y, f"{rng.choice(('Paid by', 'Payment:', 'Tender:'))} {payment}", body)
    y += page.px(0.5)
    thanks = rng.choice(
        ("Thank you for your visit!", "Thank you. Please keep this receipt.", "No refunds on medicines.")
    )
    page.text((left + right) // 2, y, thanks, page.fit(thanks, body, width), align="center")
    return {}, [page.image]
