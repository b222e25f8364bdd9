"""Parameter names: the curated aliases and chemical symbols of each SEQS row, the names that
could mean two rows, and the names of a part of what a row limits (or of another basis).

Lab names are matched only through these tables, never fuzzily: a wrong match can get a factory
fined. Matching itself is in matching.py; the question-side rules in questions.py.
"""

from __future__ import annotations

import re
import unicodedata

ALIASES: dict[str, tuple[str, ...]] = {
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
SYMBOLS: dict[str, tuple[str, ...]] = {
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
WORDLIKE_SYMBOLS = frozenset({"As", "B", "F"})


# Names that could mean more than one row: never resolved silently.
AMBIGUOUS: dict[str, tuple[str, ...]] = {"Cl": ("Chloride (as Cl)", "Chlorine")}


# Names of a part of what a row limits, or of another basis: pointed to the row, not matched.
NOT_COMPARABLE: tuple[tuple[tuple[str, ...], str, str], ...] = (
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
NEUTRAL_QUALIFIERS = frozenset({"total", "t"})


def compact(text: str) -> str:
    """Name key: case, punctuation and spacing removed, "&" read as "and", Δ as "delta"."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("&", " and ").replace("δ", " delta ")
    return re.sub(r"[^0-9a-z]", "", text)


def _base_name(name: str) -> str:
    """A table name without its parenthesised parts, e.g. "Chromium"."""
    return " ".join(re.sub(r"\([^)]*\)", " ", name).split())


def aliases_for(parameter: str) -> tuple[str, ...]:
    """The row's own name, its name without brackets, curated aliases and symbols."""
    names = (parameter, _base_name(parameter), *ALIASES.get(parameter, ()), *SYMBOLS.get(parameter, ()))
    return tuple(dict.fromkeys(name for name in names if name))
