"""Learning a layout from one verified document: fields exact before and after, false matches.

For each layout family of the generator: one form is drawn (``docgen.generate(form=...)``: the
same fonts, labels and rules each time, other patients' values), one document of it is read and
learned with its true values as the clerk's verified ones, and the other documents of the form
(other values, other damage) are read twice, without and with every family's learned layout.
Documents that are neither type are read with the layouts too: any match there is false.

    python -m benchmarks.learning --families held_out --per-form 6 --seed 31

``--profiles`` (all, tuning, held_out or names) and ``--fonts`` (all, tuning, held_out) choose the
damage of the documents read and their faces, as in benchmarks/accuracy.py.

Prints, per family: fields exact and wrong-and-unflagged before and after learning, the
documents of a learnable type read with their own form's layout, documents matched to another
form, the time with layouts against without (two runs: noisy), and the share of the time spent
matching and reading layouts (the stage itself).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.corpus import FONT_SETS, family_names, measured_only, profile_names, touches_held_out
from extraction import ExtractionError, extract
from extraction.doctypes import get_document_type
from extraction.layouts import LayoutTemplate, learn_layout

OUT = Path(__file__).resolve().parent / "out"


def _write(
    seed: int, family: str, form: int, profile: str, folder: Path, fonts: str
) -> tuple[Path, str, dict[str, str]]:
    from docgen import generate, write_document
    from docgen.families import FAMILIES

    doc = generate(seed, FAMILIES[family].DOC_TYPE, profile, family=family, form=form, fonts=fonts)
    path = folder / f"{family}_{form}_{seed}_{profile}.pdf"
    write_document(doc, path, "pdf")
    return path, doc.doc_type, dict(doc.truth)


def learn_one(job: tuple[int, str, int, str, str, str]) -> dict | None:
    """Learn the family's form from one document; the layout as plain data (None: not learnable)."""
    seed, family, form, profile, folder, fonts = job
    path, doc_type, truth = _write(seed, family, form, profile, Path(folder), fonts)
    if doc_type == "unknown":
        return None
    result = extract(path, doc_type=doc_type)
    template = learn_layout(result, get_document_type(doc_type), truth)
    return {"family": family, "template": template.to_dict()}


def read_one(job: tuple[int, str, int, str, str, str, list[dict]]) -> dict:
    """One document read without and with the learned layouts."""
    seed, family, form, profile, folder, fonts, templates = job
    path, doc_type, truth = _write(seed, family, form, profile, Path(folder), fonts)
    layouts = [LayoutTemplate.from_dict(t) for t in templates]
    try:
        before = extract(path)
        after = extract(path, layouts=layouts)
    except ExtractionError as error:
        return {"family": family, "error": str(error)}
    outcome: dict = {
        "family": family,
        "file": path.name,
        "profile": profile,
        "truth_type": doc_type,
        "pages": after.pages,
        "seconds": [before.seconds, after.seconds],
        "layout_seconds": after.stage_seconds.get("layouts", 0.0),
        "layout": after.layout.template.id if after.layout else None,
        "match": round(after.layout.score, 3) if after.layout else None,
        "types": [before.document_type, after.document_type],
        "fields": {},
    }
    for name, value in truth.items():
        outcome["fields"][name] = {
            "truth": value,
            "before": _field(before, name),
            "after": _field(after, name),
        }
    return outcome


def _field(result, name: str) -> dict:
    field = result.fields.get(name)
    if field is None:
        return {"value": None, "flagged": True, "reason": "type not detected"}
    return {"value": field.value, "flagged": field.needs_review, "reason": field.reason}


def report(outcomes: list[dict], layout_family: dict[str, str]) -> None:
    rows: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    for outcome in outcomes:
        row = rows[outcome["family"]]
        row["docs"] += 1
        if "error" in outcome:
            row["errors"] += 1
            continue
        matched = layout_family.get(outcome["layout"] or "")
        row["learnable"] += outcome["truth_type"] != "unknown"
        row["own"] += matched == outcome["family"]
        row["false"] += matched is not None and matched != outcome["family"]
        row["seconds_before"] += outcome["seconds"][0]
        row["seconds_after"] += outcome["seconds"][1]
        row["seconds_layouts"] += outcome["layout_seconds"]
        for when in ("before", "after"):
            for f in outcome["fields"].values():
                exact = f[when]["value"] == f["truth"]
                row[f"fields_{when}"] += 1
                row[f"exact_{when}"] += exact
                row[f"hidden_{when}"] += not exact and not f[when]["flagged"]
                row[f"flagged_{when}"] += f[when]["flagged"]
    total: dict[str, float] = defaultdict(float)
    print(
        f"{'family':<22}{'docs':>5}{'exact before':>14}{'after':>8}{'hidden before':>15}{'after':>8}"
        f"{'flag after':>11}{'own layout':>11}{'false':>6}{'time':>7}{'layouts':>9}"
    )
    for family, row in sorted(rows.items()):
        for key, value in row.items():
            total[key] += value
        print(_row(family, row))
    print(_row("all", total))


def _row(name: str, row: dict) -> str:
    def pct(part: str, whole: str) -> str:
        return f"{100 * row[part] / row[whole]:.1f}%" if row[whole] else "-"

    ratio = row["seconds_after"] / row["seconds_before"] if row["seconds_before"] else 0
    return (
        f"{name:<22}{int(row['docs']):>5}{pct('exact_before', 'fields_before'):>14}"
        f"{pct('exact_after', 'fields_after'):>8}{pct('hidden_before', 'fields_before'):>15}"
        f"{pct('hidden_after', 'fields_after'):>8}{pct('flagged_after', 'fields_after'):>11}"
        f"{pct('own', 'learnable'):>11}{int(row['false']):>6}{ratio:>7.2f}"
        f"{pct('seconds_layouts', 'seconds_after'):>9}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--families", default="all", help='"all", "tuning", "held_out" or NAME,NAME')
    parser.add_argument(
        "--per-form", type=int, default=6, help="documents per form, the learned one included"
    )
    parser.add_argument("--seed", type=int, default=31, help="picks the forms and their documents")
    parser.add_argument("--learn-profile", default="scan", help="the damage of the document learned from")
    parser.add_argument(
        "--profiles", nargs="*", help='damage of the documents read: "all" (default), "tuning"...'
    )
    parser.add_argument("--fonts", choices=FONT_SETS, default="all", help="docgen font set (default: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT / "learning.json")
    args = parser.parse_args()
    try:
        families = family_names(args.families)
        profiles = profile_names(args.profiles)
    except ValueError as exc:
        parser.error(str(exc))
    folder = tempfile.mkdtemp(prefix="medextract-learning-")
    form = args.seed
    with ProcessPoolExecutor(args.workers) as pool:
        learn_jobs = [
            (args.seed * 1000, family, form, args.learn_profile, folder, args.fonts) for family in families
        ]
        learned = [t for t in pool.map(learn_one, learn_jobs) if t]
        templates = [t["template"] for t in learned]
        layout_family = {t["template"]["id"]: t["family"] for t in learned}
        read_jobs = [
            (
                args.seed * 1000 + i,
                family,
                form,
                profiles[(i + j) % len(profiles)],
                folder,
                args.fonts,
                templates,
            )
            for j, family in enumerate(families)
            for i in range(1, args.per_form)
        ]
        outcomes = list(pool.map(read_one, read_jobs))
    held_out = touches_held_out(families, [*profiles, args.learn_profile], args.fonts)
    kept = [measured_only(o) for o in outcomes] if held_out else outcomes
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"layouts": layout_family, "outcomes": kept}, indent=1), encoding="utf-8")
    print(f"{len(learned)} layouts learned, {len(outcomes)} documents read; details in {args.out}")
    report(outcomes, layout_family)


if __name__ == "__main__":
    main()
