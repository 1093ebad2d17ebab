"""Learned layouts: a clinic's form learned from one verified document (see ``learn``), found
again on new documents by its printed words (``match_layout``) and read where it puts each value
(``read_fields``), cross-checked against the generic reading (``cross_check``)."""

from extraction.layouts.crosscheck import cross_check
from extraction.layouts.fit import MATCH_THRESHOLD, LayoutMatch, match_layout
from extraction.layouts.formats import in_learned_formats, in_learned_part_formats
from extraction.layouts.learn import learn_layout, list_fields, option_fields
from extraction.layouts.locate import locate_value
from extraction.layouts.read import read_fields
from extraction.layouts.template import FieldZone, LayoutTemplate, TemplateError, TemplateStore

__all__ = [
    "MATCH_THRESHOLD",
    "FieldZone",
    "LayoutMatch",
    "LayoutTemplate",
    "TemplateError",
    "TemplateStore",
    "cross_check",
    "in_learned_formats",
    "in_learned_part_formats",
    "learn_layout",
    "list_fields",
    "locate_value",
    "match_layout",
    "option_fields",
    "read_fields",
]
