"""The pure parts of the "Check my effluent" tab: reading pasted lab results, and showing a
checked report as HTML and as a CSV file.

Pasted text is read more leniently than a lab report file (a header line is optional, a tab
separates cells when copied from a spreadsheet), but never by guessing: a line that does not
split into the expected cells is reported by its line number and left out, and the other
lines are still checked. Everything shown in HTML came from the user or the limits table and
is escaped here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from assistant.spreadsheet import spreadsheet_safe
from assistant.standards.check import Report, RowResult, Status
from assistant.standards.lab_report import LabReportError
from assistant.standards.render import margin_text as effluent_margin_text

COLUMNS = ("parameter", "value", "unit")
# Headings that mark a header line, so "Test,Result,Units" is reported as the wrong columns, not checked as a result.
_HEADER_WORDS = frozenset(
    {*COLUMNS, "parameters", "values", "units", "result", "results", "analyte", "test", "name", "concentration", "uom"}
)

# A textile dye house's monthly report, as labs write it: lab names (BOD5, T.S.S.), a quoted
# thousands separator, "<5" and "ND", a parameter the table has no row for (Colour), a value
# that cannot be read (Zinc), microgrammes (Mercury) and an absolute temperature.
EXAMPLE_REPORT = """\
parameter,value,unit
BOD5,185,mg/L
COD,"1,200",mg/L
T.S.S.,<5,mg/L
pH,8.9,
Oil & Grease,ND,mg/L
Chromium,0.42,mg/L
Colour,350,Pt-Co units
Zinc,abc,mg/L
Mercury,14,ug/L
Chlorides,"2,450",mg/L
Sulphate,610,mg/L
Temperature,41,°C
"""

# Colour of a row: green within, red exceeds, grey no limit, amber for rows that need the user's attention.
TONES = {
    Status.WITHIN: "green",
    Status.EXCEEDS: "red",
    Status.NO_LIMIT: "grey",
    Status.UNKNOWN_PARAMETER: "amber",
    Status.BAD_VALUE: "amber",
    Status.UNIT_MISMATCH: "amber",
}
STATUS_LABELS = {
    Status.WITHIN: "within",
    Status.EXCEEDS: "exceeds",
    Status.NO_LIMIT: "no limit",
    Status.UNKNOWN_PARAMETER: "unknown parameter",
    Status.BAD_VALUE: "bad value",
    Status.UNIT_MISMATCH: "unit mismatch",
}
_HEADINGS = ("Parameter", "Value", "Unit", "Limit", "Status", "Margin", "Reason", "SEQS row")
_TITLES = {
    "Margin": "How far above (+) or below (−) the limit the value is, as a share of the limit",
    "SEQS row": "The row of the SEQS limits table the value was checked against",
}
CSV_FIELDS = (
    "receiving", "parameter_given", "value_given", "unit_given", "parameter", "value", "qualifier", "unit",
    "value_in_limit_unit", "limit", "status", "margin_percent", "reason", "standard", "seqs_row",
)


@dataclass(frozen=True)
class LineProblem:
    """A pasted line left out of the check, and why (the user fixes it by its line number)."""

    line: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        """JSON form, as the API returns it."""
        return {"line": self.line, "text": self.text, "reason": self.reason}


@dataclass(frozen=True)
class Pasted:
    """The (parameter, value, unit) rows of pasted text, and the lines that could not be read."""

    rows: tuple[tuple[str, str, str], ...]
    problems: tuple[LineProblem, ...] = ()


# ---------------------------------------------------------------- reading pasted text


def parse_pasted(text: str) -> Pasted:
    """Rows from pasted CSV text; raises LabReportError when nothing at all can be checked.

    A first line with a column heading (parameter, result, units...) is a header, and must
    name parameter, value and unit in some order, as a lab report file must; without one
    the cells are parameter, value, unit. Cells are tab-separated when the first line has a
    tab (copied from a spreadsheet), else comma-separated.
    """
    raw_lines = [line.rstrip("\r\n") for line in io.StringIO(text, newline="")]  # the line ends csv counts
    delimiter = "\t" if "\t" in next((line for line in raw_lines if line.strip()), "") else ","
    lines = list(_csv_lines(text, raw_lines, delimiter))
    if not lines:
        raise LabReportError("Nothing to check: paste lab results (parameter,value,unit, one per line) or upload a lab report.")
    first = [cell.strip().casefold() for cell in lines[0][2]]
    if set(first) & _HEADER_WORDS:
        positions, width, lines = _header_positions(lines[0][2]), len(_trimmed(first)), lines[1:]
    else:
        positions, width = {name: i for i, name in enumerate(COLUMNS)}, len(COLUMNS)
    rows, problems = [], []
    for number, raw, cells in lines:
        if problem := _line_problem(_trimmed(cells), width, delimiter):
            problems.append(LineProblem(number, raw, problem))
        else:
            rows.append(tuple(_cell(cells, positions[name]) for name in COLUMNS))
    if not rows and not problems:
        raise LabReportError("Nothing to check: the header line is there, but no result lines follow it.")
    return Pasted(tuple(rows), tuple(problems))


def _csv_lines(text: str, raw_lines: list[str], delimiter: str) -> Iterator[tuple[int, str, list[str]]]:
    """(first line number, the line(s) as typed, cells) of each non-blank record; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        end = reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, "\n".join(raw_lines[start - 1 : end]), cells
        start = end + 1


def _header_positions(header: list[str]) -> dict[str, int]:
    """Where parameter, value and unit are; a missing one is named, like a lab report file's."""
    names = [cell.strip().casefold() for cell in header]
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        found = ", ".join(repr(cell.strip()) for cell in header if cell.strip())
        raise LabReportError(
            f"The header line lacks the column(s) {', '.join(missing)} (found {found}). "
            "Name the columns parameter, value, unit, or leave the header out."
        )
    return {name: names.index(name) for name in COLUMNS}


def _trimmed(cells: list[str]) -> list[str]:
    """Cells without the empty ones at the end (a trailing comma adds no column)."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _cell(cells: list[str], position: int) -> str:
    """A stripped cell, empty when the line is short (a missing unit)."""
    return cells[position].strip() if position < len(cells) else ""


def _line_problem(cells: list[str], width: int, delimiter: str) -> str:
    """Why a line cannot be split into parameter, value and unit ('' when it can)."""
    if len(cells) > width:
        hint = ' (a value with a comma must be in quotes, e.g. "1,200")' if delimiter == "," else ""
        return f"{len(cells)} cells where {width} were expected{hint}"
    if len(cells) == 1:
        return "only one cell: separate parameter, value and unit with commas"
    return ""


def rows_to_csv(rows: list[tuple[str, str, str]]) -> str:
    """Rows read from an uploaded file, as the text the box shows (so the user sees what is checked)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


# ---------------------------------------------------------------- numbers


def number_text(value: float) -> str:
    """A number as a person writes it: no exponent, no float noise, no trailing zeros."""
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def margin_text(margin: float | None) -> str:
    """Margin in percent as the terminal table shows it; blank where there is none."""
    return effluent_margin_text(margin, empty="")


def value_text(row: RowResult) -> str:
    """The value as understood ("1200" for "1,200"), or as given when it could not be read."""
    if row.qualifier == "ND":
        return "ND" if row.value is None else f"ND (<{number_text(row.value)})"
    if row.value is None:
        return row.input_value
    return f"{row.qualifier}{number_text(row.value)}"


def _converted(row: RowResult) -> str:
    """The value in the limit's unit, when a unit conversion changed it."""
    if row.value is None or row.value_in_limit_unit is None or row.value_in_limit_unit == row.value:
        return ""
    return number_text(row.value_in_limit_unit)


# ---------------------------------------------------------------- HTML


def message_html(text: str, tone: str = "amber") -> str:
    """A notice in the result area: an error (amber) or a hint (grey)."""
    return f'<div class="cp-eff-message cp-eff-{tone}" role="status">{escape(text)}</div>'


def report_html(report: Report, problems: tuple[LineProblem, ...] = ()) -> str:
    """Summary line, the lines left out, the table coloured by status, and the standard the rows cite."""
    summary = (
        f'<p class="cp-eff-summary"><strong>Discharge into {escape(report.receiving.label)}:</strong> '
        f"{escape(report.summary.text())}.</p>"
    )
    rows = "".join(_row_html(row) for row in report.rows)
    head = "".join(_heading_html(heading) for heading in _HEADINGS)
    table = f'<table class="cp-eff-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>' if rows else ""
    return f'<div class="cp-panel cp-eff-report">{summary}{problems_html(problems)}{table}{_sources_html(report)}</div>'


def _heading_html(heading: str) -> str:
    """A column heading, with a tooltip where the heading alone may puzzle."""
    title = f' title="{_attr(_TITLES[heading])}"' if heading in _TITLES else ""
    return f'<th scope="col"{title}>{heading}</th>'


def problems_html(problems: tuple[LineProblem, ...]) -> str:
    """The pasted lines that were left out, so the user can fix them."""
    if not problems:
        return ""
    items = "".join(
        f"<li>Line {problem.line} <code>{escape(problem.text)}</code>: {escape(problem.reason)}</li>" for problem in problems
    )
    noun = "line was" if len(problems) == 1 else "lines were"
    return f'<div class="cp-eff-message cp-eff-amber">{len(problems)} {noun} not checked:<ul>{items}</ul></div>'


def _row_html(row: RowResult) -> str:
    """One result row; every cell escaped and labelled (the labels head each cell on a phone)."""
    value = escape(value_text(row))
    if converted := _converted(row):
        value += f'<div class="cp-sub" title="The value converted to the limit’s unit">= {escape(converted)}</div>'
    citation = row.citation
    seqs_row = f'<span title="{_attr(f"{citation.standard}, row {citation.row}")}">row {citation.row}</span>' if citation else ""
    cells = (
        _parameter_html(row),
        value,
        escape(row.unit or row.input_unit),
        escape(row.limit),
        f'<span class="cp-eff-badge">{escape(STATUS_LABELS[row.status])}</span>',
        escape(margin_text(row.margin)),
        escape(row.explanation()),
        seqs_row,
    )
    tds = "".join(f'<td data-label="{heading}">{cell}</td>' for heading, cell in zip(_HEADINGS, cells))
    return f'<tr class="cp-eff-row cp-eff-{TONES[row.status]}" data-status="{_attr(row.status.value)}">{tds}</tr>'


def _parameter_html(row: RowResult) -> str:
    """The table's name for the parameter, with the lab's name under it when they differ."""
    if row.parameter is None:
        return f'{escape(row.input_name or "(no name)")}<div class="cp-sub">not matched</div>'
    if row.input_name == row.parameter:
        return escape(row.parameter)
    return f'{escape(row.parameter)}<div class="cp-sub">as given: {escape(row.input_name)}</div>'


def _sources_html(report: Report) -> str:
    """The standard(s) the rows cite, named once under the table."""
    standards = dict.fromkeys(row.citation.standard for row in report.rows if row.citation)
    if not standards:
        return ""
    named = "; ".join(escape(standard) for standard in standards)
    return f'<p class="cp-eff-source">Limits: {named}. “SEQS row” is the row of the limits table (its header is row 1).</p>'


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


# ---------------------------------------------------------------- CSV download


def report_csv(report: Report) -> str:
    """The checked rows as CSV for a spreadsheet: what was given, what was understood, the verdict and its row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for row in report.rows:
        writer.writerow(_csv_cells(report, row))
    return out.getvalue()


def _csv_cells(report: Report, row: RowResult) -> tuple[str, ...]:
    """One CSV line; cells the user typed are guarded so a spreadsheet does not run them as formulas."""
    citation = row.citation
    return (
        report.receiving.value,
        spreadsheet_safe(row.input_name),
        spreadsheet_safe(row.input_value),
        spreadsheet_safe(row.input_unit),
        row.parameter or "",
        "" if row.value is None else number_text(row.value),
        row.qualifier,
        row.unit,
        "" if row.value_in_limit_unit is None else number_text(row.value_in_limit_unit),
        row.limit,
        row.status.value,
        "" if row.margin is None else number_text(round(row.margin, 2)),
        row.explanation(),
        citation.standard if citation else "",
        str(citation.row) if citation else "",
    )

