"""Screening lay descriptions against the 2021 schedules, measured on development cases written
from the screening CSV and the Regulations digest (never from the blind evals/screening.jsonl)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.standards.matcher import matcher_for
from assistant.standards.schedules import load_schedules
from assistant.standards.screening import (
    COMMERCIAL_USE,
    DENSITY_SITE,
    NEED_MORE,
    NOT_LISTED,
    SENSITIVE_SITE,
    Screener,
    in_high_density_zone,
    in_sensitive_area,
    load_exemplars,
    load_unlisted,
    only_sells,
    outside_sensitive_area,
    places_in,
    sensitive_area_open,
)

SCHEDULES = Path(__file__).resolve().parents[3] / "corpus" / "documents" / "sindh-eia-screening-schedules.csv"

# (description, requirement, governing schedule and item or the figure asked for)
CASES = [
    ("a 120-bed private hospital", "IEE", "II J.4"),
    ("small clinic with 20 beds", "checklist", "I k"),
    ("a private hospital", NEED_MORE, "number of beds"),
    ("a 50-bed hospital", NOT_LISTED, ""),
    ("denim dyeing and washing unit in SITE", "IEE", "II D.7"),
    ("textile spinning mill", "IEE", "II D.7"),
    ("garment stitching factory", "IEE", "II D.7"),
    ("tannery in Korangi", "IEE", "II D.6"),
    ("leather tanning and finishing unit", "IEE", "II D.6"),
    ("30 MW coal-fired captive power plant", "IEE", "II B.3"),
    ("660 MW coal power plant", "EIA", "III A.3"),
    ("coal-fired power plant", NEED_MORE, "capacity in MW"),
    ("100 MW gas-fired power plant", "IEE", "II B.2"),
    ("150 MW combined cycle power plant", "EIA", "III A.2"),
    # A power plant named by its fuel is thermal power generation, not the nuclear plant that
    # "power plant" alone matches best.
    ("diesel based power station of 40 MW", "IEE", "II B.2"),
    ("RLNG power plant near Nooriabad", NEED_MORE, "capacity in MW"),
    ("nuclear power plant", "EIA", "III A.5"),
    ("a 60 MW hydropower project", "EIA", "III A.1"),
    ("wind farm", NEED_MORE, SENSITIVE_SITE),
    # A grid station the line runs from is not the project; one being built is.
    ("new overhead line of 25 km from our grid station to a new industrial zone", NEED_MORE, "voltage in kV"),
    ("a new grid station in Hyderabad", "IEE", "II B.4"),
    # Nor are the grid stations a line runs between, nor the utility's name ("distribution company").
    ("The distribution company plans a 132 kV line, 28 km, between the Sakrand and Nawabshah grid stations", "IEE", "II B.4"),
    # Two activities: each is screened, and the stronger assessment governs.
    ("New sugar mill in Badin with its own 20 MW bagasse co-generation unit", "EIA", "III C.5"),
    ("30 MW bagasse power plant", "IEE", ""),
    ("we dye and print cotton fabric, 20 tonnes a day, and will build our own effluent treatment plant", "IEE", "II D.7"),
    # A plant for one unit's own wastewater is not the estate's combined plant.
    ("adding an effluent treatment plant of 500 m3/day that will treat only our own wastewater", "checklist", "I s"),
    # A plot and its floors bound the covered area below every building band.
    ("building a double storey house on a 240 sq yd plot", NOT_LISTED, ""),
    # Lay words the schedules' wording does not use.
    ("Pickle and murabba factory in Hyderabad", "IEE", "II D.2"),
    ("daal cleaning and splitting mill", "checklist", "I e"),
    ("limestone and clay burnt in a rotary kiln to clinker, ground with gypsum, 7,000 tonnes a day", "EIA", "III C.1"),
    ("a vertical shaft kiln burning limestone to quicklime for whitewash", "checklist", "I m"),
    ("nayi residential scheme shuru kar rahe hain, lagat 50 crore", NEED_MORE, "area in acres"),
    ("Bhai 400 kanal ki society hai Super Highway ke paas, takreeban 900 plots", "IEE", "II J.1"),
    ("need EIA for 40 bed hosp in latifabad hyd?", "checklist", "I k"),
    ("wind farm on barren land, not in any protected area", "IEE", "II B.9"),
    ("gas production facility for a new field in Khairpur district", NEED_MORE, SENSITIVE_SITE),
    ("solar park inside a protected area", "EIA", "III J"),
    ("cement plant", "EIA", "III C.1"),
    ("sugar mill", "EIA", "III C.5"),
    ("oil refinery", "EIA", "III B.1"),
    ("chemical plant", "EIA", "III C.2"),
    ("fertilizer plant", "EIA", "III C.3"),
    ("paint manufacturing plant", "EIA", "III C.8"),
    ("man-made fibre plant", "EIA", "III C.8"),
    ("water supply scheme for a town", "IEE", "II heading H"),
    ("public water supply scheme", "EIA", "III heading G"),
    ("a 30-bed hospital", "checklist", "I k"),
    ("clinic with 60 beds", "IEE", "II J.4"),
    ("sanitary landfill of 250 tons per day", "checklist", "I t"),
    ("ice factory and cold store", "checklist", "I n"),
    ("airport", "EIA", "III E.1"),
    ("flour mill", "checklist", "I f"),
    ("petrol pump", "checklist", "I p"),
    ("BTS tower", "checklist", "I l"),
    ("ice factory", "checklist", "I n"),
    ("fertilizer warehouse", "checklist", "I a(iv)"),
    ("restaurant of 800 sq yd", "checklist", "I a(v)"),
    ("car service station of 1,000 sq yd", "checklist", "I a(vi)"),
    ("steel re-rolling mill", "IEE", "II D.9"),
    ("slaughterhouse", "IEE", "II A.4"),
    ("poultry farm", "IEE", "II A.1"),
    ("fish farm", "IEE", "II A.1"),
    ("marble processing unit", "IEE", "II D.13"),
    ("brick kiln", "IEE", "II D.12"),
    ("stone crusher", "IEE", "II D.14"),
    ("pharmaceutical factory", "IEE", ""),
    ("a new university campus", "IEE", "II J.5"),
    ("LPG bulk storage facility", "IEE", "II C.4"),
    ("housing scheme of 30 acres", "IEE", "II J.1"),
    ("housing scheme of 10 acres", "checklist", "I a(ii)"),
    ("housing scheme of 80 acres", "EIA", "III I.1"),
    ("housing scheme", NEED_MORE, "area in acres"),
    ("residential tower of 600,000 sq ft", "EIA", "III I.2"),
    ("metal smelting plant of 50 tons per day", "EIA", "III D.3"),
    ("metal smelting plant of 10 tons per day", "IEE", "II E.3"),
    ("metal smelting plant", NEED_MORE, "capacity in tons per day"),
    ("sewage treatment plant of 50 mgd", "IEE", "II I.2"),
    ("a 2 km bridge", "EIA", "III E.6"),
    ("a 300 m flyover", "checklist", "I c"),
    ("municipal landfill of 300 tons per day", "EIA", "III H.2"),
    ("coal power plant of exactly 50 MW", "IEE", "II B.3"),
    ("sewage treatment plant of 150 million gallons a day", "EIA", "III H.4"),
    ("shopping centre with 12,000 square metres covered area", "IEE", "II J.2"),
    ("captive gas power plant of 40,000 kW", "IEE", "II B.2"),
    ("apartment tower in a notified High Density Zone", "EIA", "III I.3"),
    ("small reservoir with storage under 25 million cubic metres", "IEE", "II G.1"),
    ("hydropower plant under 40 MW", NEED_MORE, "capacity in MW"),
    ("family restaurant on a 1 kanal plot", "checklist", "I a(v)"),
    ("commercial plaza of 6 floors of 12,000 sq ft each", "checklist", "I a(i)"),
    ("sewage treatment plant for a town, 40,000 cubic metres per day", "IEE", "II I.2"),
    ("sewage treatment plant of 420,000 m3/day", NEED_MORE, "capacity in mgd (million gallons a day), in imperial or US gallons"),
    ("Furniture storage godown with 12 loading bays in Korangi, Karachi.", NEED_MORE, "total area in sq yd"),
    ("a godown for paints", NEED_MORE, "kind of project (which of the entries below it is)"),
    ("Apartment building on a 12 kanal plot in Nawabshah", NEED_MORE, "covered area in sq ft"),
    ("شادی ہال کی تعمیر، ایک ہزار مہمان", NEED_MORE, "total area in sq yd"),
    # The kind the description names in full leads a close rival it never names.
    ("Private school campus in Karachi on 2 acres", "IEE", "II J.5"),
    ("Cotton ginning factory with 40 gins", "IEE", "II D.4"),
    # A daily tonnage is at most 365 times as much in a year: inside "up to 10,000 tonnes".
    ("Garbage transfer station handling 20 tons of waste a day", "IEE", "II I.1"),
    # The plots of a scheme are less than its land: the scheme's area is at least their total.
    ("Housing society with 300 residential plots of 200 sq yd each", NEED_MORE, "area in acres"),
    ("Hyderabad mein hamari society ke liye chhota sewage plant lagana hai", NEED_MORE, "capacity in mgd (million gallons a day)"),
    ("50 MW wind farm at Jhimpir; the site is not inside any protected or environmentally sensitive area", "IEE", "II B.9"),
    ("An 800 m long flyover on University Road, Karachi", "IEE", ""),
    # Mostly unread (the term table knows too few of its words): the kind is asked for, not guessed.
    ("ہمیں اپنی موجودہ جگہ کی تزئین و آرائش کرنی ہے", NEED_MORE, "kind of project (which of the entries below it is)"),
    # A shop, in Urdu, is trade whatever it sells (not a textile unit for its clothes).
    ("کراچی میں کپڑوں کی موجودہ دکان کی تزئین و آرائش کرنی ہے", NOT_LISTED, ""),
    # Read from the session-19 terms: "ret aur bajri", a pulses mill's Urdu, a capacity in Urdu words.
    ("Thano Bula Khan ke qareeb sookhi nadi ke bed se commercial basis par ret aur bajri nikalni hai, trucks ke zariye bechne ke liye.", "IEE", "II E.1"),
    ("سکھر میں دال مل لگانی ہے جہاں چنے اور مسور کی صفائی، چھلائی اور دلائی ہوگی۔", "checklist", ""),
    ("حیدرآباد شہر کے لیے 15 ملین گیلن یومیہ (ایم جی ڈی) گنجائش کا سیوریج ٹریٹمنٹ پلانٹ۔", "IEE", "II I.2"),
    # A form's fields: "Beds: 20"; "Protected or sensitive area: none".
    ("Project: Mother and child health centre; Location: Taluka Kotri; Beds: 20; Services: OPD, labour room.", "checklist", "I k"),
    ("Project: 20 MW solar PV park; Location: Thatta; Protected or sensitive area: none.", "IEE", "II B.9"),
    # A Roman Urdu negation the reading drops still places the site outside.
    ("Jhimpir mein 50 MW ka solar park lagana hai, 250 acre zameen par; yeh ilaqa kisi protected ya environmentally sensitive area mein nahi aata.", "IEE", "II B.9"),
    # "outside Karachi" is not outside the area the Agency has declared sensitive.
    ("Our 8-acre housing society is on land near the mangroves outside Karachi that the Sindh EPA has declared environmentally sensitive.", "EIA", ""),
    # The plots at their smallest are a lower bound: at least 42,000 sq yd, 8.7 acres, and the rest unsaid.
    ("New housing society near Sukkur with 350 residential plots of 120 to 400 sq yd, a commercial area and a park.", NEED_MORE, "area in acres"),
    # The kind named in more of the description's words governs: pesticides' warehousing.
    ("Warehouse of 1,500 sq yd in Mirpurkhas for storing pesticides and crop sprays for our agro-chemical distribution business.", "IEE", "II A.2"),
    # A rival named only by words that also name the kind in full adds nothing: a urea factory
    # is a fertilizer plant, not a warehouse for fertilizers.
    ("Group plans a gas-based urea factory in Ghotki district, 1,000 tons a day, on land next to its existing offices.", "EIA", "III C.3"),
    ("Association of factories in the Kotri industrial estate wants one shared plant to treat the wastewater of all its units.", "EIA", "III H.3"),
    ("Investor wants to set up a small crude oil topping plant near Hyderabad, 5,000 barrels a day.", "EIA", "III B.1"),
    # An acronym the term table glosses is not a name ("CNG" for سی این جی); "120 staff" is not 120 beds.
    ("کلائنٹ گلشنِ اقبال، کراچی میں نیا سی این جی اسٹیشن بنانا چاہتا ہے؛ چار ڈسپنسر، لاگت تقریباً ساڑھے تین کروڑ روپے۔", "checklist", ""),
    ("سکھر میں نجی ہسپتال بن رہا ہے، لاگت 50 کروڑ روپے، 120 عملہ، بستروں کی تعداد ابھی طے نہیں ہوئی۔", NEED_MORE, "number of beds"),
    # Lay phrases of the kinds (data/screening_lay_terms.tsv).
    ("Hum koyle ka depot bana rahe hain jahan Thar aur imported coal trucks se utaar kar stockpile karenge. Koi port ya jetty nahi hai.", "IEE", "II B.6"),
    ("Floating storage and regasification unit with a jetty and send-out pipeline to import LNG at Port Qasim.", "EIA", ""),
    # Two kinds each named in as many words: the rarer words decide ("mushtarka", combined).
    ("SITE Kotri ke liye ek mushtarka treatment plant banana hai jo poore industrial area ki factories ka ganda pani ekattha treat karega. IEE chahiye ya EIA?", "EIA", "III H.3"),
    ("800 m bridge in Sanghar district, exact site not final (town or countryside)", NEED_MORE, "whether the site is in an urban or a rural area"),
    # Regulation 19(2): a site that may be in a protected area leaves the requirement open.
    ("solar park near Mithi, the site may be inside the wildlife sanctuary, not confirmed yet", NEED_MORE, SENSITIVE_SITE),
    ("20 MW solar park near the Nara sanctuary. Dont know if our land is inside the sanctuary boundary or just outside.", NEED_MORE, SENSITIVE_SITE),
    ("Commercial building of 80,000 sq ft on Shahrah-e-Faisal; I don't know whether our plot is inside the High Density Zone", NEED_MORE, DENSITY_SITE),
    # Figures in Urdu digits and number words; costs and asking words say nothing of the kind.
    ("حیدرآباد میں ۶۰ بستروں کا ہسپتال بنانا ہے", "IEE", "II J.4"),
    ("Larkana mein chawal ki mill lagani hai, lagat 5 crore hai", "IEE", "II D.4"),
    ("Cafe/restaurant with 120 seats on Tariq Road - do I need EPA clearance?", NEED_MORE, "total area in sq yd"),
    ("Opening a mobile phone repair shop in a rented shop in Saddar. Need any environmental approval?", NOT_LISTED, ""),
    ("Ice factory supplying fishing boats in Ibrahim Hyderi", "checklist", "I n"),
    # The writer says the kind is not decided: a kind it names further off leaves it open.
    ("I'm an agri-input dealer in Sanghar building a 1,500 sq yd godown. Haven't decided if I'll stock only fertilizer (urea/DAP) or pesticides as well.", NEED_MORE, "kind of project (which of the entries below it is)"),
    # Figures and places of an Urdu description are read from its English reading.
    ("کوٹری کے قریب نہر پر 1.5 کلومیٹر لمبا پل", "EIA", "III E.6"),
    ("Sanghar ke dehaat mein purani sarak 7 km dobara banani hai", "IEE", "II F.3"),
    # A stated range across a band's end leaves the figure open; one inside a band decides.
    ("Housing scheme near Nawabshah, land somewhere between 10 and 20 acres, final survey pending", NEED_MORE, "area in acres"),
    ("Motor workshop and service station in Sukkur, plot 900 sq yards", "checklist", "I a(vi)"),
    # Two close kinds, one said word for word: "combined effluent treatment plant" is Schedule
    # III H.3, though the estate's "industrial" units name the words of Schedule I s too.
    ("Combined effluent treatment plant to serve all factories in the Kotri SITE industrial area.", "EIA", "III H.3"),
    # An Urdu landfill, its daily tonnage said before the figure.
    ("کراچی کے لیے نئی میونسپل لینڈ فل سائٹ جہاں روزانہ تقریباً 2000 ٹن کچرا ڈالا جائے گا", "EIA", "III H.2"),
    # A shop that only sells what a listed unit makes is trade, which no schedule lists.
    ("I run a hardware and paint shop in Nawabshah selling tins of paint, brushes and sanitary fittings.", NOT_LISTED, ""),
    ("Retail medical store in Larkana selling medicines from various pharmaceutical companies.", NOT_LISTED, ""),
    ("a barber shop", NOT_LISTED, ""),
    ("a mobile phone repair kiosk", NOT_LISTED, ""),
    # Schedule II I.3 is for hospitals' own incinerators ("commercial facilities excluded"); its
    # notes send commercial hazardous-waste incineration to Schedule III H.1.
    ("Commercial incineration service for infectious waste collected from 40 private clinics in Karachi, charged per kg.", "EIA", "III H.1"),
    ("Incinerator inside our 150-bed hospital for our own infectious waste only; no waste from other hospitals.", "IEE", "II I.3"),
    ("Our hospital wants an incinerator and may also burn waste from nearby clinics for a fee.", NEED_MORE, COMMERCIAL_USE),
    # "Printing and publishing" names two words of III C.8 and one of the apparel units' "printing".
    ("A newspaper's own printing and publishing house with a web offset press", "EIA", "III C.8"),
    # So many plots of a size is a scheme of at least their sum, not one plot.
    ("Housing scheme in Hyderabad: 300 plots of 120 sq yd and a park", NEED_MORE, "area in acres"),
    ("BRT corridor of 20 km in Hyderabad", "EIA", "III E.4"),
    # Desilting is canal cleaning, whatever department does it.
    ("Irrigation department: desilting of two existing distributaries, 30 km in all", "checklist", "I h"),
    ("Furniture showroom in Gulshan, display and sale only, no workshop", NOT_LISTED, ""),
    # The materials of a lining are not a cement plant; a housing project's school is part of it.
    ("Pakka lining of our village watercourse with bricks and cement, about 3 km", "checklist", "I g"),
    ("Housing project of 600 kanal near Super Highway with plots, a commercial area and a school", "EIA", "III I.1"),
    # An expansion is judged by what it comes to; Urdu group words after digits are numbers.
    ("We are a 40-bed hospital in Sukkur; the new wing will take us to 70 beds.", "IEE", "II J.4"),
    ("کلفٹن میں رہائشی و کمرشل ٹاور، کل تعمیری رقبہ تقریباً 5 لاکھ 10 ہزار مربع فٹ", "EIA", "III I.2"),
]


@pytest.fixture(scope="module")
def screener(embedder) -> Screener:
    return Screener(load_schedules(SCHEDULES), matcher_for(embedder))


@pytest.mark.parametrize(("description", "requirement", "detail"), CASES, ids=[c[0] for c in CASES])
def test_development_cases(screener: Screener, description: str, requirement: str, detail: str) -> None:
    result = screener.screen(description)
    assert result.requirement == requirement, result.why
    if requirement == NEED_MORE:
        assert detail in result.missing and result.governing is None and result.schedule is None
    elif requirement == NOT_LISTED:
        assert result.governing is None and len(result.closest) == 3
        assert "6(2)" in result.why or result.members
    elif detail:
        assert f"{result.governing.schedule} {result.governing.item}" == detail, result.why


def test_no_confident_answer_without_the_deciding_figure(screener: Screener) -> None:
    for description in ("a hospital", "coal power station", "a housing society", "a bridge", "smelter", "a sewage treatment plant"):
        result = screener.screen(description)
        assert result.requirement not in ("checklist", "IEE", "EIA"), (description, result.why)


def test_the_figure_picks_the_band_of_the_kind(screener: Screener) -> None:
    result = screener.screen("80 MW coal-fired power plant")
    assert result.requirement == "EIA" and result.schedule == "III"
    status = {m.entry.item: m.status for m in result.members}
    assert status["A.3"] == "applies" and status["B.3"] == "does not apply"
    assert "80 MW is more than 50 MW" in result.why


@pytest.mark.parametrize("description", ["40 MW hydropower plant", "35 MW hydel project on a canal", "a 700 m bridge in a rural area"])
def test_a_figure_in_the_gap_between_two_bands_of_its_kind_is_not_read_into_another_kind(screener: Screener, description: str) -> None:
    """A 40 MW hydroelectric plant is past the IEE's 25 MW and short of the EIA's 50 MW: no band of
    its kind holds it, and thermal power's "up to 100 MW" is not its band."""
    result = screener.screen(description)
    assert result.requirement == NOT_LISTED, (description, result.why)
    assert all(m.status == "does not apply" for m in result.members)
    kinds = {m.entry.project for m in result.members}
    assert len(kinds) == 1 and "Thermal" not in next(iter(kinds))


def test_the_stronger_schedule_governs_and_says_why(screener: Screener) -> None:
    result = screener.screen("fish farm")
    assert result.requirement == "IEE" and result.schedule == "II"
    assert {(m.entry.schedule, m.entry.item) for m in result.members if m.status == "applies"} == {("I", "d"), ("II", "A.1")}
    assert "Schedule II governs" in result.why and "regulations 3 to 5" in result.why


def test_a_sensitive_site_needs_an_eia_whatever_the_kind(screener: Screener) -> None:
    result = screener.screen("flour mill in a wildlife sanctuary")
    assert result.requirement == "EIA" and result.sensitive is not None and "19(2)" in result.why


def test_a_site_named_as_outside_a_protected_area_is_not_in_one() -> None:
    assert in_sensitive_area("a wind farm inside the Kirthar National Park")
    assert not in_sensitive_area("a wind farm on barren land; the site is not in any wildlife sanctuary or protected area")
    assert not in_sensitive_area("a hotel well away from the national park")
    assert in_sensitive_area("not far from town, but inside a wildlife sanctuary")
    assert not in_sensitive_area("a farm next to the bird sanctuary")
    assert in_sensitive_area("petrol pump near Keenjhar Lake, on land SEPA has declared an environmentally sensitive area")
    assert not in_sensitive_area("Dadu mein int ka bhatta, jagah kisi protected area ya sanctuary mein nahi hai")
    assert outside_sensitive_area("3D seismic survey in Sanghar; the block avoids all protected and sensitive areas")


def test_a_site_in_urdu_script_is_placed_by_its_own_words_and_negation() -> None:
    """The English reading of an Urdu description is a bag of search words: it loses 'نہیں' and
    'یا نہیں', so where the site is comes from the Urdu itself."""
    inside = "ہم ضلع بدین میں رن آف کچھ وائلڈ لائف سینکچری کی حدود کے اندر ونڈ فارم لگانا چاہتے ہیں۔"
    assert in_sensitive_area(inside)
    assert in_sensitive_area("سیپا نے بتایا ہے کہ یہ جگہ ماحولیاتی طور پر حساس علاقے میں آتی ہے۔")
    outside = "جگہ کسی سینکچری میں نہیں ہے۔"
    assert not in_sensitive_area(outside) and outside_sensitive_area(outside)
    unknown = "جگہ کے قریب کوئی سینکچری ہے یا نہیں، یہ ابھی ہم نے معلوم نہیں کیا۔ کون سی رپورٹ درکار ہوگی؟"
    assert not in_sensitive_area(unknown) and not outside_sensitive_area(unknown) and sensitive_area_open(unknown)
    assert sensitive_area_open("pata nahi jagah sanctuary mein hai ya nahi")


def test_a_site_is_outside_only_where_the_description_says_so() -> None:
    assert outside_sensitive_area("a wind farm on barren land; the site is not in any wildlife sanctuary or protected area")
    assert outside_sensitive_area("a solar farm next to the bird sanctuary")
    assert not outside_sensitive_area("wind farm near Keti Bandar")
    assert not outside_sensitive_area("solar park near the sanctuary. Not sure whether our land is inside the sanctuary boundary")
    assert not outside_sensitive_area("a wind farm inside the Kirthar National Park")


def test_a_site_named_as_outside_a_high_density_zone_is_not_in_one() -> None:
    assert in_high_density_zone("a hotel in the Clifton HDZ")
    assert not in_high_density_zone("a bakery, not in any high density zone")


def test_town_and_village_words_place_the_site() -> None:
    assert places_in("a flyover in Hyderabad city") == ["urban"]
    assert places_in("a road linking three villages in Tharparkar") == ["rural"]
    assert places_in("a road near Thatta") == []
    assert places_in("a 750 m flyover on a main road in Karachi") == ["urban"]
    assert places_in("a bridge on the highway near Hyderabad") == []
    assert places_in("a 3 km road; the proponent has not said whether it is in an urban or rural area") == []
    assert places_in("a 750 m bridge; the site's urban or rural status is not stated") == []
    assert places_in("a road near Khairpur; it is unclear whether it is inside the town's municipal limits") == []
    assert places_in("a 3 km road between villages in rural Sanghar, outside any town limits") == ["rural"]
    assert places_in("a depot away from the city") == []
    assert places_in("a 3 km road in our union council, Kotri taluka") == []
    assert places_in("a road in Hyderabad district") == []


def test_an_activity_closer_to_an_unlisted_one_than_to_any_entry_is_not_listed(embedder) -> None:
    entries = load_schedules(SCHEDULES)
    description = "Plant nursery selling flowers and saplings in Hyderabad"
    without = Screener(entries, embedder, unlisted=[])
    assert without.screen(description).requirement != NOT_LISTED  # "plant" pulls it to a treatment plant
    result = Screener(entries, embedder, unlisted=["a plant nursery selling flowering plants and saplings"]).screen(description)
    assert result.requirement == NOT_LISTED and len(result.closest) == 3


def test_every_unlisted_activity_is_described_once() -> None:
    descriptions = load_unlisted()
    assert len(descriptions) >= 400 and len(set(map(str.casefold, descriptions))) == len(descriptions)


def test_a_description_is_matched_without_its_places_what_it_is_not_or_its_roman_urdu_function_words(screener: Screener) -> None:
    assert screener.gloss("Distribution warehouse for paper in Sukkur with 20 loading docks") == (
        "Distribution warehouse for paper with 20 loading docks (warehouses for storage)"
    )
    assert "workshop" not in screener.gloss("Car showroom for sales only, with no workshop or servicing")
    assert "housing" not in screener.gloss("A glass bangle workshop in Liaquat Colony, Hyderabad")
    matched = screener.gloss("Ghotki mein gas se chalne wala chhota bijli ghar lagana hai")
    assert "power plant" in matched and not {"mein", "hai", "Ghotki"} & set(matched.split())
    # An Urdu one without the places and the Agency the term table glosses, nor the approval asked for.
    urdu = screener.gloss("لاڑکانہ میں رائس مل لگانی ہے، سیپا کی کون سی منظوری لینی ہوگی؟")
    assert "rice mills" in urdu and not {"Larkana", "SEPA", "Agency", "approval", "approved"} & set(urdu.split())


def test_only_a_shop_that_makes_stores_and_builds_nothing_is_taken_as_selling_only() -> None:
    assert only_sells("Pharmacy / medical store retail in Larkana. We only sell medicines.")
    assert only_sells("Hyderabad ki kapra market mein wholesale dukaan, sirf thaan bechte hain")
    assert not only_sells("We manufacture paint and sell it from our factory shop")
    assert not only_sells("Building a 2,000 sq yd store for selling fertilizer bags")
    assert not only_sells("A workshop that repairs and sells tyres")
    assert only_sells("Retail medical store: a counter and shelves, no manufacturing and no godown")
    assert only_sells("meri chhoti si dukaan hai jahan spray aur beej bechta hoon, alag godown nahi hai")
    # Whom it sells to is not what it does.
    assert only_sells("Scrap shop: we buy old iron and cardboard and sell it on to factories")
    assert only_sells("کباڑ کی دکان ہے، پرانا لوہا خرید کر فیکٹریوں کو بیچ دیتے ہیں")
    # Nor whom it buys from; and a shop, in Urdu or Roman Urdu, sells.
    assert only_sells("We sell marble slabs from our shop; cutting is done at the supplier's factory")
    assert only_sells("Tando Adam mein kapron ki dukan hai, ready-made jeans aur shirts")
    assert not only_sells("gaon mein atta chakki lagani hai, dukaan ke peechay")
    assert not only_sells("ہم پانچ منزلہ کمرشل پلازہ بنا رہے ہیں جس میں دکانیں اور دفاتر ہوں گے")
    # A trading office that handles no goods is trade too.
    assert only_sells("Rice export trading office in Saddar, documents and buyers only. Shipments go from the mills to the port.")
    assert not only_sells("A new 12-storey office building for our trading company")
    assert not any(only_sells(description) for description, _, _ in load_exemplars())


def test_an_urdu_shop_that_only_sells_is_not_listed_though_the_term_table_reads_few_of_its_words(screener: Screener) -> None:
    """The shop test reads the Urdu itself ('دکان', 'فروخت'), so an unread description is still known as trade."""
    result = screener.screen("ہم مچھلی بازار میں مچھلی کی دکان چلاتے ہیں، کوئی فش فارم نہیں، صرف خرید و فروخت۔")
    assert result.requirement == NOT_LISTED and result.sells_only


def test_every_exemplar_names_an_entry_in_force() -> None:
    in_force = {(e.schedule, e.project) for e in load_schedules(SCHEDULES) if e.regulations == "2021"}
    exemplars = load_exemplars()
    assert len(exemplars) > 300
    assert {(schedule, project) for _, schedule, project in exemplars} == in_force


def test_an_exemplar_finds_its_entry_for_words_the_entry_does_not_use(embedder) -> None:
    entries = load_schedules(SCHEDULES)
    plain = Screener(entries, embedder, exemplars=[])
    taught = Screener(entries, embedder, exemplars=[("a shed stacked with potash and SSP bags", "I", "Warehouses for fertilizers")])
    description = "shed stacking potash and SSP"
    assert plain.screen(description).requirement == NOT_LISTED
    result = taught.screen(description)
    assert result.requirement == "checklist" and result.governing.project == "Warehouses for fertilizers"


def test_stored_vectors_screen_as_freshly_embedded_ones(embedder, tmp_path: Path) -> None:
    from assistant.embeddings import StoredVectors

    entries = load_schedules(SCHEDULES)
    fresh = Screener(entries, embedder)
    Screener(entries, embedder, stored=StoredVectors(tmp_path))
    stored = Screener(entries, embedder, stored=StoredVectors(tmp_path))
    assert np.allclose(stored._vectors, fresh._vectors, atol=1e-6)
    for description in ("tannery in Korangi", "a 120-bed private hospital", "housing scheme"):
        assert stored.screen(description).requirement == fresh.screen(description).requirement


def test_a_shop_smaller_than_every_area_band_still_only_sells() -> None:
    """SHOP_AREA_SQ_FT is the smallest floor or plot area the 2021 schedules list, and every such
    band starts somewhere: a shop no bigger falls in none. (Land served in hectares, an
    irrigation system's, is no shop's size.)"""
    from assistant.standards.schedules import measure
    from assistant.standards.screening import SHOP_AREA_SQ_FT

    bands = [b for e in load_schedules(SCHEDULES) if e.regulations == "2021" for b in e.bands if b.unit in ("sq ft", "sq yd", "sq m", "acres", "kanals")]
    assert bands and all(b.low is not None for b in bands)
    assert min(measure(b.low, b.unit)[0] for b in bands) == SHOP_AREA_SQ_FT
    assert only_sells("We sell marble and granite slabs from a 200 sq yd shop in Karachi")
    assert not only_sells("We sell marble and granite slabs from a 2,000 sq yd shop in Karachi")
