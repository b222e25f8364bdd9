"""Glossary: the defined terms of the indexed digests, each with its definition and citation.

Built from the index's passages on demand (cached per index generation), never at ingest:
- the Sindh Act digest's Section 2 list items: `- (xv) "environmental impact assessment" — a
  study that ...` (a clause may define two spellings: `"biodiversity" or "biological diversity"`);
- the conventions' definitions articles (Article 2 of each digest), written as prose:
  `A "transboundary movement" is a shipment ...`, `"Disposal" means ...`, `"Management" covers
  ...`, and parenthesised ones in an "Also defined:" list: `"focal point" (the body that ...)`.
Any passage whose section is a definitions section (Section 2, an Article titled
"Definitions", or a heading containing "Definitions") is read, so an added official text with
the same layout is picked up too. Every entry keeps the passage id it came from, and its term
and definition are exact substrings of that passage's text.

Rules and regulations repeat the Act's definitions or only point to them ("EIA" — an
environmental impact assessment in the sense of section 2(xv) of the Act), so a reader is
given the definition a pointer refers to (`Glossary.source_of`), and the list groups a term's
entries that say the same thing (`Glossary.terms`) instead of showing five near-identical rows.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from assistant.passages import Passage, section_id

_QUOTE = "\"“”"
_LIST_ITEM = re.compile(
    r"^\s*[-*]\s*\((?P<number>[ivxlcdm]+|[a-z]|\d+)\)\s*(?:\[[^\]]*\]\s*)?"
    r"(?P<terms>[\"“][^\"“”]+[\"”](?:\s*(?:or|and|,)\s*[\"“][^\"“”]+[\"”])*)\s*[—–-]+\s*(?P<definition>.+?)\s*$",
    re.MULTILINE,
)
_QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]")
_PROSE = re.compile(
    r"(?:^|(?<=[.;:]\s)|(?<=\.\s))(?:(?:A|An|The)\s+)?[\"“](?P<term>[^\"“”]{2,60})[\"”]\s+"
    r"(?P<verb>is|are|means|covers|refers to)\s+(?P<definition>[^.]+(?:\.(?=\d)[^.]+)*)\.",
)
_PARENTHESISED = re.compile(r"[\"“](?P<term>[^\"“”]{2,60})[\"”]\s+\((?P<definition>[^()]{12,}?)\)")
_DEFINITIONS_LABEL = re.compile(r"[—–:-]\s*(?:definitions|interpretation)\s*$", re.IGNORECASE)
# "as defined in section 2(ii) of the Act", "in the sense of section 2(xv) of the Act"
_POINTER = re.compile(
    r"\b(?:as defined in|in the sense of|within the meaning of|has the meaning given (?:to it )?in)\s+"
    r"section\s+(?P<section>\d+)\s*\((?P<clause>[ivxlcdm]+|[a-z]|\d+)\)\s+of\s+the\s+Act\b",
    re.IGNORECASE,
)
_PARENTHESES = re.compile(r"\([^()]*\)")
_NON_WORD = re.compile(r"[^\w\s]")
SAME_MEANING = 0.8  # similarity of two normalised definitions above which they say the same thing


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str
    doc_id: str
    title: str
    section: str | None
    section_id: str | None
    passage_id: str
    aliases: tuple[str, ...] = ()
    clause: str | None = None

    @property
    def location(self) -> str:
        """Document title (with 'unofficial digest' where it applies), section and clause: what a reader is shown."""
        where = [self.title]
        place = self.section_id or self.section
        if place:
            where.append(f"{place}({self.clause})" if self.clause and self.section_id else place)
        return ", ".join(where)

    @property
    def citation(self) -> str:
        """The location and the passage id (for the CLI and JSON, where the id is looked up)."""
        return f"{self.location} [{self.passage_id}]"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["aliases"] = list(self.aliases)
        data["citation"] = self.citation
        return data


def definitions_label(passage: Passage) -> str | None:
    """The label of the definitions section this passage holds (a short section merged into its
    neighbour keeps several labels: "Article 1 — Objective; Article 2 — Definitions"), if any."""
    labels = [label.strip() for label in (passage.section or "").split(";") if label.strip()]
    if passage.doc_type == "law-digest" and passage.section_id == "s.2":
        return labels[0] if labels else "Section 2"
    return next((label for label in labels if _DEFINITIONS_LABEL.search(label)), None)


def is_definitions_passage(passage: Passage) -> bool:
    return definitions_label(passage) is not None


def _definitions_text(passage: Passage, label: str) -> str:
    """The part of a merged passage that belongs to the definitions section: the paragraphs
    from the one that names it ("Basel Convention, Article 2, ...") up to the next one that
    names another section. The whole text when no paragraph names its section."""
    number = re.search(r"(?:Article|Section|Art\.|s\.)\s*(\d+[A-Z]?)", label)
    if not number or section_id(label) == passage.section_id:
        return passage.text
    mine = re.compile(rf"\b(?:Article|Section)\s+{number.group(1)}\b")
    other = re.compile(r"\b(?:Article|Section)\s+\d+")
    kept, inside = [], False
    for paragraph in passage.text.split("\n\n"):
        opening = paragraph[:100]
        if mine.search(opening):
            inside = True
        elif other.search(opening):
            inside = False
        if inside:
            kept.append(paragraph)
    return "\n\n".join(kept) if kept else passage.text


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(" ;,")
    return text[:1].upper() + text[1:] if text else text


def entries_from_passage(passage: Passage) -> list[GlossaryEntry]:
    """Every definition a definitions passage states, in the order it states them."""
    label = definitions_label(passage)
    if label is None:
        return []
    text = _definitions_text(passage, label)
    entries: list[GlossaryEntry] = []
    base = {
        "doc_id": passage.doc_id,
        "title": passage.display_title,
        "section": label,
        "section_id": section_id(label) or passage.section_id,
        "passage_id": passage.id,
    }
    for match in _LIST_ITEM.finditer(text):
        terms = _QUOTED.findall(match.group("terms"))
        entries.append(
            GlossaryEntry(
                term=terms[0].strip(),
                definition=_clean(match.group("definition")),
                aliases=tuple(t.strip() for t in terms[1:]),
                clause=match.group("number"),
                **base,
            )
        )
    if entries:
        return entries
    seen: set[str] = set()
    found: list[tuple[int, GlossaryEntry]] = []
    for match in _PROSE.finditer(text):
        term = match.group("term").strip()
        definition = match.group("definition")
        if term.casefold() in seen or len(definition.split()) < 3:
            continue
        seen.add(term.casefold())
        found.append((match.start(), GlossaryEntry(term=term, definition=_clean(definition), **base)))
    for match in _PARENTHESISED.finditer(text):
        term = match.group("term").strip()
        if term.casefold() in seen:
            continue
        seen.add(term.casefold())
        found.append((match.start(), GlossaryEntry(term=term, definition=_clean(match.group("definition")), **base)))
    return [entry for _, entry in sorted(found, key=lambda pair: pair[0])]


def _normalised(definition: str) -> str:
    words = _NON_WORD.sub(" ", _PARENTHESES.sub(" ", definition.casefold())).split()
    return " ".join(words[1:] if words[:1] in (["the"], ["a"], ["an"]) else words)


def same_meaning(one: GlossaryEntry, other: GlossaryEntry) -> bool:
    """Whether two definitions say the same thing ("The Sindh Environmental Protection Act, 2014"
    and "... Act, 2014 (Sindh Act VIII of 2014)")."""
    if one is other:
        return True
    return difflib.SequenceMatcher(None, _normalised(one.definition), _normalised(other.definition)).ratio() >= SAME_MEANING


@dataclass(frozen=True)
class GlossarySense:
    """One meaning of a term: the entry that states it, then every entry that repeats it or points to it."""

    entries: tuple[GlossaryEntry, ...]

    @property
    def stated(self) -> GlossaryEntry:
        return self.entries[0]


@dataclass(frozen=True)
class GlossaryTerm:
    """A term as the list shows it: once, with each of its meanings."""

    term: str
    senses: tuple[GlossarySense, ...]

    @property
    def aliases(self) -> tuple[str, ...]:
        names = [alias for sense in self.senses for entry in sense.entries for alias in entry.aliases]
        return tuple(dict.fromkeys(n for n in names if n.casefold() != self.term.casefold()))


@dataclass
class Glossary:
    entries: list[GlossaryEntry] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def sorted(self) -> list[GlossaryEntry]:
        return sorted(self.entries, key=lambda e: (e.term.casefold(), e.doc_id))

    def source_of(self, entry: GlossaryEntry) -> GlossaryEntry:
        """The entry a pointer ("in the sense of section 2(xv) of the Act") refers to; the entry itself
        when it states its own definition or the section it points to is not in the glossary."""
        match = _POINTER.search(entry.definition)
        if match is None:
            return entry
        section, clause = f"s.{match.group('section')}", match.group("clause").casefold()
        return next(
            (e for e in self.entries if e is not entry and e.section_id == section and (e.clause or "").casefold() == clause), entry
        )

    def terms(self, entries: Iterable[GlossaryEntry] | None = None) -> list[GlossaryTerm]:
        """One row per term (alphabetical, or in the order of `entries`): its meanings, each with every
        instrument that states it, repeats it in other words or points to it."""
        senses: dict[str, list[list[GlossaryEntry]]] = {}
        for entry in self.sorted() if entries is None else entries:
            stated = self.source_of(entry)
            rows = senses.setdefault(entry.term.casefold(), [])
            row = next((r for r in rows if same_meaning(r[0], stated)), None)
            if row is None:
                rows.append(list(dict.fromkeys([stated, entry])))
            elif entry not in row:
                row.append(entry)
        return [
            GlossaryTerm(
                term=next(e.term for row in rows for e in row if e.term.casefold() == key),
                senses=tuple(GlossarySense(tuple(row)) for row in rows),
            )
            for key, rows in senses.items()
        ]

    def _names(self) -> dict[str, list[GlossaryEntry]]:
        names: dict[str, list[GlossaryEntry]] = {}
        for entry in self.entries:
            for name in (entry.term, *entry.aliases):
                names.setdefault(name.casefold(), []).append(entry)
        return names

    def lookup(self, query: str, limit: int = 5) -> tuple[list[GlossaryEntry], bool]:
        """(entries, exact): the entries named `query` (any document), else the closest names.

        An abbreviation the retriever knows (EIA, IEE, SEQS, POPs...) is spelled out first; a
        query that is part of a term ("tribunal") also matches.
        """
        from assistant.retrieval import ABBREVIATIONS

        key = " ".join(query.split()).strip(_QUOTE + " ").casefold()
        if not key:
            return [], False
        names = self._names()
        for candidate in (key, ABBREVIATIONS.get(key, "").casefold(), key.rstrip("s"), f"{key}s"):
            if candidate and candidate in names:
                return self._stated(names[candidate]), True
        close = difflib.get_close_matches(key, list(names), n=limit, cutoff=0.75)
        close += [name for name in names if re.search(rf"\b{re.escape(key)}\b", name) and name not in close]
        close += [n for n in difflib.get_close_matches(key, list(names), n=limit, cutoff=0.6) if n not in close]
        words = key.split()
        for name in names:  # a misspelt word of a longer term: "tribunl" -> "... Tribunal"
            if name not in close and all(difflib.get_close_matches(w, name.split(), n=1, cutoff=0.8) for w in words):
                close.append(name)
        return self._stated([entry for name in close for entry in names[name]])[:limit], False

    def _stated(self, entries: Iterable[GlossaryEntry]) -> list[GlossaryEntry]:
        """The entries with each pointer replaced by the definition it points to, once each."""
        return list(dict.fromkeys(self.source_of(entry) for entry in entries))


def build_glossary(passages: Iterable[Passage]) -> Glossary:
    """Definitions of the instruments in force: a repealed one's ("EIA" in the 2014 Regulations)
    would stand beside, or before, the definition that applies now."""
    ordered = sorted((p for p in passages if p.in_force), key=lambda p: (p.doc_id, p.ordinal))
    entries: list[GlossaryEntry] = []
    seen: set[tuple[str, str]] = set()
    for passage in ordered:
        if not is_definitions_passage(passage):
            continue
        for entry in entries_from_passage(passage):
            key = (entry.doc_id, entry.term.casefold())
            if key not in seen:  # overlapping passages repeat a clause; keep its first passage
                seen.add(key)
                entries.append(entry)
    return Glossary(entries)


_CACHE: dict[tuple, Glossary] = {}


def glossary_for(snapshot) -> Glossary:
    """The glossary of an index snapshot, built once per generation (and set of file hashes)."""
    key = (snapshot.generation, tuple(sorted((doc, record.sha256) for doc, record in snapshot.files.items())))
    glossary = _CACHE.get(key)
    if glossary is None:
        if len(_CACHE) > 4:
            _CACHE.clear()
        glossary = _CACHE[key] = build_glossary(snapshot.passages.values())
    return glossary
