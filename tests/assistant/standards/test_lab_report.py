"""Lab report files: CSV (BOM, delimiters, encodings) and XLSX, read into (parameter, value, unit) rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from seqs_helpers import LIMITS, write_file

from assistant.standards.check import Status, check_rows
from assistant.standards.lab_report import LabReportError, read_lab_report


def test_csv_report_with_bom_case_insensitive_headers_and_empty_rows(tmp_path: Path) -> None:
    path = write_file(
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
    path = write_file(tmp_path / "lab.csv", "parameter;value;unit\nOil & Grease;12,5;mg/L\n")
    rows = read_lab_report(path)
    assert rows == [("Oil & Grease", "12,5", "mg/L")]
    assert check_rows(rows, LIMITS, "sea").rows[0].status is Status.EXCEEDS


def test_windows_1252_csv(tmp_path: Path) -> None:
    path = write_file(tmp_path / "lab.csv", "parameter,value,unit\nLead,400,µg/L\n", encoding="cp1252")
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
    path = write_file(tmp_path / "lab.csv", f"{header}\nBOD,45,mg/L\n")
    with pytest.raises(LabReportError, match=missing.replace("(", r"\(").replace(")", r"\)")):
        read_lab_report(path)


def test_empty_csv_raises(tmp_path: Path) -> None:
    with pytest.raises(LabReportError, match="empty"):
        read_lab_report(write_file(tmp_path / "lab.csv", "\n\n"))


def test_unsupported_and_missing_files_raise(tmp_path: Path) -> None:
    with pytest.raises(LabReportError, match="unsupported file type"):
        read_lab_report(write_file(tmp_path / "lab.xls", "x"))
    with pytest.raises(LabReportError, match="cannot read"):
        read_lab_report(tmp_path / "absent.csv")
    with pytest.raises(LabReportError, match="cannot open the workbook"):
        read_lab_report(write_file(tmp_path / "broken.xlsx", "not a zip"))


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
