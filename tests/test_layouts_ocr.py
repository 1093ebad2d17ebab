"""Learned layouts through real tesseract and the command line: one generated form learned from
one copy, found again under every kind of damage, and never on another form."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from docgen import generate, write_document
from docgen.degrade import TUNING_PROFILES
from extraction import extract
from extraction.cli import main as cli_main
from extraction.layouts import LayoutTemplate, TemplateStore

FAMILY, FORM = "rx_letterhead", 5

pytestmark = pytest.mark.usefixtures("needs_ocr")


def _document(
    tmp: Path, seed: int, profile: str, family: str = FAMILY, form: int = FORM
) -> tuple[Path, dict]:
    doc = generate(seed, "prescription", profile, family=FAMILY, form=FORM, fonts="tuning", hand_rate=0)
    path = tmp / f"{FAMILY}_{FORM}_{seed}_{profile}.pdf"
    write_document(doc, path, "pdf")
    return path, doc.truth


@pytest.fixture(scope="module")
def learned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LayoutTemplate]:
    """The form learned on the command line from one scanned copy and its true values."""
    tmp = tmp_path_factory.mktemp("layouts")
    path, truth = _document(tmp, 1, "scan")
    values = tmp / "values.json"
    values.write_text(json.dumps({"document_type": "prescription", "fields": truth}), encoding="utf-8")
    out = io.StringIO()
    assert cli_main(["learn", "--templates", str(tmp / "templates"), str(path), str(values)], out) == 0
    summary = json.loads(out.getvalue())
    (template,) = TemplateStore(tmp / "templates").all()
    assert summary["id"] == template.id and summary["document_type"] == "prescription"
    return tmp, template


@pytest.mark.parametrize("profile", list(TUNING_PROFILES))
def test_another_copy_of_the_form_matches_under_every_kind_of_damage(
    learned: tuple[Path, LayoutTemplate], profile: str
) -> None:
    tmp, template = learned
    path, _truth = _document(tmp, 2 + list(TUNING_PROFILES).index(profile), profile)
    result = extract(path, layouts=[template])
    assert result.layout is not None and result.layout.template.id == template.id, profile
    assert result.to_dict()["layout"] == {"id": template.id, "match": round(result.layout.score, 3)}


@pytest.mark.parametrize("family", ["rx_classic", "rx_table", "rx_grid_form", "pd_single_column"])
def test_other_forms_do_not_match(learned: tuple[Path, LayoutTemplate], family: str) -> None:
    tmp, template = learned
    from docgen.families import FAMILIES

    doc = generate(
        3, FAMILIES[family].DOC_TYPE, "scan", family=family, form=FORM, fonts="tuning", hand_rate=0
    )
    path = tmp / f"{family}.pdf"
    write_document(doc, path, "pdf")
    assert extract(path, layouts=[template]).layout is None


def test_the_cli_reads_with_templates_and_adds_only_the_layout(learned: tuple[Path, LayoutTemplate]) -> None:
    tmp, template = learned
    path, truth = _document(tmp, 40, "clean")
    with_layouts, without = io.StringIO(), io.StringIO()
    assert cli_main(["--json", "--templates", str(tmp / "templates"), str(path)], with_layouts) == 0
    assert cli_main(["--json", str(path)], without) == 0
    record, plain = json.loads(with_layouts.getvalue()), json.loads(without.getvalue())
    assert record["layout"]["id"] == template.id and 0.5 <= record["layout"]["match"] <= 1
    assert "layout" not in plain and set(record) - set(plain) == {"layout"}
    assert record["document_type"] == "prescription"
    assert record["fields"]["patient_name"]["value"] == truth["patient_name"]


def test_learning_from_values_that_are_not_a_type_fails_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"document_type": "invoice", "fields": {}}), encoding="utf-8")
    assert cli_main(["learn", "--templates", str(tmp_path), str(tmp_path / "missing.pdf"), str(values)]) == 1
    assert "invoice" in capsys.readouterr().err
