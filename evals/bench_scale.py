"""Scale benchmark: ingest, disk, search latency and memory at 1k, 10k, 100k passages.

    .venv/bin/python evals/bench_scale.py [--sizes 1000,10000,100000] [--store embedded,server]

Each (size, store) runs in its own worker process (so peak RSS is that run's own), on a
synthetic corpus written as Markdown files: several documents of numbered sections, 150-250
words each, words drawn from the shipped corpus's own vocabulary and word frequencies, each
document leaning on its own topic words. Ingest goes through the real Index (loader, splitter,
windows, Chroma, BM25, manifest) and search through the real Retriever (dense + BM25, fusion).

Embeddings: for embedded-store rows up to --real-model-max passages (default 1000) the shipped
MiniLM embeds everything, and multilingual-e5-small the second vector set (that row's embedding
throughput is the models'); every other row uses for both a synthetic embedder that returns
clustered random unit vectors (384 dims, one per window, cluster by section), so the larger rows
measure the store and the keyword index, not the model. Server rows start their own
`chroma run` on 127.0.0.1 with a fresh data folder; its size and peak RSS are reported too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

import assistant  # noqa: E402,F401  (offline environment defaults first)

DIMENSION = 384
CLUSTERS = 64
SEARCH_QUERIES = 100
WARMUP_QUERIES = 10


# ---------------------------------------------------------------------------------------------
# Synthetic corpus


def vocabulary() -> tuple[list[str], np.ndarray]:
    """Words of the shipped Markdown digests with their frequencies (a realistic Zipf curve)."""
    counts: Counter[str] = Counter()
    for path in sorted((REPO / "corpus" / "documents").glob("*.md")):
        counts.update(re.findall(r"[A-Za-z][a-z]+(?:-[a-z]+)?", path.read_text(encoding="utf-8")))
    words = [w for w, c in counts.most_common() if len(w) > 1]
    freq = np.array([counts[w] for w in words], dtype=np.float64)
    return words, freq


def documents_for(size: int) -> int:
    return max(5, min(50, size // 2000 + 5))


def write_corpus(folder: Path, passages: int, seed: int = 7) -> tuple[int, list[str]]:
    """`passages` sections of 150-250 words over several Markdown documents; returns (words, queries)."""
    rng = np.random.default_rng(seed)
    words, freq = vocabulary()
    lower = np.array([w.lower() for w in words])
    content = np.array([i for i, w in enumerate(lower) if len(w) > 3])
    folder.mkdir(parents=True, exist_ok=True)
    n_docs = documents_for(passages)
    per_doc = [passages // n_docs + (1 if d < passages % n_docs else 0) for d in range(n_docs)]
    total_words = 0
    queries: list[str] = []
    for d, sections in enumerate(per_doc):
        topic = rng.choice(content[50:], size=40, replace=False)  # this document's own subject words
        p = freq.copy()
        p[topic] *= 40
        p /= p.sum()
        lengths = rng.integers(150, 251, size=sections)
        drawn = rng.choice(len(words), size=int(lengths.sum()), p=p)
        lines = [
            "---",
            f"title: Synthetic compliance report {d + 1}",
            "doc_type: report",
            "jurisdiction: Sindh, Pakistan",
            "---",
            "",
        ]
        at = 0
        for s, length in enumerate(lengths):
            chunk = lower[drawn[at:at + length]]
            at += length
            heading = " ".join(lower[rng.choice(topic, size=3, replace=False)]).capitalize()
            sentences, start = [], 0
            while start < length:
                end = min(length, start + int(rng.integers(12, 26)))
                sentences.append(" ".join(chunk[start:end]).capitalize() + ".")
                start = end
            lines += [f"## {s // 20 + 1}.{s % 20 + 1} {heading}", "", " ".join(sentences), ""]
            total_words += int(length)
        (folder / f"synthetic-report-{d + 1:03d}.md").write_text("\n".join(lines), encoding="utf-8")
        for _ in range(SEARCH_QUERIES // n_docs + 2):
            picked = list(lower[rng.choice(topic, size=2, replace=False)]) + list(lower[rng.choice(content[:400], size=2)])
            rng.shuffle(picked)
            queries.append(" ".join(picked))
    rng.shuffle(queries)
    return total_words, queries[: SEARCH_QUERIES + WARMUP_QUERIES]


class SyntheticEmbeddings:
    """Clustered random unit vectors: one cluster per section (the window's context line)."""

    def __init__(self, seed: int = 11) -> None:
        rng = np.random.default_rng(seed)
        centers = rng.standard_normal((CLUSTERS, DIMENSION))
        self.centers = centers / np.linalg.norm(centers, axis=1, keepdims=True)
        self.rng = np.random.default_rng(seed + 1)

    @staticmethod
    def _cluster(text: str) -> int:
        return int.from_bytes(hashlib.blake2b(text.split("\n", 1)[0].encode(), digest_size=4).digest(), "big") % CLUSTERS

    def _near(self, clusters: list[int], spread: float) -> list[list[float]]:
        noise = self.rng.standard_normal((len(clusters), DIMENSION)) * (spread / np.sqrt(DIMENSION))
        vectors = self.centers[clusters] + noise
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._near([self._cluster(t) for t in texts], 0.8) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._near([self._cluster(text)], 0.6)[0]


class TimedEmbeddings:
    """Wraps an embedder and counts the time and texts of embed_documents (ingest side)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.texts = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        vectors = self.inner.embed_documents(texts)
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


# ---------------------------------------------------------------------------------------------
# One run (worker process)


def disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def run_one(size: int, store: str, real_model_max: int, workdir: Path) -> dict:
    from langchain_core.embeddings import Embeddings

    from assistant.index import Index
    from assistant.retrieval import Retriever
    from assistant.settings import Settings

    real = size <= real_model_max and store == "embedded"  # the model's speed does not depend on the store
    corpus = workdir / "corpus"
    generated = time.perf_counter()
    words, queries = write_corpus(corpus, size)
    generated = time.perf_counter() - generated

    if real:
        from assistant.embeddings import MiniLMEmbeddings

        base = MiniLMEmbeddings()
        base.embed_query("warm up")
    else:
        base = SyntheticEmbeddings()
    embedder = TimedEmbeddings(base)
    Embeddings.register(TimedEmbeddings)  # langchain-chroma only calls the two embed methods
    Embeddings.register(SyntheticEmbeddings)

    server = None
    server_dir = workdir / "chroma-server"
    if store == "server":
        sys.path.insert(0, str(REPO / "tests"))
        from chroma_server import ChromaServer

        server = ChromaServer(server_dir).start()
    try:
        settings = Settings(
            index_dir=workdir / "index",
            corpus_dir=corpus,
            manifest_path=workdir / "manifest.toml",
            chroma_url=server.url if server else "",
        )
        # Beyond the real model's sizes the multilingual (E5) set gets synthetic vectors too, so
        # both collections are written, as a real ingest writes them.
        index = Index(settings, embedder=embedder, multilingual_embedder=None if real else SyntheticEmbeddings(seed=23))
        report = index.ingest(progress=False)
        assert report.passages and not report.skipped, report.skipped
        ingest_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

        reader = Index(settings, embedder=embedder)  # a fresh reader, as `cpassist search` would open
        opened = time.perf_counter()
        reader.snapshot()
        opened = time.perf_counter() - opened
        retriever = Retriever(reader)
        for query in queries[:WARMUP_QUERIES]:
            retriever.run(query)
        full, retrieval_only = [], []
        for query in queries[WARMUP_QUERIES:]:
            started = time.perf_counter()
            prepared = retriever.prepare(query)
            middle = time.perf_counter()
            hits = retriever.run_query(prepared)
            ended = time.perf_counter()
            assert hits
            full.append((ended - started) * 1000)
            retrieval_only.append((ended - middle) * 1000)
        vectors = reader.client.get_collection(reader.snapshot().collection).count()
        result = {
            "size": size,
            "store": store,
            "embedder": "MiniLM" if real else "synthetic",
            "documents": documents_for(size),
            "words": words,
            "passages": report.passages,
            "vectors": vectors,
            "generate_s": generated,
            "ingest_s": report.seconds,
            "ingest_pps": report.passages / report.seconds,
            "embed_s": embedder.seconds,
            "embed_pps": report.passages / embedder.seconds if real and embedder.seconds else None,
            "embed_wps": embedder.texts / embedder.seconds if real and embedder.seconds else None,
            "index_bytes": disk_bytes(workdir / "index"),
            "server_bytes": disk_bytes(server_dir) if server else 0,
            "open_s": opened,
            "queries": len(full),
            "p50_ms": percentile(full, 50),
            "p95_ms": percentile(full, 95),
            "core_p50_ms": percentile(retrieval_only, 50),
            "core_p95_ms": percentile(retrieval_only, 95),
            "mean_ms": statistics.fmean(full),
            "ingest_rss": ingest_rss,
            "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "server_rss": server.peak_rss_bytes() if server else None,
        }
    finally:
        if server:
            server.stop()
    return result


# ---------------------------------------------------------------------------------------------
# Orchestration and the table


def mb(n: float | None) -> str:
    return "-" if n is None else f"{n / 1e6:,.0f}"


def print_table(rows: list[dict]) -> None:
    header = [
        "passages", "store", "vectors", "embedder", "ingest s", "ingest p/s", "embed p/s", "disk MB",
        "open s", "search p50", "p95 ms", "excl.q-embed p50", "p95 ms", "peak RSS MB", "server RSS MB",
    ]
    table = []
    for r in rows:
        if "error" in r:
            table.append([f"{r['size']:,}", r["store"], "FAILED: " + r["error"][:80]] + [""] * (len(header) - 3))
            continue
        table.append([
            f"{r['passages']:,}", r["store"], f"{r['vectors']:,}", r["embedder"], f"{r['ingest_s']:.1f}",
            f"{r['ingest_pps']:,.0f}", "-" if r["embed_pps"] is None else f"{r['embed_pps']:.1f}",
            mb(r["index_bytes"] + r["server_bytes"]), f"{r['open_s']:.2f}",
            f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['core_p50_ms']:.1f}", f"{r['core_p95_ms']:.1f}",
            mb(r["rss"]), mb(r["server_rss"]),
        ])
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(header)]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-+-".join("-" * w for w in widths))
    for row in table:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths)))


def print_growth(rows: list[dict]) -> None:
    print("\nSearch latency growth (retrieval only, query embedding excluded, so MiniLM and synthetic rows compare):")
    for store in dict.fromkeys(r["store"] for r in rows):
        ok = sorted((r for r in rows if r["store"] == store and "error" not in r), key=lambda r: r["passages"])
        for a, b in zip(ok, ok[1:]):
            factor = b["passages"] / a["passages"]
            print(
                f"  {store:8s} {a['passages']:>7,} -> {b['passages']:>7,} passages (x{factor:.0f}): "
                f"p50 {a['core_p50_ms']:.1f} -> {b['core_p50_ms']:.1f} ms (x{b['core_p50_ms'] / a['core_p50_ms']:.1f}), "
                f"p95 {a['core_p95_ms']:.1f} -> {b['core_p95_ms']:.1f} ms (x{b['core_p95_ms'] / a['core_p95_ms']:.1f})"
            )


def print_bars(rows: list[dict]) -> None:
    largest = [r for r in rows if "error" not in r and r["passages"] >= 90_000]
    for r in largest:
        rss = r["rss"] + (r["server_rss"] or 0)
        print(
            f"bar @ {r['passages']:,} {r['store']}: search p95 {r['p95_ms']:.0f} ms (<= 500: "
            f"{'ok' if r['p95_ms'] <= 500 else 'MISSED'}), peak RSS {rss / 1e9:.2f} GB"
            f"{' (client + server)' if r['server_rss'] else ''} (<= 4 GB: {'ok' if rss <= 4e9 else 'MISSED'})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--store", default="embedded,server")
    parser.add_argument("--real-model-max", type=int, default=1000, help="largest size embedded with MiniLM")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per (size, store) run")
    parser.add_argument("--results", help="also append each row as a JSON line to this file")
    parser.add_argument("--from-results", help="print the table from a --results file and exit")
    parser.add_argument("--worker", nargs=2, metavar=("SIZE", "STORE"), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        result = run_one(int(args.worker[0]), args.worker[1], args.real_model_max, Path(args.workdir))
        print("RESULT " + json.dumps(result), flush=True)
        return

    if args.from_results:
        rows = [json.loads(line) for line in Path(args.from_results).read_text().splitlines() if line.strip()]
        report(rows, None)
        return
    sizes = [int(s.replace("_", "").replace("k", "000")) for s in args.sizes.split(",")]
    stores = [s.strip() for s in args.store.split(",")]
    if unknown := set(stores) - {"embedded", "server"}:
        parser.error(f"unknown store {sorted(unknown)}; use embedded and/or server")
    rows: list[dict] = []
    started = time.perf_counter()
    for size in sizes:
        for store in stores:
            workdir = Path(tempfile.mkdtemp(prefix=f"bench-{size}-{store}-"))
            print(f"[{time.perf_counter() - started:6.0f} s] {size:,} passages, {store} ...", file=sys.stderr, flush=True)
            try:
                done = subprocess.run(
                    [sys.executable, __file__, "--worker", str(size), store, "--workdir", str(workdir),
                     "--real-model-max", str(args.real_model_max)],
                    capture_output=True, text=True, timeout=args.timeout,
                    env={**os.environ, "TQDM_DISABLE": "1"},
                )
                line = next((l for l in done.stdout.splitlines() if l.startswith("RESULT ")), None)
                if line is None:
                    rows.append({"size": size, "store": store, "error": (done.stderr.strip().splitlines() or ["?"])[-1]})
                else:
                    rows.append(json.loads(line[len("RESULT "):]))
                    r = rows[-1]
                    print(
                        f"          ingest {r['ingest_s']:.1f} s, search p95 {r['p95_ms']:.1f} ms",
                        file=sys.stderr, flush=True,
                    )
            except subprocess.TimeoutExpired:
                rows.append({"size": size, "store": store, "error": f"timed out after {args.timeout:.0f} s"})
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
            if args.results:
                with open(args.results, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(rows[-1]) + "\n")
    report(rows, time.perf_counter() - started)


def report(rows: list[dict], seconds: float | None) -> None:
    total = f", total {seconds:.0f} s" if seconds is not None else ""
    print(
        f"\nScale benchmark, {os.cpu_count()} CPU cores, {SEARCH_QUERIES} warm queries per row (top 5, "
        f"dense + BM25 fusion){total}\n"
    )
    print_table(rows)
    print_growth(rows)
    print_bars(rows)
    print(
        "\nembed p/s: passages per second through MiniLM at ingest (MiniLM rows only). disk MB: index_dir, plus the"
        " server's data folder for server rows. open s: a fresh reader loading passages + BM25. search: Retriever.run"
        " (query embedding + dense + BM25 + fusion); excl.q-embed: the same without encoding the query."
        " peak RSS: the benchmark process (client); server RSS: chroma run's peak."
    )


if __name__ == "__main__":
    main()
