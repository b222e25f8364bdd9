"""How well the extractive composer states the answer, measured on the judge's TRAINING questions.

The eval sets must stay untouched by tuning, so the composer's choices (which sentence leads,
what joins it) are compared here instead: a seeded sample of the answerable questions in
training/judge/data/, each with the phrase from the document that answers it. For every question
that is answered (not withheld) it counts:
- stated: the answer text itself contains the phrase (the user reads the answer, not only the
  source behind it);
- lead: the first quoted sentence contains it;
- cited: a cited passage contains it.
Run it before and after a composer change; the figures of the eval sets come from `cpassist eval`.

    .venv/bin/python evals/bench_composer.py [--n 400] [--seed 7] [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sample(n: int, seed: int) -> list[dict]:
    questions = []
    for path in sorted((ROOT / "training" / "judge" / "data").glob("*.jsonl")):
        questions += [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    answerable = [q for q in questions if q["kind"] == "answerable"]
    return random.Random(seed).sample(answerable, min(n, len(answerable)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()

    from assistant.gold import GoldLocator, normalise
    from assistant.pipeline import Assistant

    bot = Assistant()
    snapshot = bot.index.snapshot()
    if snapshot is None:
        print("no index: run `cpassist ingest` first", file=sys.stderr)
        return 1
    locate = GoldLocator(snapshot)
    counts = {"asked": 0, "answered": 0, "stated": 0, "lead": 0, "cited": 0}
    for q in sample(args.n, args.seed):
        gold = locate.passages(q["doc_id"], q["phrase"])
        if not gold:
            continue
        counts["asked"] += 1
        answer = bot.ask(q["question"])
        if answer.abstained:
            continue
        counts["answered"] += 1
        phrase = normalise(q["phrase"])
        text = normalise(answer.text)
        first = normalise(re.split(r"\[\d+\]", answer.text, maxsplit=1)[0])
        stated = phrase in text
        counts["stated"] += stated
        counts["lead"] += phrase in first
        counts["cited"] += any(c.hit.passage.id in gold for c in answer.citations)
        if args.show_misses and not stated:
            print(f"MISS {q['id']}: {q['question']}\n  phrase: {q['phrase']}\n  answer: {answer.text[:300]}\n", file=sys.stderr)
    answered = counts["answered"] or 1
    print(f"questions with a located phrase: {counts['asked']}; answered: {counts['answered']}")
    for key in ("stated", "lead", "cited"):
        print(f"{key:>8}: {counts[key] / answered:.3f} of answered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
