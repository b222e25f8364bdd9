"""What the judge reads of a passage: its heading line and the sentences nearest the question.

The judge reads ~160 word pieces to stay fast on two cores, and passages run to 400 words: cut
at the start, the sentence that answers is often lost. So a long passage is cut down to the
sentences sharing most words with the question, kept in their own order. Training and scoring
use the same cut, so the judge learns what it will see.
"""

from __future__ import annotations

from assistant.keyword import tokenize
from assistant.passages import Passage, sentence_spans

FOCUS_WORDS = 85
GAP = "…"


def focus(question: str, passage: Passage, words: int = FOCUS_WORDS) -> str:
    text = passage.text
    if len(text.split()) <= words:
        return f"{passage.context_line}\n{text}"
    asked = set(tokenize(question))
    spans = sentence_spans(text, words)
    ranked = sorted(range(len(spans)), key=lambda i: (-len(asked & set(tokenize(text[spans[i][0]:spans[i][1]]))), i))
    chosen, used = [], 0
    for i in ranked:
        if used + spans[i][2] > words and chosen:
            continue
        chosen.append(i)
        used += spans[i][2]
    pieces: list[str] = []
    previous = None
    for i in sorted(chosen):
        if pieces and i != previous + 1:
            pieces.append(GAP)
        pieces.append(text[spans[i][0]:spans[i][1]])
        previous = i
    return f"{passage.context_line}\n{' '.join(pieces)}"
