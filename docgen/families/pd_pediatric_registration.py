"""A pediatric practice's registration form: a child's record filled in by a parent.

What it brings: the record's person is a child, named under wordings of its own ("Child's
name", "Name of child"), among a parent's or guardian's own details asked on the same form: the
parent's name, date of birth, cell and work phones and employer, a second parent now and then,
the insured's (a parent's) name and date of birth on the insurance, the child's school and
pediatrician with its phone. The emergency contact is asked as someone other than the parents.
Fields are written on underlines after their labels, several to a row, in the flowing layout of
``pd_new_patient_packet``. Truth follows ``_pd_common.Record``: the child's values.
"""

from __future__ import annotations

import random

from PIL import Image

from docgen import values
from docgen.families import _pd_common as pd
from docgen.families.pd_new_patient_packet import Packet

FAMILY = "pd_pediatric_registration"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "Pediatric registration on underlines: the child's fields among a parent's or guardian's own "
    "(name, date of birth, phones, employer), the insured parent, school and pediatrician"
)

TITLES = (
    "Pediatric Patient Registration",
    "Child Registration Form",
    "PEDIATRIC NEW PATIENT FORM",
    "Registration - Pediatrics",
    "New Child Patient Information",
)
CHILD_NAME = (
    "Child's name",
    "Child's full name",
    "Name of child",
    "Patient (child) name",
    "Child's legal name",
)
CHILD_SECTION = ("Child's Information", "About Your Child", "CHILD INFORMATION", "Patient (Child)")
PARENT_SECTION = (
    "Parent / Guardian",
    "Parent or Guardian Information",
    "PARENT/GUARDIAN",
    "Responsible Adult",
)
PARENT_NAME = ("Parent/guardian name", "Parent's name")
PARENT_PHONE = ("Cell phone", "Parent's cell", "Mobile")
EMERGENCY_SECTION = (
    "Emergency Contact (other than parent)",
    "Emergency contact - not a parent",
    "Emergency Contact",
    "In Case of Emergency",
)
SCHOOLS = (
    "Lincoln Elementary",
    "Roosevelt Middle School",
    "Oak Grove Academy",
    "Westside Primary",
    "Home school",
)
EMPLOYERS = ("Target", "City of Austin", "Mercy Hospital", "Self-employed", "Walmart", "School district")


class PediatricForm(Packet):
    """The packet's underline rows, headings and answer boxes, with a child's sections."""

    def child(self) -> None:
        rng, vals = self.rng, self.vals
        self.heading(rng.choice(CHILD_SECTION))
        name = self.field("patient_name")
        if name:
            name = [(rng.choice(CHILD_NAME), name[0][1])]
        sex = ("Sex", [vals.choice(("M", "F"))]) if rng.random() < 0.6 else None
        self.row([*name, *self.field("birth_date"), *([sex] if sex else [])])
        self.row(self.field("address"))
        self.row([*self.field("phone_number"), *self.field("height"), *self.field("weight")])
        if rng.random() < 0.7:
            self.row(
                [
                    (rng.choice(("School", "School attending")), [vals.choice(SCHOOLS)]),
                    ("Grade", [str(vals.randint(1, 8))]),
                ]
            )

    def parent(self, second: bool = False) -> None:
        rng, vals = self.rng, self.vals
        if not second:
            self.heading(rng.choice(PARENT_SECTION))
        relation = vals.choice(("Mother", "Father", "Guardian"))
        if second:
            wording = rng.choice(("Second parent/guardian", "Other parent"))
        else:
            own = {"Mother": "Mother's name", "Father": "Father's name", "Guardian": "Guardian name"}[
                relation
            ]
            wording = rng.choice((*PARENT_NAME[:2], own))
        relationship = (rng.choice(("Relationship to child", "Relationship")), [relation])
        self.row([(wording, [values.person_name(vals)]), relationship])
        self.row(
            [
                (rng.choice(("Date of birth", "DOB")), [values.date_text(vals, 1960, 2000)]),
                (rng.choice(PARENT_PHONE), [values.phone(vals)]),
            ]
        )
        if rng.random() < 0.6:
            self.row([("Employer", [vals.choice(EMPLOYERS)]), ("Work phone", [values.phone(vals)])])

    def emergency(self) -> None:
        rng = self.rng
        self.heading(rng.choice(EMERGENCY_SECTION))
        name, phone = self.field("emergency_contact_name", True), self.field("emergency_contact_phone", True)
        self.row([*name, *phone])

    def insurance(self) -> None:
        rng, vals = self.rng, self.vals
        self.heading(rng.choice(pd.SECTION_TITLES["insurance"]))
        if "has_medical_insurance" in self.record.truth:
            self.answer("has_medical_insurance")
        holder = rng.choice(("Policy holder", "Insured's name", "Subscriber (parent) name"))
        self.row(
            [(holder, [values.person_name(vals)]), ("Holder's DOB", [values.date_text(vals, 1960, 2000)])]
        )
        self.row([*self.field("insurance_company"), *self.field("policy_number")])
        self.row(self.field("insurance_expiry"))

    def health(self) -> None:
        rng, vals = self.rng, self.vals
        self.heading(rng.choice(("Child's Health", "Health History", "Medical History")))
        for name in ("chickenpox", "measles", "hepatitis_b_vaccination"):
            self.answer(name)
        self.row(self.field("medical_problems"))
        self.row(self.field("allergies"))
        self.row(self.field("regular_medications"))
        doctor = (
            rng.choice(("Previous pediatrician", "Pediatrician", "Primary doctor")),
            [values.prescriber(vals)],
        )
        self.row([doctor, ("Phone", [values.phone(vals)])])


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    form = PediatricForm(rng, dpi)
    form.header(TITLES, _practice_name)
    form.child()
    form.parent()
    if rng.random() < 0.4:
        form.parent(second=True)
    sections = [form.emergency, form.insurance]
    rng.shuffle(sections)
    for section in sections:
        section()
    form.health()
    form.signature("Parent/guardian signature")
    return form.record.truth, form.flow.images()


def _practice_name(rng: random.Random) -> str:
    return f"{rng.choice(pd.CLINIC_FIRST)} {rng.choice(('Pediatrics', 'Children’s Clinic', 'Kids Care'))}"
