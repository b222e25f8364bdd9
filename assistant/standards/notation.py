"""Lab-value notations: a result cell read into a qualifier, a number and a unit.

"150", "<0.01", "<= 5", ">500", "ND", "BDL", "not detected (DL 0.01 mg/L)", "12 mg/l", "−2"...;
a range, an uncertainty or an unreadable cell becomes a Problem with its reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from assistant.standards.numbers import parse_number
from assistant.standards.units import is_known_unit

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
class Reading:
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
class Problem:
    """Why a value or unit cannot be used."""

    reason: str


def _clean_value(text: str) -> str:
    """Normalise lab notations: unicode minus, ≤/≥, non-breaking spaces."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text.replace("−", "-").replace("≤", "<=").replace("≥", ">=")


def parse_reading(value: str) -> Reading | Problem:
    """Read a value cell in any of the supported lab notations."""
    text = _clean_value(value)
    if not text:
        return Problem("empty value")
    if text.casefold() in _NO_RESULT:
        return Problem(f"no result reported ({value.strip()!r})")
    if match := _NOT_DETECTED.fullmatch(text):
        return _parse_not_detected(match.group("rest"), value)
    if match := _COMPARATOR_VALUE.fullmatch(text):
        return _parse_comparator(match, value)
    return Problem(f"could not read {value.strip()!r} as a value")


def _parse_not_detected(rest: str, value: str) -> Reading | Problem:
    """ND, BDL, "not detected", optionally followed by the detection limit."""
    remainder = _DETECTION_WORDS.sub(" ", rest).strip()
    if not remainder or is_known_unit(remainder):
        return Reading("ND", None, unit=remainder)
    match = re.fullmatch(r"(?P<num>[\d.,]+(?:[eE][-+]?\d+)?)\s*(?P<unit>.*)", remainder)
    number = parse_number(match.group("num")) if match else None
    if not match or isinstance(number, str):
        return Problem(f"could not read the detection limit in {value.strip()!r}")
    return Reading("ND", number.value, unit=match.group("unit").strip(), note=number.note)


def _parse_comparator(match: re.Match[str], value: str) -> Reading | Problem:
    """A number with an optional comparator, sign and unit."""
    unit = match.group("unit").strip()
    if re.match(r"(?:-|–|to\b)\s*\d", unit):
        return Problem(f"{value.strip()!r} is a range, not a single result")
    if re.match(r"(?:±|\+/-|\+-)", unit):
        return Problem(f"{value.strip()!r} carries an uncertainty; give the reported value alone")
    number = parse_number(match.group("num"))
    if isinstance(number, str):
        return Problem(number)
    return Reading(
        qualifier=match.group("op") or "",
        number=number.value,
        negative=match.group("sign") == "-",
        unit=unit,
        note=number.note,
    )
