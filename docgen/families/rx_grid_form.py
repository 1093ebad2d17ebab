"""A prescription printed as a fully ruled grid: label and value cells, a ruled medicines table."""

from __future__ import annotations

import random

from PIL import Image

from docgen import values
from docgen.canvas import pick_style
from docgen.families import _grid as grid
from docgen.families import _grid_labels as labelled
from docgen.families import _rx_common as rx

FAMILY = "rx_grid_form"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "prescription form ruled as a grid: label cells beside value cells (one or two pairs a row) or small "
    "labels in the cells' top-left corners, a ruled Drug | Strength | Directions table, refills and "
    "prescriber in ruled cells; thin or heavy rules, double frames, shaded labels, tight padding"
)

# Label wordings, from the prescription doctype's label lists and the other families' forms.
PATIENT = ("Patient name", "Name", "Patient", "Name of patient", "Patient's name", "Pt name", "Full name")
DATE = (
    "Date",
    "Prescription date",
    "Date issued",
    "Date of issue",
    "Date prescribed",
    "Rx date",
    "Date written",
)
ADDRESS = ("Address", "Patient address", "Home address", "Residence", "Patient's address", "Addr")
PRESCRIBER = (
    "Prescriber",
    "Prescribed by",
    "Prescribing physician",
    "Physician",
    "Doctor",
    "Prescribing doctor",
    "Provider",
    "Practitioner",
    "Prescriber name",
    "Clinician",
)
REFILLS = ("Refills", "Refill", "Rf", "No. of refills", "Number of refills", "Repeats", "Refills allowed")
MEDICINE = ("Medicine", "Medication", "Drug", "Drug name", "Medicine name", "Name of medicine", "Item")
DOSE = ("Dose", "Strength", "Dosage")
COMBINED = ("Medication and strength", "Drug / strength", "Medicine & dose", "Medication")
DIRECTIONS = ("Directions", "Sig", "Instructions", "How to take", "Frequency", "Directions for use")
EXTRAS = ("Qty", "Quantity", "Days", "Duration", "Route", "Disp")
CAPTIONS = ("Rx", "Medications prescribed", "MEDICATION(S)", "Prescribed medication", "Rx:")
TITLES = (
    "PRESCRIPTION",
    "Prescription Form",
    "OUTPATIENT PRESCRIPTION",
    "Medication Order",
    "PRESCRIPTION FORM",
    "Prescription",
)
NOTES = ("Notes", "Comments", "Additional notes", "Pharmacy use only", "Remarks")
SIGNATURES = ("Signature", "Prescriber's signature", "Signature of prescriber", "Doctor's signature")


def _noise(rng: random.Random) -> list[labelled.Item]:
    """Printed pairs that are no field: birth date, age, sex, record number, phone, allergies..."""
    pool = [
        labelled.Item(rng.choice(("DOB", "Date of birth", "D.O.B.")), [rx.birth_date(rng)]),
        labelled.Item(rng.choice(("Age", "Age (yrs)")), [str(rng.randint(2, 90))]),
        labelled.Item(rng.choice(("Sex", "Gender")), [rng.choice(("F", "M", "Female", "Male"))]),
        labelled.Item(rng.choice(("MRN", "Patient ID", "Hospital no.")), [str(rng.randint(100000, 9999999))]),
        labelled.Item(rng.choice(("Phone", "Tel", "Contact no.")), [values.phone(rng)]),
        labelled.Item(rng.choice(("Weight", "Wt (kg)")), [f"{rng.randint(12, 120)} kg"]),
        labelled.Item(
            rng.choice(("Allergies", "Known allergies")), [rng.choice(("NKDA", "None known", "Penicillin"))]
        ),
        labelled.Item(rng.choice(("Diagnosis", "Dx")), [rng.choice(values.MEDICAL_PROBLEMS[:18])]),
    ]
    return rng.sample(pool, rng.randint(0, 3))


def _extra_cell(rng: random.Random, header: str) -> str:
    if header in ("Qty", "Quantity", "Disp"):
        return rng.choice(("#", "")) + str(rng.choice((10, 14, 20, 28, 30, 60, 90)))
    if header == "Days":
        return str(rng.choice((3, 5, 7, 10, 14, 28, 30)))
    if header == "Route":
        return rng.choice(("oral", "PO", "by mouth"))
    return rng.choice(("5 days", "7 days", "10 days", "2 weeks", "1 month", "ongoing"))


def _header(sheet: grid.Sheet, rng: random.Random, left: int, right: int, type_: labelled.Type) -> None:
    """Clinic name, contact and form title: printed above the grid or in its first ruled rows."""
    page = sheet.page
    name = rx.clinic_name(rng) if rng.random() < 0.6 else rx.hospital_name(rng)
    big = page.font(bold=True, scale=rng.uniform(1.3, 1.7), family=page.style.label)
    small = page.font(bold=False, scale=rng.uniform(0.8, 0.92), family=page.style.label)
    contact = f"{values.street(rng)}, {values.city_line(rng)}"
    extra = rx.extras_line(rng)
    if rng.random() < 0.3:
        extra += "   " + rx.dea_number(rng)
    title = rng.choice(TITLES)
    title_font = page.font(bold=True, scale=rng.uniform(1.05, 1.3), family=page.style.label)
    if rng.random() < 0.5:
        centred = rng.random() < 0.6
        x, align = ((left + right) // 2, "center") if centred else (left, "left")
        y = sheet.y + big.size
        page.text(x, y, name, page.fit(name, big, right - left), align)
        for line in (contact, extra):
            y += page.line_step(small)
            page.text(x, y, line, page.fit(line, small, right - left), align)
        sheet.y = y + page.px(rng.uniform(0.2, 0.35))
        block = grid.Block(sheet, left, right)
        page, y0, y1 = block.row(page.row_height(title_font, slack=type_.slack))
        page.row(y0, y1, [left, right])
        page.fill((left, y0, right, y1))
        page.put(title, title_font, (left, y0, right, y1), align=rng.choice(("center", "left")), kind="label")
    else:
        block = grid.Block(sheet, left, right)
        height = page.row_height(big) + 2 * page.row_height(small) - 2 * page.t
        page, y0, y1 = block.row(height)
        page.row(y0, y1, [left, right])
        cell = (left, y0, right, y1)
        align = rng.choice(("center", "left"))
        page.put(name, big, cell, align=align, valign="top", kind="label")
        page.put(f"{contact}  {extra}", small, cell, align=align, valign="bottom", kind="label")
        xs = [left, right - (right - left) // 3, right] if rng.random() < 0.4 else [left, right]
        page, y0, y1 = block.row(page.row_height(title_font, slack=type_.slack))
        page.row(y0, y1, xs)
        page.fill((xs[0], y0, xs[1], y1))
        page.put(title, title_font, (xs[0], y0, xs[1], y1), align=align, kind="label")
        if len(xs) == 3:
            page.put(
                f"Form {rng.choice(('RX', 'MO', 'F'))}-{rng.randint(10, 999)}",
                small,
                (xs[1], y0, right, y1),
                align="right",
                kind="label",
            )
    block.close()


def _fields(
    sheet: grid.Sheet,
    rng: random.Random,
    items: list[labelled.Item],
    variant: str,
    left: int,
    right: int,
    type_: labelled.Type,
) -> None:
    """Items as one ruled block: "column" (label | value rows), "pairs" (two pairs a row) or "corner"."""
    block = grid.Block(sheet, left, right)
    width = right - left
    if variant == "column":
        label_w = round(width * rng.uniform(0.2, 0.32))
        for item in items:
            labelled.pair_row(block, [item], [left, left + label_w, right], type_)
    elif variant == "pairs":
        half = left + width // 2
        label_w = round(width * rng.uniform(0.12, 0.17))
        pending: list[labelled.Item] = []
        for item in [*items, None]:
            if item is not None and item.span == 1:
                pending.append(item)
                if len(pending) < 2:
                    continue
            if pending:
                xs = [left, left + label_w, half, half + label_w, right]
                labelled.pair_row(block, pending, [*xs[: 2 * len(pending)], right], type_)
                pending = []
            if item is not None and item.span > 1:
                labelled.pair_row(block, [item], [left, left + label_w, right], type_)
    else:
        row: list[labelled.Item] = []
        per_row = rng.choice((2, 3))
        columns = labelled.edges(left, right, [rng.uniform(0.8, 1.2) for _ in range(per_row)])
        for item in [*items, None]:
            if item is None or sum(i.span for i in row) + item.span > per_row:
                if row:
                    xs = [left]
                    for i in row:
                        xs.append(columns[min(per_row, columns.index(xs[-1]) + i.span)])
                    labelled.corner_row(block, row, [*xs[:-1], right], type_)
                row = []
            if item is not None:
                row.append(item)
    block.close()


def _medicines(
    sheet: grid.Sheet,
    rng: random.Random,
    values_: rx.Rx,
    left: int,
    right: int,
    type_: labelled.Type,
    reserve: int,
) -> None:
    """The medicines as a ruled table: a header row (shaded now and then), a row per medicine,
    sometimes a numbering column, extra columns and empty ruled rows below."""
    page = sheet.page
    block = grid.Block(sheet, left, right)
    upper = rng.random() < 0.3
    head_font = page.font(bold=True, scale=rng.uniform(0.85, 1.0), family=page.style.label)
    if rng.random() < 0.5:
        caption = rng.choice(CAPTIONS)
        font = page.font(bold=True, scale=rng.uniform(1.0, 1.4), family=page.style.label)
        page, y0, y1 = block.row(page.row_height(font, slack=type_.slack))
        page.row(y0, y1, [left, right])
        page.put(caption, font, (left, y0, right, y1), kind="label")
    split = rng.random() < 0.7
    numbered = rng.random() < 0.35
    columns: list[tuple[str, float]] = [(rng.choice(("#", "No.", "")), 0.06)] if numbered else []
    if split:
        columns += [(rng.choice(MEDICINE), 0.25), (rng.choice(DOSE), 0.13)]
    else:
        columns.append((rng.choice(COMBINED), 0.34))
    columns.append((rng.choice(DIRECTIONS), 0.46))
    timed = any(" for " in d or "until" in d for d in values_.directions)  # no Days column then
    pool = [h for h in EXTRAS if not (timed and h in ("Days", "Duration"))]
    extras = rng.sample(pool, rng.choice((0, 0, 1, 1, 2)))
    columns += [(header, 0.1) for header in extras]
    xs = labelled.edges(left, right, [w for _h, w in columns])
    page, y0, y1 = block.row(page.row_height(head_font, slack=type_.slack // 2))
    page.row(y0, y1, xs)
    align = rng.choice(("left", "center"))
    for i, (header, _w) in enumerate(columns):
        cell = (xs[i], y0, xs[i + 1], y1)
        page.fill(cell)
        page.put(header.upper() if upper else header, head_font, cell, align=align, kind="label")
    rows = list(zip(values_.meds, values_.directions, strict=True))
    blank_rows = rng.choice((0, 0, 1, 2, 3))
    row_h = page.row_height(type_.value, slack=type_.slack)
    for number, row in enumerate([*rows, *[None] * blank_rows], 1):
        if row is None and sheet.room() - row_h < reserve:
            break  # empty rows only where the rest of the form still fits
        page, y0, y1 = block.row(row_h)
        page.row(y0, y1, xs)
        if row is None:
            continue
        med, direction = row
        cells, names = ([str(number)], [""]) if numbered else ([], [])
        if split:
            cells += [med[0], rx.dose_of(med)]
            names += ["medicines", "medicines"]
        else:
            cells.append(med[1])
            names.append("medicines")
        cells.append(direction)
        names.append("directions")
        cells += [_extra_cell(rng, header) for header in extras]
        names += [""] * len(extras)
        for i, (text, name) in enumerate(zip(cells, names, strict=True)):
            page.put(
                text,
                type_.value,
                (xs[i], y0, xs[i + 1], y1),
                valign=type_.value_valign,
                field_name=name,
                group=number - 1,
                kind="text" if name else "label",
            )
    block.close()


def _substitution(sheet: grid.Sheet, rng: random.Random, left: int, right: int, type_: labelled.Type) -> None:
    """'Substitution permitted | [x] | Dispense as written | [ ]' ruled cells, one marked."""
    page = sheet.page
    block = grid.Block(sheet, left, right)
    page, y0, y1 = block.row(page.row_height(type_.label, slack=type_.slack))
    box_w = max(page.px(0.35), y1 - y0)
    mid = (left + right) // 2
    xs = [left, mid - box_w, mid, right - box_w, right]
    page.row(y0, y1, xs)
    chosen = rng.randrange(2)
    how = rng.choice(("X", "tick", "cross", "box"))
    for i, text in enumerate(("Substitution permitted", "Dispense as written")):
        page.put(text, type_.label, (xs[2 * i], y0, xs[2 * i + 1], y1), kind="label", ink=type_.label_grey)
        cell = (xs[2 * i + 1], y0, xs[2 * i + 2], y1)
        if i == chosen:
            page.mark(cell, how, text, "", type_.value)
        elif how == "box":
            page.checkbox(cell, max(6, min(cell[2] - cell[0], cell[3] - cell[1]) * 3 // 5))
    block.close()


def layout(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[grid.RuledPage]]:
    """The truth and the ruled pages (which remember what they show, for tests)."""
    values_ = rx.draw_rx(
        rng, max_meds=4, multiline_address=0.3, sig_style=rng.choice(("short", "short", "sig"))
    )
    style = pick_style(rng, prefer="Comic Neue", prefer_weight=0.35)
    look = grid.pick_look(rng, dpi)
    sheet = grid.Sheet(dpi, style, look, rng.uniform(0.45, 0.8), rng.uniform(0.5, 0.7))
    page = sheet.page
    left = page.px(rng.uniform(0.45, 0.95))
    right = page.image.width - page.px(rng.uniform(0.45, 0.95))
    variant = rng.choice(("column", "pairs", "corner"))
    page.notes["variant"] = variant
    upper, colon = rng.random() < 0.3, variant != "corner" and rng.random() < 0.4
    type_ = labelled.Type(
        label=page.font(bold=rng.random() < 0.6, scale=rng.uniform(0.8, 0.95), family=style.label),
        value=page.font(bold=False, scale=rng.uniform(0.95, 1.1)),
        corner=page.font(bold=rng.random() < 0.4, scale=rng.uniform(0.55, 0.7), family=style.label),
        label_grey=rng.choice((0, 0, rng.randint(60, 110))),
        value_valign=rng.choice(("center", "center", "bottom")),
        slack=page.px(rng.choice((0.0, 0.0, rng.uniform(0.03, 0.15)))),
    )
    gap = page.px(rng.uniform(0.12, 0.3))

    caps = upper or variant == "corner"  # corner labels are small capitals

    def item(labels: tuple[str, ...], lines: list[str], name: str = "", span: int = 1) -> labelled.Item:
        return labelled.Item(labelled.cased(rng.choice(labels), caps, colon), lines, name, span)

    _header(sheet, rng, left, right, type_)
    sheet.y += gap
    details = [
        item(PATIENT, [values_.patient_name], "patient_name", 2 if rng.random() < 0.4 else 1),
        item(DATE, [values_.date], "prescription_date"),
    ]
    details += [item((i.label,), i.lines) for i in _noise(rng)]
    if values_.address or rng.random() < 0.6:
        details.append(item(ADDRESS, values_.address, "patient_address", 2))
    prescriber_above = rng.random() < 0.4
    if prescriber_above:
        details.append(item(PRESCRIBER, [values_.prescriber], "prescriber", 2 if rng.random() < 0.5 else 1))
    if rng.random() < 0.5:
        rng.shuffle(details)
    _fields(sheet, rng, details, variant, left, right, type_)
    sheet.y += gap
    footer = [item(REFILLS, [values_.refills], "refills")]
    if not prescriber_above:
        footer.append(item(PRESCRIBER, [values_.prescriber], "prescriber", 2 if rng.random() < 0.5 else 1))
    if rng.random() < 0.4:
        number = rng.choice((rx.dea_number(rng).replace("DEA", "").strip(" #No."), rx.npi_number(rng)[-10:]))
        footer.append(item(("DEA no.",) if number[0].isalpha() else ("NPI", "NPI no."), [number]))
    footer.append(item(SIGNATURES, [], span=2))
    footer[-1].rows = 2
    if rng.random() < 0.5:
        footer.insert(rng.randrange(len(footer)), footer.pop())
    substitution = rng.random() < 0.35
    # At most this much height for the refills, prescriber and signature cells below the medicines.
    most = sum(page.row_height(type_.value, max(2, i.rows)) + page.row_height(type_.corner) for i in footer)
    most += len(footer) * type_.slack + (page.row_height(type_.label) + gap if substitution else 0)
    _medicines(sheet, rng, values_, left, right, type_, most + gap)
    sheet.y += gap
    notes = item(NOTES, [], span=2)
    notes.rows = rng.randint(2, 4)
    notes_h = page.row_height(type_.value, notes.rows) + page.row_height(type_.corner) + type_.slack
    if rng.random() < 0.35 and sheet.room() - notes_h - gap > most:
        _fields(sheet, rng, [notes], "corner" if variant == "corner" else "column", left, right, type_)
        sheet.y += gap
    if rng.random() < 0.5:
        # Refills and signature at the foot of the page: pushed down, never off it.
        sheet.y = max(sheet.y, sheet.y + sheet.room() - most - page.px(rng.uniform(0.0, 0.6)))
    if substitution:
        _substitution(sheet, rng, left, right, type_)
        sheet.y += gap
    _fields(sheet, rng, footer, variant if rng.random() < 0.7 else "column", left, right, type_)
    if rng.random() < 0.5 and sheet.room() > page.px(0.6):
        rx.footer(sheet.page, rng)
    return values_.truth(), sheet.pages


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    truth, pages = layout(rng, dpi)
    return truth, [page.image for page in pages]
