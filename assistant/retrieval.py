"""Query -> ranked Hits: dense top-N and BM25 top-N, fused by weighted reciprocal rank.

MiniLM alone is weak on legal text and BM25 alone misses paraphrases, so both run and their
ranks are fused (weights and k are settings, tuned with `cpassist eval`). A question in Urdu
script or Roman Urdu is searched as its English gloss (assistant/language.py) by both, and by
the multilingual E5 vectors as written, a third list in the fusion; an English question never
touches that path. Filters apply inside every search, so a filtered query still gets a full
candidate list. Passages of repealed
instruments are left out unless the question asks about the old rules or what changed.
Reading the candidates with the question is the next step's job (assistant/judge).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from assistant.index import Index, Snapshot
from assistant.language import ENGLISH, Reading, detect, read
from assistant.passages import Passage
from assistant.query_adapter import QueryAdapter, adapted, load_adapter
from assistant.settings import Settings

log = logging.getLogger(__name__)

WINDOWS_PER_PASSAGE = 4


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to some document types, jurisdictions or documents (empty = all)."""

    doc_types: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.doc_types or self.jurisdictions or self.doc_ids)

    def allows(self, passage: Passage) -> bool:
        return (
            (not self.doc_types or passage.doc_type in self.doc_types)
            and (not self.jurisdictions or passage.jurisdiction in self.jurisdictions)
            and (not self.doc_ids or passage.doc_id in self.doc_ids)
        )

    def allows_type(self, doc_type: str) -> bool:
        return not self.doc_types or doc_type in self.doc_types

    def where(self) -> dict | None:
        """The same filter as a Chroma where clause."""
        clauses = [
            {key: {"$in": list(values)}}
            for key, values in (("doc_type", self.doc_types), ("jurisdiction", self.jurisdictions), ("doc_id", self.doc_ids))
            if values
        ]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class Hit:
    """A retrieved passage with its fused score and what each side saw."""

    passage: Passage
    score: float
    rank: int = 0
    dense: float | None = None
    keyword: float | None = None
    dense_rank: int | None = None
    keyword_rank: int | None = None
    multilingual: float | None = None
    multilingual_rank: int | None = None
    adapted_rank: int | None = None
    fused_rank: int | None = None
    judge: float | None = None

    @property
    def list_ranks(self) -> dict[str, int]:
        """Its rank in each list that found it: which search to look at when it is missing or low."""
        ranks = {
            "dense": self.dense_rank, "keyword": self.keyword_rank, "adapted": self.adapted_rank,
            "multilingual": self.multilingual_rank,
        }
        return {name: rank for name, rank in ranks.items() if rank is not None}


@dataclass
class Query:
    """What the searches run on: the user's text plus expansions of its abbreviations; for a
    question in Urdu, its language, the English it is searched as, and its multilingual vector."""

    text: str
    expanded: str = ""
    vector: list[float] = field(default_factory=list)
    reading: Reading = field(default_factory=lambda: Reading(ENGLISH))
    multilingual_vector: list[float] = field(default_factory=list)
    adapted_vector: list[float] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.reading.language

    @property
    def english(self) -> str:
        """The question in English words: as written, or the gloss of an Urdu one."""
        return self.text if self.reading.english else self.reading.searched_as


class Retriever:
    """One retrieval step with a typed run(): query text in, ranked Hits out."""

    def __init__(self, index: Index, settings: Settings | None = None, adapter: QueryAdapter | None = None) -> None:
        self.index = index
        self.settings = settings or index.settings
        self.adapter = adapter or load_adapter()

    def prepare(self, text: str) -> Query:
        if detect(text) != ENGLISH:
            return self._prepare_urdu(text)
        vector = self.index.embedder.embed_query(expand_query(strip_frame(text)))
        return Query(text=text, expanded=expand_query(text), vector=vector, adapted_vector=self._adapted(vector))

    def _adapted(self, vector: list[float]) -> list[float]:
        """The question vector moved by the query adapter, when it was trained for this embedder
        and this corpus; [] otherwise, and then only the plain vector searches."""
        if not self.settings.adapted_weight or self.adapter is None:
            return []
        snapshot = self.index.snapshot()
        if snapshot is None or not self.adapter.fits(self.index.embedder, set(snapshot.files)):
            return []
        return adapted(vector, self.adapter)

    def _prepare_urdu(self, text: str) -> Query:
        """BM25 and MiniLM read the English gloss (none when nothing could be glossed); E5 reads
        the question as written, when the index has the multilingual set."""
        snapshot = self.index.snapshot()
        reading = read(text, snapshot.vocabulary if snapshot else None)
        english = reading.searched_as
        weight = self.settings.multilingual_weights.get(reading.language, 0.0)
        vector = self.index.embedder.embed_query(expand_query(english)) if english else []
        return Query(
            text=text,
            expanded=expand_query(english) if english else "",
            vector=vector,
            adapted_vector=self._adapted(vector),
            reading=reading,
            multilingual_vector=(
                self.index.multilingual_embedder.embed_query(text) if weight and snapshot and snapshot.multilingual else []
            ),
        )

    def run(self, text: str, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        return self.run_query(self.prepare(text), k, filters)

    def run_query(self, query: Query, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        snapshot = self.index.snapshot()
        if snapshot is None or not snapshot.passages or not query.text.strip():
            return []
        k = k or self.settings.top_k
        filters = filters or Filters()
        n = max(self.settings.candidates, k)
        dense = self._nearest(snapshot, snapshot.collection, query.vector, n, filters, WINDOWS_PER_PASSAGE) if query.vector else []
        allowed = {i for i, p in snapshot.passages.items() if filters.allows(p)} if filters else None
        keyword = snapshot.keyword.search(query.expanded, n, allowed)
        multilingual = []
        if query.multilingual_vector and snapshot.multilingual:
            multilingual = self._nearest(snapshot, snapshot.multilingual, query.multilingual_vector, n, filters, 1)
        moved = []
        if query.adapted_vector:
            moved = self._nearest(snapshot, snapshot.collection, query.adapted_vector, n, filters, WINDOWS_PER_PASSAGE)
        weight = self.settings.multilingual_weights.get(query.language, 0.0)
        hits = self.fuse(snapshot, dense, keyword, multilingual, weight, moved)
        hits = self._named_provisions_first(query.english, hits)
        if not asks_about_repealed(query.english, snapshot.repealed_in):
            hits = [hit for hit in hits if hit.passage.in_force] or hits
        elif asks_only_about_repealed(query.english, snapshot.repealed_in):
            hits = self._repealed_first(hits)
        hits = self._printing_passages_beside_rows(hits, k)
        hits = _few_copied_rows(hits, k, self.settings.copied_rows_in_top)
        for rank, hit in enumerate(hits[:k], start=1):
            hit.rank = hit.fused_rank = rank
        if moved and query.vector:
            self._plain_similarity(snapshot, query.vector, hits[:k])
        return hits[:k]

    def _plain_similarity(self, snapshot: Snapshot, vector: list[float], hits: list[Hit]) -> None:
        """Give each hit the plain vector's similarity it lacks. The adapted ranking brings up
        passages outside the plain vector's top n, and the abstention evidence reads the plain
        similarity of the top passages (it was calibrated on it): without this a passage the
        adapter found counted as similarity 0, and answerable questions were withheld."""
        missing = [hit for hit in hits if hit.dense is None]
        if not missing:
            return
        stored = self.index.vector_store(snapshot.collection).get(
            where={"passage_id": {"$in": [hit.passage.id for hit in missing]}}, include=["embeddings", "metadatas"]
        )
        query = np.asarray(vector, dtype=np.float32)
        query /= np.linalg.norm(query) or 1.0
        best: dict[str, float] = {}
        for embedding, metadata in zip(stored["embeddings"], stored["metadatas"]):
            window = np.asarray(embedding, dtype=np.float32)
            similarity = float(window @ query) / (float(np.linalg.norm(window)) or 1.0)
            passage_id = metadata.get("passage_id")
            best[passage_id] = max(similarity, best.get(passage_id, -1.0))
        for hit in missing:
            if hit.passage.id in best:
                hit.dense = best[hit.passage.id]

    def _named_provisions_first(self, question: str, hits: list[Hit]) -> list[Hit]:
        """Raise the candidates that hold a provision the question names, in their fused order, by
        one more reciprocal-rank list: "What does regulation 5(2) say?" is about regulation 5 of
        each instrument that has one, and the other lists decide which instrument."""
        named = provisions_in(question)
        weight = self.settings.provision_weight
        if not named or not weight:
            return hits
        holding = [hit for hit in hits if held_provisions(hit.passage) & named]
        for rank, hit in enumerate(holding, start=1):
            hit.score += weight / (self.settings.rrf_k + rank)
        return sorted(hits, key=lambda hit: (-hit.score, hit.passage.id))

    def _repealed_first(self, hits: list[Hit]) -> list[Hit]:
        """Raise the repealed instrument's candidates, in their fused order, by one more
        reciprocal-rank list: a question on the old rules alone ("under the 2014 list, which
        transmission lines needed an EIA?") is answered by them, not by the rules now in force."""
        weight = self.settings.repealed_weight
        if not weight:
            return hits
        for rank, hit in enumerate([hit for hit in hits if not hit.passage.in_force], start=1):
            hit.score += weight / (self.settings.rrf_k + rank)
        return sorted(hits, key=lambda hit: (-hit.score, hit.passage.id))

    def _printing_passages_beside_rows(self, hits: list[Hit], k: int) -> list[Hit]:
        """Raise, by one more reciprocal-rank list in the rows' order, the candidate that prints each
        top-k table row copied from another document: the Regulations' schedule passage that lists
        "Metal smelting plants — production capacity up to 20 tons a day" beside the row for it."""
        weight = self.settings.printed_weight
        if not weight:
            return hits
        printing: list[Hit] = []
        for row in hits[:k]:
            best = _printing_passage(row.passage, hits) if row.passage.printed_in else None
            if best is not None and best not in printing:
                printing.append(best)
        if not printing:
            return hits
        for rank, hit in enumerate(printing, start=1):
            hit.score += weight / (self.settings.rrf_k + rank)
        return sorted(hits, key=lambda hit: (-hit.score, hit.passage.id))

    def _nearest(
        self, snapshot: Snapshot, collection: str, vector: list[float], n: int, filters: Filters, per_passage: int
    ) -> list[tuple[str, float]]:
        """Top-n passages of a collection by their best-matching vector (cosine similarity);
        `per_passage` is how many vectors a passage may have there (its windows, or one)."""
        store = self.index.vector_store(collection)
        results = store.similarity_search_by_vector_with_relevance_scores(vector, k=n * per_passage, filter=filters.where())
        best: dict[str, float] = {}
        for doc, distance in results:
            passage_id = doc.metadata.get("passage_id")
            if passage_id in snapshot.passages and passage_id not in best:
                best[passage_id] = 1.0 - float(distance)
        return list(best.items())[:n]

    def fuse(
        self,
        snapshot: Snapshot,
        dense: list[tuple[str, float]],
        keyword: list[tuple[str, float]],
        multilingual: list[tuple[str, float]] = (),
        multilingual_weight: float = 0.0,
        moved: list[tuple[str, float]] = (),
    ) -> list[Hit]:
        """Weighted reciprocal-rank fusion: sum of weight / (rrf_k + rank) over the lists. When the
        adapted vector searched, its ranking stands in for the plain vector's, which then only
        supplies the similarity that the evidence for abstaining reads (it was calibrated on it)."""
        s = self.settings
        hits: dict[str, Hit] = {}
        dense_weight = 0.0 if moved else s.dense_weight
        for rank, (passage_id, similarity) in enumerate(dense, start=1):
            hit = hits.setdefault(passage_id, Hit(snapshot.passages[passage_id], 0.0))
            hit.dense, hit.dense_rank = similarity, rank
            hit.score += dense_weight / (s.rrf_k + rank)
        for rank, (passage_id, _) in enumerate(moved, start=1):
            hit = hits.setdefault(passage_id, Hit(snapshot.passages[passage_id], 0.0))
            hit.adapted_rank = rank
            hit.score += s.adapted_weight / (s.rrf_k + rank)
        for rank, (passage_id, score) in enumerate(keyword, start=1):
            hit = hits.setdefault(passage_id, Hit(snapshot.passages[passage_id], 0.0))
            hit.keyword, hit.keyword_rank = score, rank
            hit.score += s.keyword_weight / (s.rrf_k + rank)
        for rank, (passage_id, similarity) in enumerate(multilingual, start=1):
            hit = hits.setdefault(passage_id, Hit(snapshot.passages[passage_id], 0.0))
            hit.multilingual, hit.multilingual_rank = similarity, rank
            hit.score += multilingual_weight / (s.rrf_k + rank)
        return sorted(hits.values(), key=lambda hit: (-hit.score, hit.passage.id))


ABBREVIATIONS = {
    "eia": "environmental impact assessment",
    "iee": "initial environmental examination",
    "seqs": "Sindh Environmental Quality Standards",
    "neqs": "National Environmental Quality Standards",
    "sepa": "Sindh Environmental Protection Agency",
    "epa": "Environmental Protection Agency",
    "epo": "environmental protection order",
    "emp": "environmental management plan",
    "sea": "strategic environmental assessment",
    "pops": "persistent organic pollutants",
    "pop": "persistent organic pollutant",
    "pic": "prior informed consent",
    "mea": "multilateral environmental agreement",
    "meas": "multilateral environmental agreements",
    "cp": "cleaner production",
    "ncpc": "National Cleaner Production Centre",
    "cpp": "Cleaner Production Program",
    "bod": "biochemical oxygen demand",
    "bod5": "biochemical oxygen demand",
    "cod": "chemical oxygen demand",
    "tss": "total suspended solids",
    "tds": "total dissolved solids",
    "gmo": "genetically modified organism",
    "pcb": "polychlorinated biphenyls",
    "pcbs": "polychlorinated biphenyls",
    "ddt": "DDT pesticide",
    "bat": "best available techniques",
    "bep": "best environmental practices",
    "cop": "Conference of the Parties",
    "dna": "designated national authority",
    "nallah": "inland waters",
    "nullah": "inland waters",
    "stp": "sewage treatment",
    "sds": "safety data sheet",
    "msds": "material safety data sheet",
    "noc": "no objection certificate",
    "nocs": "no objection certificates",
    "dept": "department",
    "etp": "effluent treatment plant",
    "cetp": "combined effluent treatment plant",
    "wwtp": "wastewater treatment plant",
    "pvc": "chlorinated plastic",
    "ngo": "non-governmental organisation",
    "ngos": "non-governmental organisations",
}
_WORD = re.compile(r"[A-Za-z0-9]+")

# "Caller asks about ...", "A tannery wants to know whether ...": who is asking is not what is asked.
_FRAME = re.compile(
    r"^(?!(?:what|how|when|why|who|which|where|is|are|can|could|do|does|did|should|must|will|would|may|if)\b)"
    r"(?:[\w'’,()-]+\s+){1,20}?(?:asks|is asking|wants to know|would like to know|enquires|inquires|wonders)\s+"
    r"(?:(?:about|whether|if|for)\s+)?(?=\S)",
    re.IGNORECASE,
)


_PROVISION_KINDS = {
    "regulation": "regulation", "regulations": "regulation", "reg": "regulation", "rule": "rule", "rules": "rule",
    "section": "section", "sections": "section", "s": "section", "article": "article", "articles": "article",
    "art": "article", "schedule": "schedule", "sch": "schedule", "annex": "annex",
}
_NAMED_PROVISION = re.compile(
    r"\b(regulations?|reg|rules?|sections?|article|articles|art|schedule|sch|annex)\.?\s*"
    r"(\d+[A-Za-z]?|[IVX]+\b|[A-F]\b)", re.IGNORECASE,
)
# A heading inside a passage ("Regulation 4 — Projects requiring an IEE", "Article 6 ...") or its
# section id ("reg. 3", "s.17", "Art. 12", "Sch. II", "rule 5", "Annex V").
_HELD_PROVISION = re.compile(
    r"^(?:#+\s*)?(regulation|rule|section|article|schedule|annex|reg|s|art|sch)\.?\s*(\d+[A-Za-z]?|[IVX]+\b|[A-F]\b)",
    re.IGNORECASE | re.MULTILINE,
)


# Share of a row label's words a passage must hold to print the row when the digest words it
# differently ("Facilities for hospital waste disposal" / "Hospital waste disposal facilities").
LABEL_WORDS_HELD = 0.8


def _few_copied_rows(hits: list[Hit], k: int, most: int) -> list[Hit]:
    """The hits with at most `most` table rows copied from another document among the first k;
    the rows past that move down, below the k, in their order."""
    if not most:
        return hits
    top: list[Hit] = []
    later: list[Hit] = []
    rows = 0
    for hit in hits:
        copied = bool(hit.passage.printed_in)
        if len(top) < k and (not copied or rows < most):
            top.append(hit)
            rows += copied
        else:
            later.append(hit)
    return top + later


def _printing_passage(row: Passage, candidates: list[Hit]) -> Hit | None:
    """The candidate of the row's source document that prints it: one naming the row's label
    ('Row 164: Metal smelting plants'), or else holding most of its words; of several, the one
    sharing most words with the whole row (its threshold tells Schedule II from Schedule III)."""
    label = (row.section or "").partition(":")[2].strip().lower()
    label_words = set(_WORD.findall(label))
    if not label_words:
        return None
    row_words = set(_WORD.findall(row.text.lower()))
    best: tuple[bool, int] | None = None
    found = None
    for hit in candidates:
        if hit.passage.doc_id != row.printed_in:
            continue
        text = hit.passage.text.lower()
        words = set(_WORD.findall(text))
        named = label in text
        if not named and len(label_words & words) < LABEL_WORDS_HELD * len(label_words):
            continue
        key = (named, len(row_words & words))
        if best is None or key > best:
            best, found = key, hit
    return found


def _provision(kind: str, number: str) -> tuple[str, str]:
    number = number.upper() if re.fullmatch(r"[IVXivx]+|[A-Fa-f]", number) else number.lower()
    return _PROVISION_KINDS[kind.casefold()], number


def provisions_in(question: str) -> frozenset[tuple[str, str]]:
    """The provisions a question names: {("regulation", "13"), ("schedule", "IV")}."""
    return frozenset(_provision(kind, number) for kind, number in _NAMED_PROVISION.findall(question))


def held_provisions(passage: Passage) -> frozenset[tuple[str, str]]:
    """The provisions whose heading a passage holds: its section id and the headings inside it."""
    lines = [passage.section_id or "", *passage.heading_path[-1:], passage.text]
    return frozenset(_provision(kind, number) for kind, number in _HELD_PROVISION.findall("\n".join(lines)))


def strip_frame(text: str) -> str:
    """The question without a reported-speech opening, for the embedder.

    MiniLM reads "Caller asks about the ILES project" as being about asking, and pulls in
    passages on requests and submissions; BM25 is unaffected (the frame's words are rare).
    """
    return _FRAME.sub("", text, count=1) or text

# How users ask versus how the law and conventions word it.
USER_PHRASES = [
    (re.compile(pattern, re.IGNORECASE), words)
    for pattern, words in (
        (r"\b(?:what is|what's|what are) (?:the )?[\w ]{0,40}\b(?:convention|act|law|treaty)s? for\b|\bpurpose\b|\btry(?:ing)? to achieve\b|\baims?\b|\bgoals?\b", "objective aims scope"),
        (r"\bregulat\w*\b|\bwhat (?:does|do) (?:it|they|the [\w ]{0,40}?) (?:cover|control|apply to)\b", "scope covers"),
        (r"\bjail(?:ed)?\b|\bprison\b", "imprisonment"),
        (r"\bfined?\b|\bfines\b", "penalty"),
        (r"\bviolat\w*|\bbreak(?:s|ing)?\b|\bbreach\w*|\bignor\w*", "contravene contravention"),
        (r"\bfunds?\b|\bfunding\b|\bfinanc\w*|\bpays? for\b", "financial resources mechanism"),
        (r"\bdefin\w*|\bmeaning\b", "means definition"),
        (r"\bappeal\w*|\bchallenge\b", "appeal tribunal"),
        (r"\bbenefits?\b|\bgains?\b|\bpay (?:off|back)\b", "advantages benefits"),
        (r"\brespon(?:d|se)\w*|\banswer back\b", "reply"),
        (r"\bcountry\b|\bcountries\b|\bnations?\b", "State"),
        (r"\bcourts?\b|\bjudges?\b|\btried\b", "court magistrate tribunal"),
        (r"\bstruggl\w*|\bdifficult\w*|\bobstacles?\b|\bhurdles?\b|\bproblems?\b", "barriers"),
        (r"\bpermitted\b|\ballowed\b|\bpermission\b", "approval licence"),
    )
]


# Long form -> its abbreviation, for the other direction: the report says "the basic concept of
# CP" where the user wrote "cleaner production". Plural and duplicate short forms are left out.
_LONG_FORMS = {
    short: re.compile(rf"\b{re.escape(long)}\b", re.IGNORECASE)
    for short, long in ABBREVIATIONS.items()
    if len(long.split()) > 1 and short not in {"bod5", "pcbs", "pops", "meas", "sea", "epa"}
}


def spelled_out(text: str) -> list[str]:
    """The long forms of the abbreviations the text writes in capitals ("CP" -> "cleaner
    production"), for reading a passage's sentence as saying what its abbreviations stand for."""
    return list(dict.fromkeys(ABBREVIATIONS[word.lower()] for word in _WORD.findall(text) if word.isupper() and word.lower() in ABBREVIATIONS))


@lru_cache(maxsize=2048)
def expand_query(text: str) -> str:
    """Append the long forms of known abbreviations, and the abbreviations of long forms the text
    spells out, so both sides can match either form.

    'SEA' is only expanded when written in capitals: 'sea' in lower case is the receiving water.
    """
    additions = [words for pattern, words in USER_PHRASES if pattern.search(text)]
    for word in _WORD.findall(text):
        lower = word.lower()
        if lower == "sea" and word != "SEA":
            continue
        if lower in ABBREVIATIONS and ABBREVIATIONS[lower].lower() not in text.lower():
            additions.append(ABBREVIATIONS[lower])
    additions += [short.upper() for short, pattern in _LONG_FORMS.items() if pattern.search(text) and not re.search(rf"\b{short}\b", text, re.IGNORECASE)]
    unique = list(dict.fromkeys(additions))
    return f"{text} ({'; '.join(unique)})" if unique else text


# A question on the old rules that also asks what holds now or what changed wants both instruments.
_NOW_OR_CHANGE = re.compile(
    r"\b(?:differen\w*|chang\w*|compar\w*|now|current\w*|today|still|in force|new|replac\w*|vs|versus|2021)\b", re.IGNORECASE
)
_OLD_RULES = re.compile(
    r"\b(?:20(?:0\d|1[0-9])\s+(?:regulations?|rules|schedules?|lists?|version)|regulations?,?\s+20(?:0\d|1[0-9])"
    r"|old|older|previous(?:ly)?|earlier|former|repealed|superseded|used to|no longer|before 2021"
    r"|differen\w*|chang\w*|compar\w*)\b",
    re.IGNORECASE,
)


# A year as a time ("under 2014", "in 2016", "the 2014 EIA item", "2014-15"), not as part of an
# instrument's name ("the 2014 Act", "Rules 2014"): before the year the repealed instruments were
# replaced (the manifest's `since`), the old rules applied.
_YEAR = re.compile(r"(?<![\w-])((?:19|20)\d\d)(?:-\d\d)?\b")
_NAMED_BY = re.compile(r"(?:act|ordinance|rules|regulations),?\s*$", re.IGNORECASE)
_NAMING = re.compile(r"^\s*(?:act|ordinance)\b", re.IGNORECASE)


def _times(question: str) -> list[int]:
    return [
        int(m.group(1)) for m in _YEAR.finditer(question)
        if not _NAMED_BY.search(question[:m.start()]) and not _NAMING.match(question[m.end():])
    ]


def asks_only_about_repealed(question: str, repealed_in: int | None = None) -> bool:
    """Whether the question is about the superseded rules alone, not how they changed nor what
    holds now ("What building height triggered an EIA in the 2014 regulations?")."""
    if not asks_about_repealed(question, repealed_in) or _NOW_OR_CHANGE.search(question):
        return False
    return repealed_in is None or not any(year >= repealed_in for year in _times(question))


def asks_about_repealed(question: str, repealed_in: int | None = None) -> bool:
    """Whether the question is about superseded rules or how they changed ("under the 2014
    Regulations", "what changed in 2021", "IEE or EIA in 2015?" when the old rules were repealed
    in 2021): only then may a repealed instrument be quoted."""
    if _OLD_RULES.search(question):
        return True
    return repealed_in is not None and any(year < repealed_in for year in _times(question))
