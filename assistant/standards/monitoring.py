"""The self-monitoring obligations of a kind of industrial unit, read from the Sindh
Self-Monitoring and Reporting Rules 2014 digest: its liquid-effluent category (A, B or C,
Schedule I) and gaseous-emission category (A or B, Schedule II), the reporting frequency of each
category (rules 5 to 7), and the priority parameters of its row in Schedules III to V, each
resolved to its SEQS effluent row where the table has one.

The schedules are read from the digest's own lines ("- Category "A" (monthly reporting, rule 5):
(1) chlor-alkali, mercury cell; ..."), never retyped here; an industry is found for a unit by
meaning (the same embedder as the screening), and only when it is close enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.standards.matching import build_index
from assistant.standards.seqs import Limit

DOC_ID = "sindh-self-monitoring-rules-2014-digest"
FREQUENCY = {"A": "monthly", "B": "quarterly", "C": "twice a year (biannual)"}
RULE_OF_CATEGORY = {"A": "rule 5", "B": "rule 6", "C": "rule 7"}
PARAMETER_SCHEDULE = {"A": "III", "B": "IV", "C": "V"}
# How close an industry name must come to the unit's description to be its type.
INDUSTRY_FLOOR = 0.6


@dataclass(frozen=True)
class Industry:
    """One industry of Schedule I (liquid) or II (gaseous), with its category."""

    name: str
    medium: str  # "liquid" or "gaseous"
    category: str
    schedule: str


@dataclass(frozen=True)
class ParameterRow:
    """A row of a priority-parameter table: industry and its parameters."""

    name: str
    medium: str
    category: str
    schedule: str
    parameters: tuple[str, ...]


@dataclass
class Obligation:
    """One medium's category, frequency and parameters for a unit."""

    medium: str
    industry: Industry
    frequency: str
    rule: str
    parameters: tuple[str, ...]
    parameter_schedule: str
    seqs: list[Limit] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "medium": self.medium,
            "industry": self.industry.name,
            "category": self.industry.category,
            "category_schedule": self.industry.schedule,
            "frequency": self.frequency,
            "rule": self.rule,
            "priority_parameters": list(self.parameters),
            "parameters_schedule": self.parameter_schedule,
            "seqs_rows": [{"parameter": l.parameter, "row": l.row, "doc_id": l.doc_id} for l in self.seqs],
        }


def _section(text: str, heading: str) -> str:
    """The text under a '### heading' up to the next heading of that level or higher."""
    match = re.search(rf"^###\s+{re.escape(heading)}.*?$(.*?)(?=^##\s|^###\s|\Z)", text, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


_CATEGORY_LINE = re.compile(r'^- Category "([ABC])"[^:]*:\s*(.+)$', re.MULTILINE)
_NUMBERED = re.compile(r"\(\d+\)\s*([^;]+?)\s*(?=;|\.\s*$|$)")


def read_industries(text: str) -> list[Industry]:
    """Schedules I and II: every industry with its category ("any other industry" left out)."""
    industries = []
    for schedule, medium, heading in (("I", "liquid", "Schedule I "), ("II", "gaseous", "Schedule II ")):
        for category, items in _CATEGORY_LINE.findall(_section(text, heading)):
            for name in _NUMBERED.findall(items):
                if not name.casefold().startswith("any other"):
                    name = re.sub(r"\s*\(printed [^)]*\)", "", name).strip().rstrip(".")
                    industries.append(Industry(name, medium, category, schedule))
    return industries


_ROW = re.compile(r"^- \d+\.\s+(.+?)\s+—\s+(.+)$", re.MULTILINE)


def read_parameter_rows(text: str) -> list[ParameterRow]:
    """Schedules III and IV (tables A liquid, B gaseous) and V: each industry's priority parameters."""
    rows = []
    for category, schedule in (("A", "III"), ("B", "IV")):
        body = _section(text, f"Schedule {schedule} ")
        tables = re.split(r"^Table B\b", body, maxsplit=1, flags=re.MULTILINE)
        for medium, table in zip(("liquid", "gaseous"), tables):
            for name, rest in _ROW.findall(table):
                rows.append(ParameterRow(name, medium, category, schedule, _parameters(rest, medium)))
    body = _section(text, "Schedule V ")
    if match := re.search(r"parameters are (.+?)(?:, plus|\.)", body):
        names = re.search(r"covers (.+?) and any other", body)
        for name in re.split(r",\s*", names.group(1) if names else ""):
            rows.append(ParameterRow(name.strip(), "liquid", "C", "V", _split(match.group(1))))
    return rows


def _parameters(rest: str, medium: str) -> tuple[str, ...]:
    """"monthly: a, b. Hourly: c" -> (a, b); "process: a. Fired equipment: b" -> (a, b)."""
    if medium == "liquid":
        rest = re.split(r"\.\s*Hourly", rest)[0]
        rest = re.sub(r"^monthly:\s*", "", rest)
        return _split(rest)
    found: list[str] = []
    for part in re.findall(r"(?:process|fired equipment):\s*([^.]+)", rest, re.IGNORECASE):
        if "nothing printed" not in part:
            found += _split(part)
    return tuple(dict.fromkeys(found))


def _split(text: str) -> tuple[str, ...]:
    text = re.sub(r"\(printed [^)]*\)|the starred metals|\*", "", text)
    parts = re.split(r",\s*|(?<!oil)\s+and\s+(?!grease)", text.strip().rstrip("."))
    parts = [re.sub(r"^and\s+", "", p.strip()) for p in parts]
    return tuple(p for p in parts if p)


class Monitoring:
    """The rules' tables, with the industries embedded for matching."""

    def __init__(self, path: Path, embedder, limits: list[Limit]) -> None:
        text = Path(path).read_text(encoding="utf-8")
        self.doc_id = Path(path).stem
        self.industries = read_industries(text)
        self.rows = read_parameter_rows(text)
        self.embedder = embedder
        self.parameter_index = build_index(limits) if limits else None
        self._vectors = np.asarray(embedder.embed_documents([i.name for i in self.industries]), dtype=np.float32)

    def obligations(self, *texts: str) -> list[Obligation]:
        """The liquid and gaseous obligations of the unit the texts describe (best text wins)."""
        if not self.industries or not any(texts):
            return []
        queries = np.asarray(self.embedder.embed_documents([t for t in texts if t]), dtype=np.float32)
        scores = (queries @ self._vectors.T).max(axis=0)
        found = []
        for medium in ("liquid", "gaseous"):
            candidates = [i for i, industry in enumerate(self.industries) if industry.medium == medium]
            best = max(candidates, key=lambda i: scores[i], default=None)
            if best is None or scores[best] < INDUSTRY_FLOOR:
                continue
            industry = self.industries[best]
            row = self._row_for(industry)
            parameters = row.parameters if row else ()
            found.append(Obligation(
                medium=medium,
                industry=industry,
                frequency=FREQUENCY[industry.category],
                rule=RULE_OF_CATEGORY[industry.category],
                parameters=parameters,
                parameter_schedule=PARAMETER_SCHEDULE[industry.category],
                seqs=self._seqs(parameters) if medium == "liquid" else [],
            ))
        return found

    def _row_for(self, industry: Industry) -> ParameterRow | None:
        """The parameter row of an industry: same medium and category, closest name."""
        rows = [r for r in self.rows if r.medium == industry.medium and r.category == industry.category]
        if not rows:
            return None
        vectors = np.asarray(self.embedder.embed_documents([industry.name] + [r.name for r in rows]), dtype=np.float32)
        similarity = vectors[1:] @ vectors[0]
        best = int(np.argmax(similarity))
        return rows[best] if similarity[best] >= INDUSTRY_FLOOR else None

    def _seqs(self, parameters: tuple[str, ...]) -> list[Limit]:
        """The SEQS rows of the parameters, by the table's own aliases (no fuzzy match)."""
        if self.parameter_index is None:
            return []
        limits: list[Limit] = []
        for name in parameters:
            match = self.parameter_index.match(re.sub(r"\s*\((trivalent|hexavalent)\)", r" \1", name))
            if match.limit is None:
                match = self.parameter_index.match(re.sub(r"\s*\(.*?\)", "", name))
            if match.limit is not None and match.limit not in limits:
                limits.append(match.limit)
        return limits
