"""Repairs as data (extraction/repairs): every rule's examples hold, through the rule alone and
through the normalisation of a field of its kind, which flags what it changed."""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.normalize import normalize
from extraction.repairs import FOLDER, Repair, repairs

KINDS = sorted(path.stem.removesuffix("s") for path in FOLDER.glob("*.toml"))
FIELD_OF_KIND = {"date": get_document_type("patient_details").field("birth_date")}
RULES = [(kind, rule) for kind in KINDS for rule in repairs(kind)]


def test_every_kind_with_repairs_has_a_field_to_try_them_on() -> None:
    assert sorted(FIELD_OF_KIND) == KINDS
    assert RULES


@pytest.mark.parametrize(("kind", "rule"), RULES, ids=[rule.why for _kind, rule in RULES])
def test_each_rule_states_why_and_turns_its_examples_into_what_a_clerk_would_type(
    kind: str, rule: Repair
) -> None:
    assert rule.why and rule.examples
    for read, taken in rule.examples:
        assert rule.apply(read) == taken
        assert rule.apply(taken) == taken  # a repaired value is left alone
        value, reason = normalize(FIELD_OF_KIND[kind], [read])
        assert value == taken
        assert reason is not None and repr(read) in reason


@pytest.mark.parametrize("value", ["May 21, 2020", "Oct 10 2005", "12/05/2021", "2021-05-12", "27 June 1933"])
def test_a_date_read_right_is_left_as_it_is(value: str) -> None:
    got, reason = normalize(FIELD_OF_KIND["date"], [value])
    assert (got, reason) == (value, None)
