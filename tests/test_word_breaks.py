"""Words a lost space ran together, parted again where print is read as a label: a run is
parted only when it is no word and splits wholly into common words and labels' words."""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.keys import find_keys
from extraction.validate import validate_fields
from extraction.word_breaks import number_run_on, respaced, run_together, split_apart
from tests.layout_text import parse_layout

PATIENT = get_document_type("patient_details")


@pytest.mark.parametrize(
    ("read", "parted"),
    [
        ("Yourheightincm", "Your height in cm"),
        ("7. Your weightinkg", "7. Your weight in kg"),
        ("Whatis your fullname?", "What is your full name?"),
        ("we may callin anemergency", "we may call in an emergency"),
        ("Dateofbirth:", "Date of birth:"),
        ("Nextofkin", "Next of kin"),
    ],
)
def test_words_run_together_are_parted(read: str, parted: str) -> None:
    assert respaced(read) == parted


@pytest.mark.parametrize(
    "word",
    # Words of their own (a rare spelling, a place, a name) and runs that would part only
    # into a longer word's endings ("hospital|is|ed") stay whole; so do short runs ("DOB").
    ["hospitalised", "Immunised", "Lindqvist", "Johannesburg", "Nashville", "Mcdonald", "DOB", "hepatitisB"],
)
def test_words_and_runs_of_no_known_words_stay_whole(word: str) -> None:
    assert respaced(word) == word


def test_a_value_is_never_parted() -> None:
    page = parse_layout("200 400 Patient Intake\n200 600 Address:\n240 660 12 Fairview Springfield")
    assert extract_fields(PATIENT, page, 0.8)["address"].value == "12 Fairview Springfield"
    assert "Fair view" not in " ".join(k.text for k in find_keys(page[0], PATIENT.vocabulary))


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("Evergreen Lifeand Health", [("Lifeand", "Life and")]),
        ("Mutualof Omaha", [("Mutualof", "Mutual of")]),
        ("Carewith Health", [("Carewith", "Care with")]),
        # Words of English at any frequency and words the field knows stay whole, and so do
        # brands joined from words of content.
        ("Evergreen Life and Health", []),
        ("Northstar Silverline Carefirst Humana", []),
        ("Blue Cross of Idaho", []),
        # A capital after a small letter opens a word: common words so joined lost a space.
        ("BlueAssurance", [("BlueAssurance", "Blue Assurance")]),
        # A name's prefix is no word of its own; a brand of a rare word is left alone.
        ("Ronald McDonald", []),
        ("Amy LeBlanc", []),
        ("MedStar Health", []),
    ],
)
def test_words_run_together_in_a_value_are_named_not_parted(value: str, named: list) -> None:
    assert run_together(value, lambda word: False) == named


def test_a_text_value_with_words_run_together_is_flagged_but_a_place_is_not() -> None:
    page = parse_layout(
        "200 400 Patient Intake\n200 600 Insurance company: Evergreen Lifeand Health\n"
        "200 700 Address: 12 Fairview Road, Springfield"
    )
    fields = validate_fields(PATIENT, extract_fields(PATIENT, page, 0.8))
    insurer, address = fields["insurance_company"], fields["address"]
    assert insurer.value == "Evergreen Lifeand Health"
    assert insurer.needs_review and "'Lifeand' may be words run together" in insurer.reason
    assert "run together" not in (address.reason or "")


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("Blue Life and He alth", [("He alth", "Health")]),  # a space OCR put inside a word
        ("Evergreen Insur ance", [("Insur ance", "Insurance")]),
        # Two words either way, words of English both, and words the field knows stay as read.
        ("Take 1 tablet to day", []),
        ("Any one of them", []),
        ("Acid re flux", []),
        ("Heritage Mutual", []),
        ("Dr. Rao", []),
    ],
)
def test_a_word_split_apart_in_a_value_is_named(value: str, named: list) -> None:
    assert split_apart(value, lambda word: False) == named


def test_a_text_value_with_a_word_split_apart_is_flagged_but_a_name_is_not() -> None:
    page = parse_layout(
        "200 400 Patient Intake\n200 500 Patient name: Ann Mc Donald\n"
        "200 600 Insurance company: Blue Life and He alth"
    )
    fields = validate_fields(PATIENT, extract_fields(PATIENT, page, 0.8))
    insurer, name = fields["insurance_company"], fields["patient_name"]
    assert insurer.needs_review and "'He alth' may be one word split apart ('Health')" in insurer.reason
    assert "split apart" not in (name.reason or "")


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("28Adams Blvd", ["28Adams"]),  # a house number run on to its street
        ("Take 2Tablets daily", ["2Tablets"]),
        # A number's own endings: small letters, one capital.
        ("12th Street", []),
        ("Amlodipine 5mg", []),
        ("Flat 1A, 3M Health", []),
        ("28 Adams Blvd", []),
    ],
)
def test_a_number_run_on_to_a_word_is_named(value: str, named: list) -> None:
    assert number_run_on(value) == named


def test_an_address_with_its_number_run_on_to_the_street_is_flagged() -> None:
    page = parse_layout("200 400 Patient Intake\n200 700 Address: 28Adams Blvd, Hartford")
    address = validate_fields(PATIENT, extract_fields(PATIENT, page, 0.8))["address"]
    assert address.value == "28Adams Blvd, Hartford"
    assert address.needs_review and "'28Adams' may be a number and a word run together" in address.reason
