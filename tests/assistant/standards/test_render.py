"""The check as a plain-text table."""

from __future__ import annotations

from seqs_helpers import LIMITS

from assistant.standards.check import check_rows
from assistant.standards.render import render_table


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
    assert "Sindh Environmental Quality Standards" in text and "[seqs-effluent-limits]" not in text


def test_empty_report_renders() -> None:
    report = check_rows([], LIMITS, "sea")
    assert report.summary.parameters == 0
    assert "0 parameters" in render_table(report)
