"""Hostile and broken input: nothing crashes, nothing runs, the rest still ingests."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.documents import LoadError
from assistant.index import Index
from assistant.loaders import load_document
from assistant.answer import question_terms
from assistant.evaluation import citations_valid
from assistant.followup import resolve
from assistant.pipeline import MAX_QUESTION_CHARS, Assistant, clean_question
from assistant.retrieval import expand_query


def _zip_bomb(path: Path, megabytes: int) -> Path:
    """A .docx whose one member unpacks to `megabytes` of zeros (a few hundred KB packed)."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)
    return path


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    bomb = _zip_bomb(tmp_path / "bomb.docx", 300)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(LoadError, match="zip bomb"):
        load_document(bomb)


def test_text_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"effluent " * (700 * 1024))  # about 6 MB
    with pytest.raises(LoadError, match="MB limit"):
        load_document(big, max_bytes=5 * 1024 * 1024)


def test_pdf_over_the_page_limit_is_refused(tmp_path: Path, build) -> None:
    pdf = build.pdf(tmp_path / "long.pdf", [[f"Page {n} text about boilers and steam."] for n in range(6)])
    with pytest.raises(LoadError, match="page limit"):
        load_document(pdf, max_pages=5)


def test_ingest_reports_the_bomb_and_indexes_the_rest(tmp_path: Path, make_settings, embedder) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _zip_bomb(corpus / "bomb.docx", 300)
    (corpus / "notes.md").write_text("# Notes\n\nCounter-current rinsing cuts water use in dyeing.\n", encoding="utf-8")
    report = Index(make_settings(corpus, min_words=5), embedder=embedder).ingest(progress=False)
    assert report.added == ["notes.md"]
    assert [name for name, _ in report.skipped] == ["bomb.docx"]


@pytest.mark.parametrize(
    "raw",
    [
        "x" * (1024 * 1024),
        "What is COD? " * 100_000,
        "\x00\x01\x1b[31m<script>alert(1)</script>\x7f" * 1000,
        "کیا مجھے ای آئی اے کی ضرورت ہے؟ " * 5000,
    ],
)
def test_a_megabyte_question_is_cleaned_and_capped(raw: str) -> None:
    text, note = clean_question(raw)
    assert len(text) <= MAX_QUESTION_CHARS
    assert note
    assert not any(ord(c) < 32 for c in text)


@given(st.text(max_size=3000), st.lists(st.text(max_size=200), max_size=3))
def test_question_preprocessing_never_fails(raw: str, history: list[str]) -> None:
    text, _ = clean_question(raw)
    query = resolve(text, [(turn, "") for turn in history])
    assert isinstance(question_terms(expand_query(query)), list)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_ask_answers_or_abstains_on_any_text(retrieval_index, raw: str) -> None:
    answer = Assistant(retrieval_index.settings, index=retrieval_index).ask(raw)
    assert answer.abstained or citations_valid(answer.text, [c.n for c in answer.citations])
