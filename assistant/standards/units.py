"""Units: their spellings, their families (concentration, pH, temperature or its increase), and
conversion within a family. Units of different families are never compared.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from enum import StrEnum


class UnitKind(StrEnum):
    """The family of a limit's unit: only units of the same family can be compared."""

    CONCENTRATION = "concentration"
    PH = "pH"
    TEMPERATURE_INCREASE = "temperature-increase"
    TEMPERATURE = "temperature"
    OTHER = "other"


def unit_key(text: str) -> str:
    """Normalise a unit for lookup: case, spacing, micro signs, litre spellings."""
    text = unicodedata.normalize("NFKC", text.replace("˚", "°")).casefold().strip()
    text = text.replace("μ", "u")
    text = re.sub(r"\s*\bper\b\s*", "/", text)
    text = re.sub(r"(?:lit(?:re|er)s?|ltr)\b", "l", text)
    return re.sub(r"\s+", "", text)


_MISSING_UNITS = frozenset({"", "-", "–", "—", "n/a", "na", "none"})
CONCENTRATION_TO_MG_PER_L = {
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
PH_UNITS = frozenset({"ph", "phunit", "phunits", "su", "s.u.", "s.u", "standardunits"})
_CELSIUS = frozenset(
    {"°c", "c", "oc", "degc", "deg.c", "degreec", "degreesc", "celsius", "degreescelsius", "°celsius"}
)
INCREASE_WORDS = re.compile(r"increase|rise|delta|δ|Δ", re.IGNORECASE)


def is_missing_unit(text: str) -> bool:
    """Whether a unit cell says nothing."""
    return unit_key(text) in _MISSING_UNITS


def is_celsius(text: str) -> bool:
    """Whether a unit is degrees Celsius, ignoring any increase wording."""
    key = re.sub(r"[()]|increase|rise|δt|deltat|delta|δ", "", unit_key(text))
    return key in _CELSIUS


def unit_kind(text: str) -> UnitKind:
    """Family of a unit written in the table or a lab report."""
    key = unit_key(text)
    if key in CONCENTRATION_TO_MG_PER_L:
        return UnitKind.CONCENTRATION
    if key in PH_UNITS:
        return UnitKind.PH
    if is_celsius(text):
        return UnitKind.TEMPERATURE_INCREASE if INCREASE_WORDS.search(key) else UnitKind.TEMPERATURE
    return UnitKind.OTHER


def is_known_unit(text: str) -> bool:
    """Whether text is any unit this module understands (used to ignore "(mg/L)" in names)."""
    return not is_missing_unit(text) and unit_kind(text) is not UnitKind.OTHER


def same_unit(first: str, second: str) -> bool:
    """Whether two spellings name the same unit ("mg/l" and "ppm" do)."""
    a, b = unit_key(first), unit_key(second)
    factors = CONCENTRATION_TO_MG_PER_L
    return a == b or (a in factors and b in factors and factors[a] == factors[b])


def says_increase(name: str, unit: str) -> bool:
    """Whether a temperature row states an increase rather than an absolute reading."""
    return bool(INCREASE_WORDS.search(name) or INCREASE_WORDS.search(unit))
