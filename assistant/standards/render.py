"""The check as a plain-text table (`cpassist check-effluent`): aligned columns, numbered notes,
the summary line and the standard the rows come from; and a margin in words.
"""

from __future__ import annotations

from assistant.standards.check import Report, RowResult
from assistant.standards.numbers import format_number

_TABLE_HEADER = ("#", "Parameter", "Matched as", "Value", "Limit", "Status", "Margin", "Row")


def render_table(report: Report) -> str:
    """An aligned plain-text table, numbered notes and the summary line."""
    rows = [_table_cells(i, row) for i, row in enumerate(report.rows, start=1)]
    widths = [max(len(line[col]) for line in [_TABLE_HEADER, *rows]) for col in range(len(_TABLE_HEADER))]
    lines = [_table_line(_TABLE_HEADER, widths), _table_line(tuple("-" * w for w in widths), widths)]
    lines += [_table_line(cells, widths) for cells in rows]
    notes = [f"[{i}] {row.explanation()}" for i, row in enumerate(report.rows, start=1) if row.explanation()]
    if notes:
        lines += ["", "Notes:", *notes]
    lines += ["", f"Receiving body: {report.receiving.label}. {report.summary.text()}."]
    cited = [row.citation for row in report.rows if row.citation]
    standards = dict.fromkeys(citation.standard for citation in cited)
    lines += [f"Limits: {standard}; Row = row of the limits table." for standard in standards]
    return "\n".join(lines)


def _table_cells(number: int, row: RowResult) -> tuple[str, ...]:
    """One table line's cells."""
    return (
        str(number),
        _shorten(row.input_name),
        _shorten(row.parameter or "-"),
        _shorten(_value_text(row)),
        row.limit or "-",
        row.status.value,
        margin_text(row.margin),
        str(row.citation.row) if row.citation else "-",
    )


def _table_line(cells: tuple[str, ...], widths: list[int]) -> str:
    """Pad cells to the column widths."""
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()


def _shorten(text: str, width: int = 34) -> str:
    """Keep long names from stretching the table."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _value_text(row: RowResult) -> str:
    """The value as understood, or as given when it could not be read."""
    if row.value is None and row.qualifier != "ND":
        return " ".join(part for part in (row.input_value, row.input_unit) if part) or "-"
    if row.qualifier == "ND":
        return "ND" if row.value is None else f"ND (<{format_number(row.value)} {row.unit})"
    return " ".join(part for part in (f"{row.qualifier}{format_number(row.value)}", row.unit) if part)


def margin_text(margin: float | None, empty: str = "-") -> str:
    """Margin in percent, with enough digits to show a hair's-breadth exceedance."""
    if margin is None:
        return empty
    if margin != 0 and abs(margin) < 0.05:
        return f"{margin:+.2g}%"
    return f"{margin:+.1f}%"
