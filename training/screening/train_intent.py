"""Train the screening-intent head (assistant/standards/intent.py) from training/screening/intent.jsonl.

    .venv/bin/python training/screening/train_intent.py

Embeds each labelled question with the shipped MiniLM, fits a logistic regression, picks the
threshold at which five-fold cross-validated precision is at least PRECISION (a question routed to
the screener by mistake gets a project card instead of an answer, which is worse than a missed
route: the general answerer still answers those), prints the cross-validated figures and writes
assistant/data/screening_intent.npz. Takes about a minute on two cores.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.embeddings import MiniLMEmbeddings
from assistant.standards.intent import HEAD_FILE, IntentHead

LABELS = Path(__file__).resolve().parent / "intent.jsonl"
PRECISION = 0.95
C = 16.0


def main() -> None:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    embedder = MiniLMEmbeddings()
    x = np.asarray(embedder.embed_documents([r["question"] for r in rows]), dtype=np.float32)
    y = np.asarray([bool(r["screening"]) for r in rows])
    model = LogisticRegression(C=C, max_iter=3000)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=13)
    p = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    print(f"{len(rows)} questions, {int(y.sum())} ask for a project's approval")
    print("threshold  precision  recall   (five-fold cross-validation)")
    chosen = None
    for threshold in np.arange(0.30, 0.96, 0.05):
        routed = p >= threshold
        precision = (routed & y).sum() / max(routed.sum(), 1)
        recall = (routed & y).sum() / max(y.sum(), 1)
        print(f"  {threshold:.2f}      {precision:.3f}     {recall:.3f}")
        if chosen is None and precision >= PRECISION:
            chosen = float(round(threshold, 2))
    chosen = chosen if chosen is not None else 0.95
    model.fit(x, y)
    head = IntentHead(model.coef_[0].astype(np.float32), float(model.intercept_[0]), chosen, embedder.name)
    head.save(HEAD_FILE)
    print(f"threshold {chosen}; wrote {HEAD_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
