"""The IEE/EIA screening schedules as a typed table: each CSV row read once into an Entry whose
threshold is modelled as bands (a figure, its unit, open or closed ends, and the place a band is
for, such as "urban areas"), so a project's figure is compared with numbers, never with words.

The CSV holds the schedules of the 2021 Regulations and of the repealed 2014 ones; the
requirement comes from the 2021 rows only (`entries_in_force`). A threshold with no figure
("all", "large-scale (no figure given)") has no bands and covers every project of its kind; one
that sets a condition of place or ownership ("outside areas protected or sensitive") keeps it as
`condition`, in words.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from assistant.standards.numbers import (
    GROUPS,
    format_number,
    parse_number,
    spelled_numbers,
)

DOC_ID = "sindh-eia-screening-schedules"
IN_FORCE = "2021"

# The requirement of each 2021 schedule, weakest first: a project in the categories of two
# schedules must file both documents' regulations ask for, so the stronger one governs.
REQUIREMENT_ORDER = ("checklist", "IEE", "EIA")


class SchedulesFileError(ValueError):
    """The schedules CSV cannot be trusted as read."""


# Unit spellings in the table and in descriptions, to one key; the label names the figure asked for.
_UNITS: tuple[tuple[str, str], ...] = (
    (r"mw|megawatts?", "MW"),
    (r"kw|kilowatts?", "kW"),
    (r"kva|kv|kilovolts?", "kV"),
    (r"beds?", "beds"),
    (r"acre[\s-]*(?:f(?:ee|oo)t|ft)", "acre-feet"),
    (r"acres?", "acres"),
    (r"kanals?", "kanals"),
    (r"marlas?", "marlas"),
    (r"hectares?|hactors?|ha", "hectares"),
    (r"(?:sq\.?|square)\s*(?:ft|f(?:ee|oo)t)|sqft|sft", "sq ft"),
    (r"sq\.?\s*m|square\s+met(?:re|er)s?|m2|m²", "sq m"),
    (r"(?:sq\.?|square)\s*(?:yds?|yards?)|sqyds?|guz|gaz", "sq yd"),
    (r"(?:metric\s+)?(?:tons?|tonnes?)(?:\s+of\s+[a-z]+(?:\s+[a-z]+)?)?\s*(?:(?:per|a|/)\s*day|daily|roza?na|(?:har\s+)?roz|yomiya)|tpd", "tons per day"),
    (r"m(?:au|u)nds?(?:\s+of\s+[a-z]+(?:\s+[a-z]+)?)?\s*(?:per|a|/)\s*day", "maunds per day"),
    (r"(?:metric\s+)?(?:tons?|tonnes?)(?:\s+of\s+[a-z]+(?:\s+[a-z]+)?)?\s*(?:per|a|/)\s*month", "tonnes per month"),
    (r"(?:metric\s+)?(?:tons?|tonnes?)(?:\s+of\s+[a-z]+(?:\s+[a-z]+)?)?\s*(?:per|a|/)\s*(?:year|annum)|tpa|tonnes?|tons?", "tonnes per year"),
    (r"mgd|million\s+gallons\s+(?:(?:per|a)\s+day|daily)", "mgd"),
    (r"(?:cubic\s+met(?:re|er)s?|m3|m³)\s*(?:per|a|/)\s*(?:day|d)", "cubic metres per day"),
    (r"million\s+cubic\s+met(?:re|er)s|mcm", "million cubic metres"),
    (r"km|kilomet(?:re|er)s?", "km"),
    (r"m|met(?:re|er)s?", "m"),
    (r"miles?", "miles"),
    (r"ft|feet|foot", "ft"),
    (r"yds?|yards?", "yd"),
)
UNIT_LABELS = {
    "MW": "capacity in MW",
    "kW": "capacity in kW",
    "kV": "voltage in kV",
    "beds": "number of beds",
    "acres": "area in acres",
    "acre-feet": "storage volume in acre-feet",
    "kanals": "area in kanals",
    "marlas": "area in marlas",
    "sq m": "covered area in square metres",
    "hectares": "area served in hectares",
    "sq ft": "covered area in sq ft",
    "sq yd": "total area in sq yd",
    "tons per day": "capacity in tons per day",
    "maunds per day": "capacity in maunds per day",
    "tonnes per month": "monthly capacity in tonnes",
    "tonnes per year": "annual capacity in tonnes",
    "mgd": "capacity in mgd (million gallons a day)",
    "cubic metres per day": "capacity in cubic metres per day",
    "million cubic metres": "storage volume in million cubic metres",
    "km": "length in km",
    "m": "length in m",
    "miles": "length in miles",
    "ft": "length in feet",
    "yd": "length in yards",
}
# Units of one family, to a common base, so "800 m" is compared with "more than 1 km" and
# "200 kanals" (8 to the acre, as land is measured in Sindh) with "more than 15 acres".
_CONVERSIONS = {
    "m": ("km", Decimal("0.001")),
    "miles": ("km", Decimal("1.609344")),
    "ft": ("km", Decimal("0.0003048")),
    "yd": ("km", Decimal("0.0009144")),
    "kW": ("MW", Decimal("0.001")),
    "sq yd": ("sq ft", Decimal(9)),
    "sq m": ("sq ft", Decimal("10.7639104")),
    "kanals": ("acres", Decimal("0.125")),
    "marlas": ("acres", Decimal("0.00625")),
    "hectares": ("acres", Decimal("2.4710538")),
    "acre-feet": ("million cubic metres", Decimal("0.00123348184")),
    "maunds per day": ("tons per day", Decimal("0.04")),
    "tonnes per month": ("tonnes per year", Decimal(12)),
    # Pakistan's water agencies state mgd in imperial gallons (4,546.09 m3 a million); a figure
    # that US gallons would put in another band is left undecided (screening.py).
    "cubic metres per day": ("mgd", 1 / Decimal("4546.09")),
}
US_MGD_PER_CUBIC_METRE_A_DAY = 1 / Decimal("3785.41")
# Every area is compared in square feet, so "a 1 kanal plot" meets "more than 500 sq yd" and "2
# acres" meets "1,000 to 5,000 sq yd"; the families above stay apart for matching (an acre band
# and a covered-area band are different kinds of entry).
_SQ_FT_PER_BASE = {"sq ft": Decimal(1), "acres": Decimal(43560)}
PLACES = ("urban", "rural")


def unit_of(text: str) -> str | None:
    """The unit key of a spelling ("Megawatts" -> "MW"), or None."""
    text = " ".join(text.casefold().replace("(as printed)", "").split())
    for pattern, key in _UNITS:
        if re.fullmatch(pattern, text):
            return key
    return None


def to_base(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """A figure in its family's base unit (m -> km, sq yd -> sq ft)."""
    if unit in _CONVERSIONS:
        base, factor = _CONVERSIONS[unit]
        return value * factor, base
    return value, unit


def measure(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """A figure in the unit every figure of its dimension is compared in (areas in sq ft)."""
    value, base = to_base(value, unit)
    if base in _SQ_FT_PER_BASE:
        return value * _SQ_FT_PER_BASE[base], "sq ft"
    return value, base


def measure_unit(unit: str) -> str:
    return measure(Decimal(0), unit)[1]


@dataclass(frozen=True)
class Band:
    """One band of a threshold: low and high ends (None = open), which ends are included, the
    unit, and the place it is for ("urban", "rural") or the part of the entry it names."""

    unit: str
    low: Decimal | None = None
    high: Decimal | None = None
    low_included: bool = False
    high_included: bool = True
    place: str = ""
    part: str = ""

    def contains(self, value: Decimal, unit: str) -> bool:
        """Whether a figure (in any unit of the band's family) falls in the band."""
        value, unit = measure(value, unit)
        if unit != self.measure_unit:
            return False
        low, high = self.ends()
        if low is not None and (value < low or (value == low and not self.low_included)):
            return False
        return high is None or value < high or (value == high and self.high_included)

    def side_of(self, value: Decimal, unit: str) -> str:
        """Where the band lies against a figure of its family: "below" (it ends before the
        figure), "above" (it starts after it), "holds", or "" for a figure in another unit."""
        value, unit = measure(value, unit)
        if unit != self.measure_unit:
            return ""
        low, high = self.ends()
        if high is not None and (high < value or (high == value and not self.high_included)):
            return "below"
        if low is not None and (low > value or (low == value and not self.low_included)):
            return "above"
        return "holds"

    def covers(self, figure: Figure) -> str:
        """Whether the band holds "all" the values a stated figure allows, "none" or only "part" of
        them ("under 25 million cubic metres" is all inside "less than 25", none inside "25 and
        above", part of "up to 10"); "" for a figure in another unit. A stated range ("10 to 20
        acres") is all inside a band that holds both its ends, none inside one wholly beyond it."""
        exact = not figure.bound and figure.low is None
        if figure.approximate and exact and measure(figure.value, figure.unit) in [(end, self.measure_unit) for end in self.ends()]:
            return "part"
        if figure.low is not None:
            ends = [self.covers(Figure(value, figure.unit, figure.text)) for value in (figure.low, figure.value)]
            if "" in ends or ends == ["all", "all"]:
                return ends[0] if "" in ends else "all"
            beyond = self.side_of(figure.low, figure.unit) == "below" or self.side_of(figure.value, figure.unit) == "above"
            return "none" if beyond else "part"
        if not figure.bound:
            if measure_unit(figure.unit) != self.measure_unit:
                return ""
            return "all" if self.contains(figure.value, figure.unit) else "none"
        value, unit = measure(figure.value, figure.unit)
        if unit != self.measure_unit:
            return ""
        low, high = self.ends()
        if figure.bound in ("<", "<="):
            reaches = figure.bound == "<="
            if low is not None and (low > value or (low == value and not (self.low_included and reaches))):
                return "none"
            if low is None and (high is None or high > value or (high == value and (self.high_included or not reaches))):
                return "all"
            return "part"
        reaches = figure.bound == ">="
        if high is not None and (high < value or (high == value and not (self.high_included and reaches))):
            return "none"
        if high is None and (low is None or low < value or (low == value and (self.low_included or not reaches))):
            return "all"
        return "part"

    def ends(self) -> tuple[Decimal | None, Decimal | None]:
        """The low and high ends in the unit figures are compared in (None = open)."""
        low = measure(self.low, self.unit)[0] if self.low is not None else None
        high = measure(self.high, self.unit)[0] if self.high is not None else None
        return low, high

    @property
    def base_unit(self) -> str:
        """The family's base unit, which matching groups entries by."""
        return to_base(Decimal(0), self.unit)[1]

    @property
    def measure_unit(self) -> str:
        return measure_unit(self.unit)

    def text(self) -> str:
        """"more than 50 beds", "from 5 to 15 acres"."""
        low, high = format_number(self.low), format_number(self.high)
        if self.low is not None and self.high is not None:
            words = f"{'from' if self.low_included else 'more than'} {low} to {high}"
        elif self.low is not None:
            words = f"{low} or more" if self.low_included else f"more than {low}"
        else:
            words = f"{'up to' if self.high_included else 'less than'} {high}"
        where = f" in {self.place} areas" if self.place else ""
        return f"{words} {self.unit}{where}"


@dataclass(frozen=True)
class Entry:
    """One row of the screening schedules."""

    regulations: str
    schedule: str
    requirement: str
    sector: str
    project: str
    threshold: str
    threshold_value: str
    threshold_unit: str
    notes: str
    row: int
    bands: tuple[Band, ...] = ()
    condition: str = ""
    doc_id: str = DOC_ID

    @property
    def item(self) -> str:
        """The item as printed ("Item J.4" -> "J.4", "Heading K" -> "K"), or ""."""
        match = re.match(r"(?:Item|Heading)\s+([A-Za-z0-9.()]+?)(?:[.,;]\s|\.?$|\s|;)", self.notes)
        if match:
            return match.group(1).rstrip(".")
        return "heading " + m.group(1) if (m := re.search(r"under heading ([A-Z])", self.notes)) else ""

    @property
    def remark(self) -> str:
        """The sentences of the row's notes about figures, without the item it names: "Schedule III
        A.1 starts above 50 MW; plants above 25 MW and up to 50 MW have no capacity band (...)"."""
        notes = re.sub(r"^(?:Item|Heading)\s+[A-Za-z0-9.()]+?(?:\s*\([^)]*\))?\.(?=\s|$)\s*", "", self.notes)
        return " ".join(s for s in re.split(r"(?<=\.)\s+(?=[A-Z])", notes.strip()) if re.search(r"\d", s))

    @property
    def reference(self) -> str:
        """"Schedule II J.4": where the entry is printed."""
        return f"Schedule {self.schedule} {self.item}" if self.item else f"Schedule {self.schedule}"

    @property
    def label(self) -> str:
        """"Schedule II J.4 (IEE): Hospitals and health care units, more than 50 beds"."""
        return f"{self.reference} ({self.requirement}): {self.project}, {self.threshold}"

    @property
    def units(self) -> tuple[str, ...]:
        """The base units its bands are in."""
        return tuple(dict.fromkeys(band.base_unit for band in self.bands))

    @property
    def places(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(band.place for band in self.bands if band.place))

    @property
    def is_catch_all(self) -> bool:
        """The Agency's direction items and the 'any other project' items: never matched by kind."""
        return self.project.casefold().startswith(("any other project", "all projects situated", "all projects in high density"))

    def to_dict(self) -> dict:
        return {
            "regulations": self.regulations,
            "schedule": self.schedule,
            "item": self.item,
            "requirement": self.requirement,
            "sector": self.sector,
            "project": self.project,
            "threshold": self.threshold,
            "row": self.row,
            "doc_id": self.doc_id,
        }


_COLUMNS = ("regulations", "schedule", "requirement", "sector", "project", "threshold")


def load_schedules(path: Path) -> list[Entry]:
    """Every row of the screening CSV as an Entry (rows numbered as a spreadsheet shows them)."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    if not records:
        raise SchedulesFileError(f"{path.name}: the file is empty")
    header = [name.strip().casefold() for name in records[0]]
    missing = [name for name in _COLUMNS if name not in header]
    if missing:
        raise SchedulesFileError(f"{path.name}: missing column(s) {', '.join(missing)}")
    entries = []
    for row, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)}
        bands, condition = parse_threshold(cells["threshold"])
        entries.append(Entry(
            regulations=cells["regulations"], schedule=cells["schedule"], requirement=cells["requirement"],
            sector=cells.get("sector", ""), project=cells["project"], threshold=cells["threshold"],
            threshold_value=cells.get("threshold_value", ""), threshold_unit=cells.get("threshold_unit", ""),
            notes=cells.get("notes", ""), row=row, bands=bands, condition=condition, doc_id=path.stem,
        ))
    return entries


def entries_in_force(entries: list[Entry]) -> list[Entry]:
    """The rows of the Regulations in force (2021)."""
    return [entry for entry in entries if entry.regulations == IN_FORCE]


_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_UNIT_WORDS = r"[A-Za-z][A-Za-z. ]*?"
_BAND_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (rf"(?:from\s+)?(?P<low>{_NUMBER})\s*(?P<unit1>{_UNIT_WORDS})?\s+to\s+(?P<high>{_NUMBER})\s*(?P<unit>{_UNIT_WORDS})$", "closed"),
        (rf"more\s+than\s+(?P<low>{_NUMBER})\s*(?P<unit1>{_UNIT_WORDS})?\s+to\s+(?P<high>{_NUMBER})\s*(?P<unit>{_UNIT_WORDS})$", "left-open"),
        (rf"(?:up\s+to)\s+(?P<high>{_NUMBER})\s*(?P<unit>{_UNIT_WORDS})$", "up-to"),
        (rf"(?:less\s+than|below|under)\s+(?P<high>{_NUMBER})\s*(?P<unit>{_UNIT_WORDS})$", "less-than"),
        (rf"(?:more\s+than|above|over)\s+(?P<low>{_NUMBER})\s*(?P<unit>{_UNIT_WORDS})$", "more-than"),
        (rf"(?P<low>{_NUMBER})\s*(?P<unit>{_UNIT_WORDS})\s+and\s+above$", "at-least"),
    )
)
_PLACE = re.compile(r"\s+in\s+(urban|rural)\s+areas?$", re.IGNORECASE)
_LEADING_MEASURE = re.compile(
    r"^(?:(?:total\s+)?(?:covered\s+)?(?:area|length|capacity)|production\s+capacity|annual\s+capacity"
    r"|storage\s+volume|serving|transmission\s+lines|distribution\s+projects)\s+", re.IGNORECASE,
)


def parse_threshold(text: str) -> tuple[tuple[Band, ...], str]:
    """Bands of a threshold cell, and the words left as a condition (place, ownership...)."""
    bands: list[Band] = []
    conditions: list[str] = []
    for part in re.split(r"\s*;\s*", text.strip()):
        band = _parse_band(part)
        if band is None:
            if part and part.casefold() not in ("all",):
                conditions.append(part)
        else:
            bands.append(band)
    return tuple(bands), "; ".join(conditions)


def _parse_band(part: str) -> Band | None:
    """One "more than 15 acres to 50 acres" / "up to 25 MW in urban areas" part, or None."""
    words = part.strip().replace("'", "")
    place = ""
    if match := _PLACE.search(words):
        place, words = match.group(1).casefold(), words[: match.start()]
    leading = ""
    if match := _LEADING_MEASURE.match(words):
        leading, words = match.group().strip(), words[match.end():]
    words = re.split(r"\s+(?:of|with)\s+surface", words)[0].strip()
    for pattern, kind in _BAND_PATTERNS:
        match = pattern.fullmatch(words)
        if not match:
            continue
        unit = unit_of(match.group("unit"))
        if unit is None:
            return None
        low = _decimal(match.groupdict().get("low"))
        high = _decimal(match.groupdict().get("high"))
        low_unit = unit_of(match.groupdict().get("unit1") or "") if match.groupdict().get("unit1") else unit
        if low is not None and low_unit and low_unit != unit:
            low = to_base(low, low_unit)[0] / to_base(Decimal(1), unit)[0]
        included = {
            "closed": (True, True), "left-open": (False, True), "up-to": (False, True),
            "less-than": (False, False), "more-than": (False, True), "at-least": (True, True),
        }[kind]
        return Band(unit, low, high, included[0], included[1], place, leading)
    return None


def _decimal(text: str | None) -> Decimal | None:
    if not text:
        return None
    number = parse_number(text)
    if isinstance(number, str):
        return None
    return number.value


@dataclass(frozen=True)
class Figure:
    """A figure stated in a description: "120-bed" -> 120 beds; "storage under 25 million cubic
    metres" -> 25 million cubic metres bounded "<" (any value below it)."""

    value: Decimal
    unit: str
    text: str
    bound: str = ""  # "" (the value itself), "<", "<=", ">" or ">="
    land: bool = False  # an area of land ("a 12 kanal plot"), not a building's covered area
    low: Decimal | None = None  # a stated range's lower end: "between 10 and 20 acres" is 10 to 20 ("<=")
    approximate: bool = False  # "about 50 beds": at a band's very end ("less than 50 beds") it settles neither side
    final: bool = False  # what an expansion comes to: "from 15 to 22 tonnes", "will take us to 70 beds"


DAYS_A_YEAR = Decimal(365)


def annual_ceiling(figure: Figure) -> Figure | None:
    """A daily tonnage as the most it can come to in a year: "20 tons a day" is at most 7,300
    tonnes a year, however few days the plant runs. That places it inside an "up to" annual band
    and leaves it undecided against a band that starts higher; None for any other figure."""
    value, base = to_base(figure.value, figure.unit)
    if base != "tons per day" or figure.bound in (">", ">="):
        return None
    yearly = value * DAYS_A_YEAR
    return Figure(yearly, "tonnes per year", f"{figure.text} (at most {format_number(yearly)} tonnes a year)", "<=", figure.land)


_FIGURE_UNITS = "|".join(pattern for pattern, _ in _UNITS)
_GROUP_WORDS = "|".join(sorted(GROUPS, key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?<![\w.])(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>{_GROUP_WORDS})?\s*-?\s*(?P<unit>{_FIGURE_UNITS})(?![a-z])",
    re.IGNORECASE,
)


def figures_in(text: str) -> list[Figure]:
    """Figures with a unit the schedules use, as written in a description (numbers in words too;
    a plot's sides as its area: "60 ft x 90 ft" is 5,400 sq ft)."""
    text = _LABELLED.sub(r"\g<num> \g<unit>", _SIDES.sub(_area_of_sides, spelled_numbers(text)))
    found, counted = [], []
    for match in _FIGURE.finditer(text):
        unit = unit_of(match.group("unit"))
        value = _decimal(match.group("num"))
        if unit is None or value is None:
            continue
        if to_base(Decimal(0), unit)[1] == "km" and _NOT_LENGTH.match(text[match.end() :]):
            continue
        if unit == "tonnes per year" and _BARE_TONNES.fullmatch(match.group("unit")) and _DAILY_BEFORE.search(text[: match.start()]):
            unit = "tons per day"  # "daily 2000 tonnes", as an Urdu description's reading puts it
        if match.group("scale") and unit != "million cubic metres":
            value *= GROUPS[match.group("scale").casefold()]
        bound, before, after = _bound(text[: match.start()], text[match.end() :])
        said = f"{before}{match.group().strip()}{after}"
        low = None
        start = _RANGE_START.search(text[: match.start()])
        # An expansion states where it ends: "take capacity from 15 to 22 tonnes a day" is 22.
        final = not bound and bool(
            (start and _EXPANDS.search(text[: start.start()])) or _EXPANDS_TO.search(text[: match.start()])
        )
        if final:
            start = None
        if not bound and start:
            # "between 10 and 20 acres", "90,000 to 1.2 lakh sq ft": the first end shares the unit,
            # and the group word too where it is the smaller number as written ("1 to 2 lakh").
            low = _decimal(start.group("num") or start.group("num_and"))
            if low is not None and match.group("scale") and low < (_decimal(match.group("num")) or 0):
                low *= GROUPS[match.group("scale").casefold()]
            if low is not None and low < value and (parts := _many_parts(text[: start.start()])):
                # "350 plots of 120 to 400 sq yd": the scheme is at least its plots at their smallest.
                value, low = low * int(parts.group("n").replace(",", "")), None
                bound, said = ">=", f"{parts.group().strip()} {text[start.start() : match.start()]}{said} (at least {value:,f} {unit} in all)"
            elif low is not None and low < value:
                bound, said = "<=", f"{text[start.start() : match.start()]}{said}"
            else:
                low = None
        # Parts counted where "each" does not follow: "400 plots honge 120 gaz ke", "120 gaz ke 400
        # plots" (Roman Urdu), "150 bungalows, each on 240 sq yd".
        counted_parts = (
            (_PARTS_UR_BEFORE.search(text[: match.start()]) if _OF_UR.match(text[match.end() :]) else None)
            or _PARTS_UR_AFTER.match(text[match.end() :])
            or _PARTS_EACH_BEFORE.search(text[: match.start()])
            or _many_parts(text[: match.start()])
        )
        each = (bool(_EACH.match(text[match.end() :])) or counted_parts is not None) and not bound
        times = None
        if each and (count := _COUNTED.search(text[: match.start()])):
            times, part = count.group("n"), f"{count.group().strip()} {said} each"
        elif not bound and (floors := _TIMES_FLOORS_AFTER.match(text[match.end() :])):
            # "45,000 sq ft per floor x 3 floors"
            times, part = floors.group("n"), f"{said}{floors.group().rstrip()}"
        elif not bound and (floor := _EACH_FLOOR.search(text[: match.start()])) and (floors := _floors_stated(text)):
            # "12-floor office building, each floor 9,500 sq ft": the floors' areas add up; "ground
            # plus 7" is eight floors.
            times, stated = floors
            part = f"{stated}, {floor.group().strip()} {said}"
        if times is not None:
            value *= int(times)
            counted.append(Figure(value, unit, part))
            said = f"{part} ({value:,f} {unit} in all)"
        elif not bound and (_ONE_FLOOR_BEFORE.search(text[: match.start()]) or _ONE_FLOOR_AFTER.match(text[match.end() :])):
            # "a ground floor of 20,000 sq ft", upper floors not given: the building is at least that.
            bound, said = ">=", f"at least {said} (one floor)"
        elif each:
            # "plots of 2 kanal each", "300 plots of 200 sq yd each": the whole is at least its
            # parts (a scheme's land is more than its plots), so the figure is a lower bound.
            if parts := _PARTS.search(text[: match.start()]) or counted_parts:
                value *= int(parts.group("n").replace(",", ""))
                said = f"{parts.group().strip()} {said} each" if parts is not counted_parts else f"{parts.group('n')} {parts.group('what')} of {said} each"
            bound, said = ">=", f"at least {said}" if not parts else f"{said} (at least {value:,f} {unit} in all)"
        land = bool(_LAND_AFTER.match(text[match.end() :]) or _LAND_BEFORE.search(text[: match.start()]))
        approximate = not bound and bool(_ABOUT.search(text[: match.start()]))
        found.append(Figure(value, unit, said, bound, land, low, approximate, final))
    return _totals(counted) + found + _covered_ceiling(text, found)


# A form's label names the unit and its value follows: "Beds: 20", "Capacity (MW): 15".
_LABELLED = re.compile(
    rf"(?<![\w.])(?P<unit>{_FIGURE_UNITS})\)?\s*[:=]\s*(?P<num>\d[\d,]*(?:\.\d+)?)(?![\d.,]*\s*(?:{_GROUP_WORDS}|{_FIGURE_UNITS}|%)(?![a-z]))",
    re.IGNORECASE,
)

# "60 ft x 90 ft", "40x60 feet", "20 m by 30 m": a plot's two sides, in one length unit.
_SIDES = re.compile(
    r"(?<![\w.])(?P<a>\d+(?:\.\d+)?)\s*(?P<unit_a>ft|feet|foot|m|metres?|meters?)?\s*(?:x|×|\*|by)\s*"
    r"(?P<b>\d+(?:\.\d+)?)\s*(?P<unit>ft|feet|foot|m|metres?|meters?)(?![\w²])",
    re.IGNORECASE,
)


def _area_of_sides(match: re.Match) -> str:
    unit = "sq ft" if match.group("unit").casefold().startswith("f") else "sq m"
    first = match.group("unit_a")
    if first and first.casefold().startswith("f") != (unit == "sq ft"):
        return match.group()
    area = Decimal(match.group("a")) * Decimal(match.group("b"))
    return f"{format_number(area)} {unit} (sides {match.group('a')} x {match.group('b')})"


def _covered_ceiling(text: str, found: list[Figure]) -> list[Figure]:
    """A building's covered area at most its plot times its floors: "ground + 2 on a 240 sq yd
    plot, no basement" covers at most 6,480 sq ft, below every covered-area band. Only where the
    floors are stated and no covered area is; a basement not ruled out counts as one more floor."""
    plots = [f for f in found if f.land and not f.bound and measure_unit(f.unit) == "sq ft"]
    if len(plots) != 1 or any(not f.land and measure_unit(f.unit) == "sq ft" for f in found):
        return []
    if stated := _floors_stated(text):
        floors = stated[0]
    elif named := _STOREYS_NAMED.search(text):
        floors = _STOREYS_BY_NAME[named.group("n").casefold()]
    else:
        return []
    basements = _BASEMENTS.search(text)
    if basements and not _NO_BASEMENT.search(text):
        floors += int(basements.group("n") or 1)
    plot = plots[0]
    area, _ = measure(plot.value, plot.unit)
    ceiling = area * floors
    said = f"at most {ceiling:,f} sq ft covered ({floors} floors on {plot.text})"
    return [Figure(ceiling, "sq ft", said, "<=")]


def _floors_stated(text: str) -> tuple[int, str] | None:
    """The floors a description states, with its words: "ground plus 7" is eight, "12-floor" twelve."""
    if plus := _GROUND_PLUS.search(text):
        return int(plus.group("n")) + 1, plus.group().strip()
    if counted := _FLOORS.search(text):
        return int(counted.group("n")), counted.group().strip()
    return None


# "on a 12 kanal plot", "2 acres of land", "plot of 2,000 sq yd", "Plot is 1,800 sq yd": the figure measures the land.
_LAND_AFTER = re.compile(r"\s*(?:of\s+)?(?:\w+\s+)?(?:plots?|land|site|zameen|jagah)\b", re.IGNORECASE)
_LAND_BEFORE = re.compile(
    r"\b(?:plots?|land|site|zameen)(?:\s+(?:ka|ki|ke))?(?:\s+(?:of|measuring|size|area|raqba|is|was|(?:size|area)\s+is))?"
    r"\s*:?\s*(?:about|around|some|taqreeban)?\s*$",
    re.IGNORECASE,
)
# "a 20 ft wide road", "30 m high": a width or height, not the length the bands measure.
_NOT_LENGTH = re.compile(r"\s*(?:wide|width|high|height|tall|deep|depth|thick)\b", re.IGNORECASE)


# "25 floors of 9,000 sq ft each": the figure counted as many times as the floors.
_COUNTED = re.compile(
    r"\b(?P<n>\d{1,3})\s+(?:floors?|stor(?:e)?ys?|stories|basements?|levels?|blocks?|sheds?|halls?|buildings?|flats?|apartments?|shops?)\s+(?:of|each of)\s+$",
    re.IGNORECASE,
)
_EACH = re.compile(r"\s*each\b", re.IGNORECASE)
_EACH_FLOOR = re.compile(
    r"\b(?:each|every)\s+(?:floor|stor(?:e)?y|level)\s+(?:(?:of|is|has|measuring|with)\s+)?(?:(?:about|around|some|roughly|approx\.?|approximately|nearly)\s+)?$",
    re.IGNORECASE,
)
_TIMES_FLOORS_AFTER = re.compile(
    r"\s*(?:(?:per|each|a|/)\s*floor\s*)?(?:x|×|\*|times)\s*(?P<n>\d{1,3})\s*(?:floors?|stor(?:e)?ys?|stories|levels?)\b", re.IGNORECASE
)
_STOREYS_BY_NAME = {"single": 1, "double": 2, "triple": 3}
_STOREYS_NAMED = re.compile(r"\b(?P<n>single|double|triple)[\s-]*stor(?:e)?(?:y|ey|ied)\b", re.IGNORECASE)
_BASEMENTS = re.compile(r"\b(?:(?P<n>\d)\s+)?basements?\b", re.IGNORECASE)
_NO_BASEMENT = re.compile(r"\b(?:no|without)\s+(?:a\s+)?basements?\b", re.IGNORECASE)
_GROUND_PLUS = re.compile(r"\bground\s*(?:\+|plus)\s*(?P<n>\d{1,2})\b", re.IGNORECASE)
# (Not a rented or existing floor: "rented ground floor, covered area 2,700 sq ft" is the whole unit.)
_ONE_FLOOR_BEFORE = re.compile(r"(?<!rented )(?<!existing )(?<!leased )\b(?:ground|first|top|one|single)\s+floor\b[^.;:\d]{0,25}$", re.IGNORECASE)
_ONE_FLOOR_AFTER = re.compile(r"\s*(?:of\s+)?(?:the\s+)?(?:ground|first|top)[\s-]+floor\b", re.IGNORECASE)
_FLOORS = re.compile(r"\b(?P<n>\d{1,3})[\s-]+(?:floors?|stor(?:e)?ys?|stories|levels?)\b", re.IGNORECASE)
_PARTS_UR_BEFORE = re.compile(r"\b(?P<n>\d[\d,]{0,6})\s+(?P<what>plots?|houses?|ghar|makan(?:at)?)\s+(?:[a-z]+\s+){0,2}$", re.IGNORECASE)
_OF_UR = re.compile(r"\s*(?:ke|ka|ki)\b", re.IGNORECASE)
_PARTS_UR_AFTER = re.compile(r"\s*(?:ke|ka|ki)\s+(?P<n>\d[\d,]{0,6})\s+(?P<what>plots?|houses?|ghar|makan(?:at)?)\b", re.IGNORECASE)
_PARTS_EACH_BEFORE = re.compile(
    r"\b(?P<n>\d[\d,]{0,6})\s+(?:[a-z-]+\s+)?(?P<what>plots?|houses?|bungalows?|villas?|farmhouses?)\s*,?\s+each\s+"
    r"(?:(?:on|of|measuring|with|having|being|is)\s+)?(?:(?:a|an)\s+)?(?:(?:about|around|some)\s+)?$",
    re.IGNORECASE,
)
_PARTS = re.compile(
    r"\b(?P<n>\d[\d,]{0,6})\s+(?:[a-z-]+\s+)?(?P<what>plots?|houses?|bungalows?|villas?|farmhouses?)\s+(?:of|each of|measuring)\s+$", re.IGNORECASE
)


def _many_parts(before: str) -> re.Match | None:
    """"300 plots of 120 gaz": more than one part of the figure's size, "each" left unsaid."""
    parts = _PARTS.search(before)
    return parts if parts and int(parts.group("n").replace(",", "")) > 1 else None


def _totals(counted: list[Figure]) -> list[Figure]:
    """One total for the counted figures of a unit ("25 floors of 9,000 sq ft each plus 2
    basements of 15,000 sq ft each" is 255,000 sq ft), put first, where there are several."""
    totals = []
    for unit in dict.fromkeys(f.unit for f in counted):
        parts = [f for f in counted if f.unit == unit]
        if len(parts) > 1:
            total = sum((f.value for f in parts), Decimal(0))
            totals.append(Figure(total, unit, f"{total:,f} {unit} in all ({' + '.join(f.text for f in parts)})"))
    return totals


# "up to 500 tons a day" and "maximum 20 MW" name a design capacity, which is what the schedules
# test, so they stay the figure itself; "under", "more than", "at least" describe a range.
_BOUND_BEFORE = re.compile(
    r"(?P<words>(?<![A-Za-z])(?P<lt>under|below|less than|lower than|fewer than|<)"
    r"|(?<![A-Za-z])(?P<ge>at least|not less than|no less than|>=|≥)"
    r"|(?<![A-Za-z])(?P<gt>over|above|more than|greater than|exceeding|in excess of|>))\s*$",
    re.IGNORECASE,
)
# "about 50 beds", "taqreeban 2000 ton": a figure said to be about so much.
_APPROX_WORDS = r"about|around|approx(?:\.|imately)?|roughly|nearly|almost|some|circa|lagbhag|taqreeban|takreeban"
_ABOUT = re.compile(rf"(?:\b(?:{_APPROX_WORDS})|~)\s*$", re.IGNORECASE)
_BARE_TONNES = re.compile(r"tons?|tonnes?", re.IGNORECASE)
_DAILY_BEFORE = re.compile(rf"\b(?:daily|per day|roza?na|roz(?:\s+k[ae])?|yomiya)\W+(?:(?:{_APPROX_WORDS})\W+)?$", re.IGNORECASE)
# An expansion, and the figure it comes to: "take capacity from 15 to", "will take us to".
_EXPAND_VERB = r"take|takes|taking|took|increas\w*|rais\w*|expand\w*|extend\w*|enhanc\w*|upgrad\w*|go|goes|going|grow\w*|bring\w*"
_EXPANDS = re.compile(rf"\b(?:{_EXPAND_VERB}|add\w*)\b[^.;:]{{0,40}}$", re.IGNORECASE)
_EXPANDS_TO = re.compile(rf"\b(?:{_EXPAND_VERB})\b[^.;:]{{0,40}}?\bto\s+(?:(?:{_APPROX_WORDS})\W+)?$", re.IGNORECASE)
# The first end of a stated range, just before the figure that ends it ("between 10 and", "10-",
# "10 to"); not "Phase 2 - 20 acres".
_RANGE_START = re.compile(
    r"(?:\bbetween\s+(?P<num_and>\d[\d,]*(?:\.\d+)?)\s+and\s+|(?:\bfrom\s+)?(?<![\w.,])(?P<num>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s+(?:to|se)\s+|[-–]))$",
    re.IGNORECASE,
)
_BOUND_AFTER = re.compile(
    r"^(?P<words>\s+(?:or|and)\s+(?:(?P<le>less|below|under|fewer)|(?P<ge>more|above|over|upwards)))\b"
    # "about 15 acres, maybe a little more", "around 1 lakh sq ft, could go slightly above"
    r"|^(?P<maybe>,?\s+(?:(?:or|and|but)\s+)?(?:maybe|perhaps|possibly|probably|could|might|may)\b(?:\s+(?:go|be|end up|come to))?"
    r"(?:\s+(?:a\s+)?(?:little|slightly|somewhat|bit|few))*\s+(?:(?P<may_le>less|below|under|lower|smaller|fewer)|(?P<may_ge>more|above|over|higher|bigger|larger)))\b",
    re.IGNORECASE,
)


def _bound(before: str, after: str) -> tuple[str, str, str]:
    """The comparison a description puts on a figure ("under 25 ...", "50 MW or more"), with the
    words that say it, for the figure's text."""
    match = _BOUND_BEFORE.search(before[-24:])
    if match:
        kind = next(name for name in ("lt", "ge", "gt") if match.group(name))
        return {"lt": "<", "ge": ">=", "gt": ">"}[kind], match.group("words") + " ", ""
    match = _BOUND_AFTER.match(after)
    if match:
        below = match.group("le") or match.group("may_le")
        return ("<=" if below else ">="), "", match.group("words") or match.group("maybe")
    return "", "", ""


_COST = re.compile(
    r"(?:rs\.?|pkr|rupees)?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>million|mn|m|billion|bn|crores?|lakhs?|lacs?)\b(?:\s*(?:rs|rupees|pkr))?",
    re.IGNORECASE,
)
_COST_SCALE = {
    "million": 1, "mn": 1, "m": 1, "billion": 1000, "bn": 1000, "crore": 10, "crores": 10,
    "lakh": Decimal("0.1"), "lakhs": Decimal("0.1"), "lac": Decimal("0.1"), "lacs": Decimal("0.1"),
}


def cost_in(text: str) -> Decimal | None:
    """The project cost in millions of rupees, when the description states it with money words."""
    if not re.search(r"\b(?:rs\.?|pkr|rupees|cost|costing|worth|budget|investment|lagat)\b", text, re.IGNORECASE):
        return None
    total, last = None, None
    for match in _COST.finditer(text):
        value = _decimal(match.group("num"))
        if value is None:
            continue
        scale = Decimal(_COST_SCALE[match.group("scale").casefold()])
        # "Rs 2 crore 50 lakh" is 25 million: a smaller group right after the first adds to it.
        if total is None:
            total, last = value * scale, (match.end(), scale)
        elif re.fullmatch(r"\s*(?:and\s*)?", text[last[0] : match.start()]) and scale < last[1]:
            total, last = total + value * scale, (match.end(), scale)
        else:
            break
    return total


@dataclass
class EntryMatch:
    """An entry scored against a description."""

    entry: Entry
    score: float
    applies: bool | None = None
    reason: str = ""
    figures: list[Figure] = field(default_factory=list)
