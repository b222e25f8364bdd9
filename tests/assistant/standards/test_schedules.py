"""The screening schedules as a typed table: rows, items, bands read from the threshold cells,
figures read from descriptions, and the links the table's notes make between rows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.standards.numbers import grouped_numbers
from assistant.standards.schedules import (
    Band,
    SchedulesFileError,
    annual_ceiling,
    cost_in,
    entries_in_force,
    figures_in,
    load_schedules,
    parse_threshold,
)
from assistant.standards.screening import _note_links

SCHEDULES = Path(__file__).resolve().parents[3] / "corpus" / "documents" / "sindh-eia-screening-schedules.csv"


@pytest.fixture(scope="module")
def entries():
    return load_schedules(SCHEDULES)


def by_item(entries, schedule: str, item: str):
    return next(e for e in entries_in_force(entries) if e.schedule == schedule and e.item == item)


def test_rows_are_numbered_as_a_spreadsheet_shows_them(entries) -> None:
    lines = SCHEDULES.read_text(encoding="utf-8").splitlines()
    hospital = by_item(entries, "II", "J.4")
    assert hospital.project == "Hospitals and health care units"
    assert "Hospitals and health care units" in lines[hospital.row - 1]
    assert {e.regulations for e in entries} == {"2014", "2021"}
    assert all(e.regulations == "2021" for e in entries_in_force(entries))


def test_items_are_read_from_the_notes(entries) -> None:
    assert by_item(entries, "I", "a(ii)").project == "Housing schemes"
    assert by_item(entries, "III", "A.3").project == "Coal power projects"
    assert by_item(entries, "I", "k").threshold == "less than 50 beds"


@pytest.mark.parametrize(
    ("cell", "inside", "outside"),
    [
        ("less than 50 beds", [("49", "beds")], [("50", "beds"), ("51", "beds")]),
        ("more than 50 beds", [("51", "beds")], [("50", "beds")]),
        ("capacity up to 50 MW", [("50", "MW"), ("30", "MW")], [("51", "MW")]),
        ("more than 15 acres to 50 acres", [("50", "acres"), ("16", "acres")], [("15", "acres"), ("51", "acres")]),
        ("area 5 to 15 acres", [("5", "acres"), ("15", "acres")], [("4", "acres")]),
        ("total length more than 1 km", [("1200", "m"), ("2", "km")], [("800", "m")]),
        ("total area 1,000 to 5,000 sq yd", [("9000", "sq ft")], [("500", "sq yd")]),
        ("storage volume 25 million cubic metres and above with surface area 4 square kilometres and above", [("25", "million cubic metres")], [("24", "million cubic metres")]),
    ],
)
def test_threshold_cells_become_bands_with_the_right_ends(cell, inside, outside) -> None:
    bands, _ = parse_threshold(cell)
    assert len(bands) == 1
    for value, unit in inside:
        assert bands[0].contains(Decimal(value), unit), (cell, value, unit)
    for value, unit in outside:
        assert not bands[0].contains(Decimal(value), unit), (cell, value, unit)


def test_a_band_says_which_side_of_a_figure_it_lies() -> None:
    (up_to,), _ = parse_threshold("up to 25 MW")
    (above,), _ = parse_threshold("more than 50 MW")
    assert [up_to.side_of(Decimal(v), "MW") for v in ("40", "25", "10")] == ["below", "holds", "holds"]
    assert [above.side_of(Decimal(v), "MW") for v in ("40", "50", "60")] == ["above", "above", "holds"]
    assert up_to.side_of(Decimal(40000), "kW") == "below" and up_to.side_of(Decimal(40), "acres") == ""


@pytest.mark.parametrize(
    ("text", "bound", "said"),
    [
        ("storage under 25 million cubic metres", "<", "under 25 million cubic metres"),
        ("a clinic with fewer than 30 beds", "<", "fewer than 30 beds"),
        ("a coal plant of more than 60 MW", ">", "more than 60 MW"),
        ("a housing scheme of at least 60 acres", ">=", "at least 60 acres"),
        ("a 60 MW or more plant", ">=", "60 MW or more"),
        ("capacity up to 30 tons per day", "", "30 tons per day"),
        ("a 120-bed hospital", "", "120-bed"),
    ],
)
def test_a_figure_keeps_the_comparison_it_is_stated_with(text: str, bound: str, said: str) -> None:
    (figure,) = figures_in(text)
    assert (figure.bound, figure.text) == (bound, said)


@pytest.mark.parametrize(
    ("text", "ceiling"),
    [
        ("building a double storey house on 240 sq yd plot", 4320),
        ("Ground + 2 commercial building on a 240 sq yd plot, no basement", 6480),
        ("10-storey plaza on a 2,000 sq yd plot with 2 basements", 216000),
        ("plaza on a 2,000 sq yd plot", None),
        ("5 floors, 60,000 sq ft covered, on a 2,000 sq yd plot", None),
    ],
)
def test_a_plot_and_its_floors_bound_the_covered_area(text: str, ceiling: int | None) -> None:
    bounded = [f for f in figures_in(text) if f.bound == "<=" and not f.land]
    assert [int(f.value) for f in bounded] == ([ceiling] if ceiling else [])


@pytest.mark.parametrize(
    ("cell", "text", "share"),
    [
        ("storage volume less than 25 million cubic metres", "under 25 million cubic metres", "all"),
        ("storage volume 25 million cubic metres and above", "under 25 million cubic metres", "none"),
        ("up to 25 MW", "under 40 MW", "part"),
        ("up to 25 MW", "under 25 MW", "all"),
        ("more than 50 MW", "over 50 MW", "all"),
        ("more than 50 MW", "at least 50 MW", "part"),
        ("up to 50 MW", "over 50 MW", "none"),
        ("up to 50 MW", "at least 50 MW", "part"),
        ("more than 15 acres to 50 acres", "more than 20 acres", "part"),
        ("up to 25 MW", "25 MW", "all"),
        ("up to 25 MW", "30 MW", "none"),
        ("up to 25 MW", "30 acres", ""),
        ("area 5 to 15 acres", "between 10 and 20 acres", "part"),
        ("area 5 to 15 acres", "between 6 and 12 acres", "all"),
        ("above 50 acres", "10-20 acres", "none"),
        ("more than 15 acres to 50 acres", "10 to 60 acres", "part"),
        ("less than 50 beds", "about 50 beds", "part"),
        ("more than 50 beds", "around 50 beds", "part"),
        ("more than 50 beds", "about 120 beds", "all"),
        ("more than 50 beds", "50 beds", "none"),
    ],
)
def test_a_band_holds_all_none_or_part_of_what_a_figure_allows(cell: str, text: str, share: str) -> None:
    (band, *_), _ = parse_threshold(cell)
    (figure,) = figures_in(text)
    assert band.covers(figure) == share, (cell, text)


def test_two_place_bands_and_conditions() -> None:
    bands, condition = parse_threshold("500 m to 1 km in urban areas; 500 m to 5 km in rural areas")
    assert [b.place for b in bands] == ["urban", "rural"]
    assert bands[1].contains(Decimal(3), "km") and not bands[0].contains(Decimal(3), "km")
    assert condition == ""
    bands, condition = parse_threshold("outside areas protected or sensitive under any law")
    assert bands == () and "protected" in condition
    assert parse_threshold("all") == ((), "")
    bands, condition = parse_threshold("transmission lines up to 132 KV; grid stations: all")
    assert bands == (Band("kV", None, Decimal(132), False, True, "", "transmission lines"),) and condition == "grid stations: all"


def test_figures_and_cost_in_descriptions() -> None:
    figures = figures_in("a 120-bed hospital, 30 MW, 5,000 sq yd, an 800 m bridge, 600 tons per day, 50 mgd")
    assert [(f.value, f.unit) for f in figures] == [
        (Decimal(120), "beds"), (Decimal(30), "MW"), (Decimal(5000), "sq yd"), (Decimal(800), "m"),
        (Decimal(600), "tons per day"), (Decimal(50), "mgd"),
    ]
    assert figures_in("a private hospital") == []
    assert cost_in("costing Rs 250 million") == Decimal(250)
    assert cost_in("cost 2 billion rupees") == Decimal(2000)
    assert cost_in("a 30 MW plant") is None


@pytest.mark.parametrize(
    ("text", "said", "low", "high"),
    [
        ("land somewhere between 10 and 20 acres", "between 10 and 20 acres", 10, 20),
        ("covered area 90,000 to 1.2 lakh sq ft", "90,000 to 1.2 lakh sq ft", 90000, 120000),
        ("1 to 2 lakh sq ft", "1 to 2 lakh sq ft", 100000, 200000),
        ("zameen 10 se 20 acre hai", "10 se 20 acre", 10, 20),
        ("a 40-60 bed hospital", "40-60 bed", 40, 60),
        ("Phase 2 - 20 acres", "20 acres", None, 20),
        ("units of 2 and 5 MW", "5 MW", None, 5),
    ],
)
def test_a_stated_range_keeps_both_ends(text: str, said: str, low: int | None, high: int) -> None:
    (figure,) = figures_in(text)
    assert (figure.text, figure.low, figure.value) == (said, None if low is None else Decimal(low), Decimal(high))


def test_a_figure_the_writer_says_may_be_more_or_less_is_bounded() -> None:
    [scheme] = figures_in("land is about 15 acres, maybe a little more once the survey is done")
    assert (scheme.value, scheme.bound) == (Decimal(15), ">=")
    [tower] = figures_in("covered area around 1 lakh sq ft, could go slightly above if a floor is added")
    assert (tower.value, tower.bound) == (Decimal(100000), ">=")
    assert [f.bound for f in figures_in("20 MW, may be less")] == ["<="]
    assert [f.bound for f in figures_in("100 tons a day. Maybe more staff later")] == [""]


def test_a_plots_two_sides_are_its_area() -> None:
    assert [(f.value, f.unit) for f in figures_in("The plot is 60 ft x 90 ft")] == [(Decimal(5400), "sq ft")]
    assert [(f.value, f.unit) for f in figures_in("plot 40x60 feet; yard 20 m by 30 m")] == [
        (Decimal(2400), "sq ft"), (Decimal(600), "sq m"),
    ]
    assert [(f.value, f.unit) for f in figures_in("2 x 660 MW")] == [(Decimal(660), "MW")]


def test_yards_and_feet_spelled_out_after_sq_are_areas() -> None:
    spellings = "900 sq yards, 1200 sq yard, 800 sq. yards, 5,000 square yds, 5000 sq feet, 4000 sqft"
    assert [(f.value, f.unit) for f in figures_in(spellings)] == [
        (Decimal(900), "sq yd"), (Decimal(1200), "sq yd"), (Decimal(800), "sq yd"), (Decimal(5000), "sq yd"),
        (Decimal(5000), "sq ft"), (Decimal(4000), "sq ft"),
    ]


def test_land_and_volume_figures_in_local_units_meet_the_schedule_units() -> None:
    figures = figures_in("24 kanals, 30 hectares, 18,000 square metres, 40,000 acre-feet, 10 marlas")
    assert [f.unit for f in figures] == ["kanals", "hectares", "sq m", "acre-feet", "marlas"]
    housing, _ = parse_threshold("more than 15 acres to 50 acres")
    assert not housing[0].contains(Decimal(24), "kanals")  # 3 acres
    assert housing[0].contains(Decimal(200), "kanals")  # 25 acres
    assert not housing[0].contains(Decimal(30), "hectares")  # 74 acres
    covered, _ = parse_threshold("more than 100,000 sq ft")
    assert covered[0].contains(Decimal(18000), "sq m")  # 193,750 sq ft
    dam, _ = parse_threshold("storage volume 25 million cubic metres and above")
    assert dam[0].contains(Decimal(40000), "acre-feet")  # 49 million cubic metres


def test_every_area_unit_meets_every_area_band() -> None:
    restaurant, _ = parse_threshold("total area more than 500 sq yd")
    assert restaurant[0].contains(Decimal(1), "kanals")  # 605 sq yd
    assert not restaurant[0].contains(Decimal(15), "marlas")  # 454 sq yd
    warehouse, _ = parse_threshold("1,000 sq yd to 5,000 sq yd")
    assert warehouse[0].contains(Decimal(1), "acres") and not warehouse[0].contains(Decimal(2), "acres")


def test_counted_floors_add_up_to_one_covered_area() -> None:
    figures = figures_in("a tower of 25 floors of 9,000 sq ft each plus 2 basements of 15,000 sq ft each")
    assert (figures[0].value, figures[0].unit) == (Decimal(255000), "sq ft")
    assert figures[0].text.startswith("255,000 sq ft in all (25 floors of 9,000 sq ft each")
    assert [f.value for f in figures_in("a plaza of 6 floors of 12,000 sq ft each")] == [Decimal(72000)]


def test_a_rented_floor_is_the_whole_unit_and_a_floor_of_a_new_building_a_lower_bound() -> None:
    assert [(f.value, f.bound) for f in figures_in("restaurant on a rented ground floor, covered area 2,700 sq ft")] == [(Decimal(2700), "")]
    assert [(f.value, f.bound) for f in figures_in("a new plaza with a ground floor of 20,000 sq ft")] == [(Decimal(20000), ">=")]


def test_a_part_given_each_is_a_lower_bound_of_the_whole_land() -> None:
    plots = figures_in("a society with 300 residential plots of 200 sq yd each")
    assert [(f.value, f.unit, f.bound, f.land) for f in plots] == [(Decimal(60000), "sq yd", ">=", True)]
    assert [(f.value, f.bound) for f in figures_in("farmhouse scheme with plots of 2 kanal each")] == [(Decimal(2), ">=")]
    assert figures_in("48 flats of 1,100 sq ft each")[0].value == Decimal(52800)
    assert [(f.value, f.bound) for f in figures_in("1,000 plots of 200 sq yd each")] == [(Decimal(200000), ">=")]
    # Many parts of a size, "each" left unsaid; one plot of a size is the plot.
    assert [(f.value, f.bound) for f in figures_in("300 plots of 120 gaz, 40 plots of 240 gaz")] == [(Decimal(36000), ">="), (Decimal(9600), ">=")]
    assert [(f.value, f.bound) for f in figures_in("1 plot of 500 sq yd")] == [(Decimal(500), "")]
    bungalows = figures_in("Housing scheme of 150 bungalows, each on 240 sq yd, near Sukkur")
    assert [(f.value, f.bound) for f in bungalows] == [(Decimal(36000), ">=")]
    for roman_urdu in ("society ka plan hai, 400 plots honge 120 gaz ke", "120 gaz ke 400 plots wali society"):
        assert [(f.value, f.unit, f.bound) for f in figures_in(roman_urdu)] == [(Decimal(48000), "sq yd", ">=")]


def test_numbers_in_words_and_local_spellings_are_figures() -> None:
    def read(text: str) -> list[tuple[Decimal, str]]:
        return [(f.value, f.unit) for f in figures_in(text)]

    assert read("our plot is two hundred and forty sq yd") == [(Decimal(240), "sq yd")]
    assert read("covered area ek lakh sq ft banta hai") == [(Decimal(100000), "sq ft")]
    assert read("do sau chalees gaz ka plot") == [(Decimal(240), "sq yd")]
    assert read("a road about half a mile long") == [(Decimal("0.5"), "miles")]
    assert read("covered area approx 1.2 lac sqft") == [(Decimal(120000), "sq ft")]
    assert read("smelter producing 600 munds per day") == [(Decimal(600), "maunds per day")]
    assert read("do I need one?") == [] and read("a thousand beds") == []
    assert read("dhai lakh sq ft") == [(Decimal(250000), "sq ft")] and read("dedh acre") == [(Decimal("1.5"), "acres")]
    assert read("two and a half lakh sq ft") == [(Decimal(250000), "sq ft")]
    assert read("2000 tonnes daily") == read("daily about 2000 tonnes") == [(Decimal(2000), "tons per day")]
    assert read("8 hours a day, 500 tonnes") == [(Decimal(500), "tonnes per year")]
    # Roman Urdu days: "roz ka 60 ton", "rozana 60 ton", "60 ton roz"; a form's label: "Beds: 20".
    assert read("roz ka 60 ton") == read("rozana 60 ton") == read("60 ton roz") == [(Decimal(60), "tons per day")]
    assert read("15 million gallons daily") == [(Decimal(15), "mgd")]
    assert read("Beds: 20; Services: OPD") == read("Capacity (beds): 20") == [(Decimal(20), "beds")]
    assert cost_in("lagat 5 crores") == Decimal(50) and cost_in("budget Rs 80 lacs") == Decimal(8)
    # Digits with several group words are one number; a sum of money keeps its own reading.
    assert read("covered area 5 lakh 10 thousand sq ft") == [(Decimal(510000), "sq ft")]
    assert grouped_numbers("رقبہ تقریباً 5 لاکھ 10 ہزار مربع فٹ، گنجائش 20 ہزار ٹن") == "رقبہ تقریباً 510000 مربع فٹ، گنجائش 20000 ٹن"
    assert grouped_numbers("Rs 2 crore 50 lakh") == "Rs 2 crore 50 lakh"
    assert cost_in("Rs 2 crore 50 lakh") == Decimal(25) and cost_in("Rs 3 crore and 20 lakh") == Decimal(32)
    assert cost_in("Rs 2 crore, 50 lakh of it for machinery") == Decimal(20)


def test_an_expansion_is_judged_by_what_it_comes_to() -> None:
    def read(text: str) -> list[tuple[Decimal, bool]]:
        return [(f.value, f.final) for f in figures_in(text)]

    assert read("new furnace will take capacity from 15 to 22 tonnes per day") == [(Decimal(22), True)]
    assert read("a 40-bed hospital; the new wing will take us to 70 beds") == [(Decimal(40), False), (Decimal(70), True)]
    assert read("land somewhere between 10 and 20 acres") == [(Decimal(20), False)]


def test_floors_counted_after_the_figure_or_as_ground_plus_add_up() -> None:
    mall = figures_in("Ground + 2 floors of shops, each floor approx 45,000 sq ft per floor x 3 floors")
    assert (mall[0].value, mall[0].unit) == (Decimal(135000), "sq ft")
    office = figures_in("Ground plus seven floors, each floor roughly 9,000 sq ft covered")
    assert (office[0].value, office[0].unit) == (Decimal(72000), "sq ft")


def test_floors_given_one_by_one_add_up_and_one_floor_is_a_lower_bound() -> None:
    [building] = figures_in("12-floor office building, each floor 9,500 sq ft covered")
    assert (building.value, building.bound) == (Decimal(114000), "")
    [plaza] = figures_in("a plaza whose ground floor will cover 20,000 sq ft; upper floors not fixed")
    assert (plaza.value, plaza.bound) == (Decimal(20000), ">=")
    assert [f.bound for f in figures_in("a 20,000 sq ft ground floor and five upper floors")] == [">="]


def test_lengths_in_feet_yards_and_miles_and_areas_in_gaz() -> None:
    assert [(f.value, f.unit) for f in figures_in("a 1,200 ft bridge, 900 yds of road, a 6 mile road, 16,000 guz zameen")] == [
        (Decimal(1200), "ft"), (Decimal(900), "yd"), (Decimal(6), "miles"), (Decimal(16000), "sq yd"),
    ]
    urban, _ = parse_threshold("500 m to 1 km")
    assert urban[0].contains(Decimal(900), "yd") and not urban[0].contains(Decimal(1200), "ft")
    assert figures_in("a new 20 ft wide road inside a village") == []
    assert [f.land for f in figures_in("plot ka size 1,000 gaz hai")] == [True]


def test_words_that_end_in_a_comparison_are_not_one() -> None:
    assert [(f.value, f.bound) for f in figures_in("the society will cover 2,000 marla gross")] == [(Decimal(2000), "")]
    assert [f.value for f in figures_in("500 maunds of market waste a day")] == [Decimal(500)]


def test_a_daily_tonnage_is_at_most_365_times_as_much_in_a_year() -> None:
    facility, _ = parse_threshold("annual capacity up to 10,000 tonnes")
    ceiling = annual_ceiling(figures_in("500 maunds of waste a day")[0])
    assert (ceiling.value, ceiling.unit, ceiling.bound) == (Decimal(7300), "tonnes per year", "<=")
    assert facility[0].covers(ceiling) == "all"
    assert facility[0].covers(annual_ceiling(figures_in("40 tons per day")[0])) == "part"
    assert annual_ceiling(figures_in("20 MW")[0]) is None


def test_a_figure_that_measures_land_is_marked_so() -> None:
    assert [f.land for f in figures_in("an apartment building on a 12 kanal plot")] == [True]
    assert [f.land for f in figures_in("2 acres of land, a plot of 2,000 sq yd")] == [True, True]
    assert [f.land for f in figures_in("a restaurant of 800 sq yd, a housing scheme on 30 acres")] == [False, False]
    assert [f.land for f in figures_in("Plot is 1,800 sq yd; covered area about 85,000 sq ft")] == [True, False]
    assert [f.land for f in figures_in("plot: 500 sq yd")] == [True]


def test_loads_by_the_maund_and_month_and_flows_in_cubic_metres_meet_the_schedule_units() -> None:
    assert [(f.value, f.unit) for f in figures_in("500 maunds of waste a day, 900 tonnes of scrap per month")] == [
        (Decimal(500), "maunds per day"), (Decimal(900), "tonnes per month"),
    ]
    smelter, _ = parse_threshold("more than 15 tons per day")
    assert smelter[0].contains(Decimal(500), "maunds per day") and not smelter[0].contains(Decimal(300), "maunds per day")
    facility, _ = parse_threshold("annual capacity up to 10,000 tonnes")
    assert facility[0].contains(Decimal(800), "tonnes per month") and not facility[0].contains(Decimal(900), "tonnes per month")
    sewage, _ = parse_threshold("less than 100 mgd")
    assert [f.unit for f in figures_in("40,000 m3/day")] == ["cubic metres per day"]
    assert sewage[0].contains(Decimal(40000), "cubic metres per day")  # 8.8 million imperial gallons


def test_kilowatts_meet_the_megawatt_bands() -> None:
    assert [(f.value, f.unit) for f in figures_in("a captive plant of 40,000 kW")] == [(Decimal(40000), "kW")]
    thermal, _ = parse_threshold("up to 100 MW")
    assert thermal[0].contains(Decimal(40000), "kW") and not thermal[0].contains(Decimal(150000), "kW")


def test_notes_tie_rows_of_one_kind_and_set_apart_other_kinds(entries) -> None:
    in_force = entries_in_force(entries)
    links = _note_links(in_force)
    row = {(e.schedule, e.item): e.row for e in in_force}
    assert row[("III", "C.8")] in links[row[("II", "D.5")]][0]          # "Overlaps Schedule III C.8"
    assert row[("II", "J.4")] in links[row[("I", "k")]][0]              # "Schedule II J.4 covers more than 50 beds"
    assert row[("III", "C.4")] in links[row[("II", "D.9")]][1]          # "Steel mills are EIA projects"


def test_a_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,value\nx,1\n", encoding="utf-8")
    with pytest.raises(SchedulesFileError):
        load_schedules(bad)
