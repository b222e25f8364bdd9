"""Question analysis: what a question asks, read from its words alone (no corpus, no hits).

The asking sentence (the last one that asks, without a "Caller asks" frame), its content terms
and their IDF weights, the term of a definition question, the abbreviations it names, the names
of instruments and bodies it asks about, and whether it asks how things stand now. The kind of
figure a question asks for is in figures.py; weighing all this against the corpus is
answerability.py's job.
"""

from __future__ import annotations

import re

from assistant.answer.sentences import split_sentences
from assistant.followup import FOLLOWING
from assistant.keyword import STOPWORDS, KeywordIndex, tokenize
from assistant.retrieval import _WORD, ABBREVIATIONS, expand_query, strip_frame

_FILLER = frozenset(
    tokenize(
        "caller asks asked ask want wants wanted need needs just like know tell us our we company firm unit "
        "factory mill plant simple simply terms please explain mean means really actually still get give "
        "does which what whether there here someone somebody anyone kind sort"
    )
) | STOPWORDS  # as stems too: "whats" is "what"


_DEFINITION_OF = re.compile(
    r"^(?:what (?:is|are) (?:an? |the )?|define (?:an? |the )?|what does (?:an? |the )?|meaning of (?:an? |the )?"
    r"|how does .{3,60}? define (?:an? |the )?)(?P<term>[\w\s'-]{2,60}?)(?: mean)?\s*[?.!]?$",
    re.IGNORECASE,
)


def defined_term(question: str) -> str | None:
    """The X of 'What is X?', 'Define X', 'How does the law define X?'."""
    match = _DEFINITION_OF.search(question.strip())
    return " ".join(match.group("term").split()) if match else None


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
    weights = {term: keyword.idf(term) for term in dict.fromkeys(map(keyword.spelled, question_terms(question)))}
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


_CAPITALISED = r"[A-Z][A-Za-z0-9'’&.-]*[A-Za-z0-9]"
CONNECTORS = ("of", "and", "for", "on", "the")
_NAME = re.compile(rf"{_CAPITALISED}(?:\s+(?:(?:{'|'.join(CONNECTORS)})\s+)?{_CAPITALISED})+")
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
        while words and words[0].lower() in CONNECTORS:
            words = words[1:]
        if len(words) >= 2 and _INSTRUMENT.search(" ".join(words)):
            names.append(" ".join(words))
    names += [
        match.group()
        for match in _ACRONYM.finditer(sentence)
        if match.group().upper() not in _NOT_NAMES and not any(match.group() in name for name in names)
    ]
    return list(dict.fromkeys(names))


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
