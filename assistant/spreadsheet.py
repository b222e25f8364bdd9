"""Text written into CSV files that people open in a spreadsheet.

A cell such as '=HYPERLINK(...)' typed into a web form or a lab report would be run as a
formula by Excel; it gets a leading apostrophe. Signed numbers ("-5", "+3") stay numbers.
"""

from __future__ import annotations

import re

_FORMULA_START = "=+-@\t\r"
_SIGNED_NUMBER = re.compile(r"[-+][\d.,]+")


def spreadsheet_safe(text: str) -> str:
    if len(text) > 1 and text[0] in _FORMULA_START and not _SIGNED_NUMBER.fullmatch(text):
        return "'" + text
    return text
