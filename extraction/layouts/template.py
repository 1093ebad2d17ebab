"""A learned layout: a form's printed words and where each field's value sits, as plain files.

A template holds geometry and printed words only, never a patient's value (see
``extraction.layouts.anchors``). It is stored as one JSON file per layout in a folder: the
command line (``--templates DIR``) and the review app read and write the same files.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from extraction.errors import ExtractionError
from extraction.layouts.anchors import Anchor
from extraction.types import Box

FORMAT_VERSION = 1


class TemplateError(ExtractionError):
    """A templates folder or file that cannot be read or written."""


@dataclass(frozen=True)
class LearnedPage:
    """One page of a learned form: its size, its text height and its printed words."""

    width: int
    height: int
    text_height: float
    anchors: tuple[Anchor, ...]


@dataclass(frozen=True)
class FieldZone:
    """Where a field's value sat on the learned form, and the area a longer value may fill.

    ``box`` is the learned value's box, ``zone`` the area around it up to the next printed word
    or ruled border; ``anchors`` index the page's anchors nearest the value (its label first),
    whose movement on a new page tells where the value moved.
    """

    page: int
    box: Box
    zone: Box
    anchors: tuple[int, ...]
    lines: int = 1
    interleaved: tuple[str, ...] = ()
    """Printed words learned between the value's lines (a "Sig:" under each medicine)."""
    line_gap: float = 0.0
    """The blank space between the learned value's lines (0: it had one line)."""
    marks: tuple[tuple[Box, str], ...] = ()
    """For an answer ticked in a box: each box of the answer's row and the answer it stands for
    ("" when the learned copy did not say)."""
    parts: tuple[FieldZone, ...] = ()
    """For a value the form asks for in parts (surname and given names, street, town and
    postcode in boxes of their own): where each part sat, in the verified value's order."""
    joints: tuple[str, ...] = ()
    """What stands between consecutive parts in the verified value: a space, a comma, a new
    line (separators only, never a patient's words)."""
    interleaved_numbers: tuple[str, ...] = ()
    """The shapes of written lines without a letter learned between the value's lines ("#d"
    for a "#14" dispensed under each direction): no part of the value."""
    not_here: bool = False
    """The clerk left the field blank on the learned copy where the engine had read a value in
    ``box``: what stands there on a copy of the form is not this field's value."""
    row_joint: str = ""
    """The mark standing between this value and ``row_partner``'s on each row the two share
    (a dash between a medicine and its directions): a copy's rows are split there."""
    row_partner: str = ""
    row_left: bool = False
    """True when this value stands before the mark, its partner's after it."""


@dataclass
class LayoutTemplate:
    """A form learned from one verified document."""

    id: str
    name: str
    document_type: str
    pages: list[LearnedPage]
    fields: dict[str, FieldZone]
    created: str = ""
    taught_by: str = ""
    documents_seen: int = 0
    fields_corrected: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    formats: dict[str, tuple[str, str]] = field(default_factory=dict)
    """For a date or phone the form prints otherwise than the clerk writes it: the shape read
    and the shape verified, digits as ``d`` (see ``extraction.layouts.formats``)."""
    part_formats: dict[str, str] = field(default_factory=dict)
    """For a value put together from its parts, the way the clerk wrote it: its parts as
    ``{part}`` between separators (see ``extraction.layouts.formats``)."""

    @property
    def value_fields(self) -> list[str]:
        """The fields whose value's place was learned (not those learned as not on the form)."""
        return [name for name, zone in self.fields.items() if not zone.not_here]

    @property
    def not_here(self) -> frozenset[str]:
        """The fields learned as not on the form (see ``FieldZone.not_here``)."""
        return frozenset(name for name, zone in self.fields.items() if zone.not_here)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "id": self.id,
            "name": self.name,
            "document_type": self.document_type,
            "created": self.created,
            "taught_by": self.taught_by,
            "documents_seen": self.documents_seen,
            "fields_corrected": self.fields_corrected,
            "pages": [
                {
                    "width": p.width,
                    "height": p.height,
                    "text_height": round(p.text_height, 2),
                    "anchors": [{"text": a.text, "box": list(a.box)} for a in p.anchors],
                }
                for p in self.pages
            ],
            "fields": {name: _zone_to_dict(zone) for name, zone in self.fields.items()},
            "extra": self.extra,
            "formats": {name: list(shapes) for name, shapes in self.formats.items()},
            "part_formats": dict(self.part_formats),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LayoutTemplate:
        if data.get("format") != FORMAT_VERSION:
            raise TemplateError(
                f"layout {data.get('id')!r} is in format {data.get('format')!r}, not {FORMAT_VERSION}"
            )
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            document_type=str(data["document_type"]),
            created=str(data.get("created", "")),
            taught_by=str(data.get("taught_by", "")),
            documents_seen=int(data.get("documents_seen", 0)),
            fields_corrected=int(data.get("fields_corrected", 0)),
            pages=[
                LearnedPage(
                    int(p["width"]),
                    int(p["height"]),
                    float(p["text_height"]),
                    tuple(Anchor(str(a["text"]), _box(a["box"])) for a in p["anchors"]),
                )
                for p in data["pages"]
            ],
            fields={name: _zone_from_dict(z) for name, z in data["fields"].items()},
            extra=dict(data.get("extra", {})),
            formats={
                str(name): (str(shapes[0]), str(shapes[1]))
                for name, shapes in data.get("formats", {}).items()
            },
            part_formats={str(name): str(text) for name, text in data.get("part_formats", {}).items()},
        )


def _zone_to_dict(zone: FieldZone) -> dict[str, Any]:
    return {
        **asdict(zone),
        "box": list(zone.box),
        "zone": list(zone.zone),
        "anchors": list(zone.anchors),
        "interleaved": list(zone.interleaved),
        "marks": [[list(box), answer] for box, answer in zone.marks],
        "parts": [_zone_to_dict(part) for part in zone.parts],
        "joints": list(zone.joints),
        "interleaved_numbers": list(zone.interleaved_numbers),
    }


def _zone_from_dict(z: dict[str, Any]) -> FieldZone:
    return FieldZone(
        int(z["page"]),
        _box(z["box"]),
        _box(z["zone"]),
        tuple(int(i) for i in z["anchors"]),
        int(z["lines"]),
        tuple(str(t) for t in z.get("interleaved", ())),
        float(z.get("line_gap", 0.0)),
        tuple((_box(box), str(answer)) for box, answer in z.get("marks", ())),
        tuple(_zone_from_dict(part) for part in z.get("parts", ())),
        tuple(str(joint) for joint in z.get("joints", ())),
        tuple(str(shape) for shape in z.get("interleaved_numbers", ())),
        bool(z.get("not_here", False)),
        str(z.get("row_joint", "")),
        str(z.get("row_partner", "")),
        bool(z.get("row_left", False)),
    )


def _box(values: Any) -> Box:
    x0, y0, x1, y1 = (int(v) for v in values)
    return (x0, y0, x1, y1)


_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class TemplateStore:
    """The learned layouts in one folder, one ``<id>.json`` file each.

    Reading skips nothing silently: a file that is not a layout raises ``TemplateError`` naming
    it. Writes go through a temporary file, so a reader never sees half a layout.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def all(self) -> list[LayoutTemplate]:
        """Every layout in the folder; a file that is not one raises ``TemplateError``."""
        return [self._read(path) for path in self._files()]

    def readable(self) -> tuple[list[LayoutTemplate], list[TemplateError]]:
        """Every layout that can be read, and the error of each file that cannot: one broken
        file leaves the others usable."""
        layouts, errors = [], []
        for path in self._files():
            try:
                layouts.append(self._read(path))
            except TemplateError as error:
                errors.append(error)
        return layouts, errors

    def _files(self) -> list[Path]:
        if not self.folder.exists():
            return []
        if not self.folder.is_dir():
            raise TemplateError(f"{self.folder} is not a folder of learned layouts")
        return sorted(self.folder.glob("*.json"))

    def get(self, layout_id: str) -> LayoutTemplate | None:
        path = self._path(layout_id)
        return self._read(path) if path.exists() else None

    def save(self, template: LayoutTemplate) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(template.id)
        with tempfile.NamedTemporaryFile(
            "w", dir=self.folder, suffix=".tmp", delete=False, encoding="utf-8"
        ) as tmp:
            json.dump(template.to_dict(), tmp, ensure_ascii=False, indent=1)
        os.replace(tmp.name, path)
        return path

    def delete(self, layout_id: str) -> bool:
        path = self._path(layout_id)
        if not path.exists():
            return False
        path.unlink()
        return True

    def _path(self, layout_id: str) -> Path:
        if not _ID.match(layout_id):
            raise TemplateError(f"{layout_id!r} is not a layout id")
        return self.folder / f"{layout_id}.json"

    def _read(self, path: Path) -> LayoutTemplate:
        try:
            return LayoutTemplate.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise TemplateError(f"{path} is not a learned layout ({error})") from error
