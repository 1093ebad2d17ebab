"""Two readings that differ only in punctuation: which marks the second reader is trusted with."""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.punctuation_readings import second_marks_better
from extraction.second_reader import Reading
from extraction.types import FieldResult
from extraction.weigh_readings import compare


@pytest.mark.parametrize(
    ("first", "second", "better"),
    [
        ("Dr Amy Olson, MBBS", "Dr. Amy Olson, MBBS", True),  # an abbreviation's full stop
        ("Dr Larry Bell, MD", "Dr Larry Bell, M.D", True),
        ("+Eggs", "Eggs", True),  # a speck read as a mark at a word's start
        ("[Tree nuts", "Tree nuts", True),
        ("6420) mill court", "6420 mill court", True),  # ... at a word's end
        ("16 Park.Avenue, Jersey City", "16 Park Avenue, Jersey City", True),  # between words
        ("San Diego,.CA", "San Diego, CA", True),
        ("6294 Pine Dr Houston, TX", "6294 Pine Dr, Houston, TX", True),  # a comma lost
        ("78 Church Drive, Denver CO", "78 Church Drive, Denver, CO", True),
        ("1642 River Road. Springfield, IL", "1642 River Road, Springfield, IL", True),  # read as a stop
        ("Dr. Joshua Schmidt. MD", "Dr. Joshua Schmidt, MD", True),
        ("5 spruce ct; columbus, OH", "5 spruce ct, columbus, OH", True),  # ... as a semicolon
        ("P.O, Box 70936, Nairobi", "P.O. Box 70936, Nairobi", True),  # dotted capitals' last stop
        ("12 Main St, Austin, TX", "12 Main St. Austin, TX", False),  # a comma after a word kept
        ("Amoxicillin 1200 mg", "Amoxicillin 1,200 mg", False),  # a comma between digits
        ("Dr. Omar Barnes, MD", "Dr Omar Barnes, MD", False),  # an abbreviation's stop lost
        ("Dr. Jason Foster, D.O.", "Dr Jason Foster, D.O", False),
        ("93 Maple Way, Chicago, IL", "93 Maple Way. Chicago. IL", False),  # commas as stops
        ("Codeine", "Codeine.", False),  # a stop added at the end
        ("Ondansetron 4 mg", "Ondansetron 4.mg", False),
        ("31/10/1986", "31101986", False),  # marks between digits part a number
        ("Dr Amy Olson", "Dr Amy Olsen", False),  # a letter differs: no question of marks
    ],
)
def test_the_second_reading_s_marks_are_better_only_where_tesseract_errs(
    first: str, second: str, better: bool
) -> None:
    assert second_marks_better(first, second) is better


def test_a_second_reading_with_an_abbreviation_s_full_stop_is_taken_and_flagged() -> None:
    spec = get_document_type("prescription").field("prescriber")
    read = FieldResult("Dr Amy Olson, MBBS", 0.89, False, None, 0, (10, 10, 300, 40))
    taken = compare(spec, read, Reading("Dr. Amy Olson, MBBS", 1.0))
    assert taken.value == "Dr. Amy Olson, MBBS" and taken.needs_review
    kept = compare(spec, read, Reading("Dr Amy Olson. MBBS", 1.0))
    assert kept.value == "Dr Amy Olson, MBBS" and kept.needs_review  # disagreeing: flagged
    unsure = compare(spec, read, Reading("Dr. Amy Olson, MBBS", 0.8))
    assert unsure.value == "Dr Amy Olson, MBBS"
