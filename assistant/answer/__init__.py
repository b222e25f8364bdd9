"""Compose a cited answer from retrieved passages, or abstain when the evidence is weak.

Extractive by default: sentences are taken word for word from the top passages, so every
claim is one a passage makes, and each is followed by the [n] of that passage. Sentence choice
is lexical (IDF-weighted overlap with the question, bonuses for the figures and definitions a
question asks for) plus the passage's retrieval rank, with near-duplicates dropped (MMR).
Abstention looks at the retrieval evidence: dense similarity of the best passage, how much of
the question's vocabulary the top passages cover, and how much of it the corpus never uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.followup import FOLLOWING
from assistant.keyword import KeywordIndex, tokenize
from assistant.passages import Passage, section_id
from assistant.retrieval import _WORD, ABBREVIATIONS, Hit, expand_query, strip_frame

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[A-Z0-9-])")
_ABBREVIATION_END = re.compile(r"\b(?:No|Nos|Art|Arts|s|ss|e\.g|i\.e|etc|Mr|Dr|para|paras|Rs|cf|vs|viz|St)\.$")
_NUMBER_QUESTION = re.compile(
    r"\b(how (?:much|many|long|soon|often)|limit|fine|penalt|deadline|within|days?|months?|years?|when|what year|since when|number|amount|percent|mg/l|rupees|imprison)",
    re.IGNORECASE,
)
_DEFINITION_QUESTION = re.compile(r"\b(what (?:is|are|does)|define|definition|meaning|means|stand for)\b", re.IGNORECASE)
_HAS_NUMBER = re.compile(r"\d")
_DEFINES = re.compile(r"(\bmeans\b|\bis defined\b|\brefers to\b|\" —|” —|\bis the\b)", re.IGNORECASE)

_REFERENCE = re.compile(r"\[(\d+)\]")

MAX_ANSWER_WORDS = 120
MAX_SENTENCES = 4
MIN_SENTENCE_WORDS = 8
HEADING_LIKE = 0.7
DEFINES_TERM_BONUS = 0.5
RANK_PRIOR = 0.25
SCORE_FLOOR = 0.4
MAX_PER_PASSAGE = 1
LONG_SENTENCE = 50
MIN_CLAUSE_WORDS = 12
HEADING_MAX_WORDS = 16
_CLAUSE_END = re.compile(r"(?<=[;:])\s+")
# "Sindh Environmental Protection Act 2014, section 18." / "Basel Convention, Article 6(1)–(4),":
# the digests open each section with where it is. It is quoted, but it is not what a sentence
# says: scored, it made every section's first sentence match any question naming SEPA or Basel.
_LABEL = re.compile(
    r"^[A-Z][^,.;:?!]{2,70},\s+(?:sections?|articles?|annex(?:es)?|part)\s+[0-9A-Z][\w().–-]*[.,]?\s*",
    re.IGNORECASE,
)


@dataclass
class Citation:
    """A passage the answer cites, numbered by first use, with the sentences taken from it."""

    n: int
    hit: Hit
    sentences: list[str] = field(default_factory=list)

    @property
    def passage(self) -> Passage:
        return self.hit.passage


@dataclass
class Evidence:
    """The retrieval signals abstention decides on (all in [0, 1]).

    dense: best cosine similarity among the top passages; coverage: IDF-weighted share of the
    question's terms found in the top passages; sentence: the same share within the best single
    sentence (with its heading); unknown: the share of the asking sentence's terms that the
    corpus never uses at all.
    """

    dense: float
    coverage: float
    unknown: float
    sentence: float = 0.0

    def score(self, weights: tuple[float, float, float, float]) -> float:
        """Support for answering: a weighted sum, weights (dense, coverage, sentence, unknown)."""
        dense, coverage, sentence, unknown = weights
        return dense * self.dense + coverage * self.coverage + sentence * self.sentence - unknown * self.unknown


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    related: list[Hit] = field(default_factory=list)
    evidence: Evidence | None = None
    query: str = ""
    composer: str = "extractive"
    note: str = ""


@dataclass
class Unit:
    """A quotable piece of a passage: a sentence, or one clause of a long enumerating sentence.

    `text` is verbatim; `quote` marks with … where a clause was cut from its sentence. `heading`
    is the heading the piece sits under, which in a passage that merged several short sections
    is the inner heading, not the passage's first one.
    """

    text: str
    heading: str
    position: int
    cut_before: bool = False
    cut_after: bool = False

    @property
    def quote(self) -> str:
        return f"{'… ' if self.cut_before else ''}{self.text}{' …' if self.cut_after else ''}"

    @property
    def says(self) -> str:
        """The text without its leading location label, which is what scoring looks at."""
        return _LABEL.sub("", self.text, count=1) if not self.cut_before else self.text


@dataclass
class _Sentence:
    unit: Unit
    hit: Hit
    tokens: set[str]
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.unit.text

    @property
    def position(self) -> int:
        return self.unit.position


def split_sentences(text: str) -> list[str]:
    """Sentences of a text; each line (a list item, say) ends a sentence too."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        pieces = _SENTENCE_END.split(line)
        merged: list[str] = []
        for piece in pieces:
            if merged and _ABBREVIATION_END.search(merged[-1]):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        sentences.extend(piece.strip() for piece in merged if piece.strip())
    return sentences


_FILLER = frozenset(
    tokenize(
        "caller asks asked ask want wants wanted need needs just like know tell us our we company firm unit "
        "factory mill plant simple simply terms please explain mean means really actually still get give "
        "does which what whether there here someone somebody anyone kind sort"
    )
)


_DEFINITION_OF = re.compile(
    r"^(?:what (?:is|are) (?:an? |the )?|define (?:an? |the )?|what does (?:an? |the )?|meaning of (?:an? |the )?"
    r"|how does .{3,60}? define (?:an? |the )?)(?P<term>[\w\s'-]{2,60}?)(?: mean)?\s*\??$",
    re.IGNORECASE,
)


def defined_term(question: str) -> str | None:
    """The X of 'What is X?', 'Define X', 'How does the law define X?'."""
    match = _DEFINITION_OF.search(question.strip())
    return " ".join(match.group("term").split()) if match else None


def passage_sentences(passage: Passage) -> list[str]:
    """A table record is quoted whole: a fragment of its notes means nothing without the row."""
    if passage.section_id and passage.section_id.startswith("row "):
        return [passage.text]
    return split_sentences(passage.text)


def is_heading(line: str) -> bool:
    """An inner heading line ('Article 2 — Definitions', '2.4.5 ILES implementation ...')."""
    return section_id(line) is not None and len(line.split()) <= HEADING_MAX_WORDS and not line.endswith(".")


def clauses(sentence: str) -> list[tuple[int, int]]:
    """(start, end) spans of a long sentence's clauses, split after ';' and ':'.

    A clause shorter than MIN_CLAUSE_WORDS, or one that ends in ':' (a lead-in such as "give
    evidence on four criteria:"), joins the next one. Short sentences come back whole.
    """
    if len(sentence.split()) <= LONG_SENTENCE:
        return [(0, len(sentence))]
    cuts = [match.start() for match in _CLAUSE_END.finditer(sentence)] + [len(sentence)]
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in cuts:
        piece = sentence[start:cut]
        if cut != len(sentence) and (len(piece.split()) < MIN_CLAUSE_WORDS or piece.endswith(":")):
            continue
        spans.append((start, cut))
        start = cut
    if len(spans) > 1 and len(sentence[spans[-1][0] : spans[-1][1]].split()) < MIN_CLAUSE_WORDS:
        spans[-2:] = [(spans[-2][0], spans[-1][1])]
    return [(a + len(sentence[a:b]) - len(sentence[a:b].lstrip()), b) for a, b in spans]


def _sentence_groups(passage: Passage) -> list[str]:
    """The passage's sentences, a short one ("The Convention has two linked aims.") joined
    verbatim to the sentence after it on the same line, so a lead-in is quoted with its point."""
    groups: list[str] = []
    text, cursor, start, end, open_group = passage.text, 0, -1, -1, False
    for sentence in split_sentences(text):
        found = text.find(sentence, cursor)
        if found < 0:
            found, open_group = cursor, False
        same_line = open_group and "\n" not in text[end:found]
        if same_line and not is_heading(sentence):
            end = found + len(sentence)
        else:
            if start >= 0:
                groups.append(text[start:end])
            start, end = found, found + len(sentence)
        cursor = found + len(sentence)
        open_group = len(sentence.split()) < MIN_SENTENCE_WORDS and not is_heading(sentence)
    if start >= 0:
        groups.append(text[start:end])
    return groups


def answer_units(passage: Passage) -> list[Unit]:
    """The pieces of a passage an answer may quote, in document order, each under its heading."""
    if passage.section_id and passage.section_id.startswith("row "):
        return [Unit(passage.text, passage.context_line, 0)]
    heading = passage.context_line
    units: list[Unit] = []
    for sentence in _sentence_groups(passage):
        if is_heading(sentence):
            heading = f"{passage.title} > {sentence}"
            continue
        for start, end in clauses(sentence):
            units.append(
                Unit(sentence[start:end], heading, len(units), cut_before=start > 0, cut_after=end < len(sentence))
            )
    return units


def named_concepts(question: str) -> list[re.Pattern[str]]:
    """Patterns for the abbreviations the question uses, in short or long form: a sentence that
    names "environmental impact assessment" is about an EIA; one that has "environmental",
    "impact" and "assessment" apart ("... an environmental impact ... strategic environmental
    assessment") may not be."""
    patterns = []
    for word in dict.fromkeys(_WORD.findall(question)):
        long_form = ABBREVIATIONS.get(word.lower())
        if long_form and word.isupper() and len(long_form.split()) > 1:
            spelled = r"\s+".join(map(re.escape, long_form.split()))
            patterns.append(re.compile(rf"\b(?:{re.escape(word)}|{spelled})\b", re.IGNORECASE))
    return patterns


_CODE_NUMBER = re.compile(r"\b[A-Za-z]{1,6}-(\d{2,6})\b")


def question_terms(question: str) -> list[str]:
    """The content terms (stemmed) of the question with its abbreviations spelled out.

    Conversational filler, the user's own figures ("180 mg/L") and the abbreviations themselves
    (their long forms are counted instead) say nothing about whether the corpus covers it; the
    number of a code such as "UV-328" does.
    """
    expanded = expand_query(question)
    codes = set(_CODE_NUMBER.findall(question))
    return [
        term
        for term in dict.fromkeys(tokenize(expanded))
        if term not in _FILLER and (not term.isdigit() or term in codes) and term not in ABBREVIATIONS
    ]


def term_weights(question: str, keyword: KeywordIndex) -> dict[str, float]:
    """IDF weight per question term. The words a spelled-out abbreviation brings in weigh, all
    together, what its rarest word weighs: "SEPA" is one idea, not four words ("Sindh
    Environmental Protection Agency") that every section of the Act repeats."""
    own = set(tokenize(question))
    weights = {term: keyword.idf(term) for term in question_terms(question)}
    for long_form in expand_query(question)[len(question) :].strip(" ()").split("; "):
        words = [w for w in dict.fromkeys(tokenize(long_form)) if w in weights and w not in own]
        total = sum(weights[w] for w in words)
        if len(words) > 1 and total:
            scale = max(weights[w] for w in words) / total
            for word in words:
                weights[word] *= scale
    return weights


def asking_sentence(question: str) -> str:
    """The sentence that asks ("Is that permitted?"), without a "Caller asks" opening.

    Users set the scene in their own words first ("We process shrimp near Fish Harbour."); those
    words being absent from the corpus says nothing about whether it covers what is asked.
    """
    if FOLLOWING in question:
        return question
    sentences = split_sentences(question) or [question]
    asks = [sentence for sentence in sentences if sentence.rstrip().endswith("?")]
    return strip_frame(asks[-1] if asks else sentences[-1])


def assess(question: str, hits: list[Hit], keyword: KeywordIndex, depth: int = 3) -> Evidence:
    """How well the top passages and the corpus as a whole cover what the question asks.

    Coverage is measured on the asking sentence: in "We process shrimp near Fish Harbour. Is
    there a CP case study of a seafood plant?" the scene is the user's, the question is ours.
    """
    asked = asking_sentence(question)
    weights = term_weights(asked, keyword)
    if not weights:
        asked, weights = question, term_weights(question, keyword)
    if not hits or not weights:
        return Evidence(dense=0.0, coverage=0.0, unknown=1.0 if weights else 0.0)
    total = sum(weights.values()) or 1.0

    def share(tokens: set[str]) -> float:
        return sum(weight for term, weight in weights.items() if term in tokens) / total

    top_tokens: set[str] = set()
    best_sentence = 0.0
    for hit in hits[:depth]:
        top_tokens.update(tokenize(hit.passage.indexed_text))
        context = set(tokenize(hit.passage.context_line))
        for sentence in passage_sentences(hit.passage):
            best_sentence = max(best_sentence, share(set(tokenize(sentence)) | context))
    own_words = set(tokenize(asked))
    unknown = sum(weight for term, weight in weights.items() if term in own_words and term not in keyword.document_frequency)
    return Evidence(
        dense=round(max((hit.dense or 0.0) for hit in hits[:depth]), 4),
        coverage=round(share(top_tokens), 4),
        unknown=round(unknown / total, 4),
        sentence=round(best_sentence, 4),
    )


_OTHER_JURISDICTIONS = {
    "Punjab": r"punjab|lahore|faisalabad|rawalpindi|multan|gujranwala|sialkot",
    "Khyber Pakhtunkhwa": r"khyber|pakhtunkhwa|kpk?|peshawar|mardan|abbottabad",
    "Balochistan": r"balochistan|baluchistan|quetta|gwadar",
    "Islamabad Capital Territory": r"islamabad|ict",
    "Gilgit-Baltistan": r"gilgit|baltistan",
    "Azad Jammu and Kashmir": r"azad|ajk|muzaffarabad",
}
_JURISDICTION_PATTERNS = {
    name: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE) for name, pattern in _OTHER_JURISDICTIONS.items()
}


_CAPITALISED = r"[A-Z][A-Za-z0-9'’&.-]*[A-Za-z0-9]"
_CONNECTORS = ("of", "and", "for", "on", "the")
_NAME = re.compile(rf"{_CAPITALISED}(?:\s+(?:(?:{'|'.join(_CONNECTORS)})\s+)?{_CAPITALISED})+")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}s?(?:\s+\d{4,5})?\b")
_POSSESSIVE = re.compile(r"['’]s\b")
# What makes a capitalised run the name of a thing the corpus would have to cover; places,
# people and firms ("Korangi Creek", "Port Qasim") are where or who, not what is asked about.
_INSTRUMENT = re.compile(
    r"\b(?:Acts?|Agency|Agreements?|Amendments?|Authority|Bank|Board|Cent(?:re|er)s?|Certification|Code|Commission|"
    r"Committees?|Contributions?|Conventions?|Council|Courts?|Departments?|Directives?|Directorates?|Funds?|"
    r"Guidelines?|Institutes?|Ministry|Module|Ordinance|Organi[sz]ation|Plans?|Polic(?:y|ies)|Programm?es?|"
    r"Projects?|Protocols?|Registers?|Regulations?|Rules|Schemes?|Standards?|Treat(?:y|ies)|Tribunals?)\b"
)
_NOT_NAMES = frozenset({"OK", "OKAY", "FYI", "ASAP", "PS", "NB", "RE", "FW", "FWD", "AM", "PM", "PKR", "USD", "RS", "II", "III", "IV"})


def names_asked_about(question: str) -> list[str]:
    """Names of instruments and bodies in the asking sentence ('Kyoto Protocol', 'IFC Performance
    Standards') and acronyms ('PSQCA', 'ISO 14001').

    The sentence's first word is capitalised anyway, so a run starting there drops it ('Does
    Stockholm Convention ...' -> 'Stockholm Convention'). Names in the scene-setting sentences
    are not what is asked about.
    """
    sentence = _POSSESSIVE.sub("", asking_sentence(question))
    names: list[str] = []
    for match in _NAME.finditer(sentence):
        words = match.group().split()
        if not sentence[: match.start()].strip():
            words = words[1:]
        while words and words[0].lower() in _CONNECTORS:
            words = words[1:]
        if len(words) >= 2 and _INSTRUMENT.search(" ".join(words)):
            names.append(" ".join(words))
    names += [
        match.group()
        for match in _ACRONYM.finditer(sentence)
        if match.group().upper() not in _NOT_NAMES and not any(match.group() in name for name in names)
    ]
    return list(dict.fromkeys(names))


_CONNECTOR = re.compile(rf"\s+(?:{'|'.join(_CONNECTORS)})\s+")


def unknown_name(question: str, keyword: KeywordIndex, mentions: Callable[[str], bool] | None = None) -> str | None:
    """A name the question asks about that no passage uses ('Kyoto Protocol', 'PSQCA').

    The corpus cannot say anything about a treaty, body or standard it never names, however
    well the rest of the question's words match. A name is unknown when one of its words is
    (an abbreviation counts as known when its long form is: 'SDS' -> safety data sheet), or,
    given `mentions`, when a multi-word part of it is used nowhere even without its first word
    ('Sindh Building Control Authority'; but 'Basel Ban Amendment' is known as 'Ban Amendment').
    """
    known = keyword.document_frequency
    for name in names_asked_about(question):
        for word in _WORD.findall(name):
            long_form = ABBREVIATIONS.get(word.lower())
            stems = tokenize(long_form) if long_form else tokenize(word)
            if stems and not all(stem in known for stem in stems):
                return name
        if mentions is None:
            continue
        for part in _CONNECTOR.split(name):
            words = part.split()
            if len(words) >= 2 and not mentions(part) and not (len(words) > 2 and mentions(" ".join(words[1:]))):
                return name
    return None


_RELATION = re.compile(r"\b(?:of|for|in|on|under|to|and|between|with|by|from)\b", re.IGNORECASE)
_ASKS_MEANING = re.compile(r"^(?:what (?:is|are)|define|meaning of)\b|\bmean\s*\??$", re.IGNORECASE)


def unused_term(question: str, mentions: Callable[[str], bool]) -> str | None:
    """The X of "What is X?" when no passage uses X: a corpus cannot define what it never says.

    Only a plain term of up to four words is checked ("eco-efficiency", "PIC Circular"), not
    "the objective of the Rotterdam Convention", whose words need not stand together.
    """
    term = defined_term(question) if _ASKS_MEANING.search(question.strip()) else None
    if term and len(term.split()) <= 4 and not _RELATION.search(term) and not mentions(term):
        return term
    return None


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
FIGURE_BONUS = 0.3
_DURATION_QUESTION = re.compile(r"\bhow (?:long|soon|quickly|often)\b|\bby when\b|\bdeadline\b|\btime limit\b", re.IGNORECASE)
_DURATION = re.compile(rf"\b{_NUMBER_WORD}\)?[\s-]+(?:\([\d,.]+\)\s+)?(?:calendar\s+)?(?:days?|weeks?|months?|years?|hours?)\b", re.IGNORECASE)
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
CONCEPT_BONUS = 0.1


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
        pieces = [piece for piece in _REFERENCE.split(text) if piece.strip() and not piece.isdigit()] or [text]
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


# Questions about the state of affairs now ("the current Director General", "how many has it
# notified so far", "when did the Council last meet"): the corpus is fixed texts, not a record.
_AS_OF = re.compile(
    r"\b(?:today['’]s|at present|right now|as of now|so far(?! as)|(?<!up )to date|most recent(?:ly)?|last (?:met|meet|meeting)"
    r"|current(?:ly)?\s+(?:[\w-]+\s+){0,2}(?:director|head|chair\w*|minister|secretary|officials?|officers?|members?|name))\b",
    re.IGNORECASE,
)


def asks_as_of_now(question: str) -> str | None:
    """The words that ask what is the case now, if the asking sentence has them."""
    match = _AS_OF.search(asking_sentence(question))
    return match.group() if match else None


def other_jurisdiction(question: str, hits: list[Hit]) -> str | None:
    """A Pakistani province or territory the question names but the cited passages do not.

    Sindh's law must not be quoted as if it answered a question about Punjab's: the corpus
    covers Sindh, Pakistan as a whole and the conventions, so such a question is abstained on.
    """
    for name, pattern in _JURISDICTION_PATTERNS.items():
        if pattern.search(question) and not any(pattern.search(hit.passage.text) for hit in hits[:3]):
            return name
    return None


_ROW_PARAMETER = re.compile(r"^parameter:\s*([^;]+)", re.IGNORECASE)
_ROW_QUALIFIERS = frozenset(tokenize("total free"))


def names_row_parameter(passage: Passage, asked_words: set[str]) -> bool:
    """A table row gives the limit only for its own parameter: the COD row is no answer to "what
    is the limit for phosphate?", however many of its other words ("SEQS", "effluent") match.
    True for passages that are not table rows."""
    match = _ROW_PARAMETER.match(passage.text) if passage.section_id and passage.section_id.startswith("row ") else None
    if match is None:
        return True
    named = {word for word in tokenize(match.group(1)) if len(word) > 2 and word not in _ROW_QUALIFIERS}
    return bool(named & asked_words)


class ExtractiveComposer:
    """Picks the sentences that answer the question and cites each one's passage."""

    def __init__(self, passages_used: int = 4) -> None:
        self.passages_used = passages_used

    def run(self, question: str, hits: list[Hit], keyword: KeywordIndex) -> tuple[str, list[Citation]]:
        candidates = self._candidates(question, hits[: self.passages_used], keyword)
        return _render(self._select(candidates), hits)

    def _candidates(self, question: str, hits: list[Hit], keyword: KeywordIndex) -> list[_Sentence]:
        weights = term_weights(question, keyword)
        total = sum(weights.values()) or 1.0
        wants_number = bool(_NUMBER_QUESTION.search(question))
        figure = AskedFigure.of(question)
        concepts = named_concepts(question)
        wants_definition = bool(_DEFINITION_QUESTION.search(question))
        term = defined_term(question)
        quoted_term = re.compile(rf"[\"“]{re.escape(term)}[\"”]", re.IGNORECASE) if term else None
        candidates = []
        asked_words = set(tokenize(expand_query(question)))
        for rank, hit in enumerate(hits):
            if figure.limit and not names_row_parameter(hit.passage, asked_words):
                continue
            for unit in answer_units(hit.passage):
                text = unit.says
                if len(text.split()) < MIN_SENTENCE_WORDS and hit.passage.doc_type != "standard":
                    continue
                tokens = set(tokenize(text))
                context = set(tokenize(unit.heading))
                if tokens and len(tokens & context) / len(tokens) > HEADING_LIKE and hit.passage.doc_type != "standard":
                    continue
                overlap = sum(w for t, w in weights.items() if t in tokens) / total
                in_heading = sum(w for t, w in weights.items() if t in context and t not in tokens) / total
                score = overlap + 0.3 * in_heading + RANK_PRIOR / (1 + rank)
                if wants_number and _HAS_NUMBER.search(text):
                    score += 0.15
                if figure.favours(text):
                    score += FIGURE_BONUS
                if concepts and any(concept.search(text) for concept in concepts):
                    score += CONCEPT_BONUS
                if wants_definition and _DEFINES.search(text):
                    score += 0.1
                if quoted_term is not None and quoted_term.search(text):
                    score += DEFINES_TERM_BONUS
                if unit.position == 0:
                    score += 0.05
                candidates.append(_Sentence(unit, hit, tokens, score))
        return candidates

    def _select(self, candidates: list[_Sentence]) -> list[_Sentence]:
        """Greedy MMR: best score first, skipping near-duplicates, within the word budget."""
        chosen: list[_Sentence] = []
        words = 0
        remaining = sorted(candidates, key=lambda s: -s.score)
        if not remaining:
            return []
        floor = remaining[0].score * SCORE_FLOOR
        for sentence in remaining:
            if sentence.score < floor or len(chosen) >= MAX_SENTENCES:
                break
            length = len(sentence.text.split())
            if chosen and words + length > MAX_ANSWER_WORDS:
                continue
            if sum(other.hit is sentence.hit for other in chosen) >= MAX_PER_PASSAGE:
                continue
            if any(_jaccard(sentence.tokens, other.tokens) > 0.6 for other in chosen):
                continue
            chosen.append(sentence)
            words += length
        return chosen


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _render(chosen: list[_Sentence], hits: list[Hit]) -> tuple[str, list[Citation]]:
    """Order: the best sentence's passage first, each passage's sentences in document order."""
    best_by_passage: dict[str, float] = {}
    for sentence in chosen:
        key = sentence.hit.passage.id
        best_by_passage[key] = max(best_by_passage.get(key, 0.0), sentence.score)
    ordered = sorted(chosen, key=lambda s: (-best_by_passage[s.hit.passage.id], s.position))
    citations: dict[str, Citation] = {}
    parts = []
    for sentence in ordered:
        key = sentence.hit.passage.id
        if key not in citations:
            citations[key] = Citation(n=len(citations) + 1, hit=sentence.hit)
        citations[key].sentences.append(sentence.text)
        quoted = _REFERENCE.sub(r"(ref. \1)", sentence.unit.quote)
        parts.append(f"{quoted} [{citations[key].n}]")
    return " ".join(parts), list(citations.values())
