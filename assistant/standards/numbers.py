"""Numbers as people write them in tables and lab reports, read without guesswork.

Plain ("12.5"), thousands-separated ("1,200"), lakh-grouped ("1,00,000") and decimal-comma
("12,5", "0,125") numbers are read into exact decimals; a reading that needs saying comes with a
note, and one that could mean two things is refused with the reason. Shared by every standards
table and by the lab-report reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal


def format_number(number: float | Decimal | None) -> str:
    """A number as written by a person: no exponent, no trailing zeros."""
    if number is None:
        return ""
    text = format(as_decimal(number), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def as_decimal(number: float | Decimal) -> Decimal:
    """Decimal of the shortest repr, so 0.1 compares as the 0.1 that was written."""
    return number if isinstance(number, Decimal) else Decimal(repr(number))


_PLAIN_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_LAKH = re.compile(r"[1-9]\d?(?:,\d{2})+,\d{3}(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+,\d+")


@dataclass(frozen=True)
class Number:
    """A parsed number and how it was read, when the reading needs saying."""

    value: Decimal
    note: str = ""


_PLAUSIBLE_EXPONENTS = range(-30, 31)


def parse_number(text: str) -> Number | str:
    """Read one unsigned number; a reason string when it cannot be read safely or is absurd."""
    number = _read_number(text)
    if isinstance(number, Number) and number.value and number.value.adjusted() not in _PLAUSIBLE_EXPONENTS:
        return f"{text!r} is not a plausible result"
    return number


def _read_number(text: str) -> Number | str:
    """Plain, thousands-separated, lakh-grouped or decimal-comma number."""
    if _PLAIN_NUMBER.fullmatch(text):
        return Number(Decimal(text))
    if _THOUSANDS.fullmatch(text):
        return Number(Decimal(text.replace(",", "")))
    if _LAKH.fullmatch(text):
        plain = text.replace(",", "")
        return Number(Decimal(plain), f"read {text!r} with lakh grouping as {plain}")
    if _DECIMAL_COMMA.fullmatch(text):
        whole, fraction = text.split(",")
        if len(fraction) <= 2 or whole == "0":
            value = Decimal(f"{whole}.{fraction}")
            return Number(value, f"read {text!r} as a decimal comma: {format_number(value)}")
        return f"{text!r} is ambiguous: a decimal comma or a thousands separator"
    return f"could not read {text!r} as a number"
