"""Matching a lab's parameter name to a row of the limits table, exactly or not at all.

Every alias of every row is indexed by its compact key; a key two rows claim is ambiguous, and a
name of a part of what a row limits is pointed to that row with the reason it cannot use it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.standards.aliases import (
    AMBIGUOUS,
    NEUTRAL_QUALIFIERS,
    NOT_COMPARABLE,
    SYMBOLS,
    compact,
)
from assistant.standards.seqs import Limit
from assistant.standards.units import is_known_unit


@dataclass(frozen=True)
class Match:
    """A lab name resolved to a row, or the reason it was not."""

    limit: Limit | None
    reason: str = ""


@dataclass(frozen=True)
class ParameterIndex:
    """Exact lookups from name keys to rows; ambiguous and non-comparable names are explicit."""

    by_key: dict[str, Limit]
    ambiguous: dict[str, tuple[Limit, ...]]
    not_comparable: dict[str, tuple[Limit | None, str]]
    symbols: dict[str, str]

    def match(self, name: str) -> Match:
        """Resolve a lab's parameter name without guessing."""
        key = compact(name)
        if not key:
            return Match(None, "no parameter name given")
        if key in self.not_comparable:
            return Match(None, self._not_comparable_reason(name, key))
        if candidates := self.candidates(key):
            return self._single(name, candidates)
        base, qualifiers = _split_qualifiers(name)
        if qualifiers and base:
            return self._match_qualified(name, base, qualifiers)
        return Match(None, _unknown_reason(name))

    def candidates(self, key: str) -> tuple[Limit, ...]:
        """Rows a name key could mean (one, several if ambiguous, or none)."""
        for variant in _total_variants(key):
            if variant in self.by_key:
                return (self.by_key[variant],)
            if variant in self.ambiguous:
                return self.ambiguous[variant]
        return ()

    def _single(self, name: str, candidates: tuple[Limit, ...]) -> Match:
        """Accept one candidate; explain several."""
        if len(candidates) == 1:
            return Match(candidates[0])
        options = " or ".join(limit.parameter for limit in candidates)
        return Match(None, f"{name!r} could mean {options}; write the full parameter name")

    def _not_comparable_reason(self, name: str, key: str) -> str:
        """Why a name that points at a row still cannot use its limit."""
        return f"{name!r}: {self.not_comparable[key][1]}"

    def _match_qualified(self, name: str, base: str, qualifiers: list[str]) -> Match:
        """Match "Lead (Pb)", "COD (mg/L)", "Sulphate as SO4": every part must agree."""
        base_key = compact(base)
        if base_key in self.not_comparable:
            return Match(None, self._not_comparable_reason(name, base_key))
        remaining = set(self.candidates(base_key))
        for qualifier in qualifiers:
            key = compact(re.sub(r"^\s*as\s+", "", qualifier, flags=re.IGNORECASE))
            if key in NEUTRAL_QUALIFIERS or is_known_unit(qualifier):
                continue
            if key in self.not_comparable:
                return Match(None, self._not_comparable_reason(name, key))
            remaining &= set(self.candidates(key))
        if not remaining:
            return Match(None, _unknown_reason(name))
        ordered = tuple(limit for limit in self.candidates(base_key) if limit in remaining)
        return self._single(name, ordered)


def _total_variants(key: str) -> tuple[str, ...]:
    """The key, then without a leading or trailing "total" (e.g. "Total cyanide")."""
    variants = [key]
    if key.startswith("total") and len(key) > 5:
        variants.append(key[5:])
    if key.endswith("total") and len(key) > 5:
        variants.append(key[:-5])
    return tuple(variants)


def _split_qualifiers(name: str) -> tuple[str, list[str]]:
    """Split "Lead (Pb)" or "Lead as Pb" into the base name and its qualifiers."""
    qualifiers = re.findall(r"[(\[]([^)\]]*)[)\]]", name)
    base = re.sub(r"[(\[][^)\]]*[)\]]", " ", name).strip()
    if match := re.fullmatch(r"(.*?)\s+as\s+(.+)", base, flags=re.IGNORECASE):
        base = match.group(1)
        qualifiers.append(match.group(2))
    return base.strip(), qualifiers


def _unknown_reason(name: str) -> str:
    """Why an unmatched name is not guessed at."""
    return (
        f"{name!r} is not a parameter of the SEQS effluent table (or not a name this checker "
        "knows for one); it is not guessed at: use the table's name for the parameter"
    )


def build_index(limits: Sequence[Limit]) -> ParameterIndex:
    """Index every alias of every row; a key claimed by two rows becomes ambiguous."""
    by_key: dict[str, Limit] = {}
    ambiguous: dict[str, tuple[Limit, ...]] = {}
    for limit in limits:
        for alias in limit.aliases:
            _add_alias(by_key, ambiguous, compact(alias), limit)
    by_name = {limit.parameter: limit for limit in limits}
    for alias, names in AMBIGUOUS.items():
        key = compact(alias)
        by_key.pop(key, None)
        ambiguous.pop(key, None)
        if len(rows := tuple(by_name[name] for name in names if name in by_name)) > 1:
            ambiguous[key] = rows
    not_comparable = {
        compact(alias): (by_name.get(related), reason)
        for aliases, related, reason in NOT_COMPARABLE
        for alias in aliases
    }
    symbols = {compact(s): s for limit in limits for s in SYMBOLS.get(limit.parameter, ())}
    return ParameterIndex(by_key, ambiguous, not_comparable, symbols)


def _add_alias(
    by_key: dict[str, Limit], ambiguous: dict[str, tuple[Limit, ...]], key: str, limit: Limit
) -> None:
    """Register one alias key, demoting it to ambiguous if another row already has it."""
    if key in ambiguous:
        if limit not in ambiguous[key]:
            ambiguous[key] = (*ambiguous[key], limit)
    elif key in by_key and by_key[key] is not limit:
        ambiguous[key] = (by_key.pop(key), limit)
    else:
        by_key[key] = limit
