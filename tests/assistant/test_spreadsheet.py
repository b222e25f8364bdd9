"""Formula guard for CSV cells that people open in a spreadsheet."""

import pytest

from assistant.spreadsheet import spreadsheet_safe


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-5", "-5"),
        ("+3.5", "+3.5"),
        ("COD", "COD"),
        ("=", "="),
        ("", ""),
    ],
)
def test_spreadsheet_safe(text: str, safe: str) -> None:
    assert spreadsheet_safe(text) == safe
