"""Lexicon-constrained CTC decoding of the second reader's column probabilities.

The likelihoods are checked against every alignment counted by hand; the decoding on small
probability matrices drawn to hold a misread word with its true letters close behind.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from extraction.second_look import DATE_SHAPES
from extraction.word_decoding import (
    Expected,
    NumberShape,
    candidates,
    decode,
    likeliest_answer,
    likeliest_shape,
    log_likelihoods,
)

# A small alphabet in the recognizer's layout: the blank first, a space among the symbols.
ALPHABET = [
    "<blank>",
    " ",
    *"abcdefghijklmnopqrstuvwxyz",
    *"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    *"0123456789",
    *",./-[]+|",
]
INDEX = {symbol: i for i, symbol in enumerate(ALPHABET)}


def _collapse(path: tuple[int, ...]) -> tuple[int, ...]:
    """The label a CTC path reads: repeats merged, then blanks dropped."""
    merged = [symbol for symbol, _ in itertools.groupby(path)]
    return tuple(symbol for symbol in merged if symbol != 0)


def test_likelihoods_sum_every_alignment_of_each_label() -> None:
    rng = np.random.default_rng(3)
    probabilities = rng.dirichlet(np.ones(3), size=5)  # 5 columns, blank and two symbols
    labels = [[1], [1, 2], [1, 1], [2, 1, 2]]
    brute = dict.fromkeys(map(tuple, labels), 0.0)
    for path in itertools.product(range(3), repeat=5):
        read = _collapse(path)
        if read in brute:
            brute[read] += float(np.prod([probabilities[t, s] for t, s in enumerate(path)]))
    got = log_likelihoods(probabilities, labels)
    assert np.allclose(np.exp(got), [brute[tuple(label)] for label in labels])


def _columns(text: str, rivals: dict[int, tuple[str, float]] | None = None) -> np.ndarray:
    """Column probabilities reading ``text``: each symbol sure (0.9) in one column with a blank
    column after it; ``rivals`` gives a symbol's column a second symbol at that probability."""
    rows = []
    for position, symbol in enumerate(text):
        row = np.full(len(ALPHABET), 1e-4)
        row[INDEX[symbol]] = 0.9
        if rivals and position in rivals:
            rival, probability = rivals[position]
            row[INDEX[rival]] = probability
            row[INDEX[symbol]] = 0.9 - probability
        blank = np.full(len(ALPHABET), 1e-4)
        blank[0] = 0.9
        rows += [row / row.sum(), blank / blank.sum()]
    return np.array(rows)


def test_a_misread_word_becomes_the_vocabulary_word_its_columns_nearly_read() -> None:
    # "Cedeine": the second column read "e", yet "o" is close behind it.
    columns = _columns("Cedeine", {1: ("o", 0.4)})
    assert decode(columns, ALPHABET, Expected(lexicons=("drugs",))) == "Codeine"


def test_a_vocabulary_word_the_columns_do_not_support_is_not_taken() -> None:
    # The "o" of "Codeine" has no weight in the second column: the word is left as read.
    columns = _columns("Cedeine")
    columns[2, INDEX["o"]] = 1e-9
    columns = columns / columns.sum(axis=1, keepdims=True)
    assert decode(columns, ALPHABET, Expected(lexicons=("drugs",))) is None


def test_known_words_short_words_and_numbers_are_left_as_read() -> None:
    for text in ("Gout", "12 mg", "ab"):
        assert decode(_columns(text), ALPHABET, Expected(lexicons=("english",))) is None


def test_each_word_of_a_line_is_weighed_on_its_own_columns() -> None:
    # "Marsaret Jenes": the given name's "s" nearly reads "g", the surname's "e" nearly "o".
    columns = _columns("Marsaret Jenes", {3: ("g", 0.35), 10: ("o", 0.35)})
    assert decode(columns, ALPHABET, Expected(lexicons=("names",))) == "Margaret Jones"


def test_punctuation_round_a_word_is_kept() -> None:
    columns = _columns("Cedeine,", {1: ("o", 0.4)})
    assert decode(columns, ALPHABET, Expected(lexicons=("drugs",))) == "Codeine,"


@pytest.mark.parametrize(("word", "near"), [("cedeine", "codeine"), ("Marsaret", "margaret")])
def test_candidates_are_vocabulary_words_a_few_edits_away(word: str, near: str) -> None:
    assert near in candidates(word, ("drugs", "names"))


def test_a_choice_is_read_as_the_answer_its_columns_read_likeliest() -> None:
    # "N0T IMMVNE": two columns misread, the answer's letters close behind them.
    columns = _columns("NoT IMMuNE", {1: ("O", 0.4), 7: ("U", 0.4)})
    assert likeliest_answer(columns, ALPHABET, ("IMMUNE", "NOT IMMUNE")) == "NOT IMMUNE"
    # Written in small letters, the answer is still given as listed.
    assert likeliest_answer(_columns("yes"), ALPHABET, ("Yes", "No")) == "Yes"


def test_print_far_from_every_answer_is_no_answer() -> None:
    assert likeliest_answer(_columns("Vaccines"), ALPHABET, ("Yes", "No")) is None


DATE = Expected(words=("December", "Dec"), number_symbols="0123456789/-.,")


def test_a_date_s_month_is_read_as_a_month_and_its_numbers_as_digits() -> None:
    # "Decerber z 2019": the month's "r" nearly reads "m", the day's "z" nearly "2".
    columns = _columns("Decerber z 2019", {4: ("m", 0.35), 9: ("2", 0.35)})
    assert decode(columns, ALPHABET, DATE) == "December 2 2019"


def test_a_stroke_read_as_a_symbol_at_a_word_s_edge_may_be_the_word_s_letter() -> None:
    # "Oc+ 7 2015": the month's "t" read "+", a "t" close behind it; two letters and the
    # symbol make a word long enough to weigh.
    columns = _columns("Oc+ 7 2015", {2: ("t", 0.3)})
    assert decode(columns, ALPHABET, Expected(words=("October", "Oct"), number_symbols="0123456789/")) == (
        "Oct 7 2015"
    )
    # Unsupported by its columns the symbol stays as read; a box's wall before a known word too.
    assert decode(_columns("Oc+ 7 2015"), ALPHABET, Expected(words=("Oct",))) is None
    assert decode(_columns("|Codeine"), ALPHABET, Expected(lexicons=("drugs",))) is None


def test_digits_the_columns_do_not_support_are_not_read() -> None:
    columns = _columns("Dec z 2019")
    columns[8, INDEX["2"]] = 1e-9  # the day's column holds no "2" at all
    columns = columns / columns.sum(axis=1, keepdims=True)
    assert decode(columns, ALPHABET, DATE) is None


PERSON = Expected(lexicons=("names",), common=("common_names",))


def test_a_rare_listed_name_is_read_as_a_common_one_its_columns_nearly_read() -> None:
    # "Snith" is a surname of the census lists, borne by very few; "Smith" by one in a hundred.
    columns = _columns("Joseph Snith", {8: ("m", 0.3)})
    assert decode(columns, ALPHABET, PERSON) == "Joseph Smith"
    # Without the common list a listed name stays as read.
    assert decode(columns, ALPHABET, Expected(lexicons=("names",))) is None


def test_a_rare_name_the_columns_support_alone_is_kept() -> None:
    columns = _columns("Joseph Snith")
    assert decode(columns, ALPHABET, PERSON) is None


def test_a_bracket_before_a_number_is_never_read_as_a_digit() -> None:
    # A box's wall read "[" before a date, a "1" close behind it: a wall is no misread digit.
    columns = _columns("[7/9/2021", {0: ("1", 0.3)})
    assert decode(columns, ALPHABET, DATE) in (None, "7/9/2021")
    # A letter is: "z" for a written "2".
    assert decode(_columns("z7/9/2021", {0: ("1", 0.3)}), ALPHABET, DATE) == "17/9/2021"


def test_a_field_s_own_words_stand_beside_its_lexicons() -> None:
    # "mcq": one letter from the English "meg" and from the unit "mcg", whose "g" is close behind.
    columns = _columns("Fluticasone 220 mcq", {18: ("g", 0.4)})
    expected = Expected(lexicons=("drugs", "english"), words=("mg", "mcg"))
    assert decode(columns, ALPHABET, expected) == "Fluticasone 220 mcg"


@pytest.mark.parametrize(
    ("text", "whole", "allowed"),
    [
        ("7/6/2023", True, True),
        ("2002-08-13", True, True),
        ("7/6/23", True, True),
        ("716/2023", True, False),  # two groups
        ("7/6-2023", True, False),  # two separators
        ("7/6/202", True, False),  # a year of three digits
        ("7/6/202", False, True),  # ... may still become one
        ("716/", False, False),  # a first group of three digits is no day, month or year
        ("", False, True),
    ],
)
def test_a_number_shape_tells_values_and_their_beginnings(text: str, whole: bool, allowed: bool) -> None:
    assert any(shape.allows(text, whole) for shape in DATE_SHAPES) is allowed


def test_a_date_read_in_none_of_its_shapes_is_read_in_the_likeliest_the_columns_support() -> None:
    # "716/2023": the written "/" after the "7" read as a "1", a "/" close behind it.
    columns = _columns("716/2023", {1: ("/", 0.3)})
    assert likeliest_shape(columns, ALPHABET, DATE_SHAPES) == "7/6/2023"
    # Year first, both separators read as "1"s.
    columns = _columns("2002108113", {4: ("/", 0.2), 7: ("/", 0.25)})
    assert likeliest_shape(columns, ALPHABET, DATE_SHAPES) == "2002/08/13"


def test_a_shape_the_columns_do_not_support_is_not_read() -> None:
    columns = _columns("716/2023")
    columns[2, INDEX["/"]] = 1e-9  # the "1" column holds no "/" at all
    columns = columns / columns.sum(axis=1, keepdims=True)
    assert likeliest_shape(columns, ALPHABET, DATE_SHAPES) is None


def test_a_reading_in_a_shape_or_in_words_is_left_as_read() -> None:
    assert likeliest_shape(_columns("7/6/2023"), ALPHABET, DATE_SHAPES) is None
    assert likeliest_shape(_columns("Jul 6, 2023", {0: ("7", 0.3)}), ALPHABET, DATE_SHAPES) is None
    phone = NumberShape(((3, 3), (3, 3), (4, 4)), "-")
    assert likeliest_shape(_columns("555-0187"), ALPHABET, (phone,)) is None


def test_an_english_word_of_no_line_lexicon_is_read_as_one_of_its_words_its_columns_nearly_read() -> None:
    """Dosing directions are written with the words of their lexicon: "cop", an English word,
    read where the columns nearly read "cap", is "cap"; unsupported, it stays."""
    directions = Expected(lexicons=("english", "directions"), common=("directions",))
    assert decode(_columns("1 cop daily", {3: ("a", 0.35)}), ALPHABET, directions) == "1 cap daily"
    assert decode(_columns("1 cop daily"), ALPHABET, directions) is None
    english = Expected(lexicons=("english", "directions"))
    assert decode(_columns("1 cop daily", {3: ("a", 0.35)}), ALPHABET, english) is None
