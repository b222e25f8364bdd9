"""Tests for assistant.standards.seqs: limits table, name matching, lab notations, units, verdicts.

The real SEQS CSV is used throughout: the project copy when it exists, otherwise the shared
corpus copy. Lab reports and odd limits tables are written as real files in tmp_path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.standards.seqs import (
    _ALIASES,
    _AMBIGUOUS,
    _NOT_COMPARABLE,
    _SYMBOLS,
    DOC_ID,
    BoundKind,
    LabReportError,
    Limit,
    LimitsFileError,
    Receiving,
    Status,
    Summary,
    UnitKind,
    answer_limit_question,
    build_index,
    check_rows,
    load_limits,
    parse_receiving,
    read_lab_report,
    render_table,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT_CSV = REPO_ROOT / "corpus" / "documents" / "seqs-effluent-limits.csv"
SHARED_CSV = Path("/work/shared/corpus/seqs-effluent-limits.csv")


def _limits_path() -> Path:
    """The project's copy of the table when present, else the shared corpus copy."""
    return PROJECT_CSV if PROJECT_CSV.exists() else SHARED_CSV


LIMITS = load_limits(_limits_path())
BY_NAME = {limit.parameter: limit for limit in LIMITS}


@pytest.fixture(scope="module")
def limits_path() -> Path:
    return _limits_path()


@pytest.fixture(scope="module")
def limits() -> list[Limit]:
    return LIMITS


def check_one(name: str, value: str, unit: str, receiving: str = "inland"):
    """Check a single lab row and return its RowResult."""
    return check_rows([(name, value, unit)], LIMITS, receiving).rows[0]


# ---------------------------------------------------------------- the limits table


def test_loads_all_32_rows_with_spreadsheet_row_numbers(limits: list[Limit]) -> None:
    assert len(limits) == 32
    assert [limit.row for limit in limits] == list(range(2, 34))
    assert {limit.doc_id for limit in limits} == {DOC_ID}
    assert all(limit.standard.startswith("Sindh Environmental Quality Standards") for limit in limits)


@pytest.mark.parametrize(
    ("parameter", "receiving", "kind", "low", "high", "text"),
    [
        ("Temperature or temperature increase", "inland", BoundKind.INCREASE_MAXIMUM, None, 3.0, "≤ 3 °C increase"),
        ("pH", "sea", BoundKind.RANGE, 6.0, 9.0, "6–9"),
        ("Biochemical oxygen demand (BOD5) at 20 °C", "sewage", BoundKind.MAXIMUM, None, 250.0, "≤ 250 mg/L"),
        ("Chemical oxygen demand (COD)", "inland", BoundKind.MAXIMUM, None, 150.0, "≤ 150 mg/L"),
        ("Total dissolved solids (TDS)", "sea", BoundKind.MAXIMUM, None, 3500.0, "≤ 3500 mg/L"),
        ("Mercury", "inland", BoundKind.MAXIMUM, None, 0.01, "≤ 0.01 mg/L"),
        ("Chloride (as Cl)", "sea", BoundKind.SEA_CONCENTRATION, None, None, "SC (at or below sea concentration)"),
        ("Sulphate (SO4)", "sea", BoundKind.SEA_CONCENTRATION, None, None, "SC (at or below sea concentration)"),
        ("Sulphate (SO4)", "sewage", BoundKind.MAXIMUM, None, 1000.0, "≤ 1000 mg/L"),
    ],
)
def test_cells_are_modelled_not_kept_as_strings(parameter, receiving, kind, low, high, text) -> None:
    bound = BY_NAME[parameter].bound(receiving)
    assert (bound.kind, bound.low, bound.high, bound.text()) == (kind, low, high, text)


def test_unit_families_of_the_table(limits: list[Limit]) -> None:
    kinds = {limit.parameter: limit.unit_kind for limit in limits}
    assert kinds["pH"] is UnitKind.PH
    assert kinds["Temperature or temperature increase"] is UnitKind.TEMPERATURE_INCREASE
    assert {kind for name, kind in kinds.items() if name not in ("pH", "Temperature or temperature increase")} == {
        UnitKind.CONCENTRATION
    }


def test_curated_tables_name_only_rows_that_exist(limits: list[Limit]) -> None:
    names = {limit.parameter for limit in limits}
    assert set(_ALIASES) <= names
    assert set(_SYMBOLS) <= names
    assert {name for options in _AMBIGUOUS.values() for name in options} <= names
    assert {related for _, related, _ in _NOT_COMPARABLE} <= names


def test_no_alias_is_claimed_by_two_rows(limits: list[Limit]) -> None:
    index = build_index(limits)
    assert set(index.ambiguous) == {"cl"}


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


LIMITS_HEADER = "parameter,unit,into_inland_waters,into_sewage_treatment,into_sea,standard,notes,values_from\n"


def test_blank_dash_sc_and_other_cell_formats(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "seqs-effluent-limits.csv",
        LIMITS_HEADER
        + "Alpha,mg/L,,-,SC,Std,,\n"
        + "\n"
        + 'Beta,mg/L,"3,500",≤3,6–9,Std,,\n'
        + "Gamma,°C (increase),40,≤3,n/a,Std,,\n",
    )
    alpha, beta, gamma = load_limits(path)
    assert (alpha.inland.kind, alpha.sewage.kind, alpha.sea.kind) == (
        BoundKind.NOT_SET, BoundKind.NOT_SET, BoundKind.SEA_CONCENTRATION,
    )
    assert alpha.inland.text() == "no limit set"
    assert (beta.inland.high, beta.sewage.kind, beta.sewage.high) == (3500.0, BoundKind.MAXIMUM, 3.0)
    assert (beta.sea.kind, beta.sea.low, beta.sea.high) == (BoundKind.RANGE, 6.0, 9.0)
    assert (gamma.inland.kind, gamma.inland.high, gamma.sea.kind) == (
        BoundKind.INCREASE_MAXIMUM, 40.0, BoundKind.NOT_SET,
    )
    assert (beta.row, gamma.row) == (4, 5)
    result = check_rows([("Alpha", "5", "mg/L")], [alpha, beta, gamma], "inland").rows[0]
    assert result.status is Status.NO_LIMIT
    assert "no limit" in result.reason


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Alpha,mg/L,abc,1,1,Std,,\n", "row 2, column into_inland_waters"),
        ("Alpha,mg/L,9-6,1,1,Std,,\n", "runs backwards"),
        ("Alpha,mg/L,\"1,5\",1,1,Std,,\n", "cannot read the number"),
    ],
)
def test_unreadable_limit_cells_raise(tmp_path: Path, row: str, message: str) -> None:
    path = _write(tmp_path / "limits.csv", LIMITS_HEADER + row)
    with pytest.raises(LimitsFileError, match=message):
        load_limits(path)


def test_limits_file_missing_columns_raise(tmp_path: Path) -> None:
    path = _write(tmp_path / "limits.csv", "parameter,unit,into_sea,standard\nA,mg/L,1,Std\n")
    with pytest.raises(LimitsFileError, match="into_inland_waters, into_sewage_treatment"):
        load_limits(path)


# ---------------------------------------------------------------- parameter names


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


ALIASES = [(alias, limit) for limit in LIMITS for alias in limit.aliases]


@given(
    pair=st.sampled_from(ALIASES),
    separators=st.lists(st.sampled_from(["", "", " ", ".", "-"]), min_size=60, max_size=60),
    upper=st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_every_alias_survives_case_and_punctuation(pair, separators, upper) -> None:
    alias, limit = pair
    mangled = "".join(
        (ch.upper() if up else ch.lower()) + sep for ch, up, sep in zip(alias, upper, separators)
    )
    assert build_index(LIMITS).match(mangled).limit is limit


# ---------------------------------------------------------------- receiving bodies


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("inland", Receiving.INLAND),
        ("Inland Waters", Receiving.INLAND),
        ("into_inland_waters", Receiving.INLAND),
        ("sewage", Receiving.SEWAGE),
        ("Sewage treatment", Receiving.SEWAGE),
        ("into_sewage_treatment", Receiving.SEWAGE),
        ("SEA", Receiving.SEA),
        ("into sea", Receiving.SEA),
        (Receiving.SEA, Receiving.SEA),
    ],
)
def test_receiving_body_names(text, body) -> None:
    assert parse_receiving(text) is body


@pytest.mark.parametrize("text", ["nallah", "river", "", "land"])
def test_unknown_receiving_body_raises_listing_valid_ones(text: str) -> None:
    with pytest.raises(ValueError, match="unknown receiving body") as error:
        check_rows([("COD", "1", "mg/L")], LIMITS, text)
    assert all(name in str(error.value) for name in ("'inland'", "'sewage'", "'sea'"))


# ---------------------------------------------------------------- values and notations


@pytest.mark.parametrize(
    ("name", "value", "unit", "status", "number", "text"),
    [
        ("COD", "150", "mg/L", Status.WITHIN, 150.0, ""),
        ("COD", "150.0001", "mg/L", Status.EXCEEDS, 150.0001, "above the limit ≤ 150 mg/L"),
        ("COD", "≤150", "mg/L", Status.WITHIN, 150.0, "at most 150 mg/L"),
        ("COD", "1.5e2", "mg/L", Status.WITHIN, 150.0, ""),
        ("COD", "+90", "mg/L", Status.WITHIN, 90.0, ""),
        ("COD", "<0.01", "mg/L", Status.WITHIN, 0.01, "below the detection limit (0.01 mg/L)"),
        ("COD", "< 0.01", "mg/L", Status.WITHIN, 0.01, "below the detection limit"),
        ("Hg", "ND", "mg/L", Status.WITHIN, None, "no detection limit given"),
        ("Hg", "n.d.", "mg/L", Status.WITHIN, None, "no detection limit given"),
        ("Hg", "N.D", "mg/L", Status.WITHIN, None, "no detection limit given"),
        ("Hg", "BDL", "mg/L", Status.WITHIN, None, "no detection limit given"),
        ("Hg", "B.D.L.", "mg/L", Status.WITHIN, None, "no detection limit given"),
        ("Hg", "not detected", "mg/L", Status.WITHIN, None, "no detection limit given"),
        ("Hg", "Not Detected", "mg/L", Status.WITHIN, None, "no detection limit given"),
        ("Hg", "Nil", "mg/L", Status.WITHIN, None, "no detection limit given"),
        ("Hg", "<DL", "mg/L", Status.WITHIN, None, "no detection limit given"),
        ("Hg", "ND mg/L", "", Status.WITHIN, None, "no detection limit given"),
        ("Hg", "ND µg/L", "mg/L", Status.UNIT_MISMATCH, None, "the unit column says 'mg/L'"),
        ("Hg", "ND (<0.005)", "mg/L", Status.WITHIN, 0.005, "detection limit 0.005 mg/L"),
        ("Hg", "BDL (DL 0.01 mg/L)", "", Status.WITHIN, 0.01, "detection limit 0.01 mg/L"),
        ("Hg", "ND (DL: 5 µg/L)", "", Status.WITHIN, 5.0, "detection limit 0.005 mg/L"),
        ("Hg", "BDL (DL 0.05)", "mg/L", Status.BAD_VALUE, 0.05, "a more sensitive method is needed"),
        ("Hg", "<0.05", "mg/L", Status.BAD_VALUE, 0.05, "cannot be decided"),
        ("Hg", "ND (DL ?)", "mg/L", Status.BAD_VALUE, None, "could not read the detection limit"),
        ("TDS", "1,200", "mg/L", Status.WITHIN, 1200.0, ""),
        ("TDS", "3,500", "mg/L", Status.WITHIN, 3500.0, ""),
        ("TDS", "3,500.5", "mg/L", Status.EXCEEDS, 3500.5, "above the limit"),
        ("TDS", "1,00,000", "mg/L", Status.EXCEEDS, 100000.0, "lakh grouping"),
        ("TDS", "1234,567", "mg/L", Status.BAD_VALUE, None, "ambiguous"),
        ("TDS", "1,2345", "mg/L", Status.BAD_VALUE, None, "ambiguous"),
        ("Oil and grease", "12,5", "mg/L", Status.EXCEEDS, 12.5, "decimal comma"),
        ("Oil and grease", "0,125", "mg/L", Status.WITHIN, 0.125, "decimal comma"),
        ("COD", "12 mg/l", "", Status.WITHIN, 12.0, ""),
        ("COD", "12mg/L", "mg/L", Status.WITHIN, 12.0, ""),
        ("COD", "12 ppm", "mg/L", Status.WITHIN, 12.0, ""),
        ("TDS", ">4000", "mg/L", Status.EXCEEDS, 4000.0, "outside the limit whatever the exact value"),
        ("TDS", ">3500", "mg/L", Status.EXCEEDS, 3500.0, "outside the limit"),
        ("TDS", ">=3500", "mg/L", Status.BAD_VALUE, 3500.0, "cannot be decided"),
        ("TDS", ">3000", "mg/L", Status.BAD_VALUE, 3000.0, "ask the lab for the measured figure"),
        ("COD", "-5", "mg/L", Status.BAD_VALUE, -5.0, "negative value"),
        ("COD", "−5", "mg/L", Status.BAD_VALUE, -5.0, "negative value"),
        ("COD", "", "mg/L", Status.BAD_VALUE, None, "empty value"),
        ("COD", "   ", "mg/L", Status.BAD_VALUE, None, "empty value"),
        ("COD", "NA", "mg/L", Status.BAD_VALUE, None, "no result reported"),
        ("COD", "-", "mg/L", Status.BAD_VALUE, None, "no result reported"),
        ("COD", "abc", "mg/L", Status.BAD_VALUE, None, "could not read 'abc'"),
        ("COD", "1.2.3", "mg/L", Status.BAD_VALUE, None, "could not read"),
        ("COD", "1e999999999", "mg/L", Status.BAD_VALUE, None, "not a plausible result"),
        ("COD", "1e-99", "mg/L", Status.BAD_VALUE, None, "not a plausible result"),
        ("COD", "12 ± 2", "mg/L", Status.BAD_VALUE, None, "uncertainty"),
        ("COD", "12 +/- 2", "mg/L", Status.BAD_VALUE, None, "uncertainty"),
        ("COD", "12 furlongs", "mg/L", Status.UNIT_MISMATCH, 12.0, "the unit column says 'mg/L'"),
        ("COD", "12 furlongs", "", Status.UNIT_MISMATCH, 12.0, "unit 'furlongs' cannot be compared"),
        ("pH", "6.5-7.0", "", Status.BAD_VALUE, None, "is a range"),
        ("pH", "ND", "", Status.BAD_VALUE, None, "'not detected' is not a result for pH"),
        ("pH", "15", "", Status.BAD_VALUE, 15.0, "outside the pH scale"),
        ("pH", "<5", "", Status.EXCEEDS, 5.0, "outside the limit whatever the exact value"),
        ("Temperature increase", "-1", "°C", Status.WITHIN, -1.0, ""),
    ],
)
def test_value_notations(name, value, unit, status, number, text) -> None:
    result = check_one(name, value, unit)
    assert result.status is status, result
    assert result.value == number
    assert text in result.explanation()


@pytest.mark.parametrize(
    ("name", "value", "unit", "status", "in_limit_unit", "text"),
    [
        ("Lead", "500", "µg/L", Status.WITHIN, 0.5, "converted from µg/L to mg/L"),
        ("Lead", "500", "μg/L", Status.WITHIN, 0.5, "converted"),
        ("Lead", "500", "ug/l", Status.WITHIN, 0.5, "converted"),
        ("Lead", "500", "ppb", Status.WITHIN, 0.5, "converted"),
        ("Lead", "501", "µg/L", Status.EXCEEDS, 0.501, "above the limit ≤ 0.5 mg/L"),
        ("Lead", "0.0005", "g/L", Status.WITHIN, 0.5, "converted from g/L"),
        ("Lead", "0.0006", "g/L", Status.EXCEEDS, 0.6, "converted from g/L"),
        ("COD", "150", "ppm", Status.WITHIN, 150.0, ""),
        ("COD", "150", "g/m3", Status.WITHIN, 150.0, ""),
        ("COD", "150", "g/m³", Status.WITHIN, 150.0, ""),
        ("COD", "150", "mg per litre", Status.WITHIN, 150.0, ""),
        ("COD", "150", " MG/L ", Status.WITHIN, 150.0, ""),
        ("COD", "150 ppm", "mg/L", Status.WITHIN, 150.0, ""),
        ("COD", "150", "", Status.WITHIN, 150.0, "unit not given; assumed mg/L"),
        ("COD", "150", "-", Status.WITHIN, 150.0, "unit not given; assumed mg/L"),
        ("COD", "12 mg/L", "µg/L", Status.UNIT_MISMATCH, None, "the unit column says 'µg/L'"),
        ("COD", "150", "%", Status.UNIT_MISMATCH, None, "unit '%' cannot be compared"),
        ("COD", "150", "mg/kg", Status.UNIT_MISMATCH, None, "cannot be compared"),
        ("COD", "150", "ppt", Status.UNIT_MISMATCH, None, "cannot be compared"),
        ("COD", "150", "pH units", Status.UNIT_MISMATCH, None, "cannot be compared"),
        ("pH", "7", "", Status.WITHIN, 7.0, ""),
        ("pH", "7", "pH units", Status.WITHIN, 7.0, ""),
        ("pH", "7", "S.U.", Status.WITHIN, 7.0, ""),
        ("pH", "7", "mg/L", Status.UNIT_MISMATCH, None, "cannot be compared"),
        ("Temp", "35", "°C", Status.UNIT_MISMATCH, None, "temperature increase"),
        ("Temperature", "35", "", Status.UNIT_MISMATCH, None, "absolute reading"),
        ("Temperature", "35 °C", "", Status.UNIT_MISMATCH, None, "absolute reading"),
        ("Temperature rise", "2", "°C", Status.WITHIN, 2.0, ""),
        ("Temp", "2", "°C (increase)", Status.WITHIN, 2.0, ""),
        ("Temperature", "2", "ΔT °C", Status.WITHIN, 2.0, ""),
        ("ΔT", "2", "°C", Status.WITHIN, 2.0, ""),
        ("Temperature increase", "2", "ºC", Status.WITHIN, 2.0, ""),
        ("Temperature increase", "2", "deg C", Status.WITHIN, 2.0, ""),
        ("Temperature increase", "2", "", Status.WITHIN, 2.0, "unit not given; assumed °C (increase)"),
        ("Temperature increase", "3", "°C", Status.WITHIN, 3.0, ""),
        ("Temperature increase", "3.5", "°C", Status.EXCEEDS, 3.5, "above the limit ≤ 3 °C increase"),
        ("Temperature increase", "2", "°F", Status.UNIT_MISMATCH, None, "cannot be compared"),
        ("Temperature increase", "2", "mg/L", Status.UNIT_MISMATCH, None, "cannot be compared"),
    ],
)
def test_units(name, value, unit, status, in_limit_unit, text) -> None:
    result = check_one(name, value, unit)
    assert result.status is status, result
    assert result.value_in_limit_unit == in_limit_unit
    assert text in result.explanation()


def test_every_status_with_citation() -> None:
    rows = [
        ("COD", "100", "mg/L"),
        ("COD", "500", "mg/L"),
        ("Chloride", "500", "mg/L"),
        ("Unobtainium", "1", "mg/L"),
        ("BOD", "lots", "mg/L"),
        ("TSS", "5", "%"),
    ]
    report = check_rows(rows, LIMITS, "sea")
    assert [row.status for row in report.rows] == [
        Status.WITHIN, Status.EXCEEDS, Status.NO_LIMIT,
        Status.UNKNOWN_PARAMETER, Status.BAD_VALUE, Status.UNIT_MISMATCH,
    ]
    no_limit = report.rows[2]
    assert no_limit.limit == "SC (at or below sea concentration)"
    assert "at or below the concentration in the sea" in no_limit.reason
    assert report.rows[0].citation.row == 5
    assert report.rows[0].citation.doc_id == DOC_ID
    assert "row 5" in report.rows[0].citation.text()
    assert report.summary.to_dict() == {
        "parameters": 6, "within": 1, "exceeds": 1, "no_limit": 1, "unknown": 1, "bad_or_mismatch": 2,
    }


@pytest.mark.parametrize(
    ("name", "value", "receiving", "margin"),
    [
        ("COD", "180", "inland", 20.0),
        ("COD", "120", "inland", -20.0),
        ("COD", "150", "inland", 0.0),
        ("BOD", "40", "sewage", -84.0),
        ("pH", "7", "inland", -100 / 6),
        ("pH", "8.5", "inland", -50 / 9),
        ("pH", "5", "inland", 100 / 6),
        ("pH", "10", "inland", 100 / 9),
        ("pH", "9", "inland", 0.0),
        ("Temperature increase", "1.5", "sea", -50.0),
    ],
)
def test_margin_in_percent_of_the_limit(name, value, receiving, margin) -> None:
    assert check_one(name, value, "", receiving).margin == pytest.approx(margin)


def test_margin_is_none_without_a_measured_value() -> None:
    assert check_one("COD", "<10", "mg/L").margin is None
    assert check_one("COD", "ND", "mg/L").margin is None
    assert check_one("Foo", "1", "mg/L").margin is None


def test_report_to_dict_is_json() -> None:
    report = check_rows([("COD", "180", "mg/L"), ("Hg", "ND", "")], LIMITS, "inland waters")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["receiving"] == "inland"
    assert data["summary"]["exceeds"] == 1
    first = data["rows"][0]
    assert first["status"] == "exceeds"
    assert first["limit"] == "≤ 150 mg/L"
    assert first["margin"] == pytest.approx(20.0)
    assert first["citation"]["row"] == 5
    assert first["citation"]["doc_id"] == "seqs-effluent-limits"
    assert first["input"] == {"parameter": "COD", "value": "180", "unit": "mg/L"}
    assert data["rows"][1]["qualifier"] == "ND"
    assert data["rows"][1]["notes"] == ["unit not given; assumed mg/L"]


def test_summary_of_one_row_says_parameter() -> None:
    assert Summary(1, 1, 0, 0, 0, 0).text().startswith("1 parameter: 1 within")


def test_render_table() -> None:
    report = check_rows(
        [("COD", "180", "mg/L"), ("pH", "7", ""), ("Cl", "5", "mg/L"), ("Lead", "<1", "µg/L")],
        LIMITS,
        "inland",
    )
    text = render_table(report)
    lines = text.splitlines()
    assert lines[0].split() == ["#", "Parameter", "Matched", "as", "Value", "Limit", "Status", "Margin", "Row"]
    assert "+20.0%" in lines[2] and "exceeds" in lines[2]
    assert "6–9" in lines[3] and "-16.7%" in lines[3]
    assert "[3] 'Cl' could mean" in text
    assert "converted from µg/L to mg/L" in text
    assert "4 parameters: 2 within, 1 exceeding, 0 with no limit, 1 unknown, 0 bad value or unit mismatch" in text
    assert "[seqs-effluent-limits]" in text


def test_empty_report_renders() -> None:
    report = check_rows([], LIMITS, "sea")
    assert report.summary.parameters == 0
    assert "0 parameters" in render_table(report)


# ---------------------------------------------------------------- properties

MAXIMA = [
    (limit, body)
    for limit in LIMITS
    for body in Receiving
    if limit.bound(body).kind in (BoundKind.MAXIMUM, BoundKind.INCREASE_MAXIMUM)
]
RANGES = [(limit, body) for limit in LIMITS for body in Receiving if limit.bound(body).kind is BoundKind.RANGE]


def test_property_inputs_cover_the_table() -> None:
    assert len(MAXIMA) == 32 * 3 - 3 - 2
    assert len(RANGES) == 3


@given(pair=st.sampled_from(MAXIMA), notation=st.sampled_from(["plain", "in-cell", "ppm", "µg/L", "spaced"]))
def test_value_exactly_at_a_maximum_is_within(pair, notation) -> None:
    limit, body = pair
    high = limit.bound(body).high
    value, unit = repr(high), limit.unit
    if limit.unit_kind is UnitKind.CONCENTRATION and notation == "ppm":
        unit = "ppm"
    elif limit.unit_kind is UnitKind.CONCENTRATION and notation == "µg/L":
        value, unit = str(Decimal(repr(high)) * 1000), "µg/L"
    elif notation == "in-cell":
        value, unit = f"{repr(high)} {limit.unit}", ""
    elif notation == "spaced":
        value = f"  {repr(high)}  "
    result = check_rows([(limit.parameter, value, unit)], LIMITS, body).rows[0]
    assert result.status is Status.WITHIN, result
    assert result.margin == 0.0
    assert result.citation == limit.citation


@given(pair=st.sampled_from(MAXIMA))
def test_value_just_above_a_maximum_exceeds(pair) -> None:
    limit, body = pair
    high = limit.bound(body).high
    value = high * (1 + 1e-6) + 1e-9
    result = check_rows([(limit.parameter, repr(value), limit.unit)], LIMITS, body).rows[0]
    assert result.status is Status.EXCEEDS, result
    assert result.margin > 0


PLAUSIBLE = st.one_of(st.just(0.0), st.floats(min_value=1e-12, max_value=1e7))


@given(pair=st.sampled_from(MAXIMA), value=PLAUSIBLE)
def test_verdict_agrees_with_exact_comparison_and_margin_sign(pair, value) -> None:
    limit, body = pair
    high = limit.bound(body).high
    result = check_rows([(limit.parameter, repr(value), limit.unit)], LIMITS, body).rows[0]
    within = Decimal(repr(value)) <= Decimal(repr(high))
    assert result.status is (Status.WITHIN if within else Status.EXCEEDS)
    assert (result.margin <= 0) == within


@given(pair=st.sampled_from(RANGES), fraction=st.floats(min_value=0, max_value=1))
def test_range_bounds_and_inside_are_within(pair, fraction) -> None:
    limit, body = pair
    bound = limit.bound(body)
    inside = bound.low + fraction * (bound.high - bound.low)
    for value in (bound.low, bound.high, inside):
        result = check_rows([(limit.parameter, repr(value), "")], LIMITS, body).rows[0]
        assert result.status is Status.WITHIN, (value, result)
        assert result.margin <= 0


@given(pair=st.sampled_from(RANGES), step=st.floats(min_value=1e-6, max_value=4))
def test_just_outside_a_range_exceeds(pair, step) -> None:
    limit, body = pair
    bound = limit.bound(body)
    for value in (bound.low * (1 - 1e-6), bound.high * (1 + 1e-6) + 1e-9, bound.low - step, bound.high + step):
        result = check_rows([(limit.parameter, repr(value), "pH")], LIMITS, body).rows[0]
        assert result.status is Status.EXCEEDS, (value, result)
        assert result.margin > 0


@settings(max_examples=300)
@given(name=st.sampled_from(["COD", "pH", "Temperature increase", "Hg", "Nowhere"]), value=st.text(), unit=st.text())
def test_any_text_gets_a_status_never_an_exception(name, value, unit) -> None:
    result = check_rows([(name, value, unit)], LIMITS, "sewage").rows[0]
    assert result.status in set(Status)
    if result.status in (Status.WITHIN, Status.EXCEEDS):
        assert result.value is not None or result.qualifier == "ND"


# ---------------------------------------------------------------- lab report files


def test_csv_report_with_bom_case_insensitive_headers_and_empty_rows(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "lab.csv",
        "\ufeffSample, Parameter ,VALUE,Unit\n"
        "S1,BOD,45,mg/L\n"
        ",,,\n"
        "\n"
        'S1,TDS,"1,200",mg/L\n'
        "S1,pH,7.2\n",
    )
    assert read_lab_report(path) == [("BOD", "45", "mg/L"), ("TDS", "1,200", "mg/L"), ("pH", "7.2", "")]


def test_semicolon_csv_with_decimal_commas(tmp_path: Path) -> None:
    path = _write(tmp_path / "lab.csv", "parameter;value;unit\nOil & Grease;12,5;mg/L\n")
    rows = read_lab_report(path)
    assert rows == [("Oil & Grease", "12,5", "mg/L")]
    assert check_rows(rows, LIMITS, "sea").rows[0].status is Status.EXCEEDS


def test_windows_1252_csv(tmp_path: Path) -> None:
    path = _write(tmp_path / "lab.csv", "parameter,value,unit\nLead,400,µg/L\n", encoding="cp1252")
    assert read_lab_report(path) == [("Lead", "400", "µg/L")]


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("parameter,result,unit", "missing column(s) value"),
        ("name,value", "missing column(s) parameter, unit"),
        ("a,b,c", "missing column(s) parameter, value, unit"),
    ],
)
def test_missing_columns_are_named(tmp_path: Path, header: str, missing: str) -> None:
    path = _write(tmp_path / "lab.csv", f"{header}\nBOD,45,mg/L\n")
    with pytest.raises(LabReportError, match=missing.replace("(", r"\(").replace(")", r"\)")):
        read_lab_report(path)


def test_empty_csv_raises(tmp_path: Path) -> None:
    with pytest.raises(LabReportError, match="empty"):
        read_lab_report(_write(tmp_path / "lab.csv", "\n\n"))


def test_unsupported_and_missing_files_raise(tmp_path: Path) -> None:
    with pytest.raises(LabReportError, match="unsupported file type"):
        read_lab_report(_write(tmp_path / "lab.xls", "x"))
    with pytest.raises(LabReportError, match="cannot read"):
        read_lab_report(tmp_path / "absent.csv")
    with pytest.raises(LabReportError, match="cannot open the workbook"):
        read_lab_report(_write(tmp_path / "broken.xlsx", "not a zip"))


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Other").append(["parameter", "value", "unit"])
    workbook.save(path)
    return path


def test_xlsx_report_first_sheet(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "lab.xlsx",
        [
            [None, None, None],
            ["Parameter", "Value", "Unit", "Remarks"],
            ["COD", 180, "mg/L", "grab sample"],
            [None, None, None],
            ["Hg", "ND", None],
            ["Lead", 0.6, "mg/l"],
            ["Zn", 1e-05, "mg/L"],
        ],
    )
    rows = read_lab_report(path)
    assert rows == [("COD", "180", "mg/L"), ("Hg", "ND", ""), ("Lead", "0.6", "mg/l"), ("Zn", "1e-05", "mg/L")]
    statuses = [row.status for row in check_rows(rows, LIMITS, "inland").rows]
    assert statuses == [Status.EXCEEDS, Status.WITHIN, Status.EXCEEDS, Status.WITHIN]


def test_xlsx_missing_columns(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "lab.xlsx", [["Parameter", "Result"], ["COD", 180]])
    with pytest.raises(LabReportError, match=r"missing column\(s\) value, unit"):
        read_lab_report(path)


# ---------------------------------------------------------------- questions

COD = "Chemical oxygen demand (COD)"


@pytest.mark.parametrize(
    ("question", "parameters", "bodies", "statuses", "phrases"),
    [
        ("Is COD 180 mg/L OK for discharge into the sea?", [COD], ["sea"], ["within"], ["≤ 400 mg/L"]),
        (
            "Is COD 180 mg/L OK for discharge to inland waters?",
            [COD], ["inland"], ["exceeds"], ["≤ 150 mg/L", "by 20.0%"],
        ),
        ("what is the TSS limit for sewage?", ["Total suspended solids (TSS)"], ["sewage"], [], ["≤ 400 mg/L"]),
        ("BOD limit for inland waters", ["Biochemical oxygen demand (BOD5) at 20 °C"], ["inland"], [], ["≤ 80 mg/L"]),
        ("can I discharge effluent with pH 10 into a nallah?", ["pH"], ["inland"], ["exceeds"], ["6–9"]),
        (
            "What is the limit for oil and grease?",
            ["Oil and grease"], ["inland", "sewage", "sea"], [],
            ["did not say where the effluent goes", "inland waters: ≤ 10 mg/L", "the sea: ≤ 10 mg/L"],
        ),
        (
            "Our B.O.D. is 250, can it go to the STP?",
            ["Biochemical oxygen demand (BOD5) at 20 °C"], ["sewage"], ["within"], ["unit not given; assumed mg/L"],
        ),
        (
            "Is 180 mg/L COD acceptable for the river?",
            [COD], ["inland"], ["exceeds"], ["≤ 150 mg/L"],
        ),
        ("Permissible TDS for discharge into a creek", ["Total dissolved solids (TDS)"], ["sea"], [], ["≤ 3500 mg/L"]),
        (
            "What is the chloride limit for marine discharge?",
            ["Chloride (as Cl)"], ["sea"], [], ["SC (at or below sea concentration)"],
        ),
        ("Lead 0.6 mg/L into the canal, is that allowed?", ["Lead"], ["inland"], ["exceeds"], ["by 20.0%"]),
        (
            "Is a temperature rise of 2 °C acceptable at the coast?",
            ["Temperature or temperature increase"], ["sea"], ["within"], ["≤ 3 °C increase"],
        ),
        (
            "Effluent temperature 35 °C into a river: OK?",
            ["Temperature or temperature increase"], ["inland"], ["unit-mismatch"], ["cannot be checked"],
        ),
        (
            "TSS of 1,200 mg/L to the sewer",
            ["Total suspended solids (TSS)"], ["sewage"], ["exceeds"], ["by 200.0%"],
        ),
        (
            "Is COD 180 mg/L OK?",
            [COD], ["inland", "sewage", "sea"], ["exceeds", "within", "within"],
            ["did not say where the effluent goes"],
        ),
        (
            "What are the BOD and COD limits for a lake?",
            ["Biochemical oxygen demand (BOD5) at 20 °C", COD], ["inland"], [], ["≤ 80 mg/L", "≤ 150 mg/L"],
        ),
        (
            "Hexavalent chromium limit for the sea?",
            ["Chromium (trivalent and hexavalent)"], ["sea"], [], ["report total chromium", "≤ 1 mg/L"],
        ),
        ("Is Cd 0.2 mg/L fine for a stream?", ["Cadmium"], ["inland"], ["exceeds"], ["≤ 0.1 mg/L"]),
        ("Is As 0.5 mg/L OK for the sea?", ["Arsenic"], ["sea"], ["within"], ["≤ 1 mg/L"]),
    ],
)
def test_limit_questions(question, parameters, bodies, statuses, phrases) -> None:
    answer = answer_limit_question(question, LIMITS)
    assert answer is not None
    assert [limit.parameter for limit in answer.limits] == parameters
    assert [body.value for body in answer.receiving] == bodies
    assert answer.receiving_stated == (len(bodies) < 3)
    assert [v.result.status.value for v in answer.verdicts] == statuses
    for phrase in phrases:
        assert phrase in answer.text
    rows = ", ".join(f"row {limit.row}" for limit in answer.limits)
    assert f"Source: {answer.limits[0].standard}, {rows} [seqs-effluent-limits]." in answer.text
    assert [c.row for c in answer.citations] == [limit.row for limit in answer.limits]
    json.dumps(answer.to_dict())


@pytest.mark.parametrize(
    "question",
    [
        "What is eco-efficiency?",
        "What does the Basel Convention regulate?",
        "Do I need an EIA before expanding my dye house?",
        "As a trainee, what should I read first?",
        "Will a late report lead to a fine?",
        "B grade factories: what are the rules?",
        "What does the Stockholm Convention say about mercury?",
        "Which pesticides are listed under the Rotterdam Convention?",
        "Under the Rotterdam Convention, which Parties are allowed to propose a pesticide formulation?",
        "How many tonnes of PCBs and POPs pesticides did the project plan to collect and dispose of?",
        "What is BOD?",
        "Our unit makes zinc ash. Which disposal sites has SEPA authorised for it?",
        "Is a C d drive needed for the limit report?",
        "",
    ],
)
def test_non_limit_questions_return_none(question: str) -> None:
    assert answer_limit_question(question, LIMITS) is None


@pytest.mark.parametrize(
    "question",
    [
        "What is the SEQS limit for pesticides under the Stockholm Convention's NIP?",
        "Is pesticides 0.1 mg/L in our effluent OK, given the Rotterdam listing?",
        "What pesticide level may we discharge into the sea?",
    ],
)
def test_convention_words_do_not_stop_an_effluent_question(question: str) -> None:
    assert answer_limit_question(question, LIMITS) is not None


def test_check_rows_accepts_non_string_cells() -> None:
    result = check_rows([("COD", 150, None)], LIMITS, "inland").rows[0]
    assert result.status is Status.WITHIN
    assert result.notes == ("unit not given; assumed mg/L",)


def test_answers_are_deterministic() -> None:
    question = "Is COD 180 mg/L OK?"
    assert answer_limit_question(question, LIMITS) == answer_limit_question(question, LIMITS)


# ---------------------------------------------------------------- import cost


def test_imports_fast_and_light() -> None:
    code = (
        "import sys, time; t = time.perf_counter(); import assistant.standards.seqs; "
        "elapsed = time.perf_counter() - t; "
        "heavy = [m for m in ('torch', 'pandas', 'chromadb', 'langchain', 'openpyxl') if m in sys.modules]; "
        "print(elapsed, heavy)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=REPO_ROOT
    ).stdout.split(maxsplit=1)
    assert float(output[0]) < 0.3
    assert output[1].strip() == "[]"
