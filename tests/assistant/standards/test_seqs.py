"""The typed limits table: rows and their spreadsheet numbers, modelled cells, unit families,
odd and unreadable limits files, receiving bodies."""

from __future__ import annotations

from pathlib import Path

import pytest
from seqs_helpers import BY_NAME, LIMITS, write_file

from assistant.standards.check import Status, check_rows
from assistant.standards.seqs import (
    DOC_ID,
    BoundKind,
    Limit,
    LimitsFileError,
    Receiving,
    load_limits,
    parse_receiving,
)
from assistant.standards.units import UnitKind


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


LIMITS_HEADER = "parameter,unit,into_inland_waters,into_sewage_treatment,into_sea,standard,notes,values_from\n"


def test_blank_dash_sc_and_other_cell_formats(tmp_path: Path) -> None:
    path = write_file(
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
    path = write_file(tmp_path / "limits.csv", LIMITS_HEADER + row)
    with pytest.raises(LimitsFileError, match=message):
        load_limits(path)


def test_limits_file_missing_columns_raise(tmp_path: Path) -> None:
    path = write_file(tmp_path / "limits.csv", "parameter,unit,into_sea,standard\nA,mg/L,1,Std\n")
    with pytest.raises(LimitsFileError, match="into_inland_waters, into_sewage_treatment"):
        load_limits(path)


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
