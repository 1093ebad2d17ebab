"""OCR word correction against real vocabularies (extraction/lexicon.py).

Misreadings of several kinds are corrected and reported; real words, words close to other real words,
ambiguous misreadings, words with digits and short words are left as they are. A property: no word of a
lexicon is ever changed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction import lexicon as lexicon_module
from extraction.lexicon import (
    LEXICONS,
    Correction,
    correct_text,
    is_known,
    known_share,
    lexicon,
    resembles_listed,
)

ALL = list(LEXICONS)

# (text read, lexicons, text expected, [(read, taken, lexicon)] expected)
MISREADINGS = [
    # "rn" read for "m"
    ("Arnoxicillin", ["drugs"], "Amoxicillin", [("Arnoxicillin", "Amoxicillin", "drugs")]),
    ("Metforrnin", ["drugs"], "Metformin", [("Metforrnin", "Metformin", "drugs")]),
    ("Rnetforrnin", ["drugs"], "Metformin", [("Rnetforrnin", "Metformin", "drugs")]),  # first letter too
    ("Sacrarnento", ["places"], "Sacramento", [("Sacrarnento", "Sacramento", "places")]),
    ("Ternecula, CA", ["places"], "Temecula, CA", [("Ternecula", "Temecula", "places")]),
    ("at bedtirne", ["directions"], "at bedtime", [("bedtirne", "bedtime", "directions")]),
    # and "m" read for "rn"
    ("Amold", ["names"], "Arnold", [("Amold", "Arnold", "names")]),
    (
        "Thornas Jobnson",
        ["names"],
        "Thomas Johnson",
        [("Thornas", "Thomas", "names"), ("Jobnson", "Johnson", "names")],
    ),
    ("Brovvn", ["names"], "Brown", [("Brovvn", "Brown", "names")]),
    # "l" read as "!", "}", "i", "I"
    ("Allopurino!", ["drugs"], "Allopurinol", [("Allopurino!", "Allopurinol", "drugs")]),
    ("Allopurino}", ["drugs"], "Allopurinol", [("Allopurino}", "Allopurinol", "drugs")]),
    ("Portiand, OR", ["places"], "Portland, OR", [("Portiand", "Portland", "places")]),
    ("Seattie", ["places"], "Seattle", [("Seattie", "Seattle", "places")]),
    ("Atorvastatln 20 mg", ["drugs"], "Atorvastatin 20 mg", [("Atorvastatln", "Atorvastatin", "drugs")]),
    ("Lisinoprii", ["drugs"], "Lisinopril", [("Lisinoprii", "Lisinopril", "drugs")]),
    ("Ciozapine", ["drugs"], "Clozapine", [("Ciozapine", "Clozapine", "drugs")]),
    # conditions, for medical problems and allergies (words of the ICD-10-CM descriptions)
    (
        "Hypothyroidisrn",
        ["conditions"],
        "Hypothyroidism",
        [("Hypothyroidisrn", "Hypothyroidism", "conditions")],
    ),
    ("Migraine, insornnia", ["conditions"], "Migraine, insomnia", [("insornnia", "insomnia", "conditions")]),
    ("Shelfish", ["conditions", "drugs"], "Shellfish", [("Shelfish", "Shellfish", "conditions")]),
    # "y" read as "v", "e" as "c", "g" as "q"
    ("once dailv", ["directions"], "once daily", [("dailv", "daily", "directions")]),
    ("Mctformin", ["drugs"], "Metformin", [("Mctformin", "Metformin", "drugs")]),
    ("Ibuprofcn", ["drugs"], "Ibuprofen", [("Ibuprofcn", "Ibuprofen", "drugs")]),
    ("Chicaqo", ["places"], "Chicago", [("Chicaqo", "Chicago", "places")]),
    # a letter lost, or read twice
    ("Amoxicilin", ["drugs"], "Amoxicillin", [("Amoxicilin", "Amoxicillin", "drugs")]),
    ("Metoprololl", ["drugs"], "Metoprolol", [("Metoprololl", "Metoprolol", "drugs")]),
    # capitalisation kept, punctuation around kept, a real "!" left as punctuation
    ("ARNOXICILLIN", ["drugs"], "AMOXICILLIN", [("ARNOXICILLIN", "AMOXICILLIN", "drugs")]),
    ("arnoxicillin", ["drugs"], "amoxicillin", [("arnoxicillin", "amoxicillin", "drugs")]),
    ("(Arnoxicillin)", ["drugs"], "(Amoxicillin)", [("Arnoxicillin", "Amoxicillin", "drugs")]),
    ("Amoxicilin!", ["drugs"], "Amoxicillin!", [("Amoxicilin", "Amoxicillin", "drugs")]),
    # a whole line, several words corrected, the rest untouched
    (
        "Take 1 tablet by rnouth twice dailv with food",
        ["directions", "drugs"],
        "Take 1 tablet by mouth twice daily with food",
        [("rnouth", "mouth", "directions"), ("dailv", "daily", "directions")],
    ),
    (
        "Arnoxicillin 500 mg capsuie three tirnes a day",
        ["drugs", "directions"],
        "Amoxicillin 500 mg capsule three times a day",
        [
            ("Arnoxicillin", "Amoxicillin", "drugs"),
            ("capsuie", "capsule", "directions"),
            ("tirnes", "times", "directions"),
        ],
    ),
]

UNCHANGED = [
    # real drugs close to other real drugs
    "Zantac",
    "Xanax",
    "Celebrex",
    "Cerebyx",
    "hydroxyzine",
    "hydralazine",
    "Lamictal",
    "Lamisil",
    "Zyrtec",
    "Zocor",
    "Clonidine",
    "Klonopin",
    # names and places
    "Rossi",
    "Smith",
    "Jonathon",
    "Jonathan",
    "Spokane",
    # ordinary English words, a few close to drugs or to each other
    "Patient",
    "modern",
    "corner",
    "clear",
    "burn",
    "turn",
    "pharmacy",
    "Signature",
    "Refills",
    # ambiguous: as close to "Ativan" as to "Azovan", "Abigan"
    "Atovan",
    "Abivan",
    # a difference that is no OCR slip: "m" for "n", a letter lost that was not doubled
    "Valsartam",
    "Arnoxcillin",
    # a first letter that is no OCR confusion is never changed ("Moxicillin" is not "Amoxicillin")
    "Moxicillin",
    "Bortland",
    # words with digits, numbers, short words, unknown words
    "20mg",
    "Amoxici11in",
    "Metoprolo1",
    "500",
    "tab",
    "bid",
    "Qwertyuiop",
    "Xyzzyq",
    "",
]


@pytest.mark.parametrize(("text", "names", "expected", "corrections"), MISREADINGS)
def test_misreadings_are_corrected_and_reported(
    text: str, names: list[str], expected: str, corrections: list[tuple[str, str, str]]
) -> None:
    corrected, made = correct_text(text, names)
    assert corrected == expected
    assert [(c.read, c.taken, c.lexicon) for c in made] == corrections


@pytest.mark.parametrize("text", UNCHANGED)
def test_real_ambiguous_and_unreadable_words_are_left_alone(text: str) -> None:
    assert correct_text(text, ALL) == (text, [])


def test_a_correction_says_what_was_read() -> None:
    _, made = correct_text("Arnoxicillin", ["drugs"])
    assert made == [Correction(read="Arnoxicillin", taken="Amoxicillin", lexicon="drugs")]
    assert str(made[0]) == "read 'Arnoxicillin', taken as 'Amoxicillin'"


def test_a_word_real_in_another_lexicon_is_not_corrected() -> None:
    # "Rossi" is a surname: asked to correct against drugs only, it still stays.
    assert correct_text("Rossi", ["drugs"]) == ("Rossi", [])
    # and a misreading is only taken as a word of the lexicons asked for
    assert correct_text("Portiand", ["drugs"]) == ("Portiand", [])


def test_names_take_confusions_only() -> None:
    # Surnames differ by a doubled letter ("Hilley", "Hiley"), so a doubled letter is no slip for names.
    assert correct_text("Smiith", ["names"]) == ("Smiith", [])
    assert correct_text("Wiiliams", ["names"])[0] == "Williams"  # "ii" read for "il"


def test_short_words_only_for_the_directions_list() -> None:
    assert correct_text("tirne", ["directions"])[0] == "time"  # 5 letters
    assert correct_text("rneal", ["directions"])[0] == "meal"
    assert correct_text("dosc", ["directions"])[0] == "dose"  # 4 letters, a confusion only
    assert correct_text("dosc", ["drugs", "places", "names"])[0] == "dosc"


def test_whitespace_and_everything_but_the_words_is_kept() -> None:
    text = "  Arnoxicillin\t500mg,\n(Portiand)  --  "
    corrected, made = correct_text(text, ["drugs", "places"])
    assert corrected == "  Amoxicillin\t500mg,\n(Portland)  --  "
    assert len(made) == 2


def test_unknown_lexicon_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown lexicon"):
        correct_text("Arnoxicillin", ["drugz"])
    with pytest.raises(TypeError):
        correct_text("Arnoxicillin", "drugs")


def test_is_known() -> None:
    assert is_known("AMOXICILLIN", ["drugs"])
    assert is_known("portland", ["drugs", "places"])
    assert not is_known("Portland", ["drugs"])
    assert not is_known("Arnoxicillin", ALL)
    assert is_known("Rossi", ["names"])
    assert is_known("tablets", ["directions"])
    assert is_known("window", ["english"])


@pytest.mark.parametrize(
    ("word", "resembles"),
    [
        ("Sertraline", True),  # listed
        ("Sectealine", True),  # handwriting misread far past a correction's budget
        ("heithcomycin", True),
        ("Patient", False),  # a real English word read right
        ("Brooklyn", False),  # a place, and English
        ("Gwaxtup", False),  # too far from any listed name
        ("Lasix", True),
        ("Lasx", False),  # under five letters: too many names are that near
        ("Sectea1ine", False),  # not letters alone
    ],
)
def test_a_badly_misread_name_still_resembles_a_listed_one(word: str, resembles: bool) -> None:
    assert resembles_listed(word, ("drugs",), 0.7) is resembles


def test_known_share() -> None:
    assert known_share("Take one tablet by mouth daily", ["directions"]) == 1.0
    assert known_share("Take Arnoxicillin", ["directions", "drugs"]) == 0.5
    assert known_share("Amoxicillin 500 mg", ["drugs"]) == 0.5  # "mg" is no drug; "500" is no word
    assert known_share("Amoxicillin 500 mg", ["drugs", "directions"]) == 1.0
    assert known_share("zxq vbn", ALL) == 0.0
    assert known_share("", ALL) == 0.0
    assert known_share("12/03/2024", ALL) == 0.0


@pytest.mark.parametrize("name", ALL)
def test_every_lexicon_loads_with_its_candidate_index(name: str) -> None:
    """How long loading takes is reported by ``benchmarks/speed.py``, not timed here."""
    lexicon.cache_clear()
    loaded = lexicon(name)
    assert loaded.buckets  # the candidate index is built too
    assert len(loaded.words) > (100 if name == "directions" else 5000)


def _words(name: str) -> list[str]:
    return sorted(lexicon(name).words)


@pytest.mark.parametrize("name", ALL)
def test_every_word_of_a_lexicon_is_left_alone(name: str) -> None:
    """The whole list at once, as one text, in lower case and in capitals."""
    text = " ".join(_words(name))
    assert correct_text(text, ALL) == (text, [])
    assert correct_text(text.title(), [name]) == (text.title(), [])


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_property_no_lexicon_word_is_changed(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(ALL))
    word = data.draw(st.sampled_from(_words(name)))
    style = data.draw(st.sampled_from([str.lower, str.upper, str.title]))
    punct = data.draw(st.sampled_from(["", ",", ".", ":", ")"]))
    text = style(word) + punct
    assert correct_text(text, [name]) == (text, [])
    assert correct_text(text, ALL) == (text, [])


def test_fold_and_distance() -> None:
    distance = lexicon_module.ocr_distance
    assert distance("arnoxicillin", "amoxicillin") == 0.5
    assert distance("allopurino!", "allopurinol") == 0.5
    assert distance("amoxicilin", "amoxicillin") == 0.5  # a doubled letter read once
    assert distance("portiand", "portland") == 0.5
    assert distance("zantac", "xanax") >= 2
    assert distance("celebrex", "cerebyx") >= 2


def test_a_word_ocr_split_in_two_is_joined_and_reported() -> None:
    text, corrections = correct_text("Metform in\nVentolin inhaler", ["drugs"])
    assert text == "Metformin\nVentolin inhaler"
    assert [(c.read, c.taken) for c in corrections] == [("Metform in", "Metformin")]
    # Two real words are never joined, whatever they would make.
    assert correct_text("take one tab in the morning", ["drugs", "directions"])[0] == (
        "take one tab in the morning"
    )


def test_a_word_ocr_split_in_three_is_joined_and_what_follows_kept() -> None:
    # Letter spacing read as spaces: "Lisino p ril" was left as three words, unflagged.
    text, corrections = correct_text("Lisino p ril\nAmlo dip ine 5 mg\nMetform in at night", ["drugs"])
    assert text == "Lisinopril\nAmlodipine 5 mg\nMetformin at night"
    assert [c.read for c in corrections] == ["Lisino p ril", "Amlo dip ine", "Metform in"]


# ---- street suffixes ----------------------------------------------------------------------

STREET_SUFFIX_EXAMPLES = [
    ("3 Ash PI, Dallas, TX", "3 Ash Pl, Dallas, TX"),
    ("46 church In, jersey city, NJ", "46 church ln, jersey city, NJ"),
    ("66 Washington Bivd, Minneapolis, MN", "66 Washington Blvd, Minneapolis, MN"),
    ("49 Sycamore PI\nSan Diego, CA 92118", "49 Sycamore Pl\nSan Diego, CA 92118"),
    ("12 ELM BIVD", "12 ELM BLVD"),
]


@pytest.mark.parametrize(("read", "taken"), STREET_SUFFIX_EXAMPLES)
def test_a_street_suffix_misread_by_a_confusable_glyph_is_set_right(read: str, taken: str) -> None:
    from extraction.streets import correct_street_suffixes

    corrected, corrections = correct_street_suffixes(read)
    assert corrected == taken
    assert len(corrections) == 1 and corrections[0].read in read


@pytest.mark.parametrize(
    "text",
    [
        "12 Main St, Boston",  # a suffix as read
        "5 Bay Road, Tampa, FL",  # a suffix written out
        "Apt 4 in the back",  # "in" where no suffix stands: no house number and street before it
        "PO Box 12",
        "82 Main Way\nUnited States",
    ],
)
def test_words_that_are_suffixes_or_stand_where_none_does_are_left_alone(text: str) -> None:
    from extraction.streets import correct_street_suffixes

    assert correct_street_suffixes(text) == (text, [])


@pytest.mark.parametrize(
    ("address", "doubts"),
    [
        ("5431 Magnolia Rood, Columbus, OH", [("Rood", "road")]),  # an English word, where a suffix stands
        ("12 Pine Lone\nAustin, TX", [("Lone", "lane")]),
        ("5 Bay Road, Tampa, FL", []),  # a suffix written out
        ("12 Ocean Bay, Miami", []),  # too short to tell: "Bay" is one letter from "Way"
        ("12 King St West, Toronto", []),  # a direction after the suffix
        ("77 Broadway, New York", []),
        ("Rood Medical Supplies, 4 Elm St", []),  # no house number before it
    ],
)
def test_a_word_where_a_street_s_suffix_stands_one_letter_from_one_is_doubted(
    address: str, doubts: list[tuple[str, str]]
) -> None:
    from extraction.streets import misread_suffix_names

    assert misread_suffix_names(address) == doubts


def test_the_written_out_suffixes_are_a_sorted_list_of_lower_case_words() -> None:
    from extraction.streets import SUFFIX_NAME_FILE, suffix_names

    words = [w for w in SUFFIX_NAME_FILE.read_text().splitlines() if w and not w.startswith("#")]
    assert words == sorted(words) and all(w.isalpha() and w.islower() for w in words)
    assert {"road", "street", "avenue", "lane", "drive", "court"} <= suffix_names()


STATE_CODE_EXAMPLES = [
    ("6522 Willow Court, Orlando, Fl", "6522 Willow Court, Orlando, FL"),
    ("Orlando, F1 32801", "Orlando, FL 32801"),
    ("Springfield, Il 62701-1234", "Springfield, IL 62701-1234"),
    ("1608 lake st, boston, ma", "1608 lake st, boston, MA"),
    ("49 Sycamore Pl\nAustin, Tx 78701\nUnited States", "49 Sycamore Pl\nAustin, TX 78701\nUnited States"),
]


@pytest.mark.parametrize(("read", "taken"), STATE_CODE_EXAMPLES)
def test_a_state_code_misread_in_small_letters_or_a_confusable_glyph_is_set_in_capitals(
    read: str, taken: str
) -> None:
    from extraction.streets import correct_street_suffixes

    corrected, corrections = correct_street_suffixes(read)
    assert corrected == taken
    assert [c.lexicon for c in corrections] == ["state codes"]


@pytest.mark.parametrize(
    "text",
    [
        "Austin, TX 78701",  # a code as printed
        "Des Moines, Ia",  # IA or LA: no telling which
        "12 Main St, Fl 3",  # a floor: no ZIP code after it
        "Sacramento, California, 95852",  # the state written out
        "Apt 4, Bldg 2",
    ],
)
def test_state_codes_as_printed_or_that_cannot_be_told_are_left_alone(text: str) -> None:
    from extraction.streets import correct_street_suffixes

    assert correct_street_suffixes(text) == (text, [])


def test_a_corrected_street_suffix_flags_the_address() -> None:
    from extraction.doctypes import get_document_type
    from extraction.normalize import normalize

    value, problem = normalize(
        get_document_type("patient_details").field("address"), ["3 Ash PI, Dallas, TX"]
    )
    assert value == "3 Ash Pl, Dallas, TX"
    assert problem is not None and "'PI'" in problem


# ---- doses ----------------------------------------------------------------------------------

DOSE_UNITS = ("mg", "mcg", "g", "ml", "mL", "IU", "units")


@pytest.mark.parametrize(
    ("read", "taken"),
    [
        ("Clopidogrel 75 mq", "Clopidogrel 75 mg"),
        ("Albuterol 9O mcg", "Albuterol 90 mcg"),
        ("Amlodipine 2.S mg", "Amlodipine 2.5 mg"),
        ("Lisinopril 1O rng", "Lisinopril 10 mg"),
        ("Losartan 25 mI", "Losartan 25 ml"),
        # A handwritten 0 left open reads "C"; an "m" that lost a hump reads "n".
        ("Cephalexin 50C mg", "Cephalexin 500 mg"),
        ("Valacyclovir ICCC mg", "Valacyclovir 1000 mg"),
        ("Methotrexate 2.5 ng", "Methotrexate 2.5 mg"),
        ("Albuterol 90 meg", "Albuterol 90 mcg"),  # a "c" closed up into an "e"
    ],
)
def test_a_dose_misread_by_a_confusable_glyph_is_set_right(read: str, taken: str) -> None:
    from extraction.doses import repair_doses

    repaired, repairs = repair_doses(read, DOSE_UNITS)
    assert repaired == taken
    assert len(repairs) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Bupropion 150 mg",
        "Metformin 500mg",
        "Vitamin B12 1000 mcg",
        "take 2 tablets",
        "Zinc 5O",
        "Item 12 go",
        "Zinc:5 each",
        "Amlodipine 2.5mg",
        "take 2.each day",
        # A mark where a space is ("Losartan.100"): told from a printed one at the page's ink
        # (extraction.specks), not from the text.
        "Losartan.100 mg",
        "Levothyroxine 75.mcg",
    ],
)
def test_doses_as_read_and_numbers_with_no_unit_are_left_alone(text: str) -> None:
    from extraction.doses import repair_doses

    assert repair_doses(text, DOSE_UNITS) == (text, [])
