"""A project's compliance profile (`cpassist screen`, the UI's "My project" tab, and chat
questions such as "Do I need an EIA for a 30 MW coal power plant?"): the approval the 2021
Regulations require and the entries it rests on, then what follows (filing, review period, fee,
validity), the self-monitoring category, frequency and priority parameters for that kind of unit,
and the SEQS rows of those parameters. Every statement is cited to a passage of the index: a
screening CSV row ("row N"), a regulation or schedule of the digests, an SEQS row.

The procedure figures are read from the Regulations digest's own sentences (regulation 12's
review periods, Schedule IV's fee slabs), never retyped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from assistant.embeddings import StoredVectors
from assistant.keyword import tokenize
from assistant.retrieval import asks_about_repealed
from assistant.standards.intent import asks_for_approval, surely_not_approval
from assistant.standards.matcher import matcher_for
from assistant.standards.monitoring import DOC_ID as MONITORING_DOC
from assistant.standards.monitoring import Monitoring, Obligation
from assistant.standards.numbers import spelled_numbers
from assistant.standards.schedules import DOC_ID as SCHEDULES_DOC
from assistant.standards.schedules import Entry, load_schedules
from assistant.standards.screening import (
    NEED_MORE,
    NOT_LISTED,
    Screener,
    Screening,
    missing_words,
)
from assistant.standards.seqs import DOC_ID as SEQS_DOC
from assistant.standards.seqs import load_limits

log = logging.getLogger(__name__)

REGULATIONS_DOC = "sindh-environmental-assessment-regulations-2021-digest"
REGULATIONS = "Sindh Environmental Assessment Regulations 2021"
REGULATION_OF = {"checklist": "3", "IEE": "4", "EIA": "5"}
LISTING_SHARE = 0.75


@dataclass
class Cited:
    """Passages cited by a profile, numbered by first use."""

    snapshot: Any
    hits: list = field(default_factory=list)

    def mark(self, passage) -> str:
        """The [n] of a passage (added on first use); "" when there is none."""
        if passage is None:
            return ""
        for n, hit in enumerate(self.hits, start=1):
            if hit.passage.id == passage.id:
                return f"[{n}]"
        from assistant.retrieval import Hit

        self.hits.append(Hit(passage, 1.0, rank=len(self.hits) + 1))
        return f"[{len(self.hits)}]"

    def finish(self, text: str) -> tuple[str, list]:
        """The text and the citations it uses, renumbered 1..N by first use: a passage marked
        while a sentence was drafted and then left out must not be listed."""
        from assistant.answer.types import MARKER, Citation

        order: list[int] = []
        for match in MARKER.finditer(text):
            n = int(match.group(1))
            if n not in order:
                order.append(n)
        new = {old: i for i, old in enumerate(order, start=1)}
        text = MARKER.sub(lambda m: f"[{new[int(m.group(1))]}]", text)
        return text, [Citation(n=new[old], hit=self.hits[old - 1]) for old in order]


def passage_of(snapshot, doc_id: str, section_id: str | None = None, pattern: str | None = None):
    """The first passage of a document with that section id and/or text matching the pattern."""
    if snapshot is None or doc_id not in snapshot.files:
        return None
    for passage_id in snapshot.files[doc_id].passage_ids:
        passage = snapshot.passages.get(passage_id)
        if passage is None:
            continue
        if section_id is not None and passage.section_id != section_id:
            continue
        if pattern is not None and not re.search(pattern, passage.text, re.IGNORECASE):
            continue
        return passage
    return None


def regulation_passage(snapshot, number: str):
    """The Regulations' passage that holds regulation `number` ("5"), or None."""
    return passage_of(snapshot, REGULATIONS_DOC, pattern=rf"regulation {number}\.\s")


def schedule_passage(snapshot, entry: Entry):
    """The Regulations' schedule passage that lists a 2021 entry (by its first words), or the
    schedule's first passage; None for a 2014 entry or an index without the Regulations."""
    if entry.regulations != "2021":
        return None
    section = f"Sch. {entry.schedule}"
    words = r"\W+".join(re.escape(w) for w in re.findall(r"\w+", entry.project)[:3])
    return (
        passage_of(snapshot, REGULATIONS_DOC, section, pattern=words)
        or _listing_passage(snapshot, section, entry.project)
        or passage_of(snapshot, REGULATIONS_DOC, section)
    )


def _listing_passage(snapshot, section: str, project: str):
    """The schedule passage with the line that uses most of the entry's words, where the digest
    words it otherwise ("Municipal solid-waste landfill sites" for the table's "Solid waste
    municipal landfill sites"); None when no line uses at least LISTING_SHARE of them."""
    wanted = set(tokenize(project))
    best, best_share = None, LISTING_SHARE
    for passage_id in snapshot.files[REGULATIONS_DOC].passage_ids if wanted and REGULATIONS_DOC in snapshot.files else []:
        passage = snapshot.passages.get(passage_id)
        if passage is None or passage.section_id != section:
            continue
        share = max((len(wanted & set(tokenize(line))) / len(wanted) for line in passage.text.splitlines()), default=0.0)
        if share > best_share:
            best, best_share = passage, share
    return best


def sentence_of(passage, pattern: str) -> str:
    """The sentence (or list item) of a passage that matches the pattern."""
    if passage is None:
        return ""
    for line in re.split(r"(?<=[.;])\s+(?=[A-Z(\-])|\n+", passage.text):
        if re.search(pattern, line, re.IGNORECASE):
            return re.sub(r"^\(\d+\)\s*", "", line.strip(" -"))
    return ""


@dataclass
class Profile:
    """The profile of one description: the screening, what follows, monitoring, the answer."""

    screening: Screening
    answer: str
    citations: list
    procedure: dict
    obligations: list[Obligation]

    def to_dict(self) -> dict:
        from assistant.schema import citation_json

        s = self.screening
        return {
            "project": s.description,
            "regulations": REGULATIONS,
            "requirement": s.requirement,
            "schedule": s.schedule,
            "entries": [
                {**m.entry.to_dict(), "applies": m.status, "reason": m.reason, "governs": m.entry is s.governing}
                for m in s.members
            ] + ([{**s.sensitive.to_dict(), "applies": "applies", "reason": "environmentally sensitive area", "governs": True}] if s.sensitive else []),
            "closest": [{**e.to_dict(), "score": round(score, 3)} for e, score in s.closest] if s.requirement == NOT_LISTED else [],
            "figures": [{"value": str(f.value), "unit": f.unit, "text": f.text} for f in s.figures],
            "missing": s.missing,
            "why": s.why,
            "procedure": self.procedure,
            "monitoring": [o.to_dict() for o in self.obligations],
            "answer": self.answer,
            "citations": [citation_json(c) for c in self.citations],
        }


class ProfileBuilder:
    """Screener and monitoring tables for one index snapshot (rebuilt when its files change)."""

    def __init__(self, snapshot, embedder, stored: StoredVectors | None = None) -> None:
        self.snapshot = snapshot
        self.embedder = embedder
        record = snapshot.files.get(SCHEDULES_DOC) if snapshot else None
        if record is None:
            raise FileNotFoundError(f"{SCHEDULES_DOC} is not in the index")
        self.screener = Screener(load_schedules(Path(record.path)), matcher_for(embedder), stored=stored)
        limits = []
        if (seqs := snapshot.files.get(SEQS_DOC)) is not None:
            try:
                limits = load_limits(Path(seqs.path))
            except (OSError, ValueError) as error:
                log.warning("effluent limits not usable: %s", error)
        monitoring = snapshot.files.get(MONITORING_DOC)
        self.monitoring = Monitoring(Path(monitoring.path), embedder, limits) if monitoring else None

    def profile(self, description: str) -> Profile:
        description = " ".join(description.split())
        screening = self.screener.screen(description)
        cited = Cited(self.snapshot)
        parts = [self._requirement_text(screening, cited)]
        procedure: dict = {}
        if screening.requirement in REGULATION_OF:
            procedure, text = self._procedure(screening, cited)
            parts.append(text)
        obligations: list[Obligation] = []
        if self.monitoring is not None:
            kind = [screening.governing.project] if screening.governing else [m.entry.project for m in screening.members[:1]]
            obligations = self.monitoring.obligations(description, *kind)
            parts.append(self._monitoring_text(obligations, cited))
        text, citations = cited.finish(" ".join(p for p in parts if p))
        return Profile(screening, text, citations, procedure, obligations)

    # ---- the requirement

    def _row(self, entry: Entry, cited: Cited) -> str:
        """The Regulations' schedule that prints the entry, then the table row derived from it."""
        schedule = cited.mark(schedule_passage(self.snapshot, entry))
        return schedule + cited.mark(passage_of(self.snapshot, entry.doc_id, f"row {entry.row}"))

    def _regulation(self, number: str, cited: Cited) -> str:
        return cited.mark(regulation_passage(self.snapshot, number))

    def _requirement_text(self, s: Screening, cited: Cited) -> str:
        if s.requirement == NEED_MORE:
            rows = "; ".join(
                f"{m.entry.label} {self._row(m.entry, cited)}".strip() for m in s.members if m.status != "does not apply"
            ) + "."
            return (
                f"Need more information: {missing_words(s.missing)} decides which approval this project needs, "
                f"and the description does not settle it. The entries that could apply: {rows}"
            )
        if s.requirement == NOT_LISTED:
            closest = "; ".join(f"{e.label} {self._row(e, cited)}".strip() for e, _ in s.closest)
            intro = (
                "Its figures fall outside the entries of its kind: " + "; ".join(
                    f"{m.entry.label} ({m.reason}) {self._row(m.entry, cited)}".strip() for m in s.members
                ) + "."
                if s.members else (
                    "It is a shop that only sells, and no schedule lists trade (its goods' manufacture or storage is "
                    f"listed, not their sale); the closest entries are: {closest}."
                    if s.sells_only else f"No entry of Schedules I to III matches this description; the closest are: {closest}."
                )
            )
            remarks = "".join(
                f" The table notes on {m.entry.reference}: {m.entry.remark.rstrip('.')} {self._row(m.entry, cited)}."
                for m in s.members if m.entry.remark
            )
            return (
                f"Not listed. {intro}{remarks} A project in no schedule need not file an EC, IEE or EIA (regulation 6(1)) "
                f"{self._regulation('6', cited) or self._regulation('3', cited)}, but the Agency may order one for any "
                "project, with reasons, on the Advisory Committee's written recommendation (regulation 6(2))."
            ).replace("  ", " ")
        entry = s.governing
        document = {"checklist": "an environmental checklist (EC)", "IEE": "an Initial Environmental Examination (IEE)", "EIA": "an Environmental Impact Assessment (EIA)"}[s.requirement]
        regulation = "19(2)" if s.sensitive else REGULATION_OF[s.requirement]
        # The entry first: the schedule line that lists the project is what answers "IEE or EIA?".
        text = (
            f"Requirement: {s.requirement}. {s.why.rstrip('.')} {self._row(entry, cited)}. Under the {REGULATIONS} "
            f"this project must therefore file {document} (regulation {regulation}) "
            f"{self._regulation(regulation.split('(')[0] if not s.sensitive else '19', cited)}."
        )
        for member in s.members:
            if member.entry is not entry and member.status == "applies":
                text += f" It also falls within {member.entry.label} ({member.reason}) {self._row(member.entry, cited)}."
        return text.replace("  ", " ").replace(" .", ".")

    # ---- what follows

    def _procedure(self, s: Screening, cited: Cited) -> tuple[dict, str]:
        requirement = s.requirement
        facts: dict = {}
        parts = []
        filing = passage_of(self.snapshot, REGULATIONS_DOC, pattern=r"regulation 9\.\s")
        if sentence := sentence_of(filing, r"paper copies"):
            facts["filing"] = sentence
            parts.append(f"Filing: {sentence.rstrip('.')}, with the Schedule V application form and the fee receipt {cited.mark(filing)}.")
        review = passage_of(self.snapshot, REGULATIONS_DOC, pattern=r"regulation 12\.\s")
        days = _review_days(review.text if review else "", requirement)
        if days:
            facts["review_days"] = days
            parts.append(f"Review: the Agency aims to decide within {days} days of receiving a complete {requirement} (regulation 12(1)) {cited.mark(review)}.")
        if requirement == "EIA":
            hearing = passage_of(self.snapshot, REGULATIONS_DOC, pattern=r"regulation 11\.\s")
            if hearing is not None:
                parts.append(f"An EIA goes to a public hearing, held no sooner than ten days after the notice (regulation 11) {cited.mark(hearing)}.")
        fees = passage_of(self.snapshot, REGULATIONS_DOC, section_id="Sch. IV")
        fee = _fee(fees.text if fees else "", requirement, s.cost_million)
        if fee:
            facts["fee"] = fee
            parts.append(f"Fee: {fee} (Schedule IV) {cited.mark(fees)}.")
        validity = passage_of(self.snapshot, REGULATIONS_DOC, pattern=r"regulation 15\.\s")
        if sentence := sentence_of(validity, r"valid for"):
            facts["validity"] = sentence
            parts.append(f"Validity: {sentence.rstrip('.')}; it is extended by three more years once construction starts (regulation 15) {cited.mark(validity)}.")
        return facts, " ".join(parts).replace(" .", ".")

    def _monitoring_text(self, obligations: list[Obligation], cited: Cited) -> str:
        if not obligations:
            rule4 = passage_of(self.snapshot, MONITORING_DOC, pattern=r"rule 4\.\s")
            return (
                "Self-monitoring: this kind of unit is not named in Schedules I or II of the Self-Monitoring and "
                "Reporting Rules 2014, so its category is set by the Director General from its pollution level (rule 4) "
                f"{cited.mark(rule4)}."
            ).replace(" .", ".")
        parts = []
        for o in obligations:
            category = passage_of(self.snapshot, MONITORING_DOC, section_id=f"Sch. {o.industry.schedule}")
            rule = passage_of(self.snapshot, MONITORING_DOC, pattern=rf"{o.rule}\.\s")
            medium = "liquid effluents" if o.medium == "liquid" else "gaseous emissions"
            text = (
                f"Self-monitoring, {medium}: category \"{o.industry.category}\" ({o.industry.name}, Schedule {o.industry.schedule}) "
                f"{cited.mark(category)}, reporting {o.frequency} ({o.rule}) {cited.mark(rule)}"
            )
            if o.parameters:
                table = passage_of(self.snapshot, MONITORING_DOC, section_id=f"Sch. {o.parameter_schedule}", pattern=re.escape(o.parameters[-1]))
                text += f"; priority parameters (Schedule {o.parameter_schedule}): {', '.join(o.parameters)} {cited.mark(table)}"
            if o.seqs:
                rows = ", ".join(
                    f"{limit.parameter} {cited.mark(passage_of(self.snapshot, limit.doc_id, f'row {limit.row}'))}".strip()
                    for limit in o.seqs
                )
                text += f"; their SEQS effluent rows: {rows}"
            parts.append(text.replace("  ", " ").rstrip() + ".")
        return " ".join(parts)


def _review_days(text: str, requirement: str) -> int | None:
    """Regulation 12(1)'s target for this filing: "thirty days for an IEE"."""
    wanted = {"checklist": r"checklist", "IEE": r"\bIEE\b", "EIA": r"\bEIA\b"}[requirement]
    for number, what in re.findall(r"(\w+(?:-\w+)?) days for (.{0,45}?\b(?:checklist|IEE|EIA)\b)", text):
        if re.search(wanted, what):
            digits = spelled_numbers(number)
            return int(digits) if digits.isdigit() else None
    return None


_SLAB = re.compile(r"(?:cost )?(?:(up to)|above) (\d+)(?: and up to (\d+))? million\s*[—-]+\s*Rs ([\d,]+)", re.IGNORECASE)


def _fee(text: str, requirement: str, cost: Decimal | None) -> str:
    """Schedule IV's fee for this filing; for IEE and EIA by cost slab (all slabs when no cost given)."""
    if requirement == "checklist":
        match = re.search(r"Rs ([\d,]+) for reviewing an environmental checklist", text)
        return f"Rs {match.group(1)} for an environmental checklist" if match else ""
    slabs = []
    for up_to, low, high, fee in _SLAB.findall(text):
        low_value = Decimal(0) if up_to else Decimal(low)
        high_value = Decimal(low) if up_to else (Decimal(high) if high else None)
        slabs.append((low_value, high_value, fee))
    if not slabs:
        return ""
    if cost is not None:
        for low, high, fee in slabs:
            if cost > low and (high is None or cost <= high) or (cost == 0 and low == 0):
                return f"Rs {fee} for a project costing Rs {cost:,.0f} million"
    listed = "; ".join(
        f"{'up to' if low == 0 else 'above ' + str(low) + (' and up to' if high else '')} {high if high else ''} million: Rs {fee}".replace("  ", " ")
        for low, high, fee in slabs
    )
    return f"by project cost (not given): {listed}"


_BUILDERS: dict[tuple, ProfileBuilder] = {}


def builder_for(snapshot, embedder, stored: StoredVectors | None = None) -> ProfileBuilder:
    """One builder per snapshot generation and file versions (the entries are embedded once per
    process, and once per change of the texts when `stored` keeps their vectors)."""
    key = (
        getattr(snapshot, "generation", None),
        id(embedder),
        *(snapshot.files[d].sha256 if d in snapshot.files else "" for d in (SCHEDULES_DOC, MONITORING_DOC, SEQS_DOC)),
    )
    if key not in _BUILDERS:
        _BUILDERS.clear()
        _BUILDERS[key] = ProfileBuilder(snapshot, embedder, stored)
    return _BUILDERS[key]


def screen_description(description: str, snapshot, embedder, stored: StoredVectors | None = None) -> Profile:
    """The profile of one description against an index snapshot."""
    return builder_for(snapshot, embedder, stored).profile(description)


# "Do I need an EIA for a 30 MW coal power plant?", "Which approval does a tannery need?",
# "Is an IEE required for a 120-bed hospital?": a question about the approval a described project
# needs. What is an EIA, how long a review takes, and the like, are left to the general answerer.
_APPROVAL = r"(?:an?\s+)?(?:EIA|IEE|environmental\s+(?:impact\s+)?assessment|initial\s+environmental\s+examination|(?:environmental\s+)?check\s?list|EC|environmental\s+approval|approval|clearance|NOC)"
_ASKING = [
    re.compile(rf"\b(?:do(?:es)?|will|would)\s+(?:i|we|you|it|they|my|our|the|a|an)\b.*?\b(?:need|require|have\s+to\s+(?:file|submit|get))\s+{_APPROVAL}\s+(?:for|to\s+(?:build|set\s+up|start|open|run|establish|expand|add|construct|install)|before\s+(?:building|setting\s+up|starting|opening|adding|expanding|constructing|installing)|if\s+(?:i|we)\s+(?:build|set\s+up|start|open|add|expand))\s+(?P<d>.+)", re.IGNORECASE),
    re.compile(rf"\b(?:is|are)\s+{_APPROVAL}\s+(?:required|needed|necessary|mandatory)\s+(?:for|to\s+(?:build|set\s+up|start|open|establish))\s+(?P<d>.+)", re.IGNORECASE),
    re.compile(r"\b(?:which|what)\s+(?:kind\s+of\s+|type\s+of\s+)?(?:environmental\s+)?(?:approval|assessment|clearance|document|filing|study)\b.*?\bfor\s+(?P<d>.+)", re.IGNORECASE),
    re.compile(r"\b(?:which|what)\s+(?:kind\s+of\s+|type\s+of\s+)?(?:environmental\s+)?(?:approval|assessment|clearance|document|filing|study)\s+(?:does|do|will|would)\s+(?P<d>.+?)\s+(?:need|require|have\s+to\s+file)$", re.IGNORECASE),
    re.compile(rf"^(?:does|do|will|would)\s+(?P<d>.+?)\s+(?:need|require)\s+{_APPROVAL}$", re.IGNORECASE),
    re.compile(r"\b(?P<d>.+?)\s*[:,-]?\s+(?:EIA|IEE|checklist)\s+or\s+(?:EIA|IEE|checklist)\b", re.IGNORECASE),
    # "A 300 metre bridge over a drain: which schedule?" (not one set before 2021, nor two compared).
    re.compile(
        r"^(?!.*\b(?:19\d\d|20(?:0\d|1\d|20))\b)(?!.*\b(?:vs|versus)\b)(?P<d>.+?)\s*[:–—-]\s*(?:which|what)\s+"
        r"(?:screening\s+(?:category|list|schedule)|schedule|list)\b",
        re.IGNORECASE,
    ),
]


# A year before the 2021 Regulations ("IEE or EIA under 2014?"): the screener reads only the
# schedules in force, so such a question is left to the general answerer.
_OLD_YEAR = re.compile(r"\b(?:19\d\d|20(?:0\d|1\d|20))\b")


def approval_description(question: str) -> str | None:
    """The project a question asks the approval of ("a 30 MW coal power plant"), or None."""
    text = " ".join(question.split()).rstrip(" ?.!")
    for pattern in _ASKING:
        if match := pattern.search(text):
            description = re.sub(r"^(?:a|an|the|my|our|new)\s+", "", match.group("d").strip(" ,"), flags=re.IGNORECASE)
            description = re.sub(r"\s+(?:in|under)\s+sindh$", "", description, flags=re.IGNORECASE)
            law = re.search(r"\b(?:act|regulations?|rules?|law|agency|sepa|section|schedule)\b", description, re.IGNORECASE)
            if len(description) >= 3 and not law and not re.fullmatch(r"(?:it|this|that|them|one)", description, re.IGNORECASE):
                return description
    return None


def screening_answer(
    question: str, snapshot, embedder, builder: ProfileBuilder | None = None, stored: StoredVectors | None = None
) -> tuple[str, list] | None:
    """For the chat: (answer text with [n] markers, citations) when the question asks which
    approval (IEE, EIA or checklist) a described project needs; None for any other question, or
    when the index lacks the screening schedules."""
    if snapshot is None or SCHEDULES_DOC not in snapshot.files:
        return None
    # Set before the 2021 Regulations ("2014 housing scheme of 10 acres: IEE or EIA?"): the
    # screener reads only the schedules in force, the general answerer quotes the old lists.
    if asks_about_repealed(question, snapshot.repealed_in):
        return None
    description = approval_description(question)
    if description is not None and surely_not_approval(question, embedder):
        return None
    # Asked in other words ("Our 200-bed hospital in Karachi: EIA?"): the intent head routes it,
    # the whole question is the description, and a project it cannot place is left to the
    # general answerer rather than called "not listed" on a guess about what was asked. Any year
    # before 2021 keeps it away, even one naming an instrument: the head is not sure enough.
    by_head = description is None and not _OLD_YEAR.search(question) and asks_for_approval(question, embedder)
    if by_head:
        description = " ".join(question.split()).rstrip(" ?.!")
    if description is None:
        return None
    try:
        profile = (builder or builder_for(snapshot, embedder, stored)).profile(description)
    except (OSError, ValueError) as error:
        log.warning("screening not usable: %s", error)
        return None
    if not profile.citations or (by_head and profile.screening.requirement == NOT_LISTED):
        return None
    return profile.answer, profile.citations
