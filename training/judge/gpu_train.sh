#!/usr/bin/env bash
# How the shipped judge was trained on a lent GPU machine (torch + transformers there, no
# project install). Input: training/judge/build/ as `cpassist train-judge --pairs-only` writes
# it, with the base MiniLM in fp16 under build/base/. Output under $OUT: the training log and
# each judge's weights less the frozen word embeddings, in parts small enough to travel back;
# training/judge/merge_parts.py puts a judge back together from them and the base.
set -euo pipefail
export PYTHONUNBUFFERED=1
D=training/judge/build
log=$OUT/train.log
train() { python3 assistant/judge/train.py --data $D --base $D/base "$@" 2>&1 | grep -v "Warning\|warn(" | tee -a "$log"; }
echo "== leave-one-document-out, 6 layers" | tee -a "$log"
train --layers 6 --epochs ${EPOCHS:-5} --holdout-doc sindh-hospital-waste-rules-2014-digest
for layers in 6 3; do
  echo "== full, $layers layers" | tee -a "$log"
  train --layers $layers --epochs ${EPOCHS:-5} --out /tmp/judge$layers
  python3 - "$layers" <<'PY'
import json, os, sys
from safetensors.torch import load_file, save_file
layers, out = sys.argv[1], os.environ["OUT"]
folder = f"/tmp/judge{layers}"
weights = {k: v for k, v in load_file(f"{folder}/model.safetensors").items() if "word_embeddings" not in k}
weights.update({f"head.{k}": v for k, v in load_file(f"{folder}/judge_head.safetensors").items()})
part, size, n = {}, 0, 0
for name in sorted(weights):
    part[name] = weights[name]; size += weights[name].numel() * weights[name].element_size()
    if size > 14_000_000:
        save_file(part, f"{out}/judge{layers}-part{n}.safetensors"); part, size, n = {}, 0, n + 1
if part:
    save_file(part, f"{out}/judge{layers}-part{n}.safetensors")
os.system(f"cp {folder}/judge.json {out}/judge{layers}.json")
PY
done
ls -la $OUT
