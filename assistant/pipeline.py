"""The Assistant: question (and conversation) in, cited Answer out. CLI and UI both use it.

The steps, in order: clean the question and resolve a follow-up; retrieve the fused candidates;
answer from a structured table when the question is one the table holds (SEQS limits, project
screening, and the schedule that lists the projects an approval binds); let the judge read the candidates and keep those that answer, best first (or, with answerability =
"rules", the earlier evidence score); the refusal rules settings.rules keeps; compose; check
that the answer gives the kind of figure asked for. Every answer carries a Trace saying which
step decided it, for `cpassist ask --explain`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from assistant.answer import (
    NO_FIGURE,
    NOT_COVERED,
    NOT_MENTIONED,
    OUTSIDE_FILTER,
    Answer,
    AskedFigure,
    Citation,
    Evidence,
    ExtractiveComposer,
    Trace,
    assess,
    defined_term,
    refusal,
    unused_term,
)
from assistant.followup import resolve
from assistant.index import Index
from assistant.keyword import tokenize
from assistant.language import ENGLISH, detect, frame
from assistant.retrieval import Filters, Hit, Retriever
from assistant.settings import Settings
from assistant.standards.lists import schedule_list_answer
from assistant.standards.profile import screening_answer
from assistant.standards.seqs import DOC_ID as EFFLUENT_DOC_ID

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_question(raw: str) -> tuple[str, str]:
    """Strip control characters and cap the length; returns (question, note for the user)."""
    text = unicodedata.normalize("NFC", raw or "")
    text = _CONTROL.sub(" ", text)
    text = " ".join(text.split())
    note = ""
    if len(text) > MAX_QUESTION_CHARS:
        text = text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]
        note = f"The question was long; only its first {MAX_QUESTION_CHARS} characters were used."
    return text, note


class Assistant:
    """Holds the index, retriever and composers; one per process is enough (thread-safe reads)."""

    def __init__(self, settings: Settings | None = None, index: Index | None = None) -> None:
        self.settings = settings or Settings()
        self.index = index or Index(self.settings)
        self.retriever = Retriever(self.index, self.settings)
        self.extractive = ExtractiveComposer()
        self.llm = None
        if self.settings.llm_url or self.settings.ollama_model:
            from assistant.llm import LLMComposer

            self.llm = LLMComposer.from_settings(self.settings)
        self._limits: tuple[str, list] | None = None
        self.judge_step = None
        if self.settings.answerability != "rules":
            from assistant.judge import JUDGE_FOLDER, Judge, JudgeStep

            judge = Judge(self.settings.judge_model or JUDGE_FOLDER)
            self.judge_step = JudgeStep(judge, self.settings.judge_threshold)

    def search(self, query: str, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        return self.retriever.run(query, k=k, filters=filters)

    def ask(self, question: str, history: Sequence = (), filters: Filters | None = None) -> Answer:
        text, note = clean_question(question)
        if not text:
            return Answer(question=question, text="Please type a question.", abstained=True, note="empty question")
        snapshot = self.index.snapshot()
        if snapshot is None:
            return Answer(question=text, text="The index is empty: run `cpassist ingest` first.", abstained=True)
        k = max(self.settings.top_k, 5, self.settings.judge_candidates if self.judge_step else 0)
        if detect(text) == ENGLISH:
            query = resolve(text, history)
            return self._answer(text, query, note, filters, snapshot, self.retriever.run(query, k=k, filters=filters))
        # Urdu script or Roman Urdu: retrieval reads the question itself; the refusal rules, tables
        # and composer its English gloss, worded as the passages found word it; the English answer
        # is framed by a line in the question's language. (Follow-ups are resolved by English words.)
        prepared = self.retriever.prepare(text)
        hits = self.retriever.run_query(prepared, k=k, filters=filters)
        stems = {stem for hit in hits[:3] for stem in tokenize(hit.passage.indexed_text)}
        english = prepared.reading.worded_as(stems)
        answer = self._answer(english, english, note, filters, snapshot, hits, written=text)
        answer.question, answer.language, answer.searched_as = text, prepared.language, prepared.reading.searched_as
        answer.text = frame(prepared.language, answer.text, answer.abstained)
        return answer

    def _answer(
        self, text: str, query: str, note: str, filters: Filters | None, snapshot, hits: list[Hit], written: str = ""
    ) -> Answer:
        """The answer to `text` (the user's words; `query` is what was searched, the question joined
        to the one it follows up) from the retrieved `hits`; for a question in Urdu, `text` is its
        English gloss and `written` the question as the user wrote it."""
        s = self.settings
        judge = self.judge_step
        trace = Trace(answerability=s.answerability, threshold=judge.threshold if judge else None, candidates=hits)

        def withheld(message: str, evidence: Evidence | None, stage: str, rule: str = "", composer: str = "extractive") -> Answer:
            trace.stage, trace.rule = stage, rule
            return Answer(
                question=text, text=message, abstained=True, related=trace.candidates[:3], evidence=evidence, query=query,
                composer=composer, note=note, trace=trace,
            )

        rules = {"rules": s.rules, "judge+rules": s.rules, "judge": ()}[s.answerability]
        refused = refusal(text, hits, snapshot, rules)
        if written and not refused:  # also as written: a gloss loses where a name such as 'Kyoto Protocol' starts
            refused = refusal(written, hits, snapshot, rules)
        if refused:
            return withheld(refused.message, assess(query, hits, snapshot.keyword, spells=snapshot.spells), "rule", refused.rule)
        if not filters or filters.allows_type("standard"):
            # What the user asked routes to a table; the question it follows only when it cannot stand alone.
            limit_answer = self._limit_answer(text, snapshot) or (self._limit_answer(query, snapshot) if query != text else None)
            if limit_answer is not None:
                trace.stage = "structured table"
                limit_answer.question, limit_answer.note, limit_answer.trace = text, note, trace
                return limit_answer
            # A described project is screened; "which projects need an EIA?" gets the schedule's list.
            screened = screening_answer(text, snapshot, self.index.embedder, stored=self.index.table_vectors) or schedule_list_answer(
                text, snapshot
            )
            if screened is not None:
                trace.stage = "structured table"
                answer_text, citations = screened
                return Answer(
                    question=text, text=answer_text, abstained=False, citations=citations, query=text,
                    composer="screening-table", note=note, trace=trace,
                )
        accepted: list[Hit] = []
        if judge:
            hits = trace.candidates = judge.run(query, hits)
            accepted = judge.accepted(hits)
            trace.accepted = [hit.passage.id for hit in accepted]
        else:
            hits = trace.candidates = self._definition_first(text, hits, snapshot, filters)
        evidence = assess(query, hits, snapshot.keyword, spells=snapshot.spells)
        if "undefined term" in rules:
            unused = unused_term(text, snapshot.mentions)
            if unused:
                return withheld(NOT_MENTIONED.format(name=f"“{unused}”"), evidence, "rule", "undefined term")
        weak = not hits or (not accepted if judge else not self._supported(evidence))
        outside = self._answered_outside(query, hits, filters, weak, snapshot)
        if outside:
            return withheld(OUTSIDE_FILTER.format(titles="; ".join(outside)), evidence, "filters")
        if judge:
            if not accepted:
                return withheld(NOT_COVERED, evidence, "judge")
            hits = accepted
        elif weak:
            return withheld(NOT_COVERED, evidence, "evidence score")
        composed, composer = None, "llm"
        if self.llm is not None:
            composition = self.llm.compose(query, hits)
            if composition.declined:
                return withheld(NOT_COVERED, evidence, "composer", "the model declined", composer)
            if composition.ok:
                composed = composition.text, composition.citations
        if composed is None:
            composed, composer = self.extractive.run(query, hits, snapshot.keyword), "extractive"
        answer_text, citations = composed
        if not citations:
            return withheld(NOT_COVERED, evidence, "composer")
        if "asked figure" in rules:
            figure = AskedFigure.of(text)
            if not figure.given_by(answer_text):
                return withheld(NO_FIGURE.format(what=figure.missing), evidence, "rule", "asked figure")
        trace.stage = "composer"
        return Answer(
            question=text,
            text=answer_text,
            abstained=False,
            citations=citations,
            related=hits,
            evidence=evidence,
            query=query,
            composer=composer,
            note=note,
            trace=trace,
        )

    def _supported(self, evidence: Evidence) -> bool:
        """Whether the retrieval evidence reaches the abstention threshold (rules mode)."""
        return evidence.score(self.settings.abstain_weights) >= self.settings.abstain_threshold

    def _answered_outside(self, query: str, hits: list[Hit], filters: Filters | None, weak: bool, snapshot) -> list[str]:
        """Titles of the documents outside the filter that answer, when the filtered ones do not:
        their evidence is too weak, or the whole corpus would not rank their best passage in its
        top 5 (an unrelated passage is no answer just because the filter left nothing better).
        Empty when the filter is no matter, or when nothing in the corpus answers either."""
        if not filters or not hits:
            return []
        everywhere = self.retriever.run(query, k=5)
        if not everywhere or filters.allows(everywhere[0].passage):
            return []
        if not weak and any(h.passage.id == hits[0].passage.id for h in everywhere):
            return []
        if weak and not self._supported(assess(query, everywhere, snapshot.keyword, spells=snapshot.spells)):
            return []
        return list(dict.fromkeys(h.passage.title for h in everywhere if not filters.allows(h.passage)))[:3]

    def _definition_first(self, question: str, hits: list[Hit], snapshot, filters: Filters | None) -> list[Hit]:
        """For 'what is X?' / 'define X', put the passage that defines X first (the glossary knows it)."""
        from assistant.glossary import glossary_for

        term = defined_term(question)
        if not term:
            return hits
        entries, exact = glossary_for(snapshot).lookup(term)
        passages = [snapshot.passages.get(e.passage_id) for e in entries] if exact else []
        passages = [p for p in passages if p is not None and (not filters or filters.allows(p))]
        if not passages:
            return hits
        first = next((h for h in hits if h.passage.id == passages[0].id), None) or Hit(passages[0], hits[0].score if hits else 1.0)
        return [first] + [h for h in hits if h is not first]

    def _limit_answer(self, question: str, snapshot) -> Answer | None:
        """Effluent-limit questions are answered from the SEQS table itself, with its rows cited."""
        from assistant.standards.questions import answer_limit_question
        from assistant.standards.seqs import LimitsFileError, load_limits

        record = snapshot.files.get(EFFLUENT_DOC_ID)
        if record is None:
            return None
        if self._limits is None or self._limits[0] != record.sha256:
            try:
                self._limits = (record.sha256, load_limits(Path(record.path)))
            except (OSError, LimitsFileError) as error:
                log.warning("effluent limits not usable: %s", error)
                self._limits = (record.sha256, [])
        result = answer_limit_question(question, self._limits[1])
        if result is None:
            return None
        by_row = {p.section_id: p for p in snapshot.passages.values() if p.doc_id == EFFLUENT_DOC_ID}
        citations = []
        for limit in result.limits:
            passage = by_row.get(f"row {limit.row}")
            if passage is not None:
                citations.append(Citation(n=len(citations) + 1, hit=Hit(passage, 1.0, rank=len(citations) + 1)))
        if not citations:
            return None
        markers = "".join(f"[{c.n}]" for c in citations)
        return Answer(question=question, text=f"{result.text} {markers}", abstained=False, citations=citations, query=question, composer="effluent-table")
