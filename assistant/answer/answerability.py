"""The answerability decision: may the corpus answer this question at all?

Two kinds of "no". Refusals hold whatever the scores: the question is about another province,
names a treaty, body or standard no passage uses, asks how things stand now, or asks what a term
means that no passage uses. Otherwise the retrieval evidence decides (`assess`): dense
similarity of the best passages, how much of the asking sentence's vocabulary they cover, and
how much of it the corpus never uses, weighed by Evidence.score against the settings' threshold.
The messages a withheld answer gives are here too. Whether an answer gives the figure asked for
is in figures.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from assistant.answer.question import (
    CONNECTORS,
    asking_sentence,
    asks_as_of_now,
    defined_term,
    names_asked_about,
    term_weights,
)
from assistant.answer.sentences import passage_sentences
from assistant.answer.types import Evidence
from assistant.keyword import KeywordIndex, tokenize
from assistant.retrieval import _WORD, ABBREVIATIONS, Hit

# Who to ask instead, ending every reply that withholds an answer on this corpus's own terms.
_ASK_INSTEAD = (
    "For Sindh compliance matters ask the Sindh Environmental Protection Agency (SEPA); for the "
    "conventions, Pakistan's focal point in the Ministry of Climate Change. "
    "The passages below came closest and may be related."
)

NOT_COVERED = f"The documents in this assistant do not cover this question, so it will not guess. {_ASK_INSTEAD}"

OUTSIDE_FILTER = (
    "The selected documents do not cover this. Other documents in this assistant come closer ({titles}): "
    "clear the document filter to search them all."
)

OTHER_JURISDICTION = (
    "The question is about {name}, and the documents in this assistant cover Sindh, Pakistan as a "
    "whole and the international conventions, not {name}'s own law or standards, so it will not "
    "guess. Ask the environmental protection agency of {name}. The passages below came closest "
    "and may be related."
)

NOT_MENTIONED = "The documents in this assistant never mention {name}, so they cannot answer this and it will not guess. " + _ASK_INSTEAD

AS_OF_NOW = (
    "The question asks what is the case now (“{words}”), and the documents in this assistant are fixed "
    "texts that cannot say that, so it will not guess. " + _ASK_INSTEAD
)

NO_FIGURE = "The documents in this assistant give no {what} for this, so it will not guess. " + _ASK_INSTEAD


def assess(
    question: str, hits: list[Hit], keyword: KeywordIndex, depth: int = 3, spells: Callable[[str], bool] | None = None
) -> Evidence:
    """How well the top passages and the corpus as a whole cover what the question asks.

    The words the corpus lacks are counted on the asking sentence: in "We process shrimp near
    Fish Harbour. Is there a CP case study of a seafood plant?" the scene is the user's, the
    question is ours. Coverage is the better of the asking sentence's and the whole question's:
    "Our ghee mill is category B. How often do we report?" asks about category B as much as
    about reporting. An acronym the corpus writes out (given `spells`: 'HWMP', 'Hospital Waste
    Management Plan') is not a word the corpus lacks; the question's other words are measured.
    """
    asked = asking_sentence(question)
    weights = _weights(asked, keyword, spells)
    if not weights:
        asked, weights = question, _weights(question, keyword, spells)
    if not hits or not weights:
        return Evidence(dense=0.0, coverage=0.0, unknown=1.0 if weights else 0.0)
    readings = [weights] if asked == question else [weights, _weights(question, keyword, spells)]

    def share(tokens: set[str]) -> float:
        return max(sum(w for term, w in reading.items() if term in tokens) / (sum(reading.values()) or 1.0) for reading in readings)

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
        unknown=round(unknown / (sum(weights.values()) or 1.0), 4),
        sentence=round(best_sentence, 4),
    )


def _weights(text: str, keyword: KeywordIndex, spells: Callable[[str], bool] | None) -> dict[str, float]:
    """The IDF weights of a text's terms, less an acronym's that the corpus writes out (`spells`)."""
    weights = term_weights(text, keyword)
    if spells is None:
        return weights
    spelled = {stem for word in _ACRONYM.findall(text) if spells(word) for stem in tokenize(word)}
    return {term: weight for term, weight in weights.items() if term not in spelled or term in keyword.document_frequency}


_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")


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


def other_jurisdiction(question: str, hits: list[Hit]) -> str | None:
    """A Pakistani province or territory the question names but the cited passages do not.

    Sindh's law must not be quoted as if it answered a question about Punjab's: the corpus
    covers Sindh, Pakistan as a whole and the conventions, so such a question is abstained on.
    """
    for name, pattern in _JURISDICTION_PATTERNS.items():
        if pattern.search(question) and not any(pattern.search(hit.passage.text) for hit in hits[:3]):
            return name
    return None


_CONNECTOR = re.compile(rf"\s+(?:{'|'.join(CONNECTORS)})\s+")


def unknown_name(
    question: str, keyword: KeywordIndex, mentions: Callable[[str], bool] | None = None, spells: Callable[[str], bool] | None = None
) -> str | None:
    """A name the question asks about that no passage uses ('Kyoto Protocol', 'PSQCA').

    The corpus cannot say anything about a treaty, body or standard it never names, however
    well the rest of the question's words match. A name is unknown when one of its words is
    (an abbreviation counts as known when its long form is: 'SDS' -> safety data sheet, or,
    given `spells`, when a passage writes it out: 'HWMP' -> Hospital Waste Management Plan), or,
    given `mentions`, when a multi-word part of it is used nowhere even without its first word
    ('Sindh Building Control Authority'; but 'Basel Ban Amendment' is known as 'Ban Amendment').
    """
    known = keyword.document_frequency
    for name in names_asked_about(question):
        for word in _WORD.findall(name):
            if spells is not None and word.isupper() and len(word) >= 2 and spells(word):
                continue
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


RULES = ("other province", "unnamed instrument", "as of now", "undefined term", "asked figure")


@dataclass(frozen=True)
class Refusal:
    """A rule that withholds the answer whatever the scores, and what it tells the user."""

    rule: str
    message: str


def refusal(question: str, hits: list[Hit], snapshot, rules: Collection[str] = RULES) -> Refusal | None:
    """Why the question cannot be answered from this corpus whatever the scores: it is about
    another province, about a treaty, body or standard no passage names, or about how
    things stand now. Only the `rules` named run (settings.rules: those an ablation kept)."""
    if "other province" in rules:
        elsewhere = other_jurisdiction(question, hits)
        if elsewhere:
            return Refusal("other province", OTHER_JURISDICTION.format(name=elsewhere))
    if "unnamed instrument" in rules:
        unnamed = unknown_name(question, snapshot.keyword, snapshot.mentions, snapshot.spells)
        if unnamed:
            return Refusal("unnamed instrument", NOT_MENTIONED.format(name=f"“{unnamed}”"))
    if "as of now" in rules:
        now = asks_as_of_now(question)
        if now:
            return Refusal("as of now", AS_OF_NOW.format(words=now))
    return None
