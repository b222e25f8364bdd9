"""Screening a described project against the 2021 schedules: which approval it needs.

How a lay description ("a 120-bed private hospital") finds its entries:
1. Matching by meaning: the description and every entry (its whole project text and each of its
   listed kinds, "paints and dyes" out of a long item) are embedded with the screening matcher
   (matcher.py: the shipped MiniLM fine-tuned on the lay texts; otherwise the index's embedder);
   an entry scores its best cosine, plus the share of the description's stemmed words it uses,
   plus a little when the description states a figure in the entry's unit. A few lay words the
   embedder does not know ("tannery", "gas-fired") are glossed first (LAY_TERMS).
2. The kind: the best entry and the entries of other schedules for the same kind of project
   (similar project text, close score) are its family: "Coal-fired power plants up to 50 MW"
   (IEE), "Coal power projects more than 50 MW" (EIA), "Thermal power generation"...
3. The figure decides: each band of a family member is compared with the figure stated (units
   converted within a family, m to km); a member whose band needs a figure the description
   lacks is undecided. Where members of different schedules apply, the stronger requirement
   governs, because each of regulations 3 to 5 binds a project that falls in any category of its
   schedule (so too for a description of two activities, "a sugar mill with its own power
   plant"). Where an undecided member could raise the requirement, the answer is "need more
   information", naming the figure: never a guess. So too where another kind of project scores
   within KIND_MARGIN of the best and would need another approval ("a godown for paints": paint
   manufacture, EIA, or warehouses, checklist by area): what the project is decides.
4. Nothing close enough, or the description closer to an activity no entry lists (a plant
   nursery, a gym) than to any entry: "not listed", with the closest entries and regulation 6(2).
A project in an environmentally sensitive area needs an EIA whatever its kind (regulation 19(2),
Schedule III heading J), and so does one in a notified High Density Zone (Schedule III I.3).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.embeddings import StoredVectors
from assistant.keyword import tokenize
from assistant.language import (
    Reading,
    Vocabulary,
    has_markers,
    read,
    read_share,
    screening_term_table,
    without_markers,
)
from assistant.standards.numbers import grouped_numbers
from assistant.standards.schedules import (
    PLACES,
    REQUIREMENT_ORDER,
    UNIT_LABELS,
    US_MGD_PER_CUBIC_METRE_A_DAY,
    Band,
    Entry,
    Figure,
    annual_ceiling,
    cost_in,
    entries_in_force,
    figures_in,
    measure,
    measure_unit,
)

NEED_MORE = "need more information"
NOT_LISTED = "not listed"

# Lay words the small embedder does not tie to the schedules' wording: each is glossed with the
# schedule's own words before matching (measured on the development cases in the tests).
LAY_TERMS: tuple[tuple[str, str], ...] = (
    (r"tanner(?:y|ies)|leather", "tanning and leather finishing"),
    (r"(?:gas|oil|diesel|rlng|lng|furnace[- ]oil|hfo)(?:[- ]fired|(?:[- ](?:based|run))?\s+power)|combined[- ]cycle|gas turbine|ipp|captive power", "thermal power generation"),
    (r"apartments?|flats|plaza|shopping mall|office (?:block|tower|building)", "residential and commercial buildings"),
    (r"hydel|hydro\b|hydropower", "hydroelectric power generation"),
    # (A society of so many kanals is the scheme itself; "for our society" says where a project is.)
    (r"colony|township|gated (?:community|project|scheme)|(?:residential|housing|new|nayi) (?:society|scheme)|(?:residential|housing) (?:projects?|developments?)|(?:kanals?|acres?|marlas?|plots?) (?:(?:ki|ka|of|a) )?society", "housing scheme"),
    (r"hosp\b|hsptl\b", "hospital"),
    (r"schools?\b|colleges?\b|universit(?:y|ies)|madrass?as?\b", "construction of educational and academic institutions"),
    (r"foundry|furnace for (?:scrap|metal)", "metal smelting plant"),
    (r"clinker", "cement plant"),
    (r"topping plant|crude (?:oil )?(?:distillation|refining)", "oil and petroleum refineries"),
    (r"quicklime|burnt lime|hydrated lime", "lime kilns"),
    (r"godowns?|warehouses?|storage (?:yard|shed|depot)s?", "warehouses for storage"),
    (r"urea\b|\bdap\b|\bnpk\b", "fertilizers"),
    (r"insecticides?|weedicides?|herbicides?|fungicides?|agro-?chemicals?|crop sprays?", "pesticides"),
    (r"blow[- ]?mou?ld|injection[- ]mou?ld|\bhdpe\b|\bldpe\b|\bpvc\b|polythene|polyethylene|polypropylene|\bpet (?:bottles|preforms)", "plastic products"),
    (r"printing press|offset print|newspapers?\b|textbooks?", "printing and publishing"),
    (r"tablets\b|syrups\b|injectables\b|vaccines\b", "pharmaceuticals"),
    (r"rehab\b", "rehabilitation"),
    (r"de-?silting", "canal cleaning"),
    (r"\bbrt\b|bus rapid transit|metro ?bus|light rail", "mass transit"),
    (r"stps?\b|sewage treatment", "wastewater treatment for sewerage treatment facilities"),
    (r"cetps?\b|(?:shared|common|joint) (?:effluent |wastewater )?(?:treatment )?plant", "combined effluent treatment plants"),
    # A plant that treats one unit's own wastewater is not the estate's combined plant.
    (r"\b(?:our|its|their) own (?:\w+(?:'s|’s)? )?(?:waste ?water|effluents?)\b", "industrial effluent treatment plants"),
    (r"etps?\b", "effluent treatment plant"),
    (r"daal\b|dal (?:mill|factory)|lentils?\b|chickpeas?|chan(?:a|ay|e) dal|masoor|moong", "pulses mill"),
    (r"\batt?a\b(?! (?:dealer|shop|store))|maida|suji\b|chakki|flour", "flour mills"),
    (r"pickles?\b|achaa?r\b|murabb?a|jams?\b|ketchup|sauces?\b|(?:fruit )?juices?\b|fruit pulp|namkeen|nimko|crisps\b", "food processing unit"),
)
_SENSITIVE = re.compile(
    r"environmentally sensitive|sensitive area|protected area|national park|sanctuar(?:y|ies)|game reserve|ramsar"
    r"|حساس علاق|محفوظ علاق|سینکچری|سینکچوری|نیشنل پارک|پناہ گاہ",
    re.IGNORECASE,
)
# "not in any wildlife sanctuary or protected area": the site is named as outside one.
_NEGATED = re.compile(
    r"\b(?:not(?:\s+(?:inside|within|in))?|no|outside|away from|none of|avoids?|avoiding)\b(?:(?!\bbut\b|\binside\b|\bwithin\b)[^.;:]){0,60}$", re.IGNORECASE
)
# "land outside Karachi that the EPA has declared environmentally sensitive": said to be one,
# whatever a negation before says of another place.
_DECLARED = re.compile(
    r"\b(?<!not\s)(?<!never\s)(?:has|have|had|is|was|been)\s+(?:been\s+)?(?:declared|notified|designated)\s+(?:as\s+)?(?:(?:an?|the)\s+)?$",
    re.IGNORECASE,
)
# "next to the bird sanctuary", "near Kirthar National Park": beside one, not in it.
_BESIDE = re.compile(r"\b(?:near|next to|adjacent to|beside|close to|bordering)\s+(?:(?:the|a|an)\s+)?(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
# Urdu puts the negation after the place: "protected area ya sanctuary mein nahi hai"; so does a
# form's answer: "Protected or sensitive area: none".
# ("ya nahi", "یا نہیں": "or not", and "pata nahi", "معلوم نہیں": "don't know", are doubts.)
_NEGATED_AFTER = re.compile(
    r"^\)?\s*[:=-]\s*(?:none|no|nil|n/?a|not applicable)\b"
    r"|^[^.;:?!۔؟]{0,40}?(?:\b(?<!\bya )(?<!pata )(?:nahi|nahin|nahein|nahee)\b|(?<!یا )(?<!معلوم )(?<!پتا )(?<!پتہ )نہیں)",
    re.IGNORECASE,
)
# Words that place a site in a town or in the countryside, for bands set apart by place.
_PLACE_WORDS = {
    "urban": re.compile(r"\burban\b|\bcity\b|\btown\b|\bmunicipal|\bmetropolitan\b", re.IGNORECASE),
    "rural": re.compile(r"\brural\b|\bvillages?\b|\bcountryside\b", re.IGNORECASE),
}


# Words of doubt: where they stand before a place or in a sensitive area's sentence, whether the
# site is there is the open question.
_DOUBT = r"may|might|maybe|perhaps|possibly|whether|unclear|unknown|unsure|do(?:es)?\s*n[o'’]?t know|no idea"
# "the site may be inside the sanctuary, not confirmed yet".
_MAYBE = re.compile(
    rf"\b(?:{_DOUBT}|could|not (?:yet )?(?:confirmed|sure|known|clear|decided|final)|ya nahi|ya nahin|pata nahi)\b"
    r"|یا نہیں|معلوم نہیں|پتا نہیں|پتہ نہیں|شاید",
    re.IGNORECASE,
)

# A facility run as a business for others' waste, which an entry for owners' own use excludes
# ("commercial facilities excluded"): "collect infectious waste from 60 hospitals ... charging per kg".
_COMMERCIAL = re.compile(
    r"\bcommercial(?:ly)?\b|\bfor a fee\b|\bcharg(?:e|es|ing)\b|\bper kg\b|\bclients?\b|\bcustomers?\b"
    r"|\bfrom (?:about |around |some |over |more than )?(?:\d[\d,]*|several|many|other|nearby|different|various)\s+(?:\w+\s+)?(?:hospitals|clinics|firms|factories)\b"
    r"|\b(?:other|nearby) (?:hospitals|clinics|firms)\b",
    re.IGNORECASE,
)
COMMERCIAL_USE = "whether the facility takes only its owner's waste or others' too, as a business"
COMMERCIAL_EXCLUDED = "commercial facilities are excluded"
# Where a sentence ends, in English and Urdu.
_STOPS = ".;:?!۔؟"


def _mentions(area: re.Pattern, description: str) -> list[tuple[bool, bool]]:
    """For each area of a kind (sensitive, High Density Zone) the description names: (negated, left open)."""
    found = []
    for match in area.finditer(description):
        start = max(description.rfind(stop, 0, match.start()) for stop in _STOPS)
        ends = [i for i in (description.find(stop, match.end()) for stop in _STOPS) if i >= 0]
        sentence = description[start + 1 : min(ends, default=len(description))]
        before, after = description[: match.start()], description[match.end() :]
        negated = not _DECLARED.search(before) and bool(
            _NEGATED.search(before) or _BESIDE.search(before) or _NEGATED_AFTER.match(after)
        )
        found.append((negated, bool(_MAYBE.search(sentence))))
    return found


def in_sensitive_area(description: str) -> bool:
    """Whether the description puts the site in a sensitive or protected area (not merely names
    one, and not as a question still open)."""
    return any(not negated and not open_ for negated, open_ in _mentions(_SENSITIVE, description))


def outside_sensitive_area(description: str) -> bool:
    """Whether the description puts the site outside (or beside) every sensitive or protected area."""
    named = _mentions(_SENSITIVE, description)
    return bool(named) and all(negated and not open_ for negated, open_ in named)


def sensitive_area_open(description: str) -> bool:
    """Whether the description leaves open if the site is in a sensitive or protected area."""
    return _open(_SENSITIVE, description)


def _open(area: re.Pattern, description: str) -> bool:
    named = [open_ for negated, open_ in _mentions(area, description) if not negated]
    return any(named) and all(named)


_HIGH_DENSITY = re.compile(r"\bhigh[- ]density zones?\b|\bHDZ\b", re.IGNORECASE)


def in_high_density_zone(description: str) -> bool:
    """Whether the description puts the site in a High Density Zone (not merely names one, and not
    as a question still open: "I don't know whether our plot is inside it")."""
    return any(not negated and not open_ for negated, open_ in _mentions(_HIGH_DENSITY, description))


def high_density_zone_open(description: str) -> bool:
    """Whether the description leaves open if the site is in a High Density Zone."""
    return _open(_HIGH_DENSITY, description)


# Sindh's cities (population over about 200,000, 2017 census): a site "in Karachi" or "in
# Gulshan-e-Iqbal, Karachi" is in an urban area; one near a city, on a highway or between two
# cities is not said to be, nor one in the district, taluka or division named after a city
# ("Kotri taluka" holds villages too).
_CITY = re.compile(
    r"(?:\b(?:in|inside|within|at)\b[^.;:]{0,40}|,\s*)\b(?:Karachi|Hyderabad|Sukkur|Larkana|Nawabshah|Shaheed Benazirabad"
    r"|Mirpur ?khas|Jacobabad|Shikarpur|Khairpur|Kotri|Dadu|Tando Adam|Tando Allahyar)\b"
    r"(?!\s+(?:taluka|tehsil|district|division)\b)",
    re.IGNORECASE,
)
# "in Sukkur", "near Johi, Dadu", "at Port Qasim": where a site is (capitalised words after a
# preposition of place), left out when descriptions are compared by meaning.
_PLACE_PHRASE = re.compile(r"\b(?i:in|at|on|near|outside|behind|around|off|along|from)\s+(?:the\s+)?(?:[A-Z][\w'’-]*(?:,?\s+|(?=[.,;)]|$)))+")
# "sales only, no workshop or servicing": what the description says the project is not.
_NEGATED_PHRASE = re.compile(r"\b(?i:no|not|without|nor|never)\b[^.,;:()]*")
# "costing Rs 20 crore", "budget approx 4 bn": what a project costs says nothing of its kind, yet
# its words drew a rice mill "lagat 5 crore" to a flour mill described with its cost.
_MONEY = re.compile(
    r"\b(?:rs\.?|pkr|rupees|cost(?:s|ing)?|budget|investment|worth|lagat)(?:\s*(?:of|is|will be|approx\.?|approximately|about|around|rs\.?|pkr|:))*"
    r"\s*\d[\d,.]*\s*(?:(?:million|mn|billion|bn|crores?|lakhs?|lacs?|arab)\b)?(?:\s*(?:rs|rupees|pkr)\b)?"
    r"|\d[\d,.]*\s*(?:(?:million|mn|billion|bn|crores?|lakhs?|lacs?|arab)\s*)?(?:rs|rupees|pkr)\b|\d[\d,.]*\s*(?:crores?|arab)\b"
    r"|\b(?:cost(?:s|ing)?|budget|investment|rupees|lagat)\b",
    re.IGNORECASE,
)
# "do I need EPA clearance?", "which report is required?": what is asked of every project, not
# what this one is; left out of every text matched by meaning, like places and costs.
_ASKING = re.compile(
    r"\b(?:(?:s?epa|environmental|environment|ehs)\s+)?(?:approv(?:als?|ed)|clearances?|noc|permission|permits?|nod)\b"
    r"|\b(?:do|does|will|would|shall|should)\s+(?:i|we|you|they|it|this|he|she)\s+(?:need|require|have to)\b"
    r"|\b(?:is|are)\s+(?:an?\s+|any\s+)?(?:iee|eia|checklist)\b|\b(?:iee|eia|checklist|category|report)\s+(?:or\s+(?:iee|eia|checklist)\s*)?(?:required|needed|reqd)\b"
    r"|\b(?:needed|required|reqd)\s*\?|\bneed\s+(?:any|an?)\b|\bs?epa\b",
    re.IGNORECASE,
)
_NOT_IN_CITY = re.compile(r"\b(?:near|outside|outskirts|highway|motorway|bypass|between|linking)\b", re.IGNORECASE)


# "has not said whether it is in an urban or rural area", "urban or rural status is not stated":
# the description names the places as the open question, not as where the site is.
_UNSETTLED = re.compile(rf"\b(?:{_DOUBT}|not (?:yet )?(?:said|stated|known|clear|sure|decided))\b[^.;:]{{0,60}}$", re.IGNORECASE)
_EITHER_PLACE = re.compile(
    r"\b(?:urban|rural|town|city|countryside|village)\s+or\s+(?:urban|rural|town|city|countryside|village)\b", re.IGNORECASE
)
# "outside any town limits", "away from the city": the place named is where the site is not.
_OUTSIDE = re.compile(r"\b(?:outside|away from|far from|beyond|not in|not within)\s+(?:(?:the|any|a|all)\s+)?(?:\w+\s+)?$", re.IGNORECASE)


# A shop that sells what a listed unit makes or stores ("a pharmacy selling medicines", "paint and
# hardware shop", "pesticide spray counter, no godown") is trade, which no schedule lists; the
# matcher had placed such shops with the manufacture or warehousing of their goods (seven
# development writers' shops, one answered EIA). Only where the description says nothing of
# making, storing, repairing or building anything, nor gives a size some area band could hold.
_SHOP = re.compile(r"\b(?:shops?|stores?|dukaa?n|showroom|counter|retail|wholesale|outlet|pharmacy|chemist|parlou?r|kiosk|stall|khokha|office)\b|دکان|دوکان|اسٹور|شوروم", re.IGNORECASE)
_SALE = re.compile(
    r"\b(?:sell|selling|sells|sold|sale|sales|bech\w*|retail|wholesale|pharmacy|medical store|kiryana|kiriana|grocery|showrooms?|dukaa?n|parchoon|buy|bought|dealers?|trad(?:er|ers|ing)|orders?|booking|brokers?|agents?)\b|بیچ|فروخت|شوروم|دکان|دوکان|پرچون",
    re.IGNORECASE,
)
_MAKES_OR_BUILDS = re.compile(
    r"manufactur|factory|plant\b|\bmill|process|fabricat|workshop|repair|mechanic|mistri|welding|chakki|plaza|godown|warehouse|storage|construct|build|plot"
    r"|karkhana|kaarkhana|banana|banani|bana rahe|banaye"
    r"|فیکٹری|کارخانہ|تعمیر|گودام|مرمت|مستری|مکینک|ویلڈنگ|چکی|پلازہ|منزل|بنا رہے|بنانا|بنانی",
    re.IGNORECASE,
)


# "alag godown nahi hai", "koi workshop nahi": what a Roman Urdu or Urdu sentence says is not there.
_NOT_THERE_URDU = re.compile(r"(?:\b\w+\s+){1,2}(?:nahi|nahin|nahein)\b|(?:\S+\s+){1,2}نہیں", re.IGNORECASE)


# Whom a shop sells to, or buys from, is not what it does: "we sell the scrap on to factories"
# (فیکٹریوں کو), "we buy the ice cream from a factory", "cut at the supplier's factory".
_BUYERS = re.compile(
    r"\b(?:to|for|from)\s+(?:the\s+|a\s+|local\s+|nearby\s+|big\s+)?(?:factories|factory|mills?|industries|plants?)\b"
    r"|\b(?:suppliers?|vendors?|manufacturers?)(?:'s|’s|s'|s’)?\s+(?:factory|factories|mills?|plants?|workshops?)\b"
    r"|\b(?:factori(?:on|yon)|karkhan(?:on|ay)|millon)\s+ko\b|(?:فیکٹریوں|کارخانوں|ملوں)\s+کو",
    re.IGNORECASE,
)


# The smallest area the 2021 schedules list (restaurants, halls and workshops of more than 500 sq
# yd): a shop no bigger is not a building of any entry (a test checks it against the table).
SHOP_AREA_SQ_FT = Decimal(4500)


def only_sells(description: str) -> bool:
    """Whether the description is of a shop that only sells: trade, which no entry lists. What it
    says is not there ("no godown", "alag godown nahi") does not count as stored or made, nor
    whom it sells to, nor a floor area too small for any area band ("a 200 sq yd shop")."""
    said = _BUYERS.sub(" ", _NOT_THERE_URDU.sub(" ", _NEGATED_PHRASE.sub(" ", description)))
    areas = [measure(f.value, f.unit) for f in figures_in(description)]
    too_big = any(unit == "sq ft" and value > SHOP_AREA_SQ_FT for value, unit in areas)
    return bool(_SHOP.search(description) and _SALE.search(description) and not _MAKES_OR_BUILDS.search(said) and not too_big)


def places_in(description: str) -> list[str]:
    """The places ("urban", "rural") the description puts the site in."""
    if _EITHER_PLACE.search(description):
        return []
    found = [
        place
        for place in PLACES
        if any(
            not _UNSETTLED.search(description[: match.start()]) and not _OUTSIDE.search(description[: match.start()])
            for match in _PLACE_WORDS[place].finditer(description)
        )
    ]
    if not found and _CITY.search(description) and not _NOT_IN_CITY.search(description):
        found = ["urban"]
    return found


# How close an entry must come to be a match at all, and to stand beside the best as its kind.
MATCH_FLOOR = 0.48
FAMILY_MARGIN = 0.35
FAMILY_SIMILARITY = 0.85
AXIS_MARGIN = 0.35
AXIS_SIMILARITY = 0.4
# Another kind of project within this much of the best leaves the kind open when it would need
# another approval; the figure asked for is then what the project is.
KIND_MARGIN = 0.05
UNDECIDED_MARGIN = 0.35
_ENDPOINT = re.compile(
    r"\b(?:from|to|into|till)\s+(?:(?:the|our|an?|its|their|nearest|existing|new)\s+){0,2}[\w-]+(?:\s+[\w-]+)?"
    r"|\bbetween\s+[^.;:?!]{0,60}?\band\s+(?:(?:the|our|an?|its|their|nearest|existing|new)\s+){0,2}[\w-]+(?:\s+[\w-]+)?",
    re.IGNORECASE,
)
# Where a description adds a second facility to the first ("with its own", "aur saath").
_ALSO = re.compile(
    r"\b(?:with (?:its|their|our|a|an) own|with an? (?=[^.;,]{0,40}\b(?:plant|unit|station|factory)\b)|along with|together with|as well as|aur saath|saath hi|and also"
    r"|and (?:will |shall )?(?:also )?(?:build|set up|install|add)(?= (?:its|their|our) own\b))\b",
    re.IGNORECASE,
)
_UNDECIDED = re.compile(
    r"(?:\bnot|n[o'’]t|\byet to|\bstill to)\s+(?:yet\s+)?decided?\b|\bundecided\b|\bdecide\s+nahi|\bfaisla\s+nahi",
    re.IGNORECASE,
)
KIND_OF_PROJECT = "kind of project (which of the entries below it is)"
SENSITIVE_SITE = "whether the site is in an environmentally sensitive or protected area"
DENSITY_SITE = "whether the site is in a notified High Density Zone"
# A description in Urdu or Roman Urdu whose English reading keeps less than this share of its
# words is not matched at all: "Karachi current" of a shop renovation came closest to nuclear power.
READ_SHARE = 0.3
# A word used by at most this many entries names a kind of project ("coal", "hydroelectric");
# one used by COMMON_DF or more ("plant", "construction", "unit") names none.
DISTINCTIVE_DF = 5
COMMON_DF = 9
# Rare in the table but naming no kind of project ("All renewable energy projects").
_GENERIC = frozenset(tokenize("all any other new existing relevant subject including"))
# A listed kind taken out of a long item counts a little less than the item's whole wording.
PART_WEIGHT = 0.93
# Lay descriptions of each 2021 entry ("chrome tanning unit in Korangi", "RLNG-fired IPP"),
# written blind from the schedules for matching only (training/screening/README.md): a description
# close to one of them finds its entry even when it shares no word with the entry's wording.
DATA = Path(__file__).resolve().parent.parent / "data"
EXEMPLARS_FILES = tuple(DATA / f"screening_exemplars{suffix}.jsonl" for suffix in ("", "_2", "_3"))
EXEMPLAR_WEIGHT = 0.93
# Lay descriptions of activities no 2021 entry lists (a plant nursery, a gym in a plaza, a
# boundary wall round a field), written blind by another helper: a description closer to one of
# them than to any entry's wording or exemplar is not listed, however many words it shares
# with an entry ("plant", "storage", "wall").
UNLISTED_FILES = tuple(DATA / f"screening_unlisted{suffix}.jsonl" for suffix in ("", "_2", "_3"))
UNLISTED_MARGIN = 0.15


def load_exemplars(paths: tuple[Path, ...] = EXEMPLARS_FILES) -> list[tuple[str, str, str]]:
    """(description, schedule, entry's project text) for each exemplar line of the files."""
    rows = [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["description"], row["schedule"], row["entry"]) for row in rows]


def load_unlisted(paths: tuple[Path, ...] = UNLISTED_FILES) -> list[str]:
    """The descriptions of activities that no entry lists."""
    lines = [line for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(line)["description"] for line in lines]


@dataclass
class Member:
    """A family entry and what the description makes of it."""

    entry: Entry
    score: float
    status: str  # "applies", "does not apply", "undecided"
    reason: str = ""
    missing: str = ""


@dataclass
class Screening:
    """The requirement a description leads to, with the entries and figures it rests on."""

    description: str
    requirement: str
    governing: Entry | None
    members: list[Member]
    closest: list[tuple[Entry, float]]
    figures: list[Figure]
    missing: list[str]
    why: str
    sensitive: Entry | None = None
    cost_million: Decimal | None = None
    notes: list[str] = field(default_factory=list)
    # Not listed because it is a shop that only sells (trade, which no schedule lists).
    sells_only: bool = False

    @property
    def schedule(self) -> str | None:
        if self.requirement in (NEED_MORE, NOT_LISTED) or self.governing is None:
            return None
        return self.governing.schedule

    @property
    def cited_entries(self) -> list[Entry]:
        """The rows the answer names, governing first."""
        rows = ([self.sensitive] if self.sensitive else []) + ([self.governing] if self.governing else [])
        rows += [m.entry for m in self.members]
        if self.requirement == NOT_LISTED:
            rows += [entry for entry, _ in self.closest]
        return list(dict.fromkeys(rows))


LAY_TERMS_FILE = DATA / "screening_lay_terms.tsv"


@lru_cache(maxsize=1)
def _lay_phrases() -> tuple[tuple[re.Pattern, str], ...]:
    """The lay phrases of data/screening_lay_terms.tsv, each with its entry's words."""
    rows = [line.split("\t") for line in LAY_TERMS_FILE.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return tuple((re.compile(rf"\b{re.escape(lay)}\b", re.IGNORECASE), words) for lay, words in rows)


def _lay_glosses(description: str) -> list[str]:
    """The schedules' words for the lay words a description uses (LAY_TERMS, then the phrase file)."""
    found = [words for pattern, words in LAY_TERMS if re.search(rf"\b(?:{pattern})", description, re.IGNORECASE)]
    found += [words for pattern, words in _lay_phrases() if pattern.search(description)]
    return list(dict.fromkeys(found))


def _kinds(project: str) -> list[str]:
    """An item's listed kinds: "Sugar mills and distilleries" -> ["Sugar mills", "distilleries"]."""
    text = re.sub(r"\b(?:including|such as)\b", ",", project)
    parts = [p.strip(" ,;") for p in re.split(r",|;|\band/or\b|\band\b|\bor\b", text)]
    return [p for p in parts if len(p) > 3 and p != project]


class Screener:
    """The 2021 entries with their embeddings, ready to screen descriptions."""

    def __init__(
        self,
        entries: list[Entry],
        embedder,
        exemplars: list[tuple[str, str, str]] | None = None,
        stored: StoredVectors | None = None,
        unlisted: list[str] | None = None,
    ) -> None:
        self.entries = [e for e in entries_in_force(entries) if not e.is_catch_all]
        everything = entries_in_force(entries)
        self.sensitive_entry = next((e for e in everything if e.project.casefold().startswith("all projects situated")), None)
        self.density_entry = next((e for e in everything if e.project.casefold().startswith("all projects in high density")), None)
        self.direction_entries = [e for e in everything if "as directed by the agency" in e.threshold.casefold()]
        self.embedder = embedder
        texts, owners, weights = [], [], []
        for i, entry in enumerate(self.entries):
            for text in [entry.project, *_kinds(entry.project)]:
                texts.append(text)
                owners.append(i)
                weights.append(1.0 if text == entry.project else PART_WEIGHT)
        index_of = {(entry.schedule, entry.project): i for i, entry in enumerate(self.entries)}
        exemplars = load_exemplars() if exemplars is None else exemplars
        unlisted = load_unlisted() if unlisted is None else unlisted
        english = [*texts, *(text for text in [d for d, _, _ in exemplars] + unlisted if not has_markers(text))]
        self._vocabulary = Vocabulary.of({stem for text in english for stem in tokenize(text)}, english)
        for description, schedule, project in exemplars:
            if (i := index_of.get((schedule, project))) is not None:
                texts.append(self._english(description))
                owners.append(i)
                weights.append(EXEMPLAR_WEIGHT)
        vectors = self._embed(texts, "screening", stored)
        self._unlisted = self._embed([self._english(text) for text in unlisted], "screening-unlisted", stored)
        self._owners = np.asarray(owners)
        self._weights = np.asarray(weights, dtype=np.float32)
        self._vectors = vectors
        whole = [texts.index(entry.project) for entry in self.entries]
        self._whole = vectors[whole]
        self._stems = [set(tokenize(f"{e.project}")) for e in self.entries]
        self._links = _note_links(self.entries)
        self._commercial = _commercial_rows(self.entries)
        self._df: dict[str, int] = {}
        for stems in self._stems:
            for stem in stems:
                self._df[stem] = self._df.get(stem, 0) + 1

    def _english(self, text: str, reading: Reading | None = None) -> str:
        """A text as it is matched: without the places it names, and an Urdu or Roman Urdu one as
        its English reading (the chat's term table, and the English words of the schedules and the
        lay texts), without the words of the language itself, which would draw any Urdu text to
        any other. Where a site is says nothing of what is built there, yet a place name weighs in
        a small embedder's vector: an oil depot "near Sukkur" came closer to a paper warehouse
        "in Sukkur" than any warehouse did."""
        reading = reading or read(text, self._vocabulary, screening_term_table())
        if reading.english:
            kept = _NEGATED_PHRASE.sub(" ", _PLACE_PHRASE.sub(" ", text))
        else:
            # Names: a capitalised word the table does not know, or a gloss all of names (the
            # table's places and bodies: "Larkana", "SEPA Sindh Environmental Protection Agency"),
            # not an acronym alone ("CNG" for سی این جی).
            named = [
                words for words, glossed in reading.pieces
                if (not glossed and words[:1].isupper() and not words.isupper())
                or (glossed and all(w[:1].isupper() for w in words.split()) and not words.replace(" ", "").isupper())
            ]
            kept = " ".join(words for words, _ in reading.pieces if words not in named)
        # Nor what it costs or what every description asks ("do I need EPA clearance?").
        return " ".join(_ASKING.sub(" ", _MONEY.sub(" ", kept)).split()) or (text if reading.english else without_markers(text))

    def gloss(self, description: str, reading: Reading | None = None) -> str:
        """The description as it is matched: in English, with the schedules' words for its lay words
        (those of the project, not of its address: "Liaquat Colony" is no housing scheme)."""
        text = self._english(description, reading)
        extra = _lay_glosses(text)
        return text if not extra else f"{text} ({'; '.join(extra)})"

    def _embed(self, texts: list[str], table: str, stored: StoredVectors | None) -> np.ndarray:
        if stored:
            return stored.embed(self.embedder, texts, table)
        return np.asarray(self.embedder.embed_documents(texts), dtype=np.float32) if texts else np.zeros((0, 0), dtype=np.float32)

    def _query(self, glossed: str) -> np.ndarray:
        return np.asarray(self.embedder.embed_query(glossed), dtype=np.float32)

    def unlisted_lead(self, query: np.ndarray) -> float:
        """How much closer a description's vector comes to an unlisted activity than to any entry
        (cosines, before the word and unit bonuses): above UNLISTED_MARGIN it is not listed."""
        if not len(self._unlisted):
            return -1.0
        return float((self._unlisted @ query).max() - ((self._vectors @ query) * self._weights).max())

    def scores(self, glossed: str, figures: list[Figure], query: np.ndarray) -> np.ndarray:
        """One score per entry, for the glossed description and its vector."""
        cos = (self._vectors @ query) * self._weights
        best = np.full(len(self.entries), -1.0, dtype=np.float32)
        np.maximum.at(best, self._owners, cos)
        words = set(tokenize(glossed))
        units = {measure_unit(f.unit) for f in figures}
        for i, entry in enumerate(self.entries):
            if words:
                best[i] += 0.3 * len(words & self._stems[i]) / len(words)
            if units & {band.measure_unit for band in entry.bands}:
                best[i] += 0.1
        return best

    def _named_in(self, i: int, top: int, words: set[str]) -> bool:
        """Whether the description names what sets entry i apart from the best entry: "Coal power
        projects" stands beside "Thermal power generation" only for a description that says coal.
        Only rare words count (used by few entries), so "projects" or "plants" never decide."""
        own = {w for w in self._stems[i] - self._stems[top] if self._df.get(w, 0) <= DISTINCTIVE_DF and w not in _GENERIC}
        return not own or bool(own & words)

    def _fits(self, i: int, top: int, words: set[str]) -> bool:
        """Whether the description fits an entry the notes tie to the best one: the entry adds
        nothing rare to the best entry's wording, the description names a word it adds
        ("municipal" of "Solid waste municipal landfill sites"), or one of its listed kinds is named in full
        ("fish farms" of "Poultry, livestock and fish farms"; not "Public water supply schemes"
        for a description that never says public)."""
        if self._named_in(i, top, words):
            return True
        for text in [self.entries[i].project, *_kinds(self.entries[i].project)]:
            rare = {w for w in tokenize(text) if self._df.get(w, 0) <= DISTINCTIVE_DF and w not in _GENERIC}
            if rare and rare <= words:
                return True
        return False

    def _shares_named(self, i: int, top: int, words: set[str]) -> bool:
        """Whether the description names what linked entry i shares with entry `top`: "Ice
        factories and cold storage" overlaps the IEE's "cold storage ... of fish products" in cold
        storage, which an ice factory for fishing boats never names."""
        rare = {w for w in self._stems[i] if self._df.get(w, 0) < COMMON_DF and w not in _GENERIC}
        shared, added = rare & self._stems[top], rare - self._stems[top]
        # An entry that adds nothing ("All renewable energy projects" beside "Wind, solar or other
        # renewable energy projects") is the same kind, however the description names it.
        return not shared or not added or bool(shared & words)

    def _named_words(self, i: int, words: set[str]) -> set[str]:
        """The description's words that name entry i's kind (rare in the table): "printing and
        publishing" names two words of Schedule III C.8 and one of the apparel units' "printing";
        "cement lining of a watercourse" two of the lining of watercourses and one of cement plants."""
        return {w for w in self._stems[i] & words if self._df.get(w, 0) < COMMON_DF and w not in _GENERIC}

    def _naming_rank(self, i: int, words: set[str]) -> tuple[int, float, float]:
        """How strongly the description names entry i, to choose between two kinds: by the words
        it names, then the share of the kind's wording, then how rare the named words are."""
        named = self._named_words(i, words)
        return len(named), self.naming(i, words), sum(1 / self._df.get(w, 1) for w in named)

    def naming(self, i: int, words: set[str]) -> float:
        """How fully the description names entry i's kind: the largest share of the words of its
        wording or of one of its listed kinds that it uses ("cotton ginning" names all of
        "cotton ginning", a third of "Cotton oil mills"). Words most entries use ("plant",
        "construction", "unit") name no kind and are left out."""
        shares = [0.0]
        for text in [self.entries[i].project, *_kinds(self.entries[i].project)]:
            own = {w for w in tokenize(text) if self._df.get(w, 0) < COMMON_DF and w not in _GENERIC}
            if own:
                shares.append(len(own & words) / len(own))
        return max(shares)

    def phrased(self, i: int, said: list[str]) -> bool:
        """Whether the description says entry i's wording, or one of its listed kinds of two words
        or more, word for word in order: "a combined effluent treatment plant serving the estate's
        industries" says "Combined effluent treatment plants", and only names the words of
        "Industrial effluent treatment plants"."""
        for text in [self.entries[i].project, *_kinds(self.entries[i].project)]:
            phrase = tokenize(text)
            if len(phrase) > 1 and any(said[k : k + len(phrase)] == phrase for k in range(len(said) - len(phrase) + 1)):
                return True
        return False

    def _family(self, top: int, scores: np.ndarray, words: set[str] = frozenset()) -> list[int]:
        """The best entry and the entries of the same kind: named alike, on the same figure axis,
        or tied to it by the table's own notes ("Overlaps Schedule III C.8"); never one the notes
        call a different project ("Steel mills are EIA projects")."""
        best = self.entries[top]
        related, distinct = self._links.get(best.row, (set(), set()))
        family = [top]
        for i in np.argsort(-scores):
            i = int(i)
            entry = self.entries[i]
            if i == top or entry.row in distinct or top in self._links.get(entry.row, (set(), set()))[1]:
                continue
            gap = float(scores[top] - scores[i])
            similarity = float(self._whole[i] @ self._whole[top])
            same_axis = (
                bool(set(entry.units) & set(best.units)) and similarity >= AXIS_SIMILARITY and gap <= AXIS_MARGIN
                and self._named_in(i, top, words)
            )
            linked = (
                (entry.row in related or best.row in self._links.get(entry.row, (set(), set()))[0])
                and gap <= FAMILY_MARGIN and self._fits(i, top, words) and self._shares_named(i, top, words)
            )
            alike = similarity >= FAMILY_SIMILARITY and gap <= FAMILY_MARGIN
            if same_axis or linked or alike:
                family.append(i)
        return self._linked_closure(family, scores, top, words)

    def _linked_closure(self, family: list[int], scores: np.ndarray, top: int, words: set[str]) -> list[int]:
        """Add the rows the notes tie to a member (a second schedule's band of the same kind)."""
        index_of = {entry.row: i for i, entry in enumerate(self.entries)}
        changed = True
        while changed:
            changed = False
            for member in list(family):
                related, _ = self._links.get(self.entries[member].row, (set(), set()))
                for row in related:
                    i = index_of.get(row)
                    if (
                        i is not None and i not in family and scores[top] - scores[i] <= FAMILY_MARGIN
                        and self._fits(i, top, words) and self._shares_named(i, member, words)
                    ):
                        family.append(i)
                        changed = True
        return family

    def screen(self, description: str) -> Screening:
        result = self._activities(description, self._screen(description))
        if result.requirement == "EIA":
            return result
        # Regulation 19(2) makes any project in a sensitive or protected area an EIA project, and
        # Schedule III I.3 any in a notified High Density Zone: a site that may be in one leaves
        # the requirement open, whatever the project's kind.
        for entry, is_open, fact, law in (
            (self.sensitive_entry, sensitive_area_open, SENSITIVE_SITE, " and regulation 19(2) require"),
            (self.density_entry, high_density_zone_open, DENSITY_SITE, " requires"),
        ):
            if entry is None or not is_open(description):
                continue
            why = (
                f"{fact[0].upper()}{fact[1:]} decides: there, {entry.label}{law} an EIA whatever the project; "
                f"elsewhere, {result.requirement}. {result.why}"
            )
            open_site = Member(entry, 1.0, "undecided", f"the site may be {fact.removeprefix('whether the site is ')}", fact)
            return replace(
                result, requirement=NEED_MORE, governing=None, members=[*result.members, open_site],
                missing=list(dict.fromkeys([*result.missing, fact])), why=why,
            )
        return result

    def _activities(self, description: str, whole: Screening) -> Screening:
        """A description of two activities ("a sugar mill with its own 30 MW bagasse power plant")
        is screened as each: regulations 3 to 5 bind a project that falls in any category of
        their schedule, so where no part leaves the answer open the strongest governs."""
        parts = [p for p in _ALSO.split(description) if len(p.split()) >= 2]
        if len(parts) != 2 or whole.requirement == NEED_MORE:
            return whole
        results = [self._screen(part) for part in parts]
        if any(r.requirement == NEED_MORE for r in results):
            return whole
        best = max(results, key=lambda r: _strength(r.requirement))
        if _strength(best.requirement) <= _strength(whole.requirement):
            return whole
        named = " and ".join(f"{r.governing.label} ({r.requirement})" for r in results if r.governing is not None)
        why = (
            f"The description names two activities: {named}. Regulations 3 to 5 each bind a project that falls in "
            f"any category of their schedule, so the stronger assessment ({best.requirement}) governs. {best.why}"
        )
        others = [m for r in results if r is not best for m in r.members]
        return replace(
            best, description=description, members=[*best.members, *others], why=why, cost_million=whole.cost_million
        )

    def _screen(self, description: str) -> Screening:
        # ("5 لاکھ 10 ہزار مربع فٹ" is read as 510000 sq ft: the term table glosses the group words in words.)
        reading = read(grouped_numbers(description), self._vocabulary, screening_term_table())
        # An Urdu description's facts are read from its English reading too: "1.8 کلومیٹر" is
        # "1.8 kilometre", "dehaat" is rural.
        # (Its reading word for word: the search form says a repeated word once, and "ایک ہزار"
        # after "ایک" would be "thousand".)
        # (A sensitive area is placed by the description as written: its reading drops the
        # negation of "protected area mein nahi aata".)
        said = " ".join(words for words, _ in reading.pieces)
        facts = description if reading.english else f"{description}\n{_SENSITIVE.sub(' ', said)}"
        figures = figures_in(description) or ([] if reading.english else figures_in(said))
        glossed = self.gloss(description, reading)
        query = self._query(glossed)
        scores = self.scores(glossed, figures, query)
        order = np.argsort(-scores)
        closest = [(self.entries[i], float(scores[i])) for i in order[:3]]
        sensitive = self.sensitive_entry if in_sensitive_area(description) else None
        cost = cost_in(description)
        words = set(tokenize(glossed))
        top = self._lead(order, scores, words)
        # Schedule III I.3 binds every project in a notified High Density Zone, whatever its kind.
        zone = [
            Member(self.density_entry, 1.0, "applies", "the site is in a notified High Density Zone")
        ] if self.density_entry is not None and in_high_density_zone(description) else []
        unread = read_share(description, reading) < READ_SHARE
        # A shop that only sells is known from the description's own words, read or not.
        sells = only_sells(description)
        if unread and sensitive is None and not zone and not sells:
            why = (
                "Most of the description's words could not be read as English (the term table knows too few of "
                "them), so its kind of project is not known: name it, in English or in the schedules' words."
            )
            return Screening(description, NEED_MORE, None, [], closest, figures, [KIND_OF_PROJECT], why, None, cost)
        weak = scores[top] < MATCH_FLOOR and self.naming(top, words) < 1
        if weak or self.unlisted_lead(query) > UNLISTED_MARGIN or sells:
            if sensitive is not None:
                return Screening(description, "EIA", sensitive, [], closest, figures, [], _sensitive_why(sensitive), sensitive, cost)
            if zone:
                return _decide(description, zone, closest, figures, None, cost)
            return Screening(
                description, NOT_LISTED, None, [], closest, figures, [], _not_listed_why(closest), None, cost, sells_only=sells
            )
        family, members = self._kind(top, scores, facts, figures, words)
        decided = _decide(description, zone + members, closest, figures, sensitive, cost)
        # A second kind of project scoring as close as the first ("a godown for paints": paint
        # manufacture, or warehouses?) that would need another approval leaves the kind open.
        # So too a kind the description names, further off, where it says the kind is not decided
        # ("haven't decided if I'll stock only fertilizer or pesticides as well").
        undecided = bool(_UNDECIDED.search(description))
        margin = UNDECIDED_MARGIN if undecided else KIND_MARGIN
        rival = next(
            (int(i) for i in order if int(i) != top and int(i) not in family and (not undecided or self.naming(int(i), words) > 0)), None
        )
        if rival is None or scores[top] - scores[rival] > margin or decided.requirement == NEED_MORE:
            return decided
        top_named, rival_named = self._named_words(top, words), self._named_words(rival, words)
        # (A rival named only by words that name the kind in full, or by none, adds nothing the
        # description says: a "urea factory" names fertilizer plants, not their warehouses.)
        if not undecided and self.naming(top, words) == 1 and (len(rival_named) < len(top_named) or rival_named <= top_named):
            return decided
        said = tokenize(glossed)
        # Of the two, the one the description says word for word (and the other not) governs.
        top_said, rival_said = (False, False) if undecided else (self.phrased(top, said), self.phrased(rival, said))
        if top_said and not rival_said:
            return decided
        _, rival_members = self._kind(rival, scores, facts, figures, words)
        other = _decide(description, zone + rival_members, closest, figures, sensitive, cost)
        if other.requirement == decided.requirement:
            return decided
        # The kind the description names in more of its words governs: "a warehouse for pesticides"
        # is the warehousing of pesticides more than a warehouse for non-hazardous substances.
        if (rival_said and not top_said) or (not undecided and self._naming_rank(rival, words) > self._naming_rank(top, words)):
            return other
        why = (
            f"The description fits two kinds of project that need different approvals: {self.entries[top].label} "
            f"({decided.requirement}) and {self.entries[rival].label} ({other.requirement}); which one it is decides."
        )
        both = [m for m in members + rival_members if m.status != "does not apply"]
        return Screening(description, NEED_MORE, None, both, closest, figures, [KIND_OF_PROJECT], why, None, cost)

    def _lead(self, order: np.ndarray, scores: np.ndarray, words: set[str]) -> int:
        """The best entry, or, when its kind is not named, the best within KIND_MARGIN whose kind
        the description names in full: "cotton ginning factory" is the ginning of Schedule II D.4,
        not the "Cotton oil mills" its vector comes a little closer to."""
        best = int(order[0])
        if self.naming(best, words) == 1:
            return best
        near = [int(i) for i in order[1:] if scores[best] - scores[i] <= KIND_MARGIN]
        return next((i for i in near if self.naming(i, words) == 1), best)

    def _kind(self, top: int, scores: np.ndarray, description: str, figures: list[Figure], words: set[str]) -> tuple[list[int], list[Member]]:
        """The entries of the kind `top` leads, and what the description makes of each."""
        family = self._family(top, scores, words)
        # An entry whose extra qualifier the description never names ("Public water supply
        # schemes" beside "Water supply schemes") gives way to the member it qualifies.
        # Not so for entries that split one kind by size ("Coal-fired power plants up to 50 MW",
        # "Coal power projects more than 50 MW"): their wording differs, their bands do not overlap.
        family = [
            i for i in family if all(self._fits(i, j, words) or _split_by_size(self.entries[i], self.entries[j]) for j in family if j != i)
        ] or family
        members = [_judge(self.entries[i], float(scores[i]), description, figures) for i in family]
        # A commercial facility an owners'-use entry excludes falls where that entry's notes say.
        members += [
            Member(self.entries[j], float(scores[j]), "applies", f"commercial facilities fall here (notes of {m.entry.label})")
            for m in members if m.reason == COMMERCIAL_EXCLUDED
            for j in self._commercial.get(m.entry.row, []) if j not in family
        ]
        if figures and not any(m.status != "does not apply" for m in members) and not _between_bands(
            [self.entries[i] for i in family], figures
        ):
            members += self._next_bands(top, family, scores, description, figures)
        return family, members

    def _next_bands(self, top: int, family: list[int], scores: np.ndarray, description: str, figures: list[Figure]) -> list[Member]:
        """When the stated figure is outside every band of the kind, the entries on the same
        axis as the best one whose band holds it: "12,000 square metres" of a shopping centre is
        past the checklist's 100,000 sq ft and inside the IEE's multi-storey band, whatever its wording."""
        found = []
        for i in np.argsort(-scores):
            i = int(i)
            entry = self.entries[i]
            if i in family or scores[top] - scores[i] > AXIS_MARGIN or float(self._whole[i] @ self._whole[top]) < AXIS_SIMILARITY:
                continue
            if not {b.measure_unit for b in entry.bands} & {b.measure_unit for b in self.entries[top].bands}:
                continue
            member = _judge(entry, float(scores[i]), description, figures)
            if member.status == "applies":
                found.append(member)
        return found


_NOTE_REFERENCE = re.compile(r"Schedule (III|II|I)\b,?\s*(?:item\s+|heading\s+)?([A-Z]\.\d+|[a-z](?:\([ivx]+\))?|[A-Z])?(?![\w.])")
_DISTINCT = re.compile(r"\bare (?:EIA|IEE|checklist) projects\b|\bare not listed\b|\bfalls under\b", re.IGNORECASE)


def _note_links(entries: list[Entry]) -> dict[int, tuple[set[int], set[int]]]:
    """For each row, the rows its notes tie to it (same kind in another schedule) and the rows
    they set apart from it, read from the notes' sentences: "Overlaps Schedule III C.8 (...)",
    "Schedule II J.4 covers more than 50 beds" tie; "Steel mills are EIA projects" sets apart."""
    by_item: dict[tuple[str, str], list[int]] = {}
    for entry in entries:
        by_item.setdefault((entry.schedule, entry.item), []).append(entry.row)
        if entry.item.startswith("heading "):
            by_item.setdefault((entry.schedule, entry.item.split()[-1]), []).append(entry.row)
    links: dict[int, tuple[set[int], set[int]]] = {}
    for entry in entries:
        related, distinct = links.setdefault(entry.row, (set(), set()))
        for sentence in re.split(r"(?<=[.;])\s+", entry.notes):
            for schedule, item in _NOTE_REFERENCE.findall(sentence):
                rows = by_item.get((schedule, item), []) if item else []
                (distinct if _DISTINCT.search(sentence) else related).update(rows)
    for row, (related, distinct) in list(links.items()):  # a tie or a setting apart holds both ways
        for other in related:
            links.setdefault(other, (set(), set()))[0].add(row)
        for other in distinct:
            links.setdefault(other, (set(), set()))[1].add(row)
    return links


def _commercial_rows(entries: list[Entry]) -> dict[int, list[int]]:
    """For each row, the entries its notes send commercial facilities to: "Commercial
    hazardous-waste incineration falls under Schedule III H.1 (EIA)"."""
    by_item = {(entry.schedule, entry.item): i for i, entry in enumerate(entries)}
    found: dict[int, list[int]] = {}
    for entry in entries:
        for sentence in re.split(r"(?<=[.;])\s+", entry.notes):
            if "commercial" in sentence.casefold():
                targets = [by_item.get((schedule, item)) for schedule, item in _NOTE_REFERENCE.findall(sentence)]
                found.setdefault(entry.row, []).extend(i for i in targets if i is not None)
    return found


def _between_bands(entries: list[Entry], figures: list[Figure]) -> bool:
    """Whether a stated figure falls between two bands of the matched kind: a 40 MW hydroelectric
    plant is past the IEE's "up to 25 MW" and short of the EIA's "more than 50 MW", a gap of that
    kind, not a reason to read another kind's band (thermal power, "up to 100 MW") as its own."""
    for figure in figures:
        sides = {band.side_of(figure.value, figure.unit) for entry in entries for band in entry.bands}
        if {"below", "above"} <= sides:
            return True
    return False


def _split_by_size(a: Entry, b: Entry) -> bool:
    """Whether two entries have bands on a common axis and no band of one overlaps one of the other."""
    pairs = [(x, y) for x in a.bands for y in b.bands if x.base_unit == y.base_unit and (not x.place or not y.place or x.place == y.place)]
    return bool(pairs) and not any(_overlap(x, y) for x, y in pairs)


def _overlap(x: Band, y: Band) -> bool:
    """Whether two bands in the same base unit share a value."""
    (xl, xh), (yl, yh) = x.ends(), y.ends()

    def below(low, low_in, high, high_in) -> bool:  # the band ending at `high` ends before the one starting at `low`
        return low is not None and high is not None and (high < low or (high == low and not (low_in and high_in)))

    return not below(yl, y.low_included, xh, x.high_included) and not below(xl, x.low_included, yh, y.high_included)


def _strength(requirement: str) -> int:
    return REQUIREMENT_ORDER.index(requirement) if requirement in REQUIREMENT_ORDER else -1


def _sentence_before(text: str, end: int) -> str:
    """The sentence a position of the text is in, up to that position."""
    return text[max(text.rfind(stop, 0, end) for stop in _STOPS) + 1 : end]


def _judge(entry: Entry, score: float, description: str, figures: list[Figure]) -> Member:
    """Whether one entry applies to the description, does not, or needs a figure."""
    condition = entry.condition.casefold()
    in_sensitive = in_sensitive_area(description)
    if "outside" in condition and ("sensitive" in condition or "protected" in condition):
        if in_sensitive:
            return Member(entry, score, "does not apply", "the site is in a sensitive or protected area")
        # Where the entry's own threshold is the site ("outside areas protected or sensitive"),
        # a description that never places the site has not given the deciding fact.
        if not outside_sensitive_area(description):
            return Member(entry, score, "undecided", f"its threshold is {entry.threshold}", SENSITIVE_SITE)
    elif ("sensitive" in condition or "protected" in condition) and not entry.bands:
        if not in_sensitive:
            return Member(entry, score, "does not apply", "only in environmentally sensitive or protected areas")
        return Member(entry, score, "applies", "the site is in a sensitive or protected area")
    if "commercial facilities excluded" in condition:
        said = _NEGATED_PHRASE.sub(" ", description)  # "we will not accept waste from other hospitals"
        commercial = list(_COMMERCIAL.finditer(said))
        doubted = any(_MAYBE.search(_sentence_before(said, m.start())) for m in commercial)
        if commercial and not doubted:
            return Member(entry, score, "does not apply", COMMERCIAL_EXCLUDED)
        if commercial and "own use" in condition:
            return Member(entry, score, "undecided", f"its threshold is {entry.threshold}", COMMERCIAL_USE)
    if not entry.bands:
        return Member(entry, score, "applies", "covers every project of its kind" if entry.threshold == "all" else entry.threshold)
    # A part of the entry the description names in full as what is built ("grid stations: all"),
    # not as where the project runs from or to ("a line from our grid station", "between the
    # Sakrand and Nawabshah grid stations"), nor one word of it ("the distribution company").
    parts = re.findall(r"([a-z ]+):\s*all", condition)
    built = set(tokenize(_ENDPOINT.sub(" ", description))) if parts else set()
    for part in parts:
        if set(tokenize(part)) <= built:
            return Member(entry, score, "applies", f"{part.strip()}: all")
    # A building's covered area (the square-feet bands) is not the size of its plot.
    covered = "covered" in entry.threshold.casefold() or all(band.unit == "sq ft" for band in entry.bands)
    units = {band.measure_unit for band in entry.bands}
    stated = [f for f in figures if measure_unit(f.unit) in units and not (f.land and covered)]
    if not stated:
        stated = [f for f in map(annual_ceiling, figures) if f is not None and measure_unit(f.unit) in units]
    if not stated:
        unit = entry.bands[0].unit
        return Member(entry, score, "undecided", f"its threshold is {entry.threshold}", UNIT_LABELS.get(unit, unit))
    figure = next((f for f in stated if f.final), stated[0])
    places = places_in(description)
    bands = [b for b in entry.bands if not (b.place and places) or b.place in places]
    covered = [(b, b.covers(figure)) for b in bands]
    if figure.unit == "cubic metres per day":
        in_us_gallons = replace(
            figure, value=figure.value * US_MGD_PER_CUBIC_METRE_A_DAY, unit="mgd",
            low=None if figure.low is None else figure.low * US_MGD_PER_CUBIC_METRE_A_DAY,
        )
        if covered != [(b, b.covers(in_us_gallons)) for b in bands]:
            reason = f"{figure.text} is on one side of {entry.threshold} in imperial gallons and on the other in US gallons"
            return Member(entry, score, "undecided", reason, f"{UNIT_LABELS['mgd']}, in imperial or US gallons")
    inside = [b for b, share in covered if share == "all"]
    if inside and (places or len(inside) == len(bands)):
        return Member(entry, score, "applies", f"{figure.text} is {inside[0].text()}")
    if inside:
        return Member(entry, score, "undecided", f"{figure.text} is {inside[0].text()} only", "whether the site is in an urban or a rural area")
    partly = [b for b, share in covered if share == "part"]
    if partly:
        unit = partly[0].unit
        return Member(entry, score, "undecided", f"{figure.text} may or may not be {partly[0].text()}", UNIT_LABELS.get(unit, unit))
    return Member(entry, score, "does not apply", f"{figure.text} is not {entry.threshold}")


def missing_words(missing: list[str]) -> str:
    """"the capacity in MW and whether the site is in an urban or a rural area"."""
    return " and ".join(label if label.startswith("whether") else f"the {label}" for label in missing)


def _decide(description, members, closest, figures, sensitive, cost) -> Screening:
    applying = [m for m in members if m.status == "applies"]
    undecided = [m for m in members if m.status == "undecided"]
    governing = max(applying, key=lambda m: (_strength(m.entry.requirement), m.score), default=None)
    floor = _strength(governing.entry.requirement) if governing else -1
    raising = [m for m in undecided if _strength(m.entry.requirement) > floor]
    if sensitive is not None:
        why = _sensitive_why(sensitive)
        return Screening(description, "EIA", sensitive, members, closest, figures, [], why, sensitive, cost)
    if raising or (governing is None and undecided):
        missing = list(dict.fromkeys(m.missing for m in (raising or undecided)))
        why = (
            f"The requirement turns on {missing_words(missing)}, which the description does not settle: "
            + "; ".join(f"{m.entry.label}" for m in (raising or undecided) + applying)
        )
        return Screening(description, NEED_MORE, None, members, closest, figures, missing, why, None, cost)
    if governing is None:
        why = "The description matches these entries, but its figures fall outside all of them: " + "; ".join(
            f"{m.entry.label} ({m.reason})" for m in members
        )
        return Screening(description, NOT_LISTED, None, members, closest, figures, [], why, None, cost)
    why = _governing_why(governing, applying)
    return Screening(description, governing.entry.requirement, governing.entry, members, closest, figures, [], why, None, cost)


def _governing_why(governing: Member, applying: list[Member]) -> str:
    entry = governing.entry
    why = f"{entry.label}: {governing.reason}."
    others = [m for m in applying if m is not governing and m.entry.schedule != entry.schedule]
    if others:
        named = "; ".join(f"{m.entry.label}" for m in others)
        why += (
            f" It also falls under {named}. Schedule {entry.schedule} governs: regulations 3 to 5 each bind "
            f"a project that falls in any category of their schedule, so the stronger assessment "
            f"({entry.requirement}) is the one that must be filed."
        )
    return why


def _sensitive_why(entry: Entry) -> str:
    return (
        "The site is described as being in an environmentally sensitive or protected area: regulation 19(2) "
        f"and {entry.label} require an EIA whatever the project's kind or size."
    )


def _not_listed_why(closest: list[tuple[Entry, float]]) -> str:
    named = "; ".join(entry.label for entry, _ in closest)
    return (
        "No entry of Schedules I to III matches this description, so regulation 6(1) requires no EC, IEE "
        f"or EIA; the closest entries are: {named}. Under regulation 6(2) the Agency may still order an "
        "EC, IEE or EIA for any project, with reasons, on the Advisory Committee's written recommendation."
    )
