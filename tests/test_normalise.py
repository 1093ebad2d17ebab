"""Normalised values for export: dates as ISO 8601 in any printed form, phones as E.164, no guesses."""

from __future__ import annotations

import logging

import pytest

from medextract import config
from medextract.normalise import (
    NOT_A_DATE,
    TWO_DIGIT_YEAR,
    Normalised,
    Settings,
    normalise,
    normalise_date,
    normalise_phone,
    settings,
)


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("17/12/2020", "2020-12-17"),  # only day first gives a date: no order needed
        ("12/31/2020", "2020-12-31"),  # only month first does
        ("5/5/2020", "2020-05-05"),  # either way round, the same day
        ("2020-12-17", "2020-12-17"),
        ("2020/12/7", "2020-12-07"),
        ("17.12.2020", "2020-12-17"),
        ("17-12-2020", "2020-12-17"),
        ("17 / 12 / 2020", "2020-12-17"),
        ("  03/14/2026 ", "2026-03-14"),
        ("May 6 1972", "1972-05-06"),
        ("May 6, 1972", "1972-05-06"),
        ("May 6,1972", "1972-05-06"),
        ("Jan 10,2018", "2018-01-10"),
        ("Sept. 6th, 1972", "1972-09-06"),
        ("September 6 1972", "1972-09-06"),
        ("SEP 06 1972", "1972-09-06"),
        ("6 May 1972", "1972-05-06"),
        ("06-May-1972", "1972-05-06"),
        ("6th of May, 1972", "1972-05-06"),
        ("17.Dec.2020", "2020-12-17"),
        ("Dec 17 2020.", "2020-12-17"),
        ("Tuesday, May 6, 1972", "1972-05-06"),
        ("1972 May 6", "1972-05-06"),
        ("29 Feb 2024", "2024-02-29"),
    ],
)
def test_dates_in_printed_forms_read_the_same_under_any_setting(printed: str, iso: str) -> None:
    for order in (None, "DMY", "MDY"):
        assert normalise_date(printed, order) == Normalised(iso), (printed, order)


def test_an_either_way_date_follows_the_deployments_order() -> None:
    assert normalise_date("5/11/2022", "DMY") == Normalised("2022-11-05")
    assert normalise_date("5/11/2022", "MDY") == Normalised("2022-05-11")
    assert normalise_date("05.11.2022", "DMY") == Normalised("2022-11-05")
    # The setting decides only what the calendar leaves open.
    assert normalise_date("17/12/2020", "MDY") == Normalised("2020-12-17")
    assert normalise_date("12/31/2020", "DMY") == Normalised("2020-12-31")


def test_without_an_order_an_either_way_date_is_left_empty_and_says_why() -> None:
    unsure = normalise_date("5/11/2022", None)
    assert unsure.value == ""
    assert "either way round" in unsure.note and "5 Nov 2022 or 11 May 2022" in unsure.note
    assert "MEDEXTRACT_DATE_ORDER" in unsure.note


@pytest.mark.parametrize(
    ("printed", "note"),
    [
        ("5/11/22", TWO_DIGIT_YEAR),  # under any order: the century is not printed
        ("May 6 72", TWO_DIGIT_YEAR),
        ("31/02/2020", "no such date"),
        ("13/13/2020", "no such date"),
        ("30 Feb 2021", "no day 30 of month 2"),
        ("1/2/1850", "the year 1850 is implausible"),
        ("Mai 6 1972", "'mai' is not a month"),
        ("May 1972", NOT_A_DATE),
        ("12/2025", NOT_A_DATE),
        ("tomorrow", NOT_A_DATE),
        ("20201217", NOT_A_DATE),
    ],
)
def test_what_cannot_be_read_surely_is_left_empty_with_a_note(printed: str, note: str) -> None:
    for order in (None, "DMY", "MDY"):
        reading = normalise_date(printed, order)
        assert reading.value == "" and note in reading.note, (printed, order, reading)


def test_an_empty_value_has_no_normalised_form_and_no_note() -> None:
    assert normalise_date("  ", "DMY") == Normalised("") == normalise_phone("", "US")


@pytest.mark.parametrize(
    ("printed", "e164"),
    [
        ("(737) 988-0851", "+17379880851"),
        ("737-988-0851", "+17379880851"),
        ("737.988.0851", "+17379880851"),
        ("1 737 988 0851", "+17379880851"),
        ("+1 (737) 988 0851", "+17379880851"),
        ("+44 20 7946 0018", "+442079460018"),  # a + number keeps its own country
        ("555 123 4567 x12", "+15551234567;ext=12"),
    ],
)
def test_phones_in_printed_forms_become_e164(printed: str, e164: str) -> None:
    assert normalise_phone(printed, "US") == Normalised(e164)


def test_the_region_reads_numbers_printed_without_country_code() -> None:
    assert normalise_phone("020 7946 0018", "GB") == Normalised("+442079460018")
    assert normalise_phone("+1 737 988 0851", "GB") == Normalised("+17379880851")
    unset = normalise_phone("(737) 988-0851", "")
    assert unset.value == "" and "MEDEXTRACT_PHONE_REGION" in unset.note


@pytest.mark.parametrize(
    ("printed", "note"),
    [
        ("988-0851", "area code is not printed"),
        ("737 988 08512", "too few or too many digits"),
        ("12", "too few or too many digits"),
        ("call me", "not a phone number"),
        ("+999 1234567", "not a phone number"),
    ],
)
def test_phones_that_are_not_whole_numbers_are_left_empty_with_a_note(printed: str, note: str) -> None:
    reading = normalise_phone(printed, "US")
    assert reading.value == "" and note in reading.note, reading


def test_only_dates_and_phones_have_a_normalised_form() -> None:
    rules = Settings("DMY", "US")
    assert normalise("date", "17/12/2020", rules) == Normalised("2020-12-17")
    assert normalise("phone", "(737) 988-0851", rules) == Normalised("+17379880851")
    assert normalise("text", "17/12/2020", rules) is None and normalise("integer", "70", rules) is None


def test_the_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(config.DATE_ORDER_ENV, raising=False)
    monkeypatch.delenv(config.PHONE_REGION_ENV, raising=False)
    assert settings() == Settings(None, "US")  # no order unless the deployment sets one
    monkeypatch.setenv(config.DATE_ORDER_ENV, " mdy ")
    monkeypatch.setenv(config.PHONE_REGION_ENV, "gb")
    assert settings() == Settings("MDY", "GB")
    monkeypatch.setenv(config.PHONE_REGION_ENV, "")
    assert settings().phone_region == ""


def test_an_unknown_setting_is_no_setting_and_is_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(config.DATE_ORDER_ENV, "YMD")
    monkeypatch.setenv(config.PHONE_REGION_ENV, "Atlantis")
    with caplog.at_level(logging.WARNING, logger="medextract.config"):
        assert settings() == Settings(None, "")
    assert "YMD" in caplog.text and "ATLANTIS" in caplog.text
