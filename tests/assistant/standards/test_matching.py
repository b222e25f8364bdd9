"""Parameter names: the curated tables, and a lab's name matched to its row or refused with a reason."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from seqs_helpers import LIMITS, check_one

from assistant.standards.aliases import ALIASES, AMBIGUOUS, NOT_COMPARABLE, SYMBOLS
from assistant.standards.check import Status
from assistant.standards.matching import build_index
from assistant.standards.seqs import Limit


def test_curated_tables_name_only_rows_that_exist(limits: list[Limit]) -> None:
    names = {limit.parameter for limit in limits}
    assert set(ALIASES) <= names
    assert set(SYMBOLS) <= names
    assert {name for options in AMBIGUOUS.values() for name in options} <= names
    assert {related for _, related, _ in NOT_COMPARABLE} <= names


def test_no_alias_is_claimed_by_two_rows(limits: list[Limit]) -> None:
    index = build_index(limits)
    assert set(index.ambiguous) == {"cl"}


@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        ("BOD", "Biochemical oxygen demand (BOD5) at 20 °C"),
        ("BOD5", "Biochemical oxygen demand (BOD5) at 20 °C"),
        ("B.O.D.", "Biochemical oxygen demand (BOD5) at 20 °C"),
        ("bod 5", "Biochemical oxygen demand (BOD5) at 20 °C"),
        ("Biochemical Oxygen Demand", "Biochemical oxygen demand (BOD5) at 20 °C"),
        ("BOD5 at 20°C", "Biochemical oxygen demand (BOD5) at 20 °C"),
        ("COD", "Chemical oxygen demand (COD)"),
        ("C.O.D (mg/L)", "Chemical oxygen demand (COD)"),
        ("T.S.S.", "Total suspended solids (TSS)"),
        ("TSS", "Total suspended solids (TSS)"),
        ("Suspended solids", "Total suspended solids (TSS)"),
        ("Total Suspended Solids (TSS)", "Total suspended solids (TSS)"),
        ("TDS", "Total dissolved solids (TDS)"),
        ("Oil & Grease", "Oil and grease"),
        ("O&G", "Oil and grease"),
        ("O & G", "Oil and grease"),
        ("oil and grease", "Oil and grease"),
        ("pH", "pH"),
        ("PH", "pH"),
        ("Temp", "Temperature or temperature increase"),
        ("ΔT", "Temperature or temperature increase"),
        ("Cr", "Chromium (trivalent and hexavalent)"),
        ("Chromium", "Chromium (trivalent and hexavalent)"),
        ("Chromium (total)", "Chromium (trivalent and hexavalent)"),
        ("Total chromium", "Chromium (trivalent and hexavalent)"),
        ("Ammonia", "Ammonia (NH3)"),
        ("NH3", "Ammonia (NH3)"),
        ("Phenols", "Phenolic compounds (as phenol)"),
        ("Phenolic compounds (as phenol)", "Phenolic compounds (as phenol)"),
        ("Cd", "Cadmium"),
        ("Cu", "Copper"),
        ("Pb", "Lead"),
        ("Lead (Pb)", "Lead"),
        ("Lead as Pb", "Lead"),
        ("Hg", "Mercury"),
        ("Ni", "Nickel"),
        ("Zn", "Zinc"),
        ("As", "Arsenic"),
        ("Arsenic (As)", "Arsenic"),
        ("Ba", "Barium"),
        ("Fe", "Iron"),
        ("Mn", "Manganese"),
        ("Se", "Selenium"),
        ("Ag", "Silver"),
        ("B", "Boron"),
        ("F", "Fluoride (as F)"),
        ("Fluoride as F", "Fluoride (as F)"),
        ("CN", "Cyanide (as CN)"),
        ("Total cyanide", "Cyanide (as CN)"),
        ("Chloride", "Chloride (as Cl)"),
        ("Chloride as Cl", "Chloride (as Cl)"),
        ("Cl (chloride)", "Chloride (as Cl)"),
        ("Residual chlorine", "Chlorine"),
        ("Cl2", "Chlorine"),
        ("Sulfate", "Sulphate (SO4)"),
        ("Sulphate as SO4", "Sulphate (SO4)"),
        ("Sulfide", "Sulphide (S)"),
        ("MBAS", "Anionic detergents (as MBAS)"),
        ("Detergents (as MBAS)", "Anionic detergents (as MBAS)"),
        ("Total toxic metals", "Total toxic metals"),
        ("Pesticides", "Pesticides"),
    ],
)
def test_lab_names_match_the_right_row(name: str, parameter: str) -> None:
    result = check_one(name, "0", "")
    assert result.parameter == parameter


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Cl", "could mean Chloride (as Cl) or Chlorine"),
        ("Hexavalent chromium", "report total chromium"),
        ("Chromium (VI)", "report total chromium"),
        ("Cr(VI)", "report total chromium"),
        ("Trivalent chromium", "report total chromium"),
        ("NH3-N", "ammonia as NH3"),
        ("Ammonia (as N)", "ammonia as NH3"),
        ("Ammoniacal nitrogen", "ammonia as NH3"),
        ("Free chlorine", "total residual chlorine"),
        ("Free cyanide", "total cyanide"),
        ("Lead (dissolved)", "not guessed at"),
        ("BOD3", "not guessed at"),
        ("Dissolved oxygen", "not guessed at"),
        ("Nitrate", "not guessed at"),
        ("Chromium (hexavalent)", "report total chromium"),
        ("", "no parameter name given"),
    ],
)
def test_names_that_must_not_be_matched(name: str, reason: str) -> None:
    result = check_one(name, "1", "mg/L")
    assert result.status is Status.UNKNOWN_PARAMETER
    assert result.parameter is None and result.citation is None
    assert reason in result.reason


ALIAS_PAIRS = [(alias, limit) for limit in LIMITS for alias in limit.aliases]


@given(
    pair=st.sampled_from(ALIAS_PAIRS),
    separators=st.lists(st.sampled_from(["", "", " ", ".", "-"]), min_size=60, max_size=60),
    upper=st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_every_alias_survives_case_and_punctuation(pair, separators, upper) -> None:
    alias, limit = pair
    mangled = "".join(
        (ch.upper() if up else ch.lower()) + sep for ch, up, sep in zip(alias, upper, separators)
    )
    assert build_index(LIMITS).match(mangled).limit is limit
