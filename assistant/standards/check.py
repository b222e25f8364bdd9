"""The check: a laboratory's effluent results against the SEQS 2016 effluent limits, row by row,
with the summary a reader needs first.

Why it is done this way: a compliance verdict has to be exact and explainable. The limits
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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from assistant.standards.citation import Citation
from assistant.standards.matching import ParameterIndex, build_index
from assistant.standards.notation import Problem, Reading, parse_reading
from assistant.standards.numbers import as_decimal, format_number
from assistant.standards.seqs import Bound, BoundKind, Limit, Receiving, parse_receiving
from assistant.standards.units import (
    CONCENTRATION_TO_MG_PER_L,
    PH_UNITS,
    UnitKind,
    is_celsius,
    is_missing_unit,
    same_unit,
    says_increase,
    unit_key,
)

_INFINITY = Decimal("Infinity")


class Status(StrEnum):
    """The outcome of checking one lab row; every row gets exactly one."""

    WITHIN = "within"
    EXCEEDS = "exceeds"
    NO_LIMIT = "no-limit"
    UNKNOWN_PARAMETER = "unknown-parameter"
    BAD_VALUE = "bad-value"
    UNIT_MISMATCH = "unit-mismatch"


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
        return join_notes(self.reason, *self.notes)

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
class _Conversion:
    """How to bring a lab value into the limit's unit, and what was assumed."""

    factor: Decimal
    unit: str
    note: str = ""


def _resolve_unit(reading: Reading, column_unit: str, name: str, limit: Limit) -> _Conversion | Problem:
    """Pick the lab's unit (cell or column) and convert it to the limit's unit, or refuse."""
    cell_unit, column_unit = reading.unit, column_unit.strip()
    if cell_unit and not is_missing_unit(column_unit) and not same_unit(cell_unit, column_unit):
        return Problem(f"the value says {cell_unit!r} but the unit column says {column_unit!r}")
    unit = cell_unit or column_unit
    if _absolute_temperature(name, unit, limit):
        return Problem(
            "the table limits the temperature increase over the receiving water, not the "
            "temperature itself, so an absolute reading cannot be compared with it: report the "
            "rise (name the row 'Temperature increase' or give the unit as '°C increase')"
        )
    if is_missing_unit(unit):
        return _assumed_unit(limit)
    return _convert(unit, limit)


def _absolute_temperature(name: str, unit: str, limit: Limit) -> bool:
    """A plain temperature reading offered against a temperature-increase limit."""
    if limit.unit_kind is not UnitKind.TEMPERATURE_INCREASE:
        return False
    return (is_missing_unit(unit) or is_celsius(unit)) and not says_increase(name, unit)


def _assumed_unit(limit: Limit) -> _Conversion:
    """Missing unit: pH needs none; otherwise the table's unit is assumed and said so."""
    if limit.unit_kind is UnitKind.PH:
        return _Conversion(Decimal(1), limit.unit)
    return _Conversion(Decimal(1), limit.unit, f"unit not given; assumed {limit.unit}")


def _convert(unit: str, limit: Limit) -> _Conversion | Problem:
    """Convert within a unit family; anything else is a mismatch, never a guess."""
    kind = limit.unit_kind
    if kind is UnitKind.CONCENTRATION and unit_key(unit) in CONCENTRATION_TO_MG_PER_L:
        factors = CONCENTRATION_TO_MG_PER_L
        factor = factors[unit_key(unit)] / factors[unit_key(limit.unit)]
        note = "" if factor == 1 else f"converted from {unit} to {limit.unit}"
        return _Conversion(factor, unit, note)
    if kind is UnitKind.PH and unit_key(unit) in PH_UNITS:
        return _Conversion(Decimal(1), unit)
    if kind in (UnitKind.TEMPERATURE, UnitKind.TEMPERATURE_INCREASE) and is_celsius(unit):
        return _Conversion(Decimal(1), unit)
    if kind is UnitKind.OTHER and unit_key(unit) == unit_key(limit.unit):
        return _Conversion(Decimal(1), unit)
    return Problem(f"unit {unit!r} cannot be compared with the table's unit {limit.unit!r}")


def _domain_problem(reading: Reading, limit: Limit) -> str:
    """Values that are not results for this kind of parameter."""
    kind = limit.unit_kind
    if reading.qualifier == "ND" and kind not in (UnitKind.CONCENTRATION, UnitKind.OTHER):
        return f"'not detected' is not a result for {limit.parameter}"
    if reading.negative and kind is not UnitKind.TEMPERATURE_INCREASE:
        return f"negative value {format_number(reading.signed)} is not a possible result for {limit.parameter}"
    if kind is UnitKind.PH and reading.number is not None and reading.number > 14:
        return f"pH {format_number(reading.number)} is outside the pH scale (0-14)"
    return ""


@dataclass(frozen=True)
class _Interval:
    """The true values a reading allows: exact, below detection or a lower bound."""

    low: Decimal
    high: Decimal
    low_closed: bool = True
    high_closed: bool = True


def _interval(reading: Reading, value: Decimal) -> _Interval:
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
    low = -_INFINITY if bound.low is None else as_decimal(bound.low)
    high = _INFINITY if bound.high is None else as_decimal(bound.high)
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


def _undecided_reason(reading: Reading, converted: Decimal, bound: Bound, limit: Limit) -> str:
    """Why a censored reading cannot settle the question."""
    shown = f"{format_number(converted)} {limit.unit}"
    if reading.qualifier == "ND":
        return (
            f"not detected, but the detection limit {shown} is above the limit {bound.text()}: "
            "the result cannot decide; a more sensitive method is needed"
        )
    if reading.qualifier in (">", ">="):
        return (
            f"'{reading.qualifier}{format_number(reading.number)}' only says the value is at least {shown}; "
            f"the limit is {bound.text()}, so it cannot be decided: ask the lab for the measured figure"
        )
    return (
        f"'{reading.qualifier}{format_number(reading.number)}' only says the value is at most {shown}; "
        f"the limit is {bound.text()}, so it cannot be decided: ask the lab for the measured figure"
    )


def join_notes(*notes: str) -> str:
    """Join the non-empty notes of a row."""
    return "; ".join(note for note in notes if note)


def evaluate(name: str, value: str, unit: str, limit: Limit, receiving: Receiving) -> RowResult:
    """Check one value of a known parameter against the limit for one receiving body."""
    bound = limit.bound(receiving)
    draft = RowResult(
        input_name=name, input_value=value, input_unit=unit, status=Status.BAD_VALUE,
        parameter=limit.parameter, limit=bound.text(), citation=limit.citation,
    )
    reading = parse_reading(value)
    if isinstance(reading, Problem):
        return replace(draft, reason=reading.reason)
    draft = replace(
        draft,
        value=None if reading.signed is None else float(reading.signed),
        qualifier=reading.qualifier,
        unit=reading.unit or unit.strip(),
    )
    conversion = _resolve_unit(reading, unit, name, limit)
    if isinstance(conversion, Problem):
        return replace(draft, status=Status.UNIT_MISMATCH, reason=conversion.reason)
    draft = replace(draft, unit=conversion.unit)
    if problem := _domain_problem(reading, limit):
        return replace(draft, reason=problem)
    draft = replace(draft, notes=tuple(note for note in (reading.note, conversion.note) if note))
    if not bound.is_numeric:
        return replace(draft, status=Status.NO_LIMIT, reason=bound.explanation(receiving))
    return _verdict(draft, reading, conversion, bound, limit)


def _verdict(
    draft: RowResult, reading: Reading, conversion: _Conversion, bound: Bound, limit: Limit
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


def _censored_note(reading: Reading, converted: Decimal, limit: Limit, status: Status) -> str:
    """Say that a verdict rests on a detection limit or a lower bound, not a measurement."""
    shown = f"{format_number(converted)} {limit.unit}"
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
    return evaluate(name, value, unit, match.limit, receiving)
