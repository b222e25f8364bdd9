"""The built index: passages, their vectors in Chroma and their BM25 index, one generation at a time.

Layout under index_dir:
  current.json      which generation readers use (replaced atomically, last step of an ingest)
  g<N>/             passages.jsonl, files.json (hash manifest), keyword/ (bm25s)
  tables/           vectors of the structured tools' fixed texts (assistant/embeddings.StoredVectors)
  chroma/           the embedded Chroma store; absent in server mode. Per generation two
                    collections: <prefix>-g<N> (MiniLM, one vector per window of a passage) and
                    <prefix>-g<N>-ml (multilingual-e5-small, one vector per passage, for questions
                    in Urdu; absent with settings.multilingual off)

An ingest builds generation N+1 beside N (copying the vectors of unchanged files into both
collections, embedding only changed ones) and switches current.json when everything is written. Ctrl-C or kill at any point
leaves generation N in use; the next ingest removes the leftovers. The previous generation is
kept until the one after, so a reader that opened it just before the switch can finish.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant.corpus import discover, is_supported, read_manifest
from assistant.documents import LoadError, file_sha256
from assistant.embeddings import StoredVectors
from assistant.keyword import KeywordIndex, capitalised_initials, tokenize
from assistant.language import Vocabulary
from assistant.loaders import load_document
from assistant.passages import Passage, Splitter
from assistant.settings import Settings

log = logging.getLogger(__name__)

# Bump when loaders, splitter or index layout change what an unchanged file produces:
# every file then counts as changed and the next ingest rebuilds the index.
SCHEMA = 7
# The multilingual collection of a generation is its MiniLM collection's name plus this.
MULTILINGUAL_SUFFIX = "-ml"


@dataclass
class FileRecord:
    """What the index knows of one ingested file: enough to tell whether it changed."""

    doc_id: str
    source: str
    path: str
    sha256: str
    fingerprint: str
    title: str
    doc_type: str
    passage_ids: list[str]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    embedded: int = 0
    passages: int = 0
    generation: int | None = None
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    @property
    def usable(self) -> bool:
        """False only when nothing at all could be indexed: the CLI's exit status."""
        return self.passages > 0


@dataclass
class Snapshot:
    """One generation, loaded for reading: immutable once opened."""

    generation: int
    collection: str
    passages: dict[str, Passage]
    files: dict[str, FileRecord]
    keyword: KeywordIndex
    multilingual: str | None = None
    _stems: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _vocabulary: Vocabulary | None = field(default=None, repr=False, compare=False)
    _initials: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _repeal_years: tuple[int, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def repealed_in(self) -> int | None:
        """The earliest year an indexed instrument was repealed or superseded ('repealed 2021' ->
        2021), from the passages' labels, or None when every instrument is in force."""
        if self._repeal_years is None:
            labels = {passage.status for passage in self.passages.values() if passage.status}
            self._repeal_years = tuple(sorted(int(y) for label in labels for y in re.findall(r"\b(?:19|20)\d\d\b", label)))
        return self._repeal_years[0] if self._repeal_years else None

    @property
    def vocabulary(self) -> Vocabulary:
        """The corpus's stems and words, which Urdu questions are glossed against (built on first use)."""
        if self._vocabulary is None:
            texts = (passage.indexed_text for passage in self.passages.values())
            self._vocabulary = Vocabulary.of(self.keyword.document_frequency, texts)
        return self._vocabulary

    def mentions(self, phrase: str, candidates: int = 50) -> bool:
        """Whether some passage uses the phrase, stemmed and without stop words ('Ban Amendment').

        Only the passages BM25 ranks highest for the phrase's words are read, so the check costs
        the same at 100k passages as at 100.
        """
        stems = [t for t in tokenize(phrase) if t != "s"]
        if not stems:
            return True
        wanted = f" {' '.join(stems)} "
        for passage_id, _ in self.keyword.search(phrase, candidates):
            text = self._stems.get(passage_id)
            if text is None:
                text = self._stems[passage_id] = " " + " ".join(t for t in tokenize(self.passages[passage_id].indexed_text) if t != "s") + " "
            if wanted in text:
                return True
        return False

    def spells(self, acronym: str) -> bool:
        """Whether some passage writes the acronym out in capitalised words ('HWMP': 'Hospital
        Waste Management Plan', 'DG': 'Director General'), so that a question may use it where
        the documents do not. The initials are gathered on first use, from every passage."""
        if self._initials is None:
            self._initials = capitalised_initials(passage.text for passage in self.passages.values())
        return acronym.upper() in self._initials

    def neighbours(self, passage_id: str, before: int = 1, after: int = 1) -> list[Passage]:
        """The passage with the ones around it in its document, for reading in context."""
        passage = self.passages[passage_id]
        ids = self.files[passage.doc_id].passage_ids if passage.doc_id in self.files else [passage_id]
        position = ids.index(passage_id)
        return [self.passages[i] for i in ids[max(0, position - before):position + after + 1]]


class Index:
    """Opens the current generation for readers and builds new ones on ingest."""

    def __init__(self, settings: Settings | None = None, embedder=None, multilingual_embedder=None) -> None:
        self.settings = settings or Settings()
        self.root = Path(self.settings.index_dir)
        self._embedder = embedder
        self._multilingual_embedder = multilingual_embedder
        self._client = None
        self._snapshot: Snapshot | None = None
        self._snapshot_key: tuple[int, int] | None = None
        self._stores: dict[str, object] = {}

    @property
    def embedder(self):
        if self._embedder is None:
            from assistant.embeddings import MiniLMEmbeddings

            self._embedder = MiniLMEmbeddings(self.settings.embedding_model or None)
        return self._embedder

    @property
    def table_vectors(self) -> StoredVectors:
        """Where the structured tools keep the vectors of their fixed texts (tables/)."""
        return StoredVectors(self.root / "tables")

    @property
    def multilingual_embedder(self):
        """multilingual-e5-small for the second vector set (loads in milliseconds, on first use)."""
        if self._multilingual_embedder is None:
            from assistant.embeddings import E5Embeddings

            self._multilingual_embedder = E5Embeddings()
        return self._multilingual_embedder

    @property
    def client(self):
        if self._client is None:
            from assistant.store import make_client

            self._client = make_client(self.root, self.settings.chroma_url)
        return self._client

    def vector_store(self, collection: str):
        """LangChain VectorStore over one of a generation's collections, with its embedder (cached
        for the current generation's two)."""
        stores = self._stores
        if collection in stores:
            return stores[collection]
        from assistant.store import vector_store

        generation = collection.removesuffix(MULTILINGUAL_SUFFIX)
        embedder = self.multilingual_embedder if collection != generation else self.embedder
        store = vector_store(self.client, collection, embedder)
        # Replaced whole, never changed in place, and the new store returned from here: another
        # thread swapping the cache for the other collection cannot make this lookup miss.
        kept = {name: other for name, other in stores.items() if name.removesuffix(MULTILINGUAL_SUFFIX) == generation}
        self._stores = {**kept, collection: store}
        return store

    # ---- reading

    def _pointer(self) -> dict | None:
        """current.json, or None when there is none or it was written by another index layout."""
        path = self.root / "current.json"
        try:
            pointer = json.loads(path.read_text())
        except FileNotFoundError:
            return None
        if pointer.get("schema") != SCHEMA:
            log.warning("the index in %s has an older layout; the next ingest rebuilds it", self.root)
            return None
        if pointer.get("store") != self._store_name():
            # Its vectors live in the other store (embedded vs a server, or another server).
            log.warning(
                "the index in %s was built with Chroma store %s, not %s; the next ingest rebuilds it",
                self.root, pointer.get("store"), self._store_name(),
            )
            return None
        return pointer

    def _store_name(self) -> str:
        """Where this index's vectors live, as recorded in current.json."""
        return self.settings.chroma_url.rstrip("/") or "embedded"

    def _last_generation(self) -> int:
        try:
            return int(json.loads((self.root / "current.json").read_text())["generation"])
        except (FileNotFoundError, KeyError, ValueError):
            return 0

    def snapshot(self) -> Snapshot | None:
        """The current generation, reloaded only when an ingest has switched generations."""
        path = self.root / "current.json"
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        if self._snapshot is not None and key == self._snapshot_key:
            return self._snapshot
        pointer = self._pointer()
        if pointer is None:
            return None
        self._snapshot = self._load_generation(pointer)
        self._snapshot_key = key
        return self._snapshot

    def _load_generation(self, pointer: dict) -> Snapshot:
        folder = self.root / f"g{pointer['generation']}"
        passages: dict[str, Passage] = {}
        with (folder / "passages.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                passage = Passage.from_dict(json.loads(line))
                passages[passage.id] = passage
        files = {
            doc_id: FileRecord(**record)
            for doc_id, record in json.loads((folder / "files.json").read_text(encoding="utf-8")).items()
        }
        return Snapshot(
            generation=pointer["generation"],
            collection=pointer["collection"],
            passages=passages,
            files=files,
            keyword=KeywordIndex.load(folder / "keyword"),
            multilingual=pointer.get("multilingual"),
        )

    # ---- writing

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".ingest.lock").open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RuntimeError(f"another ingest is running on {self.root}; try again when it has finished") from None
            yield

    def _fingerprint(self, sha256: str, entry: dict) -> str:
        s = self.settings
        multilingual = s.multilingual_words if s.multilingual else None
        basis = json.dumps(
            [SCHEMA, sha256, entry, s.min_words, s.max_words, s.overlap_words, s.embedding_model, s.multilingual, multilingual],
            sort_keys=True,
        )
        return hashlib.sha256(basis.encode()).hexdigest()

    def ingest(self, paths: list[Path] | None = None, progress: bool = True) -> IngestReport:
        """Bring the index in line with the files under `paths` (default: the corpus folder)."""
        started = time.perf_counter()
        with self._lock():
            report = self._ingest(paths, progress)
        report.seconds = time.perf_counter() - started
        return report

    def _ingest(self, paths: list[Path] | None, progress: bool) -> IngestReport:
        roots = [Path(p) for p in (paths or [self.settings.corpus_dir])]
        report = IngestReport()
        for root in roots:
            if not root.exists():
                report.skipped.append((str(root), "no such file or folder"))
        pointer = self._pointer()
        old = self._load_generation(pointer) if pointer else None
        self._remove_leftovers(pointer)
        manifest = read_manifest(self.settings.manifest_path)
        splitter = Splitter(self.settings.min_words, self.settings.max_words, self.settings.overlap_words)

        kept: dict[str, FileRecord] = dict(old.files) if old else {}
        fresh: dict[str, tuple[FileRecord, list[Passage]]] = {}
        seen: dict[str, Path] = {}
        found = discover(root for root in roots if root.exists())
        for path in found:
            name = path.name
            if not is_supported(path):
                report.skipped.append((name, f"unsupported file type '{path.suffix or '(none)'}'"))
                continue
            doc_id = path.stem
            if doc_id in seen:
                report.skipped.append((name, f"same document id '{doc_id}' as {seen[doc_id]}; rename one of them"))
                continue
            seen[doc_id] = path
            try:
                sha = file_sha256(path)
            except OSError as error:
                report.skipped.append((name, f"cannot be read: {error.strerror or error}"))
                continue
            entry = manifest.get(name, {})
            fingerprint = self._fingerprint(sha, entry)
            previous = kept.get(doc_id)
            if previous and previous.fingerprint == fingerprint:
                report.unchanged.append(name)
                continue
            try:
                document = load_document(
                    path,
                    entry,
                    max_bytes=int(self.settings.max_file_mb * 1024 * 1024),
                    max_pages=self.settings.max_pdf_pages,
                )
                passages = splitter.run(document)
            except LoadError as error:
                reason = str(error) + ("; the previously indexed version is kept" if previous else "")
                report.skipped.append((name, reason))
                continue
            except Exception as error:  # a loader bug must not cost the rest of the corpus
                log.debug("unexpected error loading %s", path, exc_info=True)
                report.skipped.append((name, f"unexpected error: {type(error).__name__}: {error}"))
                continue
            record = FileRecord(
                doc_id=doc_id,
                source=name,
                path=str(path.resolve()),
                sha256=sha,
                fingerprint=fingerprint,
                title=document.meta.title,
                doc_type=document.meta.doc_type,
                passage_ids=[p.id for p in passages],
            )
            fresh[doc_id] = (record, passages)
            (report.updated if previous else report.added).append(name)

        for doc_id, record in list(kept.items()):
            under_root = any(root.is_dir() and _is_under(Path(record.path), root) for root in roots)
            if doc_id in fresh or (under_root and doc_id not in seen):
                if doc_id not in fresh:
                    report.removed.append(record.source)
                kept.pop(doc_id)

        if not report.changed and old is not None:
            report.generation = old.generation
            report.passages = len(old.passages)
            return report
        if not kept and not fresh and old is None:
            return report
        self._build(old, kept, fresh, report, progress)
        return report

    def _build(
        self,
        old: Snapshot | None,
        kept: dict[str, FileRecord],
        fresh: dict[str, tuple[FileRecord, list[Passage]]],
        report: IngestReport,
        progress: bool,
    ) -> None:
        from assistant import store

        generation = self._last_generation() + 1
        collection = f"{self.settings.collection_prefix}-g{generation}"
        multilingual = collection + MULTILINGUAL_SUFFIX if self.settings.multilingual else None
        staging = self.root / f"g{generation}.tmp"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)

        kept_passages = [old.passages[i] for record in kept.values() for i in record.passage_ids] if old else []
        if old is not None and kept:
            store.copy_vectors(self.client, old.collection, collection, sorted(kept))
            if multilingual and old.multilingual:  # kept files were indexed with the same settings
                store.copy_vectors(self.client, old.multilingual, multilingual, sorted(kept))
        new_passages = [p for _, passages in fresh.values() for p in passages]
        self._embed_into(collection, multilingual, new_passages, progress)
        report.embedded = len(new_passages)

        files = {**kept, **{doc_id: record for doc_id, (record, _) in fresh.items()}}
        by_id = {p.id: p for p in kept_passages + new_passages}
        ordered = [by_id[i] for doc_id in sorted(files) for i in files[doc_id].passage_ids]
        with (staging / "passages.jsonl").open("w", encoding="utf-8") as handle:
            for passage in ordered:
                handle.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
        (staging / "files.json").write_text(
            json.dumps({doc_id: asdict(record) for doc_id, record in sorted(files.items())}, indent=1),
            encoding="utf-8",
        )
        KeywordIndex.build([p.id for p in ordered], [p.indexed_text for p in ordered]).save(staging / "keyword")
        _fsync_tree(staging)
        final = self.root / f"g{generation}"
        shutil.rmtree(final, ignore_errors=True)
        staging.rename(final)
        pointer = {
            "schema": SCHEMA,
            "generation": generation,
            "collection": collection,
            "passages": len(ordered),
            "embedder": self.settings.embedding_model or "all-MiniLM-L6-v2",
            "multilingual": multilingual,
            "store": self._store_name(),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        _atomic_write(self.root / "current.json", json.dumps(pointer, indent=1))
        report.generation = generation
        report.passages = len(ordered)
        self._remove_leftovers(pointer)

    def _embed_into(self, collection: str, multilingual: str | None, passages: list[Passage], progress: bool) -> None:
        """Embed each passage's windows with MiniLM (vector ids '<passage id>#<window>') and, given
        a multilingual collection, the passage itself with E5 (vector id '<passage id>').

        E5 costs more than MiniLM, so it starts at once in a worker thread (E5 runs on one OpenMP
        thread and its C engine releases the GIL) while MiniLM runs here; once MiniLM is done,
        this thread takes the E5 batches the worker has not started, so two single-threaded E5
        calls share the cores. Vectors are added from this thread only, in order.

        Table rows get no E5 vector: the effluent and screening tools answer them from the
        question's English gloss, and they are 29% of the shipped corpus's words."""
        from concurrent.futures import ThreadPoolExecutor

        from assistant import store

        batches = [passages[start:start + _BATCH] for start in range(0, len(passages), _BATCH)]
        prose = [p for p in passages if not p.is_table_row]
        prose_batches = [prose[start:start + _BATCH] for start in range(0, len(prose), _BATCH)]
        words = self.settings.multilingual_words
        texts = [[" ".join(p.indexed_text.split()[:words]) if words else p.indexed_text for p in part] for part in prose_batches]
        with ThreadPoolExecutor(max_workers=1) as worker, _sharing_cores(self.embedder, bool(multilingual)):
            pending = [worker.submit(self.multilingual_embedder.embed_documents, t) for t in texts] if multilingual else []
            try:
                with _bar("embedding", passages, progress) as bar:
                    for part in batches:
                        ids, windows, metadatas = [], [], []
                        for passage in part:
                            for number, window in enumerate(passage.windows()):
                                ids.append(f"{passage.id}#{number}")
                                windows.append(window)
                                metadatas.append(_chroma_metadata(passage))
                        vectors = self.embedder.embed_documents(windows)
                        store.add_vectors(self.client, collection, ids, vectors, windows, metadatas)
                        bar.update(len(part))
                if not multilingual:
                    return
                store.add_vectors(self.client, multilingual, [], [], [], [])  # the collection, even if every passage is a row
                with _bar("embedding (multilingual)", prose, progress) as bar:
                    for part, batch_texts, future in zip(prose_batches, texts, pending):
                        started = not future.cancel()
                        vectors = future.result() if started else self.multilingual_embedder.embed_documents(batch_texts)
                        metadatas = [_chroma_metadata(p) for p in part]
                        store.add_vectors(self.client, multilingual, [p.id for p in part], vectors, batch_texts, metadatas)
                        bar.update(len(part))
            finally:
                for future in pending:
                    future.cancel()

    def _remove_leftovers(self, pointer: dict | None) -> None:
        """Drop staging folders, generations older than current-1, and their collections."""
        from assistant import store

        current = pointer["generation"] if pointer else self._last_generation()
        keep = {current, current - 1}
        for folder in self.root.glob("g*"):
            number = folder.name[1:].removesuffix(".tmp")
            if not number.isdigit():
                continue
            if folder.name.endswith(".tmp") or int(number) not in keep:
                shutil.rmtree(folder, ignore_errors=True)
        prefix = f"{self.settings.collection_prefix}-g"
        names = {f"{prefix}{n}{suffix}" for n in keep if n > 0 for suffix in ("", MULTILINGUAL_SUFFIX)}
        store.drop_collections(self.client, prefix, names)


_BATCH = 16  # passages embedded and added to the store at a time


@contextmanager
def _sharing_cores(embedder, sharing: bool) -> Iterator[None]:
    """MiniLM leaves one core to the E5 worker while both run: three threads on two cores made
    the cold ingest 182 s where the two sets' CPU time allows about 110 s."""
    if not sharing or not hasattr(embedder, "batch_threads"):
        yield
        return
    embedder.batch_threads = max(1, (os.cpu_count() or 1) - 1)
    try:
        yield
    finally:
        embedder.batch_threads = None


def _bar(label: str, passages: list[Passage], progress: bool):
    """A progress bar on stderr over the passages (none when progress is off or nothing to do)."""
    from tqdm import tqdm

    return tqdm(total=len(passages), desc=label, unit="passage", file=sys.stderr, disable=not progress or not passages)


def _chroma_metadata(passage: Passage) -> dict:
    """The fields Chroma filters on (where clauses) and shows in its own tools."""
    return {
        "passage_id": passage.id,
        "doc_id": passage.doc_id,
        "doc_type": passage.doc_type,
        "jurisdiction": passage.jurisdiction,
        "title": passage.title,
        "section": passage.section,
        "page": passage.page,
    }


def _is_under(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _atomic_write(path: Path, text: str) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
