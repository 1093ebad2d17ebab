"""A bilingual intake form, English and Spanish, as clinics serving both print them: each label
in both languages ("Date of birth / Fecha de nacimiento:", or the Spanish in small type under
the English), answers in boxes with both wordings ("Yes / Sí"), section headings in both."""

from __future__ import annotations

import random

from PIL import Image

from docgen.families import _pd_common as pd

FAMILY = "pd_bilingual"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "English and Spanish intake form: every label in both languages, inline after a slash or in small "
    "type under the English; answers in boxes worded in both; headings in both"
)

# Spanish wordings clinics print beside or under each English label.
SPANISH: dict[str, tuple[str, ...]] = {
    "record_date": ("Fecha", "Fecha de hoy", "Fecha de la visita"),
    "patient_name": ("Nombre", "Nombre del paciente", "Nombre completo"),
    "birth_date": ("Fecha de nacimiento", "Fecha de nac."),
    "phone_number": ("Teléfono", "Tel.", "Celular", "Número de teléfono"),
    "address": ("Dirección", "Domicilio"),
    "weight": ("Peso", "Peso (kg)"),
    "height": ("Estatura", "Estatura (cm)"),
    "emergency_contact_name": ("Contacto de emergencia", "Persona de contacto"),
    "emergency_contact_phone": ("Teléfono de emergencia", "Teléfono del contacto"),
    "chickenpox": ("Varicela",),
    "measles": ("Sarampión",),
    "hepatitis_b_vaccination": ("Vacuna contra la hepatitis B", "Hepatitis B"),
    "medical_problems": ("Problemas médicos", "Condiciones médicas", "Enfermedades"),
    "insurance_company": ("Compañía de seguro", "Aseguradora", "Seguro médico"),
    "policy_number": ("Número de póliza", "Número de miembro"),
    "insurance_expiry": ("Fecha de vencimiento", "Vence"),
    "has_medical_insurance": ("¿Tiene seguro médico?", "Seguro médico"),
    "allergies": ("Alergias",),
    "regular_medications": ("Medicamentos actuales", "Medicamentos"),
}
SECTIONS: dict[str, tuple[str, ...]] = {
    "patient": ("Información del paciente", "Datos del paciente"),
    "emergency": ("Contacto de emergencia", "En caso de emergencia"),
    "insurance": ("Seguro médico", "Información del seguro"),
    "history": ("Historial médico", "Antecedentes médicos"),
}
ANSWERS = {"Yes": "Sí", "No": "No", "Immune": "Inmune", "Not immune": "No inmune", "Unknown": "No sabe"}
TITLES = (
    ("New Patient Registration", "Registro de paciente nuevo"),
    ("Patient Information Form", "Formulario de información del paciente"),
    ("Health History", "Historial de salud"),
)
OPTION_FIELDS = ("chickenpox", "measles", "hepatitis_b_vaccination", "has_medical_insurance")


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    record, flow = pd.flowing_form(rng, dpi)
    t = record.lines
    page = flow.page
    left = page.px(rng.uniform(0.7, 1.0))
    right = page.image.width - page.px(rng.uniform(0.7, 0.9))
    label_font = page.font(bold=rng.random() < 0.5, family=page.style.label)
    small_font = page.font(False, 0.75, page.style.label)
    value_font = page.font(bold=False)
    step = round(page.line_step(value_font) * rng.uniform(1.05, 1.25))
    # Inline: "English / Spanish:" then the value; stacked: Spanish in small type under the
    # English label, the value on an underline after both.
    stacked = rng.random() < 0.5
    value_x = left + page.px(rng.uniform(2.6, 3.2))
    underline = stacked or rng.random() < 0.5
    joiner = rng.choice((" / ", " / ", " - "))

    y = flow.y
    page.text(left, y, pd.clinic_name(rng), page.font(bold=True, scale=rng.uniform(1.3, 1.6)))
    y += round(step * 1.1)
    page.text(left, y, pd.clinic_contact(rng), page.font(False, 0.85, page.style.label))
    y += round(step * 1.5)
    english, spanish = rng.choice(TITLES)
    page.text(left, y, english, page.font(True, 1.25))
    y += round(step * 0.9)
    page.text(left, y, spanish, page.font(False, 1.0, page.style.label))
    flow.y = y + round(step * 1.3)

    def labelled(name: str, in_section: bool) -> tuple[str, str]:
        return pd.label(rng, name, in_section), rng.choice(SPANISH[name])

    def label_at(p: pd.Page, english: str, spanish: str) -> int:
        """Draw the two wordings; returns where a value may start."""
        if stacked:
            width = p.text(left, flow.y, pd.with_colon(english, True), label_font)
            p.text(left, flow.y + round(step * 0.55), spanish, small_font)
            return max(value_x, left + width + p.px(0.15))
        width = p.text(left, flow.y, pd.with_colon(f"{english}{joiner}{spanish}", True), label_font)
        return max(value_x, left + width + p.px(0.15))

    def field(name: str, in_section: bool = True) -> None:
        if not record.shown(name):
            return
        english, spanish = labelled(name, in_section)
        lines = pd.measure_lines(rng, name, english, t[name]) or [""]
        rows = len(lines) + (1 if stacked else 0)
        flow.need(step * rows)
        p = flow.page
        x = label_at(p, english, spanish)
        for i, value in enumerate(lines):
            p.text(x, flow.y, value, p.fit(value, value_font, right - x))
            if underline and i == 0:
                p.rule(x - p.px(0.04), right, flow.y + p.underline_gap(value_font), 0.5)
            flow.y += step
        if stacked and len(lines) == 1:
            flow.y += step // 2

    def answer(name: str) -> None:
        if not record.shown(name):
            return
        english, spanish = labelled(name, True)
        flow.need(step * 2)
        p = flow.page
        x = label_at(p, english, spanish)
        printed = pd.answer_options(rng, name)
        words = tuple(f"{w} / {ANSWERS[w]}" if w in ANSWERS and ANSWERS[w] != w else w for w in printed)
        chosen = pd.chosen_index(name, record.truth[name])
        size = value_font.size
        wide = sum(value_font.getlength(w) + 2.4 * size for w in words)
        if x + wide > right:  # the options go on the line under the label
            flow.y += step
            x = value_x
        pd.options(p, x, flow.y, words, chosen, value_font, "box", rng.choice(("tick", "cross")))
        flow.y += step + (step // 2 if stacked else 0)

    def heading(key: str) -> None:
        flow.need(step * 4)
        p = flow.page
        flow.y += step // 2
        english = rng.choice(pd.SECTION_TITLES[key])
        p.text(left, flow.y, f"{english} / {rng.choice(SECTIONS[key])}", p.font(bold=True, scale=1.1))
        p.rule(left, right, flow.y + p.underline_gap(value_font), 0.8)
        flow.y += round(step * 1.5)

    field("record_date", in_section=False)
    for key in ("patient", *rng.sample(("emergency", "insurance", "history"), 3)):
        heading(key)
        for name in pd.SECTION_FIELDS[key]:
            if name in OPTION_FIELDS:
                answer(name)
            else:
                field(name)

    flow.need(step * 3)
    flow.y += step
    p = flow.page
    w = p.text(left, flow.y, "Signature / Firma:", label_font)
    p.rule(left + w + p.px(0.1), left + w + p.px(2.8), flow.y + p.px(0.03), 0.6)
    return record.truth, flow.images()
