"""Train the screening matcher (assistant/standards/matcher.py) from the shipped lay texts.

    .venv/bin/python training/screening/train_matcher.py

Fine-tunes the encoder layers of the shipped MiniLM (its word embeddings stay frozen) for one
epoch on the lay descriptions of assistant/data/screening_exemplars*.jsonl (each against its
entry), the entries' listed kinds ("distilleries" of "Sugar mills and distilleries") and the
unlisted activities of screening_unlisted*.jsonl. Each text is read as the screener reads it
(places, costs and asking words left out; Urdu as its English reading) and scored against every
2021 entry's wording plus one "not listed" column, the best of 64 other unlisted activities,
which is the screener's own test. Softmax cross-entropy at scale 20, AdamW at 2e-5 with a tenth
warm-up and linear decay, batches of 32, seed 0: about 5 minutes on two cores. Writes the encoder
layers in float16 to assistant/data/screening_matcher.safetensors.

The development sets (training/screening/*dev*.jsonl) are never trained on: they chose the
epochs and the learning rate.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.embeddings import MiniLMEmbeddings
from assistant.standards.matcher import MATCHER_FILE, TRAINED_PREFIX
from assistant.standards.schedules import load_schedules
from assistant.standards.screening import (
    Screener,
    _kinds,
    load_exemplars,
    load_unlisted,
)

SCHEDULES = ROOT / "corpus" / "documents" / "sindh-eia-screening-schedules.csv"
EPOCHS = 1
LEARNING_RATE = 2e-5
BATCH = 32
SCALE = 20.0
UNLISTED_POOL = 64
SEED = 0


def examples(screener: Screener) -> tuple[list[tuple[str, int]], list[str]]:
    """(text, entry index or -1 - unlisted index) pairs, and the unlisted texts as the screener reads them."""
    index_of = {(e.schedule, e.project): i for i, e in enumerate(screener.entries)}
    pairs = [(screener.gloss(d), index_of[(s, p)]) for d, s, p in load_exemplars() if (s, p) in index_of]
    pairs += [(kind, i) for i, entry in enumerate(screener.entries) for kind in _kinds(entry.project)]
    unlisted = [screener._english(text) for text in load_unlisted()]
    pairs += [(text, -1 - j) for j, text in enumerate(unlisted)]
    return pairs, unlisted


def train(out: Path = MATCHER_FILE, epochs: int = EPOCHS, limit: int | None = None) -> Path:
    """Train and write the matcher's weights; `limit` keeps the first examples only (for tests)."""
    import torch
    import torch.nn.functional as F
    from safetensors.torch import save_file
    from sentence_transformers import SentenceTransformer

    random.seed(SEED)
    torch.manual_seed(SEED)
    base = MiniLMEmbeddings()
    screener = Screener(load_schedules(SCHEDULES), base)
    pairs, unlisted = examples(screener)
    if limit is not None:
        random.shuffle(pairs)
        pairs = pairs[:limit]
    entries = [entry.project for entry in screener.entries]
    model = SentenceTransformer(str(base.model_path), device="cpu", local_files_only=True)
    for name, parameter in model.named_parameters():
        parameter.requires_grad = f".{TRAINED_PREFIX}" in name
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=LEARNING_RATE)
    steps = epochs * -(-len(pairs) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / max(1.0, 0.1 * steps)) * max(0.0, (steps - s) / steps)
    )

    def encode(texts: list[str]):
        return F.normalize(model(model.preprocess(texts))["sentence_embedding"], dim=-1)

    model.train()
    print(f"{len(pairs)} examples, {len(entries)} entries, {len(unlisted)} unlisted, {steps} steps", flush=True)
    for epoch in range(epochs):
        random.shuffle(pairs)
        for start in range(0, len(pairs), BATCH):
            batch = pairs[start : start + BATCH]
            texts = encode([text for text, _ in batch])
            logits = texts @ encode(entries).T
            own = {-1 - label for _, label in batch if label < 0}
            pool = random.sample([j for j in range(len(unlisted)) if j not in own], min(UNLISTED_POOL, len(unlisted) - len(own)))
            nearest_unlisted = (texts @ encode([unlisted[j] for j in pool]).T).max(dim=1, keepdim=True).values
            logits = torch.cat([logits, nearest_unlisted], dim=1)
            target = torch.tensor([label if label >= 0 else len(entries) for _, label in batch])
            loss = F.cross_entropy(SCALE * logits, target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            print(f"epoch {epoch + 1} batch {start // BATCH + 1}: loss {loss.item():.3f}", flush=True)
    layers = {
        name: tensor.detach().to(torch.float16).contiguous()
        for name, tensor in model[0].auto_model.state_dict().items()
        if name.startswith(TRAINED_PREFIX)
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    save_file(layers, str(out))
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return out


if __name__ == "__main__":
    train()
