"""Check a laboratory's effluent results against the SEQS 2016 effluent limits table.

Why a module of its own: a compliance verdict has to be exact and explainable. The limits
are read once from the CSV into typed records; a lab's parameter names are matched only
through a curated alias table (never fuzzily: a wrong match can get a factory fined); and
every name, notation or unit that cannot be read with certainty becomes an explicit status
with a reason instead of a guess.

Decisions a user should know about:
- A value exactly at a limit is within it. Numbers are compared in decimal arithmetic on the
  figures as written, so "150" against "<= 150" is never tipped over by float rounding.
- Missing unit: pH needs none; for every other parameter the table's unit is assumed and
  the row says so ("unit not given; assumed mg/L").
- Below detection ("<0.01", "ND", "BDL", "not detected", "nil"): within, with a note. When
  a detection limit is given and lies above the limit, the result cannot decide and is a
  bad value (the lab needs a more sensitive method).
- ">500" decides only when it already exceeds the limit; otherwise it is a bad value.
- Temperature: the table limits the increase over the receiving water, so an absolute
  reading is a unit mismatch unless the row's name or unit says increase, rise or delta T.
  A negative increase (cooler effluent) is accepted; every other negative value is bad.
- Decimal commas are read only when no other reading is possible ("12,5", "0,125");
  "1,200" is a thousands separator and "1,00,000" lakh grouping.
- Rows are cited by their spreadsheet row number (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

__all__ = [
    "Bound",
    "BoundKind",
    "Citation",
    "LabReportError",
    "Limit",
    "LimitAnswer",
    "LimitsFileError",
    "Match",
    "ParameterIndex",
    "Receiving",
    "Report",
    "RowResult",
    "Status",
    "Summary",
    "UnitKind",
    "Verdict",
    "answer_limit_question",
    "build_index",
    "check_rows",
    "load_limits",
    "parse_receiving",
    "read_lab_report",
    "render_table",
]

DOC_ID = "seqs-effluent-limits"
_INFINITY = Decimal("Infinity")


class LimitsFileError(ValueError):
    """The limits CSV cannot be trusted as read (missing column or unreadable cell)."""


class LabReportError(ValueError):
    """A lab report file cannot be read into (parameter, value, unit) rows."""


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


class Status(StrEnum):
    """The outcome of checking one lab row; every row gets exactly one."""

    WITHIN = "within"
    EXCEEDS = "exceeds"
    NO_LIMIT = "no-limit"
    UNKNOWN_PARAMETER = "unknown-parameter"
    BAD_VALUE = "bad-value"
    UNIT_MISMATCH = "unit-mismatch"


class BoundKind(StrEnum):
    """What a table cell means, decided once at load time instead of at every comparison."""

    MAXIMUM = "maximum"
    RANGE = "range"
    INCREASE_MAXIMUM = "increase-maximum"
    SEA_CONCENTRATION = "sea-concentration"
    NOT_SET = "not-set"


class UnitKind(StrEnum):
    """The family of a limit's unit: only units of the same family can be compared."""

    CONCENTRATION = "concentration"
    PH = "pH"
    TEMPERATURE_INCREASE = "temperature-increase"
    TEMPERATURE = "temperature"
    OTHER = "other"


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
            return f"≤ {_fmt(self.high)} {self.unit}"
        if self.kind is BoundKind.INCREASE_MAXIMUM:
            return f"≤ {_fmt(self.high)} {re.sub(r'[()]', '', self.unit)}"
        if self.kind is BoundKind.RANGE:
            suffix = "" if _unit_kind(self.unit) is UnitKind.PH else f" {self.unit}"
            return f"{_fmt(self.low)}–{_fmt(self.high)}{suffix}"
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
class Citation:
    """Where a limit comes from, so every verdict can be checked against the table."""

    standard: str
    row: int
    doc_id: str = DOC_ID

    def text(self) -> str:
        """Citation as printed after an answer."""
        return f"{self.standard}, row {self.row} [{self.doc_id}]"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"standard": self.standard, "row": self.row, "doc_id": self.doc_id, "text": self.text()}


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


@dataclass(frozen=True)
class RowResult:
    """The verdict on one lab row, with what was understood and why."""

    input_name: str
    input_value: str
    input_unit: str
    status: Status
    reason: str = ""
    parameter: str | None = None
    value: float | None = None
    qualifier: str = ""
    unit: str = ""
    value_in_limit_unit: float | None = None
    limit: str = ""
    margin: float | None = None
    citation: Citation | None = None
    notes: tuple[str, ...] = ()

    def explanation(self) -> str:
        """Reason and notes in one line, for tables and answers."""
        return _join(self.reason, *self.notes)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "input": {"parameter": self.input_name, "value": self.input_value, "unit": self.input_unit},
            "parameter": self.parameter,
            "value": self.value,
            "qualifier": self.qualifier,
            "unit": self.unit,
            "value_in_limit_unit": self.value_in_limit_unit,
            "limit": self.limit,
            "status": self.status.value,
            "margin": self.margin,
            "reason": self.reason,
            "notes": list(self.notes),
            "citation": self.citation.to_dict() if self.citation else None,
        }


@dataclass(frozen=True)
class Summary:
    """Counts a reader needs first: how many rows, how many fail, how many need attention."""

    parameters: int
    within: int
    exceeds: int
    no_limit: int
    unknown: int
    bad_or_mismatch: int

    def text(self) -> str:
        """One summary line."""
        return (
            f"{self.parameters} parameter{'' if self.parameters == 1 else 's'}: {self.within} within, {self.exceeds} exceeding, "
            f"{self.no_limit} with no limit, {self.unknown} unknown, "
            f"{self.bad_or_mismatch} bad value or unit mismatch"
        )

    def to_dict(self) -> dict[str, int]:
        """JSON form."""
        return {
            "parameters": self.parameters,
            "within": self.within,
            "exceeds": self.exceeds,
            "no_limit": self.no_limit,
            "unknown": self.unknown,
            "bad_or_mismatch": self.bad_or_mismatch,
        }


@dataclass(frozen=True)
class Report:
    """All row verdicts for one receiving body."""

    receiving: Receiving
    rows: tuple[RowResult, ...]

    @property
    def summary(self) -> Summary:
        """Counts by status."""
        count = [row.status for row in self.rows].count
        return Summary(
            parameters=len(self.rows),
            within=count(Status.WITHIN),
            exceeds=count(Status.EXCEEDS),
            no_limit=count(Status.NO_LIMIT),
            unknown=count(Status.UNKNOWN_PARAMETER),
            bad_or_mismatch=count(Status.BAD_VALUE) + count(Status.UNIT_MISMATCH),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON form: receiving, rows, summary."""
        return {
            "receiving": self.receiving.value,
            "rows": [row.to_dict() for row in self.rows],
            "summary": self.summary.to_dict(),
        }


@dataclass(frozen=True)
class Verdict:
    """A lab value from a question checked against one receiving body."""

    receiving: Receiving
    result: RowResult


@dataclass(frozen=True)
class LimitAnswer:
    """A deterministic answer to a limit question, with the rows it rests on."""

    question: str
    text: str
    limits: tuple[Limit, ...]
    receiving: tuple[Receiving, ...]
    receiving_stated: bool
    verdicts: tuple[Verdict, ...]

    @property
    def citations(self) -> tuple[Citation, ...]:
        """One citation per table row used."""
        return tuple(limit.citation for limit in self.limits)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "question": self.question,
            "answer": self.text,
            "parameters": [limit.parameter for limit in self.limits],
            "receiving": [body.value for body in self.receiving],
            "receiving_stated": self.receiving_stated,
            "verdicts": [
                {"receiving": v.receiving.value, **v.result.to_dict()} for v in self.verdicts
            ],
            "citations": [c.to_dict() for c in self.citations],
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


# ---------------------------------------------------------------- numbers and units

def _fmt(number: float | Decimal | None) -> str:
    """A number as written by a person: no exponent, no trailing zeros."""
    if number is None:
        return ""
    text = format(_decimal(number), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _decimal(number: float | Decimal) -> Decimal:
    """Decimal of the shortest repr, so 0.1 compares as the 0.1 that was written."""
    return number if isinstance(number, Decimal) else Decimal(repr(number))


_PLAIN_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_LAKH = re.compile(r"[1-9]\d?(?:,\d{2})+,\d{3}(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+,\d+")


@dataclass(frozen=True)
class _Number:
    """A parsed number and how it was read, when the reading needs saying."""

    value: Decimal
    note: str = ""


_PLAUSIBLE_EXPONENTS = range(-30, 31)


def _parse_number(text: str) -> _Number | str:
    """Read one unsigned number; a reason string when it cannot be read safely or is absurd."""
    number = _read_number(text)
    if isinstance(number, _Number) and number.value and number.value.adjusted() not in _PLAUSIBLE_EXPONENTS:
        return f"{text!r} is not a plausible result"
    return number


def _read_number(text: str) -> _Number | str:
    """Plain, thousands-separated, lakh-grouped or decimal-comma number."""
    if _PLAIN_NUMBER.fullmatch(text):
        return _Number(Decimal(text))
    if _THOUSANDS.fullmatch(text):
        return _Number(Decimal(text.replace(",", "")))
    if _LAKH.fullmatch(text):
        plain = text.replace(",", "")
        return _Number(Decimal(plain), f"read {text!r} with lakh grouping as {plain}")
    if _DECIMAL_COMMA.fullmatch(text):
        whole, fraction = text.split(",")
        if len(fraction) <= 2 or whole == "0":
            value = Decimal(f"{whole}.{fraction}")
            return _Number(value, f"read {text!r} as a decimal comma: {_fmt(value)}")
        return f"{text!r} is ambiguous: a decimal comma or a thousands separator"
    return f"could not read {text!r} as a number"


def _unit_key(text: str) -> str:
    """Normalise a unit for lookup: case, spacing, micro signs, litre spellings."""
    text = unicodedata.normalize("NFKC", text.replace("˚", "°")).casefold().strip()
    text = text.replace("μ", "u")
    text = re.sub(r"\s*\bper\b\s*", "/", text)
    text = re.sub(r"(?:lit(?:re|er)s?|ltr)\b", "l", text)
    return re.sub(r"\s+", "", text)


_MISSING_UNITS = frozenset({"", "-", "–", "—", "n/a", "na", "none"})
_CONCENTRATION_TO_MG_PER_L = {
    "mg/l": Decimal(1),
    "mgl-1": Decimal(1),
    "ppm": Decimal(1),
    "g/m3": Decimal(1),
    "mg/dm3": Decimal(1),
    "ug/l": Decimal("0.001"),
    "ugl-1": Decimal("0.001"),
    "mcg/l": Decimal("0.001"),
    "ppb": Decimal("0.001"),
    "mg/m3": Decimal("0.001"),
    "ng/l": Decimal("0.000001"),
    "g/l": Decimal(1000),
    "gl-1": Decimal(1000),
}
_PH_UNITS = frozenset({"ph", "phunit", "phunits", "su", "s.u.", "s.u", "standardunits"})
_CELSIUS = frozenset(
    {"°c", "c", "oc", "degc", "deg.c", "degreec", "degreesc", "celsius", "degreescelsius", "°celsius"}
)
_INCREASE_WORDS = re.compile(r"increase|rise|delta|δ|Δ", re.IGNORECASE)


def _is_missing_unit(text: str) -> bool:
    """Whether a unit cell says nothing."""
    return _unit_key(text) in _MISSING_UNITS


def _celsius(text: str) -> bool:
    """Whether a unit is degrees Celsius, ignoring any increase wording."""
    key = re.sub(r"[()]|increase|rise|δt|deltat|delta|δ", "", _unit_key(text))
    return key in _CELSIUS


def _unit_kind(text: str) -> UnitKind:
    """Family of a unit written in the table or a lab report."""
    key = _unit_key(text)
    if key in _CONCENTRATION_TO_MG_PER_L:
        return UnitKind.CONCENTRATION
    if key in _PH_UNITS:
        return UnitKind.PH
    if _celsius(text):
        return UnitKind.TEMPERATURE_INCREASE if _INCREASE_WORDS.search(key) else UnitKind.TEMPERATURE
    return UnitKind.OTHER


def _is_known_unit(text: str) -> bool:
    """Whether text is any unit this module understands (used to ignore "(mg/L)" in names)."""
    return not _is_missing_unit(text) and _unit_kind(text) is not UnitKind.OTHER


# ---------------------------------------------------------------- loading the table

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
        unit_kind=_unit_kind(unit),
        aliases=_aliases_for(parameter),
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
        kind = BoundKind.INCREASE_MAXIMUM if _INCREASE_WORDS.search(unit) else BoundKind.MAXIMUM
        return Bound(kind, unit, high=float(_cell_number(match.group(1), row, column)))
    raise LimitsFileError(f"row {row}, column {column}: cannot read the limit {cell!r}")


def _cell_number(text: str, row: int, column: str) -> Decimal:
    """A number in a limits cell; the table must never be read by guesswork."""
    number = _parse_number(text)
    if isinstance(number, str) or number.note:
        raise LimitsFileError(f"row {row}, column {column}: cannot read the number {text!r}")
    return number.value


# ---------------------------------------------------------------- parameter names

_ALIASES: dict[str, tuple[str, ...]] = {
    "Temperature or temperature increase": (
        "Temperature", "Temp", "Temperature increase", "Temperature rise", "Temp rise",
        "Temp increase", "Rise in temperature", "Increase in temperature", "ΔT", "Delta T",
    ),
    "pH": ("pH value", "pH level"),
    "Biochemical oxygen demand (BOD5) at 20 °C": (
        "BOD", "BOD5", "BOD5 at 20 °C", "BOD at 20 °C", "5-day BOD", "BOD (5 days)",
        "Biochemical oxygen demand", "Biological oxygen demand",
    ),
    "Chemical oxygen demand (COD)": ("COD", "Chemical oxygen demand"),
    "Total suspended solids (TSS)": (
        "TSS", "Total suspended solids", "Total suspended solid", "Suspended solids", "Suspended solid",
    ),
    "Total dissolved solids (TDS)": (
        "TDS", "Total dissolved solids", "Total dissolved solid", "Dissolved solids", "Dissolved solid",
    ),
    "Oil and grease": (
        "Oil & grease", "O&G", "Oil/grease", "Oils and grease", "Oil and greases", "Grease and oil",
    ),
    "Phenolic compounds (as phenol)": (
        "Phenols", "Phenol", "Phenolics", "Phenolic compounds", "Total phenols",
        "Phenolic compounds as phenol",
    ),
    "Chloride (as Cl)": ("Chloride", "Chlorides"),
    "Fluoride (as F)": ("Fluoride", "Fluorides"),
    "Cyanide (as CN)": ("Cyanide", "Cyanides", "Total cyanide"),
    "Anionic detergents (as MBAS)": (
        "MBAS", "Anionic detergents", "Anionic detergent", "Detergents", "Detergent",
        "Anionic surfactants", "Methylene blue active substances",
    ),
    "Sulphate (SO4)": ("Sulphate", "Sulfate", "Sulphates", "Sulfates", "SO4", "SO4 2-"),
    "Sulphide (S)": ("Sulphide", "Sulfide", "Sulphides", "Sulfides", "S2-"),
    "Ammonia (NH3)": ("Ammonia", "NH3"),
    "Pesticides": ("Pesticide", "Total pesticides"),
    "Chromium (trivalent and hexavalent)": ("Chromium", "Total chromium", "Chromium total", "Total Cr"),
    "Total toxic metals": ("Toxic metals", "TTM"),
    "Chlorine": (
        "Residual chlorine", "Total residual chlorine", "Total chlorine", "Chlorine residual", "TRC",
    ),
}

# Chemical symbols: matched case-insensitively in lab reports, but only in chemical
# capitalisation inside free-text questions, where "as", "B" or "F" are ordinary words.
_SYMBOLS: dict[str, tuple[str, ...]] = {
    "Fluoride (as F)": ("F",),
    "Cyanide (as CN)": ("CN",),
    "Cadmium": ("Cd",),
    "Chromium (trivalent and hexavalent)": ("Cr",),
    "Copper": ("Cu",),
    "Lead": ("Pb",),
    "Mercury": ("Hg",),
    "Selenium": ("Se",),
    "Nickel": ("Ni",),
    "Silver": ("Ag",),
    "Zinc": ("Zn",),
    "Arsenic": ("As",),
    "Barium": ("Ba",),
    "Iron": ("Fe",),
    "Manganese": ("Mn",),
    "Boron": ("B",),
    "Chlorine": ("Cl2",),
}
_WORDLIKE_SYMBOLS = frozenset({"As", "B", "F"})

# Names that could mean more than one row: never resolved silently.
_AMBIGUOUS: dict[str, tuple[str, ...]] = {"Cl": ("Chloride (as Cl)", "Chlorine")}

# Names of a part of what a row limits, or of another basis: pointed to the row, not matched.
_NOT_COMPARABLE: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        (
            "Hexavalent chromium", "Chromium hexavalent", "Chromium (VI)", "Chromium VI", "Cr(VI)",
            "Cr6+", "Chromium 6", "Trivalent chromium", "Chromium trivalent", "Chromium (III)",
            "Cr(III)", "Cr3+",
        ),
        "Chromium (trivalent and hexavalent)",
        "the table limits total chromium (trivalent and hexavalent together); one form alone "
        "is only part of it, so report total chromium",
    ),
    (
        (
            "Ammonia as N", "Ammonia-N", "NH3-N", "Ammoniacal nitrogen", "Ammonia nitrogen",
            "Ammonium", "NH4", "NH4-N",
        ),
        "Ammonia (NH3)",
        "the table limits ammonia as NH3; ammonia-nitrogen and ammonium are on another basis "
        "(1 mg/L NH3-N = 1.216 mg/L NH3), so convert and report ammonia as NH3",
    ),
    (
        ("Free cyanide",),
        "Cyanide (as CN)",
        "the table limits cyanide (as CN); free cyanide is only part of it, so report total cyanide",
    ),
    (
        ("Free chlorine", "Free residual chlorine"),
        "Chlorine",
        "the table limits chlorine; free chlorine is only part of the total residual chlorine, "
        "so report total residual chlorine",
    ),
)
_NEUTRAL_QUALIFIERS = frozenset({"total", "t"})


def _compact(text: str) -> str:
    """Name key: case, punctuation and spacing removed, "&" read as "and", Δ as "delta"."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("&", " and ").replace("δ", " delta ")
    return re.sub(r"[^0-9a-z]", "", text)


def _base_name(name: str) -> str:
    """A table name without its parenthesised parts, e.g. "Chromium"."""
    return " ".join(re.sub(r"\([^)]*\)", " ", name).split())


def _aliases_for(parameter: str) -> tuple[str, ...]:
    """The row's own name, its name without brackets, curated aliases and symbols."""
    names = (parameter, _base_name(parameter), *_ALIASES.get(parameter, ()), *_SYMBOLS.get(parameter, ()))
    return tuple(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True)
class Match:
    """A lab name resolved to a row, or the reason it was not."""

    limit: Limit | None
    reason: str = ""


@dataclass(frozen=True)
class ParameterIndex:
    """Exact lookups from name keys to rows; ambiguous and non-comparable names are explicit."""

    by_key: dict[str, Limit]
    ambiguous: dict[str, tuple[Limit, ...]]
    not_comparable: dict[str, tuple[Limit | None, str]]
    symbols: dict[str, str]

    def match(self, name: str) -> Match:
        """Resolve a lab's parameter name without guessing."""
        key = _compact(name)
        if not key:
            return Match(None, "no parameter name given")
        if key in self.not_comparable:
            return Match(None, self._not_comparable_reason(name, key))
        if candidates := self.candidates(key):
            return self._single(name, candidates)
        base, qualifiers = _split_qualifiers(name)
        if qualifiers and base:
            return self._match_qualified(name, base, qualifiers)
        return Match(None, _unknown_reason(name))

    def candidates(self, key: str) -> tuple[Limit, ...]:
        """Rows a name key could mean (one, several if ambiguous, or none)."""
        for variant in _total_variants(key):
            if variant in self.by_key:
                return (self.by_key[variant],)
            if variant in self.ambiguous:
                return self.ambiguous[variant]
        return ()

    def _single(self, name: str, candidates: tuple[Limit, ...]) -> Match:
        """Accept one candidate; explain several."""
        if len(candidates) == 1:
            return Match(candidates[0])
        options = " or ".join(limit.parameter for limit in candidates)
        return Match(None, f"{name!r} could mean {options}; write the full parameter name")

    def _not_comparable_reason(self, name: str, key: str) -> str:
        """Why a name that points at a row still cannot use its limit."""
        return f"{name!r}: {self.not_comparable[key][1]}"

    def _match_qualified(self, name: str, base: str, qualifiers: list[str]) -> Match:
        """Match "Lead (Pb)", "COD (mg/L)", "Sulphate as SO4": every part must agree."""
        base_key = _compact(base)
        if base_key in self.not_comparable:
            return Match(None, self._not_comparable_reason(name, base_key))
        remaining = set(self.candidates(base_key))
        for qualifier in qualifiers:
            key = _compact(re.sub(r"^\s*as\s+", "", qualifier, flags=re.IGNORECASE))
            if key in _NEUTRAL_QUALIFIERS or _is_known_unit(qualifier):
                continue
            if key in self.not_comparable:
                return Match(None, self._not_comparable_reason(name, key))
            remaining &= set(self.candidates(key))
        if not remaining:
            return Match(None, _unknown_reason(name))
        ordered = tuple(limit for limit in self.candidates(base_key) if limit in remaining)
        return self._single(name, ordered)


def _total_variants(key: str) -> tuple[str, ...]:
    """The key, then without a leading or trailing "total" (e.g. "Total cyanide")."""
    variants = [key]
    if key.startswith("total") and len(key) > 5:
        variants.append(key[5:])
    if key.endswith("total") and len(key) > 5:
        variants.append(key[:-5])
    return tuple(variants)


def _split_qualifiers(name: str) -> tuple[str, list[str]]:
    """Split "Lead (Pb)" or "Lead as Pb" into the base name and its qualifiers."""
    qualifiers = re.findall(r"[(\[]([^)\]]*)[)\]]", name)
    base = re.sub(r"[(\[][^)\]]*[)\]]", " ", name).strip()
    if match := re.fullmatch(r"(.*?)\s+as\s+(.+)", base, flags=re.IGNORECASE):
        base = match.group(1)
        qualifiers.append(match.group(2))
    return base.strip(), qualifiers


def _unknown_reason(name: str) -> str:
    """Why an unmatched name is not guessed at."""
    return (
        f"{name!r} is not a parameter of the SEQS effluent table (or not a name this checker "
        "knows for one); it is not guessed at: use the table's name for the parameter"
    )


def build_index(limits: Sequence[Limit]) -> ParameterIndex:
    """Index every alias of every row; a key claimed by two rows becomes ambiguous."""
    by_key: dict[str, Limit] = {}
    ambiguous: dict[str, tuple[Limit, ...]] = {}
    for limit in limits:
        for alias in limit.aliases:
            _add_alias(by_key, ambiguous, _compact(alias), limit)
    by_name = {limit.parameter: limit for limit in limits}
    for alias, names in _AMBIGUOUS.items():
        key = _compact(alias)
        by_key.pop(key, None)
        ambiguous.pop(key, None)
        if len(rows := tuple(by_name[name] for name in names if name in by_name)) > 1:
            ambiguous[key] = rows
    not_comparable = {
        _compact(alias): (by_name.get(related), reason)
        for aliases, related, reason in _NOT_COMPARABLE
        for alias in aliases
    }
    symbols = {_compact(s): s for limit in limits for s in _SYMBOLS.get(limit.parameter, ())}
    return ParameterIndex(by_key, ambiguous, not_comparable, symbols)


def _add_alias(
    by_key: dict[str, Limit], ambiguous: dict[str, tuple[Limit, ...]], key: str, limit: Limit
) -> None:
    """Register one alias key, demoting it to ambiguous if another row already has it."""
    if key in ambiguous:
        if limit not in ambiguous[key]:
            ambiguous[key] = (*ambiguous[key], limit)
    elif key in by_key and by_key[key] is not limit:
        ambiguous[key] = (by_key.pop(key), limit)
    else:
        by_key[key] = limit


# ---------------------------------------------------------------- lab values

_NOT_DETECTED = re.compile(
    r"(?:n\.?\s?d\.?|b\.?\s?d\.?\s?l\.?|not\s+detected|below\s+detection(?:\s+limit)?|nil"
    r"|<\s*(?:d\.?l\.?|lod|mdl|loq))(?![a-z])(?P<rest>.*)",
    re.IGNORECASE,
)
_DETECTION_WORDS = re.compile(r"detection\s+limit|d\.?l\.?|lod|mdl|loq|[<=:≤()\[\]]", re.IGNORECASE)
_COMPARATOR_VALUE = re.compile(
    r"(?P<op><=|>=|<|>)?\s*(?P<sign>[-+])?\s*(?P<num>[\d.,]+(?:[eE][-+]?\d+)?)\s*(?P<unit>.*)"
)
_NO_RESULT = frozenset({"na", "n/a", "-", "–", "—", "nt", "not analysed", "not analyzed", "not tested"})


@dataclass(frozen=True)
class _Reading:
    """A lab value as written: a qualifier ("", "<", "<=", ">", ">=", "ND"), number and unit."""

    qualifier: str
    number: Decimal | None
    negative: bool = False
    unit: str = ""
    note: str = ""

    @property
    def signed(self) -> Decimal | None:
        """The number with its sign."""
        if self.number is None:
            return None
        return -self.number if self.negative else self.number


@dataclass(frozen=True)
class _Problem:
    """Why a value or unit cannot be used."""

    reason: str


def _clean_value(text: str) -> str:
    """Normalise lab notations: unicode minus, ≤/≥, non-breaking spaces."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text.replace("−", "-").replace("≤", "<=").replace("≥", ">=")


def _parse_reading(value: str) -> _Reading | _Problem:
    """Read a value cell in any of the supported lab notations."""
    text = _clean_value(value)
    if not text:
        return _Problem("empty value")
    if text.casefold() in _NO_RESULT:
        return _Problem(f"no result reported ({value.strip()!r})")
    if match := _NOT_DETECTED.fullmatch(text):
        return _parse_not_detected(match.group("rest"), value)
    if match := _COMPARATOR_VALUE.fullmatch(text):
        return _parse_comparator(match, value)
    return _Problem(f"could not read {value.strip()!r} as a value")


def _parse_not_detected(rest: str, value: str) -> _Reading | _Problem:
    """ND, BDL, "not detected", optionally followed by the detection limit."""
    remainder = _DETECTION_WORDS.sub(" ", rest).strip()
    if not remainder or _is_known_unit(remainder):
        return _Reading("ND", None, unit=remainder)
    match = re.fullmatch(r"(?P<num>[\d.,]+(?:[eE][-+]?\d+)?)\s*(?P<unit>.*)", remainder)
    number = _parse_number(match.group("num")) if match else None
    if not match or isinstance(number, str):
        return _Problem(f"could not read the detection limit in {value.strip()!r}")
    return _Reading("ND", number.value, unit=match.group("unit").strip(), note=number.note)


def _parse_comparator(match: re.Match[str], value: str) -> _Reading | _Problem:
    """A number with an optional comparator, sign and unit."""
    unit = match.group("unit").strip()
    if re.match(r"(?:-|–|to\b)\s*\d", unit):
        return _Problem(f"{value.strip()!r} is a range, not a single result")
    if re.match(r"(?:±|\+/-|\+-)", unit):
        return _Problem(f"{value.strip()!r} carries an uncertainty; give the reported value alone")
    number = _parse_number(match.group("num"))
    if isinstance(number, str):
        return _Problem(number)
    return _Reading(
        qualifier=match.group("op") or "",
        number=number.value,
        negative=match.group("sign") == "-",
        unit=unit,
        note=number.note,
    )


@dataclass(frozen=True)
class _Conversion:
    """How to bring a lab value into the limit's unit, and what was assumed."""

    factor: Decimal
    unit: str
    note: str = ""


def _says_increase(name: str, unit: str) -> bool:
    """Whether a temperature row states an increase rather than an absolute reading."""
    return bool(_INCREASE_WORDS.search(name) or _INCREASE_WORDS.search(unit))


def _resolve_unit(reading: _Reading, column_unit: str, name: str, limit: Limit) -> _Conversion | _Problem:
    """Pick the lab's unit (cell or column) and convert it to the limit's unit, or refuse."""
    cell_unit, column_unit = reading.unit, column_unit.strip()
    if cell_unit and not _is_missing_unit(column_unit) and not _same_unit(cell_unit, column_unit):
        return _Problem(f"the value says {cell_unit!r} but the unit column says {column_unit!r}")
    unit = cell_unit or column_unit
    if _absolute_temperature(name, unit, limit):
        return _Problem(
            "the table limits the temperature increase over the receiving water, not the "
            "temperature itself, so an absolute reading cannot be compared with it: report the "
            "rise (name the row 'Temperature increase' or give the unit as '°C increase')"
        )
    if _is_missing_unit(unit):
        return _assumed_unit(limit)
    return _convert(unit, limit)


def _same_unit(first: str, second: str) -> bool:
    """Whether two spellings name the same unit ("mg/l" and "ppm" do)."""
    a, b = _unit_key(first), _unit_key(second)
    factors = _CONCENTRATION_TO_MG_PER_L
    return a == b or (a in factors and b in factors and factors[a] == factors[b])


def _absolute_temperature(name: str, unit: str, limit: Limit) -> bool:
    """A plain temperature reading offered against a temperature-increase limit."""
    if limit.unit_kind is not UnitKind.TEMPERATURE_INCREASE:
        return False
    return (_is_missing_unit(unit) or _celsius(unit)) and not _says_increase(name, unit)


def _assumed_unit(limit: Limit) -> _Conversion:
    """Missing unit: pH needs none; otherwise the table's unit is assumed and said so."""
    if limit.unit_kind is UnitKind.PH:
        return _Conversion(Decimal(1), limit.unit)
    return _Conversion(Decimal(1), limit.unit, f"unit not given; assumed {limit.unit}")


def _convert(unit: str, limit: Limit) -> _Conversion | _Problem:
    """Convert within a unit family; anything else is a mismatch, never a guess."""
    kind = limit.unit_kind
    if kind is UnitKind.CONCENTRATION and _unit_key(unit) in _CONCENTRATION_TO_MG_PER_L:
        factors = _CONCENTRATION_TO_MG_PER_L
        factor = factors[_unit_key(unit)] / factors[_unit_key(limit.unit)]
        note = "" if factor == 1 else f"converted from {unit} to {limit.unit}"
        return _Conversion(factor, unit, note)
    if kind is UnitKind.PH and _unit_key(unit) in _PH_UNITS:
        return _Conversion(Decimal(1), unit)
    if kind in (UnitKind.TEMPERATURE, UnitKind.TEMPERATURE_INCREASE) and _celsius(unit):
        return _Conversion(Decimal(1), unit)
    if kind is UnitKind.OTHER and _unit_key(unit) == _unit_key(limit.unit):
        return _Conversion(Decimal(1), unit)
    return _Problem(f"unit {unit!r} cannot be compared with the table's unit {limit.unit!r}")


def _domain_problem(reading: _Reading, limit: Limit) -> str:
    """Values that are not results for this kind of parameter."""
    kind = limit.unit_kind
    if reading.qualifier == "ND" and kind not in (UnitKind.CONCENTRATION, UnitKind.OTHER):
        return f"'not detected' is not a result for {limit.parameter}"
    if reading.negative and kind is not UnitKind.TEMPERATURE_INCREASE:
        return f"negative value {_fmt(reading.signed)} is not a possible result for {limit.parameter}"
    if kind is UnitKind.PH and reading.number is not None and reading.number > 14:
        return f"pH {_fmt(reading.number)} is outside the pH scale (0-14)"
    return ""


# ---------------------------------------------------------------- verdicts

@dataclass(frozen=True)
class _Interval:
    """The true values a reading allows: exact, below detection or a lower bound."""

    low: Decimal
    high: Decimal
    low_closed: bool = True
    high_closed: bool = True


def _interval(reading: _Reading, value: Decimal) -> _Interval:
    """Turn a qualifier and converted value into the interval it asserts."""
    return {
        "": _Interval(value, value),
        "<": _Interval(-_INFINITY, value, high_closed=False),
        "ND": _Interval(-_INFINITY, value, high_closed=False),
        "<=": _Interval(-_INFINITY, value),
        ">": _Interval(value, _INFINITY, low_closed=False),
        ">=": _Interval(value, _INFINITY),
    }[reading.qualifier]


def _bound_limits(bound: Bound) -> tuple[Decimal, Decimal]:
    """Lower and upper limits as exact decimals (open ends are infinite)."""
    low = -_INFINITY if bound.low is None else _decimal(bound.low)
    high = _INFINITY if bound.high is None else _decimal(bound.high)
    return low, high


def _decide(interval: _Interval, bound: Bound) -> Status | None:
    """Within if every allowed value is; exceeds if none is; None if the reading cannot tell."""
    low, high = _bound_limits(bound)
    if interval.low >= low and interval.high <= high:
        return Status.WITHIN
    below = interval.high < low or (interval.high == low and not interval.high_closed)
    above = interval.low > high or (interval.low == high and not interval.low_closed)
    return Status.EXCEEDS if below or above else None


def _margin(value: Decimal, bound: Bound) -> float | None:
    """Percent of the limit: negative under, positive over; for ranges, of the nearer bound."""
    low, high = _bound_limits(bound)
    if bound.kind is not BoundKind.RANGE:
        return None if high == 0 else float((value - high) / high * 100)
    if value < low:
        distance, reference = low - value, low
    elif value > high:
        distance, reference = value - high, high
    elif value - low <= high - value:
        distance, reference = low - value, low
    else:
        distance, reference = value - high, high
    return None if reference == 0 else float(distance / reference * 100)


def _exceeds_reason(value: Decimal, bound: Bound) -> str:
    """Which side of the bound a failing value is on."""
    low, _ = _bound_limits(bound)
    if bound.kind is BoundKind.RANGE and value < low:
        return f"below the permitted range {bound.text()}"
    if bound.kind is BoundKind.RANGE:
        return f"above the permitted range {bound.text()}"
    return f"above the limit {bound.text()}"


def _undecided_reason(reading: _Reading, converted: Decimal, bound: Bound, limit: Limit) -> str:
    """Why a censored reading cannot settle the question."""
    shown = f"{_fmt(converted)} {limit.unit}"
    if reading.qualifier == "ND":
        return (
            f"not detected, but the detection limit {shown} is above the limit {bound.text()}: "
            "the result cannot decide; a more sensitive method is needed"
        )
    if reading.qualifier in (">", ">="):
        return (
            f"'{reading.qualifier}{_fmt(reading.number)}' only says the value is at least {shown}; "
            f"the limit is {bound.text()}, so it cannot be decided: ask the lab for the measured figure"
        )
    return (
        f"'{reading.qualifier}{_fmt(reading.number)}' only says the value is at most {shown}; "
        f"the limit is {bound.text()}, so it cannot be decided: ask the lab for the measured figure"
    )


def _join(*notes: str) -> str:
    """Join the non-empty notes of a row."""
    return "; ".join(note for note in notes if note)


def _evaluate(name: str, value: str, unit: str, limit: Limit, receiving: Receiving) -> RowResult:
    """Check one value of a known parameter against the limit for one receiving body."""
    bound = limit.bound(receiving)
    draft = RowResult(
        input_name=name, input_value=value, input_unit=unit, status=Status.BAD_VALUE,
        parameter=limit.parameter, limit=bound.text(), citation=limit.citation,
    )
    reading = _parse_reading(value)
    if isinstance(reading, _Problem):
        return replace(draft, reason=reading.reason)
    draft = replace(
        draft,
        value=None if reading.signed is None else float(reading.signed),
        qualifier=reading.qualifier,
        unit=reading.unit or unit.strip(),
    )
    conversion = _resolve_unit(reading, unit, name, limit)
    if isinstance(conversion, _Problem):
        return replace(draft, status=Status.UNIT_MISMATCH, reason=conversion.reason)
    draft = replace(draft, unit=conversion.unit)
    if problem := _domain_problem(reading, limit):
        return replace(draft, reason=problem)
    draft = replace(draft, notes=tuple(note for note in (reading.note, conversion.note) if note))
    if not bound.is_numeric:
        return replace(draft, status=Status.NO_LIMIT, reason=bound.explanation(receiving))
    return _verdict(draft, reading, conversion, bound, limit)


def _verdict(
    draft: RowResult, reading: _Reading, conversion: _Conversion, bound: Bound, limit: Limit
) -> RowResult:
    """Compare a readable value in a compatible unit with a numeric bound."""
    if reading.signed is None:
        reason = (
            "not detected, no detection limit given; treated as within the limit "
            "(ask the lab for its detection limit)"
        )
        return replace(draft, status=Status.WITHIN, reason=reason)
    converted = reading.signed * conversion.factor
    status = _decide(_interval(reading, converted), bound)
    if status is None:
        return replace(draft, reason=_undecided_reason(reading, converted, bound, limit))
    draft = replace(draft, status=status, value_in_limit_unit=float(converted))
    if reading.qualifier:
        return replace(draft, reason=_censored_note(reading, converted, limit, status))
    reason = _exceeds_reason(converted, bound) if status is Status.EXCEEDS else ""
    return replace(draft, margin=_margin(converted, bound), reason=reason)


def _censored_note(reading: _Reading, converted: Decimal, limit: Limit, status: Status) -> str:
    """Say that a verdict rests on a detection limit or a lower bound, not a measurement."""
    shown = f"{_fmt(converted)} {limit.unit}"
    outcome = "within" if status is Status.WITHIN else "outside"
    if reading.qualifier == "ND":
        return f"not detected (detection limit {shown}); treated as within the limit"
    if reading.qualifier == "<":
        return f"below the detection limit ({shown}); {outcome} the limit whatever the exact value"
    side = {"<=": "at most", ">": "above", ">=": "at least"}[reading.qualifier]
    return f"reported as {side} {shown}; {outcome} the limit whatever the exact value"


def check_rows(
    rows: Iterable[tuple[str, str, str]], limits: Sequence[Limit], receiving: Receiving | str
) -> Report:
    """Check (parameter, value, unit) rows against the limits for one receiving body."""
    body = parse_receiving(receiving)
    index = build_index(limits)
    return Report(body, tuple(_check_row(row, index, body) for row in rows))


def _check_row(row: tuple[str, str, str], index: ParameterIndex, receiving: Receiving) -> RowResult:
    """Match the parameter, then evaluate the value."""
    name, value, unit = ("" if cell is None else str(cell) for cell in row)
    match = index.match(name)
    if match.limit is None:
        return RowResult(name, value, unit, Status.UNKNOWN_PARAMETER, reason=match.reason)
    return _evaluate(name, value, unit, match.limit, receiving)


# ---------------------------------------------------------------- lab report files

_LAB_COLUMNS = ("parameter", "value", "unit")


def read_lab_report(path: Path | str) -> list[tuple[str, str, str]]:
    """Read (parameter, value, unit) rows from a CSV or .xlsx lab report (first sheet)."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix in (".csv", ".txt"):
        table = _csv_table(path)
    elif suffix == ".xlsx":
        table = _xlsx_table(path)
    else:
        raise LabReportError(f"{path.name}: unsupported file type {path.suffix!r}; use .csv or .xlsx")
    return _lab_rows(table, path)


def _read_text(path: Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel on Windows saves CSV."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LabReportError(f"{path}: cannot read the file ({exc.strerror})") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LabReportError(f"{path.name}: not a UTF-8 or Windows-1252 text file")


def _csv_table(path: Path) -> list[list[str]]:
    """CSV cells; the delimiter is the one that makes the header hold the needed columns."""
    text = _read_text(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = next(
        (d for d in (",", ";", "\t") if set(_LAB_COLUMNS) <= {c.strip().casefold() for c in first.split(d)}),
        ",",
    )
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_table(path: Path) -> list[list[str]]:
    """Cells of the first sheet as text; openpyxl is imported here to keep imports fast."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, zipfile.BadZipFile, InvalidFileException) as exc:
        raise LabReportError(f"{path.name}: cannot open the workbook ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_xlsx_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _xlsx_text(cell: object) -> str:
    """A spreadsheet cell as the text a person would have typed."""
    if cell is None:
        return ""
    if isinstance(cell, float) and not isinstance(cell, bool):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell)


def _lab_rows(table: Iterable[list[str]], path: Path) -> list[tuple[str, str, str]]:
    """Locate the columns by header name and return the non-empty rows."""
    rows = (row for row in table if any(cell.strip() for cell in row))
    header = next(rows, None)
    if header is None:
        raise LabReportError(f"{path.name}: the file is empty; expected columns parameter, value, unit")
    positions = _column_positions(header, path)
    return [tuple(_cell(row, positions[name]) for name in _LAB_COLUMNS) for row in rows]


def _column_positions(header: list[str], path: Path) -> dict[str, int]:
    """Header positions (case-insensitive); missing columns are named in the error."""
    names = [cell.strip().casefold() for cell in header]
    missing = [name for name in _LAB_COLUMNS if name not in names]
    if missing:
        found = ", ".join(repr(cell) for cell in header if cell.strip()) or "none"
        raise LabReportError(
            f"{path.name}: missing column(s) {', '.join(missing)} "
            f"(found {found}; expected parameter, value, unit)"
        )
    return {name: names.index(name) for name in _LAB_COLUMNS}


def _cell(row: list[str], position: int) -> str:
    """A stripped cell, empty when the row is short."""
    return row[position].strip() if position < len(row) else ""


# ---------------------------------------------------------------- terminal table

_TABLE_HEADER = ("#", "Parameter", "Matched as", "Value", "Limit", "Status", "Margin", "Row")


def render_table(report: Report) -> str:
    """An aligned plain-text table, numbered notes and the summary line."""
    rows = [_table_cells(i, row) for i, row in enumerate(report.rows, start=1)]
    widths = [max(len(line[col]) for line in [_TABLE_HEADER, *rows]) for col in range(len(_TABLE_HEADER))]
    lines = [_table_line(_TABLE_HEADER, widths), _table_line(tuple("-" * w for w in widths), widths)]
    lines += [_table_line(cells, widths) for cells in rows]
    notes = [f"[{i}] {row.explanation()}" for i, row in enumerate(report.rows, start=1) if row.explanation()]
    if notes:
        lines += ["", "Notes:", *notes]
    lines += ["", f"Receiving body: {report.receiving.label}. {report.summary.text()}."]
    cited = [row.citation for row in report.rows if row.citation]
    standards = dict.fromkeys(f"{citation.standard} [{citation.doc_id}]" for citation in cited)
    lines += [f"Limits: {standard}; Row = row of the limits table." for standard in standards]
    return "\n".join(lines)


def _table_cells(number: int, row: RowResult) -> tuple[str, ...]:
    """One table line's cells."""
    return (
        str(number),
        _shorten(row.input_name),
        _shorten(row.parameter or "-"),
        _shorten(_value_text(row)),
        row.limit or "-",
        row.status.value,
        margin_text(row.margin),
        str(row.citation.row) if row.citation else "-",
    )


def _table_line(cells: tuple[str, ...], widths: list[int]) -> str:
    """Pad cells to the column widths."""
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()


def _shorten(text: str, width: int = 34) -> str:
    """Keep long names from stretching the table."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _value_text(row: RowResult) -> str:
    """The value as understood, or as given when it could not be read."""
    if row.value is None and row.qualifier != "ND":
        return " ".join(part for part in (row.input_value, row.input_unit) if part) or "-"
    if row.qualifier == "ND":
        return "ND" if row.value is None else f"ND (<{_fmt(row.value)} {row.unit})"
    return " ".join(part for part in (f"{row.qualifier}{_fmt(row.value)}", row.unit) if part)


def margin_text(margin: float | None, empty: str = "-") -> str:
    """Margin in percent, with enough digits to show a hair's-breadth exceedance."""
    if margin is None:
        return empty
    if margin != 0 and abs(margin) < 0.05:
        return f"{margin:+.2g}%"
    return f"{margin:+.1f}%"


# ---------------------------------------------------------------- questions

_QUESTION_BODIES = (
    (Receiving.INLAND, re.compile(
        r"\b(?:inland|nallahs?|nullahs?|nalas?|nallas?|rivers?|canals?|streams?|lakes?|surface\s+waters?)\b",
        re.IGNORECASE,
    )),
    (Receiving.SEWAGE, re.compile(
        r"\b(?:sewers?|sewerage|sewage|stps?|(?<!effluent )(?<!industrial )treatment\s+plants?)\b",
        re.IGNORECASE,
    )),
    (Receiving.SEA, re.compile(
        r"\b(?:seas?|marine|coast|coastal|creeks?|oceans?|harbou?rs?)\b", re.IGNORECASE
    )),
)
_QUESTION_UNIT = (
    r"mg\s*/\s*l(?:it(?:re|er))?|mg\s+per\s+lit(?:re|er)|ppm|ppb|[µμu]g\s*/\s*l|g\s*/\s*l|g\s*/\s*m3"
    r"|°\s*c|º\s*c|℃|deg(?:rees?)?\s*c(?:elsius)?"
)
_QUESTION_NUMBER = r"(?P<op><=|>=|<|>|≤|≥)?\s*(?P<num>-?\d+(?:,\d{3})*(?:\.\d+)?)"
_VALUE_AFTER = re.compile(
    r"(?:\s*(?:(?:is|of|at|was|around|about|measured|reading|reads|value|levels?|concentration"
    r"|comes\s+to)\b|[=:]))*"
    rf"\s*{_QUESTION_NUMBER}(?![\d.,]*\d)(?!\s*%)\s*(?P<unit>(?:{_QUESTION_UNIT})(?![a-z]))?",
    re.IGNORECASE,
)
_VALUE_BEFORE = re.compile(
    rf"{_QUESTION_NUMBER}\s*(?P<unit>(?:{_QUESTION_UNIT})(?![a-z]))\s*(?:of\s+)?$",
    re.IGNORECASE,
)
_LIMIT_INTENT = re.compile(
    r"\b(?:limits?|standards?|seqs|neqs|allow(?:ed|able)?|permissible|permitted|max(?:imum)?|ok|okay"
    r"|acceptable|compl(?:y|iance|iant)|within|exceed\w*|discharg\w*|effluents?|wastewater)\b",
    re.IGNORECASE,
)
# A question set in a convention's frame ("pesticides ... under the Rotterdam Convention") is
# about the convention unless it also speaks of effluent: "allowed" or "dispose" alone is not enough.
_CONVENTION_FRAME = re.compile(r"\b(?:conventions?|treat(?:y|ies)|protocols?|basel|stockholm|rotterdam|pops?|pic)\b", re.IGNORECASE)
_EFFLUENT_CONTEXT = re.compile(r"\b(?:effluents?|wastewater|waste water|discharg\w*|seqs|neqs|mg/l)", re.IGNORECASE)
_MAX_PHRASE_TOKENS = 6


@dataclass(frozen=True)
class _Token:
    """A word of the question with its position."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Mention:
    """A parameter named in a question, the words used and any value given with it."""

    limit: Limit
    phrase: str
    value: str = ""
    unit: str = ""
    caveat: str = ""


def _tokens(question: str) -> list[_Token]:
    """Words with surrounding punctuation removed ("B.O.D." keeps its inner dots)."""
    tokens = []
    for match in re.finditer(r"\S+", question):
        text = match.group()
        lead = len(text) - len(text.lstrip("\"'“‘([{"))
        stripped = text.strip("\"'“”‘’()[]{},;:!?").rstrip(".")
        if stripped:
            start = match.start() + lead
            tokens.append(_Token(stripped, start, start + len(stripped)))
    return tokens


def _question_lookup(index: ParameterIndex, tokens: list[_Token], i: int, n: int) -> tuple[Limit, str] | None:
    """The row (and a caveat) a run of question words names, under the stricter question rules."""
    key = _compact(" ".join(token.text for token in tokens[i : i + n]))
    if key in index.not_comparable:
        related, reason = index.not_comparable[key]
        return (related, reason) if related else None
    if key not in index.by_key:
        return None
    if key in index.symbols and not (n == 1 and _symbol_allowed(index, tokens, i, key)):
        return None
    if key == "lead" and i + 1 < len(tokens) and tokens[i + 1].text.casefold() == "to":
        return None
    return index.by_key[key], ""


def _symbol_allowed(index: ParameterIndex, tokens: list[_Token], i: int, key: str) -> bool:
    """Symbols count only as one word in chemical capitalisation; "As", "B", "F" only before a figure."""
    symbol = index.symbols[key]
    if tokens[i].text != symbol:
        return False
    if symbol in _WORDLIKE_SYMBOLS:
        return i + 1 < len(tokens) and bool(re.match(r"[<>≤≥]?\d", tokens[i + 1].text))
    return True


def _mentions(question: str, index: ParameterIndex) -> list[_Mention]:
    """Parameters named in the question, longest phrase first, each with its value if any."""
    tokens, mentions, i = _tokens(question), [], 0
    while i < len(tokens):
        for n in range(min(_MAX_PHRASE_TOKENS, len(tokens) - i), 0, -1):
            if found := _question_lookup(index, tokens, i, n):
                words = tokens[i : i + n]
                mentions.append(_mention(question, found, words))
                i += n
                break
        else:
            i += 1
    return _first_per_parameter(mentions)


def _first_per_parameter(mentions: list[_Mention]) -> list[_Mention]:
    """One mention per row: the first, unless a later one carries a value."""
    kept: dict[str, _Mention] = {}
    for mention in mentions:
        current = kept.setdefault(mention.limit.parameter, mention)
        if mention.value and not current.value:
            kept[mention.limit.parameter] = mention
    return list(kept.values())


def _mention(question: str, found: tuple[Limit, str], words: list[_Token]) -> _Mention:
    """A mention with the value written right after it (or, with a unit, right before it)."""
    limit, caveat = found
    phrase, start, end = " ".join(word.text for word in words), words[0].start, words[-1].end
    if caveat:
        return _Mention(limit, phrase, caveat=caveat)
    end += len(question[end:]) - len(question[end:].lstrip("."))
    match = _VALUE_AFTER.match(question, end) or _VALUE_BEFORE.search(question[:start].rstrip())
    if not match:
        return _Mention(limit, phrase)
    value = f"{match.group('op') or ''}{match.group('num')}"
    return _Mention(limit, phrase, value, match.group("unit") or "")


def _question_bodies(question: str) -> tuple[Receiving, ...]:
    """Receiving bodies the question names, in table order."""
    return tuple(body for body, pattern in _QUESTION_BODIES if pattern.search(question))


def answer_limit_question(question: str, limits: Sequence[Limit]) -> LimitAnswer | None:
    """Answer "what is the limit" / "is this value OK" questions deterministically.

    None when no table parameter is named, or when the question names one but asks nothing
    about a limit (no figure, no receiving body, no word such as limit, allowed, discharge):
    "What does the Stockholm Convention say about mercury?" belongs to the general answerer.
    """
    mentions = _mentions(question, build_index(limits))
    bodies = _question_bodies(question)
    if not mentions or not (bodies or _LIMIT_INTENT.search(question) or any(m.value for m in mentions)):
        return None
    if _CONVENTION_FRAME.search(question) and not (bodies or _EFFLUENT_CONTEXT.search(question) or any(m.value for m in mentions)):
        return None
    stated = bool(bodies)
    bodies = bodies or tuple(Receiving)
    parts = [] if stated else [
        "The question did not say where the effluent goes (inland waters, sewage treatment or "
        "the sea), so the limits for all three are given."
    ]
    verdicts: list[Verdict] = []
    for mention in mentions:
        parts.append(_limit_sentence(mention, bodies, stated))
        if mention.value:
            results = [Verdict(body, _evaluate_mention(mention, body)) for body in bodies]
            verdicts += results
            parts.append(_verdict_sentence(mention, results))
    parts += _source_sentences([m.limit for m in mentions])
    return LimitAnswer(
        question=question,
        text=" ".join(parts),
        limits=tuple(m.limit for m in mentions),
        receiving=bodies,
        receiving_stated=stated,
        verdicts=tuple(verdicts),
    )


def _evaluate_mention(mention: _Mention, receiving: Receiving) -> RowResult:
    """Check the value a question gave, under the words it used (e.g. "temperature rise")."""
    return _evaluate(mention.phrase, mention.value, mention.unit, mention.limit, receiving)


def _source_sentences(limits: list[Limit]) -> list[str]:
    """One "Source:" sentence per standard, listing the table rows used."""
    rows: dict[tuple[str, str], list[str]] = {}
    for limit in limits:
        rows.setdefault((limit.standard, limit.doc_id), []).append(f"row {limit.row}")
    return [f"Source: {standard}, {', '.join(cited)} [{doc_id}]." for (standard, doc_id), cited in rows.items()]


def _limit_sentence(mention: _Mention, bodies: tuple[Receiving, ...], stated: bool) -> str:
    """The limit figure(s) for the bodies asked about."""
    limit = mention.limit
    caveat = f"No separate limit for {mention.phrase!r}: {mention.caveat}. " if mention.caveat else ""
    if stated and len(bodies) == 1:
        body = bodies[0]
        return (
            f"{caveat}The SEQS limit for {limit.parameter} for discharge into {body.label} "
            f"is {limit.bound(body).text()}."
        )
    figures = "; ".join(f"into {body.label}: {limit.bound(body).text()}" for body in bodies)
    return f"{caveat}The SEQS limits for {limit.parameter} are {figures}."


def _verdict_sentence(mention: _Mention, verdicts: list[Verdict]) -> str:
    """What the value given in the question means for each body."""
    shown = " ".join(part for part in (mention.value, mention.unit) if part)
    clauses = [_verdict_clause(v) for v in verdicts]
    return f"{mention.phrase} {shown}: " + "; ".join(clauses) + "."


def _verdict_clause(verdict: Verdict) -> str:
    """One body's verdict in words."""
    result, label = verdict.result, verdict.receiving.label
    notes = _join(*result.notes)
    if result.status is Status.WITHIN:
        detail = _join(result.reason, notes)
        return f"within the limit for {label} ({result.limit})" + (f" ({detail})" if detail else "")
    if result.status is Status.EXCEEDS:
        by = f" by {result.margin:.1f}%" if result.margin is not None else f" ({result.reason})"
        return f"exceeds the limit for {label} ({result.limit}){by}" + (f" ({notes})" if notes else "")
    if result.status is Status.NO_LIMIT:
        return f"no numeric limit for {label}: {result.reason}"
    return f"cannot be checked for {label}: {result.reason}"
