"""A small prescription pad: half-letter, A5 or a landscape half page, fields sharing printed lines.

What it breaks that full-page forms never do: two or three blanks on one printed line ("Patient
______  Date ______", "Age ___  Sex ___  Weight ___"), labels printed under their blanks instead
of before them, the medicines as a handwritten numbered list ("1)", "i.", bullets) after a big Rx,
refills as tick boxes ("Refills: [ ]0 [x]1 [ ]2 [ ]3 [ ]PRN"), a "Dispense as written" / "Generic
substitution permitted" pair, and the prescriber's name printed above the signature line with
"Signature of prescriber" under it. Truth follows ``_rx_common.Rx``: medicines and directions
without their numbering, refills the ticked count, the address "" when the blank is left empty.
"""

from __future__ import annotations

import copy
import random

from PIL import Image, ImageFont

from docgen import fonts, values
from docgen.canvas import Page, Style, pick_style
from docgen.content import content
from docgen.families import _rx_common as rx
from docgen.families._split_draw import Shown

FAMILY = "rx_pad_inline"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "small pad (half letter, A5, landscape half page): several blanks per printed line, captions "
    "under blanks, numbered handwritten medicines after Rx, refill and substitution tick boxes, "
    "prescriber's name above 'Signature of prescriber'"
)

Font = ImageFont.FreeTypeFont
Fonts = dict[str, Font]  # "label", "value" and "small": the pad's three sizes

PAD_INCHES = {"half_letter": (5.5, 8.5), "a5": (5.83, 8.27), "landscape": (8.5, 5.5)}
NAME_LABELS = ("Patient", "Name", "Patient's name", "For", "Pt. name", "Name of patient")
DATE_LABELS = ("Date", "Date issued", "Rx date", "Date written")
ADDRESS_LABELS = ("Address", "Addr.", "Patient address", "Home address")
REFILL_LABELS = ("Refills", "Refill", "Repeats", "No. of refills", "Refills authorized")
SUBSTITUTION_PAIRS = (
    ("Dispense as written", "Generic substitution permitted"),
    ("Dispense as written", "Substitution permitted"),
    ("Brand medically necessary", "Generic substitution permitted"),
    ("DAW", "Generic OK"),
)
SIGNATURE_CAPTIONS = (
    "Signature of prescriber",
    "Prescriber's signature",
    "Signature",
    "Signature of physician",
)
MARKERS = ("1)", "1.", "i.", "(1)", "*", "-")
ROMAN = ("i", "ii", "iii", "iv")


class PadPage(Page):
    """A pad page that records where each value piece is drawn (``Shown``), for tests."""

    def __init__(self, dpi: int, style: Style, inches: tuple[float, float]) -> None:
        super().__init__(dpi, style, inches)
        self.shown: list[Shown] = []
        self.notes: dict[str, str] = {}

    def put(self, field: str, x: int, y: int, text: str, font: ImageFont.FreeTypeFont) -> int:
        """Draw a value's line with its baseline at y and record its ink box; returns its width."""
        if not text:
            return 0
        width = self.text(x, y, text, font)
        x0, y0, x1, y1 = font.getbbox(text, anchor="ls")
        self.shown.append(Shown(field, "value", text, 0, (x + x0, y + y0, x + x1, y + y1)))
        return width


def _marker(style: str, index: int) -> str:
    """The number or bullet before the index-th medicine (0-based) in one of MARKERS' styles."""
    if style == "i.":
        return f"{ROMAN[index]}."
    if style in ("*", "-"):
        return style
    return style.replace("1", str(index + 1))


def _header(page: PadPage, rng: random.Random, left: int, right: int) -> int:
    """Clinic name, one address line and a phone line, centred or left; returns the baseline below."""
    head = page.font(bold=True, scale=rng.uniform(1.05, 1.35), family=page.style.label)
    small = page.font(bold=False, scale=0.72, family=page.style.label)
    centred = rng.random() < 0.6
    x, align = ((left + right) // 2, "center") if centred else (left, "left")
    y = page.px(rng.uniform(0.35, 0.5)) + head.size
    name = rx.clinic_name(rng)
    page.text(x, y, name, page.fit(name, head, right - left), align)
    y += page.line_step(small) + page.px(0.03)
    for line in (f"{values.street(rng)}, {values.city_line(rng)}", rx.extras_line(rng)):
        page.text(x, y, line, page.fit(line, small, right - left), align)
        y += page.line_step(small)
    page.rule(left, right, y - small.size // 2, rng.choice((0.6, 1.0, 1.6)))
    return y + page.px(0.2)


def _inline(
    page: PadPage,
    y: int,
    left: int,
    right: int,
    items: list[tuple[str, str, str, float]],
    under: bool,
    fonts_: Fonts,
) -> int:
    """Blanks side by side on one line, (label, field, value, share) each; a label before its blank,
    or (`under`) printed small under it. Returns the baseline of the next line."""
    gap = page.px(0.18)
    span = right - left - gap * (len(items) - 1)
    total = sum(share for *_rest, share in items)
    value, label, small = fonts_["value"], fonts_["label"], fonts_["small"]
    underline = y + page.underline_gap(value)
    x = left
    for text_label, field, text, share in items:
        w = round(span * share / total)
        start = x if under else x + page.text(x, y, text_label, label) + page.px(0.06)
        end = max(x + w, start + page.px(0.35))
        font = page.fit(text, value, end - start - page.px(0.1))
        if field:
            page.put(field, start + page.px(0.05), y, text, font)
        else:
            page.text(start + page.px(0.05), y, text, font)
        page.rule(start, end, underline, 0.6)
        if under:
            page.text(start, underline + small.size + page.px(0.02), text_label, small)
        x = end + gap
    return y + round(page.line_step(value) * (1.75 if under else 1.45))


def _patient_lines(
    page: PadPage,
    rng: random.Random,
    y: int,
    left: int,
    right: int,
    data: rx.Rx,
    fonts_: Fonts,
    date_here: bool,
) -> int:
    """'Patient ____ Date ____', 'Age __ Sex __ Weight __', 'Address ____' (some blanks shared)."""
    colon = ":" if rng.random() < 0.5 else ""
    vals = content(rng)  # the patient's age, sex and weight are filled in, not printed
    age = str(vals.randint(2, 94))
    extras = [
        (f"Age{colon}", "", age, 0.7),
        (f"Sex{colon}", "", vals.choice(("M", "F")), 0.6),
        (f"{rng.choice(('Weight', 'Wt'))}{colon}", "", f"{vals.randint(12, 120)} kg", 1.0),
    ]
    first = [(f"{rng.choice(NAME_LABELS)}{colon}", "patient_name", data.patient_name, 3.0)]
    if date_here:
        first.append((f"{rng.choice(DATE_LABELS)}{colon}", "prescription_date", data.date, 1.6))
    second = extras[: rng.randint(2, 3)]
    if rng.random() < 0.35:  # age shares the name's line, sex and weight their own
        first.insert(1, second.pop(0))
    address = [(f"{rng.choice(ADDRESS_LABELS)}{colon}", "patient_address", "\n".join(data.address), 4.0)]
    if rng.random() < 0.25:  # some pads print their labels in capitals
        first, second, address = (
            [(lbl.upper(), field, text, share) for lbl, field, text, share in row]
            for row in (first, second, address)
        )
    under = rng.random() < 0.4
    page.notes["captions"] = "under" if under else "before"
    y = _inline(page, y, left, right, first, under, fonts_)
    rows = [second, address] if rng.random() < 0.5 else [address, second]
    for row in rows:
        if row is address and not data.address and rng.random() < 0.4:
            continue  # some pads print no address blank at all
        y = _inline(page, y, left, right, row, under and rng.random() < 0.7, fonts_)
    return y


def _rx_mark(page: PadPage, rng: random.Random, x: int, y: int) -> int:
    """A big serif R with a smaller x on its leg; returns the baseline of its first line."""
    big = fonts.load(fonts.rx_font_path(), round(page.dpi * rng.uniform(0.35, 0.5)))
    top = y + big.size
    page.text(x, top, "R", big)
    small = fonts.load(big.path, round(big.size * 0.65))
    page.text(x + round(big.getlength("R") * 0.55), top + round(big.size * 0.18), "x", small)
    return top


def _medicines(
    page: PadPage, rng: random.Random, y: int, left: int, right: int, data: rx.Rx, font: Font
) -> int:
    """The numbered list after the Rx: a medicine, its direction indented under it, maybe a 'Disp'."""
    style = rng.choice(MARKERS)
    page.notes["marker"] = style
    indent = page.px(rng.uniform(0.25, 0.4))
    step = page.line_step(font)
    disp = rng.random() < 0.3
    for index, ((_name, text), direction) in enumerate(zip(data.meds, data.directions, strict=True)):
        marker = _marker(style, index)
        page.text(left, y, marker, font)
        x = left + max(page.width(marker, font) + page.px(0.1), indent)
        page.put("medicines", x, y, text, page.fit(text, font, right - x))
        y += step
        sig_x = x + page.px(rng.uniform(0.0, 0.25))
        page.put("directions", sig_x, y, direction, page.fit(direction, font, right - sig_x))
        y += step
        if disp:
            page.text(
                sig_x, y, f"{rng.choice(('Disp', 'Disp:', '#'))} {rng.choice((14, 20, 28, 30, 60, 90))}", font
            )
            y += step
        y += round(step * rng.uniform(0.1, 0.4))
    return y


def _refills(page: PadPage, rng: random.Random, x: int, y: int, refills: str, font: Font) -> int:
    """'Refills: [ ]0 [x]1 [ ]2 [ ]3 [ ]PRN', the prescribed count ticked; returns the next baseline."""
    options = [0, 1, 2, 3] if rng.random() < 0.5 else [0, 1, 2, 3, 4, 5]
    if int(refills) not in options:
        options.append(int(refills))
    x += page.text(x, y, f"{rng.choice(REFILL_LABELS)}{rng.choice((':', ''))}", font) + page.px(0.1)
    size = round(font.size * 0.8)
    for option in [*map(str, options), *(["PRN"] if rng.random() < 0.6 else [])]:
        rx.tick_box(page, x, y, size, option == refills)
        if option == refills:
            page.shown.append(Shown("refills", "mark", option, 0, (x, y - size, x + size, y)))
        x += size + page.px(0.04)
        x += page.text(x, y, option, font) + page.px(0.16)
    return y + round(page.line_step(font) * 1.4)


def _substitution(page: PadPage, rng: random.Random, x: int, y: int, right: int, font: Font) -> int:
    """A 'Dispense as written' / 'Generic substitution permitted' tick-box pair, one ticked."""
    pair = rng.choice(SUBSTITUTION_PAIRS)
    ticked = rng.randrange(2)
    size = round(font.size * 0.8)
    widths = [size + page.px(0.08) + page.width(text, font) for text in pair]
    stacked = x + sum(widths) + page.px(0.3) > right
    for i, text in enumerate(pair):
        rx.tick_box(page, x, y, size, i == ticked)
        page.text(x + size + page.px(0.08), y, text, font)
        if stacked:
            y += page.line_step(font)
        else:
            x += widths[i] + page.px(0.3)
    return y + (0 if stacked else page.line_step(font))


def _signature(
    page: PadPage,
    rng: random.Random,
    left: int,
    right: int,
    bottom: int,
    data: rx.Rx,
    fonts_: Fonts,
    date_here: bool,
) -> int:
    """The prescriber's printed name over the signature line, a caption under it (and the date
    beside it when the patient line has none); returns the top of the block."""
    value, small = fonts_["value"], fonts_["small"]
    width = min(right - left, page.px(rng.uniform(2.4, 3.2)))
    x = right - width if rng.random() < 0.6 else left
    line_y = bottom - small.size - page.px(0.08)
    page.rule(x, x + width, line_y, 0.7)
    page.text(x, line_y + small.size + page.px(0.04), rng.choice(SIGNATURE_CAPTIONS), small)
    if rng.random() < 0.6:
        rx.scribble(page, rng, x + page.px(0.2), x + width - page.px(0.5), line_y - page.px(0.04))
    name_y = line_y - page.px(0.32)
    page.put("prescriber", x, name_y, data.prescriber, page.fit(data.prescriber, value, width))
    if date_here:
        date_left = left if x > left else x + width + page.px(0.3)
        date_right = date_left + page.px(1.3)
        items = [(rng.choice(DATE_LABELS), "prescription_date", data.date, 1.0)]
        _inline(page, line_y - page.underline_gap(value), date_left, date_right, items, True, fonts_)
    return name_y - value.size - page.px(0.1)


def _draw(rng: random.Random, dpi: int, data: rx.Rx, size: str, scale: float) -> tuple[PadPage, bool]:
    """One attempt at the pad with its text at `scale`; says whether everything fitted."""
    page = PadPage(dpi, pick_style(rng, prefer="Comic Neue", prefer_weight=0.6), PAD_INCHES[size])
    page.notes["size"] = size
    margin = page.px(rng.uniform(0.3, 0.45))
    left, right = margin, page.image.width - margin
    if rng.random() < 0.4:
        rx.box(
            page,
            margin // 2,
            margin // 2,
            page.image.width - margin // 2,
            page.image.height - margin // 2,
            1.0,
        )
    fonts_ = {
        "label": page.font(
            bold=rng.random() < 0.4, scale=rng.uniform(0.78, 0.9) * scale, family=page.style.label
        ),
        "value": page.font(bold=False, scale=rng.uniform(0.92, 1.05) * scale),
        "small": page.font(bold=False, scale=0.62 * scale, family=page.style.label),
    }
    date_here = rng.random() < 0.65
    top = _signature(page, rng, left, right, page.image.height - margin, data, fonts_, not date_here)
    y = _header(page, rng, left, right) + page.px(0.12)
    y = _patient_lines(page, rng, y, left, right, data, fonts_, date_here)
    y = _rx_mark(page, rng, left, y)
    y = _medicines(page, rng, y, left + page.px(rng.uniform(0.45, 0.7)), right, data, fonts_["value"])
    y += page.px(0.08)
    if rng.random() < 0.6:  # refills and substitution printed low on the pad, above the signature
        y = max(y, top - page.px(0.15) - round(3.6 * page.line_step(fonts_["label"])))
    y = _refills(page, rng, left, y, data.refills, fonts_["label"])
    y = _substitution(page, rng, left, y, right, fonts_["label"])
    return page, y <= top


def layout(rng: random.Random, dpi: int) -> tuple[dict[str, str], PadPage]:
    """The truth and the pad, whose ``shown`` pieces say what was set where."""
    size = rng.choice(("half_letter", "half_letter", "a5", "landscape"))
    data = rx.draw_rx(
        rng, max_meds=2 if size == "landscape" else 3, sig_style=rng.choice(("sig", "sig", "full"))
    )
    # Each attempt makes the same choices (labels, fonts, places) at a smaller scale: a form is one
    # form whatever its values, so retrying must not draw another.
    for scale in (1.0, 0.88, 0.77, 0.68):
        page, fitted = _draw(copy.deepcopy(rng), dpi, data, size, scale)
        if fitted:
            break
    return data.truth(), page


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    truth, page = layout(rng, dpi)
    return truth, [page.image]
