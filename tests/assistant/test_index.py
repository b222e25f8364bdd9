"""The generational index: incremental ingest, bad files, readers, locking and crash safety.

Real parts throughout: the shipped MiniLM model (loaded once per session), the multilingual E5
model of the second vector set, and an embedded Chroma store under tmp_path. Documents are tiny,
so each ingest embeds a handful of windows and passages.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.index import Index
from assistant.retrieval import Retriever


def _md(title: str, heading: str, body: str, doc_type: str = "report") -> str:
    return f"---\ntitle: {title}\ndoc_type: {doc_type}\n---\n\n## {heading}\n\n{body}\n"


SMALL = {
    "boilers.md": _md("Boilers", "Heat recovery", "Economisers recover heat from boiler flue gas and cut fuel use."),
    "effluent.md": _md("Effluent", "Treatment", "Activated sludge treats textile effluent before discharge.", "standard"),
    "chemicals.md": _md("Chemicals", "Storage", "Dye auxiliaries are stored in a bunded area with spill kits."),
}


def _write_all(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _vectors(index: Index, collection: str, doc_id: str | None = None) -> dict[str, list[float]]:
    """Vector id -> embedding in one generation's Chroma collection."""
    found = index.client.get_collection(collection).get(
        where={"doc_id": doc_id} if doc_id else None, include=["embeddings"]
    )
    return {i: [round(float(x), 6) for x in e] for i, e in zip(found["ids"], found["embeddings"])}


def _expected_vector_ids(snapshot) -> set[str]:
    return {f"{p.id}#{n}" for p in snapshot.passages.values() for n in range(len(p.windows()))}


@pytest.fixture
def small_index(corpus: Path, make_settings, embedder) -> Index:
    _write_all(corpus, SMALL)
    index = Index(make_settings(corpus), embedder=embedder)
    report = index.ingest(progress=False)
    assert report.generation == 1
    return index


# ---------------------------------------------------------------------------------------------
# Ingest, re-ingest, update, delete


def test_ingest_adds_every_format(corpus: Path, make_settings, embedder, build, tmp_path: Path) -> None:
    build.pdf(corpus / "acme-report.pdf")
    build.docx(corpus / "cp-handbook.docx")
    build.markdown(corpus / "sepa-digest.md")
    build.html(corpus / "sepa-approvals.html")
    build.csv(corpus / "effluent-limits.csv")
    index = Index(make_settings(corpus), embedder=embedder)
    report = index.ingest(progress=False)

    assert sorted(report.added) == [
        "acme-report.pdf", "cp-handbook.docx", "effluent-limits.csv", "sepa-approvals.html", "sepa-digest.md",
    ]
    assert report.skipped == [] and report.updated == [] and report.removed == []
    assert report.generation == 1 and report.usable
    snapshot = index.snapshot()
    assert snapshot.generation == 1
    assert report.passages == len(snapshot.passages) == report.embedded
    assert set(snapshot.files) == {"acme-report", "cp-handbook", "effluent-limits", "sepa-approvals", "sepa-digest"}
    for doc_id, record in snapshot.files.items():
        assert record.passage_ids and all(snapshot.passages[i].doc_id == doc_id for i in record.passage_ids)
    assert snapshot.files["sepa-digest"].doc_type == "law-digest"
    assert snapshot.files["effluent-limits"].title == "Effluent limits"
    assert len(snapshot.files["effluent-limits"].passage_ids) == 3  # one passage per CSV row
    assert set(_vectors(index, snapshot.collection)) == _expected_vector_ids(snapshot)
    # one E5 vector per passage, but none for table rows (the structured tools read those)
    assert set(_vectors(index, snapshot.multilingual)) == {i for i, p in snapshot.passages.items() if not p.is_table_row}
    assert not any(i.startswith("effluent-limits:") for i in _vectors(index, snapshot.multilingual))
    pointer = json.loads((tmp_path / "index" / "current.json").read_text())
    assert pointer["generation"] == 1 and pointer["collection"] == snapshot.collection
    assert pointer["multilingual"] == snapshot.multilingual == "cpassist-g1-ml"
    assert pointer["passages"] == report.passages


def test_snapshot_mentions_phrases_stemmed_and_in_order(small_index: Index) -> None:
    snapshot = small_index.snapshot()
    passage = next(iter(snapshot.passages.values()))
    assert snapshot.mentions(" ".join(passage.text.split()[:6]).upper())
    assert not snapshot.mentions("Zanzibar Quokka Protocol")
    assert snapshot.mentions("")


def test_reingest_with_nothing_changed_embeds_nothing(small_index: Index, tmp_path: Path) -> None:
    pointer = (tmp_path / "index" / "current.json").read_text()
    report = small_index.ingest(progress=False)
    assert report.embedded == 0
    assert report.generation == 1
    assert sorted(report.unchanged) == sorted(SMALL)
    assert not report.changed and report.usable
    assert report.passages == 3
    assert (tmp_path / "index" / "current.json").read_text() == pointer


def test_modifying_one_file_reembeds_only_that_file(small_index: Index, corpus: Path) -> None:
    before = small_index.snapshot()
    old_vectors = _vectors(small_index, before.collection)
    (corpus / "boilers.md").write_text(
        _md("Boilers", "Heat recovery", "Economisers recover heat.\n\n## Condensate\n\nReturn hot condensate to the feed tank."),
        encoding="utf-8",
    )
    report = small_index.ingest(progress=False)
    after = small_index.snapshot()

    assert report.updated == ["boilers.md"]
    assert sorted(report.unchanged) == ["chemicals.md", "effluent.md"]
    assert report.added == [] and report.removed == []
    assert report.generation == after.generation == 2
    assert report.embedded == len(after.files["boilers"].passage_ids) == 1
    assert report.passages == len(after.passages) == 3
    for doc_id in ("effluent", "chemicals"):
        assert after.files[doc_id] == before.files[doc_id]
        for passage_id in after.files[doc_id].passage_ids:
            assert after.passages[passage_id] == before.passages[passage_id]
    # unchanged files' vectors were copied, not recomputed; the new collection holds exactly the new set
    # (equal to float32 rounding: Chroma 1.5.9 returns a copied vector a unit in the sixth decimal apart)
    new_vectors = _vectors(small_index, after.collection)
    assert set(new_vectors) == _expected_vector_ids(after)
    for vector_id, vector in new_vectors.items():
        if not vector_id.startswith("boilers:"):
            assert vector == pytest.approx(old_vectors[vector_id], abs=2e-6)
    # the multilingual set moves in step: copied for unchanged files, embedded for the changed one
    old_multilingual = _vectors(small_index, before.multilingual)
    new_multilingual = _vectors(small_index, after.multilingual)
    assert after.multilingual == "cpassist-g2-ml" and set(new_multilingual) == set(after.passages)
    for passage_id, vector in new_multilingual.items():
        assert (vector == old_multilingual[passage_id]) == (not passage_id.startswith("boilers:"))
    assert after.passages["boilers:0000"].section == "Heat recovery; Condensate"  # two tiny sections, merged
    assert "Return hot condensate" in after.passages["boilers:0000"].text


def test_deleting_a_file_removes_its_passages(small_index: Index, corpus: Path) -> None:
    (corpus / "effluent.md").unlink()
    report = small_index.ingest(progress=False)
    snapshot = small_index.snapshot()
    assert report.removed == ["effluent.md"]
    assert report.embedded == 0 and report.generation == 2
    assert "effluent" not in snapshot.files
    assert all(p.doc_id != "effluent" for p in snapshot.passages.values())
    assert _vectors(small_index, snapshot.collection, "effluent") == {}
    assert set(_vectors(small_index, snapshot.multilingual)) == set(snapshot.passages)
    hits = Retriever(small_index).run("activated sludge treatment of textile effluent", k=5)
    assert hits and all(hit.passage.doc_id != "effluent" for hit in hits)
    assert all(not passage_id.startswith("effluent:") for passage_id, _ in snapshot.keyword.search("sludge effluent", 5))


def test_deleting_the_last_file_empties_the_index(corpus: Path, make_settings, embedder) -> None:
    _write_all(corpus, {"boilers.md": SMALL["boilers.md"]})
    settings = make_settings(corpus)
    Index(settings, embedder=embedder).ingest(progress=False)
    (corpus / "boilers.md").unlink()
    report = Index(settings, embedder=embedder).ingest(progress=False)
    assert report.removed == ["boilers.md"]
    reader = Index(settings, embedder=embedder)
    assert Retriever(reader).run("boiler flue gas heat") == []


def test_second_index_object_sees_the_new_generation(small_index: Index, corpus: Path, make_settings, embedder) -> None:
    reader = Index(make_settings(corpus), embedder=embedder)
    assert reader.snapshot().generation == 1
    (corpus / "water.md").write_text(_md("Water", "Rinsing", "Counter-current rinsing cuts water use."), encoding="utf-8")
    writer = Index(make_settings(corpus), embedder=embedder)
    assert writer.ingest(progress=False).added == ["water.md"]
    snapshot = reader.snapshot()
    assert snapshot.generation == 2 and "water" in snapshot.files
    assert Index(make_settings(corpus), embedder=embedder).snapshot().generation == 2
    hits = Retriever(reader).run("counter-current rinsing water", k=1)
    assert hits[0].passage.doc_id == "water"


def test_file_that_becomes_corrupt_keeps_its_previous_version(small_index: Index, corpus: Path) -> None:
    before = small_index.snapshot()
    (corpus / "boilers.md").write_bytes("Economisers \xe9conomiseurs".encode("latin-1"))
    report = small_index.ingest(progress=False)
    assert [name for name, _ in report.skipped] == ["boilers.md"]
    reason = report.skipped[0][1]
    assert "UTF-8" in reason and "previously indexed version is kept" in reason
    assert report.generation == 1 and report.embedded == 0 and report.usable
    after = small_index.snapshot()
    assert after.passages == before.passages
    assert Retriever(small_index).run("boiler flue gas economiser", k=1)[0].passage.doc_id == "boilers"


def test_manifest_change_updates_metadata(small_index: Index, tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text('["chemicals.md"]\ntitle = "Chemical store guide"\ndoc_type = "programme"\n')
    report = small_index.ingest(progress=False)
    assert report.updated == ["chemicals.md"] and report.embedded == 1
    passage = small_index.snapshot().passages["chemicals:0000"]
    assert (passage.title, passage.doc_type) == ("Chemical store guide", "programme")


# ---------------------------------------------------------------------------------------------
# Bad input: reported by name with a reason, skipped, the rest ingests


def test_bad_files_are_skipped_with_reasons_and_the_rest_ingests(
    corpus: Path, make_settings, embedder, build, tmp_path: Path
) -> None:
    _write_all(corpus, {"boilers.md": SMALL["boilers.md"]})
    build.pdf(corpus / "acme-report.pdf", build.pdf_pages[:3])
    build.corrupt_pdf(corpus / "corrupt.pdf")
    build.truncated_pdf(corpus / "truncated.pdf", tmp_path / "scratch")
    build.pdf(corpus / "encrypted.pdf", encrypt="secret")
    (corpus / "empty.pdf").write_bytes(b"")
    (corpus / "empty.md").write_bytes(b"")
    build.blank_pdf(corpus / "scanned.pdf")
    (corpus / "not-a-zip.docx").write_bytes(b"plain text, not a Word file")
    (corpus / "data.xyz").write_text("x", encoding="utf-8")
    (corpus / "latin1.txt").write_bytes("Caf\xe9 effluent".encode("latin-1"))
    (corpus / "sub").mkdir()
    (corpus / "sub" / "boilers.txt").write_text("Same doc id as boilers.md.", encoding="utf-8")

    report = Index(make_settings(corpus), embedder=embedder).ingest(progress=False)

    assert sorted(report.added) == ["acme-report.pdf", "boilers.md"]
    reasons = dict(report.skipped)
    assert len(reasons) == len(report.skipped) == 10
    expected = {
        "corrupt.pdf": "not a readable PDF",
        "truncated.pdf": "not a readable PDF",
        "encrypted.pdf": "encrypted",
        "empty.pdf": "empty",
        "empty.md": "empty",
        "scanned.pdf": "OCR",
        "not-a-zip.docx": "not a readable DOCX",
        "data.xyz": "unsupported file type '.xyz'",
        "latin1.txt": "UTF-8",
        "boilers.txt": "same document id 'boilers'",
    }
    assert set(reasons) == set(expected)
    for name, words in expected.items():
        assert words in reasons[name], (name, reasons[name])
    assert report.usable and report.generation == 1


def test_nothing_indexable_is_not_usable(corpus: Path, make_settings, embedder, build, tmp_path: Path) -> None:
    build.corrupt_pdf(corpus / "corrupt.pdf")
    report = Index(make_settings(corpus), embedder=embedder).ingest(progress=False)
    assert [name for name, _ in report.skipped] == ["corrupt.pdf"]
    assert not report.usable and report.passages == 0 and report.generation is None
    assert Index(make_settings(corpus), embedder=embedder).snapshot() is None
    assert not (tmp_path / "index" / "current.json").exists()


def test_missing_path_is_reported(corpus: Path, make_settings, embedder, tmp_path: Path) -> None:
    _write_all(corpus, {"boilers.md": SMALL["boilers.md"]})
    report = Index(make_settings(corpus), embedder=embedder).ingest([corpus, tmp_path / "nowhere"], progress=False)
    assert report.added == ["boilers.md"]
    assert report.skipped == [(str(tmp_path / "nowhere"), "no such file or folder")]


# ---------------------------------------------------------------------------------------------
# Generations, layout, neighbours


def test_old_generations_and_collections_are_dropped(small_index: Index, corpus: Path, tmp_path: Path) -> None:
    for n in range(3):
        (corpus / "boilers.md").write_text(_md("Boilers", "Heat", f"Revision {n} of the boiler note."), encoding="utf-8")
        small_index.ingest(progress=False)
    assert small_index.snapshot().generation == 4
    folders = sorted(p.name for p in (tmp_path / "index").iterdir() if p.name.startswith("g"))
    assert folders == ["g3", "g4"]  # current and the one before, for readers still on it
    names = sorted(c if isinstance(c, str) else c.name for c in small_index.client.list_collections())
    assert names == ["cpassist-g3", "cpassist-g3-ml", "cpassist-g4", "cpassist-g4-ml"]


def test_without_the_multilingual_set_urdu_is_searched_by_its_gloss(corpus: Path, make_settings, embedder) -> None:
    _write_all(corpus, SMALL)
    index = Index(make_settings(corpus, multilingual=False), embedder=embedder)
    index.ingest(progress=False)
    snapshot = index.snapshot()
    assert snapshot.multilingual is None
    assert sorted(c if isinstance(c, str) else c.name for c in index.client.list_collections()) == ["cpassist-g1"]
    hits = Retriever(index).run("Boiler ki flue gas se heat kaise bachayen? Kya economisers kaam karte hain?", k=1)
    assert hits[0].passage.doc_id == "boilers" and hits[0].multilingual is None
    # turning it on re-indexes every file, so that both sets cover the same passages
    report = Index(make_settings(corpus), embedder=embedder).ingest(progress=False)
    assert sorted(report.updated) == sorted(SMALL) and report.embedded == 3
    assert set(_vectors(index, index.snapshot().multilingual)) == set(index.snapshot().passages)


def test_index_with_an_older_layout_is_rebuilt(corpus: Path, make_settings, embedder, tmp_path: Path) -> None:
    _write_all(corpus, {"boilers.md": SMALL["boilers.md"]})
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "current.json").write_text(json.dumps({"generation": 7, "collection": "cpassist-g7"}))
    index = Index(make_settings(corpus), embedder=embedder)
    assert index.snapshot() is None
    report = index.ingest(progress=False)
    assert report.added == ["boilers.md"] and report.generation == 8
    assert index.snapshot().generation == 8


def test_neighbours_read_a_passage_in_context(corpus: Path, make_settings, embedder) -> None:
    sections = "\n\n".join(f"## Step {n}\n\nStep {n} of the cleaner production audit." for n in range(1, 5))
    (corpus / "audit.md").write_text(f"---\ntitle: Audit\n---\n\n{sections}\n", encoding="utf-8")
    index = Index(make_settings(corpus, min_words=1), embedder=embedder)
    index.ingest(progress=False)
    snapshot = index.snapshot()
    assert [p.id for p in snapshot.neighbours("audit:0002")] == ["audit:0001", "audit:0002", "audit:0003"]
    assert [p.id for p in snapshot.neighbours("audit:0000", before=2, after=1)] == ["audit:0000", "audit:0001"]


# ---------------------------------------------------------------------------------------------
# Concurrency and crashes


class _GatedEmbedder:
    """The real embedder, held at its first batch until the test lets it go."""

    def __init__(self, real) -> None:
        self.real = real
        self.embedding = threading.Event()
        self.go = threading.Event()

    def embed_documents(self, texts):
        self.embedding.set()
        assert self.go.wait(60)
        return self.real.embed_documents(texts)

    def embed_query(self, text):
        return self.real.embed_query(text)


def test_two_ingests_at_once_the_second_is_refused(small_index: Index, corpus: Path, make_settings, embedder) -> None:
    (corpus / "water.md").write_text(_md("Water", "Rinsing", "Counter-current rinsing cuts water use."), encoding="utf-8")
    gated = _GatedEmbedder(embedder)
    first = Index(make_settings(corpus), embedder=gated)
    outcome: dict = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("report", first.ingest(progress=False)))
    thread.start()
    try:
        assert gated.embedding.wait(60), "the first ingest never reached embedding"
        with pytest.raises(RuntimeError, match="another ingest is running"):
            Index(make_settings(corpus), embedder=embedder).ingest(progress=False)
    finally:
        gated.go.set()
        thread.join(120)
    assert outcome["report"].added == ["water.md"] and outcome["report"].generation == 2
    # the lock is free again
    assert Index(make_settings(corpus), embedder=embedder).ingest(progress=False).generation == 2


_KILLABLE_INGEST = """
from assistant import store
from assistant.index import Index
from assistant.settings import Settings

real_add = store.add_vectors

def add_and_tell(*args, **kwargs):
    real_add(*args, **kwargs)
    print("BATCH", flush=True)

store.add_vectors = add_and_tell
report = Index(Settings()).ingest(progress=False)
print("DONE", report.generation, flush=True)
"""


def _plant_note(number: int, version: int) -> str:
    topics = ["boiler", "dye house", "sludge", "solvent", "chrome tanning", "steam trap", "packaging", "acid", "noise"]
    topic = topics[number % len(topics)]
    return _md(
        f"Plant {number} note",
        f"{topic.title()} practice",
        f"Plant {number} revision {version}: the {topic} measure at unit {number} cut waste. "
        f"Operators at unit {number} logged the {topic} results every shift for review.",
    )


@pytest.mark.slow
def test_killed_ingest_leaves_the_previous_generation_and_recovers(
    corpus: Path, make_settings, embedder, build, tmp_path: Path
) -> None:
    settings = make_settings(corpus)
    for n in range(40):
        (corpus / f"plant-{n:02d}.md").write_text(_plant_note(n, 1), encoding="utf-8")
    first = Index(settings, embedder=embedder).ingest(progress=False)
    assert first.generation == 1 and first.passages == 40
    for n in range(40):
        (corpus / f"plant-{n:02d}.md").write_text(_plant_note(n, 2), encoding="utf-8")

    environment = {k: v for k, v in os.environ.items() if not k.startswith("CPASSIST_")}
    environment.update(build.cli_environment(settings))
    process = subprocess.Popen(
        [sys.executable, "-c", _KILLABLE_INGEST],
        env=environment,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 180)
        assert ready, "the ingest subprocess never wrote a batch"
        line = process.stdout.readline().strip()
        assert line == "BATCH", line
        staging = tmp_path / "index" / "g2.tmp"
        assert staging.is_dir()  # the second generation is being built...
        process.send_signal(signal.SIGKILL)  # ...and dies after its first batch of 40 passages
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"

    # generation 1 is still what readers get, with all its passages searchable
    pointer = json.loads((tmp_path / "index" / "current.json").read_text())
    assert pointer["generation"] == 1
    reader = Index(settings, embedder=embedder)
    snapshot = reader.snapshot()
    assert snapshot.generation == 1 and len(snapshot.passages) == 40
    hit = Retriever(reader).run("chrome tanning measure at unit 4", k=1)[0]
    assert hit.passage.doc_id == "plant-04" and "revision 1" in hit.passage.text

    # a new ingest cleans up and completes
    report = Index(settings, embedder=embedder).ingest(progress=False)
    assert report.generation == 2 and report.embedded == 40 and len(report.updated) == 40
    assert not list((tmp_path / "index").glob("*.tmp"))
    fresh = Index(settings, embedder=embedder)
    snapshot = fresh.snapshot()
    assert snapshot.generation == 2
    assert set(_vectors(fresh, snapshot.collection)) == _expected_vector_ids(snapshot)  # no half-written leftovers
    assert set(_vectors(fresh, snapshot.multilingual)) == set(snapshot.passages)
    hit = Retriever(fresh).run("chrome tanning measure at unit 4", k=1)[0]
    assert hit.passage.doc_id == "plant-04" and "revision 2" in hit.passage.text


def test_minilm_leaves_a_core_to_the_e5_set_while_both_embed(corpus: Path, make_settings, embedder, monkeypatch) -> None:
    """Three threads on two cores made the cold ingest 182 s where two take 111 s: MiniLM runs on
    all cores but one while the E5 worker runs, and on all of them again afterwards."""
    seen: list[int | None] = []
    real = embedder.embed_documents
    monkeypatch.setattr(embedder, "embed_documents", lambda texts: seen.append(embedder.batch_threads) or real(texts))
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    _write_all(corpus, SMALL)
    Index(make_settings(corpus), embedder=embedder).ingest(progress=False)
    assert seen and set(seen) == {3}
    assert embedder.batch_threads is None
    seen.clear()
    (corpus / "extra.md").write_text(_plant_note(1, 1), encoding="utf-8")
    Index(make_settings(corpus, multilingual=False), embedder=embedder).ingest(progress=False)
    assert seen and set(seen) == {None}


def test_the_snapshot_knows_the_acronyms_its_passages_write_out(retrieval_index: Index) -> None:
    snapshot = retrieval_index.snapshot()
    assert snapshot.spells("SEQS") and snapshot.spells("seqs")  # "Sindh Environmental Quality Standards"
    assert not snapshot.spells("PSQCA")
