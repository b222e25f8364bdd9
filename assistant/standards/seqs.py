"""The SEQS 2016 effluent limits as a typed table: each CSV row read once into a Limit whose cells
are modelled bounds (a maximum, a range, an increase over the receiving water, "SC", not set),
one per receiving body. A cell that cannot be read raises: the table is never read by guesswork.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from assistant.standards.aliases import aliases_for
from assistant.standards.citation import Citation
from assistant.standards.numbers import format_number, parse_number
from assistant.standards.units import INCREASE_WORDS, UnitKind, unit_kind

DOC_ID = "seqs-effluent-limits"


class LimitsFileError(ValueError):
    """The limits CSV cannot be trusted as read (missing column or unreadable cell)."""


class Receiving(StrEnum):
    """Where the effluent goes: each route has its own column of limits in the table."""

    INLAND = "inland"
    SEWAGE = "sewage"
    SEA = "sea"

    @property
    def column(self) -> str:
        """The CSV column holding this route's limits."""
        return _RECEIVING_COLUMNS[self]

    @property
    def label(self) -> str:
        """Words for the route in answers and tables."""
        return _RECEIVING_LABELS[self]


_RECEIVING_COLUMNS = {
    Receiving.INLAND: "into_inland_waters",
    Receiving.SEWAGE: "into_sewage_treatment",
    Receiving.SEA: "into_sea",
}
_RECEIVING_LABELS = {
    Receiving.INLAND: "inland waters",
    Receiving.SEWAGE: "sewage treatment",
    Receiving.SEA: "the sea",
}
_RECEIVING_NAMES = {
    "inland": Receiving.INLAND,
    "inland waters": Receiving.INLAND,
    "into inland waters": Receiving.INLAND,
    "sewage": Receiving.SEWAGE,
    "sewage treatment": Receiving.SEWAGE,
    "into sewage treatment": Receiving.SEWAGE,
    "sea": Receiving.SEA,
    "into sea": Receiving.SEA,
    "into the sea": Receiving.SEA,
}


def parse_receiving(text: Receiving | str) -> Receiving:
    """Read a receiving body name; unknown names raise, because each has different limits."""
    if isinstance(text, Receiving):
        return text
    key = " ".join(re.sub(r"[_\-]", " ", text.casefold()).split())
    if key in _RECEIVING_NAMES:
        return _RECEIVING_NAMES[key]
    valid = ", ".join(repr(name) for name in _RECEIVING_NAMES)
    raise ValueError(f"unknown receiving body {text!r}: use one of {valid}")


class BoundKind(StrEnum):
    """What a table cell means, decided once at load time instead of at every comparison."""

    MAXIMUM = "maximum"
    RANGE = "range"
    INCREASE_MAXIMUM = "increase-maximum"
    SEA_CONCENTRATION = "sea-concentration"
    NOT_SET = "not-set"


@dataclass(frozen=True)
class Bound:
    """One cell of the table (one parameter, one receiving body), parsed into numbers."""

    kind: BoundKind
    unit: str
    low: float | None = None
    high: float | None = None

    @property
    def is_numeric(self) -> bool:
        """Whether a lab value can be compared with this bound at all."""
        return self.kind in (BoundKind.MAXIMUM, BoundKind.RANGE, BoundKind.INCREASE_MAXIMUM)

    def text(self) -> str:
        """The bound as a person reads it, e.g. "≤ 150 mg/L" or "6–9"."""
        if self.kind is BoundKind.MAXIMUM:
            return f"≤ {format_number(self.high)} {self.unit}"
        if self.kind is BoundKind.INCREASE_MAXIMUM:
            return f"≤ {format_number(self.high)} {re.sub(r'[()]', '', self.unit)}"
        if self.kind is BoundKind.RANGE:
            suffix = "" if unit_kind(self.unit) is UnitKind.PH else f" {self.unit}"
            return f"{format_number(self.low)}–{format_number(self.high)}{suffix}"
        if self.kind is BoundKind.SEA_CONCENTRATION:
            return "SC (at or below sea concentration)"
        return "no limit set"

    def explanation(self, receiving: Receiving) -> str:
        """Why a non-numeric bound gives no verdict."""
        if self.kind is BoundKind.SEA_CONCENTRATION:
            return (
                f"SC: the table sets no numeric limit for discharge into {receiving.label}; "
                "the discharge concentration must be at or below the concentration in the "
                "sea itself, so compare with a sea-water result"
            )
        return f"the table sets no limit for discharge into {receiving.label}"


@dataclass(frozen=True)
class Limit:
    """One row of the limits table: a parameter and its bound for each receiving body."""

    parameter: str
    unit: str
    unit_kind: UnitKind
    aliases: tuple[str, ...]
    inland: Bound
    sewage: Bound
    sea: Bound
    standard: str
    notes: str
    values_from: str
    row: int
    doc_id: str = DOC_ID

    def bound(self, receiving: Receiving | str) -> Bound:
        """The bound for one receiving body."""
        return getattr(self, parse_receiving(receiving).value)

    @property
    def citation(self) -> Citation:
        """Standard, CSV row and document of this limit."""
        return Citation(self.standard, self.row, self.doc_id)


_LIMIT_COLUMNS = ("parameter", "unit", "into_inland_waters", "into_sewage_treatment", "into_sea", "standard")
_EMPTY_CELLS = frozenset({"", "-", "–", "—", "na", "n/a"})
_RANGE_CELL = re.compile(r"([\d.,]+)\s*[-–—]\s*([\d.,]+)")
_MAXIMUM_CELL = re.compile(r"(?:≤|<=)?\s*([\d.,]+)")


def load_limits(path: Path) -> list[Limit]:
    """Read the SEQS limits CSV into Limit records; unreadable cells raise LimitsFileError."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    if not records:
        raise LimitsFileError(f"{path.name}: the file is empty")
    header = [name.strip().casefold() for name in records[0]]
    missing = [name for name in _LIMIT_COLUMNS if name not in header]
    if missing:
        raise LimitsFileError(f"{path.name}: missing column(s) {', '.join(missing)}")
    limits = []
    for row_number, record in enumerate(records[1:], start=2):
        if any(cell.strip() for cell in record):
            cells = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
            limits.append(_limit_from_cells(cells, row_number, path.stem))
    return limits


def _limit_from_cells(cells: dict[str, str], row: int, doc_id: str) -> Limit:
    """Build one Limit from a CSV record."""
    parameter, unit = cells["parameter"], cells["unit"]
    bounds = {
        body: _parse_bound(cells[body.column], unit, row, body.column) for body in Receiving
    }
    return Limit(
        parameter=parameter,
        unit=unit,
        unit_kind=unit_kind(unit),
        aliases=aliases_for(parameter),
        inland=bounds[Receiving.INLAND],
        sewage=bounds[Receiving.SEWAGE],
        sea=bounds[Receiving.SEA],
        standard=cells["standard"],
        notes=cells.get("notes", ""),
        values_from=cells.get("values_from", ""),
        row=row,
        doc_id=doc_id,
    )


def _parse_bound(cell: str, unit: str, row: int, column: str) -> Bound:
    """Model one table cell: number, range, "≤N", "SC" or blank."""
    text = unicodedata.normalize("NFKC", cell).strip()
    if text.casefold() in _EMPTY_CELLS:
        return Bound(BoundKind.NOT_SET, unit)
    if text.upper() == "SC":
        return Bound(BoundKind.SEA_CONCENTRATION, unit)
    if match := _RANGE_CELL.fullmatch(text):
        low, high = (_cell_number(part, row, column) for part in match.groups())
        if low > high:
            raise LimitsFileError(f"row {row}, column {column}: range {cell!r} runs backwards")
        return Bound(BoundKind.RANGE, unit, float(low), float(high))
    if match := _MAXIMUM_CELL.fullmatch(text):
        kind = BoundKind.INCREASE_MAXIMUM if INCREASE_WORDS.search(unit) else BoundKind.MAXIMUM
        return Bound(kind, unit, high=float(_cell_number(match.group(1), row, column)))
    raise LimitsFileError(f"row {row}, column {column}: cannot read the limit {cell!r}")


def _cell_number(text: str, row: int, column: str) -> Decimal:
    """A number in a limits cell; the table must never be read by guesswork."""
    number = parse_number(text)
    if isinstance(number, str) or number.note:
        raise LimitsFileError(f"row {row}, column {column}: cannot read the number {text!r}")
    return number.value
