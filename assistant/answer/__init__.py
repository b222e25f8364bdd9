"""Compose a cited answer from retrieved passages, or withhold it when the corpus cannot answer.

Where things are:
- types.py: the answer types (Answer, Citation, Evidence) and the [n] marker.
- sentences.py: quotable text: sentences, clauses of a long sentence, the units of a passage.
- question.py: question analysis from the words alone: the asking sentence, its terms and their
  weights, the term of a definition question, named abbreviations, the names asked about,
  "how things stand now".
- figures.py: the kind of figure a question asks for, and whether a text gives it.
- answerability.py: the answerability decision: the refusals (another province, a name no
  passage uses, "now", an undefined term), the retrieval evidence the score is computed from,
  and the messages a withheld answer gives.
- composer.py: the extractive composer (sentences quoted word for word, each with its [n]).

The pipeline (assistant/pipeline.py) runs these in order; the names other modules use are
re-exported here, so `from assistant.answer import Answer` is the way in. Modules inside this
package import each other directly, never through this file.
"""

from assistant.answer.answerability import (
    AS_OF_NOW,
    NO_FIGURE,
    NOT_COVERED,
    NOT_MENTIONED,
    OTHER_JURISDICTION,
    OUTSIDE_FILTER,
    RULES,
    Refusal,
    assess,
    other_jurisdiction,
    refusal,
    unknown_name,
    unused_term,
)
from assistant.answer.composer import (
    MAX_ANSWER_WORDS,
    MAX_SENTENCES,
    ExtractiveComposer,
    names_row_parameter,
)
from assistant.answer.figures import AskedFigure, counted_terms, states_count
from assistant.answer.question import (
    asking_sentence,
    asks_as_of_now,
    defined_term,
    named_concepts,
    names_asked_about,
    question_terms,
    term_weights,
)
from assistant.answer.sentences import (
    Unit,
    answer_units,
    clauses,
    is_heading,
    passage_sentences,
    split_sentences,
)
from assistant.answer.types import MARKER, Answer, Citation, Evidence, Trace

__all__ = [
    "AS_OF_NOW",
    "MARKER",
    "MAX_ANSWER_WORDS",
    "MAX_SENTENCES",
    "NOT_COVERED",
    "NOT_MENTIONED",
    "NO_FIGURE",
    "OTHER_JURISDICTION",
    "OUTSIDE_FILTER",
    "RULES",
    "Refusal",
    "Answer",
    "AskedFigure",
    "Citation",
    "Evidence",
    "Trace",
    "ExtractiveComposer",
    "Unit",
    "answer_units",
    "asking_sentence",
    "asks_as_of_now",
    "assess",
    "clauses",
    "counted_terms",
    "defined_term",
    "is_heading",
    "named_concepts",
    "names_asked_about",
    "names_row_parameter",
    "other_jurisdiction",
    "passage_sentences",
    "question_terms",
    "refusal",
    "split_sentences",
    "states_count",
    "term_weights",
    "unknown_name",
    "unused_term",
]
