"""Lab-value notations, checked through a lab row: plain, censored, not detected, signed, grouped."""

from __future__ import annotations

import pytest
from seqs_helpers import check_one

from assistant.standards.check import Status


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
