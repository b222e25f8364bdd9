"""Resolve follow-up questions against the conversation before retrieval, deterministically.

"and for discharge into the sea?" or "what is the fine for that?" mean little on their own:
when a question looks elliptical (starts like a continuation, leans on a pronoun, or is a bare
fragment such as "TSS?") the previous question is added to it, so retrieval sees the topic
being discussed. A short question that asks something whole ("What is eco-efficiency?") stands
alone: joined to the previous one it would be answered as that one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.keyword import tokenize

_CONTINUATION = re.compile(r"^\s*(and|but|also|or|what about|how about|what if|same for|then|so)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(it|that|this|they|them|those|these|its|such)\b", re.IGNORECASE)
_ASKS_WHOLE = re.compile(
    r"^\s*(what|who|whom|which|why|when|where|how|is|are|was|were|do|does|did|can|could|should|must|may|will|define|explain|describe|list|name)\b",
    re.IGNORECASE,
)
MAX_FOLLOW_UP_TERMS = 6
FOLLOWING = " (following: "


def previous_questions(history: Sequence) -> list[str]:
    """User turns from a history of (user, assistant) pairs or {'role', 'content'} messages."""
    questions = []
    for turn in history or []:
        if isinstance(turn, dict):
            if turn.get("role") == "user" and isinstance(turn.get("content"), str):
                questions.append(turn["content"])
        elif isinstance(turn, list | tuple) and turn and isinstance(turn[0], str):
            questions.append(turn[0])
    return questions


def is_follow_up(question: str) -> bool:
    terms = tokenize(question)
    fragment = not terms or (len(terms) <= 2 and not _ASKS_WHOLE.match(question))
    return bool(_CONTINUATION.match(question)) or (
        len(terms) <= MAX_FOLLOW_UP_TERMS and bool(_PRONOUN.search(question))
    ) or fragment


def resolve(question: str, history: Sequence) -> str:
    """The question as retrieval should see it: standalone, or joined to the question that set
    the topic (the latest earlier question that was not itself a follow-up)."""
    earlier = previous_questions(history)
    if not earlier or not is_follow_up(question):
        return question
    anchor = next((q for q in reversed(earlier) if not is_follow_up(q)), earlier[-1])
    return f"{question.strip()}{FOLLOWING}{' '.join(anchor.split())})"
