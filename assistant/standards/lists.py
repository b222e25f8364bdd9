"""'Which projects need an EIA?': the schedule that lists them, read from the screening table.

A question about a kind of approval rather than about one described project ("Which projects
need a full EIA rather than an IEE?") is answered by the regulation that binds the schedule and
by the schedule's own categories, grouped by sector, each with its threshold, cited to the
Regulations' schedule. Where the question sets one approval against another, kinds listed in
both schedules show where the size moves a project from one to the other. The 2021 schedules
are in force; a question about the repealed 2014 lists is left to the general answerer.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.retrieval import asks_about_repealed
from assistant.standards.profile import (
    REGULATION_OF,
    REGULATIONS,
    REGULATIONS_DOC,
    Cited,
    regulation_passage,
    schedule_passage,
)
from assistant.standards.schedules import DOC_ID as SCHEDULES_DOC
from assistant.standards.schedules import (
    Entry,
    entries_in_force,
    figures_in,
    load_schedules,
)

_APPROVALS = {
    "eia": "EIA", "environmental impact assessment": "EIA",
    "iee": "IEE", "initial environmental examination": "IEE",
    "checklist": "checklist", "environmental checklist": "checklist",
}
_APPROVAL = r"(?:EIA|IEE|(?:environmental\s+)?checklist|environmental\s+impact\s+assessment|initial\s+environmental\s+examination)"
# "Which projects need ...", "What kinds of industry require ...", "List the projects that must file ..."
_WHICH = re.compile(
    r"\b(?:which|what|list(?:\s+(?:all|the))*)\s+(?:(?:kinds?|types?|sorts?|categories)\s+of\s+)?(?:\w+\s+){0,2}?"
    r"(?:projects?|activities|industries|industry|developments|schemes|units|businesses)\b",
    re.IGNORECASE,
)
_NEED = re.compile(
    rf"\b(?:need|needs|require|requires|required|must\s+(?:file|submit|prepare|do|carry\s+out)|have\s+to\s+(?:file|submit|do)|"
    rf"subject\s+to|call\s+for|are\s+listed\s+for|fall\s+under)\b(?:\s+\w+){{0,3}}?\s+(?:an?\s+)?(?:full\s+)?(?P<asked>{_APPROVAL})",
    re.IGNORECASE,
)
_OTHER = re.compile(rf"\b(?:rather\s+than|instead\s+of|not|versus|vs\.?|or)\s+(?:an?\s+|just\s+an?\s+)?(?P<other>{_APPROVAL})", re.IGNORECASE)
_SCHEDULE_OF = {"checklist": "I", "IEE": "II", "EIA": "III"}
_DOCUMENT = {"checklist": "an environmental checklist", "IEE": "an IEE", "EIA": "an EIA"}


def asked_list(question: str, repealed_in: int | None = None) -> tuple[str, str | None] | None:
    """(the approval whose list is asked for, the approval it is set against or None), or None
    for any other question: one that describes a project (it has figures, or no 'which
    projects'), or asks about the repealed 2014 lists (by name, or by a year before
    `repealed_in`, the year they were repealed, as retrieval reads it)."""
    which = _WHICH.search(question)
    need = _NEED.search(question, which.end()) if which else None
    if need is None or figures_in(question) or asks_about_repealed(question, repealed_in):
        return None
    asked = _approval(need.group("asked"))
    other = _OTHER.search(question, need.end())
    contrast = _approval(other.group("other")) if other else None
    return asked, contrast if contrast != asked else None


def _approval(words: str) -> str:
    return _APPROVALS[" ".join(words.casefold().split())]


def schedule_list_answer(question: str, snapshot) -> tuple[str, list] | None:
    """(answer text with [n] markers, citations) listing the schedule of the approval asked for;
    None for any other question or when the index lacks the schedules or the Regulations."""
    asked = asked_list(question, snapshot.repealed_in if snapshot is not None else None)
    if asked is None or snapshot is None or SCHEDULES_DOC not in snapshot.files or REGULATIONS_DOC not in snapshot.files:
        return None
    requirement, contrast = asked
    entries = entries_in_force(load_schedules(Path(snapshot.files[SCHEDULES_DOC].path)))
    listed = [e for e in entries if e.requirement == requirement]
    if not listed:
        return None
    cited = Cited(snapshot)
    schedule = _SCHEDULE_OF[requirement]
    number = REGULATION_OF[requirement]
    regulation = cited.mark(regulation_passage(snapshot, number))
    parts = [
        f"Under regulation {number} of the {REGULATIONS}, a project that falls in any category of Schedule {schedule} "
        f"must file {_DOCUMENT[requirement]} {regulation}. Schedule {schedule} lists:".replace("  ", " ")
    ]
    for sector, members in _by_sector(listed).items():
        marks = _marks(cited.mark(schedule_passage(snapshot, entry)) for entry in members)
        kinds = "; ".join(_kind(entry) for entry in members)
        parts.append(f"{sector}: {kinds} {marks}".rstrip() if sector else f"{kinds} {marks}".rstrip())
    if contrast:
        parts.append(_contrast(requirement, contrast, entries, snapshot, cited))
    parts.append("Describe a project with its size (MW, beds, acres, tons a day) to have it screened against these thresholds.")
    text = " ".join(parts[:1]) + " " + ". ".join(parts[1:-1]) + ". " + parts[-1]
    return cited.finish(text.replace(" .", "."))


def _marks(marks) -> str:
    """"[3][2][3]" -> "[2][3]"."""
    return "".join(sorted({m for m in marks if m}, key=lambda m: int(m.strip("[]"))))


def _by_sector(entries: list[Entry]) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        sector = "" if entry.sector.casefold().startswith("no sector") else entry.sector
        groups.setdefault(sector, []).append(entry)
    return groups


def _kind(entry: Entry) -> str:
    """"thermal power generation (more than 100 MW)"; no threshold for "all", nor one that only
    repeats the project's words ("Large-scale public facilities", "large-scale")."""
    project = entry.project[:1].lower() + entry.project[1:] if not entry.project[:2].isupper() else entry.project
    threshold = re.sub(r"\s*\(no figure given\)", "", entry.threshold)
    words = set(re.findall(r"[a-z]+", threshold.casefold()))
    if not words - {"all"} or words <= set(re.findall(r"[a-z]+", project.casefold())) or threshold.casefold().startswith("all,"):
        return project
    return f"{project} ({threshold})"


def _contrast(requirement: str, contrast: str, entries: list[Entry], snapshot, cited: Cited) -> str:
    """Where the other approval's schedule begins: its regulation, and kinds in both schedules
    that the size moves from one to the other."""
    number = REGULATION_OF[contrast]
    regulation = cited.mark(regulation_passage(snapshot, number))
    by_kind: dict[str, dict[str, Entry]] = {}
    for entry in entries:
        by_kind.setdefault(entry.project.casefold(), {})[entry.requirement] = entry
    both = [kinds for kinds in by_kind.values() if requirement in kinds and contrast in kinds and kinds[requirement].bands]
    text = (
        f"A project in Schedule {_SCHEDULE_OF[contrast]} and in no category of Schedule {_SCHEDULE_OF[requirement]} "
        f"files {_DOCUMENT[contrast]} instead (regulation {number}) {regulation}; where a project falls in both, "
        "the stronger assessment is the one to file"
    ).replace("  ", " ")
    if both:
        sizes = "; ".join(
            f"{kinds[requirement].project.lower()}: {kinds[contrast].threshold} {contrast}, {kinds[requirement].threshold} {requirement} "
            + _marks(cited.mark(schedule_passage(snapshot, kinds[r])) for r in (contrast, requirement))
            for kinds in sorted(both, key=lambda kinds: len(kinds[contrast].threshold + kinds[requirement].threshold))[:3]
        )
        text += f". The size decides for kinds in both lists: {sizes}"
    return text
