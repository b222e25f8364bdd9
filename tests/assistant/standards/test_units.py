"""Units, checked through a lab row: assumed, converted, compared only within their family."""

from __future__ import annotations

import pytest
from seqs_helpers import check_one

from assistant.standards.check import Status


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
