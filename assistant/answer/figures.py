"""The kind of figure a question asks for (a count, a sum, a period, a figure in a unit, a date,
a limit), and whether a text gives it: an answer that does not is withheld, and the composer
prefers sentences that do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.question import asking_sentence
from assistant.answer.types import MARKER
from assistant.keyword import tokenize
from assistant.retrieval import ABBREVIATIONS

_AMOUNT_QUESTION = re.compile(
    r"\b(?:how much|what)\b.{0,40}\b(?P<paid>fees?|fines?|penalt\w*|charges?|costs?|prices?|tariffs?|rates?|pay|paid|"
    r"spend|spent|invest\w*|budget|funding|amount|money)\b|\bhow much (?:does|do|did|will|would|is|are)\b.{0,40}\b(?:cost|charge|pay|spend)",
    re.IGNORECASE,
)
# What a sum is for, when the question says: "how much is the appeal fee" is not answered by a
# sentence that gives a fine. Generic words ("amount", "money", "pay") name nothing in particular.
_PAID_FOR = {
    "fee": "fee fees",
    "fine": "fine fines penalty penalties punishable",
    "penalt": "fine fines penalty penalties punishable",
    "charg": "charge charges fee fees",
    "cost": "cost costs invest investment price",
    "price": "price prices cost costs",
    "tariff": "tariff tariffs",
    "rate": "rate rates",
    "budget": "budget budgets fund funding",
    "fund": "fund funding budget grant",
    "invest": "invest investment invested",
    "spend": "spend spent cost costs invest investment",
    "spent": "spend spent cost costs invest investment",
}
_NUMBER_WORD = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|thousand|million|dozen)"
)
_AMOUNT = re.compile(
    rf"\brs\b\.?|\brupees?\b|\bpkr\b|\busd\b|\$|€|\beuros?\b|\bdollars?\b|\b{_NUMBER_WORD}\s+(?:million|billion|thousand|lakh|crore)\b",
    re.IGNORECASE,
)
_HOW_MANY = re.compile(r"\bhow many\s+((?:[\w-]+\s*){1,3})", re.IGNORECASE)
_COUNT_SKIP = frozenset(
    {"of", "the", "a", "an", "does", "do", "did", "is", "are", "has", "have", "can", "must", "will", "would", "should", "may"}
)
_NUMBER_TOKEN = re.compile(rf"^\(?{_NUMBER_WORD}\)?$", re.IGNORECASE)


_DURATION_QUESTION = re.compile(r"\bhow (?:long|soon|quickly|often)\b|\bby when\b|\bdeadline\b|\btime limit\b", re.IGNORECASE)
# A period ("within four months", "30 days") or, for "how often", a frequency ("every June and
# December", "quarterly", "once a year").
_DURATION = re.compile(
    rf"\b{_NUMBER_WORD}\)?[\s-]+(?:\([\d,.]+\)\s+)?(?:calendar\s+)?(?:days?|weeks?|months?|years?|hours?)\b"
    r"|\b(?:every|each|once a|twice a)\s+(?:\w+\s+)?(?:day|week|month|quarter|year|january|february|march|april|may|june|"
    r"july|august|september|october|november|december)\b|\b(?:daily|weekly|monthly|quarterly|annually|yearly|biennially)\b",
    re.IGNORECASE,
)
# Units a question can ask a figure in ("in dB", "what percentage", "per tonne", "what megawatt
# threshold"): name -> (how a question says it, how an answer states a figure in it).
_FIGURE = r"\d[\d,.]*\)?\s*"
_UNITS = {
    "per cent": (r"percent(?:age)?s?|per\s?cent|%", rf"{_FIGURE}(?:%|per\s?cent|percent)"),
    "dB": (r"dB(?:\(?A\)?)?|decibels?", rf"{_FIGURE}(?:dB|decibels?)\b"),
    "mg/kg": (r"mg\s*/\s*kg", rf"{_FIGURE}(?:mg\s*/\s*kg|ppm)\b"),
    "tonnes": (r"(?:metric\s+)?(?:tonnes?|tons?)", rf"{_FIGURE}(?:metric\s+)?(?:tonnes?|tons?)\b|\bper\s+(?:metric\s+)?(?:tonne|ton)\b"),
    "MW": (r"MW|megawatts?", rf"{_FIGURE}(?:MW|megawatts?)\b"),
    "euros": (r"euros?|EUR|€", rf"(?:€|EUR|euros?)\s*\d|{_FIGURE}(?:million\s+|billion\s+)?(?:€|EUR\b|euros?\b)"),
    "US dollars": (r"(?:US\s+)?dollars?|USD|US\$", rf"(?:US\$|\$|USD)\s*\d|{_FIGURE}(?:million\s+|billion\s+)?(?:USD\b|(?:US\s+)?dollars?\b)"),
    "hectares": (r"hectares?|ha|acres?", rf"{_FIGURE}(?:hectares?|ha|acres?)\b"),
}
_UNIT_ASKED = {
    name: re.compile(
        rf"\b(?:in|per|what|which|how many)\s+(?:(?:maximum|minimum|capital|total|annual|the)\s+)?(?:{asked})(?![\w/])", re.IGNORECASE
    )
    for name, (asked, _) in _UNITS.items()
}
_UNIT_STATED = {name: re.compile(stated, re.IGNORECASE) for name, (_, stated) in _UNITS.items()}
# A date is asked for when the question asks when something happened, not when it is due
# ("when was our EIA supposed to be decided?" wants a time limit, not a year).
_DATE_QUESTION = re.compile(
    r"\b(?:(?:on|by|from) what date|what date|which date|what year|which year|in what year"
    r"|when (?:did|was|were|had)\b(?:\s+[\w'’-]+){0,8}?\s+(?:adopt|sign|ratif|pass|enact|establish|set up|creat|found|enter"
    r"|come|came|take|took|publish|notif|amend|launch|start|began|begin|form|held|hold|meet|met|join|acced|approv)\w*)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
# "Sindh Environmental Protection Act 2014" names a law; it does not say when something happened.
_NAMED_YEAR = re.compile(r"\b(?:Act|Ordinance|Rules|Regulations|Guidelines|Policy|Standards|SEQS|NEQS)\s*,?\s*(?:of\s+)?(?:1[89]|20)\d{2}\b")
# A limit is asked for when the question asks for the limit of a substance or level ("what is
# the SEQS limit for phosphate?", "the permitted noise level"), not "the limits on the Agency's
# powers" or "the minimum content of an EIA".
_LIMIT_QUESTION = re.compile(
    r"\bwhat (?:is|are) the (?:[\w-]+ ){0,3}(?:limits?|thresholds?) (?:for|on|in)\b(?=.*\b(?:seqs|neqs|effluents?|emissions?|discharg\w*|wastewater|concentration|mg/l|ppm)\b)"
    r"|\b(?:maximum|minimum|permissible|permitted|allowed) (?:[\w.-]+ ){0,3}(?:count|level|concentration|value)s?\b"
    r"|\bwhat (?:maximum|minimum|concentration|threshold)\b",
    re.IGNORECASE,
)
_SECTION_NUMBER = re.compile(
    r"\b(?:sections?|articles?|annex(?:es)?|paragraphs?|sub-sections?|clauses?|rules?|part|schedule|row|entry)(?:(?:\s+|\s*,\s*|\s+(?:or|and|to)\s+|\s*[–-]\s*)\(?[\dIVX]+[A-Z]?\)?(?:\([\w.]+\))*)+"
    r"|\b\d+[A-Z]?(?:\([\w.]+\))+|\(\d{1,3}\)",
    re.IGNORECASE,
)
_ANY_NUMBER = re.compile(rf"\b{_NUMBER_WORD}\b", re.IGNORECASE)


@dataclass(frozen=True)
class AskedFigure:
    """The kind of figure a question asks for: a count of something ('how many days'), a sum of
    money ('how much is the fee', with what it is for), a period ('how long', 'by when'), a
    figure in a unit ('in dB', 'what percentage'), a date ('when did ... enter into force'), a
    limit ('what is the maximum ...'). Worked out once per question."""

    counted: frozenset[str] = frozenset()
    amount: bool = False
    paid_for: frozenset[str] = frozenset()
    period: bool = False
    units: tuple[str, ...] = ()
    dated: bool = False
    limit: bool = False

    @classmethod
    def of(cls, question: str) -> AskedFigure:
        asked = asking_sentence(question)
        units = tuple(name for name, pattern in _UNIT_ASKED.items() if pattern.search(asked))
        # "what percentage of the fine" asks for a percentage, not a sum of money.
        amount = None if units else _AMOUNT_QUESTION.search(asked)
        paid = (amount.group("paid") or "").lower() if amount else ""
        paid_for = next((words for stem, words in _PAID_FOR.items() if paid.startswith(stem)), "")
        return cls(
            counted=counted_terms(asked),
            amount=bool(amount),
            paid_for=frozenset(tokenize(paid_for)),
            period=bool(_DURATION_QUESTION.search(asked)),
            units=units,
            dated=bool(_DATE_QUESTION.search(asked)),
            limit=bool(_LIMIT_QUESTION.search(asked)),
        )

    def given_by(self, text: str) -> bool:
        """Whether text gives every figure asked for (true when none is); a sum must be stated in
        the same sentence as what it is for. Citation markers and section numbers are no figures."""
        pieces = [piece for piece in MARKER.split(text) if piece.strip() and not piece.isdigit()] or [text]
        said = " ".join(pieces)
        return (
            (not self.counted or states_count(said, self.counted))
            and (not self.amount or any(self._states_sum(piece) for piece in pieces))
            and all(_UNIT_STATED[unit].search(said) for unit in self.units)
            and (not self.dated or bool(_YEAR.search(_NAMED_YEAR.sub("", said))))
            and (not self.limit or bool(_ANY_NUMBER.search(_SECTION_NUMBER.sub("", said))))
        )

    def _states_sum(self, sentence: str) -> bool:
        return bool(_AMOUNT.search(sentence)) and (not self.paid_for or bool(self.paid_for & set(tokenize(sentence))))

    @property
    def missing(self) -> str:
        """What an answer must give, in words, for the reply that withholds one."""
        if self.units:
            return f"figure in {' and '.join(self.units)}"
        if self.dated:
            return "date"
        if self.amount:
            return "amount"
        return "figure"

    @property
    def asks(self) -> bool:
        """Whether the question asks for any figure at all."""
        return bool(self.counted or self.amount or self.units or self.dated or self.limit or self.period)

    def favours(self, text: str) -> bool:
        """Whether text holds the kind of figure asked for, period included (for sentence choice)."""
        asked = bool(self.counted or self.amount or self.units or self.dated or self.limit)
        return (asked and self.given_by(text)) or (self.period and bool(_DURATION.search(text)))


def counted_terms(question: str) -> frozenset[str]:
    """The stems of what 'how many X' counts: 'how many days SEPA has' -> {day}; with its
    qualifier when the first word is one: 'how many CP centres' -> {cleaner, product, centr}."""
    match = _HOW_MANY.search(question)
    if not match:
        return frozenset()
    words = [w for w in match.group(1).split() if w.lower() not in _COUNT_SKIP]
    if not words:
        return frozenset()
    first = words[0]
    if first.lower() in ABBREVIATIONS or first.lower().endswith(("al", "ed")):
        return frozenset(tokenize(f"{ABBREVIATIONS.get(first.lower(), first)} {' '.join(words[1:2])}"))
    return frozenset(tokenize(first))


def states_count(text: str, counted: frozenset[str]) -> bool:
    """A number followed within four words by what is counted ('within sixty (60) days')."""
    tokens = text.split()
    return any(
        _NUMBER_TOKEN.match(token.strip(",.;:")) and counted & set(tokenize(" ".join(tokens[i + 1 : i + 5])))
        for i, token in enumerate(tokens)
    )
